// The admin server against hostile HTTP (issue #18 item 6): HEAD wherever GET works, Host
// required on HTTP/1.1, obsolete line folding refused, and health probes answered while every
// ordinary connection is held open.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "hostile.hpp"

namespace clarity::hostile {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string daemon_config(const test::TempDir& dir, const std::string& admin_extra = "") {
    return write_file(dir, "c.yaml",
                      "admin: {listen: \"127.0.0.1:0\"" + admin_extra + "}\nstore: {path: \"" +
                          (dir / "c.db").string() + "\"}\n" + connections_yaml());
}

std::string header_value(const std::string& response, const std::string& name) {
    std::string lower = response;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto at = lower.find("\r\n" + name + ":");
    if (at == std::string::npos) return {};
    const auto start = response.find_first_not_of(' ', at + name.size() + 3);
    return response.substr(start, response.find("\r\n", start) - start);
}

class HostileAdmin : public ::testing::Test {
  protected:
    test::TempDir dir;
    std::unique_ptr<Daemon> daemon;
    void start(const std::string& admin_extra = "") {
        daemon = std::make_unique<Daemon>(dir, daemon_config(dir, admin_extra));
    }
};

TEST_F(HostileAdmin, HeadAnswersLikeGetWithoutABody) {
    start();
    for (const char* path : {"/healthz", "/readyz", "/metrics"}) {
        Connection c(daemon->port());
        c.send(std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
        const auto get = c.read_response();
        c.send(std::string("HEAD ") + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
        const auto head = c.read_response(/*head_request=*/true);
        // The same connection still answers: no stray body bytes followed the HEAD answer.
        c.send(std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        const auto again = c.read_until_close();
        EXPECT_EQ(status_of(get), 200) << path;
        EXPECT_EQ(status_of(head), 200) << "GET:" << get << "HEAD:" << head;
        EXPECT_EQ(header_value(head, "content-type"), header_value(get, "content-type"));
        EXPECT_FALSE(header_value(head, "content-length").empty()) << head;
        EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n") << head;
        EXPECT_EQ(status_of(again), 200) << again;
    }
    // A method neither GET nor HEAD still gets 405, and Allow names HEAD.
    const auto post = exchange(daemon->port(),
                               "POST /healthz HTTP/1.1\r\nHost: x\r\n"
                               "Content-Length: 0\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(status_of(post), 405) << post;
    EXPECT_EQ(header_value(post, "allow"), "GET, HEAD");
}

TEST_F(HostileAdmin, Http11WithoutHostIs400) {
    start();
    const auto none = exchange(daemon->port(), "GET /healthz HTTP/1.1\r\n\r\n");
    EXPECT_EQ(status_of(none), 400) << none;
    EXPECT_THAT(none, HasSubstr("Host"));
    const auto two =
        exchange(daemon->port(), "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
    EXPECT_EQ(status_of(two), 400) << two;
    // HTTP/1.0 has no Host requirement.
    EXPECT_EQ(status_of(exchange(daemon->port(), "GET /healthz HTTP/1.0\r\n\r\n")), 200);
}

TEST_F(HostileAdmin, ObsoleteLineFoldingIs400) {
    start();
    const auto folded =
        exchange(daemon->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: one\r\n two\r\n\r\n");
    EXPECT_EQ(status_of(folded), 400) << folded;
    EXPECT_THAT(folded, HasSubstr("folding"));
    const auto tab = exchange(daemon->port(),
                              "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: one\r\n\ttwo\r\n\r\n");
    EXPECT_EQ(status_of(tab), 400) << tab;
    // The server keeps serving.
    EXPECT_EQ(status_of(exchange(daemon->port(),
                                 "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")),
              200);
}

TEST_F(HostileAdmin, HealthzAnswersWhileEveryConnectionIsHeld) {
    start(", max_connections: 3, request_timeout: 30s");
    std::vector<std::unique_ptr<Connection>> held;
    for (int i = 0; i < 3; ++i) held.push_back(std::make_unique<Connection>(daemon->port()));
    // Give the server time to accept them, by a full round trip on one more (reserved) slot.
    for (int i = 0; i < 5; ++i) {
        const auto start_at = std::chrono::steady_clock::now();
        const auto health = exchange(
            daemon->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        EXPECT_EQ(status_of(health), 200) << health;
        EXPECT_LT(std::chrono::steady_clock::now() - start_at, 3s);
        EXPECT_EQ(
            status_of(exchange(daemon->port(),
                               "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")),
            200);
    }
    // Other paths on a probe slot: 503 with Retry-After.
    const auto metrics =
        exchange(daemon->port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(status_of(metrics), 503) << metrics;
    EXPECT_EQ(header_value(metrics, "retry-after"), "1");
    // Probe slots held idle too: the newest probe still gets through.
    std::vector<std::unique_ptr<Connection>> more;
    for (int i = 0; i < 4; ++i) more.push_back(std::make_unique<Connection>(daemon->port()));
    EXPECT_EQ(status_of(exchange(daemon->port(),
                                 "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")),
              200);
    // Once the held connections go, ordinary requests are served again.
    held.clear();
    more.clear();
    bool served = false;
    for (int i = 0; i < 50 && !served; ++i) {
        served = status_of(exchange(
                     daemon->port(),
                     "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) == 200;
    }
    EXPECT_TRUE(served);
}

}  // namespace
}  // namespace clarity::hostile
