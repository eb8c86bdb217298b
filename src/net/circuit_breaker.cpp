#include "clarity/net/circuit_breaker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "clarity/core/log.hpp"

namespace clarity::net {

using namespace std::chrono_literals;

namespace {
CircuitBreakerOptions checked(CircuitBreakerOptions o) {
    o.failure_threshold = std::max(1, o.failure_threshold);
    return o;
}
}  // namespace

core::ConfigSpec circuit_breaker_config_spec() {
    using core::ConfigType;
    core::ConfigSpec spec;
    spec.add({.name = "failure_threshold",
              .type = ConfigType::integer,
              .description = "Consecutive failed calls (transient network errors, 5xx; each "
                             "counted after the call's own retries) to one service of one "
                             "connection that open its circuit.",
              .default_value = "5"});
    spec.add({.name = "open_for",
              .type = ConfigType::duration,
              .description = "How long an open circuit refuses calls (jobs wait meanwhile, "
                             "without using up attempts) before one probe call is let through.",
              .default_value = "30s"});
    return spec;
}

CircuitBreakerOptions circuit_breaker_options_from_config(const core::ConfigNode& node) {
    CircuitBreakerOptions o;
    const auto threshold = node.get_int("failure_threshold");
    if (threshold < 1 || threshold > 1000) node.fail("failure_threshold", "must be 1 to 1000");
    o.failure_threshold = static_cast<int>(threshold);
    o.open_for = node.get_duration("open_for");
    if (o.open_for < 1s || o.open_for > 1h) node.fail("open_for", "must be 1s to 1h");
    return o;
}

std::string_view to_string(BreakerState state) noexcept {
    switch (state) {
        case BreakerState::closed:
            return "closed";
        case BreakerState::half_open:
            return "half-open";
        case BreakerState::open:
            return "open";
    }
    return "?";
}

// ---- Permit ----------------------------------------------------------------------------------

CircuitBreaker::Permit::Permit(Permit&& other) noexcept
    : breaker_(std::exchange(other.breaker_, nullptr)),
      generation_(other.generation_),
      probe_(other.probe_) {}

CircuitBreaker::Permit& CircuitBreaker::Permit::operator=(Permit&& other) noexcept {
    if (this != &other) {
        if (breaker_ != nullptr) settle(Outcome::failure, "the call was abandoned");
        breaker_ = std::exchange(other.breaker_, nullptr);
        generation_ = other.generation_;
        probe_ = other.probe_;
    }
    return *this;
}

CircuitBreaker::Permit::~Permit() {
    if (breaker_ != nullptr) settle(Outcome::failure, "the call was cancelled");
}

void CircuitBreaker::Permit::settle(Outcome outcome, std::string_view what) {
    if (breaker_ == nullptr) return;
    auto* breaker = std::exchange(breaker_, nullptr);
    try {
        breaker->settle(*this, outcome, what);
    } catch (const std::exception&) {
        // Logging failed (out of memory); the state change itself cannot throw.
    }
}

// ---- CircuitBreaker --------------------------------------------------------------------------

CircuitBreaker::CircuitBreaker(const Clock& clock,
                               CircuitBreakerOptions options,
                               std::string connection,
                               std::string service,
                               core::MetricsRegistry* metrics)
    : clock_(clock),
      options_(checked(options)),
      connection_(std::move(connection)),
      service_(std::move(service)),
      name_(service_ + "[" + connection_ + "]") {
    if (metrics != nullptr) {
        const core::Labels labels{{"connection", connection_}, {"service", service_}};
        state_gauge_ =
            &metrics->gauge("clarity_circuit_breaker_state",
                            "Circuit breaker state: 0 closed, 1 half-open, 2 open", labels);
        opened_total_ = &metrics->counter("clarity_circuit_breaker_opened_total",
                                          "Times the circuit opened (closed -> open)", labels);
        state_gauge_->set(0);
    }
}

Result<CircuitBreaker::Permit> CircuitBreaker::admit() {
    std::lock_guard lock(mutex_);
    switch (state_) {
        case BreakerState::closed:
            return Permit(this, generation_, false);
        case BreakerState::open:
            if (clock_.steady_now() - opened_at_ < options_.open_for) return refusal_locked();
            set_state_locked(BreakerState::half_open);
            core::logger("net.circuit")
                ->info("circuit {} half-open: sending one probe call", name_);
            probe_out_ = true;
            return Permit(this, generation_, true);
        case BreakerState::half_open:
            if (probe_out_) return refusal_locked();
            probe_out_ = true;
            return Permit(this, generation_, true);
    }
    return refusal_locked();
}

void CircuitBreaker::settle(const Permit& permit, Outcome outcome, std::string_view what) {
    std::lock_guard lock(mutex_);
    if (permit.generation_ != generation_) return;  // admitted before the circuit last opened
    if (permit.probe_) {
        if (state_ != BreakerState::half_open) return;
        probe_out_ = false;
        if (outcome == Outcome::success) {
            failures_ = 0;
            set_state_locked(BreakerState::closed);
            core::logger("net.circuit")
                ->info("circuit {} closed: the probe call succeeded; calls go through again",
                       name_);
        } else if (outcome == Outcome::failure) {
            open_locked(what);
        }
        // neutral: still half-open; the next call is the probe.
        return;
    }
    if (state_ != BreakerState::closed) return;
    if (outcome == Outcome::success) {
        failures_ = 0;
    } else if (outcome == Outcome::failure) {
        if (++failures_ >= options_.failure_threshold) {
            if (opened_total_ != nullptr) opened_total_->inc();
            open_locked(what);
        }
    }
}

void CircuitBreaker::open_locked(std::string_view why) {
    const std::string last = why.empty() ? std::string("no detail") : std::string(why);
    opened_because_ = state_ == BreakerState::half_open
                          ? "the probe call failed: " + last
                          : std::to_string(failures_) + " calls in a row failed, the last: " + last;
    opened_at_ = clock_.steady_now();
    ++generation_;
    probe_out_ = false;
    set_state_locked(BreakerState::open);
    core::logger("net.circuit")
        ->warn("circuit {} open: {}; no call is sent for {} s (jobs wait), then one probe call",
               name_, opened_because_,
               std::chrono::duration_cast<std::chrono::seconds>(options_.open_for).count());
}

void CircuitBreaker::set_state_locked(BreakerState state) {
    state_ = state;
    if (state_gauge_ != nullptr) state_gauge_->set(static_cast<double>(state));
}

Error CircuitBreaker::refusal_locked() const {
    std::chrono::seconds retry_after = 1s;
    std::string when = "a probe call is in flight";
    if (state_ == BreakerState::open) {
        const auto left = options_.open_for - (clock_.steady_now() - opened_at_);
        retry_after = std::max(1s, std::chrono::ceil<std::chrono::seconds>(left));
        when = "next probe in " + std::to_string(retry_after.count()) + " s";
    }
    Error e = make_error(ErrorKind::unavailable,
                         "circuit open: " + service_ + " of connection " + connection_ +
                             " is not called for now (" + opened_because_ + "); " + when,
                         name_);
    e.retry_after = retry_after;
    return e;
}

BreakerState CircuitBreaker::state() const {
    std::lock_guard lock(mutex_);
    return state_;
}

std::string CircuitBreaker::describe() const {
    std::lock_guard lock(mutex_);
    switch (state_) {
        case BreakerState::closed:
            return "closed";
        case BreakerState::half_open:
            return probe_out_ ? "half-open (one probe call in flight)"
                              : "half-open (the next call is the probe)";
        case BreakerState::open: {
            const auto left = options_.open_for - (clock_.steady_now() - opened_at_);
            const auto secs = std::max(0s, std::chrono::ceil<std::chrono::seconds>(left));
            return "open (next probe in " + std::to_string(secs.count()) + " s; " +
                   opened_because_ + ")";
        }
    }
    return "?";
}

// ---- the guarded client ----------------------------------------------------------------------

namespace {

class GuardedClient final : public HttpClient {
  public:
    GuardedClient(std::shared_ptr<HttpClient> inner, CircuitBreaker& breaker)
        : inner_(std::move(inner)), breaker_(breaker) {}

