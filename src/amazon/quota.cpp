#include "clarity/amazon/quota.hpp"

#include <algorithm>

namespace clarity::amazon {

namespace {
/// Seconds away from the saved time that earn no refill on restore (see restore()).
constexpr double kRestoreMargin = 1.0;
}  // namespace

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
    if (!b.anchored) {
        // Nothing is earned before the operation's first response (on_response): Amazon's
        // bucket starts when our first request reaches it. Crediting the time between two early
        // reservations would put the client ahead of the server by up to that lag.
        b.last = now;
        return;
    }
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
    ++changes_;
    // A full bucket earns nothing until a request takes it below full, on Amazon's side when the
    // request arrives, later than here: from full, refill counts again from the next response
    // (as at a fresh start), not from now.
    if (b.tokens >= b.burst - 1e-9) b.anchored = false;
    b.tokens -= 1;
    if (b.tokens >= -1e-9) return std::chrono::nanoseconds{0};  // a rounding sliver is no wait
    double wait = -b.tokens / b.rate;
    // Before that response, the burst's requests may reach Amazon later than they were reserved
    // (a whole cohort starts at once) while the next ones go out on time: they would arrive a
    // sliver early. One interval more for the waiters reserved meanwhile.
    if (!b.anchored) wait += 1.0 / b.rate;
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double>(wait));
}

void QuotaLimiter::give_back(const std::string& seller, Operation op) {
    std::lock_guard lock(mutex_);
    auto& b = bucket(seller, op);
    refill(b);
    ++changes_;
    b.tokens = std::min(b.burst, b.tokens + 1);
}

void QuotaLimiter::set_rate(const std::string& seller, Operation op, double rate) {
    if (!(rate > 0)) return;
    std::lock_guard lock(mutex_);
    auto& b = bucket(seller, op);
    refill(b);
    if (b.rate != rate) ++changes_;
    b.rate = rate;
}

void QuotaLimiter::drain(const std::string& seller, Operation op) {
    std::lock_guard lock(mutex_);
    auto& b = bucket(seller, op);
    refill(b);
    ++changes_;
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

std::vector<QuotaBucketLevel> QuotaLimiter::levels() {
    std::lock_guard lock(mutex_);
    std::vector<QuotaBucketLevel> out;
    const auto at = clock_->now();
    for (auto& [key, b] : buckets_) {
        refill(b);
        out.push_back(
            QuotaBucketLevel{key.first, region_, key.second, b.tokens, b.rate / scale_, at});
    }
    return out;
}

void QuotaLimiter::restore(const std::vector<QuotaBucketLevel>& levels) {
    std::lock_guard lock(mutex_);
    const auto now = clock_->now();
    for (const auto& l : levels) {
        if (l.region != region_) continue;
        auto& b = bucket(l.seller, l.op);
        if (l.rate > 0) b.rate = l.rate * scale_;
        // Wall-clock time, so a clock set back counts as no time passed (never as a refill). The
        // first second away earns nothing: the saved time is rounded to the millisecond, and a
        // client level equal to Amazon's plus a sliver meets a 429 on its last token.
        const double away =
            std::max(0.0, std::chrono::duration<double>(now - l.at).count() - kRestoreMargin);
        // Negative tokens were reserved by calls that waited and died with the process: Amazon's
        // bucket was empty then, not in debt. One token less than saved: the saved level may be
        // Amazon's plus a sliver (clocks, rounding), and a restart meets the bucket with every
        // job of a backlog at once (a cohort), so the sliver would be spent at once.
        b.tokens = std::min(b.burst, std::max(0.0, l.tokens - 1.0) + away * b.rate);
        b.last = clock_->steady_now();
        // As at a fresh start, refill counts from the operation's first response (on_response):
        // the client then trails Amazon's bucket by one round trip instead of matching it.
        b.anchored = false;
        ++changes_;
    }
}

std::uint64_t QuotaLimiter::changes() {
    std::lock_guard lock(mutex_);
    return changes_;
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
