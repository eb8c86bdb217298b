#include "hostile.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "support/test_env.hpp"

namespace clarity::hostile {

namespace {

constexpr std::size_t kOutputCap = 4 * 1024 * 1024;

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

// Forks and execs argv with stdin from /dev/null, stdout/stderr to the given fds (-1: /dev/null).
pid_t spawn(const std::vector<std::string>& argv,
            const std::map<std::string, std::string>& env,
            int out_fd,
            int err_fd) {
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        const int null_fd = ::open("/dev/null", O_RDWR);
        ::dup2(null_fd, STDIN_FILENO);
        ::dup2(out_fd >= 0 ? out_fd : null_fd, STDOUT_FILENO);
        ::dup2(err_fd >= 0 ? err_fd : null_fd, STDERR_FILENO);
        for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    return pid;
}

}  // namespace

std::string exe() { return (test::binary_dir() / "src/app/clarity-connect").string(); }

Outcome run_cli(const std::vector<std::string>& args,
                const std::map<std::string, std::string>& env,
                std::chrono::milliseconds deadline) {
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    std::vector<std::string> argv{exe()};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto start = Clock::now();
    const auto until = start + deadline;
    const pid_t pid = spawn(argv, env, out[1], err[1]);
    ::close(out[1]);
    ::close(err[1]);

    Outcome r;
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    std::string* sinks[2] = {&r.out, &r.err};
    int open = 2;
    while (open > 0) {
        const int left = remaining_ms(until);
        if (left == 0) {
            ::kill(pid, SIGKILL);
            r.timed_out = true;
            break;
        }
        if (::poll(fds, 2, left) <= 0) continue;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
            char buf[65536];
            const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                const auto room = kOutputCap - std::min(kOutputCap, sinks[i]->size());
                sinks[i]->append(buf, std::min(room, static_cast<std::size_t>(n)));
            } else {
                fds[i].fd = -1;
                --open;
            }
        }
    }
    ::close(out[0]);
    ::close(err[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    if (WIFEXITED(status)) {
        r.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r.signal = WTERMSIG(status);
    }
    return r;
}

std::string write_file(const test::TempDir& dir,
                       const std::string& name,
                       const std::string& bytes) {
    const auto path = dir / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
}

std::string connections_yaml() {
    return "connections:\n"
           "  - name: eu\n"
           "    odoo: {url: https://odoo.example.com, database: db, username: u, api_key: k}\n"
           "    amazon: {region: eu, seller_id: S, lwa_client_id: c, lwa_client_secret: s,\n"
           "             refresh_token: r, marketplaces: [A1PA6795UKMFR9]}\n";
}

bool has_terminal_controls(const std::string& text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) return true;
        // U+0080..U+009F in UTF-8: C2 80..C2 9F. A lone byte 0x80..0x9f is read as C1 by some
        // terminals (8-bit mode), so it counts too when it is not a UTF-8 continuation byte.
        if (c == 0xc2 && i + 1 < text.size()) {
            const auto d = static_cast<unsigned char>(text[i + 1]);
            if (d >= 0x80 && d <= 0x9f) return true;
        }
        if (c >= 0x80 && c <= 0x9f && (i == 0 || static_cast<unsigned char>(text[i - 1]) < 0x80)) {
            return true;
        }
    }
    return false;
}

Daemon::Daemon(const test::TempDir& dir,
               const std::string& config_path,
               const std::map<std::string, std::string>& env) {
    const auto socket_path = (dir / "notify.sock").string();
    notify_fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socket_path.c_str());
    if (::bind(notify_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        throw std::runtime_error("cannot bind notify socket " + socket_path);
    }
    auto full_env = env;
    full_env["NOTIFY_SOCKET"] = socket_path;
    const int log_fd =
        ::open((dir / "daemon.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    pid_ = spawn({exe(), "run", "-c", config_path}, full_env, log_fd, log_fd);
    ::close(log_fd);
    const auto until = Clock::now() + 20s;
    while (port_ == 0) {
        pollfd p{notify_fd_, POLLIN, 0};
        if (::poll(&p, 1, remaining_ms(until)) <= 0) {
            throw std::runtime_error("the daemon did not report READY: " +
                                     test::read_file(dir / "daemon.log"));
        }
        char buf[1024];
        const ssize_t n = ::recv(notify_fd_, buf, sizeof buf, 0);
        const std::string msg(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
        const std::string key = "STATUS=admin server listening on 127.0.0.1:";
        const auto at = msg.find(key);
        if (msg.find("READY=1") != std::string::npos && at != std::string::npos) {
            port_ = static_cast<std::uint16_t>(std::stoi(msg.substr(at + key.size())));
        }
    }
}

Daemon::~Daemon() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        const auto until = Clock::now() + 10s;
        int status = 0;
        while (::waitpid(pid_, &status, WNOHANG) == 0) {
            if (remaining_ms(until) == 0) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &status, 0);
                break;
            }
            ::poll(nullptr, 0, 20);
        }
    }
    if (notify_fd_ >= 0) ::close(notify_fd_);
}

Connection::Connection(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd_);
        throw std::runtime_error("connection refused on port " + std::to_string(port));
    }
}

Connection::~Connection() {
    if (fd_ >= 0) ::close(fd_);
}

void Connection::send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;  // the server closed early: what it answered is still readable
        sent += static_cast<std::size_t>(n);
    }
}

std::string Connection::read_until_close(std::chrono::milliseconds timeout) {
    std::string all = std::move(pending_);
    pending_.clear();
    const auto until = Clock::now() + timeout;
    for (;;) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, remaining_ms(until)) <= 0) return all;
        char buf[8192];
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) return all;
        all.append(buf, static_cast<std::size_t>(n));
    }
}

std::string Connection::read_response(bool head_request, std::chrono::milliseconds timeout) {
    const auto until = Clock::now() + timeout;
    std::string& buf = pending_;
    const auto fill = [&]() {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, remaining_ms(until)) <= 0) return false;
        char chunk[8192];
        const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        buf.append(chunk, static_cast<std::size_t>(n));
        return true;
    };
    std::size_t head_end;
    while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
        if (!fill()) {
            std::string partial = std::move(buf);
            buf.clear();
            return partial;
        }
    }
    head_end += 4;
    std::size_t body = 0;
    if (!head_request) {
        std::string head = buf.substr(0, head_end);
        for (auto& ch : head) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        const auto at = head.find("\r\ncontent-length:");
        if (at != std::string::npos) body = std::stoul(head.substr(at + 17));
    }
    while (buf.size() < head_end + body && fill()) {
    }
    const auto take = std::min(buf.size(), head_end + body);
    std::string response = buf.substr(0, take);
    buf.erase(0, take);
    return response;
}

int status_of(const std::string& raw) {
    if (!raw.starts_with("HTTP/1.") || raw.size() < 12) return 0;
    return std::atoi(raw.substr(9, 3).c_str());
}

std::string exchange(std::uint16_t port,
                     const std::string& raw,
                     std::chrono::milliseconds timeout) {
    Connection c(port);
    c.send(raw);
    return c.read_until_close(timeout);
}

}  // namespace clarity::hostile
