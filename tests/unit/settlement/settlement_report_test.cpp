#include "clarity/amazon/settlement_report.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "settlement_report_generator.hpp"
#include "support/temp_dir.hpp"

namespace clarity::amazon {
namespace {

using model::Decimal;
using test::make_report;
using test::ReportSpec;

CollectingSettlementSink parse_text(const std::string& text, SettlementParseOptions o = {}) {
    CollectingSettlementSink sink;
    std::istringstream in(text);
    const auto stats = parse_settlement_stream(in, sink, o);
    EXPECT_EQ(stats.issues, sink.issues().size());
    return sink;
}

SettlementParseStats stats_of(const std::string& text, CollectingSettlementSink& sink) {
    std::istringstream in(text);
    return parse_settlement_stream(in, sink);
}

Decimal cents(std::int64_t c) { return Decimal(c, 2); }

TEST(SettlementReport, UsReportReadsSummaryAndEveryAmountRow) {
    const auto report = make_report(ReportSpec{});
    CollectingSettlementSink sink;
    const auto stats = stats_of(report.text, sink);
    ASSERT_TRUE(sink.issues().empty()) << sink.issues().front().message;
    EXPECT_FALSE(stats.quarantined());
    ASSERT_TRUE(sink.summary().has_value());
    const auto& s = *sink.summary();
    EXPECT_EQ(s.settlement_id, "11223344556");
    EXPECT_EQ(s.start_at, "2025-06-01T00:00:00Z");
    EXPECT_EQ(s.end_at, "2025-06-15T00:00:00Z");
    EXPECT_EQ(s.deposit_at, "2025-06-17T00:00:00Z");
    EXPECT_EQ(s.total.amount, cents(report.total_cents));
    EXPECT_EQ(s.total.currency, "USD");
    ASSERT_EQ(sink.rows().size(), report.amount_rows);
    EXPECT_EQ(stats.amount_rows, report.amount_rows);
    EXPECT_EQ(stats.rows_total.amount, cents(report.total_cents));
    const auto& first = sink.rows().front();
    EXPECT_EQ(first.line, 3u);
    EXPECT_EQ(first.event.transaction_type, "Order");
    EXPECT_EQ(first.event.order_id, report.order_ids[0]);
    EXPECT_EQ(first.event.sku, "SKU-0");
    EXPECT_EQ(first.event.amount_type, "ItemPrice");
    EXPECT_EQ(first.event.amount_description, "Principal");
    EXPECT_EQ(first.event.amount.amount, cents(1000));
    EXPECT_EQ(first.event.amount.currency, "USD");
    EXPECT_EQ(first.event.posted_at, "2025-06-02T05:23:19Z");
    EXPECT_EQ(first.event.quantity, 1);
    EXPECT_EQ(first.event.marketplace_name, "Amazon.com");
    EXPECT_EQ(first.event.fulfillment_id, "AFN");
    EXPECT_EQ(first.event.group_id, "11223344556");
    EXPECT_EQ(first.event.source, model::FinancialSource::settlement_report);
    EXPECT_FALSE(sink.header().has_promotion_id);
    EXPECT_EQ(sink.header().columns.size(), 23u);
    bool saw_refund = false;
    bool saw_reserve = false;
    for (const auto& r : sink.rows()) {
        saw_refund = saw_refund ||
                     (r.event.transaction_type == "Refund" && r.event.amount.amount.is_negative());
        saw_reserve = saw_reserve || r.event.amount_description == "Current Reserve Amount";
    }
    EXPECT_TRUE(saw_refund);
    EXPECT_TRUE(saw_reserve);
}

TEST(SettlementReport, DeReportWithDecimalCommaAndEuDates) {
    ReportSpec spec;
    spec.decimal_comma = true;
    spec.eu_dates = true;
    spec.marketplace = "Amazon.de";
    spec.currency = "EUR";
    spec.posted_date_only = true;
    const auto report = make_report(spec);
    ASSERT_NE(report.text.find("10,00"), std::string::npos);
    const auto sink = parse_text(report.text);
    ASSERT_TRUE(sink.issues().empty()) << sink.issues().front().message;
    EXPECT_EQ(sink.summary()->start_at, "2025-06-01T00:00:00Z");
    EXPECT_EQ(sink.summary()->total.amount, cents(report.total_cents));
    EXPECT_EQ(sink.summary()->total.currency, "EUR");
    EXPECT_EQ(sink.rows().front().event.amount.amount, cents(1000));
    EXPECT_EQ(sink.rows().front().event.posted_at, "2025-06-02T00:00:00Z");
}

TEST(SettlementReport, SlashPostedDatesFollowTheMarketplace) {
    ReportSpec us;
    us.posted_date_only = true;  // "06/02/2025" on Amazon.com
    EXPECT_EQ(parse_text(make_report(us).text).rows().front().event.posted_at,
              "2025-06-02T00:00:00Z");
    ReportSpec uk = us;
    uk.marketplace = "Amazon.co.uk";  // "02/06/2025"
    uk.currency = "GBP";
    EXPECT_EQ(parse_text(make_report(uk).text).rows().front().event.posted_at,
              "2025-06-02T00:00:00Z");
    // Told explicitly, the UK text read month-first lands in February.
    SettlementParseOptions month_first;
    month_first.slash_dates = SlashDateOrder::month_first;
    EXPECT_EQ(parse_text(make_report(uk).text, month_first).rows().front().event.posted_at,
              "2025-02-06T00:00:00Z");
}

TEST(SettlementReport, TwentyFourColumnsAndUnknownColumnsAreKept) {
    ReportSpec spec;
    spec.promotion_id = true;
    spec.extra_column = true;
    const auto report = make_report(spec);
    const auto sink = parse_text(report.text);
    ASSERT_TRUE(sink.issues().empty()) << sink.issues().front().message;
    EXPECT_TRUE(sink.header().has_promotion_id);
    EXPECT_EQ(sink.header().columns.size(), 25u);
    ASSERT_EQ(sink.header().extra_columns, std::vector<std::string>{"x-new-column"});
    const auto& promo = sink.rows()[3];
    EXPECT_EQ(promo.event.amount_type, "Promotion");
    EXPECT_EQ(promo.promotion_id, "PROMO-0");
    EXPECT_EQ(promo.extra_values, std::vector<std::string>{"extra-Shipping"});
    EXPECT_EQ(sink.rows().size(), report.amount_rows);
}

TEST(SettlementReport, ColumnsAreFoundByNameInAnyOrder) {
    ReportSpec spec;
    spec.promotion_id = true;
    const auto plain = parse_text(make_report(spec).text);
    spec.shuffle_columns = true;
    const auto shuffled = parse_text(make_report(spec).text);
    ASSERT_TRUE(shuffled.issues().empty()) << shuffled.issues().front().message;
    EXPECT_EQ(shuffled.summary(), plain.summary());
    ASSERT_EQ(shuffled.rows().size(), plain.rows().size());
    for (std::size_t i = 0; i < plain.rows().size(); ++i) {
        EXPECT_EQ(shuffled.rows()[i].event, plain.rows()[i].event);
    }
}

TEST(SettlementReport, GzipPlainAndByteByByteFeedingGiveTheSameRows) {
    ReportSpec spec;
    spec.decimal_comma = true;
    spec.currency = "EUR";
    spec.marketplace = "Amazon.de";
    const auto report = make_report(spec);
    const auto plain = parse_text(report.text);
    const auto zipped = parse_text(test::gzip(report.text));
    ASSERT_TRUE(zipped.issues().empty()) << zipped.issues().front().message;
    CollectingSettlementSink bytewise;
    SettlementReportParser parser(bytewise);
    for (char c : report.text) parser.feed(std::string_view(&c, 1));
    parser.finish();
    EXPECT_FALSE(parser.stats().quarantined());
    ASSERT_EQ(zipped.rows().size(), plain.rows().size());
    ASSERT_EQ(bytewise.rows().size(), plain.rows().size());
    for (std::size_t i = 0; i < plain.rows().size(); ++i) {
        EXPECT_EQ(zipped.rows()[i].event, plain.rows()[i].event);
        EXPECT_EQ(bytewise.rows()[i].event, plain.rows()[i].event);
    }
    // Two gzip members back to back are one stream (RFC 1952).
    const auto half = report.text.find('\n', report.text.size() / 2) + 1;
    const auto two_members =
        test::gzip(report.text.substr(0, half)) + test::gzip(report.text.substr(half));
    EXPECT_EQ(parse_text(two_members).rows().size(), plain.rows().size());
}

TEST(SettlementReport, TruncatedGzipIsQuarantined) {
    const auto report = make_report(ReportSpec{});
    const auto zipped = test::gzip(report.text);
    const auto truncated = zipped.substr(0, zipped.size() * 2 / 3);
    CollectingSettlementSink sink;
    const auto stats = stats_of(truncated, sink);
    EXPECT_TRUE(stats.quarantined());
    ASSERT_FALSE(sink.issues().empty());
    bool said_truncated = false;
    for (const auto& i : sink.issues()) {
        said_truncated = said_truncated || i.message.find("ends early") != std::string::npos;
    }
    EXPECT_TRUE(said_truncated);
    EXPECT_LT(sink.rows().size(), report.amount_rows);
}

TEST(SettlementReport, CorruptGzipIsQuarantined) {
    auto zipped = test::gzip(make_report(ReportSpec{}).text);
    for (std::size_t i = 20; i < zipped.size() - 10; i += 7)
        zipped[i] = static_cast<char>(~zipped[i]);
    CollectingSettlementSink sink;
    EXPECT_TRUE(stats_of(zipped, sink).quarantined());
    EXPECT_FALSE(sink.issues().empty());
}

TEST(SettlementReport, BadRowIsReportedWithItsLineAndParsingGoesOn) {
    auto report = make_report(ReportSpec{});
    // Line 5 (the third amount row): replace its amount "3.99" by "3.9x".
    std::istringstream lines(report.text);
    std::string text;
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
        if (++n == 5) {
            const auto pos = line.find("\t3.99\t");
            ASSERT_NE(pos, std::string::npos);
            line.replace(pos, 6, "\t3.9x\t");
        }
        text += line + "\n";
    }
    text += "only\tthree\tfields\tbut\tnot\ta\tsummary\n";
    CollectingSettlementSink sink;
    const auto stats = stats_of(text, sink);
    EXPECT_TRUE(stats.quarantined());
    ASSERT_GE(sink.issues().size(), 2u);
    EXPECT_EQ(sink.issues()[0].line, 5u);
    EXPECT_EQ(sink.issues()[0].message, "line 5: amount '3.9x' is not a number");
    EXPECT_EQ(sink.issues()[1].line, static_cast<std::uint64_t>(n + 1));
    // Every other row was read; the whole-report check names the missing amount.
    EXPECT_EQ(sink.rows().size(), report.amount_rows - 1);
    EXPECT_NE(sink.issues().back().message.find("difference 3.99"), std::string::npos)
        << sink.issues().back().message;
}

TEST(SettlementReport, MixedDecimalStyleIsRefused) {
    ReportSpec spec;
    spec.decimal_comma = true;
    spec.currency = "EUR";
    auto text = make_report(spec).text;
    const auto pos = text.find("\t3,99\t");
    ASSERT_NE(pos, std::string::npos);
    text.replace(pos, 6, "\t3.99\t");
    const auto sink = parse_text(text);
    ASSERT_FALSE(sink.issues().empty());
    EXPECT_NE(sink.issues()[0].message.find("does not use the report's decimal comma"),
              std::string::npos);
}

TEST(SettlementReport, HeaderProblemsAreReported) {
    EXPECT_EQ(parse_text("").issues().at(0).message, "the report is empty: no header line");
    const auto v1 = parse_text("settlement-id\tprice-type\tprice-amount\n1\tPrincipal\t1.00\n");
    EXPECT_NE(v1.issues().at(0).message.find("V1 settlement report"), std::string::npos);
    const auto other = parse_text("sku\tqty\nA\t1\n");
    EXPECT_NE(other.issues().at(0).message.find("missing column(s) settlement-id"),
              std::string::npos);
    EXPECT_TRUE(other.rows().empty());
}

TEST(SettlementReport, SummaryAndRowConsistencyIsChecked) {
    auto text = make_report(ReportSpec{}).text;
    const auto first_row = text.find('\n', text.find('\n') + 1) + 1;
    const auto sink = parse_text(text.substr(0, first_row));  // header + summary only
    ASSERT_EQ(sink.issues().size(), 1u);
    EXPECT_EQ(sink.issues()[0].line, 0u);
    auto other_id = text;
    const auto pos = other_id.find("11223344556", first_row);
    other_id.replace(pos, 11, "99999999999");
    const auto mixed = parse_text(other_id);
    ASSERT_FALSE(mixed.issues().empty());
    EXPECT_EQ(mixed.issues()[0].message,
              "line 3: settlement-id 99999999999 differs from the summary's 11223344556");
}

TEST(SettlementReport, OverlongLineIsSkippedAndReported) {
    auto report = make_report(ReportSpec{});
    const auto first_row = report.text.find('\n', report.text.find('\n') + 1) + 1;
    std::string text = report.text.substr(0, first_row) + std::string(200000, 'x') + "\n" +
                       report.text.substr(first_row);
    const auto sink = parse_text(text);
    ASSERT_EQ(sink.issues().size(), 1u);
    EXPECT_EQ(sink.issues()[0].message, "line 3 is longer than 65536 bytes; skipped");
    EXPECT_EQ(sink.rows().size(), report.amount_rows);
    EXPECT_EQ(sink.rows().front().line, 4u);
}

// Copies what a row view says, field by field, as a sink holding views would read it.
class ViewSink : public SettlementSink {
  public:
    void on_row_view(const SettlementRowView& v) override {
        SettlementRow r;
        r.line = v.line;
        r.event.group_id = v.group_id;
        r.event.transaction_type = v.transaction_type;
        r.event.order_id = v.order_id;
        r.event.merchant_order_id = v.merchant_order_id;
        r.event.adjustment_id = v.adjustment_id;
        r.event.shipment_id = v.shipment_id;
        r.event.marketplace_name = v.marketplace_name;
        r.event.fulfillment_id = v.fulfillment_id;
        r.event.order_item_code = v.order_item_code;
        r.event.sku = v.sku;
        r.event.amount_type = v.amount_type;
        r.event.amount_description = v.amount_description;
        r.event.amount = {v.amount, std::string(v.currency)};
        r.event.posted_at = v.posted_at;
        r.event.quantity = v.quantity;
        r.promotion_id = v.promotion_id;
        r.extra_values.assign(v.extra_values.begin(), v.extra_values.end());
        from_views.push_back(std::move(r));
        built.push_back(v.row());
        EXPECT_EQ(&v.row(), &v.row());  // the parser's storage, reused
    }
    std::vector<SettlementRow> from_views;
    std::vector<SettlementRow> built;
};

void expect_same_rows(const std::vector<SettlementRow>& a, const std::vector<SettlementRow>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        SCOPED_TRACE("row " + std::to_string(i));
        EXPECT_EQ(a[i].line, b[i].line);
        EXPECT_EQ(a[i].event, b[i].event);
        EXPECT_EQ(a[i].promotion_id, b[i].promotion_id);
        EXPECT_EQ(a[i].extra_values, b[i].extra_values);
    }
}

