// The fulfillment_status flow on one machine: merchant-fulfilled Amazon orders imported by the
// real order import, their deliveries validated in the fake Odoo as a person would (quantities,
// carrier, tracking number, packages), seen by the real Odoo watcher, and confirmed on the fake
// SP-API by the real engine; every client over loopback sockets, the real SQLite store in a temp
// dir. Covers one confirmation per delivery, per package and per backorder, the wait for a
// tracking number, an unmapped carrier, a shipment Amazon already has, FBA orders, the field
// spellings of Odoo 16, 18 and 19, and the Odoo calls per shipment.
#include "clarity/flows/fulfillment_status.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "clarity/flows/engine.hpp"
#include "clarity/flows/odoo_watch.hpp"
#include "clarity/flows/order_import.hpp"
#include "clarity/flows/order_jobs.hpp"
#include "clarity/net/http_client.hpp"
#include "clarity/store/options.hpp"
#include "odoo/fake_odoo.hpp"
#include "sp_api/fake_sp_api.hpp"
#include "support/temp_dir.hpp"
#include "support/test_env.hpp"

namespace clarity::flows {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using fakes::odoo::FakeOdooOptions;
using fakes::odoo::FakeOdooServer;
using fakes::sp_api::SeedItem;
using fakes::sp_api::SeedOrder;
using json = nlohmann::json;
using odoo::Struct;
using odoo::Value;

constexpr const char* kConnection = "us";

SeedItem item(std::string id, std::string sku, std::int64_t qty) {
    SeedItem i;
    i.order_item_id = std::move(id);
    i.seller_sku = sku;
    i.asin = "B0" + sku;
    i.title = "Title of " + sku;
    i.quantity = qty;
    i.unit_price = "10.00";
    return i;
}

SeedOrder mfn_order(std::string id) {
    SeedOrder o;
    o.order_id = std::move(id);
    o.state = "CA";
    o.postal_code = "94105";
    o.city = "San Francisco";
    o.items = {item(o.order_id + "-1", "SKU-A", 2), item(o.order_id + "-2", "SKU-B", 1)};
    return o;
}

class World {
  public:
    explicit World(int major = 18, FulfillmentStatusOptions options = {})
        : amazon_fake(clock, fast_amazon()), quota(SystemClock::instance(), 1000) {
        FakeOdooOptions fo;
        fo.major = major;
        odoo_server.emplace(fo);
        http = net::make_http_client(io.get_executor(), net::HttpClientOptions{});
        amazon::AmazonOptions a = amazon_fake.client_options({"ATVPDKIKX0DER"});
        lwa.emplace(*http, clock, fakes::sp_api::FakeSpApi::lwa_options(a), &metrics);
        sp.emplace(*http, *lwa, quota, clock, random, metrics, a);
        odoo::OdooOptions o;
        o.url = odoo_server->base_url();
        o.database = fo.database;
        o.username = fo.admin_login;
        o.api_key = Secret(fo.admin_api_key);
        o.retry_delay = 1ms;
        odoo_client = std::make_unique<odoo::OdooClient>(*http, o);
        auto schema = run(odoo_client->connect());
        EXPECT_TRUE(schema) << schema.error().describe();
        store::StoreOptions so;
        so.path = (dir / "store.db").string();
        so.default_retry = {1s, 60s, 5};
        store = store::open_store(so, {clock, random, &metrics});
        async_store = std::make_unique<store::AsyncStore>(*store);
        auto order_tpl =
            std::make_shared<const mapping::MappingTemplate>(mapping::MappingTemplate::load_file(
                test::source_dir() / "config/mapping/order_import.yaml"));
        shipment_tpl =
            std::make_shared<const mapping::MappingTemplate>(mapping::MappingTemplate::load_file(
                test::source_dir() / "config/mapping/shipment_confirm.yaml"));
        OrderImportOptions io_opt;
        io_opt.connection = kConnection;
        orders = std::make_shared<OrderImportFlow>(
            OrderImportDeps{*sp, *odoo_client, order_tpl, metrics, clock, async_store.get()},
            io_opt);
        options.connection = kConnection;
        shipments = std::make_shared<FulfillmentStatusFlow>(
            FulfillmentStatusDeps{*sp, *odoo_client, *async_store, shipment_tpl, metrics, clock},
            options);
        engine = std::make_unique<Engine>(io.get_executor(), *async_store, metrics, clock);
        engine->add_flow(orders, {.concurrency = 4, .connections = {kConnection}});
        engine->add_flow(shipments, {.concurrency = 4, .connections = {kConnection}});
        watcher.emplace(kConnection, *odoo_client, *async_store, metrics, clock, OdooWatchOptions{},
                        shipments->odoo_watches());
        for (const char* sku : {"SKU-A", "SKU-B"}) {
            Struct p{{"name", std::string("Product ") + sku}, {"default_code", sku}};
            if (major >= 18) {
                p.emplace("is_storable", true);
            } else {
                p.emplace("detailed_type", "product");
            }
            odoo().create("product.product", std::move(p));
        }
        odoo().create("stock.warehouse",
                      Struct{{"name", "Amazon FBA"}, {"code", "AMZ"}, {"lot_stock_id", 8}});
        ups = odoo().create("delivery.carrier", Struct{{"name", "UPS"}});
        this->major = major;
    }

