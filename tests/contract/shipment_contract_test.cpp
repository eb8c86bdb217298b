// The shipment confirmation against this Odoo: the fake under ctest, a real server with
// `make test-odoo` (docs/odoo.md "Contract suite"). Merchant-fulfilled orders imported by the
// order import; their deliveries validated through the API as a warehouse does in the UI (done
// quantities, carrier, tracking number; one partial with its backorder); the Odoo watcher sees
// them and the fulfillment_status flow confirms each on the fake SP-API with Amazon's item ids
// and the quantities Odoo shipped (issue #19: at most 2 Odoo calls per shipment). The store is a
// real SQLite file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "clarity/amazon/sp_api_client.hpp"
#include "clarity/flows/engine.hpp"
#include "clarity/flows/fulfillment_status.hpp"
#include "clarity/flows/odoo_watch.hpp"
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
using json = nlohmann::json;

constexpr const char* kConnection = "us";

class ShipmentContract : public ::testing::TestWithParam<Target> {
  protected:
    void SetUp() override {
        static int tests = 0;
        test_number = ++tests;
        s = std::make_unique<Session>(GetParam());
        h.emplace(*s, dir.path(), clock);
        ASSERT_TRUE(s->run(s->client().connect()));

        // The carrier, named with the run prefix, mapped to UPS by a template that extends the
        // default one.
        carrier_name = s->name("UPS");
        const auto ship_tpl = dir / "shipment_confirm.yaml";
        std::ofstream(ship_tpl)
            << "extends: " << (test::source_dir() / "config/mapping/shipment_confirm.yaml").string()
            << "\nfields:\n  carrierCode:\n    from: shipment.carrier_name\n    map: {\""
            << carrier_name << "\": UPS}\n    required: true\n";
        flows::OrderImportOptions oo;
        oo.connection = kConnection;
        orders = std::make_shared<flows::OrderImportFlow>(
            flows::OrderImportDeps{*h->sp, s->client(), h->order_template(), h->metrics, clock,
                                   h->async_store.get()},
            oo);
        flows::FulfillmentStatusOptions fo2;
        fo2.connection = kConnection;
        shipments = std::make_shared<flows::FulfillmentStatusFlow>(
            flows::FulfillmentStatusDeps{*h->sp, s->client(), *h->async_store,
                                         std::make_shared<const mapping::MappingTemplate>(
                                             mapping::MappingTemplate::load_file(ship_tpl)),
                                         h->metrics, clock},
            fo2);
        ASSERT_TRUE(s->run(shipments->prepare()));
        engine = std::make_unique<flows::Engine>(s->io().get_executor(), *h->async_store,
                                                 h->metrics, clock);
        engine->add_flow(orders, {.concurrency = 4, .connections = {kConnection}});
        engine->add_flow(shipments, {.concurrency = 4, .connections = {kConnection}});
        watcher.emplace(kConnection, s->client(), *h->async_store, h->metrics, clock,
                        flows::OdooWatchOptions{}, shipments->odoo_watches());
        for (const char* sku : {"SKU-A", "SKU-B"}) {
            skus.push_back(s->name(sku));
            s->product(sku, 12.5);
        }
        Struct service{{"name", s->name("delivery")}};
        service.emplace(s->major() >= 18 ? "type" : "detailed_type", "service");
        carrier = s->create_one("delivery.carrier",
                                Struct{{"name", carrier_name},
                                       {"product_id", s->create_one("product.product", service)}});
    }

    void TearDown() override {
        h->track_sale_orders();
        auto left = s->cleanup();
        for (const auto& l : left) std::cerr << "  left in Odoo: " << l << "\n";
    }

    /// An MFN order of two items (1 and 2 units), imported and confirmed; its sale order id.
    std::int64_t import(int n) {
        char id[32];
        std::snprintf(id, sizeof id, "114-%07d-%07d", (::getpid() % 100000) * 100 + test_number, n);
        SeedOrder o;
        o.order_id = id;
        o.buyer_name = o.address_name = s->name("buyer-" + std::to_string(n));
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
        h->amazon_fake.add_order(o);
        h->enqueue_order(o.order_id);
        s->run(engine->run_until_idle());
        auto rows = s->run(s->client().search_read(
            "sale.order", odoo::Domain{}.where("client_order_ref", "=", o.order_id),
            {.fields = {"id", "state"}}));
        EXPECT_TRUE(rows && rows->size() == 1u);
        return rows && !rows->empty() ? (*rows)[0]["id"].as_int().value_or(0) : 0;
    }

    /// The open deliveries of sale order `sale`, oldest first.
    std::vector<std::int64_t> open_deliveries(std::int64_t sale) {
        odoo::Domain d;
        d.where("sale_id", "=", static_cast<long long>(sale));
        d.where("state", "=", "assigned");
        auto rows = s->run(s->client().search_read("stock.picking", std::move(d),
                                                   {.fields = {"id"}, .order = "id asc"}));
        EXPECT_TRUE(rows) << rows.error().describe();
        std::vector<std::int64_t> out;
        for (const auto& r : *rows) out.push_back(r["id"].as_int().value_or(0));
        return out;
    }