TEST(SettlementReport, RowViewsSayWhatTheOwningRowsSay) {
    std::vector<ReportSpec> specs(6);
    specs[1].decimal_comma = specs[1].eu_dates = true;
    specs[1].currency = "EUR";
    specs[1].marketplace = "Amazon.de";
    specs[2].promotion_id = specs[2].extra_column = true;
    specs[3].shuffle_columns = specs[3].extra_column = true;
    specs[4].posted_date_only = true;  // slash dates, month first on Amazon.com
    specs[5].posted_date_only = true;
    specs[5].marketplace = "Amazon.co.uk";  // day first
    specs[5].currency = "GBP";
    specs[5].reserves = specs[5].adjustment = false;  // rows without a marketplace read month first
    for (auto& spec : specs) {
        spec.orders = 40;  // more distinct posted dates than a one-entry cache holds
        const auto report = make_report(spec);
        SCOPED_TRACE(spec.marketplace + (spec.shuffle_columns ? " shuffled" : ""));
        const auto collected = parse_text(report.text);
        ViewSink views;
        std::istringstream in(report.text);
        const auto stats = parse_settlement_stream(in, views);
        EXPECT_FALSE(stats.quarantined());
        ASSERT_EQ(collected.rows().size(), report.amount_rows);
        for (auto& r : views.from_views) r.event.source = model::FinancialSource::settlement_report;
        expect_same_rows(collected.rows(), views.from_views);
        expect_same_rows(collected.rows(), views.built);
    }
}

