// Token buckets per key. The fast path (try_acquire, or acquire with a token free) takes a shared
// lock on the key map and the key's own mutex: no allocation, no timer, no suspension.
#include "clarity/net/rate_limiter.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <unordered_map>

namespace clarity::net {

namespace asio = boost::asio;
using Steady = std::chrono::steady_clock;

namespace {

struct Waiter {
    asio::steady_timer* timer;
};

struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

std::int64_t to_ms(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

void validate(const RateLimit& l) {
    if (!(l.rate > 0) || !(l.burst >= 1)) {
        throw std::invalid_argument("rate limit needs rate > 0 and burst >= 1");
    }
}

}  // namespace

struct RateLimiter::Bucket {
    std::mutex mutex;
    std::string key;
    double rate = 1;
    double burst = 1;
    double tokens = 1;
    Steady::time_point last{};
    Steady::time_point paused_until{};
    std::deque<Waiter*> waiters;
    core::Gauge* tokens_gauge = nullptr;
    core::Counter* throttled = nullptr;
    core::Counter* on_429s = nullptr;

    /// Adds the tokens earned since `last`; nothing is earned while paused.
    void refill(Steady::time_point now) {
        if (now <= last) return;
        if (now < paused_until) {
            last = now;
            return;
        }
        auto from = std::max(last, paused_until);
        tokens = std::min(burst, tokens + std::chrono::duration<double>(now - from).count() * rate);
        last = now;
    }
    void publish() {
        if (tokens_gauge) tokens_gauge->set(tokens);
    }
    void wake_all() {
        for (auto* w : waiters) w->timer->cancel();
    }
    void remove(Waiter* w) {
        auto it = std::find(waiters.begin(), waiters.end(), w);
        if (it == waiters.end()) return;
        bool was_front = it == waiters.begin();
        waiters.erase(it);
        if (was_front && !waiters.empty()) waiters.front()->timer->cancel();
    }
};

struct RateLimiter::Map {
    std::shared_mutex mutex;
    std::unordered_map<std::string, std::unique_ptr<Bucket>, KeyHash, std::equal_to<>> buckets;
};

RateLimiter::RateLimiter(Clock& clock, RateLimit default_limit, core::MetricsRegistry* metrics)
    : clock_(clock), default_(default_limit), metrics_(metrics), map_(std::make_unique<Map>()) {
    validate(default_limit);
}

RateLimiter::~RateLimiter() = default;

RateLimiter::Bucket& RateLimiter::bucket(std::string_view key) {
    {
        std::shared_lock lock(map_->mutex);
        auto it = map_->buckets.find(key);
        if (it != map_->buckets.end()) return *it->second;
    }
    std::unique_lock lock(map_->mutex);
    auto it = map_->buckets.find(key);
    if (it != map_->buckets.end()) return *it->second;
    auto b = std::make_unique<Bucket>();
    b->key = std::string(key);
    b->rate = default_.rate;
    b->burst = default_.burst;
    b->tokens = default_.burst;
    b->last = clock_.steady_now();
    if (metrics_) {
        core::Labels labels{{"key", b->key}};
        b->tokens_gauge = &metrics_->gauge("clarity_ratelimit_tokens_available",
                                           "Tokens in the rate-limit bucket", labels);
        b->throttled = &metrics_->counter("clarity_ratelimit_throttled_waits_total",
                                          "Acquires that had to wait for a token", labels);
        b->on_429s = &metrics_->counter("clarity_ratelimit_429_total",
                                        "429 answers that drained the bucket", labels);
        b->publish();
    }
    auto& ref = *b;
    map_->buckets.emplace(b->key, std::move(b));
    return ref;
}

void RateLimiter::configure(std::string_view key, RateLimit limit) {
    validate(limit);
    auto& b = bucket(key);
    std::lock_guard lock(b.mutex);
    b.refill(clock_.steady_now());
    b.rate = limit.rate;
    b.burst = limit.burst;
    b.tokens = std::min(b.tokens, b.burst);
    b.publish();
    b.wake_all();
}

bool RateLimiter::try_acquire(std::string_view key) {
    auto& b = bucket(key);
    const auto now = clock_.steady_now();
    std::lock_guard lock(b.mutex);
    b.refill(now);
    if (now < b.paused_until || !b.waiters.empty() || b.tokens < 1) return false;
    b.tokens -= 1;
    b.publish();
    return true;
}

namespace {

/// Removes the waiter from its queue whatever way the coroutine ends (granted, cancelled,
/// destroyed with its io_context).
struct WaiterGuard {
    RateLimiter::Bucket& bucket;
    Waiter* waiter;
    ~WaiterGuard() {
        std::lock_guard lock(bucket.mutex);
        bucket.remove(waiter);
    }
};

}  // namespace

asio::awaitable<Result<void>> RateLimiter::acquire(
    std::string key, std::optional<std::chrono::milliseconds> max_wait) {
    if (try_acquire(key)) co_return Result<void>();
    auto& b = bucket(key);
    const auto start = clock_.steady_now();
    asio::steady_timer timer(co_await asio::this_coro::executor);
    Waiter w{&timer};
    {
        std::lock_guard lock(b.mutex);
        b.waiters.push_back(&w);
        if (b.throttled) b.throttled->inc();
    }
    WaiterGuard guard{b, &w};
    for (;;) {
        {
            std::lock_guard lock(b.mutex);
            const auto now = clock_.steady_now();
            b.refill(now);
            const auto pos = static_cast<std::size_t>(
                std::find(b.waiters.begin(), b.waiters.end(), &w) - b.waiters.begin());
            const bool paused = now < b.paused_until;
            if (!paused && pos == 0 && b.tokens >= 1) {
                b.tokens -= 1;
                b.publish();
                b.waiters.pop_front();
                if (!b.waiters.empty()) b.waiters.front()->timer->cancel();
                co_return Result<void>();
            }
            if (max_wait && now - start >= *max_wait) {
                co_return make_error(ErrorKind::rate_limited,
                                     "no rate-limit token for '" + b.key + "' within " +
                                         std::to_string(max_wait->count()) + " ms",
                                     b.key);
            }
            // Time until this waiter's token exists: the pause, then (position + 1) tokens.
            const auto base = std::max(now, b.paused_until);
            const double have = paused ? 0.0 : b.tokens;
            const double need = static_cast<double>(pos + 1) - have;
            auto sleep =
                (base - now) + std::chrono::duration_cast<Steady::duration>(
                                   std::chrono::duration<double>(std::max(0.0, need) / b.rate));
            if (max_wait) sleep = std::min(sleep, start + *max_wait - now);
            timer.expires_after(std::max(sleep, Steady::duration(std::chrono::microseconds(50))));
        }
        auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        if (ec == asio::error::operation_aborted) {
            auto state = co_await asio::this_coro::cancellation_state;
            if (state.cancelled() != asio::cancellation_type::none) {
                co_return make_error(ErrorKind::transient,
                                     "cancelled while waiting for a rate-limit token", b.key);
            }
        }
    }
}

void RateLimiter::on_429(std::string_view key, std::optional<std::chrono::seconds> retry_after) {
    auto& b = bucket(key);
    std::lock_guard lock(b.mutex);
    const auto now = clock_.steady_now();
    b.refill(now);
    b.tokens = 0;
    auto pause = retry_after ? std::chrono::duration_cast<Steady::duration>(*retry_after)
                             : std::chrono::duration_cast<Steady::duration>(
                                   std::chrono::duration<double>(std::max(1.0, 1.0 / b.rate)));
    b.paused_until = std::max(b.paused_until, now + pause);
    b.last = now;
    if (b.on_429s) b.on_429s->inc();
    b.publish();
    b.wake_all();
}

double RateLimiter::available(std::string_view key) {
    auto& b = bucket(key);
    std::lock_guard lock(b.mutex);
    b.refill(clock_.steady_now());
    b.publish();
    return b.tokens;
}

std::size_t RateLimiter::waiting(std::string_view key) {
    auto& b = bucket(key);
    std::lock_guard lock(b.mutex);
    return b.waiters.size();
}

void RateLimiter::poke() {
    std::shared_lock map_lock(map_->mutex);
    for (auto& [k, b] : map_->buckets) {
        std::lock_guard lock(b->mutex);
        b->wake_all();
    }
}

std::vector<BucketState> RateLimiter::save() {
    std::vector<BucketState> out;
    std::shared_lock map_lock(map_->mutex);
    const auto now = clock_.steady_now();
    const auto wall = clock_.now();
    for (auto& [k, b] : map_->buckets) {
        std::lock_guard lock(b->mutex);
        b->refill(now);
        BucketState s;
        s.key = b->key;
        s.rate = b->rate;
        s.burst = b->burst;
        s.tokens = b->tokens;
        s.saved_at_ms = to_ms(wall);
        if (b->paused_until > now) {
            s.paused_until_ms =
                to_ms(wall + std::chrono::duration_cast<Clock::duration>(b->paused_until - now));
        }
        out.push_back(std::move(s));
    }
    return out;
}

void RateLimiter::restore(const std::vector<BucketState>& states) {
    const auto now = clock_.steady_now();
    const std::int64_t wall_ms = to_ms(clock_.now());
    for (const auto& s : states) {
        if (!(s.rate > 0) || !(s.burst >= 1)) continue;  // corrupt entry: keep the defaults
        auto& b = bucket(s.key);
        std::lock_guard lock(b.mutex);
        b.rate = s.rate;
        b.burst = s.burst;
        b.last = now;
        if (s.paused_until_ms > wall_ms) {
            b.paused_until = now + std::chrono::milliseconds(s.paused_until_ms - wall_ms);
            b.tokens = std::clamp(s.tokens, 0.0, b.burst);
        } else {
            const std::int64_t from = std::max(s.saved_at_ms, s.paused_until_ms);
            const double elapsed = std::max<std::int64_t>(0, wall_ms - from) / 1000.0;
            b.paused_until = {};
            b.tokens = std::clamp(s.tokens + elapsed * b.rate, 0.0, b.burst);
        }
        b.publish();
        b.wake_all();
    }
}

}  // namespace clarity::net
