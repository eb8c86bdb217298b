// Quota use of the SP-API client (issue #6): a sustained stream of getOrder calls through the real
// SpApiClient (LWA, QuotaLimiter, net::HttpClient) against the fake SP-API enforcing getOrder's
// published usage plan (0.5 requests/s, burst 30; ordersV2026 model), both sped up by kSpeedUp so
// a round takes seconds. The client is told the speed-up through the limiter's rate scale, as the
// `rate_scale` config key does for a sandbox.
//
// Per round (fresh fake and client, so both buckets start full):
//   1. utilisation: the stream runs kStreamSeconds; successful calls / (burst + rate x elapsed),
//      and the 429s the fake sent (must be none: the daemon is the only caller);
//   2. recovery: the stream goes on, the fake answers one call with an injected 429
//      QuotaExceeded; the time from that 429 to the next success, beside the refill period
//      (1 / rate), and the rate of the following calls;
//   3. same-run floor for that recovery: a bare timer of one refill period on the same io_context
//      plus one round trip to the fake (this machine's wake-up latency and loopback time).
// Medians of kRounds rounds. Then the limiter's own cost: QuotaLimiter::reserve() with tokens to
// spare, one bucket, one thread (what every SP-API call pays before it is sent).
// `make bench BENCH=quota`.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "clarity/amazon/sp_api_client.hpp"
#include "clarity/core/log.hpp"
#include "clarity/net/http_client.hpp"
#include "sp_api/fake_sp_api.hpp"

namespace asio = boost::asio;
using namespace clarity;
using Steady = std::chrono::steady_clock;

namespace {

constexpr int kRounds = 5;
constexpr double kSpeedUp = 40;         // getOrder: 0.5/s -> 20/s, refill period 50 ms
constexpr double kStreamSeconds = 3.0;  // burst 30 + 60 refilled tokens per round
constexpr int kCallsBeforeFault = 5;    // steady calls in the recovery phase before the 429
constexpr int kCallsAfterRecovery = 10;

/// Forwards to the real client and notes when each response arrived and its status, so the bench
/// sees the 429 the SpApiClient absorbs. Observation only: nothing is changed on the way.
class RecordingHttp final : public net::HttpClient {
  public:
    explicit RecordingHttp(net::HttpClient& inner) : inner_(inner) {}
    asio::awaitable<Result<net::HttpResponse>> send(net::HttpRequest request) override {
        auto r = co_await inner_.send(std::move(request));
        if (r) {
            std::lock_guard lock(mutex_);
            log_.push_back({Steady::now(), r->status});
        }
        co_return r;
    }
    struct Entry {
        Steady::time_point at;
        int status;
    };
    std::vector<Entry> entries() {
        std::lock_guard lock(mutex_);
        return log_;
    }

  private:
    net::HttpClient& inner_;
    std::mutex mutex_;
    std::vector<Entry> log_;
};

struct RoundResult {
    double utilisation = 0;
    int calls = 0;
    double theoretical = 0;
    int throttled = 0;      // 429s during the utilisation phase
    double recovery_s = 0;  // 429 -> next success
    double rate_after = 0;  // calls/s after the recovery
    double floor_s = 0;     // same run: a bare refill-period timer + one round trip
};

struct Setup {
    asio::io_context io;
    core::MetricsRegistry metrics;
    std::shared_ptr<net::HttpClient> real_http;
    std::unique_ptr<RecordingHttp> http;
    fakes::sp_api::FakeSpApi fake;
    amazon::QuotaLimiter quota;
    DefaultRandom random{7};
    amazon::AmazonOptions options;
    std::optional<amazon::LwaTokenSource> lwa;
    std::optional<amazon::SpApiClient> client;

    static fakes::sp_api::FakeOptions fake_options() {
        fakes::sp_api::FakeOptions fo;
        fo.speed_up = kSpeedUp;
        return fo;
    }