    static fakes::sp_api::FakeOptions fast_amazon() {
        fakes::sp_api::FakeOptions fo;
        fo.speed_up = 1000;
        return fo;
    }

    template <class T>
    T run(asio::awaitable<T> aw) {
        auto fut = asio::co_spawn(io, std::move(aw), asio::use_future);
        io.restart();
        io.run();
        return fut.get();
    }
    fakes::odoo::FakeOdoo& odoo() { return odoo_server->odoo(); }
    std::size_t drain() { return run(engine->run_until_idle()); }

    /// Amazon has `o` and the daemon imports it (confirmed sale order, delivery ready).
    std::int64_t import(const SeedOrder& o) {
        amazon_fake.add_order(o);
        OrderJob j;
        j.amazon_order_id = o.order_id;
        j.marketplace_id = o.marketplace_id;
        j.change_time = "2026-11-01T10:05:00Z";
        j.source = "sweep";
        auto job = make_order_job(kConnection, j);
        EXPECT_TRUE(job);
        EXPECT_TRUE(store->enqueue(*job));
        drain();
        for (auto& so : odoo().records("sale.order")) {
            if (so["client_order_ref"] == Value(o.order_id)) return so["id"].as_int().value_or(0);
        }
        ADD_FAILURE() << "order " << o.order_id << " was not imported";
        return 0;
    }

    std::vector<std::int64_t> open_pickings(std::int64_t sale_id) {
        std::vector<std::int64_t> out;
        for (auto& p : odoo().records("stock.picking")) {
            if (p["sale_id"].m2o_id() == sale_id && p["state"] == Value("assigned"))
                out.push_back(p["id"].as_int().value_or(0));
        }
        return out;
    }

    std::vector<Struct> moves_of(std::int64_t picking) {
        std::vector<Struct> out;
        for (auto& m : odoo().records("stock.move")) {
            if (m["picking_id"].m2o_id() == picking) out.push_back(std::move(m));
        }
        return out;
    }

    /// What a person does in Odoo: set each move's done quantity (`qty`, by position; default:
    /// all), the carrier and the tracking number, then Validate (a backorder for the rest).
    void validate(std::int64_t picking,
                  std::vector<double> qty = {},
                  std::optional<std::int64_t> carrier = {},
                  std::string tracking = "1Z999AA10123456784") {
        auto moves = moves_of(picking);
        for (std::size_t i = 0; i < moves.size(); ++i) {
            const double q =
                i < qty.size() ? qty[i] : moves[i]["product_uom_qty"].as_double().value_or(0);
            Struct v;
            if (major >= 17) {
                v.emplace("quantity", q);
                v.emplace("picked", true);
            } else {
                v.emplace("quantity_done", q);
            }
            odoo().write("stock.move", moves[i]["id"].as_int().value_or(0), std::move(v));
        }
        Struct p{{"carrier_id", carrier.value_or(ups)}};
        if (!tracking.empty()) p.emplace("carrier_tracking_ref", tracking);
        odoo().write("stock.picking", picking, std::move(p));
        Struct ctx{{"skip_sms", true}, {"skip_backorder", true}};
        auto r = run(odoo_client->call_action("stock.picking", "button_validate", {picking}, ctx));
        ASSERT_TRUE(r) << r.error().describe();
    }

