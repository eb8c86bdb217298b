#include "clarity/net/backoff.hpp"

#include <algorithm>
#include <map>
#include <mutex>

namespace clarity::net {

using std::chrono::milliseconds;

core::ConfigSpec backoff_config_spec() {
    using core::ConfigType;
    core::ConfigSpec spec;
    spec.add({.name = "base",
              .type = ConfigType::duration,
              .description = "Smallest retry delay and growth unit.",
              .default_value = "500ms"});
    spec.add({.name = "cap",
              .type = ConfigType::duration,
              .description = "Largest jittered retry delay.",
              .default_value = "60s"});
    spec.add({.name = "max_attempts",
              .type = ConfigType::integer,
              .description = "Tries in total, the first included.",
              .default_value = "8"});
    spec.add({.name = "max_elapsed",
              .type = ConfigType::duration,
              .description = "No retry starts later than this after the first try.",
              .default_value = "10m"});
    return spec;
}

BackoffOptions backoff_options_from_config(const core::ConfigNode& node) {
    BackoffOptions o;
    if (node.has("base")) o.base = node.get_duration("base");
    if (node.has("cap")) o.cap = node.get_duration("cap");
    if (node.has("max_attempts")) o.max_attempts = static_cast<int>(node.get_int("max_attempts"));
    if (node.has("max_elapsed")) o.max_elapsed = node.get_duration("max_elapsed");
    if (o.base.count() <= 0 || o.cap < o.base || o.max_attempts < 1) {
        throw core::ConfigError(node.path() +
                                ": backoff needs base > 0, cap >= base and max_attempts >= 1");
    }
    return o;
}

BackoffPolicy::BackoffPolicy(BackoffOptions options, Random& random)
    : options_(options), random_(random) {}

std::optional<milliseconds> BackoffPolicy::next_delay(
    int attempt, milliseconds elapsed, std::optional<std::chrono::seconds> retry_after) const {
    if (attempt < 1 || attempt >= options_.max_attempts) return std::nullopt;
    const auto base = static_cast<std::uint64_t>(options_.base.count());
    const auto cap = static_cast<std::uint64_t>(options_.cap.count());
    const int shift = std::min(attempt - 1, 40);
    std::uint64_t ceiling = base;
    for (int i = 0; i < shift && ceiling < cap; ++i) ceiling *= 2;
    ceiling = std::min(ceiling, cap);
    milliseconds delay(static_cast<milliseconds::rep>(random_.uniform(base, ceiling)));
    if (retry_after)
        delay = std::max(delay, std::chrono::duration_cast<milliseconds>(*retry_after));
    if (elapsed + delay > options_.max_elapsed) return std::nullopt;
    return delay;
}

Backoff::Backoff(const BackoffPolicy& policy, Clock& clock)
    : policy_(policy), clock_(clock), start_(clock.steady_now()) {}

std::optional<milliseconds> Backoff::next(std::optional<std::chrono::seconds> retry_after) {
    ++attempts_;
    auto elapsed = std::chrono::duration_cast<milliseconds>(clock_.steady_now() - start_);
    return policy_.next_delay(attempts_, elapsed, retry_after);
}

void Backoff::reset() {
    attempts_ = 0;
    start_ = clock_.steady_now();
}

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
