#pragma once
/// \file
/// One circuit breaker per (connection, service): closed → open after `failure_threshold`
/// consecutive failed calls → after `open_for`, half-open: exactly one probe call goes through →
/// its success closes the circuit, its failure opens it again. While the circuit is open nothing
/// is sent and callers get `ErrorKind::unavailable` with `retry_after` = the time left open, so a
/// job waits instead of using up its attempts against a service that is down.
/// `make_guarded_client` puts a breaker in front of an `HttpClient`. The clock is injected.

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "clarity/core/clock.hpp"
#include "clarity/core/config.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/core/result.hpp"
#include "clarity/net/http.hpp"

namespace clarity::net {

struct CircuitBreakerOptions {
    int failure_threshold = 5;                   ///< consecutive failed calls that open it
    std::chrono::milliseconds open_for{30'000};  ///< then one probe call is let through
};

/// The keys of the `circuit_breaker:` config section (failure_threshold, open_for).
core::ConfigSpec circuit_breaker_config_spec();
/// Reads a node validated against circuit_breaker_config_spec(); throws core::ConfigError for a
/// threshold below 1 or an open_for of 0.
CircuitBreakerOptions circuit_breaker_options_from_config(const core::ConfigNode& node);

/// The value of `clarity_circuit_breaker_state`.
enum class BreakerState { closed = 0, half_open = 1, open = 2 };
std::string_view to_string(BreakerState state) noexcept;

/// Thread-safe. Metrics (when `metrics` is given; it must outlive the breaker):
/// `clarity_circuit_breaker_state{connection,service}` (0 closed, 1 half-open, 2 open) and
/// `clarity_circuit_breaker_opened_total{connection,service}` (closed → open transitions).
class CircuitBreaker {
  public:
    /// What one call says about the service.
    enum class Outcome {
        success,  ///< the service answered (any status below 500, 4xx and 429 included)
        failure,  ///< transient transport failure, 5xx, or the call was cancelled
        neutral,  ///< says nothing about the service (e.g. a TLS configuration error)
    };

    /// Leave to send one call. Settle it with the call's outcome; a permit destroyed unsettled
    /// (the call was cancelled or threw) counts as a failure, so a probe is never lost.
    class Permit {
      public:
        Permit(Permit&& other) noexcept;
        Permit& operator=(Permit&& other) noexcept;
        Permit(const Permit&) = delete;
        Permit& operator=(const Permit&) = delete;
        ~Permit();
        /// Records the outcome (once; later calls do nothing). `what` describes a failure for
        /// the log line that says why the circuit opened (no secrets).
        void settle(Outcome outcome, std::string_view what = {});
        /// True for the half-open probe: its outcome decides the circuit.
        bool is_probe() const noexcept { return probe_; }

      private:
        friend class CircuitBreaker;
        Permit(CircuitBreaker* breaker, std::uint64_t generation, bool probe) noexcept
            : breaker_(breaker), generation_(generation), probe_(probe) {}
        CircuitBreaker* breaker_ = nullptr;
        std::uint64_t generation_ = 0;
        bool probe_ = false;
    };

    /// `connection` and `service` ("amazon", "odoo", "sqs") name it in errors, logs and metrics.
    CircuitBreaker(const Clock& clock,
                   CircuitBreakerOptions options,
                   std::string connection,
                   std::string service,
                   core::MetricsRegistry* metrics = nullptr);
    CircuitBreaker(const CircuitBreaker&) = delete;
    CircuitBreaker& operator=(const CircuitBreaker&) = delete;

    /// Closed: a permit. Open: the `unavailable` error until open_for has passed; then the
    /// circuit is half-open and this caller's permit is the probe. Half-open with the probe out:
    /// the `unavailable` error (retry_after 1 s).
    Result<Permit> admit();

    BreakerState state() const;
    /// One line for /readyz: "closed", "open (next probe in 12 s; 5 calls in a row failed, the
    /// last: ...)", "half-open (one probe call in flight)".
    std::string describe() const;
    /// "odoo[us]": service[connection].
    const std::string& name() const noexcept { return name_; }
    const CircuitBreakerOptions& options() const noexcept { return options_; }

  private:
    void settle(const Permit& permit, Outcome outcome, std::string_view what);
    void open_locked(std::string_view why);
    void set_state_locked(BreakerState state);
    Error refusal_locked() const;

    const Clock& clock_;
    const CircuitBreakerOptions options_;
    const std::string connection_, service_, name_;
    core::Gauge* state_gauge_ = nullptr;
    core::Counter* opened_total_ = nullptr;

    mutable std::mutex mutex_;
    BreakerState state_ = BreakerState::closed;
    int failures_ = 0;              ///< consecutive failed calls while closed
    std::uint64_t generation_ = 0;  ///< +1 each time the circuit opens: stale permits ignored
    bool probe_out_ = false;        ///< half-open: the probe call is in flight
    std::chrono::steady_clock::time_point opened_at_{};
    std::string opened_because_;  ///< why it last opened (for errors and /readyz)
};

/// An HttpClient that sends through `inner` only when `breaker` admits the call. Transient
/// transport failures and 5xx answers are failures; every other answer (429 and 4xx included) is
/// a success; other transport errors are neutral. A failure of a request marked
/// `retried_by_caller` counts only when it was the probe (the caller's last try counts).
/// While the circuit is open, `send` answers at once with `ErrorKind::unavailable`.
/// `breaker` must outlive the client.
std::shared_ptr<HttpClient> make_guarded_client(std::shared_ptr<HttpClient> inner,
                                                CircuitBreaker& breaker);

}  // namespace clarity::net