    /// The watcher's round, then every job it queued.
    std::size_t poll_and_drain() {
        auto report = run(watcher->poll_once());
        EXPECT_FALSE(report.error) << report.error->describe();
        drain();
        return report.enqueued;
    }

    std::vector<json> confirmations() {
        std::vector<json> out;
        for (const auto& b : amazon_fake.shipment_confirmations()) out.push_back(json::parse(b));
        return out;
    }

    std::string last_error_of_flow(const std::string& flow) {
        store::JobFilter f;
        f.flow = flow;
        auto jobs = store->list_jobs(f);
        EXPECT_TRUE(jobs);
        std::string out;
        for (const auto& j : *jobs) {
            if (!j.last_error.empty()) out = j.last_error;
        }
        return out;
    }

    std::int64_t count(store::JobState state, const std::string& flow) {
        auto stats = store->stats();
        EXPECT_TRUE(stats);
        std::int64_t n = 0;
        for (const auto& row : stats->by_flow_state) {
            if (row.state == state && row.flow == flow) n += row.count;
        }
        return n;
    }

    test::TempDir dir;
    asio::io_context io;
    core::MetricsRegistry metrics;
    // The watcher's first round starts at the daemon's now: the fake Odoo stamps write_date
    // with the real time.
    ManualClock clock{SystemClock::instance().now() - std::chrono::hours(1)};
    DefaultRandom random{7};
    std::shared_ptr<net::HttpClient> http;
    fakes::sp_api::FakeSpApi amazon_fake;
    amazon::QuotaLimiter quota;
    std::optional<amazon::LwaTokenSource> lwa;
    std::optional<amazon::SpApiClient> sp;
    std::optional<FakeOdooServer> odoo_server;
    std::unique_ptr<odoo::OdooClient> odoo_client;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<store::AsyncStore> async_store;
    std::shared_ptr<const mapping::MappingTemplate> shipment_tpl;
    std::shared_ptr<OrderImportFlow> orders;
    FulfillmentStatusOptions options;
    std::shared_ptr<FulfillmentStatusFlow> shipments;
    std::unique_ptr<Engine> engine;
    std::optional<OdooWatcher> watcher;
    std::int64_t ups = 0;
    int major = 18;
};

class ShipmentVersions : public ::testing::TestWithParam<int> {};

TEST_P(ShipmentVersions, AValidatedDeliveryIsConfirmedOnceWithItsItemsCarrierAndTracking) {
    World w(GetParam());
    const auto sale = w.import(mfn_order("112-0000001-0000001"));
    auto open = w.open_pickings(sale);
    ASSERT_EQ(open.size(), 1u);
    w.validate(open[0]);
    w.odoo().clear_calls();

    EXPECT_EQ(w.poll_and_drain(), 1u);
    auto sent = w.confirmations();
    ASSERT_EQ(sent.size(), 1u);
    const json& pd = sent[0]["packageDetail"];
    EXPECT_EQ(sent[0]["marketplaceId"], "ATVPDKIKX0DER");
    EXPECT_EQ(pd["packageReferenceId"], std::to_string(open[0]));
    EXPECT_EQ(pd["carrierCode"], "UPS");
    EXPECT_EQ(pd["trackingNumber"], "1Z999AA10123456784");
    EXPECT_EQ(pd["shipDate"].get<std::string>().size(), 20u) << pd["shipDate"];
    ASSERT_EQ(pd["orderItems"].size(), 2u);
    EXPECT_EQ(pd["orderItems"][0]["orderItemId"], "112-0000001-0000001-1");
    EXPECT_EQ(pd["orderItems"][0]["quantity"], 2);
    EXPECT_EQ(pd["orderItems"][1]["orderItemId"], "112-0000001-0000001-2");
    EXPECT_EQ(pd["orderItems"][1]["quantity"], 1);
    EXPECT_EQ(w.count(store::JobState::done, "fulfillment_status"), 1);
    // The watcher's search and the job's two reads (the delivery, its moves).
    EXPECT_EQ(w.odoo().call_count("search_read", "stock.picking"), 1u);
    EXPECT_EQ(
        w.odoo().call_count("read", "stock.picking") + w.odoo().call_count("read", "stock.move"),
        2u);

    // The next round sees the same change again (overlap): no new job; a later edit of the
    // delivery is a job that finds it confirmed, without a call.
    EXPECT_EQ(w.poll_and_drain(), 0u);
    w.odoo().write("stock.picking", open[0], Struct{{"origin", "edited"}});
    w.odoo().clear_calls();
    w.poll_and_drain();
    EXPECT_EQ(w.confirmations().size(), 1u);
    EXPECT_EQ(w.odoo().call_count("read", "stock.picking"), 0u);

    // Once the overlap has passed, an idle round is one search_read that finds nothing (and
    // writes nothing to the store).
    w.clock.advance(2h);
    w.odoo().clear_calls();
    auto idle = w.run(w.watcher->poll_once());
    EXPECT_EQ(idle.seen, 0u);
    EXPECT_EQ(idle.enqueued, 0u);
    EXPECT_EQ(w.odoo().calls().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Odoo, ShipmentVersions, ::testing::Values(16, 18, 19));

TEST(Shipments, APartialDeliveryAndItsBackorderAreConfirmedApartWithTheirQuantities) {
    World w;
    const auto sale = w.import(mfn_order("112-0000002-0000001"));
    auto open = w.open_pickings(sale);
    ASSERT_EQ(open.size(), 1u);
    w.validate(open[0], {1, 0});  // one of the two SKU-A, none of SKU-B
    w.poll_and_drain();
    auto back = w.open_pickings(sale);
    ASSERT_EQ(back.size(), 1u) << "the backorder";
    w.validate(back[0], {}, {}, "1Z999AA10123456785");
    w.poll_and_drain();

    auto sent = w.confirmations();
    ASSERT_EQ(sent.size(), 2u);
    const auto& first = sent[0]["packageDetail"]["orderItems"];
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0]["orderItemId"], "112-0000002-0000001-1");
    EXPECT_EQ(first[0]["quantity"], 1);
    const auto& second = sent[1]["packageDetail"]["orderItems"];
    ASSERT_EQ(second.size(), 2u);
    EXPECT_EQ(second[0]["quantity"], 1);
    EXPECT_EQ(second[1]["quantity"], 1);
    EXPECT_NE(sent[0]["packageDetail"]["packageReferenceId"],
              sent[1]["packageDetail"]["packageReferenceId"]);
    EXPECT_EQ(w.amazon_fake.order("112-0000002-0000001")->status, "SHIPPED");
}

