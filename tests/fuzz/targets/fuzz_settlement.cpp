// libFuzzer target: the settlement report parser (plain and gzip, any chunking, any options), the
// date normalizer and the Finances decoders must never crash, hang or use unbounded memory, and
// the parser's accounting must hold on every input: rows passed to the sink sum to rows_total, and
// a report that is not quarantined ties its rows to the summary total exactly.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include "clarity/amazon/settlement_finances.hpp"
#include "clarity/amazon/settlement_report.hpp"

namespace {

using namespace clarity;

class CheckingSink : public amazon::SettlementSink {
  public:
    void on_summary(const model::SettlementSummary& s) override {
        ++summaries;
        total = s.total.amount;
    }
    void on_row_view(const amazon::SettlementRowView& view) override {
        // The owning row must say what the view says.
        const auto& row = view.row();
        if (row.line != view.line || row.event.amount.amount != view.amount ||
            row.event.transaction_type != view.transaction_type ||
            row.event.amount_description != view.amount_description ||
            row.event.posted_at != view.posted_at ||
            row.extra_values.size() != view.extra_values.size()) {
            std::abort();
        }
        on_row(row);
    }
    void on_row(const amazon::SettlementRow& row) override {
        sum += row.event.amount.amount;
        ++rows;
        if (row.line == 0) std::abort();
    }
    void on_issue(const amazon::SettlementIssue& issue) override {
        if (issue.message.empty()) std::abort();
        ++issues;
    }
    model::Decimal sum;
    model::Decimal total;
    std::uint64_t rows = 0;
    std::uint64_t issues = 0;
    int summaries = 0;
};

void check(const amazon::SettlementParseStats& stats, const CheckingSink& sink) {
    if (stats.amount_rows != sink.rows) std::abort();
    if (stats.rows_total.amount != sink.sum) std::abort();
    if (sink.summaries > 1) std::abort();
    if (!stats.quarantined() && sink.sum != sink.total) std::abort();
    if (sink.issues > 1000) std::abort();  // max_reported_issues default
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::uint8_t mode = data[0];
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);

    if ((mode & 0x60) == 0x60) {  // ASCII `a-z...: decoder mode (seeds stay text)
        (void)amazon::decode_finances(input);
        (void)amazon::normalize_settlement_date(input, amazon::SlashDateOrder::day_first);
        return 0;
    }
    amazon::SettlementParseOptions options;
    options.decimal = static_cast<amazon::DecimalStyle>(mode % 3);
    options.slash_dates = static_cast<amazon::SlashDateOrder>((mode / 3) % 3);
    options.max_line_bytes = 64 + (mode & 0x30) * 64;  // small, to reach the overlong-line path
    {
        // Streamed in chunks of 1..16 bytes, as a network read would.
        CheckingSink sink;
        amazon::SettlementReportParser parser(sink, options);
        const std::size_t chunk = 1 + (mode & 0x0F);
        for (std::size_t i = 0; i < input.size(); i += chunk) parser.feed(input.substr(i, chunk));
        parser.finish();
        check(parser.stats(), sink);
    }
    {
        // Through the stream reader (gzip when the input starts with the gzip magic).
        CheckingSink sink;
        std::istringstream in{std::string(input)};
        check(amazon::parse_settlement_stream(in, sink, options), sink);
    }
    return 0;
}
