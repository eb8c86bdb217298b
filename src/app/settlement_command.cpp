#include "settlement_command.hpp"

#include <fstream>
#include <iomanip>
#include <memory>
#include <sstream>

#include "clarity/amazon/settlement_finances.hpp"
#include "clarity/amazon/settlement_report.hpp"
#include "clarity/core/file_read.hpp"
#include "clarity/mapping/settlement_journal.hpp"
#include "clarity/mapping/settlement_reconciliation.hpp"
#include "commands.hpp"
#include "terminal_output.hpp"

namespace clarity::app {

namespace {

constexpr std::size_t kShownIssues = 50;

// Aggregates while parsing; keeps rows only when a reconciliation needs them.
class InspectSink : public amazon::SettlementSink {
  public:
    InspectSink(const mapping::SettlementAccountMap& map, bool keep_rows, bool index_orders)
        : aggregator(map), keep_rows_(keep_rows), index_orders_(index_orders) {}

    void on_header(const amazon::SettlementHeader& h) override { header = h; }
    void on_summary(const model::SettlementSummary& s) override {
        summary = s;
        aggregator.set_summary(s);
    }
    void on_row_view(const amazon::SettlementRowView& row) override {
        aggregator.add(row.transaction_type, row.amount_type, row.amount_description, row.amount,
                       row.currency, row.line);
        if (keep_rows_) rows.push_back(row.row().event);
        if (index_orders_) {
            orders.add(row.order_id, row.transaction_type, row.amount_type, row.amount_description,
                       row.amount);
        }
    }
    void on_issue(const amazon::SettlementIssue& issue) override {
        if (issues.size() < kShownIssues) issues.push_back(issue);
    }

    mapping::SettlementAggregator aggregator;
    amazon::SettlementHeader header;
    std::optional<model::SettlementSummary> summary;
    std::vector<model::FinancialEvent> rows;
    mapping::SettlementOrderIndex orders;
    std::vector<amazon::SettlementIssue> issues;