TEST(Shipments, PackagesWithTrackingNumbersOfTheirOwnAreOneConfirmationEach) {
    World w;
    const auto sale = w.import(mfn_order("112-0000003-0000001"));
    const auto pick = w.open_pickings(sale).at(0);
    auto moves = w.moves_of(pick);
    ASSERT_EQ(moves.size(), 2u);
    // Packed as a person does with "Put in Pack": SKU-A in one box, SKU-B in another.
    const auto box1 = w.odoo().create("stock.quant.package", Struct{});
    const auto box2 = w.odoo().create("stock.quant.package", Struct{});
    const char* qty = w.major >= 17 ? "quantity" : "qty_done";
    for (std::size_t i = 0; i < 2; ++i) {
        w.odoo().create("stock.move.line",
                        Struct{{"picking_id", pick},
                               {"move_id", moves[i]["id"]},
                               {"product_id", moves[i]["product_id"].m2o_id().value_or(0)},
                               {qty, moves[i]["product_uom_qty"]},
                               {"result_package_id", i == 0 ? box1 : box2}});
    }
    w.validate(pick, {}, {}, "1ZBOX1,1ZBOX2");
    w.poll_and_drain();

    auto sent = w.confirmations();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[0]["packageDetail"]["trackingNumber"], "1ZBOX1");
    EXPECT_EQ(sent[0]["packageDetail"]["orderItems"][0]["orderItemId"], "112-0000003-0000001-1");
    EXPECT_EQ(sent[0]["packageDetail"]["orderItems"][0]["quantity"], 2);
    EXPECT_EQ(sent[1]["packageDetail"]["trackingNumber"], "1ZBOX2");
    EXPECT_EQ(sent[1]["packageDetail"]["orderItems"][0]["orderItemId"], "112-0000003-0000001-2");
    EXPECT_EQ(sent[0]["packageDetail"]["packageReferenceId"], std::to_string(pick * 1000 + 1));
    EXPECT_EQ(sent[1]["packageDetail"]["packageReferenceId"], std::to_string(pick * 1000 + 2));
}