    /// What a person does in Odoo: each move's done quantity (`less` fewer on the first move),
    /// the carrier and the tracking number, then Validate (a backorder for the rest).
    void validate(std::int64_t picking, const std::string& tracking, double less = 0) {
        auto moves = s->run(s->client().search_read(
            "stock.move", odoo::Domain{}.where("picking_id", "=", static_cast<long long>(picking)),
            {.fields = {"id", "product_uom_qty"}, .order = "id asc"}));
        ASSERT_TRUE(moves) << moves.error().describe();
        bool first = true;
        for (const auto& m : *moves) {
            double q = m["product_uom_qty"].as_double().value_or(0) - (first ? less : 0);
            first = false;
            Struct v;
            if (s->major() >= 17) {
                v.emplace("quantity", q);
                v.emplace("picked", true);
            } else {
                v.emplace("quantity_done", q);
            }
            ASSERT_TRUE(s->run(
                s->client().write("stock.move", {m["id"].as_int().value_or(0)}, std::move(v))));
        }
        ASSERT_TRUE(s->run(s->client().write(
            "stock.picking", {picking},
            Struct{{"carrier_id", carrier}, {"carrier_tracking_ref", tracking}})));
        Struct ctx{{"skip_sms", true}, {"skip_backorder", true}};
        auto r =
            s->run(s->client().call_action("stock.picking", "button_validate", {picking}, ctx));
        ASSERT_TRUE(r) << r.error().describe();
    }

    /// The watcher's round and every job it queued; the Odoo calls the jobs made (the round's
    /// search_read not counted).
    std::uint64_t poll_and_confirm() {
        auto report = s->run(watcher->poll_once());
        EXPECT_FALSE(report.error) << report.error->describe();
        const auto before = s->client().stats().calls_sent;
        s->run(engine->run_until_idle());
        return s->client().stats().calls_sent - before;
    }

    std::unique_ptr<Session> s;
    test::TempDir dir;
    // The watcher's first round starts at this clock's now: the server stamps real time.
    ManualClock clock{SystemClock::instance().now() - std::chrono::hours(1)};
    std::optional<FlowHarness> h;
    std::shared_ptr<flows::OrderImportFlow> orders;
    std::shared_ptr<flows::FulfillmentStatusFlow> shipments;
    std::unique_ptr<flows::Engine> engine;
    std::optional<flows::OdooWatcher> watcher;
    std::vector<std::string> skus;
    std::string carrier_name;
    std::int64_t carrier = 0;
    int test_number = 0;
};

TEST_P(ShipmentContract, DeliveriesValidatedInOdooAreConfirmedOnAmazonWithTheirQuantities) {
    const auto whole = import(1);
    const auto partial = import(2);
    auto a = open_deliveries(whole);
    auto b = open_deliveries(partial);
    ASSERT_EQ(a.size(), 1u);
    ASSERT_EQ(b.size(), 1u);
    validate(a[0], "1ZCONTRACT" + std::to_string(a[0]));
    validate(b[0], "1ZCONTRACT" + std::to_string(b[0]), /*less=*/1);  // 0 of 1 SKU-A
    const auto calls = poll_and_confirm();
    auto back = open_deliveries(partial);
    ASSERT_EQ(back.size(), 1u) << "the partial delivery's backorder";
    validate(back[0], "1ZCONTRACT" + std::to_string(back[0]));
    poll_and_confirm();

    std::vector<json> sent;
    for (const auto& body : h->amazon_fake.shipment_confirmations())
        sent.push_back(json::parse(body));
    ASSERT_EQ(sent.size(), 3u);
    std::map<std::string, std::int64_t> shipped;  // orderItemId → units
    for (const auto& c : sent) {
        EXPECT_EQ(c["packageDetail"]["carrierCode"], "UPS");
        EXPECT_EQ(c["packageDetail"]["carrierName"], carrier_name);
        for (const auto& i : c["packageDetail"]["orderItems"])
            shipped[i["orderItemId"]] += i["quantity"].get<std::int64_t>();
    }
    EXPECT_EQ(sent[0]["packageDetail"]["trackingNumber"], "1ZCONTRACT" + std::to_string(a[0]));
    for (const auto& ref : h->refs) {
        EXPECT_EQ(shipped[ref + "-0"], 1) << ref;
        EXPECT_EQ(shipped[ref + "-1"], 2) << ref;
        EXPECT_EQ(h->amazon_fake.order(ref)->status, "SHIPPED") << ref;
    }
    // The first round confirmed two deliveries: each a read of the delivery and of its moves.
    std::cout << target_name(GetParam()) << ": Odoo calls per shipment: " << calls / 2.0 << "\n";
    EXPECT_LE(calls, 4u);
}

INSTANTIATE_TEST_SUITE_P(Odoo,
                         ShipmentContract,
                         ::testing::ValuesIn(targets()),
                         [](const ::testing::TestParamInfo<Target>& info) {
                             return target_name(info.param);
                         });

}  // namespace
}  // namespace clarity::contract
