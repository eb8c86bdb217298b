#include "clarity/net/backoff.hpp"

#include <algorithm>
#include <map>
#include <mutex>

namespace clarity::net {

std::string_view to_string(BreakerState state) noexcept {
    switch (state) {
        case BreakerState::closed:
            return "closed";
        case BreakerState::half_open:
            return "half_open";
        case BreakerState::open:
            return "open";
    }
    return "?";
}

namespace {
struct Breaker {
    BreakerState state = BreakerState::closed;
    int failures = 0;
    std::chrono::steady_clock::time_point opened_at{};
    bool probe_out = false;
    core::Gauge* gauge = nullptr;
};
}  // namespace

struct CircuitBreakers::Impl {
    Clock& clock;
    CircuitBreakerOptions options;
    core::MetricsRegistry* metrics;
    std::mutex mutex;
    std::map<std::string, Breaker, std::less<>> breakers;

    Breaker& get(std::string_view key) {
        auto it = breakers.find(key);
        if (it == breakers.end()) {
            it = breakers.emplace(std::string(key), Breaker{}).first;
            if (metrics) {
                it->second.gauge = &metrics->gauge(
                    "clarity_circuit_breaker_state",
                    "Circuit breaker state: 0 closed, 1 half-open, 2 open", {{"key", it->first}});
            }
        }
        return it->second;
    }
    void set(Breaker& b, BreakerState s) {
        b.state = s;
        if (b.gauge) b.gauge->set(static_cast<double>(s));
    }
};

CircuitBreakers::CircuitBreakers(Clock& clock,
                                 CircuitBreakerOptions options,
                                 core::MetricsRegistry* metrics)
    : impl_(new Impl{clock, options, metrics, {}, {}}) {}

CircuitBreakers::~CircuitBreakers() = default;

bool CircuitBreakers::allow(std::string_view key) {
    std::lock_guard lock(impl_->mutex);
    auto& b = impl_->get(key);
    switch (b.state) {
        case BreakerState::closed:
            return true;
        case BreakerState::open:
            if (impl_->clock.steady_now() - b.opened_at < impl_->options.open_for) return false;
            impl_->set(b, BreakerState::half_open);
            b.probe_out = true;
            return true;
        case BreakerState::half_open:
            if (b.probe_out) return false;
            b.probe_out = true;
            return true;
    }
    return false;
}

void CircuitBreakers::on_success(std::string_view key) {
    std::lock_guard lock(impl_->mutex);
    auto& b = impl_->get(key);
    b.failures = 0;
    b.probe_out = false;
    impl_->set(b, BreakerState::closed);
}

void CircuitBreakers::on_failure(std::string_view key) {
    std::lock_guard lock(impl_->mutex);
    auto& b = impl_->get(key);
    ++b.failures;
    if (b.state == BreakerState::half_open ||
        (b.state == BreakerState::closed && b.failures >= impl_->options.failure_threshold)) {
        b.opened_at = impl_->clock.steady_now();
        b.probe_out = false;
        impl_->set(b, BreakerState::open);
    }
}

BreakerState CircuitBreakers::state(std::string_view key) {
    std::lock_guard lock(impl_->mutex);
    return impl_->get(key).state;
}

Error CircuitBreakers::open_error(std::string_view key) {
    std::lock_guard lock(impl_->mutex);
    auto& b = impl_->get(key);
    auto left = impl_->options.open_for - (impl_->clock.steady_now() - b.opened_at);
    auto secs = std::chrono::ceil<std::chrono::seconds>(
        std::max(left, std::chrono::steady_clock::duration::zero()));
    Error e = make_error(ErrorKind::transient,
                         "circuit open after " + std::to_string(b.failures) +
                             " consecutive failures; not calling the endpoint for now",
                         std::string(key));
    e.retry_after = secs;
    return e;
}

}  // namespace clarity::net