TEST(Shipments, ADeliveryWithoutTrackingWaitsAndIsConfirmedWhenTheNumberIsAdded) {
    World w;
    const auto sale = w.import(mfn_order("112-0000004-0000001"));
    const auto pick = w.open_pickings(sale).at(0);
    w.validate(pick, {}, {}, /*tracking=*/"");
    w.poll_and_drain();
    EXPECT_TRUE(w.confirmations().empty());
    EXPECT_EQ(w.count(store::JobState::ready, "fulfillment_status"), 1) << "it waits";
    EXPECT_NE(w.last_error_of_flow("fulfillment_status").find("waiting for the tracking number"),
              std::string::npos)
        << w.last_error_of_flow("fulfillment_status");

    // The number is added in Odoo: the watcher's next round wakes the waiting job at once.
    w.odoo().write("stock.picking", pick, Struct{{"carrier_tracking_ref", "1ZLATE"}});
    w.poll_and_drain();
    auto sent = w.confirmations();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0]["packageDetail"]["trackingNumber"], "1ZLATE");
    EXPECT_EQ(w.count(store::JobState::ready, "fulfillment_status"), 0);
}

TEST(Shipments, ACarrierMissingFromTheMappingIsADeadLetterNamingItAndTheFile) {
    World w;
    const auto sale = w.import(mfn_order("112-0000005-0000001"));
    const auto bob = w.odoo().create("delivery.carrier", Struct{{"name", "Bob's Couriers"}});
    w.validate(w.open_pickings(sale).at(0), {}, bob);
    w.poll_and_drain();
    EXPECT_TRUE(w.confirmations().empty());
    EXPECT_EQ(w.count(store::JobState::dead, "fulfillment_status"), 1);
    const auto msg = w.last_error_of_flow("fulfillment_status");
    EXPECT_NE(msg.find("Bob's Couriers"), std::string::npos) << msg;
    EXPECT_NE(msg.find("shipment_confirm.yaml"), std::string::npos) << msg;
    EXPECT_NE(msg.find("queue replay"), std::string::npos) << msg;
}

TEST(Shipments, AShipmentAmazonAlreadyHasCountsAsDone) {
    // What a crash between Amazon's 204 and the store's record leaves: Amazon has the package,
    // the store does not. The rerun's confirmation is refused, the order read, and the job done.
    World w;
    const auto sale = w.import(mfn_order("112-0000006-0000001"));
    const auto pick = w.open_pickings(sale).at(0);
    w.validate(pick);
    amazon::ConfirmShipmentRequest r;
    r.marketplace_id = "ATVPDKIKX0DER";
    r.package_reference_id = std::to_string(pick);
    r.carrier_code = "UPS";
    r.tracking_number = "1Z999AA10123456784";
    r.ship_date = "2026-11-02T10:00:00Z";
    r.items = {{"112-0000006-0000001-1", 2, {}}, {"112-0000006-0000001-2", 1, {}}};
    ASSERT_TRUE(w.run(w.sp->confirm_shipment("112-0000006-0000001", r)));

    w.poll_and_drain();
    EXPECT_EQ(w.confirmations().size(), 1u) << "only the first";
    EXPECT_EQ(w.count(store::JobState::done, "fulfillment_status"), 1);
    EXPECT_EQ(w.count(store::JobState::dead, "fulfillment_status"), 0);
}

