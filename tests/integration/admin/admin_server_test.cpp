// The admin HTTP server over a real loopback socket: routing, auth, limits, slow clients,
// connection cap, graceful shutdown, and /metrics accepted by promtool.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdlib>
#include <fstream>
#include <future>
#include <thread>

#include "admin_routes.hpp"
#include "clarity/net/http_server.hpp"
#include "http_probe.hpp"
#include "support/temp_dir.hpp"

namespace clarity::net {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using test::http_get;
using test::Probe;

// A handler that parks until the test releases it: a request "in flight" on demand.
struct Gate {
    explicit Gate(asio::io_context& io) : timer(io, std::chrono::hours(1)) {}
    asio::steady_timer timer;
    std::promise<void> entered;
    void release(asio::io_context& io) {
        asio::post(io, [this] { timer.cancel(); });
    }
};

asio::awaitable<ServerResponse> wait_at_gate(Gate* gate) {
    gate->entered.set_value();
    co_await gate->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return ServerResponse{.body = "finished\n"};
}

asio::awaitable<void> run_shutdown(HttpServer* server,
                                   std::chrono::milliseconds deadline,
                                   std::promise<void>* done) {
    co_await server->shutdown(deadline);
    done->set_value();
}

class AdminServer : public ::testing::Test {
  protected:
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    Gate gate{io};
    std::unique_ptr<HttpServer> server;
    std::thread runner;
    bool shut_down = false;

    void start(HttpServerOptions options = {},
               const std::function<void(HttpServer&)>& add_routes = {}) {
        options.port = 0;
        server = std::make_unique<HttpServer>(io, std::move(options));
        server->route("GET", "/open", Access::open, SyncHandler([](const ServerRequest&) {
                          return ServerResponse{.body = "open\n"};
                      }));
        server->route(
            "GET", "/guarded", Access::token_if_set,
            SyncHandler([](const ServerRequest&) { return ServerResponse{.body = "guarded\n"}; }));
        server->route("POST", "/admin", Access::token_required,
                      SyncHandler([](const ServerRequest& r) {
                          return ServerResponse{.body = "got " + std::to_string(r.body.size())};
                      }));
        server->route("GET", "/boom", Access::open,
                      SyncHandler([](const ServerRequest&) -> ServerResponse {
                          throw std::runtime_error("handler bug");
                      }));
        server->route("GET", "/slow", Access::open,
                      AsyncHandler([this](ServerRequest) { return wait_at_gate(&gate); }));
        if (add_routes) add_routes(*server);
        server->listen();
        server->start();
        runner = std::thread([this] { io.run(); });
    }

    void shutdown(std::chrono::milliseconds deadline = 2s) {
        if (shut_down || !server) return;
        shut_down = true;
        std::promise<void> done;
        asio::co_spawn(io, run_shutdown(server.get(), deadline, &done), asio::detached);
        ASSERT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
    }

    void TearDown() override {
        gate.release(io);
        shutdown();
        work.reset();
        io.stop();
        if (runner.joinable()) runner.join();
    }

    std::uint16_t port() const { return server->port(); }
};

TEST_F(AdminServer, ServesRoutesAndAnswers404And405) {
    start();
    auto ok = http_get(port(), "/open");
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.body, "open\n");
    EXPECT_EQ(http_get(port(), "/missing").status, 404);
    auto wrong = http_get(port(), "/admin");
    EXPECT_EQ(wrong.status, 405);
    EXPECT_NE(wrong.head.find("Allow: POST"), std::string::npos) << wrong.head;
    EXPECT_EQ(http_get(port(), "/open?x=1").status, 200);
}

TEST_F(AdminServer, HandlerExceptionBecomes500WithoutDetails) {
    start();
    auto r = http_get(port(), "/boom");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body.find("handler bug"), std::string::npos);
}

