#pragma once
/// \file
/// A circuit breaker per key (closed -> open after N consecutive failures -> half-open probe ->
/// closed on success), as Amazon's SDKs do. The clock is injected: tests never sleep.

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
