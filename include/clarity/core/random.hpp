#pragma once
/// \file
/// Injected randomness (backoff jitter). Tests use a seeded or scripted source.

#include <cstdint>
#include <mutex>
#include <random>

namespace clarity {

class Random {
public:
    virtual ~Random() = default;
    /// Uniform integer in [lo, hi] (inclusive). Thread-safe.
    virtual std::uint64_t uniform(std::uint64_t lo, std::uint64_t hi) = 0;
};

/// A mt19937_64 seeded from std::random_device (or a fixed seed for tests). Thread-safe.
class DefaultRandom final : public Random {
public:
    DefaultRandom() : engine_(std::random_device{}()) {}
    explicit DefaultRandom(std::uint64_t seed) : engine_(seed) {}
    std::uint64_t uniform(std::uint64_t lo, std::uint64_t hi) override {
        std::lock_guard lock(mutex_);
        return std::uniform_int_distribution<std::uint64_t>(lo, hi)(engine_);
    }

private:
    std::mutex mutex_;
    std::mt19937_64 engine_;
};

}  // namespace clarity
