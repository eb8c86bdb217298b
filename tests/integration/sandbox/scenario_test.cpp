// The sandbox scenario: deterministic generation, what it seeds, and the checker that compares
// the fake Odoo's records with the expected outcomes.
#include "sandbox/scenario.hpp"

#include <gtest/gtest.h>

#include <set>

namespace clarity::fakes::sandbox {
namespace {

using odoo::Array;
using odoo::Struct;
using odoo::Value;
using namespace std::chrono_literals;

ScenarioOptions options(int orders, std::uint64_t seed) {
    ScenarioOptions o;
    o.orders = orders;
    o.seed = seed;
    o.start = Clock::time_point{std::chrono::seconds{1'800'000'000}};
    return o;
}

TEST(SandboxScenario, SameSeedSameScenarioOtherSeedOtherOrders) {
    auto a = generate(options(60, 7));
    auto b = generate(options(60, 7));
    auto c = generate(options(60, 8));
    ASSERT_EQ(a.expected.size(), 60u);
    for (std::size_t i = 0; i < a.expected.size(); ++i) {
        EXPECT_EQ(a.expected[i].order_id, b.expected[i].order_id);
        EXPECT_EQ(a.expected[i].grand_total_cents, b.expected[i].grand_total_cents);
        EXPECT_EQ(a.orders[i].steps.size(), b.orders[i].steps.size());
    }
    int differing = 0;
    for (std::size_t i = 0; i < a.expected.size(); ++i) {
        differing += a.expected[i].grand_total_cents != c.expected[i].grand_total_cents;
    }
    EXPECT_GT(differing, 30);
    std::set<std::string> ids;
    for (const auto& e : a.expected) ids.insert(e.order_id);
    EXPECT_EQ(ids.size(), 60u);
}

TEST(SandboxScenario, CoversEveryKindOfOrder) {
    auto sc = generate(options(200, 1));
    int afn = 0, mfn = 0, gift = 0, custom = 0, promo = 0, cancel = 0, unknown = 0, partial = 0,
        shipping = 0, multi = 0;
    for (std::size_t i = 0; i < sc.expected.size(); ++i) {
        const auto& e = sc.expected[i];
        (e.afn ? afn : mfn)++;
        cancel += e.odoo_state == "cancel";
        unknown += e.unknown_sku;
        partial += e.tracking_numbers.size() > 1;
        multi += e.lines.size() > 1;
        EXPECT_GE(e.lines.size(), 1u);
        EXPECT_LE(e.lines.size(), 4u);
        std::int64_t total = 0;
        for (const auto& l : e.lines) {
            gift += !l.gift_message.empty();
            custom += !l.personalization.empty();
            promo += l.discount_cents > 0;
            shipping += l.shipping_cents > 0;
            EXPECT_EQ(l.tax_cents, (l.unit_price_cents * l.quantity * 15 + 50) / 100);
            total +=
                l.unit_price_cents * l.quantity + l.tax_cents + l.shipping_cents - l.discount_cents;
        }
        EXPECT_EQ(total, e.grand_total_cents);
        // Changes come after the creation, in order.
        auto t = sc.orders[i].created_at;
        for (const auto& s : sc.orders[i].steps) {
            EXPECT_GT(s.at, t);
            t = s.at;
        }
        EXPECT_EQ(e.final_at, t);
    }
    EXPECT_GT(afn, 50);
    EXPECT_GT(mfn, 50);
    EXPECT_GT(gift, 10);
    EXPECT_GT(custom, 5);
    EXPECT_GT(promo, 5);
    EXPECT_GT(cancel, 3);
    EXPECT_GT(partial, 3);
    EXPECT_GT(shipping, 5);
    EXPECT_GT(multi, 100);
    EXPECT_EQ(unknown, 1);
}

TEST(SandboxScenario, SpeedCompressesTheTimeline) {
    auto slow = generate(options(20, 3));
    auto o = options(20, 3);
    o.speed = 60;
    auto fast = generate(o);
    const auto span_slow = slow.last_change - slow.options.start;
    const auto span_fast = fast.last_change - fast.options.start;
    EXPECT_NEAR(std::chrono::duration<double>(span_slow).count() / 60.0,
                std::chrono::duration<double>(span_fast).count(), 1.0);
}

// Writes the expected outcome of order `e` into Odoo the way a correct import would.
std::int64_t import_by_hand(odoo::FakeOdoo& odoo,
                            const Scenario& sc,
                            const ExpectedOrder& e,
                            std::int64_t price_delta_cents = 0) {
    std::map<std::string, std::int64_t> product_ids;
    for (const auto& p : odoo.records("product.product")) {
        if (auto code = p.at("default_code").as_string()) product_ids[*code] = *p.at("id").as_int();
    }
    std::int64_t state_id = 0;
    for (const auto& s : odoo.records("res.country.state")) {
        if (s.at("code") == Value(e.state_code) && s.at("country_id") == Value(233)) {
            state_id = *s.at("id").as_int();
        }
    }
    std::int64_t warehouse = 0;
    for (const auto& w : odoo.records("stock.warehouse")) {
        if (w.at("code") == Value(e.afn ? "AMZ" : "WH")) warehouse = *w.at("id").as_int();
    }
    auto partner = odoo.create("res.partner", Struct{{"name", e.partner_name},
                                                     {"street", e.street},
                                                     {"city", e.city},
                                                     {"zip", e.zip},
                                                     {"country_id", 233},
                                                     {"state_id", state_id}});
    Array lines;
    for (const auto& l : e.lines) {
        Struct vals{
            {"product_id", product_ids.at(l.sku)},
            {"product_uom_qty", static_cast<double>(l.quantity)},
            {"price_unit", static_cast<double>(l.unit_price_cents + price_delta_cents) / 100.0},
            {"tax_id", Array{Value(Array{Value(6), Value(0), Value(Array{Value(1)})})}}};
        if (!l.gift_message.empty()) vals.emplace("x_studio_gift_message", l.gift_message);
        if (!l.personalization.empty()) vals.emplace("x_studio_personalization", l.personalization);
        lines.push_back(Value(Array{Value(0), Value(0), Value(vals)}));
    }
    (void)sc;
    return odoo.create("sale.order", Struct{{"partner_id", partner},
                                            {"client_order_ref", e.order_id},
                                            {"warehouse_id", warehouse},
                                            {"x_studio_amazon_order_type", "standard"},
                                            {"state", "sale"},
                                            {"order_line", lines}});
}

TEST(SandboxScenario, CheckerCountsMatchingOrdersAndNamesEveryDifference) {
    auto sc = generate(options(30, 5));
    odoo::FakeOdoo odoo;
    seed_odoo(sc, odoo);
    const auto end = sc.last_change + 1s;

    auto empty = check(sc, odoo, end);
    EXPECT_EQ(empty.seeded, 30);
    EXPECT_EQ(empty.created_on_amazon, 30);
    EXPECT_EQ(empty.in_odoo, 0);
    EXPECT_EQ(empty.dead_letter_expected, 1);
    EXPECT_EQ(empty.awaiting_amazon, 0);
    auto before = check(sc, odoo, sc.options.start - 1s);
    EXPECT_EQ(before.created_on_amazon, 0);
    EXPECT_EQ(before.awaiting_amazon, 30);

    // An MFN order that ends unshipped, imported correctly; another one with a wrong price.
    const ExpectedOrder* good = nullptr;
    const ExpectedOrder* bad = nullptr;
    for (const auto& e : sc.expected) {
        if (e.afn || e.unknown_sku || e.odoo_state != "sale") continue;
        (good == nullptr ? good : bad) = &e;
        if (bad != nullptr) break;
    }
    ASSERT_TRUE(good && bad);
    import_by_hand(odoo, sc, *good);
    import_by_hand(odoo, sc, *bad, 1);
    auto st = check(sc, odoo, end);
    EXPECT_EQ(st.in_odoo, 2);
    EXPECT_EQ(st.confirmed, 2);
    EXPECT_GT(st.cancelled_absent, 0);  // cancelled, never imported: final without a sale.order
    EXPECT_EQ(st.final_state, st.cancelled_absent + 1);
    ASSERT_EQ(st.mismatches.size(), 1u);
    EXPECT_NE(st.mismatches[0].find(bad->order_id), std::string::npos);
    EXPECT_NE(st.mismatches[0].find("price"), std::string::npos) << st.mismatches[0];

    // A second sale.order for the same Amazon order is a duplicate.
    import_by_hand(odoo, sc, *good);
    st = check(sc, odoo, end);
    EXPECT_EQ(st.duplicates, 1);
    EXPECT_EQ(st.final_state, st.cancelled_absent);

    // The operator adds the unknown product: nothing is expected to be dead-lettered any more.
    add_unknown_product(sc, odoo);
    add_unknown_product(sc, odoo);
    EXPECT_EQ(check(sc, odoo, end).dead_letter_expected, 0);
    EXPECT_NE(to_json(st).find("\"duplicates\":1"), std::string::npos);
}

TEST(SandboxScenario, SeedsStudioFieldsWarehouseAndProducts) {
    auto sc = generate(options(5, 2));
    odoo::FakeOdoo odoo(odoo::FakeOdooOptions{.major = 19});
    seed_odoo(sc, odoo);
    seed_odoo(sc, odoo);                                               // nothing is added twice
    EXPECT_EQ(odoo.count("product.product"), sc.products.size() + 2);  // + SHIP, PROMO
    int amz = 0;
    for (const auto& w : odoo.records("stock.warehouse")) amz += w.at("code") == Value("AMZ");
    EXPECT_EQ(amz, 1);
    auto so = odoo.create("sale.order",
                          Struct{{"partner_id", 3}, {"x_studio_amazon_order_type", "preorder"}});
    auto line = odoo.create("sale.order.line", Struct{{"order_id", so},
                                                      {"product_id", 1},
                                                      {"x_studio_gift_message", "Hi"},
                                                      {"x_studio_personalization", "https://x"}});
    EXPECT_EQ(odoo.record("sale.order.line", line)->at("x_studio_gift_message"), Value("Hi"));
}

}  // namespace
}  // namespace clarity::fakes::sandbox
