#pragma once
/// \file
/// Streaming parser for the V2 flat-file settlement report
/// (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2; ../shared/reference/sp-api/NOTES.md §8).
///
/// The report is tab-separated: a header row, one summary row (settlement id, dates, total-amount,
/// currency) and one row per amount component. Columns are found by header name (23 official
/// columns, the 24th `promotion-id` and any unknown extra columns are kept). Amounts use the
/// marketplace's decimal separator ("95,00" in EU marketplaces) and dates come in ISO, EU
/// ("02.12.2015") or slash ("12/02/2015") styles.
///
/// Memory is bounded: input is consumed in chunks (feed()), one line at a time, and nothing per row
/// is kept by the parser. Malformed rows are reported as issues with their line number and parsing
/// goes on; a report with any issue is quarantined as a whole
/// (SettlementParseStats::quarantined()). Not thread-safe: one parser per stream.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/core/result.hpp"
#include "clarity/model/financial.hpp"

namespace clarity::amazon {

/// Decimal separator of amounts.
enum class DecimalStyle {
    automatic,  ///< decided by the first amount with a separator; later amounts must agree
    point,      ///< "1234.56" (US, UK, JP, CA, …)
    comma,      ///< "1234,56" (DE, FR, IT, ES, NL, …)
};

/// Reading order of ambiguous slash dates such as "09/06/25".
enum class SlashDateOrder {
    automatic,  ///< by the row's marketplace-name (Amazon.com/.ca: month first; others: day first)
    month_first,  ///< MM/DD/YY(YY)
    day_first,    ///< DD/MM/YY(YY)
};

/// Conventions of one marketplace's reports.
struct MarketplaceLocale {
    DecimalStyle decimal = DecimalStyle::point;
    SlashDateOrder slash_dates = SlashDateOrder::month_first;
};

/// Locale of a marketplace by marketplace-name ("Amazon.de") or marketplace id
/// ("A1PA6795UKMFR9"); nullopt when unknown.
std::optional<MarketplaceLocale> marketplace_locale(std::string_view name_or_id) noexcept;

/// Normalizes a settlement-report date to ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ". Accepts
/// "2015-12-02T03:27:08+00:00", "…Z", "….123Z", "2025-06-09 05:23:19 UTC", "2015-12-02",
/// "02.12.2015[ 03:27:08[ UTC]]", "02.12.15" and slash dates read in `order` (automatic is treated
/// as month_first). nullopt when the text is not a valid date.
std::optional<std::string> normalize_settlement_date(std::string_view text,
                                                     SlashDateOrder order) noexcept;

struct SettlementParseOptions {
    DecimalStyle decimal = DecimalStyle::automatic;
    SlashDateOrder slash_dates = SlashDateOrder::automatic;
    /// A line longer than this is reported and skipped (bounds memory on garbage input).
    std::size_t max_line_bytes = 64 * 1024;
    /// Issues passed to the sink; later ones are only counted.
    std::size_t max_reported_issues = 1000;
};

/// The header as read: every column name in file order, and the ones the parser does not know.
struct SettlementHeader {
    std::vector<std::string> columns;
    std::vector<std::string> extra_columns;  ///< unknown names, in file order
    bool has_promotion_id = false;           ///< the 24-column variant
};

/// One amount row. `event.amount.currency` is the summary's currency.
struct SettlementRow {
    std::uint64_t line = 0;  ///< 1-based line number in the (decompressed) file
    model::FinancialEvent event;
    std::string promotion_id;               ///< 24th column when present
    std::vector<std::string> extra_values;  ///< values of SettlementHeader::extra_columns
};

/// One amount row as views into the parser's current line: the zero-copy form of SettlementRow
/// for sinks that aggregate as they go. Every view is valid only during the on_row_view() call.
/// Values are trimmed like SettlementRow's; posted_at is normalized (ISO 8601 UTC, "" when the
/// row has no date); currency is the row's or else the summary's.
struct SettlementRowView {
    std::uint64_t line = 0;
    std::string_view group_id;  ///< settlement-id of the row, else the summary's
    std::string_view transaction_type;
    std::string_view order_id;
    std::string_view merchant_order_id;
    std::string_view adjustment_id;
    std::string_view shipment_id;
    std::string_view marketplace_name;
    std::string_view fulfillment_id;
    std::string_view order_item_code;
    std::string_view sku;
    std::string_view amount_type;
    std::string_view amount_description;
    model::Decimal amount;
    std::string_view currency;
    std::string_view posted_at;
    std::optional<std::int64_t> quantity;
    std::string_view promotion_id;
    std::span<const std::string_view> extra_values;  ///< of SettlementHeader::extra_columns