    Setup()
        : real_http(net::make_http_client(io.get_executor(), {}, &metrics)),
          http(std::make_unique<RecordingHttp>(*real_http)),
          fake(SystemClock::instance(), fake_options()),
          quota(SystemClock::instance(), kSpeedUp) {
        fakes::sp_api::SeedOrder o;
        o.order_id = "111-0000000-0000001";
        fakes::sp_api::SeedItem item;
        item.order_item_id = "1";
        item.seller_sku = "SKU-1";
        item.asin = "B000000001";
        item.title = "Mug";
        o.items = {item};
        fake.add_order(o);

        const auto& fo = fake.options();
        options.region = amazon::Region::na;
        options.seller_id = fo.seller_id;
        options.marketplace_ids = {"ATVPDKIKX0DER"};
        options.lwa_client_id = fo.client_id;
        options.lwa_client_secret = Secret(fo.client_secret);
        options.refresh_token = Secret(fo.refresh_token);
        options.endpoint = fake.base_url();
        options.lwa_endpoint = fake.lwa_url();
        options.rate_scale = kSpeedUp;
        options.timeout = std::chrono::seconds(5);
        lwa.emplace(*http, SystemClock::instance(),
                    amazon::LwaOptions{options.lwa_token_url(), options.lwa_client_id,
                                       options.lwa_client_secret, std::chrono::seconds(60),
                                       std::chrono::milliseconds(5000)},
                    &metrics);
        client.emplace(*http, *lwa, quota, SystemClock::instance(), random, metrics, options);
    }
};

double seconds(Steady::duration d) { return std::chrono::duration<double>(d).count(); }

// Calls getOrder until `until`; returns the number of successes. Throws on any error.
asio::awaitable<int> stream(amazon::SpApiClient* client, Steady::time_point until) {
    int ok = 0;
    while (Steady::now() < until) {
        auto r = co_await client->get_order("111-0000000-0000001", {});
        if (!r) throw std::runtime_error("getOrder failed: " + r.error().describe());
        ++ok;
    }
    co_return ok;
}

asio::awaitable<int> stream_n(amazon::SpApiClient* client, int n) {
    for (int i = 0; i < n; ++i) {
        auto r = co_await client->get_order("111-0000000-0000001", {});
        if (!r) throw std::runtime_error("getOrder failed: " + r.error().describe());
    }
    co_return n;
}

// The least any client could take to recover here: wait one refill period on the same
// io_context (timer wake-up latency of this machine included), then one round trip to the fake.
asio::awaitable<double> recovery_floor(net::HttpClient* http, std::string url, double period_s) {
    const auto start = Steady::now();
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(
        std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(period_s)));
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    net::HttpRequest req;
    req.url = std::move(url);
    auto r = co_await http->send(std::move(req));
    if (!r) throw std::runtime_error("floor request failed: " + r.error().describe());
    co_return std::chrono::duration<double>(Steady::now() - start).count();
}

template <class T>
T run(asio::io_context& io, asio::awaitable<T> aw) {
    auto fut = asio::co_spawn(io, std::move(aw), asio::use_future);
    io.restart();
    io.run();
    return fut.get();
}

