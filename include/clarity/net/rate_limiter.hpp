#pragma once
/// \file
/// Token-bucket rate limiter keyed by a string (e.g. "seller-1/searchOrders"). Each key has a rate
/// (tokens per second) and a burst (bucket size). `acquire` suspends the calling coroutine (no
/// thread blocked, no busy wait) until a token is free; waiters of a key are served in arrival
/// order. A 429 empties the bucket and pauses the key. The state can be saved and restored so a
/// restart loop cannot burst past the server's quota.
///
/// Time comes from an injected `Clock`. Waiters sleep on Asio timers sized from that clock; when a
/// test advances a ManualClock it calls `poke()` so waiters re-check at once.
/// Thread-safe: all members may be called from any thread.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/core/clock.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/core/result.hpp"

namespace clarity::net {

struct RateLimit {
    double rate = 1.0;   ///< tokens per second (> 0)
    double burst = 1.0;  ///< bucket size (>= 1)
};

/// The saved state of one key. Times are wall-clock (system_clock) milliseconds since the epoch, so
/// the state is meaningful after a restart.
struct BucketState {
    std::string key;
    double rate = 0;
    double burst = 0;
    double tokens = 0;
    std::int64_t saved_at_ms = 0;
    std::int64_t paused_until_ms = 0;  ///< 0 = not paused
};

class RateLimiter {
  public:
    /// `default_limit` applies to keys that were never configured. `metrics` may be null; when
    /// given it must outlive the limiter.
    RateLimiter(Clock& clock, RateLimit default_limit, core::MetricsRegistry* metrics = nullptr);
    ~RateLimiter();
    RateLimiter(const RateLimiter&) = delete;
    RateLimiter& operator=(const RateLimiter&) = delete;

    /// Sets (or changes, while running) the rate and burst of `key`. Tokens already earned are
    /// kept, capped at the new burst. Throws std::invalid_argument for rate <= 0 or burst < 1.
    void configure(std::string_view key, RateLimit limit);

    /// Takes a token now if one is free and nobody is waiting for `key`. The fast path.
    bool try_acquire(std::string_view key);

    /// Waits for a token of `key`. Errors: `rate_limited` when `max_wait` (on the injected clock)
    /// would be exceeded; `transient` when the coroutine was cancelled while waiting.
    boost::asio::awaitable<Result<void>> acquire(
        std::string key, std::optional<std::chrono::milliseconds> max_wait = std::nullopt);

    /// The server answered 429: empty the bucket and pause the key for `retry_after` (default:
    /// the time of one token, at least one second).
    void on_429(std::string_view key, std::optional<std::chrono::seconds> retry_after = {});

    /// Tokens available now (fractional), for metrics and tests.
    double available(std::string_view key);
    /// Waiters currently queued on `key`.
    std::size_t waiting(std::string_view key);

    /// Re-evaluates every waiter now (after a ManualClock moved, or a configuration change).
    void poke();

    /// Every key's state, for persisting at shutdown or periodically.
    std::vector<BucketState> save();
    /// Restores saved state: tokens refilled for the wall time elapsed since saving, capped at
    /// burst; a pause still in force is kept. Keys not listed are untouched.
    void restore(const std::vector<BucketState>& states);

    struct Bucket;

  private:
    Bucket& bucket(std::string_view key);
    Clock& clock_;
    RateLimit default_;
    core::MetricsRegistry* metrics_;
    struct Map;
    std::unique_ptr<Map> map_;
};

}  // namespace clarity::net