TEST(Shipments, AmazonFulfilledOrdersAreNeverConfirmed) {
    World w;
    SeedOrder o = mfn_order("112-0000007-0000001");
    o.fulfilled_by = "AMAZON";
    o.status = "SHIPPED";
    o.carrier = "UPS";
    o.tracking_number = "1ZFBA";
    w.import(o);  // the import validates the FBA delivery itself
    w.poll_and_drain();
    EXPECT_TRUE(w.confirmations().empty());
    EXPECT_EQ(w.count(store::JobState::dead, "fulfillment_status"), 0);
}

FulfillmentStatusOptions cancelling() {
    FulfillmentStatusOptions o;
    o.cancel_on_amazon = true;
    o.cancel_reason = "ShippingAddressUndeliverable";
    return o;
}

/// A person cancels sale order `sale` in Odoo (no e-mail to the customer).
void cancel_in_odoo(World& w, std::int64_t sale) {
    w.odoo().call("sale.order", "action_cancel", {sale}, Struct{{"disable_cancel_warning", true}});
}

TEST(Cancellations, AnMfnOrderCancelledInOdooIsCancelledOnAmazonThroughTheFeed) {
    World w(18, cancelling());
    const std::string id = "112-0000011-0000001";
    const auto sale = w.import(mfn_order(id));
    cancel_in_odoo(w, sale);
    w.poll_and_drain();
    // Sent; Amazon has not processed the feed yet: the job waits and says so.
    EXPECT_EQ(w.amazon_fake.calls("createFeed"), 1);
    EXPECT_EQ(w.count(store::JobState::ready, "fulfillment_status"), 1);
    EXPECT_NE(w.last_error_of_flow("fulfillment_status").find("waiting for Amazon to process"),
              std::string::npos);
    EXPECT_EQ(w.amazon_fake.order(id)->status, "UNSHIPPED");

    w.clock.advance(2min);  // Amazon processes the feed; the job looks again
    w.drain();
    EXPECT_EQ(w.amazon_fake.order(id)->status, "CANCELLED");
    EXPECT_EQ(w.count(store::JobState::done, "fulfillment_status"), 1);
    EXPECT_EQ(w.amazon_fake.calls("createFeed"), 1) << "one feed, however often the job ran";
    const auto sent = w.amazon_fake.feed_contents("POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA");
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0], "order-id\tcancellation-reason-code\tamazon-order-item-code\n" + id +
                           "\tShippingAddressUndeliverable\t\n");
}

TEST(Cancellations, AnOrderAmazonRefusesToCancelIsADeadLetterWithAmazonsWords) {
    World w(18, cancelling());
    const std::string id = "112-0000012-0000001";
    const auto sale = w.import(mfn_order(id));
    cancel_in_odoo(w, sale);
    w.poll_and_drain();
    ASSERT_EQ(w.amazon_fake.calls("createFeed"), 1);
    // Shipped in Seller Central meanwhile: Amazon's report refuses the row.
    w.amazon_fake.set_order_status(id, "SHIPPED", "2026-11-02T10:00:00Z");
    w.clock.advance(2min);
    w.drain();
    EXPECT_EQ(w.count(store::JobState::dead, "fulfillment_status"), 1);
    const auto msg = w.last_error_of_flow("fulfillment_status");
    EXPECT_NE(msg.find("Amazon refused to cancel"), std::string::npos) << msg;
    EXPECT_NE(msg.find("The order has shipped and cannot be cancelled."), std::string::npos) << msg;
}

