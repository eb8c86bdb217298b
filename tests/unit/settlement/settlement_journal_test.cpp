#include "clarity/mapping/settlement_journal.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "clarity/amazon/settlement_report.hpp"
#include "settlement_report_generator.hpp"

namespace clarity::mapping {
namespace {

using model::Decimal;
using test::ReportSpec;

Decimal cents(std::int64_t c) { return Decimal(c, 2); }

// Streams a generated report through the parser into the aggregator, as production does.
class AggregatingSink : public amazon::SettlementSink {
  public:
    explicit AggregatingSink(const SettlementAccountMap& map) : agg(map) {}
    void on_summary(const model::SettlementSummary& s) override { agg.set_summary(s); }
    void on_row(const amazon::SettlementRow& r) override { agg.add(r.event, r.line); }
    SettlementAggregator agg;
};

SettlementJournal journal_of(const std::string& text, const SettlementAccountMap& map) {
    AggregatingSink sink(map);
    std::istringstream in(text);
    const auto stats = amazon::parse_settlement_stream(in, sink);
    EXPECT_FALSE(stats.quarantined());
    return sink.agg.finish();
}

const JournalLine* line_for(const SettlementJournal& j, std::string_view account, bool refund) {
    for (const auto& l : j.lines) {
        if (l.target.account == account && l.is_refund == refund && !l.is_bank) return &l;
    }
    return nullptr;
}

std::vector<ReportSpec> every_variant() {
    std::vector<ReportSpec> specs;
    for (int v = 0; v < 16; ++v) {
        ReportSpec s;
        s.decimal_comma = v & 1;
        s.eu_dates = v & 1;
        s.currency = (v & 1) ? "EUR" : "USD";
        s.marketplace = (v & 1) ? "Amazon.de" : "Amazon.com";
        s.promotion_id = v & 2;
        s.extra_column = v & 4;
        s.unknown_type = v & 8;
        s.orders = 1 + v * 3;
        specs.push_back(s);
    }
    return specs;
}

TEST(SettlementJournal, EverySettlementBalancesAndTiesToTheCent) {
    const auto map = SettlementAccountMap::builtin_default();
    for (const auto& spec : every_variant()) {
        const auto report = test::make_report(spec);
        const auto j = journal_of(report.text, map);
        SCOPED_TRACE(spec.currency + " orders=" + std::to_string(spec.orders));
        EXPECT_TRUE(j.balanced()) << j.debit_total.to_string() << " vs "
                                  << j.credit_total.to_string();
        EXPECT_TRUE(j.totals_match());
        EXPECT_TRUE(j.postable());
        EXPECT_EQ(j.rows_total, cents(report.total_cents));
        EXPECT_EQ(j.summary_total, cents(report.total_cents));
        EXPECT_EQ(j.rows, report.amount_rows);
        ASSERT_FALSE(j.lines.empty());
        EXPECT_TRUE(j.lines.front().is_bank);
        EXPECT_EQ(j.lines.front().debit - j.lines.front().credit, cents(report.total_cents));
        Decimal debit;
        Decimal credit;
        std::uint64_t rows = 0;
        for (const auto& l : j.lines) {
            debit += l.debit;
            credit += l.credit;
            rows += l.rows;
            EXPECT_FALSE(l.debit.is_negative());
            EXPECT_FALSE(l.credit.is_negative());
        }
        EXPECT_EQ(debit, credit);
        EXPECT_EQ(rows, report.amount_rows);  // nothing dropped
        EXPECT_EQ(j.unmapped.size(), spec.unknown_type ? 1u : 0u);
    }
}

// The streaming path: the aggregator fed from row views, as the bench and the command do.
class ViewAggregatingSink : public amazon::SettlementSink {
  public:
    explicit ViewAggregatingSink(const SettlementAccountMap& map) : agg(map) {}
    void on_summary(const model::SettlementSummary& s) override { agg.set_summary(s); }
    void on_row_view(const amazon::SettlementRowView& r) override {
        agg.add(r.transaction_type, r.amount_type, r.amount_description, r.amount, r.currency,
                r.line);
    }
    SettlementAggregator agg;
};

TEST(SettlementJournal, ViewAndEventAggregationAgree) {
    const auto map = SettlementAccountMap::builtin_default();
    for (const auto& spec : every_variant()) {
        SCOPED_TRACE(spec.currency + " orders=" + std::to_string(spec.orders));
        const auto report = test::make_report(spec);
        const auto by_event = journal_of(report.text, map);
        ViewAggregatingSink sink(map);
        std::istringstream in(report.text);
        EXPECT_FALSE(amazon::parse_settlement_stream(in, sink).quarantined());
        const auto by_view = sink.agg.finish();
        EXPECT_TRUE(by_view.postable());
        EXPECT_EQ(by_view.lines, by_event.lines);
        EXPECT_EQ(by_view.rows, by_event.rows);
        EXPECT_EQ(by_view.rows_total, by_event.rows_total);
        EXPECT_EQ(by_view.debit_total, by_event.debit_total);
        EXPECT_EQ(by_view.problems, by_event.problems);
        ASSERT_EQ(by_view.unmapped.size(), by_event.unmapped.size());
        for (std::size_t i = 0; i < by_view.unmapped.size(); ++i) {
            EXPECT_EQ(by_view.unmapped[i].amount_description,
                      by_event.unmapped[i].amount_description);
            EXPECT_EQ(by_view.unmapped[i].total, by_event.unmapped[i].total);
            EXPECT_EQ(by_view.unmapped[i].rows, by_event.unmapped[i].rows);
            EXPECT_EQ(by_view.unmapped[i].first_line, by_event.unmapped[i].first_line);
        }
    }
}

TEST(SettlementJournal, KeysDifferingOnlyInWhereTheirPartsSplitStayApart) {
    // Same concatenated text, different (type, description) split: two rules, two accounts.
    auto map = SettlementAccountMap::from_yaml(R"(bank: {account: "1"}
suspense: {account: "9"}
rules:
  - {amount_type: AB, amount_description: C, account: "2"}
  - {amount_type: A, amount_description: BC, account: "3"}
)");
    SettlementAggregator agg(map);
    agg.add("Order", "AB", "C", cents(100), "USD", 3);
    agg.add("Order", "A", "BC", cents(250), "USD", 4);
    agg.add("Order", "AB", "C", cents(1), "USD", 5);
    const auto j = agg.finish();
    ASSERT_NE(line_for(j, "2", false), nullptr);
    ASSERT_NE(line_for(j, "3", false), nullptr);
    EXPECT_EQ(line_for(j, "2", false)->credit, cents(101));
    EXPECT_EQ(line_for(j, "3", false)->credit, cents(250));
    EXPECT_TRUE(j.unmapped.empty());
}

TEST(SettlementJournal, AmountsGoToTheirAccountsAndRefundsAreReversed) {
    ReportSpec spec;
    spec.orders = 1;
    const auto j =
        journal_of(test::make_report(spec).text, SettlementAccountMap::builtin_default());
    EXPECT_EQ(j.settlement_id, "11223344556");
    EXPECT_EQ(j.currency, "USD");
    EXPECT_EQ(j.date, "2025-06-17T00:00:00Z");
    const auto* sales = line_for(j, "400100", false);
    ASSERT_NE(sales, nullptr);
    EXPECT_EQ(sales->credit, cents(1000));
    EXPECT_EQ(sales->target.label, "Amazon sales");
    const auto* refunds = line_for(j, "400100", true);
    ASSERT_NE(refunds, nullptr);
    EXPECT_EQ(refunds->debit, cents(1000));
    EXPECT_EQ(refunds->target.label, "Amazon sales (refunds)");
    const auto* tax = line_for(j, "251000", false);
    ASSERT_NE(tax, nullptr);
    EXPECT_EQ(tax->credit, cents(190));
    const auto* commission = line_for(j, "620100", false);
    ASSERT_NE(commission, nullptr);
    EXPECT_EQ(commission->debit, cents(150));
    const auto* fba = line_for(j, "620200", false);
    ASSERT_NE(fba, nullptr);
    EXPECT_EQ(fba->debit, cents(250));
    const auto* reserve = line_for(j, "102500", false);
    ASSERT_NE(reserve, nullptr);
    EXPECT_EQ(reserve->debit, cents(1025));            // +50.00 released, -60.25 held
    EXPECT_NE(line_for(j, "620300", false), nullptr);  // service fee
    EXPECT_NE(line_for(j, "400800", false), nullptr);  // reimbursement
}

TEST(SettlementJournal, UnknownAmountTypeGoesToSuspenseAndIsReported) {
    ReportSpec spec;
    spec.unknown_type = true;
    const auto j =
        journal_of(test::make_report(spec).text, SettlementAccountMap::builtin_default());
    ASSERT_EQ(j.unmapped.size(), 1u);
    EXPECT_EQ(j.unmapped[0].transaction_type, "NewProgram");
    EXPECT_EQ(j.unmapped[0].amount_type, "NewAmountType");
    EXPECT_EQ(j.unmapped[0].amount_description, "Mystery");
    EXPECT_EQ(j.unmapped[0].rows, 1u);
    EXPECT_EQ(j.unmapped[0].total, cents(-99));
    EXPECT_GT(j.unmapped[0].first_line, 2u);
    const auto* suspense = line_for(j, "499999", false);
    ASSERT_NE(suspense, nullptr);
    EXPECT_TRUE(suspense->is_suspense);
    EXPECT_EQ(suspense->debit, cents(99));
    EXPECT_TRUE(j.postable());
}

TEST(SettlementJournal, NegativeSettlementCreditsTheBank) {
    const auto map = SettlementAccountMap::builtin_default();
    SettlementAggregator agg(map);
    agg.set_summary({"1", "", "", "", {cents(-2500), "GBP"}});
    model::FinancialEvent fee;
    fee.transaction_type = "ServiceFee";
    fee.amount_type = "Cost of Advertising";
    fee.amount_description = "TransactionTotalAmount";
    fee.amount = {cents(-2500), "GBP"};
    agg.add(fee);
    const auto j = agg.finish();
    EXPECT_TRUE(j.postable());
    EXPECT_EQ(j.lines[0].credit, cents(2500));
    EXPECT_EQ(j.lines[1].debit, cents(2500));
}

TEST(SettlementJournal, TotalsThatDoNotTieAreNotPostable) {
    const auto map = SettlementAccountMap::builtin_default();
    SettlementAggregator agg(map);
    agg.set_summary({"1", "", "", "", {cents(1000), "USD"}});
    model::FinancialEvent sale;
    sale.transaction_type = "Order";
    sale.amount_type = "ItemPrice";
    sale.amount_description = "Principal";
    sale.amount = {Decimal(9999, 3), "USD"};  // 9.999: off by a tenth of a cent
    agg.add(sale);
    const auto j = agg.finish();
    EXPECT_FALSE(j.totals_match());
    EXPECT_FALSE(j.balanced());
    EXPECT_FALSE(j.postable());
    ASSERT_FALSE(j.problems.empty());
    EXPECT_EQ(j.problems[0],
              "the amount rows sum to 9.999 USD but the settlement total is 10.00 (difference "
              "0.001)");
}

TEST(SettlementJournal, AggregationWithoutSummaryIsNotPostable) {
    const auto map = SettlementAccountMap::builtin_default();
    SettlementAggregator agg(map);
    EXPECT_FALSE(agg.finish().postable());
}

TEST(SettlementAccountMap, MostSpecificRuleWinsIgnoringCase) {
    const auto map = SettlementAccountMap::from_yaml(R"(
bank: {account: "1"}
suspense: {account: "9"}
rules:
  - {amount_type: ItemFees, account: "600"}
  - {amount_type: ItemFees, amount_description: Commission, account: "610"}
  - {transaction_type: Refund, amount_type: ItemFees, amount_description: Commission, account: "611"}
  - {amount_type: ItemPrice, amount_description: Principal, account: "400", refund_account: "410", refund_label: "Returns"}
)");
    EXPECT_EQ(map.find("Order", "ItemFees", "FBAWeightBasedFee")->target.account, "600");
    EXPECT_EQ(map.find("order", "itemfees", "commission")->target.account, "610");
    EXPECT_EQ(map.find("REFUND", "ItemFees", "Commission")->target.account, "611");
    EXPECT_EQ(map.find("Order", "Other", "X"), nullptr);
    SettlementAggregator agg(map);
    agg.set_summary({"1", "", "", "", {cents(0), "USD"}});
    model::FinancialEvent e;
    e.transaction_type = "Order";
    e.amount_type = "ItemPrice";
    e.amount_description = "Principal";
    e.amount = {cents(500), "USD"};
    agg.add(e);
    e.transaction_type = "Refund";
    e.amount = {cents(-500), "USD"};
    agg.add(e);
    const auto j = agg.finish();
    ASSERT_EQ(j.lines.size(), 3u);
    EXPECT_EQ(j.lines[1].target.account, "400");
    EXPECT_EQ(j.lines[1].credit, cents(500));
    EXPECT_EQ(j.lines[2].target.account, "410");
    EXPECT_EQ(j.lines[2].target.label, "Returns");
    EXPECT_EQ(j.lines[2].debit, cents(500));
    EXPECT_TRUE(j.postable());
}

TEST(SettlementAccountMap, BadMapsAreRejectedWithAReason) {
    const auto error_of = [](std::string_view yaml) {
        try {
            SettlementAccountMap::from_yaml(yaml, "m.yaml");
        } catch (const AccountMapError& e) {
            return std::string(e.what());
        }
        return std::string("<accepted>");
    };
    EXPECT_EQ(error_of("bank: {account: '1'}\nsuspense: {label: x}\n"),
              "m.yaml:2: suspense has no 'account' (the account code to book to)");
    EXPECT_EQ(error_of("bank: {account: '1'}\nsuspense: {account: '9'}\nbanks: 1\n"),
              "m.yaml:3: unknown key 'banks' (expected bank, suspense, rules)");
    EXPECT_EQ(
        error_of("bank: {account: '1'}\nsuspense: {account: '9'}\nrules:\n  - {account: '5'}\n"),
        "m.yaml:4: rule 1 matches everything; unmapped amounts belong in 'suspense'");
    EXPECT_EQ(error_of("bank: {account: '1'}\nsuspense: {account: '9'}\nrules:\n  - {amount_type: "
                       "X, acount: '5'}\n"),
              "m.yaml:4: rule 1: unknown key 'acount'");
    EXPECT_EQ(error_of("suspense: {account: '9'}\n"),
              "m.yaml: 'bank' must be a mapping with at least 'account'");
    EXPECT_NE(error_of("bank: [").find("not valid YAML"), std::string::npos);
    EXPECT_THROW(SettlementAccountMap::load("/nonexistent/map.yaml"), AccountMapError);
}

TEST(SettlementAccountMap, BuiltinDefaultIsTheShippedConfigFile) {
    // The source dir comes from the build (ctest's ENVIRONMENT list reaches gtest_discover_tests
    // with its first variable only).
    const auto shipped =
        SettlementAccountMap::load(std::filesystem::path(CLARITY_SETTLEMENT_SOURCE_DIR) / "config" /
                                   "mapping" / "settlement_accounts.yaml");
    const auto builtin = SettlementAccountMap::builtin_default();
    EXPECT_EQ(builtin.bank, shipped.bank);
    EXPECT_EQ(builtin.suspense, shipped.suspense);
    ASSERT_EQ(builtin.rules.size(), shipped.rules.size());
    for (std::size_t i = 0; i < builtin.rules.size(); ++i) {
        EXPECT_EQ(builtin.rules[i].target, shipped.rules[i].target);
        EXPECT_EQ(builtin.rules[i].amount_type, shipped.rules[i].amount_type);
        EXPECT_EQ(builtin.rules[i].amount_description, shipped.rules[i].amount_description);
        EXPECT_EQ(builtin.rules[i].transaction_type, shipped.rules[i].transaction_type);
    }
    // The issue's examples.
    EXPECT_EQ(builtin.find("Order", "ItemPrice", "Principal")->target.account, "400100");
    EXPECT_EQ(builtin.find("Order", "ItemPrice", "Tax")->target.account, "251000");
    EXPECT_EQ(builtin.find("Order", "ItemFees", "Commission")->target.account, "620100");
    EXPECT_EQ(builtin.find("Order", "ItemFees", "FBAPerUnitFulfillmentFee")->target.account,
              "620200");
    EXPECT_EQ(builtin.find("Order", "ItemPrice", "ShippingCharge")->target.account, "400200");
}

TEST(SettlementAccountMap, ConfigSpecAndOptions) {
    const auto spec = settlement_config_spec();
    ASSERT_NE(spec.find("account_map"), nullptr);
    ASSERT_NE(spec.find("decimal"), nullptr);
    core::ConfigNode node("settlement");
    node.set("account_map", "/etc/clarity/settlement_accounts.yaml");
    node.set("decimal", "comma");
    const auto o = settlement_options_from_config(node);
    EXPECT_EQ(o.account_map, "/etc/clarity/settlement_accounts.yaml");
    EXPECT_EQ(o.decimal, "comma");
    EXPECT_EQ(o.slash_dates, "automatic");
    EXPECT_THROW(o.load_account_map(), AccountMapError);
    EXPECT_EQ(SettlementOptions{}.load_account_map().bank.account, "101402");
}

}  // namespace
}  // namespace clarity::mapping
