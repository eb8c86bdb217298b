// The clarity-connect executable as a user runs it: exit codes (0 ok, 1 runtime, 2 usage or
// configuration), one-line errors, and the daemon's life cycle with systemd notifications.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "child_process.hpp"
#include "http_probe.hpp"
#include "support/temp_dir.hpp"
#include "support/test_env.hpp"

namespace clarity::test {
namespace {

using namespace std::chrono_literals;

std::string exe() { return (binary_dir() / "src/app/clarity-connect").string(); }

std::string connections_yaml(const std::string& api_key = "k") {
    return "connections:\n"
           "  - name: eu\n"
           "    odoo: {url: https://odoo.example.com, database: db, username: u, api_key: \"" +
           api_key +
           "\"}\n"
           "    amazon: {region: eu, seller_id: S, lwa_client_id: c, lwa_client_secret: s,\n"
           "             refresh_token: r, marketplaces: [A1PA6795UKMFR9]}\n";
}

std::string write(const TempDir& dir, const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
}

int count_lines(const std::string& s) {
    return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

// A datagram socket standing in for systemd's NOTIFY_SOCKET.
class NotifySocket {
  public:
    explicit NotifySocket(std::string path) : path_(std::move(path)) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path_.c_str());
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            throw std::runtime_error("cannot bind notify socket " + path_);
        }
    }
    ~NotifySocket() { ::close(fd_); }
    const std::string& path() const { return path_; }
    /// The next datagram, or "" after `timeout`.
    std::string next(std::chrono::milliseconds timeout = 10s) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return {};
        char buf[1024];
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string{};
    }

  private:
    std::string path_;
    int fd_ = -1;
};

TEST(Cli, VersionPrintsTheVersion) {
    auto r = run_child({exe(), "version"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_TRUE(r.out.starts_with("clarity-connect ")) << r.out;
}

TEST(Cli, HelpExitsZeroOnEveryCommand) {
    for (std::vector<std::string> args : {std::vector<std::string>{"--help"},
                                          {"run", "--help"},
                                          {"config", "--help"},
                                          {"config", "check", "--help"},
                                          {"config", "schema", "--help"},
                                          {"version", "--help"}}) {
        args.insert(args.begin(), exe());
        auto r = run_child(args);
        EXPECT_EQ(r.exit_code, 0) << args[1] << " " << r.err;
        EXPECT_NE(r.out.find("Usage:"), std::string::npos) << r.out;
    }
}

TEST(Cli, UsageErrorsExitTwo) {
    EXPECT_EQ(run_child({exe()}).exit_code, 2);
    EXPECT_EQ(run_child({exe(), "frobnicate"}).exit_code, 2);
    EXPECT_EQ(run_child({exe(), "run"}).exit_code, 2);  // -c is required
    EXPECT_EQ(run_child({exe(), "config", "check", "-c", "x.yaml", "--bogus"}).exit_code, 2);
    EXPECT_EQ(run_child({exe(), "config"}).exit_code, 2);
}

TEST(Cli, ConfigCheckAcceptsAValidFile) {
    TempDir dir;
    const auto file = write(dir, "c.yaml", connections_yaml("hunter2"));
    auto r = run_child({exe(), "config", "check", "-c", file});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, file + ": ok (1 connection)\n");
    auto printed = run_child({exe(), "config", "check", "-c", file, "--print"});
    EXPECT_EQ(printed.exit_code, 0);
    EXPECT_EQ(printed.out.find("hunter2"), std::string::npos) << printed.out;
    EXPECT_NE(printed.out.find("api_key: \"***\""), std::string::npos) << printed.out;
    EXPECT_NE(printed.out.find("listen: 127.0.0.1:8080"), std::string::npos) << printed.out;
}

TEST(Cli, ConfigErrorsAreOneLineAndExitTwo) {
    TempDir dir;
    struct Case {
        std::string yaml;
        std::string expected_tail;  // after "clarity-connect: <file>"
    };
    const std::vector<Case> cases = {
        {"lgo: {level: info}\n" + connections_yaml(),
         ":1:1: lgo: unknown key (did you mean 'log'?)"},
        {"log: {level: loud}\n" + connections_yaml(),
         ":1:14: log.level: 'loud' is not allowed (expected one of: trace, debug, info, warn, "
         "error, critical, off)"},
        {"admin: {max_connections: lots}\n" + connections_yaml(),
         ":1:26: admin.max_connections: 'lots' is not an integer"},
        {"log: {level: info}\n", ":1:1: connections: missing required key"},
        {"log: [\n", ":2:1: invalid YAML: end of sequence flow not found"},
        {connections_yaml("file:/nonexistent/odoo.key"),
         ":3:79: connections[0].odoo.api_key: cannot read secret file /nonexistent/odoo.key: No "
         "such file or directory"},
    };
    for (const auto& c : cases) {
        const auto file = write(dir, "bad.yaml", c.yaml);
        for (const char* cmd : {"check", "run"}) {
            auto r = cmd == std::string("check") ? run_child({exe(), "config", "check", "-c", file})
                                                 : run_child({exe(), "run", "-c", file});
            EXPECT_EQ(r.exit_code, 2) << cmd << ": " << c.yaml;
            EXPECT_EQ(r.err, "clarity-connect: " + file + c.expected_tail + "\n") << cmd;
        }
    }
}

// Issue #18: `file:/dev/zero` was read until the process was killed (4.2 GB), and a FIFO blocked
// forever. Each is now refused before a byte is read; the child gets 5 s (a loaded machine), the
// refusal itself needs no waiting at all.
TEST(Cli, SecretFilesThatAreNotRegularFilesAreRefusedAtOnce) {
    TempDir dir;
    const auto fifo = (dir / "secret.fifo").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"/dev/zero", "it is a character device, not a regular file"},
        {"/dev/urandom", "it is a character device, not a regular file"},
        {fifo, "it is a FIFO (named pipe), not a regular file"},
        {dir.path().string(), "it is a directory, not a regular file"},
    };
    for (const auto& [secret, reason] : cases) {
        const auto file = write(dir, "c.yaml", connections_yaml("file:" + secret));
        const auto started = std::chrono::steady_clock::now();
        Child child({exe(), "config", "check", "-c", file});
        auto r = child.wait(5s);
        EXPECT_LT(std::chrono::steady_clock::now() - started, 5s) << secret;
        EXPECT_EQ(r.exit_code, 2) << secret;
        EXPECT_NE(r.err.find("connections[0].odoo.api_key: cannot read secret file " + secret +
                             ": " + reason),
                  std::string::npos)
            << r.err;
    }
}

