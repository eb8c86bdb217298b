#include "settlement_command.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "commands.hpp"
#include "settlement_report_generator.hpp"
#include "support/temp_dir.hpp"

namespace clarity::app {
namespace {

struct Run {
    int code = -1;
    std::string out;
};

// Runs `clarity-connect <args>` through CLI11 as main() does, capturing stdout.
Run run_cli(std::vector<std::string> args) {
    CLI::App app{"test", "clarity-connect"};
    app.require_subcommand(1);
    add_settlement_commands(app);
    args.insert(args.begin(), "clarity-connect");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::ostringstream captured;
    auto* old = std::cout.rdbuf(captured.rdbuf());
    Run r;
    try {
        app.parse(static_cast<int>(argv.size()), argv.data());
        r.code = kExitOk;
    } catch (const CLI::RuntimeError& e) {
        r.code = e.get_exit_code();
    } catch (const CLI::ParseError& e) {
        r.code = kExitUsage;
    }
    std::cout.rdbuf(old);
    r.out = captured.str();
    return r;
}

void write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

TEST(SettlementCommand, InspectPrintsSummaryAndJournalOfAGoodReport) {
    test::TempDir dir;
    test::ReportSpec spec;
    spec.unknown_type = true;
    const auto report = test::make_report(spec);
    write(dir / "s.txt.gz", test::gzip(report.text));
    const auto r = run_cli({"settlement", "inspect", (dir / "s.txt.gz").string(), "--orders"});
    EXPECT_EQ(r.code, kExitOk) << r.out;
    EXPECT_NE(r.out.find("Settlement 11223344556"), std::string::npos);
    EXPECT_NE(r.out.find("deposit    2025-06-17T00:00:00Z"), std::string::npos);
    EXPECT_NE(r.out.find("status     OK"), std::string::npos);
    EXPECT_NE(r.out.find("101402"), std::string::npos);
    EXPECT_NE(r.out.find("Amazon sales (refunds)"), std::string::npos);
    EXPECT_NE(r.out.find("NewProgram / NewAmountType / Mystery: 1 row(s), -0.99 USD"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("Orders paid (3)"), std::string::npos);
    EXPECT_NE(r.out.find(report.order_ids[2]), std::string::npos);
}

TEST(SettlementCommand, ReportWithABadRowIsQuarantined) {
    test::TempDir dir;
    auto text = test::make_report(test::ReportSpec{}).text;
    text.replace(text.find("\t3.99\t"), 6, "\t3.9x\t");
    write(dir / "bad.txt", text);
    const auto r = run_cli({"settlement", "inspect", (dir / "bad.txt").string()});
    EXPECT_EQ(r.code, kExitRuntime);
    EXPECT_NE(r.out.find("QUARANTINED"), std::string::npos);
    EXPECT_NE(r.out.find("line 5: amount '3.9x' is not a number"), std::string::npos) << r.out;
}

TEST(SettlementCommand, CustomMapAndEventsComparison) {
    test::TempDir dir;
    test::ReportSpec spec;
    spec.orders = 1;
    spec.refund = false;
    spec.reserves = false;
    spec.adjustment = false;
    const auto report = test::make_report(spec);
    write(dir / "s.txt", report.text);
    write(dir / "map.yaml",
          "bank: {account: '512'}\nsuspense: {account: '471'}\nrules:\n"
          "  - {amount_type: ItemPrice, account: '707', label: Ventes, tax: TVA20, analytic_tag: "
          "amazon}\n");
    // The Principal event arrived; Tax, Shipping, fees and promotion did not (yet).
    write(dir / "events.json",
          R"({"payload":{"FinancialEvents":{"ShipmentEventList":[{"AmazonOrderId":")" +
              report.order_ids[0] +
              R"(","PostedDate":"2025-06-02T05:23:19Z","ShipmentItemList":[{"SellerSKU":"SKU-0",
              "ItemChargeList":[{"ChargeType":"Principal","ChargeAmount":{"CurrencyCode":"USD","CurrencyAmount":10.00}}]}]}]}}})");
    const auto r =
        run_cli({"settlement", "inspect", (dir / "s.txt").string(), "--map",
                 (dir / "map.yaml").string(), "--events", (dir / "events.json").string()});
    EXPECT_EQ(r.code, kExitOk) << r.out;
    EXPECT_NE(r.out.find("707       Ventes"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("TVA20 / amazon"), std::string::npos);
    EXPECT_NE(r.out.find("471"), std::string::npos);  // fees and promotion: suspense
    EXPECT_NE(r.out.find("Differences with 1 financial event(s): 5"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("missing_in_events"), std::string::npos);
}

TEST(SettlementCommand, BadInputsAreUsageErrors) {
    test::TempDir dir;
    write(dir / "s.txt", test::make_report(test::ReportSpec{}).text);
    write(dir / "map.yaml", "bank: {account: '1'}\n");
    std::ostringstream out;
    std::ostringstream err;
    SettlementInspectArgs args;
    args.file = (dir / "s.txt").string();
    args.map = (dir / "map.yaml").string();
    EXPECT_EQ(run_settlement_inspect(args, out, err), kExitUsage);
    EXPECT_NE(err.str().find("account map:"), std::string::npos);
    args.map.clear();
    args.events = {(dir / "s.txt").string()};
    err.str("");
    EXPECT_EQ(run_settlement_inspect(args, out, err), kExitUsage);
    EXPECT_NE(err.str().find("not valid JSON"), std::string::npos) << err.str();
    args.events.clear();
    args.file = (dir / "missing.txt").string();
    err.str("");
    EXPECT_EQ(run_settlement_inspect(args, out, err), kExitUsage);
    EXPECT_NE(err.str().find("cannot open settlement report"), std::string::npos);
    EXPECT_EQ(run_cli({"settlement", "inspect", (dir / "missing.txt").string()}).code, kExitUsage);
}

}  // namespace
}  // namespace clarity::app