// The report's first amount row with its amount text replaced.
std::string with_first_amount(const std::string& amount) {
    const ReportSpec spec;
    const auto columns = test::report_columns(spec);
    const auto col = static_cast<std::size_t>(std::find(columns.begin(), columns.end(), "amount") -
                                              columns.begin());
    std::istringstream lines(make_report(spec).text);
    std::string text;
    std::string line;
    for (int n = 1; std::getline(lines, line); ++n) {
        if (n == 3) {
            std::vector<std::string> f;
            std::istringstream cells(line);
            for (std::string c; std::getline(cells, c, '\t');) f.push_back(c);
            f.resize(columns.size());
            f[col] = amount;
            line.clear();
            for (std::size_t i = 0; i < f.size(); ++i) line += (i ? "\t" : "") + f[i];
        }
        text += line + "\n";
    }
    return text;
}

// The row splitter's edge cases: padded and quoted values (trimmed in known columns, kept as read
// in unknown ones), a short row after a full one (its missing columns are empty, not the previous
// row's), CRLF, tabs in a line's last partial 16-byte block, and a row with far more fields than
// the header (counted exactly).
TEST(SettlementReport, FieldsAreSplitTrimmedAndCountedExactly) {
    ReportSpec spec;
    spec.extra_column = true;
    const auto columns = test::report_columns(spec);
    const auto line_of = [&](const std::map<std::string, std::string>& values, std::size_t fields) {
        std::string line;
        for (std::size_t i = 0; i < fields; ++i) {
            if (i) line += '\t';
            const auto it = values.find(columns[i]);
            if (it != values.end()) line += it->second;
        }
        return line;
    };
    std::string text;
    for (std::size_t i = 0; i < columns.size(); ++i) text += (i ? "\t" : "") + columns[i];
    text += "\n";
    text += line_of({{"settlement-id", "  123 "},
                     {"settlement-start-date", "2025-06-01"},
                     {"settlement-end-date", "2025-06-15"},
                     {"total-amount", "\"10.00\""},
                     {"currency", " USD"}},
                    columns.size()) +
            "\r\n";
    text += line_of({{"settlement-id", "123"},
                     {"transaction-type", " Order "},
                     {"order-id", "\"111-2223334-5556667\""},
                     {"amount-type", "ItemPrice"},
                     {"amount-description", "Principal"},
                     {"amount", " 7.00"},
                     {"posted-date-time", "2025-06-09 05:23:19 UTC"},
                     {"sku", "SKU-1"},
                     {"quantity-purchased", "2 "},
                     {"x-new-column", " keep me "}},
                    columns.size()) +
            "\n";
    // Up to amount only: sku, dates, quantity and the unknown column are missing.
    const auto amount_col = static_cast<std::size_t>(
        std::find(columns.begin(), columns.end(), "amount") - columns.begin());
    text += line_of({{"transaction-type", "Order"},
                     {"amount-type", "ItemPrice"},
                     {"amount-description", "Tax"},
                     {"amount", "3.00"}},
                    amount_col + 1) +
            "\n";
    text += std::string(80, 'x') + std::string(63, '\t') + "y\n";
    const auto sink = parse_text(text);
    ASSERT_EQ(sink.rows().size(), 2u);
    ASSERT_TRUE(sink.summary().has_value());
    EXPECT_EQ(sink.summary()->settlement_id, "123");
    EXPECT_EQ(sink.summary()->total.amount, cents(1000));
    EXPECT_EQ(sink.summary()->total.currency, "USD");
    const auto& full = sink.rows()[0];
    EXPECT_EQ(full.line, 3u);
    EXPECT_EQ(full.event.transaction_type, "Order");
    EXPECT_EQ(full.event.order_id, "111-2223334-5556667");
    EXPECT_EQ(full.event.amount.amount, cents(700));
    EXPECT_EQ(full.event.posted_at, "2025-06-09T05:23:19Z");
    EXPECT_EQ(full.event.sku, "SKU-1");
    EXPECT_EQ(full.event.quantity, std::optional<std::int64_t>(2));
    ASSERT_EQ(full.extra_values.size(), 1u);
    EXPECT_EQ(full.extra_values[0], " keep me ");
    const auto& shorter = sink.rows()[1];
    EXPECT_EQ(shorter.line, 4u);
    EXPECT_EQ(shorter.event.amount_description, "Tax");
    EXPECT_EQ(shorter.event.amount.amount, cents(300));
    EXPECT_EQ(shorter.event.sku, "");
    EXPECT_EQ(shorter.event.posted_at, "");
    EXPECT_FALSE(shorter.event.quantity.has_value());
    ASSERT_EQ(shorter.extra_values.size(), 1u);
    EXPECT_EQ(shorter.extra_values[0], "");
    // The rows sum to the total; the only issue is the overlong row's field count.
    ASSERT_EQ(sink.issues().size(), 1u);
    EXPECT_EQ(sink.issues()[0].message,
              "line 5 has 64 fields but the header has " + std::to_string(columns.size()));
}

