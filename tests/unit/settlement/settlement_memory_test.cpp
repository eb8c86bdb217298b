// The memory bound of the streaming parser on a generated report of at least 200 MB. This binary
// compiles the parser with -O2 even in Debug presets (see CMakeLists.txt) so it stays well under
// 30 s on a shared 2-core machine.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include "clarity/amazon/settlement_report.hpp"
#include "settlement_report_generator.hpp"
#include "support/temp_dir.hpp"

namespace clarity::amazon {
namespace {

using model::Decimal;

Decimal cents(std::int64_t c) { return Decimal(c, 2); }

// A sink that keeps nothing: what a streaming aggregation sees.
class CountingSink : public SettlementSink {
  public:
    void on_row(const SettlementRow& row) override {
        sum += row.event.amount.amount;
        ++rows;
    }
    Decimal sum;
    std::uint64_t rows = 0;
};

TEST(SettlementReport, LargeGzipFileStreamsInBoundedMemory) {
    test::TempDir dir;
    const auto path = dir / "large.txt.gz";
    const auto large = test::write_large_report(path, 200ull * 1024 * 1024, /*gzip_output=*/true);
    ASSERT_GE(large.bytes, 200ull * 1024 * 1024);
    test::reset_peak_rss();
    const auto before = test::current_rss_bytes();
    const auto t0 = std::chrono::steady_clock::now();
    CountingSink sink;
    const auto stats = parse_settlement_file(path, sink);
    const auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto growth = test::peak_rss_bytes() - before;
    std::filesystem::remove(path);
    ASSERT_TRUE(stats.has_value());
    EXPECT_FALSE(stats->quarantined());
    EXPECT_EQ(stats->bytes, large.bytes);
    EXPECT_EQ(sink.rows, large.amount_rows);
    EXPECT_EQ(sink.sum, cents(large.total_cents));
    EXPECT_LT(growth, 16ull * 1024 * 1024) << "peak RSS grew by " << growth << " bytes";
    std::cout << "[ info ] " << large.bytes / (1024 * 1024) << " MiB parsed in " << secs
              << " s, peak RSS growth " << growth / 1024 << " KiB\n";
}

}  // namespace
}  // namespace clarity::amazon
