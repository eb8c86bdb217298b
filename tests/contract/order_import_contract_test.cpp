// The order import against this Odoo: the fake under ctest, a real server with `make test-odoo`
// (docs/odoo.md "Contract suite"). A backlog of new customers' orders, then as many orders of
// the same customers, each batch claimed as one cohort (the daemon's default for a backlog): every
// order is confirmed with Amazon's date, and the Odoo calls per order are counted (issue #17: at
// most 4 for new customers, 3 for known ones). Amazon is the fake SP-API on loopback; the store
// is a real SQLite file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>

#include "clarity/amazon/sp_api_client.hpp"
#include "clarity/flows/engine.hpp"
#include "clarity/flows/order_import.hpp"
#include "clarity/flows/order_jobs.hpp"
#include "clarity/mapping/template.hpp"
#include "clarity/net/http_client.hpp"
#include "clarity/store/options.hpp"
#include "contract_env.hpp"
#include "flow_harness.hpp"
#include "sp_api/fake_sp_api.hpp"
#include "support/temp_dir.hpp"
#include "support/test_env.hpp"

namespace clarity::contract {
namespace {

using namespace std::chrono_literals;
using fakes::sp_api::SeedItem;
using fakes::sp_api::SeedOrder;

constexpr const char* kConnection = "us";
constexpr int kOrders = 20;  ///< one cohort

class OrderImportContract : public ::testing::TestWithParam<Target> {
  protected:
    void SetUp() override {
        static int tests = 0;
        test_number = ++tests;
        s = std::make_unique<Session>(GetParam());
        h.emplace(*s, dir.path(), clock);
        auto tpl = h->order_template();
        flows::OrderImportOptions options;
        options.connection = kConnection;
        flow = std::make_shared<flows::OrderImportFlow>(
            flows::OrderImportDeps{*h->sp, s->client(), tpl, h->metrics, clock,
                                   h->async_store.get()},
            options);
        engine = std::make_unique<flows::Engine>(s->io().get_executor(), *h->async_store,
                                                 h->metrics, clock);
        engine->add_flow(
            flow, {.concurrency = 2 * kOrders, .connections = {kConnection}, .cohort = kOrders});
        ASSERT_TRUE(s->run(s->client().connect()));
        for (const char* sku : {"SKU-A", "SKU-B"}) {
            skus.push_back(s->name(sku));
            s->product(sku, 12.5);
        }
    }

    void TearDown() override {
        h->track_sale_orders();
        auto left = s->cleanup();
        for (const auto& l : left) std::cerr << "  left in Odoo: " << l << "\n";
    }

    /// Order `n` of buyer `buyer` (names with the run prefix: the sweep finds the partners).
    SeedOrder order(int n, int buyer) {
        char id[32];
        // Unique per run and test (the targets of one live server share its database).
        std::snprintf(id, sizeof id, "113-%07d-%07d", (::getpid() % 100000) * 100 + test_number, n);
        SeedOrder o;
        o.order_id = id;
        o.buyer_name = o.address_name = s->name("buyer-" + std::to_string(buyer));
        o.buyer_email = "buyer" + std::to_string(buyer) + "@marketplace.amazon.com";
        o.address_line1 = std::to_string(buyer) + " Main St";
        o.city = "San Francisco";
        o.state = "CA";
        o.postal_code = "94105";
        for (std::size_t k = 0; k < skus.size(); ++k) {
            SeedItem i;
            i.order_item_id = o.order_id + "-" + std::to_string(k);
            i.seller_sku = skus[k];
            i.asin = "B0CCT" + std::to_string(k);
            i.title = "Contract item";
            i.quantity = static_cast<std::int64_t>(k) + 1;
            i.unit_price = "12.50";
            o.items.push_back(i);
        }
        return o;
    }

    /// Imports orders [first, first + kOrders) of buyers 0..kOrders-1; answers Odoo calls per
    /// order.
    double import(int first) {
        for (int i = 0; i < kOrders; ++i) {
            auto o = order(first + i, i);
            h->amazon_fake.add_order(o);
            h->enqueue_order(o.order_id);
        }
        const auto before = s->client().stats().calls_sent;
        if (s->fake() != nullptr) s->fake()->clear_calls();
        const auto ran = s->run(engine->run_until_idle());
        if (s->fake() != nullptr && std::getenv("CONTRACT_CALLS") != nullptr) {
            for (const auto& c : s->fake()->calls())
                std::cout << "  " << c.model << "." << c.method << "\n";
        }
        EXPECT_EQ(ran, static_cast<std::size_t>(kOrders));
        return static_cast<double>(s->client().stats().calls_sent - before) / kOrders;
    }

    std::unique_ptr<Session> s;
    test::TempDir dir;
    ManualClock clock;
    std::optional<FlowHarness> h;
    std::shared_ptr<flows::OrderImportFlow> flow;
    std::unique_ptr<flows::Engine> engine;
    std::vector<std::string> skus;
    int test_number = 0;
};

TEST_P(OrderImportContract, ABacklogOfNewThenKnownCustomersIsImportedInBatches) {
    const double new_customers = import(0);
    const double known_customers = import(kOrders);
    std::cout << target_name(GetParam()) << ": Odoo calls per order, " << kOrders
              << " new customers: " << new_customers << ", " << kOrders
              << " known customers: " << known_customers << "\n";
    EXPECT_LE(new_customers, 4.0);
    EXPECT_LE(known_customers, 3.0);
    for (const auto& ref : h->refs) {
        auto rows = s->run(s->client().search_read(
            "sale.order", odoo::Domain{}.where("client_order_ref", "=", ref),
            {.fields = {"state", "date_order", "partner_id"}}));
        ASSERT_TRUE(rows) << rows.error().describe();
        ASSERT_EQ(rows->size(), 1u) << ref;
        EXPECT_EQ((*rows)[0]["state"], odoo::Value("sale")) << ref;
        EXPECT_EQ((*rows)[0]["date_order"], odoo::Value("2026-11-01 10:00:00")) << ref;
    }
    // The second order of each buyer went to the customer of the first.
    for (int i = 0; i < kOrders; ++i) {
        std::vector<odoo::Value> partners;
        for (const auto& ref : {h->refs[i], h->refs[kOrders + i]}) {
            auto rows = s->run(s->client().search_read(
                "sale.order", odoo::Domain{}.where("client_order_ref", "=", ref),
                {.fields = {"partner_id"}}));
            ASSERT_TRUE(rows && rows->size() == 1u);
            partners.push_back((*rows)[0]["partner_id"]);
        }
        EXPECT_EQ(partners[0], partners[1]) << i;
    }
    EXPECT_EQ(h->store->stats()->by_flow_state.size(), 1u);  // every job done, none waiting or dead
}

INSTANTIATE_TEST_SUITE_P(Odoo,
                         OrderImportContract,
                         ::testing::ValuesIn(targets()),
                         [](const ::testing::TestParamInfo<Target>& info) {
                             return target_name(info.param);
                         });

}  // namespace
}  // namespace clarity::contract
