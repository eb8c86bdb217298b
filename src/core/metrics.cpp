#include "clarity/core/metrics.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace clarity::core {

namespace {
enum Type { kCounter = 0, kGauge = 1, kHistogram = 2 };
constexpr const char* kTypeNames[] = {"counter", "gauge", "histogram"};

bool valid_name(const std::string& name) {
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
                  (i > 0 && c >= '0' && c <= '9');
        if (!ok) return false;
    }
    return true;
}

std::string escape_label(const std::string& v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string escape_help(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string label_text(const Labels& labels, const std::string& extra_key = {},
                       const std::string& extra_value = {}) {
    if (labels.empty() && extra_key.empty()) return {};
    std::string out = "{";
    bool first = true;
    for (const auto& [k, v] : labels) {
        if (!first) out += ',';
        first = false;
        out += k + "=\"" + escape_label(v) + "\"";
    }
    if (!extra_key.empty()) {
        if (!first) out += ',';
        out += extra_key + "=\"" + extra_value + "\"";
    }
    out += '}';
    return out;
}

std::string number(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    return fmt::format("{}", v);
}
}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      buckets_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
    for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::observe(double v) noexcept {
    std::size_t i = 0;
    while (i < bounds_.size() && v > bounds_[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulative_counts() const {
    std::vector<std::uint64_t> out(bounds_.size() + 1);
    std::uint64_t acc = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        acc += buckets_[i].load(std::memory_order_relaxed);
        out[i] = acc;
    }
    return out;
}

std::vector<double> default_latency_buckets() {
    return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

struct MetricsRegistry::Family {
    std::string help;
    int type = kCounter;
    std::map<Labels, std::unique_ptr<Counter>> counters;
    std::map<Labels, std::unique_ptr<Gauge>> gauges;
    std::map<Labels, std::function<double()>> gauge_fns;
    std::map<Labels, std::unique_ptr<Histogram>> histograms;
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Family& MetricsRegistry::family(const std::string& name, const std::string& help,
                                                 int type) {
    if (!valid_name(name)) throw std::logic_error("invalid metric name '" + name + "'");
    auto& f = families_[name];
    if (!f) {
        f = std::make_unique<Family>();
        f->help = help;
        f->type = type;
    } else if (f->type != type) {
        throw std::logic_error("metric '" + name + "' registered with two types");
    }
    return *f;
}

Counter& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                  const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, help, kCounter).counters[labels];
    if (!slot) slot = std::make_unique<Counter>();
    return *slot;
}

Gauge& MetricsRegistry::gauge(const std::string& name, const std::string& help,
                              const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, help, kGauge).gauges[labels];
    if (!slot) slot = std::make_unique<Gauge>();
    return *slot;
}

Histogram& MetricsRegistry::histogram(const std::string& name, const std::string& help,
                                      const Labels& labels, std::vector<double> upper_bounds) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, help, kHistogram).histograms[labels];
    if (!slot) slot = std::make_unique<Histogram>(std::move(upper_bounds));
    return *slot;
}

void MetricsRegistry::gauge_callback(const std::string& name, const std::string& help,
                                     const Labels& labels, std::function<double()> read) {
    std::lock_guard lock(mutex_);
    family(name, help, kGauge).gauge_fns[labels] = std::move(read);
}

void MetricsRegistry::add_collector(std::function<void()> collect) {
    std::lock_guard lock(mutex_);
    collectors_.push_back(std::move(collect));
}

std::string MetricsRegistry::render() const {
    std::vector<std::function<void()>> collectors;
    {
        std::lock_guard lock(mutex_);
        collectors = collectors_;
    }
    for (auto& c : collectors) c();

    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& [name, f] : families_) {
        out += "# HELP " + name + " " + escape_help(f->help) + "\n";
        out += "# TYPE " + name + " " + kTypeNames[f->type] + "\n";
        for (const auto& [labels, c] : f->counters) {
            out += name + label_text(labels) + " " + number(c->value()) + "\n";
        }
        for (const auto& [labels, g] : f->gauges) {
            out += name + label_text(labels) + " " + number(g->value()) + "\n";
        }
        for (const auto& [labels, fn] : f->gauge_fns) {
            out += name + label_text(labels) + " " + number(fn()) + "\n";
        }
        for (const auto& [labels, h] : f->histograms) {
            auto counts = h->cumulative_counts();
            const auto& bounds = h->upper_bounds();
            for (std::size_t i = 0; i < bounds.size(); ++i) {
                out += name + "_bucket" + label_text(labels, "le", number(bounds[i])) + " " +
                       std::to_string(counts[i]) + "\n";
            }
            out += name + "_bucket" + label_text(labels, "le", "+Inf") + " " +
                   std::to_string(counts.back()) + "\n";
            out += name + "_sum" + label_text(labels) + " " + number(h->sum()) + "\n";
            out += name + "_count" + label_text(labels) + " " + std::to_string(counts.back()) +
                   "\n";
        }
    }
    return out;
}

}  // namespace clarity::core
