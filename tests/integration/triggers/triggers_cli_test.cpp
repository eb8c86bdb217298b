// The built clarity-connect against the fakes: `sync orders` counts, its usage errors, and the
// daemon (`run`) picking up an SQS notification and a swept order into the store file.
#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "admin/child_process.hpp"
#include "clarity/core/random.hpp"
#include "clarity/flows/order_jobs.hpp"
#include "clarity/flows/order_triggers.hpp"
#include "clarity/store/options.hpp"
#include "fixture.hpp"

namespace clarity::test {
namespace {

using namespace std::chrono_literals;

std::string exe() { return (binary_dir() / "src/app/clarity-connect").string(); }

class TriggersCli : public ::testing::Test {
  protected:
    TriggersCli() : amazon(SystemClock::instance(), fast_sp_api()) {
        for (int i = 1; i <= 3; ++i) {
            amazon.add_order(seed_order("111-0000003-000000" + std::to_string(i),
                                        "2026-11-01T1" + std::to_string(i) + ":00:00Z"));
        }
    }

    std::vector<store::JobInfo> jobs() {
        DefaultRandom random;
        store::StoreOptions o;
        o.path = (dir / "store.db").string();
        auto s = store::open_store(o, {SystemClock::instance(), random, nullptr});
        store::JobFilter f;
        f.flow = std::string(flows::kOrderImportFlow);
        f.limit = 1000;
        return s->list_jobs(f).value();
    }

    TempDir dir;
    fakes::sp_api::FakeSpApi amazon;
    // Never called here (no flow is built in): only its URL goes into the config.
    std::string odoo_url = "http://127.0.0.1:9";
};

TEST_F(TriggersCli, SyncOrdersEnqueuesTheWindowThenCountsDuplicates) {
    const auto config = write_config(dir, amazon, odoo_url).string();
    auto r = run_child({exe(), "sync", "orders", "-c", config, "--connection", "eu", "--since",
                        "2026-11-01T12:00:00Z"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("2 orders in 1 pages, 2 enqueued, 0 duplicates"), std::string::npos)
        << r.out;
    r = run_child(
        {exe(), "sync", "orders", "-c", config, "--connection", "eu", "--since", "2026-11-01"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("3 orders in 1 pages, 1 enqueued, 2 duplicates"), std::string::npos)
        << r.out;
    auto all = jobs();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(flows::parse_order_job(all[0].payload)->source, "sync");
}

TEST_F(TriggersCli, SyncOrdersUsageErrorsExitTwo) {
    const auto config = write_config(dir, amazon, odoo_url).string();
    auto r = run_child(
        {exe(), "sync", "orders", "-c", config, "--connection", "nope", "--since", "2026-11-01"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("no connection named 'nope'"), std::string::npos) << r.err;
    r = run_child(
        {exe(), "sync", "orders", "-c", config, "--connection", "eu", "--since", "yesterday"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--since"), std::string::npos) << r.err;
    r = run_child({exe(), "sync", "orders", "-c", config, "--connection", "eu"});
    EXPECT_EQ(r.exit_code, 2);  // --since is required
}

TEST_F(TriggersCli, SyncOrdersFailureExitsOne) {
    const auto config = write_config(dir, amazon, odoo_url).string();
    amazon.fail_nth("searchOrders", 1, {.kind = fakes::sp_api::Fault::Kind::status, .status = 400});
    auto r = run_child(
        {exe(), "sync", "orders", "-c", config, "--connection", "eu", "--since", "2026-11-01"});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("stopped early"), std::string::npos) << r.err;
}

TEST_F(TriggersCli, DaemonEnqueuesANotificationAndASweptOrder) {
    amazon.enqueue_message(order_change("n-1", "111-0000004-0000001", "2026-11-02T10:05:00Z"));
    const auto config =
        write_config(dir, amazon, odoo_url,
                     {.triggers = "{enabled: true, initial_lookback: 3650d, sweep_interval: 1h}"})
            .string();
    Child daemon({exe(), "run", "-c", config});
    // Poll the store file with a deadline (a child process: no clock to inject).
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    std::vector<store::JobInfo> all;
    while (std::chrono::steady_clock::now() < deadline) {
        all = jobs();
        if (all.size() >= 4 && amazon.queue_total() == 0) break;
        std::this_thread::sleep_for(50ms);
    }
    daemon.signal(SIGTERM);
    auto r = daemon.wait(20s);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(all.size(), 4u) << r.err;
    std::set<std::string> sources;
    for (const auto& j : all) sources.insert(flows::parse_order_job(j.payload)->source);
    EXPECT_EQ(sources, (std::set<std::string>{"notification", "sweep"}));
    EXPECT_EQ(amazon.queue_total(), 0u);
    // The flow is not part of this build: the daemon says the jobs wait.
    EXPECT_NE(r.err.find("order_import"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace clarity::test