TEST(Cli, OversizedSecretAndConfigFilesAreRefusedNamingTheLimit) {
    TempDir dir;
    { std::ofstream(dir / "big.key") << std::string(64 * 1024 + 1, 'k'); }
    auto file = write(dir, "c.yaml", connections_yaml("file:" + (dir / "big.key").string()));
    auto r = run_child({exe(), "config", "check", "-c", file});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("cannot read secret file " + (dir / "big.key").string() +
                         ": it is 65537 bytes, over the limit of 64 KiB"),
              std::string::npos)
        << r.err;

    // 50 MB of YAML took 10 s and 1.2 GB; the size is now checked before anything is read.
    const auto big = (dir / "big.yaml").string();
    { std::ofstream(big) << connections_yaml(); }
    std::filesystem::resize_file(big, 50'000'000);
    const auto started = std::chrono::steady_clock::now();
    Child child({exe(), "config", "check", "-c", big});
    r = child.wait(5s);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "clarity-connect: " + big +
                         ": cannot read the configuration file: it is 50000000 bytes, over the "
                         "limit of 4 MiB\n");
}

TEST(Cli, DeepAndBinaryYamlIsRefusedWithPositionAndReason) {
    TempDir dir;
    auto file = write(dir, "deep.yaml",
                      "log: " + std::string(10'000, '[') + std::string(10'000, ']') + "\n");
    auto r = run_child({exe(), "config", "check", "-c", file});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "clarity-connect: " + file +
                         ":1:506: invalid YAML: YAML nested deeper than 500 levels, the limit of "
                         "the YAML parser; no configuration needs that many\n");
    file = write(dir, "nul.yaml", std::string("log: {level: info}\nx: a\0b\n", 26));
    r = run_child({exe(), "config", "check", "-c", file});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "clarity-connect: " + file +
                         ":2:5: invalid YAML: the file contains a NUL byte, which YAML text cannot "
                         "hold (a binary file, or one saved in UTF-16?)\n");
}

TEST(Cli, SemanticConfigErrorsExitTwo) {
    TempDir dir;
    const auto file = write(dir, "c.yaml", "admin: {listen: localhost}\n" + connections_yaml());
    auto r = run_child({exe(), "config", "check", "-c", file});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "clarity-connect: " + file + ":1:17: admin.listen: 'localhost' is not host:port\n");
}

