#include "http_probe.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace clarity::test {

namespace {
int connect_to(std::uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        const int err = errno;
        ::close(fd);
        throw std::system_error(err, std::generic_category(), "connect");
    }
    return fd;
}

// Reads what is available within the deadline; returns false on EOF or error.
bool read_some(int fd, std::string& into, std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[8192];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return false;
    into.append(buf, static_cast<std::size_t>(n));
    return true;
}
}  // namespace

Probe::Probe(std::uint16_t port) : fd_(connect_to(port)) {}
Probe::~Probe() {
    if (fd_ >= 0) ::close(fd_);
}

void Probe::send(const std::string& bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
        const ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
        if (n <= 0) throw std::runtime_error("send: " + std::string(std::strerror(errno)));
        off += static_cast<std::size_t>(n);
    }
}

RawResponse Probe::read_response(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    RawResponse r;
    std::string& data = pending_;
    std::size_t head_end;
    while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
        if (!read_some(fd_, data, deadline)) {
            r.closed = true;
            return r;
        }
    }
    r.head = data.substr(0, head_end + 2);
    std::sscanf(r.head.c_str(), "HTTP/1.%*d %d", &r.status);
    std::size_t length = 0;
    for (const char* name : {"Content-Length: ", "content-length: "}) {
        const auto at = r.head.find(name);
        if (at != std::string::npos) length = std::stoul(r.head.substr(at + std::strlen(name)));
    }
    const std::size_t body_start = head_end + 4;
    while (data.size() < body_start + length) {
        if (!read_some(fd_, data, deadline)) {
            r.closed = true;
            break;
        }
    }
    r.body = data.substr(body_start, length);
    data.erase(0, std::min(data.size(), body_start + length));
    return r;
}

bool Probe::wait_closed(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string discard;
    for (;;) {
        pollfd p{fd_, POLLIN, 0};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
        char buf[4096];
        if (::recv(fd_, buf, sizeof buf, 0) <= 0) return true;
    }
}

bool connection_refused(std::uint16_t port) {
    try {
        Probe p(port);
        return false;
    } catch (const std::system_error& e) {
        return e.code().value() == ECONNREFUSED;
    }
}

RawResponse http_get(std::uint16_t port,
                     const std::string& target,
                     const std::string& extra_headers) {
    Probe p(port);
    p.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
           extra_headers + "\r\n");
    return p.read_response();
}

}  // namespace clarity::test