  private:
    bool keep_rows_;
    bool index_orders_;
};

// At most `bytes` bytes of `text`, not ending inside a UTF-8 sequence.
std::string clip(std::string text, std::size_t bytes) {
    if (text.size() <= bytes) return text;
    text.resize(bytes);
    text.resize(core::complete_utf8_prefix(text));
    return text;
}

std::string amount(const model::Decimal& d) { return d.is_zero() ? "" : d.to_string(); }

}  // namespace

int run_settlement_inspect(const SettlementInspectArgs& args,
                           std::ostream& out,
                           std::ostream& err) {
    std::unique_ptr<mapping::SettlementAccountMap> map;
    try {
        map = std::make_unique<mapping::SettlementAccountMap>(
            args.map.empty() ? mapping::SettlementAccountMap::builtin_default()
                             : mapping::SettlementAccountMap::load(args.map));
    } catch (const mapping::AccountMapError& e) {
        err << "settlement inspect: account map: " << safe(e.what()) << "\n";
        return kExitUsage;
    }
    amazon::SettlementParseOptions options;
    if (args.decimal == "point") options.decimal = amazon::DecimalStyle::point;
    if (args.decimal == "comma") options.decimal = amazon::DecimalStyle::comma;
    if (args.slash_dates == "month_first")
        options.slash_dates = amazon::SlashDateOrder::month_first;
    if (args.slash_dates == "day_first") options.slash_dates = amazon::SlashDateOrder::day_first;

    // Decode the events first: a bad events file is a usage error, found before a long parse.
    std::vector<model::FinancialEvent> events;
    std::vector<std::string> event_warnings;
    for (const auto& path : args.events) {
        const auto body = core::read_regular_file(path, core::kMaxDocumentFileBytes);
        if (!body) {
            err << "settlement inspect: cannot read events file " << safe(path) << ": "
                << safe(body.error().message) << "\n";
            return kExitUsage;
        }
        auto decoded = amazon::decode_finances(*body);
        if (!decoded) {
            err << "settlement inspect: " << safe(path) << ": " << safe(decoded.error().message)
                << "\n";
            return kExitUsage;
        }
        events.insert(events.end(), decoded->events.begin(), decoded->events.end());
        for (auto& w : decoded->warnings) event_warnings.push_back(path + ": " + w);
    }

    InspectSink sink(*map, !args.events.empty(), args.list_orders);
    const auto stats = amazon::parse_settlement_file(args.file, sink, options);
    if (!stats) {
        err << "settlement inspect: " << safe(stats.error().message) << "\n";
        return kExitUsage;
    }
    const auto journal = sink.aggregator.finish();
    const bool postable = !stats->quarantined() && journal.postable();

    out << "Settlement "
        << (journal.settlement_id.empty() ? "(unknown)" : safe(journal.settlement_id)) << "\n";
    if (sink.summary) {
        const auto& s = *sink.summary;
        out << "  period     " << safe(s.start_at) << " .. " << safe(s.end_at) << "\n";
        out << "  deposit    " << (s.deposit_at.empty() ? "-" : safe(s.deposit_at)) << "\n";
        out << "  total      " << s.total.amount.to_string() << " " << safe(s.total.currency)
            << "\n";
    }
    out << "  rows       " << stats->amount_rows << " amount rows summing to "
        << journal.rows_total.to_string() << " (" << sink.header.columns.size() << " columns";
    if (!sink.header.extra_columns.empty()) {
        out << "; extra:";
        for (const auto& c : sink.header.extra_columns) out << " " << safe(c);
    }
    out << ")\n";
    out << "  status     "
        << (postable ? "OK: balanced and ties to the total"
                     : "QUARANTINED: do not post (see issues below)")
        << "\n\n";

    out << "Journal lines it would post:\n";
    out << "  " << std::left << std::setw(10) << "account" << std::setw(44) << "label" << std::right
        << std::setw(14) << "debit" << std::setw(14) << "credit" << std::setw(9) << "rows"
        << "  tax / analytic\n";
    for (const auto& l : journal.lines) {
        out << "  " << std::left << std::setw(10) << safe(l.target.account) << std::setw(44)
            << clip(safe(l.target.label), 43) << std::right << std::setw(14) << amount(l.debit)
            << std::setw(14) << amount(l.credit) << std::setw(9)
            << (l.is_bank ? "" : std::to_string(l.rows));
        if (!l.target.tax.empty() || !l.target.analytic_tag.empty()) {
            out << "  " << safe(l.target.tax) << " / " << safe(l.target.analytic_tag);
        }
        out << "\n";
    }
    out << "  " << std::left << std::setw(54) << "total" << std::right << std::setw(14)
        << journal.debit_total.to_string() << std::setw(14) << journal.credit_total.to_string()
        << "\n";

    if (!journal.unmapped.empty()) {
        out << "\nUnmapped amount types (booked to suspense " << safe(map->suspense.account)
            << "; add rules to the account map):\n";
        for (const auto& u : journal.unmapped) {
            out << "  " << safe(u.transaction_type) << " / " << safe(u.amount_type) << " / "
                << safe(u.amount_description) << ": " << u.rows << " row(s), "
                << u.total.to_string() << " " << safe(journal.currency) << ", first on line "
                << u.first_line << "\n";
        }
    }

    if (stats->issues > 0 || !journal.problems.empty()) {
        out << "\nIssues (" << stats->issues << " in the report):\n";
        for (const auto& i : sink.issues) out << "  " << safe(i.message) << "\n";
        if (stats->issues > sink.issues.size()) {
            out << "  … and " << (stats->issues - sink.issues.size()) << " more\n";
        }
        for (const auto& p : journal.problems) out << "  journal: " << safe(p) << "\n";
    }

    if (args.list_orders) {
        const auto orders = sink.orders.orders();
        out << "\nOrders paid (" << orders.size() << "):\n";
        for (const auto& o : orders) {
            out << "  " << safe(o.order_id) << "  net " << o.net.to_string() << " (" << o.rows
                << " rows)\n";
            for (const auto& [k, v] : o.components)
                out << "      " << safe(k) << "  " << v.to_string() << "\n";
        }
    }

    if (!args.events.empty() && sink.summary) {
        const auto diffs =
            mapping::compare_settlement_with_events(*sink.summary, sink.rows, events);
        out << "\nDifferences with " << events.size() << " financial event(s): " << diffs.size()
            << "\n";
        for (const auto& d : diffs) {
            out << "  " << std::left << std::setw(22) << mapping::to_string(d.kind) << std::setw(22)
                << (d.order_id.empty() ? "(account)" : safe(d.order_id)) << safe(d.transaction_type)
                << " / " << safe(d.amount_type) << " / " << safe(d.amount_description)
                << "  settlement " << d.settlement_amount.to_string() << "  events "
                << d.events_amount.to_string() << "\n";
        }
        for (const auto& w : event_warnings) out << "  warning: " << safe(w) << "\n";
    }
    return postable ? kExitOk : kExitRuntime;
}

void add_settlement_commands(CLI::App& app) {
    auto* settlement = app.add_subcommand("settlement", "Amazon settlement reports");
    settlement->require_subcommand(1);
    auto* inspect = settlement->add_subcommand(
        "inspect", "Parse a settlement report and print the journal it would post");
    auto args = std::make_shared<SettlementInspectArgs>();
    inspect->add_option("FILE", args->file, "V2 flat-file settlement report (plain or gzip)")
        ->required()
        ->check(CLI::ExistingFile);
    inspect->add_option("--map", args->map, "Account map YAML (default: built-in map)")
        ->check(CLI::ExistingFile);
    inspect->add_option("--events", args->events,
                        "Finances API response (v0 listFinancialEvents or 2024-06-19 "
                        "listTransactions JSON) to compare with; repeatable");
    inspect->add_flag("--orders", args->list_orders, "List the orders the settlement pays");
    inspect->add_option("--decimal", args->decimal, "Decimal separator of amounts")
        ->check(CLI::IsMember({"automatic", "point", "comma"}));
    inspect->add_option("--slash-dates", args->slash_dates, "Reading of dates like 09/06/25")
        ->check(CLI::IsMember({"automatic", "month_first", "day_first"}));
    inspect->callback([args] {
        const int code = run_settlement_inspect(*args, std::cout, std::cerr);
        if (code != kExitOk) throw CLI::RuntimeError(code);
    });
}

}  // namespace clarity::app