    boost::asio::awaitable<Result<HttpResponse>> send(HttpRequest request) override {
        auto permit = breaker_.admit();
        if (!permit) co_return permit.error();
        const bool retried_by_caller = request.retried_by_caller;
        auto response = co_await inner_->send(std::move(request));
        auto outcome = CircuitBreaker::Outcome::success;
        std::string what;
        if (!response) {
            const auto kind = response.error().kind;
            outcome = kind == ErrorKind::transient ? CircuitBreaker::Outcome::failure
                                                   : CircuitBreaker::Outcome::neutral;
            what = response.error().describe();
        } else if (response->status >= 500) {
            outcome = CircuitBreaker::Outcome::failure;
            what = "HTTP " + std::to_string(response->status);
        }
        // The caller tries again itself: its last try decides, unless this is the probe.
        if (outcome == CircuitBreaker::Outcome::failure && retried_by_caller &&
            !permit->is_probe()) {
            outcome = CircuitBreaker::Outcome::neutral;
        }
        permit->settle(outcome, what);
        co_return response;
    }

  private:
    std::shared_ptr<HttpClient> inner_;
    CircuitBreaker& breaker_;
};

}  // namespace

std::shared_ptr<HttpClient> make_guarded_client(std::shared_ptr<HttpClient> inner,
                                                CircuitBreaker& breaker) {
    return std::make_shared<GuardedClient>(std::move(inner), breaker);
}

}  // namespace clarity::net
