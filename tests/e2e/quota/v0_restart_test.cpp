// The built daemon imports a backlog through Orders v0 (getOrder + getOrderItems per order, one
// Restricted Data Token each) against the fake SP-API enforcing the published usage plans ×20, is
// stopped once the bursts are spent and started again at once: the restarted daemon resumes the
// bucket levels it saved in its store and paces its calls, so the fake answers no 429 at all, and
// every order arrives exactly once.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <iostream>
#include <thread>

#include "e2e/orders/daemon_process.hpp"
#include "sandbox/daemon_config.hpp"
#include "sandbox/scenario.hpp"
#include "support/temp_dir.hpp"
#include "support/test_env.hpp"

namespace clarity::test {
namespace {

namespace sb = fakes::sandbox;
using namespace std::chrono_literals;

constexpr int kOrders = 90;
constexpr double kSpeed = 20;  // getOrder/getOrderItems: 10/s, burst 30

int throttled(const fakes::sp_api::FakeSpApi& amazon) {
    int n = 0;
    for (const char* op : {"getOrderV0", "getOrderItems", "createRestrictedDataToken",
                           "searchOrders", "getOrders"}) {
        n += amazon.throttled(op);
    }
    return n;
}

TEST(QuotaAcrossDaemonRestarts, AV0BacklogResumedAfterARestartDrawsNo429) {
    TempDir dir;
    fakes::sp_api::FakeOptions ao;
    ao.speed_up = kSpeed;
    ao.enforce_quota = true;
    fakes::sp_api::FakeSpApi amazon(SystemClock::instance(), ao);
    fakes::odoo::FakeOdooOptions oo;
    oo.verify_journal = false;
    fakes::odoo::FakeOdooServer odoo(oo);
    // Every order created and settled half an hour ago: the start-up sweep enqueues them all.
    sb::ScenarioOptions so;
    so.orders = kOrders;
    so.seed = 9;
    so.speed = 1000;
    so.start = SystemClock::instance().now() - 30min;
    so.unknown_sku = false;
    so.notifications = false;
    so.duplicate_every = 0;
    const auto scenario = sb::generate(so);
    sb::seed_odoo(scenario, odoo.odoo());
    sb::seed_amazon(scenario, amazon);
    amazon.advance();

    sb::DaemonConfigOptions dc;
    dc.store_path = (dir / "clarity.db").string();
    dc.mapping_dir = (source_dir() / "config/mapping").string();
    dc.rate_scale = kSpeed;
    dc.sqs = false;
    dc.order_import_extra += "        api: v0\n";
    const auto config = (dir / "clarity-connect.yaml").string();
    std::ofstream(config) << sb::daemon_config(dc, amazon, odoo.base_url(), oo);
    const auto log = (dir / "daemon.log").string();
    const auto exe = (binary_dir() / "src/app/clarity-connect").string();
    auto status = [&] { return sb::check(scenario, odoo.odoo(), SystemClock::instance().now()); };
    // Polling the fakes' state: the daemon is another process, there is nothing to join.
    auto wait_for = [&](const std::function<bool(const sb::Status&)>& done, e2e::Process& d) {
        auto st = status();
        const auto deadline = std::chrono::steady_clock::now() + 60s;
        while (!done(st) && d.running() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(20ms);
            st = status();
        }
        return st;
    };

    {
        e2e::Process daemon({exe, "run", "-c", config}, log);
        // The bursts (30 orders) are spent and the import runs at the refill rate.
        auto st = wait_for([](const sb::Status& s) { return s.in_odoo >= 35; }, daemon);
        ASSERT_GE(st.in_odoo, 35) << e2e::read_file(log).substr(0, 4000);
        ASSERT_LT(st.in_odoo, kOrders - 30) << "too late to show anything: the backlog is gone";
        daemon.signal(SIGTERM);
        ASSERT_EQ(daemon.wait(30s), 0) << e2e::read_file(log);
    }
    const int calls_before = amazon.calls("getOrderV0");
    const int throttled_before = throttled(amazon);
    std::cout << "429s before the restart: " << throttled_before << "\n";
    e2e::Process daemon({exe, "run", "-c", config}, log);
    // Every order imported once and in its Amazon state (confirmed or cancelled). FBA deliveries
    // are not checked: under v0 their tracking numbers come from the FBA shipment report, which the
    // sandbox configuration leaves off.
    auto imported = [](const sb::Status& s) {
        return s.in_odoo + s.cancelled_absent == s.seeded && s.confirmed + s.cancelled == s.in_odoo;
    };
    auto st = wait_for(imported, daemon);
    EXPECT_TRUE(imported(st)) << sb::to_json(st) << e2e::read_file(log).substr(0, 4000);
    EXPECT_EQ(st.duplicates, 0);
    EXPECT_GT(amazon.calls("getOrderV0"), calls_before);  // the second daemon did fetch orders
    // What the restored levels are for: the restarted daemon meets no 429. (Before the restart, a
    // fresh start, an idempotent GET resent by the HTTP client on a connection that failed during
    // the response spends a token no reservation paid for; that is not counted here.)
    EXPECT_EQ(throttled(amazon) - throttled_before, 0)
        << "getOrderV0 " << amazon.throttled("getOrderV0") << ", getOrderItems "
        << amazon.throttled("getOrderItems") << ", createRestrictedDataToken "
        << amazon.throttled("createRestrictedDataToken") << ", searchOrders "
        << amazon.throttled("searchOrders");
    EXPECT_NE(e2e::read_file(log).find("SP-API quota buckets from the store"), std::string::npos);
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(30s), 0);
}

}  // namespace
}  // namespace clarity::test