TEST(Cli, MissingConfigFileExitsTwo) {
    auto r = run_child({exe(), "run", "-c", "/nonexistent/clarity.yaml"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "clarity-connect: /nonexistent/clarity.yaml: cannot read the configuration file: No "
              "such file or directory\n");
}

TEST(Cli, SchemaPrintsTheCommittedReference) {
    auto r = run_child({exe(), "config", "schema"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_TRUE(r.out == read_file(source_dir() / "docs/configuration.md"))
        << "regenerate docs/configuration.md with `clarity-connect config schema`";
}

TEST(Cli, PortInUseIsARuntimeErrorOnOneLine) {
    TempDir dir;
    NotifySocket notify((dir / "notify").string());
    const auto first_file = write(dir, "a.yaml",
                                  "admin: {listen: \"127.0.0.1:0\"}\nstore: {path: \"" +
                                      (dir / "a.db").string() + "\"}\n" + connections_yaml());
    Child first({exe(), "run", "-c", first_file}, {{"NOTIFY_SOCKET", notify.path()}});
    const std::string ready = notify.next();
    ASSERT_NE(ready.find("READY=1"), std::string::npos) << ready;
    const std::string port = ready.substr(ready.rfind(':') + 1);

    const auto second_file = write(dir, "b.yaml",
                                   "admin: {listen: \"127.0.0.1:" + port + "\"}\nstore: {path: \"" +
                                       (dir / "b.db").string() + "\"}\n" + connections_yaml());
    auto r = run_child({exe(), "run", "-c", second_file});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              "clarity-connect: cannot listen on 127.0.0.1:" + port + ": Address already in use\n");
    first.signal(SIGTERM);
    EXPECT_EQ(first.wait().exit_code, 0);
}

// One daemon per store: a second one on the same file refuses to start (two would run the same
// jobs and each would requeue the other's at start), naming the store and the running pid.
TEST(Cli, SecondDaemonOnTheSameStoreIsARuntimeError) {
    TempDir dir;
    NotifySocket notify((dir / "notify").string());
    const std::string store = (dir / "shared.db").string();
    const auto yaml =
        "admin: {listen: \"127.0.0.1:0\"}\nstore: {path: \"" + store + "\"}\n" + connections_yaml();
    Child first({exe(), "run", "-c", write(dir, "a.yaml", yaml)},
                {{"NOTIFY_SOCKET", notify.path()}});
    const std::string ready = notify.next();
    ASSERT_NE(ready.find("READY=1"), std::string::npos) << ready;

    auto r = run_child({exe(), "run", "-c", write(dir, "b.yaml", yaml)});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "clarity-connect: another clarity-connect daemon is using the store " + store +
                         " (pid " + std::to_string(first.pid()) +
                         "); stop it first, or give this daemon its own store.path\n");
    first.signal(SIGTERM);
    EXPECT_EQ(first.wait().exit_code, 0);
    // Once the first has stopped, the store is free again.
    NotifySocket notify_again((dir / "notify-again").string());
    Child again({exe(), "run", "-c", write(dir, "c.yaml", yaml)},
                {{"NOTIFY_SOCKET", notify_again.path()}});
    EXPECT_NE(notify_again.next().find("READY=1"), std::string::npos);
    again.signal(SIGTERM);
    EXPECT_EQ(again.wait().exit_code, 0);
}

TEST(Cli, RunNotifiesSystemdServesHealthAndStopsOnSigterm) {
    TempDir dir;
    NotifySocket notify((dir / "notify").string());
    const auto file = write(dir, "c.yaml",
                            "admin: {listen: \"127.0.0.1:0\", token: \"${TEST_ADMIN_TOKEN}\"}\n"
                            "log: {format: json}\n"
                            "daemon: {watchdog_interval: 50ms, shutdown_timeout: 5s}\n"
                            "store: {path: \"" +
                                (dir / "c.db").string() + "\"}\n" + connections_yaml());
    Child daemon({exe(), "run", "-c", file},
                 {{"NOTIFY_SOCKET", notify.path()}, {"TEST_ADMIN_TOKEN", "tok-123-secret"}});

    const std::string ready = notify.next();
    ASSERT_NE(ready.find("READY=1"), std::string::npos) << ready;
    ASSERT_NE(ready.find("STATUS=admin server listening on 127.0.0.1:"), std::string::npos);
    const auto port = static_cast<std::uint16_t>(std::stoi(ready.substr(ready.rfind(':') + 1)));

    EXPECT_EQ(http_get(port, "/healthz").status, 200);
    EXPECT_EQ(http_get(port, "/readyz").status, 200);
    EXPECT_EQ(http_get(port, "/metrics").status, 401);
    EXPECT_EQ(http_get(port, "/metrics", "Authorization: Bearer tok-123-secret\r\n").status, 200);
    std::string msg;
    for (int i = 0; i < 5 && msg != "WATCHDOG=1"; ++i) msg = notify.next();
    EXPECT_EQ(msg, "WATCHDOG=1");

    daemon.signal(SIGTERM);
    std::string stopping;
    for (int i = 0; i < 50 && stopping != "STOPPING=1"; ++i) stopping = notify.next();
    EXPECT_EQ(stopping, "STOPPING=1");
    auto r = daemon.wait();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(connection_refused(port));
    EXPECT_NE(r.err.find("\"message\":\"received SIGTERM"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("\"message\":\"stopped\""), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("tok-123-secret"), std::string::npos) << r.err;
    EXPECT_EQ(count_lines(r.err), 3) << r.err;  // started, received SIGTERM, stopped
}

TEST(Cli, RunStopsOnSigint) {
    TempDir dir;
    NotifySocket notify((dir / "notify").string());
    const auto file = write(dir, "c.yaml",
                            "admin: {listen: \"127.0.0.1:0\"}\nstore: {path: \"" +
                                (dir / "c.db").string() + "\"}\n" + connections_yaml());
    Child daemon({exe(), "run", "-c", file}, {{"NOTIFY_SOCKET", notify.path()}});
    ASSERT_NE(notify.next().find("READY=1"), std::string::npos);
    daemon.signal(SIGINT);
    EXPECT_EQ(daemon.wait().exit_code, 0);
}

}  // namespace
}  // namespace clarity::test
