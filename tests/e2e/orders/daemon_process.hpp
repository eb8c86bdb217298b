#pragma once
// The daemon binary as a child process whose stdout and stderr go to a log file (so a chatty
// daemon never blocks on a full pipe), for the end-to-end tests.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace clarity::e2e {

class Process {
  public:
    /// Starts `argv` (argv[0] is the path), appending its output to `log_path`.
    Process(const std::vector<std::string>& argv, const std::string& log_path);
    ~Process();  ///< SIGKILLs the child if it still runs
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return pid_; }
    bool running();
    void signal(int sig);
    /// Waits for the exit; returns the exit code, 128 + signal when killed, -1 on timeout.
    int wait(std::chrono::milliseconds timeout);

  private:
    pid_t pid_ = -1;
    int status_ = -1;
    bool reaped_ = false;
};

/// Runs to completion (output to `log_path`); returns the exit code.
int run(const std::vector<std::string>& argv, const std::string& log_path);

/// The whole content of a file ("" when missing).
std::string read_file(const std::string& path);

/// utime + stime of process `pid` in seconds (/proc/<pid>/stat fields 14 and 15).
double cpu_seconds(pid_t pid);

/// A free loopback port (bound, read, released): the daemon's admin port of a test.
std::uint16_t free_loopback_port();

struct HttpAnswer {
    int status = 0;  ///< 0 when refused
    std::string body;
};
/// One request to 127.0.0.1:`port` on its own connection (Connection: close), as Odoo's webhook
/// action sends it; `headers` are extra header lines, each ending in "\r\n".
HttpAnswer loopback_request(std::uint16_t port,
                            const std::string& method,
                            const std::string& target,
                            const std::string& headers,
                            const std::string& body);

}  // namespace clarity::e2e