TEST(SettlementReport, AmountsAreReadExactly) {
    const std::pair<std::string, Decimal> good[] = {
        {"12", Decimal(12, 0)},
        {"+3.5", Decimal(35, 1)},
        {"-0.05", Decimal(-5, 2)},
        {"12.", Decimal(12, 0)},
        {".5", Decimal(5, 1)},
        {"007.10", Decimal(710, 2)},
        {"123456789012345678", Decimal(123456789012345678, 0)},
        {"92233720368547758.07", Decimal(9223372036854775807, 2)},
        {"-92233720368547758.07", Decimal(-9223372036854775807, 2)},
        {"0.000000000001", Decimal(1, 12)},
    };
    for (const auto& [text, value] : good) {
        SCOPED_TRACE(text);
        CollectingSettlementSink sink;
        stats_of(with_first_amount(text), sink);
        ASSERT_FALSE(sink.rows().empty());
        EXPECT_EQ(sink.rows().front().line, 3u);
        EXPECT_EQ(sink.rows().front().event.amount.amount, value);
        EXPECT_EQ(sink.rows().front().event.amount.amount.scale(), value.scale());
    }
    for (const std::string text : {"92233720368547758.08", "1.2.3", "0.0000000000001", "--1", "-",
                                   "+", "1-2", "1e3", "12 50", "0x10"}) {
        SCOPED_TRACE(text);
        CollectingSettlementSink sink;
        stats_of(with_first_amount(text), sink);
        ASSERT_FALSE(sink.issues().empty());
        EXPECT_EQ(sink.issues().front().message, "line 3: amount '" + text + "' is not a number");
        EXPECT_NE(sink.rows().front().line, 3u);
    }
}