    /// The same row as an owning SettlementRow. Built on demand into storage the parser reuses
    /// for every row (values unchanged since the previous row are not copied again); valid, like
    /// the view, during the call only.
    const SettlementRow& row() const;

  private:
    friend struct SettlementRowViewAccess;  // the parser, in settlement_report.cpp
    SettlementRow* storage_ = nullptr;
};

/// A problem found in the report. line 0 = the report as a whole (e.g. the totals check).
struct SettlementIssue {
    std::uint64_t line = 0;
    std::string message;
};

/// Receives the parse results in file order. Implementations must copy what they keep: the
/// references are valid only during the call.
///
/// Rows arrive through on_row_view(); its default builds the owning SettlementRow and calls
/// on_row(), so a sink overrides one of the two: on_row() for convenience, on_row_view() for speed
/// (no per-row copies; see bench/settlement).
class SettlementSink {
  public:
    virtual ~SettlementSink() = default;
    virtual void on_header(const SettlementHeader& /*header*/) {}
    virtual void on_summary(const model::SettlementSummary& /*summary*/) {}
    virtual void on_row_view(const SettlementRowView& row) { on_row(row.row()); }
    virtual void on_row(const SettlementRow& /*row*/) {}
    virtual void on_issue(const SettlementIssue& /*issue*/) {}
};

struct SettlementParseStats {
    std::uint64_t bytes = 0;        ///< decompressed bytes read
    std::uint64_t lines = 0;        ///< lines seen, blank ones included
    std::uint64_t amount_rows = 0;  ///< rows passed to on_row
    std::uint64_t issues = 0;       ///< all issues, reported or not
    bool has_summary = false;
    model::Money rows_total;  ///< exact sum of the amount rows
    std::optional<model::SettlementSummary> summary;

    /// A report with any issue, or without a summary row, must not be posted.
    bool quarantined() const noexcept { return issues > 0 || !has_summary; }
};

class SettlementReportParser {
  public:
    explicit SettlementReportParser(SettlementSink& sink, SettlementParseOptions options = {});
    ~SettlementReportParser();
    SettlementReportParser(const SettlementReportParser&) = delete;
    SettlementReportParser& operator=(const SettlementReportParser&) = delete;

    /// Consumes the next bytes of the decompressed report (any split, even mid-line).
    void feed(std::string_view bytes);
    /// Ends the input: parses a last line without newline and runs the whole-report checks
    /// (header and summary present, amount rows sum to total-amount). Call once.
    void finish();
    /// Records an issue found outside the parser (e.g. a truncated gzip stream).
    void report_issue(std::uint64_t line, std::string message);

    const SettlementParseStats& stats() const noexcept;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Streams `input` (plain text, or gzip detected by its magic bytes) through a parser and finishes
/// it. Decompression problems (truncated or corrupt gzip) become issues, not errors. Never throws
/// on bad content.
SettlementParseStats parse_settlement_stream(std::istream& input,
                                             SettlementSink& sink,
                                             SettlementParseOptions options = {});

/// As parse_settlement_stream() for a file. Error (permanent) when the file cannot be opened.
Result<SettlementParseStats> parse_settlement_file(const std::filesystem::path& path,
                                                   SettlementSink& sink,
                                                   SettlementParseOptions options = {});

/// A sink that keeps everything in memory (small reports, tests, the inspect command's
/// reconciliation). Issues beyond `max_issues` are counted by the parser only.
class CollectingSettlementSink : public SettlementSink {
  public:
    void on_header(const SettlementHeader& header) override { header_ = header; }
    void on_summary(const model::SettlementSummary& summary) override { summary_ = summary; }
    void on_row(const SettlementRow& row) override { rows_.push_back(row); }
    void on_issue(const SettlementIssue& issue) override { issues_.push_back(issue); }

    const SettlementHeader& header() const noexcept { return header_; }
    const std::optional<model::SettlementSummary>& summary() const noexcept { return summary_; }
    const std::vector<SettlementRow>& rows() const noexcept { return rows_; }
    const std::vector<SettlementIssue>& issues() const noexcept { return issues_; }
    /// Summary + rows as a model::Settlement (empty summary when none was read).
    model::Settlement settlement() const;

  private:
    SettlementHeader header_;
    std::optional<model::SettlementSummary> summary_;
    std::vector<SettlementRow> rows_;
    std::vector<SettlementIssue> issues_;
};

}  // namespace clarity::amazon