TEST(Cancellations, AnOrderAmazonCancelledItselfOrThatShippedGetsNoFeed) {
    World w(18, cancelling());
    // Amazon cancelled it: the import cancels the sale order; the job finds it cancelled there.
    const std::string gone = "112-0000013-0000001";
    w.import(mfn_order(gone));
    w.amazon_fake.set_order_status(gone, "CANCELLED", "2026-11-02T10:00:00Z");
    OrderJob j;
    j.amazon_order_id = gone;
    j.marketplace_id = "ATVPDKIKX0DER";
    j.change_time = "2026-11-02T10:00:00Z";
    j.source = "sweep";
    ASSERT_TRUE(w.store->enqueue(*make_order_job(kConnection, j)));
    w.drain();
    w.poll_and_drain();
    EXPECT_EQ(w.amazon_fake.calls("createFeed"), 0);
    // Shipped on Amazon, cancelled in Odoo afterwards: a dead letter that says to refund instead.
    const std::string shipped = "112-0000014-0000001";
    const auto sale = w.import(mfn_order(shipped));
    w.amazon_fake.set_order_status(shipped, "SHIPPED", "2026-11-02T10:00:00Z");
    cancel_in_odoo(w, sale);
    w.poll_and_drain();
    EXPECT_EQ(w.amazon_fake.calls("createFeed"), 0);
    EXPECT_NE(w.last_error_of_flow("fulfillment_status").find("refund the buyer in Seller Central"),
              std::string::npos);
}

TEST(Cancellations, OffByDefaultNoSaleOrderIsWatched) {
    World w;
    ASSERT_EQ(w.shipments->odoo_watches().size(), 1u);
    EXPECT_EQ(w.shipments->odoo_watches()[0].model, "stock.picking");
}

TEST(OdooHooks, AWebhookBodyIsTheJobOfItsRecordAndAStormIsOneKey) {
    World w;
    const auto watches = w.shipments->odoo_watches();
    const std::string body =
        R"j({"_action":"Notify daemon(#454)","_id":39,"_model":"stock.picking","id":39,)j"
        R"j("state":"done","write_date":"2026-12-07 10:00:00"})j";
    auto job = job_from_odoo_hook(watches, kConnection, body);
    ASSERT_TRUE(job) << job.error().describe();
    EXPECT_EQ(job->flow, "fulfillment_status");
    EXPECT_EQ(job->entity_key, "stock.picking:39");
    EXPECT_EQ(job->idempotency_key, "stock.picking:39@2026-12-07 10:00:00/done");
    EXPECT_EQ(job_from_odoo_hook(watches, kConnection, body)->idempotency_key,
              job->idempotency_key);
    // The watcher's key for the same change is the same: one job whichever sees it first.
    OdooChange seen{kConnection, "stock.picking", 39, "2026-12-07 10:00:00", "watch", {}, "done"};
    EXPECT_EQ(watches[0].make_job(seen).idempotency_key, job->idempotency_key);
    // Saved, then validated in the same second: the state tells the two changes apart.
    const std::string saved =
        R"j({"_id":39,"_model":"stock.picking","state":"assigned","write_date":"2026-12-07 10:00:00"})j";
    EXPECT_NE(job_from_odoo_hook(watches, kConnection, saved)->idempotency_key,
              job->idempotency_key);
    // A body without the state keys by its digest: the same body twice is still one key.
    const std::string bare =
        R"j({"_id":39,"_model":"stock.picking","write_date":"2026-12-07 10:00:00"})j";
    EXPECT_EQ(job_from_odoo_hook(watches, kConnection, bare)->idempotency_key,
              job_from_odoo_hook(watches, kConnection, bare)->idempotency_key);
    EXPECT_NE(job_from_odoo_hook(watches, kConnection, bare)->idempotency_key.find("#hook:"),
              std::string::npos);

    for (const char* bad :
         {"", "[]", "{\"_model\":\"stock.picking\"}", "{\"_model\":\"stock.picking\",\"_id\":-3}",
          "{\"_model\":\"res.partner\",\"_id\":3}"}) {
        auto r = job_from_odoo_hook(watches, kConnection, bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().kind, ErrorKind::permanent) << bad;
    }
    EXPECT_NE(job_from_odoo_hook(watches, kConnection, R"({"_model":"res.partner","_id":3})")
                  .error()
                  .message.find("watched: stock.picking"),
              std::string::npos);
}

}  // namespace
}  // namespace clarity::flows