RoundResult round_once() {
    Setup s;
    const auto& info = amazon::operation_info(amazon::Operation::get_order);
    const double rate = info.rate * kSpeedUp;
    RoundResult out;

    // 1. utilisation
    const auto start = Steady::now();
    const auto until = start + std::chrono::duration_cast<Steady::duration>(
                                   std::chrono::duration<double>(kStreamSeconds));
    out.calls = run(s.io, stream(&*s.client, until));
    const double elapsed = seconds(Steady::now() - start);
    out.theoretical = info.burst + rate * elapsed;
    out.utilisation = out.calls / out.theoretical;
    out.throttled = s.fake.throttled("getOrder");

    // 2. recovery after an injected 429
    run(s.io, stream_n(&*s.client, kCallsBeforeFault));
    fakes::sp_api::Fault f;
    f.kind = fakes::sp_api::Fault::Kind::status;
    f.status = 429;
    s.fake.fail_nth("getOrder", 1, f);
    run(s.io, stream_n(&*s.client, 1 + kCallsAfterRecovery));
    auto log = s.http->entries();
    auto it = std::find_if(log.begin(), log.end(), [](const auto& e) { return e.status == 429; });
    if (it == log.end() || std::distance(it, log.end()) < kCallsAfterRecovery + 1)
        throw std::runtime_error("the injected 429 was not seen");
    const auto t429 = it->at;
    const auto first_ok = std::next(it);
    if (first_ok->status != 200) throw std::runtime_error("no success after the 429");
    out.recovery_s = seconds(first_ok->at - t429);
    const auto last = std::next(first_ok, kCallsAfterRecovery);
    out.rate_after = kCallsAfterRecovery / seconds(last->at - first_ok->at);
    out.floor_s =
        run(s.io, recovery_floor(s.real_http.get(), s.fake.base_url() + "/floor", 1 / rate));
    return out;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

/// QuotaLimiter::reserve() with tokens to spare (a rate so high that each call refills the bucket),
/// one bucket, no contention: median ns per call over kRounds rounds.
double reserve_ns() {
    constexpr int kReserves = 1'000'000;
    std::vector<double> ns;
    for (int round = 0; round < kRounds; ++round) {
        amazon::QuotaLimiter limiter(SystemClock::instance(), 1e12);
        limiter.on_response("S", amazon::Operation::get_order);  // refill counts from here
        std::int64_t waited = 0;
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < kReserves; ++i) {
            waited += limiter.reserve("S", amazon::Operation::get_order).count();
        }
        const auto t1 = std::chrono::steady_clock::now();
        if (waited != 0) std::printf("# reserve waited %lld ns in all\n", (long long)waited);
        ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / kReserves);
    }
    return median(ns);
}

}  // namespace

int main() {
    core::logger("amazon.sp_api")->set_level(spdlog::level::warn);
    const auto& info = amazon::operation_info(amazon::Operation::get_order);
    const double rate = info.rate * kSpeedUp;
    std::vector<double> util, recovery, after, calls, theoretical, floors, floor_ratio;
    int throttled = 0;
    for (int i = 0; i < kRounds; ++i) {
        auto r = round_once();
        util.push_back(r.utilisation);
        recovery.push_back(r.recovery_s);
        after.push_back(r.rate_after);
        calls.push_back(r.calls);
        theoretical.push_back(r.theoretical);
        throttled += r.throttled;
        floors.push_back(r.floor_s);
        floor_ratio.push_back(r.floor_s / r.recovery_s);
        std::printf(
            "# round %d: %d calls of %.1f (%.3f), 429s %d, recovery %.4f s (floor %.4f s), rate "
            "after %.2f/s\n",
            i + 1, r.calls, r.theoretical, r.utilisation, r.throttled, r.recovery_s, r.floor_s,
            r.rate_after);
    }
    std::printf(
        "# getOrder usage plan %.1f/s burst %d, sped up x%.0f: %.0f/s; %d rounds of %.1f s\n",
        info.rate, info.burst, kSpeedUp, rate, kRounds, kStreamSeconds);
    std::printf("quota_calls_per_round: %.0f calls (theoretical max %.1f)\n", median(calls),
                median(theoretical));
    std::printf("quota_utilisation: %.1f %%\n", 100 * median(util));
    std::printf("quota_429s: %d\n", throttled);
    std::printf("quota_recovery_after_429: %.4f s (refill period %.4f s)\n", median(recovery),
                1 / rate);
    std::printf("quota_rate_after_recovery: %.2f calls/s (limit %.2f calls/s)\n", median(after),
                rate);
    std::printf(
        "quota_recovery_floor: %.4f s (one refill-period timer + one round trip, same run)\n",
        median(floors));
    std::printf("quota_reserve_uncontended: %.1f ns\n", reserve_ns());
    std::printf("ratio quota_utilisation: %.3f (target ≥ 0.95)\n", median(util));
    std::printf("ratio quota_recovery_floor_over_recovery: %.3f (target ≥ 0.90)\n",
                median(floor_ratio));
    return median(util) >= 0.95 && throttled == 0 ? 0 : 1;
}
