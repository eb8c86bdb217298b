#pragma once
// Generates V2 flat-file settlement reports for tests and the benchmark (nothing binary is
// committed). Amounts are computed in integer cents here, independently of model::Decimal, so the
// expected total is an oracle for the parser and the aggregation.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace clarity::test {

struct ReportSpec {
    bool decimal_comma = false;     // DE style "12,50"
    bool eu_dates = false;          // "01.06.2025 00:00:00 UTC" settlement dates, "09.06.2025"
    bool promotion_id = false;      // 24-column variant
    bool extra_column = false;      // an unknown trailing column "x-new-column"
    bool shuffle_columns = false;   // columns in another order (read by header name)
    bool posted_date_only = false;  // empty posted-date-time: the posted-date style decides
    bool unknown_type = false;      // one amount type the default map does not know
    std::string marketplace = "Amazon.com";
    std::string currency = "USD";
    std::string settlement_id = "11223344556";
    int orders = 3;          // each with charges, fees, a promotion
    bool refund = true;      // refund of the first order
    bool reserves = true;    // previous/current reserve rows
    bool adjustment = true;  // an FBA reimbursement and a service fee
};

struct GeneratedReport {
    std::string text;
    std::int64_t total_cents = 0;
    std::size_t amount_rows = 0;
    std::vector<std::string> order_ids;
};

/// The column names in file order for `spec`.
std::vector<std::string> report_columns(const ReportSpec& spec);
/// A complete report in memory.
GeneratedReport make_report(const ReportSpec& spec);
/// Cents as report text ("-12.50" / "-12,50").
std::string format_cents(std::int64_t cents, bool decimal_comma);

/// gzip (RFC 1952) of `data` at `level`.
std::string gzip(std::string_view data, int level = 6);

struct LargeReport {
    std::uint64_t bytes = 0;  // uncompressed
    std::uint64_t amount_rows = 0;
    std::int64_t total_cents = 0;
};

/// Streams a report of at least `min_bytes` (uncompressed) to `path`, plain or gzip (level 1),
/// using a few KiB of memory. Rows cycle through orders, refunds and fees.
LargeReport write_large_report(const std::filesystem::path& path,
                               std::uint64_t min_bytes,
                               bool gzip_output);

/// Peak resident memory of this process (VmHWM) in bytes, and a reset of the peak to the current
/// RSS (writes 5 to /proc/self/clear_refs). Linux only.
std::uint64_t peak_rss_bytes();
std::uint64_t current_rss_bytes();
void reset_peak_rss();

}  // namespace clarity::test
