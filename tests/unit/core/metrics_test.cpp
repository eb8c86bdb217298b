#include "clarity/core/metrics.hpp"

#include <gtest/gtest.h>

namespace clarity::core {
namespace {

TEST(MetricsRegistry, RendersCountersGaugesAndHistograms) {
    MetricsRegistry r;
    r.counter("clarity_jobs_total", "Jobs done", {{"flow", "order_import"}}).inc(3);
    r.gauge("clarity_queue_depth", "Ready jobs").set(5);
    auto& h = r.histogram("clarity_call_seconds", "Call latency", {}, {0.1, 1});
    h.observe(0.05);
    h.observe(0.5);
    h.observe(7);
    r.gauge_callback("clarity_up", "Always one", {}, [] { return 1.0; });
    const std::string text = r.render();
    EXPECT_NE(text.find("# TYPE clarity_jobs_total counter\n"), std::string::npos);
    EXPECT_NE(text.find("clarity_jobs_total{flow=\"order_import\"} 3\n"), std::string::npos);
    EXPECT_NE(text.find("clarity_queue_depth 5\n"), std::string::npos);
    EXPECT_NE(text.find("clarity_call_seconds_bucket{le=\"0.1\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("clarity_call_seconds_bucket{le=\"1\"} 2\n"), std::string::npos);
    EXPECT_NE(text.find("clarity_call_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
    EXPECT_NE(text.find("clarity_call_seconds_count 3\n"), std::string::npos);
    EXPECT_NE(text.find("clarity_up 1\n"), std::string::npos);
}

TEST(MetricsRegistry, SameNameAndLabelsIsOneInstrument) {
    MetricsRegistry r;
    auto& a = r.counter("c_total", "c", {{"k", "v"}});
    auto& b = r.counter("c_total", "c", {{"k", "v"}});
    EXPECT_EQ(&a, &b);
    EXPECT_THROW(r.gauge("c_total", "c"), std::logic_error);
    EXPECT_THROW(r.counter("bad name", "x"), std::logic_error);
}

TEST(MetricsRegistry, EscapesLabelValues) {
    MetricsRegistry r;
    r.counter("e_total", "e", {{"msg", "a\"b\\c\nd"}}).inc();
    EXPECT_NE(r.render().find("e_total{msg=\"a\\\"b\\\\c\\nd\"} 1"), std::string::npos);
}

}  // namespace
}  // namespace clarity::core
