// SP-API usage-plan levels across a restart (issue #15 point 4): a client spends getOrder's burst
// on the fake SP-API (which enforces the published plans), its limiter's levels are saved in a real
// SQLite store, and a new limiter restored from that store sends the next calls without a single
// 429; a limiter that starts full (what the daemon did before) meets 429s at once.
#include <gtest/gtest.h>

#include "clarity/flows/quota_levels.hpp"
#include "clarity/store/options.hpp"
#include "harness.hpp"
#include "support/temp_dir.hpp"

namespace clarity::test {
namespace {

using amazon::Operation;
using amazon::QuotaLimiter;
using amazon::SpApiClient;

/// getOrder v0's plan (0.5/s, burst 30) sped up 5×: 2.5/s, a refill token every 400 ms, several
/// times what one call takes even on a loaded machine.
constexpr double kSpeed = 5;
fakes::sp_api::FakeOptions plans_x5() {
    fakes::sp_api::FakeOptions fo;
    fo.speed_up = kSpeed;
    fo.enforce_quota = true;
    return fo;
}

constexpr const char* kOrder = "111-0000001-0000009";

/// `n` getOrder (v0) calls through a client on `quota`; false when one failed.
bool get_orders(Harness& h, QuotaLimiter& quota, int n) {
    SpApiClient client(h.http, *h.lwa, quota, h.clock, h.random, h.metrics, h.options);
    for (int i = 0; i < n; ++i) {
        auto r = run(h.io, client.get_order_with_items_v0(kOrder, false));
        if (!r) {
            ADD_FAILURE() << r.error().describe();
            return false;
        }
    }
    return true;
}

TEST(QuotaAcrossRestarts, ARestoredLimiterWaitsForTheTokensAmazonHoldsAndDrawsNo429) {
    Harness h(plans_x5());
    h.fake.add_order(seed_order(kOrder, "2026-11-02T10:00:00Z"));
    TempDir dir;
    store::StoreOptions so;
    so.path = (dir / "clarity.db").string();
    DefaultRandom random{7};
    auto db = store::open_store(so, {SystemClock::instance(), random, nullptr});

    {  // the first run spends the whole burst of getOrder and getOrderItems, then stops
        QuotaLimiter first(SystemClock::instance(), kSpeed);
        ASSERT_TRUE(get_orders(h, first, 30));
        ASSERT_TRUE(db->save_quota_levels(flows::to_store_levels(first.levels())));
    }
    ASSERT_EQ(h.fake.throttled("getOrderV0"), 0);
    const int before = h.fake.calls("getOrderV0");

    // Restarted at once: resumes the near-empty buckets and paces the next calls at the refill
    // rate, so Amazon never answers 429.
    QuotaLimiter second(SystemClock::instance(), kSpeed);
    auto resumed = flows::restore_quota_levels(*db, second, h.options.seller_id);
    ASSERT_TRUE(resumed) << resumed.error().describe();
    EXPECT_EQ(*resumed, 2u);  // getOrderV0 and getOrderItems
    EXPECT_LT(second.tokens(h.options.seller_id, Operation::get_order_v0), 10);
    ASSERT_TRUE(get_orders(h, second, 6));
    EXPECT_EQ(h.fake.calls("getOrderV0") - before, 6);
    EXPECT_EQ(h.fake.throttled("getOrderV0"), 0);
    EXPECT_EQ(h.fake.throttled("getOrderItems"), 0);

    // The control: a limiter that believes in a fresh burst is throttled by the fake at once
    // (the client rides the 429s out: drain, wait a refill, retry).
    QuotaLimiter fresh(SystemClock::instance(), kSpeed);
    ASSERT_TRUE(get_orders(h, fresh, 8));
    EXPECT_GT(h.fake.throttled("getOrderV0"), 0);
}

}  // namespace
}  // namespace clarity::test
