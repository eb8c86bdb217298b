// make_guarded_client: the real HttpClient behind a circuit breaker, against the loopback fake
// server. The breaker's clock is a manual one: no test waits for open_for to pass.
#include <gtest/gtest.h>

#include <atomic>

#include "clarity/net/circuit_breaker.hpp"
#include "clarity/net/http_client.hpp"
#include "http/fake_http_server.hpp"
#include "net_test_support.hpp"

namespace clarity::net {
namespace {

namespace asio = boost::asio;
namespace fake = fakes::http;
using namespace std::chrono_literals;

struct World {
    std::atomic<int> status{503};
    fake::FakeHttpServer server{
        [this](const fake::Request&) { return fake::Response::text(status.load(), "answer"); }};
    asio::io_context ioc;
    ManualClock clock;
    core::MetricsRegistry metrics;
    CircuitBreaker breaker{
        clock, {.failure_threshold = 3, .open_for = 30s}, "us", "amazon", &metrics};
    std::shared_ptr<HttpClient> client =
        make_guarded_client(make_http_client(ioc.get_executor(), {}), breaker);

    Result<HttpResponse> get(bool retried_by_caller = false) {
        HttpRequest r;
        r.url = server.base_url() + "/x";
        r.retried_by_caller = retried_by_caller;
        return test::run(ioc, client->send(std::move(r)));
    }
};

TEST(GuardedClient, FiveHundredsOpenTheCircuitThenCallsFailAtOnceWithUnavailable) {
    World w;
    for (int i = 0; i < 3; ++i) {
        auto r = w.get();
        ASSERT_TRUE(r) << r.error().describe();
        EXPECT_EQ(r->status, 503);  // the answer itself is passed on
    }
    EXPECT_EQ(w.breaker.state(), BreakerState::open);
    auto refused = w.get();
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(refused.error().retry_after, std::optional<std::chrono::seconds>(30s));
    EXPECT_NE(refused.error().message.find("the last: HTTP 503"), std::string::npos)
        << refused.error().message;
    EXPECT_EQ(w.server.request_count(), 3u) << "nothing sent while open";

    w.clock.advance(30s);
    w.status = 200;
    auto probe = w.get();
    ASSERT_TRUE(probe);
    EXPECT_EQ(probe->status, 200);
    EXPECT_EQ(w.breaker.state(), BreakerState::closed);
    EXPECT_EQ(w.server.request_count(), 4u);
}

TEST(GuardedClient, FourHundredsAndThrottlingAreAnswersNotFailures) {
    World w;
    for (int status : {503, 503, 429, 503, 503, 404, 400, 503, 503}) {
        w.status = status;
        ASSERT_TRUE(w.get());
    }
    EXPECT_EQ(w.breaker.state(), BreakerState::closed);
}

TEST(GuardedClient, TransportFailuresCountAndAFailedProbeReopens) {
    World w;
    // Nothing listens there any more: connection refused (transient).
    HttpRequest r;
    {
        fake::FakeHttpServer gone(
            [](const fake::Request&) { return fake::Response::text(200, ""); });
        r.url = gone.base_url() + "/x";
    }
    for (int i = 0; i < 3; ++i) {
        auto res = test::run(w.ioc, w.client->send(r));
        ASSERT_FALSE(res);
        EXPECT_EQ(res.error().kind, ErrorKind::transient) << res.error().describe();
    }
    EXPECT_EQ(w.breaker.state(), BreakerState::open);
    w.clock.advance(30s);
    auto probe = test::run(w.ioc, w.client->send(r));
    ASSERT_FALSE(probe);
    EXPECT_EQ(probe.error().kind, ErrorKind::transient);  // the probe's own failure
    EXPECT_EQ(w.breaker.state(), BreakerState::open);
    EXPECT_EQ(w.get().error().kind, ErrorKind::unavailable);
}

TEST(GuardedClient, TriesTheCallerRetriesCountOnlyAtTheLastTry) {
    World w;
    // A caller with its own retries: three failed calls of three tries each.
    for (int call = 0; call < 2; ++call) {
        ASSERT_TRUE(w.get(/*retried_by_caller=*/true));
        ASSERT_TRUE(w.get(/*retried_by_caller=*/true));
        ASSERT_TRUE(w.get(/*retried_by_caller=*/false));  // the last try counts
    }
    EXPECT_EQ(w.breaker.state(), BreakerState::closed);
    ASSERT_TRUE(w.get(true));
    ASSERT_TRUE(w.get(false));
    EXPECT_EQ(w.breaker.state(), BreakerState::open);
    // Half-open, even a try the caller would repeat decides.
    w.clock.advance(30s);
    ASSERT_TRUE(w.get(true));
    EXPECT_EQ(w.breaker.state(), BreakerState::open);
    auto refused = w.get(true);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::unavailable);
}

}  // namespace
}  // namespace clarity::net
