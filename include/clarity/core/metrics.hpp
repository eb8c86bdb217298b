#pragma once
/// \file
/// A Prometheus metrics registry. Components register counters, gauges and histograms once (at
/// construction) and update them lock-free; the admin server renders the text exposition format.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace clarity::core {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
public:
    void inc(double v = 1.0) noexcept { value_.fetch_add(v, std::memory_order_relaxed); }
    double value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0.0};
};

class Gauge {
public:
    void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
    void add(double v) noexcept { value_.fetch_add(v, std::memory_order_relaxed); }
    double value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0.0};
};

class Histogram {
public:
    explicit Histogram(std::vector<double> upper_bounds);
    void observe(double v) noexcept;
    const std::vector<double>& upper_bounds() const noexcept { return bounds_; }
    /// Cumulative count per bound (Prometheus `le` semantics), then +Inf.
    std::vector<std::uint64_t> cumulative_counts() const;
    double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }
    std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }

private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
    std::atomic<double> sum_{0.0};
    std::atomic<std::uint64_t> count_{0};
};

/// Default latency buckets in seconds (1 ms .. 60 s).
std::vector<double> default_latency_buckets();

/// Thread-safe. Returned references stay valid for the registry's lifetime. Registering the same
/// name and labels twice returns the same instrument; the same name with another type throws
/// std::logic_error. Names must match [a-zA-Z_:][a-zA-Z0-9_:]*.
class MetricsRegistry {
public:
    MetricsRegistry();
    ~MetricsRegistry();
    MetricsRegistry(const MetricsRegistry&) = delete;
    MetricsRegistry& operator=(const MetricsRegistry&) = delete;

    Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
    Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
    Histogram& histogram(const std::string& name, const std::string& help,
                         const Labels& labels = {},
                         std::vector<double> upper_bounds = default_latency_buckets());
    /// A gauge computed at render time (e.g. queue depth, resident memory).
    void gauge_callback(const std::string& name, const std::string& help, const Labels& labels,
                        std::function<double()> read);
    /// Runs before each render (e.g. to refresh several gauges from one query).
    void add_collector(std::function<void()> collect);

    /// Prometheus text exposition format 0.0.4.
    std::string render() const;

private:
    struct Family;
    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Family>> families_;
    std::vector<std::function<void()>> collectors_;
    Family& family(const std::string& name, const std::string& help, int type);
};

}  // namespace clarity::core