TEST(SettlementReport, DatesNormalizeToUtc) {
    const auto n = [](std::string_view t, SlashDateOrder o = SlashDateOrder::month_first) {
        return normalize_settlement_date(t, o).value_or("<none>");
    };
    EXPECT_EQ(n("2015-12-02T03:27:08+00:00"), "2015-12-02T03:27:08Z");
    EXPECT_EQ(n("2015-12-02T03:27:08+02:00"), "2015-12-02T01:27:08Z");
    EXPECT_EQ(n("2015-12-01T23:30:00-08:00"), "2015-12-02T07:30:00Z");
    EXPECT_EQ(n("2020-02-05T13:56:00.363Z"), "2020-02-05T13:56:00Z");
    EXPECT_EQ(n("2025-06-09 05:23:19 UTC"), "2025-06-09T05:23:19Z");
    EXPECT_EQ(n("2025-06-09"), "2025-06-09T00:00:00Z");
    EXPECT_EQ(n("19.01.2021 07:41:37 UTC"), "2021-01-19T07:41:37Z");
    EXPECT_EQ(n("19.01.21"), "2021-01-19T00:00:00Z");
    EXPECT_EQ(n("09/06/25"), "2025-09-06T00:00:00Z");
    EXPECT_EQ(n("09/06/25", SlashDateOrder::day_first), "2025-06-09T00:00:00Z");
    EXPECT_EQ(n("2025-02-30"), "<none>");
    EXPECT_EQ(n("2025-06-09 25:00:00"), "<none>");
    EXPECT_EQ(n("2025-06-09 05:23:19 PST"), "<none>");
    EXPECT_EQ(n("tomorrow"), "<none>");
    EXPECT_EQ(n(""), "<none>");
}

TEST(SettlementReport, MarketplaceLocales) {
    EXPECT_EQ(marketplace_locale("Amazon.de")->decimal, DecimalStyle::comma);
    EXPECT_EQ(marketplace_locale("A1PA6795UKMFR9")->decimal, DecimalStyle::comma);
    EXPECT_EQ(marketplace_locale("Amazon.com")->slash_dates, SlashDateOrder::month_first);
    EXPECT_EQ(marketplace_locale("Amazon.co.uk")->slash_dates, SlashDateOrder::day_first);
    EXPECT_EQ(marketplace_locale("www.amazon.fr")->decimal, DecimalStyle::comma);
    EXPECT_FALSE(marketplace_locale("Non-Amazon").has_value());
}

TEST(SettlementReport, MissingFileIsAnError) {
    CollectingSettlementSink sink;
    const auto r = parse_settlement_file("/nonexistent/settlement.txt", sink);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, ErrorKind::permanent);
    EXPECT_NE(r.error().message.find("cannot open settlement report"), std::string::npos);
}

}  // namespace
}  // namespace clarity::amazon
