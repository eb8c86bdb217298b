// Terminal-safe output (issue #18 item 7, "what must be true" 6): data printed by the CLI from
// files, notifications and the store reaches the terminal with every control character escaped
// (ESC as \x1b, C1 as \u009b, DEL as \x7f), and a value cannot fake an extra line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "clarity/core/clock.hpp"
#include "clarity/core/random.hpp"
#include "clarity/store/options.hpp"
#include "clarity/store/store.hpp"
#include "hostile.hpp"
#include "support/test_env.hpp"

namespace clarity::hostile {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// ESC (a colour and a window title), CSI as the C1 control U+009B, DEL, CR, BEL, and a newline
// followed by text that would pass for one of the command's own lines.
const std::string kHostile =
    "\x1b[31mRED\x1b]0;owned\x07 \xc2\x9b"
    "2J \x7f \rback\nstatus     OK: forged";

void expect_clean(const Outcome& r) {
    EXPECT_FALSE(has_terminal_controls(r.out)) << r.out;
    EXPECT_FALSE(has_terminal_controls(r.err)) << r.err;
    EXPECT_THAT(r.out + r.err, Not(HasSubstr("\nstatus     OK: forged")));
}

TEST(HostileTerminal, ConfigErrorEchoingAValueIsEscaped) {
    test::TempDir dir;
    const auto file =
        write_file(dir, "c.yaml",
                   "admin: {max_connections: \"\\e[2J\\e]0;x\\a\\x9b\"}\n" + connections_yaml());
    const auto r = run_cli({"config", "check", "-c", file});
    EXPECT_EQ(r.exit_code, 2);
    expect_clean(r);
    EXPECT_THAT(r.err, HasSubstr("'\\x1b[2J\\x1b]0;x\\x07\\u009b' is not an integer")) << r.err;
}

TEST(HostileTerminal, SettlementInspectEscapesReportFields) {
    test::TempDir dir;
    const std::string header =
        "settlement-id\tsettlement-start-date\tsettlement-end-date\tdeposit-date\ttotal-amount\t"
        "currency\ttransaction-type\torder-id\tamount-type\tamount-description\tamount\t"
        "posted-date\tx-\x1b[5mextra\n";
    std::string tab_free = kHostile;
    const std::string summary =
        "111\t2025-06-01T00:00:00Z\t2025-06-15T00:00:00Z\t"
        "2025-06-17T00:00:00Z\t10.00\tEUR\t\t\t\t\t\t\t\n";
    // The newline cannot be inside a TSV field; CR, ESC, C1 and DEL can.
    std::string field = kHostile.substr(0, kHostile.find('\n'));
    const std::string row = "111\t\t\t\t\tEUR\tOrder" + field + "\t028-" + field + "\tItemPrice" +
                            field + "\tPrincipal" + field + "\t10.00\t2025-06-09\tv\n";
    const auto file = write_file(dir, "s.txt", header + summary + row);
    const auto r = run_cli({"settlement", "inspect", file, "--orders"});
    expect_clean(r);
    EXPECT_THAT(r.out, HasSubstr("\\x1b[31mRED")) << r.out;
    EXPECT_THAT(r.out, HasSubstr("\\u009b2J")) << r.out;
}

TEST(HostileTerminal, MappingPreviewEscapesInputValues) {
    test::TempDir dir;
    // JSON escapes for the controls JSON forbids raw; DEL and C1 travel as they are.
    const auto input = write_file(
        dir, "order.json",
        "{\"AmazonOrderId\":\"028-1\\u001b[31m\",\"PurchaseDate\":\"2025-06-01T00:00:00Z\","
        "\"LastUpdateDate\":\"2025-06-01T00:00:00Z\",\"OrderStatus\":\"Unshipped\","
        "\"MarketplaceId\":\"A1PA6795UKMFR9\",\"BuyerInfo\":{\"BuyerName\":\"\xc2\x9b"
        "2J\x7f\\r\\nforged\"}}");
    const auto r = run_cli({"mapping", "preview", "--template",
                            (test::source_dir() / "config/mapping/order_import.yaml").string(),
                            "--flow", "order_import", "--input", input});
    expect_clean(r);
    EXPECT_THAT(r.out, HasSubstr("028-1\\u001b[31m")) << r.out;
}

TEST(HostileTerminal, QueueDeadAndShowEscapeStoredValues) {
    test::TempDir dir;
    const auto db = (dir / "c.db").string();
    {
        store::StoreOptions o;
        o.path = db;
        DefaultRandom random;
        auto s = store::open_store(o, {SystemClock::instance(), random, nullptr});
        auto job = s->enqueue({.connection = "eu",
                               .flow = "order_import",
                               .idempotency_key = "sqs:" + kHostile,
                               .entity_key = "order:" + kHostile,
                               .payload = "{\"body\":\"" + kHostile + "\"}"});
        ASSERT_TRUE(job);
        auto claimed = s->claim(1);
        ASSERT_TRUE(claimed && claimed->size() == 1);
        ASSERT_TRUE(s->fail(job->id, 1, make_error(ErrorKind::permanent, "bad body: " + kHostile)));
    }
    const auto config =
        write_file(dir, "c.yaml", "store: {path: \"" + db + "\"}\n" + connections_yaml());
    const auto dead = run_cli({"queue", "dead", "-c", config});
    EXPECT_EQ(dead.exit_code, 0) << dead.err;
    expect_clean(dead);
    EXPECT_THAT(dead.out, HasSubstr("\\x1b[31mRED")) << dead.out;
    const auto show = run_cli({"queue", "show", "-c", config, "1"});
    EXPECT_EQ(show.exit_code, 0) << show.err;
    expect_clean(show);
    EXPECT_THAT(show.out, HasSubstr("\\x0astatus")) << show.out;
    const auto list = run_cli({"queue", "list", "-c", config});
    expect_clean(list);
}

}  // namespace
}  // namespace clarity::hostile
