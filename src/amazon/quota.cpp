#include "clarity/amazon/quota.hpp"

#include <algorithm>

namespace clarity::amazon {

QuotaLimiter::Bucket& QuotaLimiter::bucket(const std::string& seller, Operation op) {
    auto [it, inserted] = buckets_.try_emplace({seller, op});
    if (inserted) {
        const auto& info = operation_info(op);
        it->second.rate = info.rate * scale_;
        it->second.burst = info.burst;
        it->second.tokens = info.burst;
        it->second.last = clock_->steady_now();
    }
    return it->second;
}

void QuotaLimiter::refill(Bucket& b) {
    auto now = clock_->steady_now();
    double elapsed = std::chrono::duration<double>(now - b.last).count();
    if (elapsed > 0) {
        b.tokens = std::min(b.burst, b.tokens + elapsed * b.rate);
        b.last = now;
    }
}

std::chrono::nanoseconds QuotaLimiter::reserve(const std::string& seller, Operation op) {
    std::lock_guard lock(mutex_);
    auto& b = bucket(seller, op);
    refill(b);
    b.tokens -= 1;
    if (b.tokens >= 0) return std::chrono::nanoseconds{0};
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double>(-b.tokens / b.rate));
}

void QuotaLimiter::set_rate(const std::string& seller, Operation op, double rate) {
    if (!(rate > 0)) return;
    std::lock_guard lock(mutex_);
    auto& b = bucket(seller, op);
    refill(b);
    b.rate = rate;
}

void QuotaLimiter::drain(const std::string& seller, Operation op) {
    std::lock_guard lock(mutex_);
    auto& b = bucket(seller, op);
    refill(b);
    b.tokens = std::min(b.tokens, 0.0);
    b.anchored = true;
}

void QuotaLimiter::on_response(const std::string& seller, Operation op) {
    std::lock_guard lock(mutex_);
    auto& b = bucket(seller, op);
    if (b.anchored) return;
    b.anchored = true;
    b.last = std::max(b.last, clock_->steady_now());  // no refill credit for the time before
}

double QuotaLimiter::rate(const std::string& seller, Operation op) {
    std::lock_guard lock(mutex_);
    return bucket(seller, op).rate;
}

double QuotaLimiter::tokens(const std::string& seller, Operation op) {
    std::lock_guard lock(mutex_);
    auto& b = bucket(seller, op);
    refill(b);
    return b.tokens;
}

}  // namespace clarity::amazon