TEST_F(AdminServer, TokenGuardsEverythingButOpenRoutes) {
    start({.token = Secret("s3cret-token")});
    EXPECT_EQ(http_get(port(), "/open").status, 200);
    auto missing = http_get(port(), "/guarded");
    EXPECT_EQ(missing.status, 401);
    EXPECT_NE(missing.head.find("WWW-Authenticate: Bearer"), std::string::npos);
    EXPECT_EQ(http_get(port(), "/guarded", "Authorization: Bearer wrong\r\n").status, 401);
    EXPECT_EQ(http_get(port(), "/guarded", "Authorization: Bearer s3cret-token-longer\r\n").status,
              401);
    EXPECT_EQ(http_get(port(), "/guarded", "Authorization: Basic s3cret-token\r\n").status, 401);
    EXPECT_EQ(http_get(port(), "/guarded", "Authorization: Bearer s3cret-token\r\n").status, 200);
}

TEST_F(AdminServer, WithoutTokenGuardedRoutesAreOpenAndAdminRoutesForbidden) {
    start();
    EXPECT_EQ(http_get(port(), "/guarded").status, 200);
    Probe p(port());
    p.send("POST /admin HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi");
    EXPECT_EQ(p.read_response().status, 403);
}

TEST_F(AdminServer, OversizedHeaderGets413) {
    start({.max_header_bytes = 1024});
    auto r = http_get(port(), "/open", "X-Filler: " + std::string(4096, 'a') + "\r\n");
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.body, "request header too large\n");
}

TEST_F(AdminServer, OversizedBodyGets413AndSmallBodyPasses) {
    start({.token = Secret("t"), .max_body_bytes = 100});
    {
        Probe p(port());
        p.send(
            "POST /admin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nContent-Length: 1000"
            "\r\n\r\n" +
            std::string(1000, 'b'));
        auto r = p.read_response();
        EXPECT_EQ(r.status, 413);
        EXPECT_EQ(r.body, "request body too large\n");
    }
    Probe p(port());
    p.send(
        "POST /admin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nContent-Length: 100\r\n"
        "Connection: close\r\n\r\n" +
        std::string(100, 'b'));
    auto r = p.read_response();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "got 100");
}

TEST_F(AdminServer, SlowClientIsDroppedAtTheRequestDeadline) {
    start({.request_timeout = 300ms});
    Probe slow(port());
    slow.send("GET /open HTTP/1.1\r\nHost: x\r\n");  // never finishes its header
    const auto began = std::chrono::steady_clock::now();
    EXPECT_TRUE(slow.wait_closed(5s));
    const auto took = std::chrono::steady_clock::now() - began;
    EXPECT_GE(took, 250ms);
    EXPECT_LT(took, 4s);
    // The server still serves others.
    EXPECT_EQ(http_get(port(), "/open").status, 200);
}

TEST_F(AdminServer, MalformedRequestGets400) {
    start();
    Probe p(port());
    p.send("THIS IS NOT HTTP\r\n\r\n");
    EXPECT_EQ(p.read_response().status, 400);
}

