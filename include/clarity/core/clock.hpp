#pragma once
/// \file
/// Injected time. Code that schedules, expires or backs off takes a `Clock&`, so tests advance
/// time instead of sleeping.

#include <chrono>
#include <mutex>

namespace clarity {

class Clock {
public:
    using time_point = std::chrono::system_clock::time_point;
    using duration = std::chrono::system_clock::duration;
    virtual ~Clock() = default;
    /// Wall-clock now (UTC). Thread-safe.
    virtual time_point now() const = 0;
    /// Monotonic now, for measuring intervals. Thread-safe.
    virtual std::chrono::steady_clock::time_point steady_now() const = 0;
};

/// The real clocks.
class SystemClock final : public Clock {
public:
    time_point now() const override { return std::chrono::system_clock::now(); }
    std::chrono::steady_clock::time_point steady_now() const override {
        return std::chrono::steady_clock::now();
    }
    /// A process-wide instance.
    static SystemClock& instance();
};

/// A clock that moves only when told to. Wall and steady time advance together. Thread-safe.
class ManualClock final : public Clock {
public:
    explicit ManualClock(time_point start = time_point{std::chrono::seconds{1'800'000'000}})
        : wall_(start) {}
    time_point now() const override {
        std::lock_guard lock(mutex_);
        return wall_;
    }
    std::chrono::steady_clock::time_point steady_now() const override {
        std::lock_guard lock(mutex_);
        return steady_;
    }
    void advance(std::chrono::nanoseconds d) {
        std::lock_guard lock(mutex_);
        wall_ += std::chrono::duration_cast<duration>(d);
        steady_ += d;
    }
    void set(time_point t) {
        std::lock_guard lock(mutex_);
        steady_ += std::chrono::duration_cast<std::chrono::nanoseconds>(t - wall_);
        wall_ = t;
    }

private:
    mutable std::mutex mutex_;
    time_point wall_;
    std::chrono::steady_clock::time_point steady_{std::chrono::seconds{1'000'000}};
};

}  // namespace clarity
