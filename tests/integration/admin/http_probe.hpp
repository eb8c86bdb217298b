#pragma once
// A deliberately plain blocking HTTP client over POSIX sockets, independent of src/net, so the
// server under test is checked against raw bytes on a real loopback socket.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace clarity::test {

struct RawResponse {
    int status = 0;    ///< 0 when the connection closed before a status line
    std::string head;  ///< status line and headers
    std::string body;
    bool closed = false;  ///< the server closed the connection
};

/// A connected socket; closes on destruction.
class Probe {
  public:
    explicit Probe(std::uint16_t port);  ///< throws when the connection is refused
    ~Probe();
    Probe(const Probe&) = delete;
    Probe& operator=(const Probe&) = delete;

    void send(const std::string& bytes);
    /// Reads one response (headers + Content-Length body), or until EOF / `timeout`.
    RawResponse read_response(std::chrono::milliseconds timeout = std::chrono::seconds(5));
    /// Waits until the server closes the connection (true) or `timeout` passes (false); data
    /// arriving meanwhile is discarded.
    bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  private:
    int fd_ = -1;
    std::string pending_;
};

/// True when a TCP connection to 127.0.0.1:port is refused.
bool connection_refused(std::uint16_t port);

/// One request with `Connection: close`; `extra_headers` lines end with \r\n.
RawResponse http_get(std::uint16_t port,
                     const std::string& target,
                     const std::string& extra_headers = {});

}  // namespace clarity::test