TEST_F(AdminServer, ConnectionsAboveTheCapGet503) {
    start({.max_connections = 1});
    Probe first(port());
    first.send("GET /open HTTP/1.1\r\nHost: x\r\n\r\n");  // keep-alive: stays connected
    ASSERT_EQ(first.read_response().status, 200);
    auto second = http_get(port(), "/open");
    EXPECT_EQ(second.status, 503);
    first.send("GET /open HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(first.read_response().status, 200);
}

TEST_F(AdminServer, ShutdownFinishesTheRequestInFlightAndClosesIdleConnections) {
    start();
    Probe idle(port());
    idle.send("GET /open HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(idle.read_response().status, 200);

    Probe busy(port());
    busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(gate.entered.get_future().wait_for(5s), std::future_status::ready);

    shut_down = true;
    std::promise<void> done;
    auto finished = done.get_future();
    asio::co_spawn(io, run_shutdown(server.get(), 10s, &done), asio::detached);

    EXPECT_TRUE(idle.wait_closed(5s));  // shutdown has started: idle connections go first
    EXPECT_TRUE(test::connection_refused(port()));
    EXPECT_EQ(finished.wait_for(0s), std::future_status::timeout);  // waits for /slow

    gate.release(io);
    auto r = busy.read_response();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "finished\n");
    EXPECT_NE(r.head.find("Connection: close"), std::string::npos) << r.head;
    EXPECT_EQ(finished.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(server->connection_count(), 0u);
}

TEST_F(AdminServer, ShutdownClosesRequestsStillRunningAtTheDeadline) {
    start();
    Probe busy(port());
    busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(gate.entered.get_future().wait_for(5s), std::future_status::ready);
    const auto began = std::chrono::steady_clock::now();
    shutdown(200ms);
    EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
    EXPECT_TRUE(busy.wait_closed(5s));
}

TEST_F(AdminServer, MetricsPassPromtoolAndReadinessReportsChecks) {
    core::MetricsRegistry registry;
    app::register_process_metrics(registry);
    registry
        .counter("clarity_jobs_total", "Jobs finished.",
                 {{"flow", "order_import"}, {"outcome", "ok"}})
        .inc(3);
    registry.gauge("clarity_queue_depth", "Jobs waiting.", {{"connection", "eu \"main\""}}).set(7);
    registry
        .histogram("clarity_http_request_duration_seconds", "Outgoing request latency.",
                   {{"api", "orders"}})
        .observe(0.2);
    app::Readiness readiness;
    std::atomic<bool> store_open = false;
    readiness.add("store", [&store_open]() -> std::optional<std::string> {
        if (!store_open) return "not open";
        return std::nullopt;
    });
    start({.token = Secret("t")},
          [&](HttpServer& s) { app::add_health_routes(s, readiness, registry); });

    EXPECT_EQ(http_get(port(), "/healthz").status, 200);
    auto not_ready = http_get(port(), "/readyz");
    EXPECT_EQ(not_ready.status, 503);
    EXPECT_EQ(not_ready.body, "fail store: not open\n");
    store_open = true;
    auto ready = http_get(port(), "/readyz");
    EXPECT_EQ(ready.status, 200);
    EXPECT_EQ(ready.body, "ok store\n");
    // Info lines tell, they do not decide readiness.
    std::atomic<bool> circuit_open = false;
    readiness.add_info("circuit odoo[eu]", [&circuit_open]() -> std::optional<std::string> {
        return circuit_open ? "open (next probe in 12 s)" : "closed";
    });
    readiness.add_info("nothing to say", []() -> std::optional<std::string> { return {}; });
    circuit_open = true;
    ready = http_get(port(), "/readyz");
    EXPECT_EQ(ready.status, 200);
    EXPECT_EQ(ready.body, "ok store\ninfo circuit odoo[eu]: open (next probe in 12 s)\n");

    EXPECT_EQ(http_get(port(), "/metrics").status, 401);
    auto metrics = http_get(port(), "/metrics", "Authorization: Bearer t\r\n");
    ASSERT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.head.find("text/plain; version=0.0.4"), std::string::npos);
    for (const char* name : {"clarity_build_info{version=", "process_resident_memory_bytes ",
                             "process_cpu_seconds_total ", "process_open_fds ",
                             "clarity_uptime_seconds ", "process_start_time_seconds ",
                             "clarity_jobs_total{flow=\"order_import\",outcome=\"ok\"} 3"}) {
        EXPECT_NE(metrics.body.find(name), std::string::npos) << name;
    }

    test::TempDir dir;
    { std::ofstream(dir / "metrics.txt") << metrics.body; }
    const std::string cmd = "promtool check metrics < " + (dir / "metrics.txt").string() + " > " +
                            (dir / "promtool.out").string() + " 2>&1";
    const int rc = std::system(cmd.c_str());
    std::ifstream out(dir / "promtool.out");
    const std::string report((std::istreambuf_iterator<char>(out)), {});
    EXPECT_EQ(rc, 0) << report << "\n" << metrics.body;
    EXPECT_EQ(report, "") << report;
}

}  // namespace
}  // namespace clarity::net
