#pragma once
// The hostile suite's tools: run the built clarity-connect as a child process (stdin from
// /dev/null, output captured up to a cap, a deadline after which it is killed), write its input
// files, start the daemon with its admin server on a free port, and talk raw HTTP to it.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace clarity::hostile {

using namespace std::chrono_literals;

/// How a run of the executable ended.
struct Outcome {
    int exit_code = -1;      ///< the exit status, or -1 when killed by a signal
    int signal = 0;          ///< the signal that killed it (0 when it exited)
    bool timed_out = false;  ///< killed by us at the deadline
    std::string out;
    std::string err;
    std::chrono::milliseconds elapsed{0};
};

/// The built clarity-connect executable.
std::string exe();

/// Runs `clarity-connect args…` with `env` added to this process's environment, killing it after
/// `deadline`. Output beyond 4 MiB per stream is discarded (the run still goes on).
Outcome run_cli(const std::vector<std::string>& args,
                const std::map<std::string, std::string>& env = {},
                std::chrono::milliseconds deadline = 10s);

/// Writes `bytes` to dir/name; returns the path.
std::string write_file(const test::TempDir& dir, const std::string& name, const std::string& bytes);

/// One valid connection block (a `connections:` list), for configs built around a hostile key.
std::string connections_yaml();

/// True when `text` holds a byte a terminal would act on: C0 controls other than '\n' and '\t',
/// DEL, and the C1 controls (0x80–0x9f encoded as UTF-8 U+0080–U+009F).
bool has_terminal_controls(const std::string& text);

/// The daemon (`run -c config`) with its admin server; the config must set
/// `admin.listen: "127.0.0.1:0"`. The constructor waits for READY (systemd notify socket).
class Daemon {
  public:
    Daemon(const test::TempDir& dir,
           const std::string& config_path,
           const std::map<std::string, std::string>& env = {});
    ~Daemon();  ///< SIGTERM, then SIGKILL after 10 s
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    std::uint16_t port() const { return port_; }

  private:
    pid_t pid_ = -1;
    int notify_fd_ = -1;
    std::uint16_t port_ = 0;
};

/// A raw TCP connection to 127.0.0.1:port; closes on destruction.
class Connection {
  public:
    explicit Connection(std::uint16_t port);  ///< throws when refused
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void send(const std::string& bytes);
    /// Everything the server sends until it closes the connection or `timeout` passes.
    std::string read_until_close(std::chrono::milliseconds timeout = 5s);
    /// One response: the head, then a body of Content-Length bytes (none for a HEAD request when
    /// `head_request`); returns what was read when the connection closes or `timeout` passes.
    std::string read_response(bool head_request = false, std::chrono::milliseconds timeout = 5s);

  private:
    int fd_ = -1;
    std::string pending_;
};

/// The status code of the first response in `raw` (0 when there is none).
int status_of(const std::string& raw);

/// One request (`raw` sent as is) on a new connection; everything the server sends before it
/// closes or `timeout` passes.
std::string exchange(std::uint16_t port,
                     const std::string& raw,
                     std::chrono::milliseconds timeout = 5s);

}  // namespace clarity::hostile
