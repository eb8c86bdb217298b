#pragma once
/// \file
/// Retry timing: exponential backoff with full jitter (fluent-bit's backoff_full_jitter, AWS
/// "Exponential Backoff And Jitter"), honouring a larger Retry-After; and a circuit breaker per
/// key (closed -> open after N consecutive failures -> half-open probe -> closed on success), as
/// Amazon's SDKs do. Clock and randomness are injected: tests never sleep.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "clarity/core/clock.hpp"
#include "clarity/core/config.hpp"
#include "clarity/core/error.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/core/random.hpp"

namespace clarity::net {

struct BackoffOptions {
    std::chrono::milliseconds base{500};                 ///< smallest delay, and the growth unit
    std::chrono::milliseconds cap{60'000};               ///< largest jittered delay
    int max_attempts = 8;                                ///< tries in total, the first included
    std::chrono::milliseconds max_elapsed{10 * 60'000};  ///< give up when a retry would start later
};

/// Keys: base, cap, max_attempts, max_elapsed.
core::ConfigSpec backoff_config_spec();
BackoffOptions backoff_options_from_config(const core::ConfigNode& node);

/// Pure policy. Thread-safe if `random` is.
class BackoffPolicy {
  public:
    BackoffPolicy(BackoffOptions options, Random& random);
    /// The delay before try number `attempt + 1`, after `attempt` tries (>= 1) failed, `elapsed`
    /// after the first began: uniform in [base, min(cap, base * 2^(attempt-1))], raised to
    /// `retry_after` when that is larger. nullopt = give up (attempts or elapsed exhausted).
    std::optional<std::chrono::milliseconds> next_delay(
        int attempt,
        std::chrono::milliseconds elapsed,
        std::optional<std::chrono::seconds> retry_after = std::nullopt) const;
    const BackoffOptions& options() const noexcept { return options_; }

  private:
    BackoffOptions options_;
    Random& random_;
};

/// One retry sequence: counts attempts and measures elapsed time on the injected clock.
/// Not thread-safe (one per operation).
class Backoff {
  public:
    Backoff(const BackoffPolicy& policy, Clock& clock);
    /// Call after a failed try. The delay before the next one, or nullopt to give up.
    std::optional<std::chrono::milliseconds> next(
        std::optional<std::chrono::seconds> retry_after = std::nullopt);
    int attempts() const noexcept { return attempts_; }
    void reset();

  private:
    const BackoffPolicy& policy_;
    Clock& clock_;
    std::chrono::steady_clock::time_point start_;
    int attempts_ = 0;
};

struct CircuitBreakerOptions {
    int failure_threshold = 5;                   ///< consecutive failures that open the circuit
    std::chrono::milliseconds open_for{30'000};  ///< then one probe is let through
};

enum class BreakerState { closed = 0, half_open = 1, open = 2 };
std::string_view to_string(BreakerState state) noexcept;

/// Circuit breakers keyed by a string (endpoint, host). Thread-safe.
class CircuitBreakers {
  public:
    CircuitBreakers(Clock& clock,
                    CircuitBreakerOptions options,
                    core::MetricsRegistry* metrics = nullptr);
    ~CircuitBreakers();
    CircuitBreakers(const CircuitBreakers&) = delete;
    CircuitBreakers& operator=(const CircuitBreakers&) = delete;

    /// May a call go ahead? Closed: yes. Open: no, until open_for passed; then the circuit is
    /// half-open and exactly one caller (the probe) gets yes until it reports.
    bool allow(std::string_view key);
    /// The call succeeded: the circuit closes, the failure count resets.
    void on_success(std::string_view key);
    /// The call failed (count only failures that say the endpoint is broken: transient ones).
    void on_failure(std::string_view key);
    BreakerState state(std::string_view key);
    /// The error to return when allow() said no: transient, with retry_after = time left open.
    Error open_error(std::string_view key);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace clarity::net
