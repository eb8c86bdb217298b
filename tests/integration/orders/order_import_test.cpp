// The order_import flow end to end on one machine: the real SP-API client against the fake SP-API
// and the real Odoo client against the fake Odoo, both over loopback sockets, the real SQLite
// store in a temp dir and the real engine. Covers creation, status following, updates, AFN
// deliveries (partial + backorder), dead letters with replay, retries and crash reruns, and the
// field spellings of Odoo 16, 18 and 19.
#include "clarity/flows/order_import.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "clarity/flows/engine.hpp"
#include "clarity/flows/order_jobs.hpp"
#include "clarity/net/circuit_breaker.hpp"
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
using fakes::odoo::FaultSpec;
using fakes::sp_api::SeedItem;
using fakes::sp_api::SeedOrder;
using odoo::Struct;
using odoo::Value;

constexpr const char* kConnection = "us";

fakes::sp_api::FakeOptions fast_amazon() {
    fakes::sp_api::FakeOptions fo;
    fo.speed_up = 1000;
    return fo;
}

SeedItem item(std::string id, std::string sku, std::int64_t qty, std::string price) {
    SeedItem i;
    i.order_item_id = std::move(id);
    i.seller_sku = sku;
    i.asin = "B0" + sku;
    i.title = "Title of " + sku;
    i.quantity = qty;
    i.unit_price = std::move(price);
    return i;
}

/// Three lines, no tax, no promotion: Amazon's grand total equals Odoo's.
SeedOrder three_lines(std::string id, std::string status = "UNSHIPPED") {
    SeedOrder o;
    o.order_id = std::move(id);
    o.status = std::move(status);
    o.state = "CA";
    o.postal_code = "94105";
    o.city = "San Francisco";
    o.items = {item(o.order_id + "-1", "SKU-A", 2, "12.50"),
               item(o.order_id + "-2", "SKU-B", 1, "5.00"),
               item(o.order_id + "-3", "SKU-C", 3, "1.99")};
    return o;
}

class World {
  public:
    explicit World(int major = 18,
                   OrderImportOptions options = default_options(),
                   FakeOdooOptions fake = {},
                   std::vector<std::string> marketplaces = {"ATVPDKIKX0DER"},
                   odoo::Protocol protocol = odoo::Protocol::auto_select)
        : amazon_fake(clock, fast_amazon()),
          quota(SystemClock::instance(), 1000),
          odoo_server(with_major(std::move(fake), major)) {
        http = net::make_http_client(io.get_executor(), net::HttpClientOptions{});
        amazon::AmazonOptions a = amazon_fake.client_options(std::move(marketplaces));
        lwa.emplace(*http, clock, fakes::sp_api::FakeSpApi::lwa_options(a), &metrics);
        sp.emplace(*http, *lwa, quota, clock, random, metrics, a);

        FakeOdooOptions f;
        odoo::OdooOptions o;
        o.url = odoo_server.base_url();
        o.database = f.database;
        o.username = f.admin_login;
        o.api_key = Secret(f.admin_api_key);
        o.retry_delay = 1ms;
        o.protocol = protocol;
        // Odoo behind its circuit breaker, as the daemon wires it (src/app/wiring.cpp).
        odoo_breaker = std::make_unique<net::CircuitBreaker>(clock, net::CircuitBreakerOptions{},
                                                             kConnection, "odoo", &metrics);
        odoo_http = net::make_guarded_client(http, *odoo_breaker);
        odoo_client = std::make_unique<odoo::OdooClient>(*odoo_http, o);
        auto schema = run(odoo_client->connect());
        EXPECT_TRUE(schema) << schema.error().describe();

        store::StoreOptions so;
        so.path = (dir / "store.db").string();
        so.default_retry = {1s, 60s, 5};
        store = store::open_store(so, {clock, random, &metrics});
        async_store = std::make_unique<store::AsyncStore>(*store);

        auto tpl =
            std::make_shared<const mapping::MappingTemplate>(mapping::MappingTemplate::load_file(
                test::source_dir() / "config/mapping/order_import.yaml"));
        options.connection = kConnection;
        flow = std::make_shared<OrderImportFlow>(
            OrderImportDeps{*sp, *odoo_client, tpl, metrics, clock, async_store.get()}, options);
        engine = std::make_unique<Engine>(io.get_executor(), *async_store, metrics, clock);
        engine->add_flow(flow, {.concurrency = 2, .connections = {kConnection}});

        // Products by Internal Reference; an Amazon warehouse for FBA orders.
        for (const char* sku : {"SKU-A", "SKU-B", "SKU-C"}) {
            Struct p{{"name", std::string("Product ") + sku}, {"default_code", sku}};
            if (major >= 18) {
                p.emplace("is_storable", true);
            } else {
                p.emplace("detailed_type", "product");
            }
            products[sku] = odoo().create("product.product", std::move(p));
        }
        products["PROMO"] = odoo().create(
            "product.product", Struct{{"name", "Amazon promotion"},
                                      {"default_code", "PROMO"},
                                      {major >= 18 ? "type" : "detailed_type", "service"}});
        amz_warehouse =
            odoo().create("stock.warehouse",
                          Struct{{"name", "Amazon FBA"}, {"code", "AMZ"}, {"lot_stock_id", 8}});
    }

    /// Runs up to `n` order jobs at once (a backlog's batches form from the jobs running at once),
    /// in cohorts of `cohort` (1: each alone, as jobs that drift apart would).
    void set_concurrency(std::size_t n, std::size_t cohort = 1) {
        EngineOptions eo;
        eo.max_in_flight = n;
        engine = std::make_unique<Engine>(io.get_executor(), *async_store, metrics, clock, eo);
        engine->add_flow(flow, {.concurrency = n, .connections = {kConnection}, .cohort = cohort});
    }

    static OrderImportOptions default_options() { return OrderImportOptions{}; }
    static FakeOdooOptions with_major(FakeOdooOptions f, int major) {
        f.major = major;
        return f;
    }

    /// The last error of job `id` (a dead letter's message).
    std::string last_error(store::JobId id) {
        auto shown = store->show_job(id);
        EXPECT_TRUE(shown && shown->has_value());
        return shown && shown->has_value() ? (*shown)->last_error : std::string{};
    }

    /// amount_total of sale order `id` as Odoo computes it (read over RPC).
    std::string amount_total(std::int64_t id) {
        std::vector<std::string> fields{"amount_total"};
        auto rows = run(odoo_client->read("sale.order", {id}, fields));
        EXPECT_TRUE(rows && rows->size() == 1u);
        if (!rows || rows->empty()) return "?";
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f", (*rows)[0]["amount_total"].as_double().value_or(0));
        return buf;
    }

    template <class T>
    T run(asio::awaitable<T> aw) {
        auto fut = asio::co_spawn(io, std::move(aw), asio::use_future);
        io.restart();
        io.run();
        return fut.get();
    }

    fakes::odoo::FakeOdoo& odoo() { return odoo_server.odoo(); }

    store::JobId enqueue(const std::string& order_id,
                         const std::string& change_time,
                         const std::string& marketplace = "ATVPDKIKX0DER") {
        OrderJob j;
        j.amazon_order_id = order_id;
        j.marketplace_id = marketplace;
        j.change_time = change_time;
        j.source = "sweep";
        auto job = make_order_job(kConnection, j);
        EXPECT_TRUE(job) << job.error().describe();
        auto id = store->enqueue(*job);
        EXPECT_TRUE(id) << id.error().describe();
        return id ? id->id : 0;
    }

    /// Amazon has `o`, and its order job is queued as an ORDER_CHANGE of 10:05 would queue it.
    store::JobId add_and_enqueue(const SeedOrder& o) {
        amazon_fake.add_order(o);
        return enqueue(o.order_id, "2026-11-01T10:05:00Z");
    }

    std::size_t drain() { return run(engine->run_until_idle()); }

    std::vector<Struct> orders_for(const std::string& amazon_id) {
        std::vector<Struct> out;
        for (auto& so : odoo().records("sale.order")) {
            if (so["client_order_ref"] == Value(amazon_id)) out.push_back(std::move(so));
        }
        return out;
    }

    std::vector<Struct> lines_of(std::int64_t sale_id) {
        std::vector<Struct> out;
        for (auto& l : odoo().records("sale.order.line")) {
            if (l["order_id"].m2o_id() == sale_id) out.push_back(std::move(l));
        }
        return out;
    }

    std::vector<Struct> pickings_of(std::int64_t sale_id) {
        std::vector<Struct> out;
        for (auto& p : odoo().records("stock.picking")) {
            if (p["sale_id"].m2o_id() == sale_id) out.push_back(std::move(p));
        }
        return out;
    }

    std::int64_t state_count(store::JobState state) {
        std::int64_t n = 0;
        auto stats = store->stats();
        EXPECT_TRUE(stats);
        for (const auto& row : stats->by_flow_state) {
            if (row.state == state) n += row.count;
        }
        return n;
    }

    double metric(const std::string& line_prefix) {
        const std::string text = metrics.render();
        auto pos = text.find(line_prefix + " ");
        if (pos == std::string::npos) return 0;
        return std::stod(text.substr(pos + line_prefix.size() + 1));
    }

    test::TempDir dir;
    asio::io_context io;
    core::MetricsRegistry metrics;
    ManualClock clock;
    DefaultRandom random{11};
    std::shared_ptr<net::HttpClient> http;
    fakes::sp_api::FakeSpApi amazon_fake;
    amazon::QuotaLimiter quota;
    std::optional<amazon::LwaTokenSource> lwa;
    std::optional<amazon::SpApiClient> sp;
    FakeOdooServer odoo_server;
    std::unique_ptr<net::CircuitBreaker> odoo_breaker;
    std::shared_ptr<net::HttpClient> odoo_http;
    std::unique_ptr<odoo::OdooClient> odoo_client;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<store::AsyncStore> async_store;
    OrderImportOptions options = default_options();
    std::shared_ptr<OrderImportFlow> flow;
    std::unique_ptr<Engine> engine;
    std::map<std::string, std::int64_t> products;
    std::int64_t amz_warehouse = 0;
};

class OrderImportVersions : public ::testing::TestWithParam<int> {};

TEST_P(OrderImportVersions, MerchantOrderIsCreatedConfirmedWithAmazonsDateAndCustomFields) {
    World w(GetParam());
    SeedOrder o = three_lines("111-0000001-0000001");
    o.items[0].gift_message = "Happy birthday!";
    o.items[0].gift_wrap_level = "Classic";
    w.add_and_enqueue(o);

    EXPECT_EQ(w.drain(), 1u);
    EXPECT_EQ(w.state_count(store::JobState::done), 1);
    auto orders = w.orders_for(o.order_id);
    ASSERT_EQ(orders.size(), 1u);
    const Struct& so = orders[0];
    EXPECT_EQ(so.at("state"), Value("sale"));
    EXPECT_EQ(so.at("date_order"), Value("2026-11-01 10:00:00")) << "Amazon's purchase date wins";
    EXPECT_EQ(so.at("x_studio_amazon_order_type"), Value("standard"));
    EXPECT_EQ(so.at("warehouse_id").m2o_id(), 1) << "MFN ships from WH";
    auto lines = w.lines_of(so.at("id").as_int().value());
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0]["product_id"].m2o_id(), w.products["SKU-A"]);
    EXPECT_EQ(lines[0]["product_uom_qty"].as_double(), 2.0);
    EXPECT_EQ(lines[0]["price_unit"].as_double(), 12.5);
    EXPECT_EQ(lines[0]["x_studio_gift_message"], Value("Happy birthday!"));
    EXPECT_EQ(lines[2]["price_unit"].as_double(), 1.99);

    // Customer and delivery address: the state is matched, never invented.
    auto shipping = w.odoo().record("res.partner", so.at("partner_shipping_id").m2o_id().value());
    ASSERT_TRUE(shipping);
    EXPECT_EQ((*shipping)["type"], Value("delivery"));
    EXPECT_EQ((*shipping)["state_id"].m2o_id(), 13) << "California";
    EXPECT_EQ((*shipping)["parent_id"].m2o_id(), so.at("partner_id").m2o_id());
    EXPECT_EQ(w.metric("clarity_orders_imported_total{connection=\"us\"}"), 1);
    EXPECT_EQ(w.metric("clarity_order_total_mismatch_total{connection=\"us\"}"), 0);
    auto mapped = w.store->find_by_external(kConnection, "amazon_order", o.order_id);
    ASSERT_TRUE(mapped && mapped->has_value());
    EXPECT_EQ((*mapped)->odoo_id, so.at("id").as_int().value());
}

TEST_P(OrderImportVersions, AmazonFulfilledShipmentValidatesTheDeliveryWithTracking) {
    World w(GetParam());
    SeedOrder o = three_lines("111-0000002-0000002");
    o.fulfilled_by = "AMAZON";
    w.add_and_enqueue(o);
    ASSERT_EQ(w.drain(), 1u);
    auto so = w.orders_for(o.order_id).at(0);
    EXPECT_EQ(so["warehouse_id"].m2o_id(), w.amz_warehouse) << "AFN goes to the FBA warehouse";
    const auto sale_id = so["id"].as_int().value();
    ASSERT_EQ(w.pickings_of(sale_id).size(), 1u);

    w.amazon_fake.update_order(o.order_id, [](SeedOrder& s) {
        s.status = "SHIPPED";
        s.last_updated_time = "2026-11-02T08:00:00Z";
        s.carrier = "AMZN_US";
        s.tracking_number = "TBA000111222";
    });
    w.enqueue(o.order_id, "2026-11-02T08:00:00Z");
    ASSERT_EQ(w.drain(), 1u);
    EXPECT_EQ(w.state_count(store::JobState::done), 2);
    auto pickings = w.pickings_of(sale_id);
    ASSERT_EQ(pickings.size(), 1u) << "fully shipped: no backorder";
    EXPECT_EQ(pickings[0]["state"], Value("done"));
    EXPECT_EQ(pickings[0]["carrier_tracking_ref"], Value("AMZN_US TBA000111222"));
    for (auto& l : w.lines_of(sale_id)) {
        EXPECT_EQ(l["qty_delivered"], l["product_uom_qty"]);
    }
    EXPECT_EQ(w.metric("clarity_order_deliveries_validated_total{connection=\"us\"}"), 1);

    // The same change seen again (a duplicate notification with another reference) does nothing.
    w.enqueue(o.order_id, "2026-11-02T08:00:01Z");
    ASSERT_EQ(w.drain(), 1u);
    EXPECT_EQ(w.pickings_of(sale_id).size(), 1u);
    EXPECT_EQ(w.metric("clarity_order_deliveries_validated_total{connection=\"us\"}"), 1);
}

INSTANTIATE_TEST_SUITE_P(Odoo,
                         OrderImportVersions,
                         ::testing::Values(16, 18, 19),
                         [](const auto& info) { return "v" + std::to_string(info.param); });

TEST(OrderImport, PartialShipmentLeavesABackorderThenTheRestShips) {
    World w;
    SeedOrder o = three_lines("111-0000003-0000003");
    o.fulfilled_by = "AMAZON";
    w.add_and_enqueue(o);
    ASSERT_EQ(w.drain(), 1u);
    const auto sale_id = w.orders_for(o.order_id).at(0)["id"].as_int().value();

    w.amazon_fake.update_order(o.order_id, [](SeedOrder& s) {
        s.status = "PARTIALLY_SHIPPED";
        s.items[0].quantity_shipped = 1;  // of 2
        s.items[1].quantity_shipped = 1;  // of 1
        s.items[2].quantity_shipped = 0;  // of 3
    });
    w.enqueue(o.order_id, "2026-11-02T08:00:00Z");
    ASSERT_EQ(w.drain(), 1u);
    auto pickings = w.pickings_of(sale_id);
    ASSERT_EQ(pickings.size(), 2u);
    EXPECT_EQ(pickings[0]["state"], Value("done"));
    EXPECT_EQ(pickings[1]["state"], Value("assigned"));
    EXPECT_EQ(pickings[1]["backorder_id"].m2o_id(), pickings[0]["id"].as_int());
    auto lines = w.lines_of(sale_id);
    EXPECT_EQ(lines[0]["qty_delivered"].as_double(), 1.0);
    EXPECT_EQ(lines[1]["qty_delivered"].as_double(), 1.0);
    EXPECT_EQ(lines[2]["qty_delivered"].as_double(), 0.0);

    w.amazon_fake.update_order(o.order_id, [](SeedOrder& s) {
        s.status = "SHIPPED";
        for (auto& i : s.items) i.quantity_shipped = -1;
    });
    w.enqueue(o.order_id, "2026-11-03T08:00:00Z");
    ASSERT_EQ(w.drain(), 1u);
    pickings = w.pickings_of(sale_id);
    ASSERT_EQ(pickings.size(), 2u);
    EXPECT_EQ(pickings[1]["state"], Value("done"));
    lines = w.lines_of(sale_id);
    EXPECT_EQ(lines[0]["qty_delivered"].as_double(), 2.0);
    EXPECT_EQ(lines[2]["qty_delivered"].as_double(), 3.0);
}

TEST(OrderImport, PartialShipmentWithoutBackorderClosesTheDelivery) {
    OrderImportOptions opt;
    opt.create_backorder = false;
    World w(18, opt);
    SeedOrder o = three_lines("111-0000004-0000004", "PARTIALLY_SHIPPED");
    o.fulfilled_by = "AMAZON";
    o.items[0].quantity_shipped = 1;
    o.items[1].quantity_shipped = 0;
    o.items[2].quantity_shipped = 3;
    w.add_and_enqueue(o);
    ASSERT_EQ(w.drain(), 1u);
    const auto sale_id = w.orders_for(o.order_id).at(0)["id"].as_int().value();
    auto pickings = w.pickings_of(sale_id);
    ASSERT_EQ(pickings.size(), 1u);
    EXPECT_EQ(pickings[0]["state"], Value("done"));
    EXPECT_EQ(w.lines_of(sale_id)[0]["qty_delivered"].as_double(), 1.0);
}

TEST(OrderImport, FbaTrackingComesFromTheFulfilledShipmentsReportEvenAfterValidation) {
    World w;
    SeedOrder o = three_lines("111-0000021-0000021");
    o.fulfilled_by = "AMAZON";
    w.add_and_enqueue(o);
    ASSERT_EQ(w.drain(), 1u);
    const auto sale_id = w.orders_for(o.order_id).at(0)["id"].as_int().value();

    // Shipped, no report yet: the delivery is validated without tracking.
    w.amazon_fake.set_order_status(o.order_id, "SHIPPED", "2026-11-02T08:00:00Z");
    w.enqueue(o.order_id, "2026-11-02T08:00:00Z");
    ASSERT_EQ(w.drain(), 1u);
    auto pickings = w.pickings_of(sale_id);
    ASSERT_EQ(pickings.size(), 1u);
    EXPECT_EQ(pickings[0]["state"], Value("done"));
    EXPECT_TRUE(pickings[0]["carrier_tracking_ref"].is_empty());

    // The report arrives; the next change of the order (after the report's max age) fills it in.
    w.amazon_fake.add_report(
        "R-1", "GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL",
        "amazon-order-id\tmerchant-order-id\tshipment-id\tsku\tquantity-shipped\tcarrier\t"
        "tracking-number\n"
        "111-0000021-0000021\t\tS1\tSKU-A\t2\tAMZN_US\tTBA900000001\n"
        "111-0000021-0000021\t\tS2\tSKU-B\t1\tUPS\t1Z999\n"
        "111-9999999-9999999\t\tS3\tSKU-C\t1\tUSPS\t9400\n",
        true, "2026-11-02T09:00:00Z");
    w.clock.advance(31min);
    w.enqueue(o.order_id, "2026-11-02T10:00:00Z");
    ASSERT_EQ(w.drain(), 1u);
    pickings = w.pickings_of(sale_id);
    ASSERT_EQ(pickings.size(), 1u);
    EXPECT_EQ(pickings[0]["carrier_tracking_ref"], Value("AMZN_US TBA900000001, UPS 1Z999"));
    EXPECT_EQ(w.amazon_fake.calls("getReports"), 2) << "one look per max age";
}

TEST(OrderImport, PendingIsAQuotationUpdatedWhenItChangesThenConfirmed) {
    World w;
    SeedOrder o = three_lines("111-0000005-0000005", "PENDING");
    w.add_and_enqueue(o);
    ASSERT_EQ(w.drain(), 1u);
    auto orders = w.orders_for(o.order_id);
    ASSERT_EQ(orders.size(), 1u);
    EXPECT_EQ(orders[0]["state"], Value("draft"));
    const auto sale_id = orders[0]["id"].as_int().value();

    // The buyer changed a quantity while the order was pending: the quotation follows.
    w.amazon_fake.update_order(o.order_id, [](SeedOrder& s) {
        s.items[1].quantity = 4;
        s.last_updated_time = "2026-11-01T11:00:00Z";
    });
    w.enqueue(o.order_id, "2026-11-01T11:00:00Z");
    ASSERT_EQ(w.drain(), 1u);
    auto lines = w.lines_of(sale_id);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[1]["product_uom_qty"].as_double(), 4.0);
    EXPECT_EQ(w.metric("clarity_orders_updated_total{connection=\"us\"}"), 1);

    w.amazon_fake.set_order_status(o.order_id, "UNSHIPPED", "2026-11-01T12:00:00Z");
    w.enqueue(o.order_id, "2026-11-01T12:00:00Z");
    ASSERT_EQ(w.drain(), 1u);
    orders = w.orders_for(o.order_id);
    ASSERT_EQ(orders.size(), 1u);
    EXPECT_EQ(orders[0]["state"], Value("sale"));
    EXPECT_EQ(orders[0]["date_order"], Value("2026-11-01 10:00:00"));
}

TEST(OrderImport, PendingIsSkippedWhenConfiguredSo) {
    OrderImportOptions opt;
    opt.import_pending = false;
    World w(18, opt);
    SeedOrder o = three_lines("111-0000006-0000006", "PENDING");
    w.add_and_enqueue(o);
    ASSERT_EQ(w.drain(), 1u);
    EXPECT_TRUE(w.orders_for(o.order_id).empty());
    EXPECT_EQ(w.state_count(store::JobState::done), 1);
}

TEST(OrderImport, CanceledOrderCancelsTheSaleOrder) {
    World w;
    SeedOrder o = three_lines("111-0000007-0000007");
    w.add_and_enqueue(o);
    ASSERT_EQ(w.drain(), 1u);
    w.amazon_fake.set_order_status(o.order_id, "CANCELLED", "2026-11-01T12:00:00Z");
    w.enqueue(o.order_id, "2026-11-01T12:00:00Z");
    ASSERT_EQ(w.drain(), 1u);
    auto orders = w.orders_for(o.order_id);
    ASSERT_EQ(orders.size(), 1u);
    EXPECT_EQ(orders[0]["state"], Value("cancel"));

    // A cancellation of an order never imported creates nothing.
    SeedOrder never = three_lines("111-0000008-0000008", "CANCELLED");
    w.amazon_fake.add_order(never);
    w.enqueue(never.order_id, "2026-11-01T12:00:00Z");
    ASSERT_EQ(w.drain(), 1u);
    EXPECT_TRUE(w.orders_for(never.order_id).empty());
}

class OrderImportCancel : public ::testing::TestWithParam<int> {};

// 16–18 answer action_cancel on a confirmed order with the sale.order.cancel wizard's action (an
// e-mail to the customer) and cancel nothing, unless the context disables that warning; 19
// cancels directly. The flow passes the key and reads the state back: the order is cancelled on
// every version, without the wizard.
TEST_P(OrderImportCancel, AConfirmedOrderIsReallyCancelledWithoutTheEmailWizard) {
    const int major = GetParam();
    World w(major);
    SeedOrder o = three_lines("111-0000070-0000070");
    SeedOrder other = three_lines("111-0000071-0000071");
    w.amazon_fake.add_order(o);
    w.amazon_fake.add_order(other);
    w.enqueue(o.order_id, "2026-11-01T10:05:00Z");
    w.enqueue(other.order_id, "2026-11-01T10:05:00Z");
    ASSERT_EQ(w.drain(), 2u);
    const auto sale_id = w.orders_for(o.order_id).at(0)["id"].as_int().value();
    const auto other_id = w.orders_for(other.order_id).at(0)["id"].as_int().value();
    ASSERT_EQ(w.orders_for(o.order_id).at(0)["state"], Value("sale"));

    // The fake answers as Odoo does when the key is missing.
    auto bare = w.run(w.odoo_client->call_action("sale.order", "action_cancel", {other_id}));
    ASSERT_TRUE(bare) << bare.error().describe();
    if (major <= 18) {
        ASSERT_TRUE(bare->needs_wizard());
        EXPECT_EQ(bare->wizard->res_model, "sale.order.cancel");
        EXPECT_EQ(w.orders_for(other.order_id).at(0)["state"], Value("sale"))
            << "the wizard's action cancels nothing";
    } else {
        EXPECT_FALSE(bare->needs_wizard());
        EXPECT_EQ(w.orders_for(other.order_id).at(0)["state"], Value("cancel"));
    }

    w.odoo().clear_calls();
    w.amazon_fake.set_order_status(o.order_id, "CANCELLED", "2026-11-01T12:00:00Z");
    w.enqueue(o.order_id, "2026-11-01T12:00:00Z");
    ASSERT_EQ(w.drain(), 1u);
    EXPECT_EQ(w.state_count(store::JobState::dead), 0);
    EXPECT_EQ(w.orders_for(o.order_id).at(0)["state"], Value("cancel"));
    for (auto& p : w.pickings_of(sale_id)) EXPECT_EQ(p["state"], Value("cancel"));
    EXPECT_EQ(w.metric("clarity_orders_cancelled_total{connection=\"us\"}"), 1);
    // One action_cancel carrying disable_cancel_warning (no wizard, no e-mail), then one read of
    // the state it left.
    std::vector<std::string> methods;
    bool keyed = false;
    for (const auto& c : w.odoo().calls()) {
        if (c.model != "sale.order") continue;
        methods.push_back(c.method);
        if (c.method != "action_cancel") continue;
        auto ctx = c.kwargs.find("context");
        ASSERT_NE(ctx, c.kwargs.end());
        const auto* cs = ctx->second.as_struct();
        ASSERT_NE(cs, nullptr);
        auto key = cs->find("disable_cancel_warning");
        keyed = key != cs->end() && key->second.truthy();
    }
    EXPECT_TRUE(keyed);
    ASSERT_GE(methods.size(), 2u);
    EXPECT_EQ(methods[methods.size() - 2], "action_cancel");
    EXPECT_EQ(methods.back(), "read");
}

// cancel_email: the wizard's "Send and cancel" e-mails the customer (16–18); 19 has no such
// e-mail. Without it (the default, above) no message is posted.
TEST_P(OrderImportCancel, TheCustomerIsEmailedOnlyWhenConfigured) {
    const int major = GetParam();
    for (bool email : {false, true}) {
        OrderImportOptions opt;
        opt.cancel_email = email;
        World w(major, opt);
        SeedOrder o = three_lines("111-0000077-0000077");
        w.add_and_enqueue(o);
        ASSERT_EQ(w.drain(), 1u);
        w.amazon_fake.set_order_status(o.order_id, "CANCELLED", "2026-11-01T12:00:00Z");
        w.enqueue(o.order_id, "2026-11-01T12:00:00Z");
        ASSERT_EQ(w.drain(), 1u);
        EXPECT_EQ(w.state_count(store::JobState::dead), 0) << email;
        EXPECT_EQ(w.orders_for(o.order_id).at(0)["state"], Value("cancel")) << email;
        const auto sale_id = w.orders_for(o.order_id).at(0)["id"].as_int().value();
        int mails = 0;
        for (const auto& m : w.odoo().records("mail.message")) {
            mails += m.at("model") == Value("sale.order") && m.at("res_id").as_int() == sale_id;
        }
        EXPECT_EQ(mails, email && major <= 18 ? 1 : 0) << "cancel_email " << email;
    }
}

INSTANTIATE_TEST_SUITE_P(Odoo,
                         OrderImportCancel,
                         ::testing::Values(16, 17, 18, 19),
                         [](const auto& info) { return "v" + std::to_string(info.param); });

// Odoo's reply to an action is not proof: an installed module may answer with a wizard of its
// own, or accept the call and change nothing. Each is a dead letter that says so, never a
// logged success.
TEST(OrderImport, AnActionAnsweredByAWizardOrLeavingTheRecordUnchangedIsADeadLetter) {
    {
        FakeOdooOptions f;
        f.noop_actions = {"sale.order.action_confirm"};
        World w(18, World::default_options(), f);
        SeedOrder o = three_lines("111-0000072-0000072");
        w.amazon_fake.add_order(o);
        auto job = w.enqueue(o.order_id, "2026-11-01T10:05:00Z");
        ASSERT_EQ(w.drain(), 1u);
        EXPECT_EQ(w.state_count(store::JobState::dead), 1);
        const std::string msg = w.last_error(job);
        EXPECT_NE(msg.find("accepted action_confirm"), std::string::npos) << msg;
        EXPECT_NE(msg.find("in state 'draft'"), std::string::npos) << msg;
        EXPECT_EQ(w.metric("clarity_orders_confirmed_total{connection=\"us\"}"), 0);
        EXPECT_EQ(
            w.metric("clarity_orders_failed_total{connection=\"us\",reason=\"odoo_unchanged\"}"),
            1);
    }
    {
        FakeOdooOptions f;
        f.wizard_actions = {"sale.order.action_confirm"};
        World w(19, World::default_options(), f);
        SeedOrder o = three_lines("111-0000073-0000073");
        w.amazon_fake.add_order(o);
        auto job = w.enqueue(o.order_id, "2026-11-01T10:05:00Z");
        ASSERT_EQ(w.drain(), 1u);
        const std::string msg = w.last_error(job);
        EXPECT_NE(msg.find("with the wizard 'x_confirm.wizard'"), std::string::npos) << msg;
        EXPECT_EQ(w.orders_for(o.order_id).at(0)["state"], Value("draft"));
    }
    for (const char* kind : {"wizard", "noop"}) {
        FakeOdooOptions f;
        (std::string(kind) == "wizard" ? f.wizard_actions
                                       : f.noop_actions) = {"sale.order.action_cancel"};
        World w(17, World::default_options(), f);
        SeedOrder o =
            three_lines(std::string("111-000007") + (kind[0] == 'w' ? "4" : "5") + "-0000074");
        w.add_and_enqueue(o);
        ASSERT_EQ(w.drain(), 1u);
        w.amazon_fake.set_order_status(o.order_id, "CANCELLED", "2026-11-01T12:00:00Z");
        auto job = w.enqueue(o.order_id, "2026-11-01T12:00:00Z");
        ASSERT_EQ(w.drain(), 1u);
        EXPECT_EQ(w.state_count(store::JobState::dead), 1) << kind;
        const std::string msg = w.last_error(job);
        EXPECT_NE(msg.find(kind[0] == 'w' ? "with the wizard 'x_confirm.wizard'"
                                          : "still in state 'sale'"),
                  std::string::npos)
            << msg;
        EXPECT_EQ(w.orders_for(o.order_id).at(0)["state"], Value("sale")) << kind;
        EXPECT_EQ(w.metric("clarity_orders_cancelled_total{connection=\"us\"}"), 0) << kind;
    }
    {
        FakeOdooOptions f;
        f.noop_actions = {"stock.picking.button_validate"};
        World w(18, World::default_options(), f);
        SeedOrder o = three_lines("111-0000076-0000076");
        o.fulfilled_by = "AMAZON";
        w.add_and_enqueue(o);
        ASSERT_EQ(w.drain(), 1u);
        w.amazon_fake.update_order(o.order_id, [](SeedOrder& s) {
            s.status = "SHIPPED";
            s.last_updated_time = "2026-11-02T08:00:00Z";
        });
        auto job = w.enqueue(o.order_id, "2026-11-02T08:00:00Z");
        ASSERT_EQ(w.drain(), 1u);
        const std::string msg = w.last_error(job);
        EXPECT_NE(msg.find("accepted button_validate"), std::string::npos) << msg;
        EXPECT_NE(msg.find("in state 'assigned'"), std::string::npos) << msg;
        EXPECT_EQ(w.metric("clarity_order_deliveries_validated_total{connection=\"us\"}"), 0);
    }
}

/// three_lines with Amazon's tax on the first item and a 2.00 promotion on it.
SeedOrder taxed_with_promotion(std::string id, std::string item_tax) {
    SeedOrder o = three_lines(std::move(id));
    o.items[0].item_tax = std::move(item_tax);
    o.items[0].promotion_ids = {"PROMO-10"};
    o.items[0].promotion_discount = "2.00";  // no promotion tax on Amazon
    return o;
}

OrderImportOptions taxed_options() {
    OrderImportOptions opt;
    opt.discount_product = "PROMO";
    opt.taxes = {{"ATVPDKIKX0DER", {"15%"}}};
    return opt;
}

TEST(OrderImport, PromotionsAndTaxesBecomeLinesAndTaxesAndMismatchesAreCounted) {
    World w(18, taxed_options());
    // Amazon's tax; Odoo's 15 % of 25.00 is 3.75.
    SeedOrder o = taxed_with_promotion("111-0000009-0000009", "3.80");
    w.add_and_enqueue(o);
    ASSERT_EQ(w.drain(), 1u);
    auto so = w.orders_for(o.order_id).at(0);
    auto lines = w.lines_of(so["id"].as_int().value());
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_EQ(lines[3]["product_id"].m2o_id(), w.products["PROMO"]);
    EXPECT_EQ(lines[3]["price_unit"].as_double(), -2.0);
    EXPECT_EQ(lines[3]["name"], Value("Amazon promotion: SKU-A"));
    EXPECT_EQ(lines[0]["tax_id"], Value(odoo::Array{Value(1)})) << "15% where Amazon taxed";
    // Amazon's tax differs from Odoo's by 0.05, so the totals differ: recorded, and an untaxed
    // adjustment line (by default; the discount product when no adjustment_product is set)
    // makes the order total Amazon's 37.77.
    EXPECT_EQ(w.metric("clarity_order_total_mismatch_total{connection=\"us\"}"), 1);
    EXPECT_EQ(w.metric("clarity_order_adjustment_lines_total{connection=\"us\"}"), 1);
    EXPECT_EQ(lines[4]["name"], Value("Amazon total adjustment"));
    EXPECT_EQ(lines[4]["product_id"].m2o_id(), w.products["PROMO"]);
    EXPECT_EQ(lines[4]["price_unit"].as_double(), 0.05);
    EXPECT_EQ(lines[4]["tax_id"], Value(odoo::Array{}));
    EXPECT_EQ(w.amount_total(so["id"].as_int().value()), "37.77");

    // Without adjustment lines the difference stays, counted and logged.
    OrderImportOptions off = taxed_options();
    off.add_adjustment_line = false;
    World w2(18, off);
    w2.amazon_fake.add_order(o);
    w2.enqueue(o.order_id, "2026-11-01T10:05:00Z");
    ASSERT_EQ(w2.drain(), 1u);
    auto so2 = w2.orders_for(o.order_id).at(0);
    EXPECT_EQ(w2.lines_of(so2["id"].as_int().value()).size(), 4u);
    EXPECT_EQ(w2.metric("clarity_order_total_mismatch_total{connection=\"us\"}"), 1);
    EXPECT_EQ(w2.amount_total(so2["id"].as_int().value()), "37.72");
}

TEST(OrderImport, ServiceLinesCarryTheTaxOnlyWhenAmazonTaxedThem) {
    OrderImportOptions opt = taxed_options();
    opt.shipping_product = "SHIP";
    World w(18, opt);
    w.odoo().create(
        "product.product",
        Struct{{"name", "Amazon shipping"}, {"default_code", "SHIP"}, {"type", "service"}});
    SeedOrder o = taxed_with_promotion("111-0000010-0000010", "3.75");
    o.items[0].shipping_price = "4.99";
    o.items[0].shipping_tax = "0.75";  // shipping taxed by Amazon
    w.add_and_enqueue(o);
    ASSERT_EQ(w.drain(), 1u);
    auto so = w.orders_for(o.order_id).at(0);
    auto lines = w.lines_of(so["id"].as_int().value());
    ASSERT_EQ(lines.size(), 5u);
    const Value taxed(odoo::Array{Value(1)});
    EXPECT_EQ(lines[0]["tax_id"], taxed);
    const Value& untaxed_item = lines[1]["tax_id"];  // Amazon charged no tax on this item
    EXPECT_TRUE(untaxed_item.is_nil() || untaxed_item == Value(odoo::Array{})) << untaxed_item;
    EXPECT_EQ(lines[3]["name"], Value("Amazon shipping: SKU-A"));
    EXPECT_EQ(lines[3]["tax_id"], taxed) << "Amazon charged shipping tax";
    EXPECT_EQ(lines[4]["product_id"].m2o_id(), w.products["PROMO"]);
    const Value& promo_tax = lines[4]["tax_id"];  // never set: absent from the row
    EXPECT_TRUE(promo_tax.is_nil() || promo_tax == Value(odoo::Array{}))
        << "no promotion tax on Amazon: " << promo_tax;
    // Taxes where Amazon charged them: Odoo's amount_total is Amazon's 43.46 to the cent.
    EXPECT_EQ(w.metric("clarity_order_total_mismatch_total{connection=\"us\"}"), 0);
}

// ---- totals to the cent: service lines per Amazon item, rounding per line or globally --------

/// Cents of a decimal text ("2.99" → 299).
std::int64_t cents_of(const std::string& d) {
    auto dot = d.find('.');
    return std::stoll(d.substr(0, dot)) * 100 + std::stoll(d.substr(dot + 1));
}

std::string text_of_cents(std::int64_t c) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(c / 100),
                  static_cast<long long>(c % 100));
    return buf;
}

/// Amazon's 8.25 % sales tax of one charge of one item, rounded half up to the cent.
std::string tax_825(const std::string& amount) {
    return text_of_cents((cents_of(amount) * 825 + 5000) / 10000);
}

/// An item of `qty` × `unit` taxed 8.25 % (Amazon computes and rounds per item and charge), with
/// optional shipping, gift wrap and promotion (each with its own tax).
SeedItem taxed_item(std::string id,
                    std::string sku,
                    std::int64_t qty,
                    std::string unit,
                    std::string shipping = {},
                    std::string wrap = {},
                    std::string promotion = {}) {
    SeedItem i = item(std::move(id), std::move(sku), qty, unit);
    i.item_tax = tax_825(text_of_cents(cents_of(unit) * qty));
    if (!shipping.empty()) {
        i.shipping_price = shipping;
        i.shipping_tax = tax_825(shipping);
    }
    if (!wrap.empty()) {
        i.gift_message = "For you";
        i.gift_wrap_level = "Classic";
        i.gift_wrap_price = wrap;
        i.gift_wrap_tax = tax_825(wrap);
    }
    if (!promotion.empty()) {
        i.promotion_ids = {"PROMO-5"};
        i.promotion_discount = promotion;
        i.promotion_discount_tax = tax_825(promotion);
    }
    return i;
}

/// Amazon's grand total of a seeded order, in cents.
std::int64_t amazon_total(const SeedOrder& o) {
    std::int64_t c = 0;
    auto add = [&c](const std::string& d, int sign) {
        if (!d.empty()) c += sign * cents_of(d);
    };
    for (const auto& i : o.items) {
        c += cents_of(i.unit_price) * i.quantity;
        add(i.item_tax, 1);
        add(i.shipping_price, 1);
        add(i.shipping_tax, 1);
        add(i.gift_wrap_price, 1);
        add(i.gift_wrap_tax, 1);
        add(i.promotion_discount, -1);
        add(i.promotion_discount_tax, -1);
    }
    return c;
}

struct RoundingCase {
    int major;
    std::string rounding;  ///< res.company tax_calculation_rounding_method; "" = the default
    bool global;
};

class OrderImportRounding : public ::testing::TestWithParam<RoundingCase> {};

// The orders: several gift-wrapped items (2.99 + 0.25 each: one summed line would be
// taxed 0.49), shipping charged on several items (5.49 + 0.45 each: summed 0.91), promotions
// with their own tax. Rounding per line, one line per Amazon item and charge gives Amazon's cents
// by construction (no adjustment); rounding globally cannot, so the connection check warns and
// an adjustment line makes each order total Amazon's.
TEST_P(OrderImportRounding, EveryOrderTotalsAmazonsGrandTotalToTheCent) {
    const auto& param = GetParam();
    OrderImportOptions opt;
    opt.taxes = {{"ATVPDKIKX0DER", {"8.25%"}}};
    opt.shipping_product = "SHIP";
    opt.gift_wrap_product = "WRAP";
    opt.discount_product = "PROMO";
    opt.adjustment_product = "ADJ";
    FakeOdooOptions f;
    f.tax_rounding = param.rounding;
    World w(param.major, opt, f);
    const char* type_field = param.major >= 18 ? "type" : "detailed_type";
    for (const char* code : {"SHIP", "WRAP", "ADJ"}) {
        w.products[code] = w.odoo().create(
            "product.product",
            Struct{{"name", code}, {"default_code", code}, {type_field, "service"}});
    }
    w.odoo().create("account.tax", Struct{{"name", "8.25%"}, {"amount", 8.25}});

    std::vector<SeedOrder> orders(4);
    for (int n = 0; n < 4; ++n) {
        orders[n] = three_lines("111-00001" + std::to_string(n) + "0-0000100");
    }
    orders[0].items = {taxed_item("a1", "SKU-A", 1, "19.99", {}, "2.99"),
                       taxed_item("a2", "SKU-B", 2, "7.49", {}, "2.99")};
    orders[1].items = {taxed_item("b1", "SKU-A", 1, "12.99", "5.49"),
                       taxed_item("b2", "SKU-C", 3, "3.33", "5.49")};
    orders[2].items = {taxed_item("c1", "SKU-A", 1, "24.99", "5.49", {}, "2.50"),
                       taxed_item("c2", "SKU-B", 1, "9.99", "5.49", "2.99", "1.25")};
    orders[3].items = {taxed_item("d1", "SKU-A", 1, "14.99", "5.49", "2.99", "1.11"),
                       taxed_item("d2", "SKU-B", 2, "6.66", "5.49", "2.99", "1.11"),
                       taxed_item("d3", "SKU-C", 1, "3.99", "5.49", "2.99", "1.11")};
    for (const auto& o : orders) {
        w.add_and_enqueue(o);
    }
    ASSERT_EQ(w.drain(), orders.size());
    EXPECT_EQ(w.state_count(store::JobState::dead), 0);

    int adjusted = 0;
    for (const auto& o : orders) {
        auto so = w.orders_for(o.order_id);
        ASSERT_EQ(so.size(), 1u) << o.order_id;
        const auto id = so[0]["id"].as_int().value();
        EXPECT_EQ(w.amount_total(id), text_of_cents(amazon_total(o))) << o.order_id;
        // One service line per item and charge, each taxed like Amazon's.
        int wraps = 0, ships = 0, promos = 0;
        for (auto& l : w.lines_of(id)) {
            const auto pid = l["product_id"].m2o_id();
            if (pid == w.products["WRAP"]) {
                ++wraps;
                EXPECT_EQ(l["price_unit"].as_double(), 2.99);
            }
            if (pid == w.products["SHIP"]) {
                ++ships;
                EXPECT_EQ(l["price_unit"].as_double(), 5.49);
            }
            if (pid == w.products["PROMO"]) ++promos;
            if (pid == w.products["ADJ"]) ++adjusted;
        }
        int want_wraps = 0, want_ships = 0, want_promos = 0;
        for (const auto& i : o.items) {
            want_wraps += !i.gift_wrap_price.empty();
            want_ships += !i.shipping_price.empty();
            want_promos += !i.promotion_discount.empty();
        }
        EXPECT_EQ(wraps, want_wraps) << o.order_id;
        EXPECT_EQ(ships, want_ships) << o.order_id;
        EXPECT_EQ(promos, want_promos) << o.order_id;
    }
    auto findings = w.run(w.flow->check_odoo());
    ASSERT_TRUE(findings) << findings.error().describe();
    if (param.global) {
        EXPECT_GE(adjusted, 1) << "global rounding loses Amazon's per-item cents somewhere";
        EXPECT_EQ(w.metric("clarity_order_adjustment_lines_total{connection=\"us\"}"), adjusted);
        ASSERT_EQ(findings->size(), 1u);
        EXPECT_NE(findings->front().find("rounds taxes globally"), std::string::npos)
            << findings->front();
        EXPECT_NE(findings->front().find("adjustment line of 'ADJ'"), std::string::npos)
            << findings->front();
    } else {
        EXPECT_EQ(adjusted, 0) << "per-line rounding reproduces Amazon's cents by construction";
        EXPECT_EQ(w.metric("clarity_order_total_mismatch_total{connection=\"us\"}"), 0);
        EXPECT_TRUE(findings->empty()) << findings->front();
    }
}

INSTANTIATE_TEST_SUITE_P(Odoo,
                         OrderImportRounding,
                         ::testing::Values(RoundingCase{16, "", false},
                                           RoundingCase{18, "", false},
                                           RoundingCase{17, "round_globally", true},
                                           RoundingCase{19, "", true},
                                           RoundingCase{19, "round_per_line", false}),
                         [](const auto& info) {
                             return "v" + std::to_string(info.param.major) +
                                    (info.param.global ? "_round_globally" : "_round_per_line");
                         });

TEST(OrderImport, MissingTaxMappingIsADeadLetterNamingTheMarketplace) {
    OrderImportOptions opt;
    opt.taxes = {{"A1PA6795UKMFR9", {"DE VAT 19%"}}};
    World w(18, opt);
    w.odoo().create("account.tax",
                    Struct{{"name", "DE VAT 19%"}, {"amount", 19.0}, {"price_include", true}});
    SeedOrder o = three_lines("111-0000010-0000010");
    o.items[0].item_tax = "3.75";
    w.amazon_fake.add_order(o);
    auto job = w.enqueue(o.order_id, "2026-11-01T10:05:00Z");
    ASSERT_EQ(w.drain(), 1u);
    EXPECT_EQ(w.state_count(store::JobState::dead), 1);
    auto shown = w.store->show_job(job);
    ASSERT_TRUE(shown && shown->has_value());
    const std::string& message = (*shown)->last_error;
    EXPECT_NE(message.find("ATVPDKIKX0DER"), std::string::npos) << message;
    EXPECT_NE(message.find("flows.order_import.taxes"), std::string::npos) << message;
    EXPECT_TRUE(w.orders_for(o.order_id).empty());
}

TEST(OrderImport, UnknownSkuIsADeadLetterAndImportsAfterTheProductIsCreatedAndReplayed) {
    World w;
    SeedOrder o = three_lines("111-0000011-0000011");
    o.items[1].seller_sku = "SKU-NEW";
    o.items[1].asin = "B0NEW00001";
    w.amazon_fake.add_order(o);
    auto job = w.enqueue(o.order_id, "2026-11-01T10:05:00Z");
    ASSERT_EQ(w.drain(), 1u);
    EXPECT_EQ(w.state_count(store::JobState::dead), 1);
    auto shown = w.store->show_job(job);
    ASSERT_TRUE(shown && shown->has_value());
    const std::string& message = (*shown)->last_error;
    EXPECT_NE(message.find("111-0000011-0000011"), std::string::npos) << message;
    EXPECT_NE(message.find("unknown SKU 'SKU-NEW'"), std::string::npos) << message;
    EXPECT_NE(message.find("B0NEW00001"), std::string::npos) << message;
    EXPECT_NE(message.find("clarity-connect queue replay " + std::to_string(job)),
              std::string::npos)
        << message;
    EXPECT_EQ(w.metric("clarity_orders_failed_total{connection=\"us\",reason=\"unknown_sku\"}"), 1);
    EXPECT_TRUE(w.orders_for(o.order_id).empty());

    w.odoo().create("product.product", Struct{{"name", "New"}, {"default_code", "SKU-NEW"}});
    ASSERT_TRUE(w.store->replay_dead(job));
    ASSERT_EQ(w.drain(), 1u);
    EXPECT_EQ(w.orders_for(o.order_id).size(), 1u);
    EXPECT_EQ(w.state_count(store::JobState::dead), 0);
}

TEST(OrderImport, ArchivedProductAndAliasesAreResolvedOrNamed) {
    OrderImportOptions opt;
    opt.product_aliases = {{"B0ALIAS001", "SKU-C"}};
    World w(18, opt);
    w.odoo().create("product.product",
                    Struct{{"name", "Old"}, {"default_code", "SKU-OLD"}, {"active", false}});
    SeedOrder o = three_lines("111-0000012-0000012");
    o.items[1].seller_sku = "SKU-OLD";
    o.items[2].seller_sku = "AMZ-ONLY-SKU";
    o.items[2].asin = "B0ALIAS001";
    w.amazon_fake.add_order(o);
    auto job = w.enqueue(o.order_id, "2026-11-01T10:05:00Z");
    ASSERT_EQ(w.drain(), 1u);
    auto shown = w.store->show_job(job);
    ASSERT_TRUE(shown && shown->has_value());
    const std::string& message = (*shown)->last_error;
    EXPECT_NE(message.find("'SKU-OLD' is archived"), std::string::npos) << message;
    EXPECT_EQ(message.find("AMZ-ONLY-SKU"), std::string::npos) << "resolved through the ASIN alias";
}

TEST(OrderImport, Odoo503OnTheCreateIsRetriedAndCreatesExactlyOneOrder) {
    World w;
    SeedOrder first = three_lines("111-0000013-0000013");
    w.add_and_enqueue(first);
    ASSERT_EQ(w.drain(), 1u);  // caches warm: products, warehouse, country, state, customer

    SeedOrder o = three_lines("111-0000014-0000014");
    w.add_and_enqueue(o);
    // Warm run: search (1), create (2), ... — the create answers 503 once.
    w.odoo().fail_call(2, FaultSpec{.http_status = 503, .body = "Service Unavailable"});
    ASSERT_EQ(w.drain(), 1u);
    EXPECT_EQ(w.state_count(store::JobState::ready), 1) << "retried later, not dead-lettered";
    EXPECT_TRUE(w.orders_for(o.order_id).empty());
    w.clock.advance(2min);
    ASSERT_EQ(w.drain(), 1u);
    EXPECT_EQ(w.orders_for(o.order_id).size(), 1u);
    EXPECT_EQ(w.state_count(store::JobState::dead), 0);
}

TEST(OrderImport, ACrashAfterTheCreateBeforeTheAckNeverDoublesTheOrder) {
    World w;
    SeedOrder first = three_lines("111-0000015-0000015");
    w.add_and_enqueue(first);
    ASSERT_EQ(w.drain(), 1u);

    // The create commits in Odoo, then the connection drops: the client cannot know.
    SeedOrder o = three_lines("111-0000016-0000016");
    w.add_and_enqueue(o);
    w.odoo().fail_call(2, FaultSpec{.drop_after_commit = true});
    ASSERT_EQ(w.drain(), 1u);
    EXPECT_EQ(w.orders_for(o.order_id).size(), 1u);
    w.clock.advance(2min);
    ASSERT_EQ(w.drain(), 1u);
    auto orders = w.orders_for(o.order_id);
    ASSERT_EQ(orders.size(), 1u);
    EXPECT_EQ(orders[0]["state"], Value("sale"));
    EXPECT_EQ(w.lines_of(orders[0]["id"].as_int().value()).size(), 3u);

    // The whole run again for the same job (lost ack): nothing new anywhere.
    const auto partners = w.odoo().count("res.partner");
    const auto lines = w.odoo().count("sale.order.line");
    JobContext ctx;
    ctx.job.id = 99;
    ctx.job.connection = kConnection;
    ctx.job.flow = "order_import";
    ctx.job.entity_key = o.order_id;
    OrderJob j{o.order_id, "ATVPDKIKX0DER", "2026-11-01T10:05:00Z", "sweep", "", ""};
    ctx.job.payload = make_order_job(kConnection, j)->payload;
    auto again = w.run(w.flow->run(ctx));
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(w.orders_for(o.order_id).size(), 1u);
    EXPECT_EQ(w.odoo().count("res.partner"), partners);
    EXPECT_EQ(w.odoo().count("sale.order.line"), lines);
}

TEST(OrderImport, OdooRefusingTheValuesIsADeadLetterWithOdoosMessage) {
    World w;
    SeedOrder first = three_lines("111-0000022-0000022");
    w.add_and_enqueue(first);
    ASSERT_EQ(w.drain(), 1u);

    SeedOrder o = three_lines("111-0000023-0000023");
    w.amazon_fake.add_order(o);
    auto job = w.enqueue(o.order_id, "2026-11-01T10:05:00Z");
    w.odoo().fail_call(2, FaultSpec{.exception = "odoo.exceptions.ValidationError",
                                    .message = "The field 'Amazon Order Type' is mandatory."});
    ASSERT_EQ(w.drain(), 1u);
    EXPECT_EQ(w.state_count(store::JobState::dead), 1);
    auto shown = w.store->show_job(job);
    ASSERT_TRUE(shown && shown->has_value());
    const std::string& message = (*shown)->last_error;
    EXPECT_NE(message.find("order 111-0000023-0000023: Odoo refused the sale order"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("'Amazon Order Type' is mandatory"), std::string::npos) << message;
    EXPECT_EQ(w.metric("clarity_orders_failed_total{connection=\"us\",reason=\"odoo_refused\"}"),
              1);
}

TEST(OrderImport, OrdersV0WithRestrictedDataTokenImportTheSameWay) {
    OrderImportOptions opt;
    opt.api = "v0";
    World w(18, opt);
    SeedOrder o = three_lines("111-0000024-0000024");
    w.add_and_enqueue(o);
    ASSERT_EQ(w.drain(), 1u);
    auto orders = w.orders_for(o.order_id);
    ASSERT_EQ(orders.size(), 1u);
    EXPECT_EQ(orders[0]["state"], Value("sale"));
    EXPECT_EQ(orders[0]["date_order"], Value("2026-11-01 10:00:00"));
    auto lines = w.lines_of(orders[0]["id"].as_int().value());
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[2]["product_uom_qty"].as_double(), 3.0);
    EXPECT_EQ(lines[2]["price_unit"].as_double(), 1.99);
    // getOrder (v0) + getOrderItems under one Restricted Data Token; getOrders' scarce plan
    // (1 call a minute after 20) is not spent on single orders.
    EXPECT_EQ(w.amazon_fake.calls("createRestrictedDataToken"), 1);
    EXPECT_EQ(w.amazon_fake.calls("getOrderV0"), 1);
    EXPECT_EQ(w.amazon_fake.calls("getOrderItems"), 1);
    EXPECT_EQ(w.amazon_fake.calls("getOrders"), 0);
    EXPECT_EQ(w.amazon_fake.calls("getOrder"), 0);
}

TEST(OrderImport, OdooCallsPerOrderWithAKnownCustomerAndWarmCaches) {
    World w;
    SeedOrder first = three_lines("111-0000017-0000017");
    w.add_and_enqueue(first);
    ASSERT_EQ(w.drain(), 1u);

    SeedOrder pending = three_lines("111-0000018-0000018", "PENDING");
    SeedOrder confirmed = three_lines("111-0000019-0000019");
    w.amazon_fake.add_order(pending);
    w.amazon_fake.add_order(confirmed);
    w.odoo().clear_calls();
    w.enqueue(pending.order_id, "2026-11-01T10:05:00Z");
    ASSERT_EQ(w.drain(), 1u);
    const auto quotation_calls = w.odoo().calls().size();
    w.odoo().clear_calls();
    w.enqueue(confirmed.order_id, "2026-11-01T10:05:00Z");
    ASSERT_EQ(w.drain(), 1u);
    const auto confirmed_calls = w.odoo().calls().size();
    std::cout << "odoo calls per 3-line order, known customer, warm caches: quotation "
              << quotation_calls << ", confirmed " << confirmed_calls << "\n";
    // Bought before the store began importing: search existing, web_save (create + total)
    // (+ confirm, write date_order when confirmed).
    EXPECT_EQ(quotation_calls, 2u);
    EXPECT_EQ(confirmed_calls, 4u);

    // Bought after: the store knows Odoo cannot have it yet, so no search.
    SeedOrder fresh = three_lines("111-0000039-0000039");
    fresh.created_time = "2027-01-20T10:00:00Z";  // the test clock starts 2027-01-15
    fresh.last_updated_time = "2027-01-20T10:05:00Z";
    w.amazon_fake.add_order(fresh);
    w.odoo().clear_calls();
    w.enqueue(fresh.order_id, "2027-01-20T10:05:00Z");
    ASSERT_EQ(w.drain(), 1u);
    std::vector<std::string> methods;
    for (const auto& c : w.odoo().calls()) methods.push_back(c.method);
    // The second web_save writes Amazon's date and reads the state back (the confirmation's
    // proof) in the same call.
    EXPECT_EQ(methods, (std::vector<std::string>{"web_save", "action_confirm", "web_save"}));
    auto orders = w.orders_for(fresh.order_id);
    ASSERT_EQ(orders.size(), 1u);
    EXPECT_EQ(orders[0]["date_order"], Value("2027-01-20 10:00:00"));
    auto mapped = w.store->find_by_external(kConnection, "amazon_order", fresh.order_id);
    ASSERT_TRUE(mapped && *mapped);
    EXPECT_EQ((*mapped)->odoo_id, orders[0]["id"].as_int().value());

    // Odoo 16 has no web_save: create, then read the total.
    World w16(16);
    w16.amazon_fake.add_order(first);
    w16.enqueue(first.order_id, "2026-11-01T10:05:00Z");
    ASSERT_EQ(w16.drain(), 1u);
    w16.amazon_fake.add_order(confirmed);
    w16.odoo().clear_calls();
    w16.enqueue(confirmed.order_id, "2026-11-01T10:05:00Z");
    ASSERT_EQ(w16.drain(), 1u);
    methods.clear();
    for (const auto& c : w16.odoo().calls()) methods.push_back(c.method);
    EXPECT_EQ(methods, (std::vector<std::string>{"search_read", "create", "action_confirm", "write",
                                                 "read"}));
}

// A new order whose create reached Odoo but whose answer was lost: the retry (attempt 2)
// searches before creating, even for an order the store would otherwise know to be new.
TEST(OrderImport, ANewOrderWhoseCreateAnswerWasLostIsFoundNotDoubled) {
    World w;
    SeedOrder first = three_lines("111-0000037-0000037");
    w.add_and_enqueue(first);
    ASSERT_EQ(w.drain(), 1u);
    SeedOrder fresh = three_lines("111-0000038-0000038");
    fresh.created_time = "2027-01-20T10:00:00Z";
    fresh.last_updated_time = "2027-01-20T10:05:00Z";
    w.amazon_fake.add_order(fresh);
    w.enqueue(fresh.order_id, "2027-01-20T10:05:00Z");
    w.odoo().clear_calls();
    w.odoo().fail_call(1, FaultSpec{.drop_after_commit = true});  // web_save commits, no answer
    ASSERT_EQ(w.drain(), 1u);
    EXPECT_EQ(w.orders_for(fresh.order_id).size(), 1u);
    w.clock.advance(2min);
    ASSERT_EQ(w.drain(), 1u);
    auto orders = w.orders_for(fresh.order_id);
    ASSERT_EQ(orders.size(), 1u);
    EXPECT_EQ(orders[0]["state"], Value("sale"));
    EXPECT_EQ(w.lines_of(orders[0]["id"].as_int().value()).size(), 3u);
}

// Jobs running at once may share their look-ups, confirmations, date write-backs and total reads
// (flows/coalescer.hpp): never more calls than alone, and every order still exact.
TEST(OrderImport, ConcurrentOrdersShareTheirOdooCalls) {
    World w;
    SeedOrder first = three_lines("111-0000030-0000030");
    w.add_and_enqueue(first);
    ASSERT_EQ(w.drain(), 1u);  // warm caches

    constexpr int kOrders = 8;
    std::vector<std::string> ids;
    for (int i = 0; i < kOrders; ++i) {
        char id[32];
        std::snprintf(id, sizeof id, "111-00000%02d-00000%02d", 40 + i, 40 + i);
        ids.emplace_back(id);
        w.amazon_fake.add_order(three_lines(id));
        w.enqueue(id, "2026-11-01T10:05:00Z");
    }
    w.odoo().clear_calls();
    ASSERT_EQ(w.drain(), static_cast<std::size_t>(kOrders));
    const auto calls = w.odoo().calls();
    int finds = 0, confirms = 0, batched_dates = 0;
    for (const auto& c : calls) {
        if (c.method == "search_read" && c.model == "sale.order") ++finds;
        if (c.method == "action_confirm") ++confirms;
        if (c.method == "load" && c.model == "sale.order") ++batched_dates;
    }
    std::cout << kOrders << " orders at concurrency 2: " << calls.size() << " Odoo calls (" << finds
              << " finds, " << confirms << " confirms, " << batched_dates
              << " batched date writes)\n";
    // Alone, an order bought before the store began importing costs 4 calls (search, web_save,
    // confirm, date); calls that coincide in time are shared (how many depends on timing).
    EXPECT_LE(calls.size(), static_cast<std::size_t>(4 * kOrders));
    for (const auto& id : ids) {
        auto orders = w.orders_for(id);
        ASSERT_EQ(orders.size(), 1u) << id;
        EXPECT_EQ(orders[0]["state"], Value("sale")) << id;
        EXPECT_EQ(orders[0]["date_order"], Value("2026-11-01 10:00:00")) << id;
        EXPECT_EQ(w.lines_of(orders[0]["id"].as_int().value()).size(), 3u) << id;
    }
    EXPECT_EQ(w.state_count(store::JobState::dead), 0);
}

// A backlog of new customers: the jobs running at once share their customer loads, address
// loads and sale.order creation (one call of many rows or values each); the first job's calls go
// out at once, alone (natural batching), the others wait for it and go together.
namespace backlog {

/// Rows of a `load` or values of a `create` (JSON-RPC: positional; JSON-2: named).
std::size_t rows_of(const fakes::odoo::CallRecord& c, const char* named) {
    const Value* list = nullptr;
    if (c.method == "load" && c.args.size() >= 2) list = &c.args[1];
    if (c.method == "create" && !c.args.empty()) list = &c.args[0];
    if (list == nullptr) {
        auto it = c.kwargs.find(named);
        if (it != c.kwargs.end()) list = &it->second;
    }
    const auto* a = list != nullptr ? list->as_array() : nullptr;
    if (a != nullptr) return a->size();
    return list != nullptr && list->as_struct() != nullptr ? 1 : 0;
}

bool is_address_load(const fakes::odoo::CallRecord& c) {
    if (c.method != "load" || c.model != "res.partner") return false;
    const Value* fields = !c.args.empty() ? &c.args[0] : nullptr;
    if (fields == nullptr) {
        auto it = c.kwargs.find("fields");
        if (it != c.kwargs.end()) fields = &it->second;
    }
    const auto* a = fields != nullptr ? fields->as_array() : nullptr;
    return a != nullptr && std::find(a->begin(), a->end(), Value("parent_id/.id")) != a->end();
}

SeedOrder new_customer(int i) {
    char id[32];
    std::snprintf(id, sizeof id, "111-00007%02d-00007%02d", i, i);
    SeedOrder o = three_lines(id);
    o.buyer_name = "Buyer " + std::to_string(i);
    o.buyer_email = "buyer" + std::to_string(i) + "@marketplace.amazon.com";
    o.address_name = o.buyer_name;
    o.address_line1 = std::to_string(i) + " Main St";
    return o;
}

struct Counts {
    int customer_loads = 0, address_loads = 0, creates = 0;
    std::size_t most_customers = 0, most_addresses = 0, most_orders = 0;
};

Counts count(const std::vector<fakes::odoo::CallRecord>& calls) {
    Counts n;
    for (const auto& c : calls) {
        if (c.model == "res.partner" && c.method == "load") {
            if (is_address_load(c)) {
                ++n.address_loads;
                n.most_addresses = std::max(n.most_addresses, rows_of(c, "data"));
            } else {
                ++n.customer_loads;
                n.most_customers = std::max(n.most_customers, rows_of(c, "data"));
            }
        }
        const bool new_record = !c.ids || c.ids->empty();  // web_save without ids creates
        if (c.model == "sale.order" && (c.method == "create" || c.method == "web_save") &&
            new_record) {
            ++n.creates;
            n.most_orders = std::max(n.most_orders, rows_of(c, "vals_list"));
        }
    }
    return n;
}

}  // namespace backlog

TEST(OrderImport, BacklogOfNewCustomersIsLoadedAndCreatedInBatches) {
    World w;
    w.set_concurrency(8);
    w.odoo().set_latency(20ms);  // the first jobs' calls take long enough for the others to wait
    constexpr int kOrders = 8;
    for (int i = 0; i < kOrders; ++i) {
        auto o = backlog::new_customer(i);
        w.add_and_enqueue(o);
    }
    w.odoo().clear_calls();
    ASSERT_EQ(w.drain(), static_cast<std::size_t>(kOrders));
    const auto n = backlog::count(w.odoo().calls());
    std::cout << kOrders << " new customers at concurrency 8: " << n.customer_loads
              << " customer loads (up to " << n.most_customers << " rows), " << n.address_loads
              << " address loads (up to " << n.most_addresses << "), " << n.creates
              << " sale.order creations (up to " << n.most_orders << " orders)\n";
    // At most two calls of each: the first jobs' (those that reached it in the same turn), then
    // the others, which waited for it, together.
    EXPECT_LE(n.customer_loads, 2);
    EXPECT_LE(n.address_loads, 2);
    EXPECT_LE(n.creates, 2);
    EXPECT_GE(n.most_customers, static_cast<std::size_t>(kOrders / 2));
    EXPECT_GE(n.most_addresses, static_cast<std::size_t>(kOrders / 2));
    EXPECT_GE(n.most_orders, static_cast<std::size_t>(kOrders / 2));
    std::set<std::int64_t> customers;
    for (int i = 0; i < kOrders; ++i) {
        auto orders = w.orders_for(backlog::new_customer(i).order_id);
        ASSERT_EQ(orders.size(), 1u) << i;
        EXPECT_EQ(orders[0]["state"], Value("sale")) << i;
        EXPECT_EQ(orders[0]["date_order"], Value("2026-11-01 10:00:00")) << i;
        EXPECT_EQ(w.lines_of(orders[0]["id"].as_int().value()).size(), 3u) << i;
        auto customer = w.odoo().record("res.partner", orders[0]["partner_id"].m2o_id().value());
        ASSERT_TRUE(customer);
        EXPECT_EQ((*customer)["email"], Value(backlog::new_customer(i).buyer_email)) << i;
        auto shipping =
            w.odoo().record("res.partner", orders[0]["partner_shipping_id"].m2o_id().value());
        ASSERT_TRUE(shipping);
        EXPECT_EQ((*shipping)["street"], Value(backlog::new_customer(i).address_line1)) << i;
        EXPECT_EQ((*shipping)["parent_id"].m2o_id(), orders[0]["partner_id"].m2o_id()) << i;
        customers.insert(orders[0]["partner_id"].m2o_id().value());
        auto mapped = w.store->find_by_external(kConnection, "amazon_order",
                                                backlog::new_customer(i).order_id);
        ASSERT_TRUE(mapped && mapped->has_value()) << i;
        EXPECT_EQ((*mapped)->odoo_id, orders[0]["id"].as_int().value()) << i;
    }
    EXPECT_EQ(customers.size(), static_cast<std::size_t>(kOrders));
    EXPECT_EQ(w.state_count(store::JobState::dead), 0);
}

// A backlog in cohorts (the daemon's default for order_import): the jobs claimed together go
// through their steps together, so each step is one Odoo call for the whole cohort, whatever the
// order in which Amazon answered: products, the look-up, customers, addresses, creation,
// confirmation, dates.
/// A new customer's order whose items carry Amazon's 15 % tax (the tax check reads each line's
/// tax back).
SeedOrder taxed_new_customer(int i) {
    SeedOrder o = backlog::new_customer(i);
    for (auto& item : o.items) {
        item.item_tax = text_of_cents((cents_of(item.unit_price) * item.quantity * 15 + 50) / 100);
    }
    return o;
}

OrderImportOptions taxed_us() {
    OrderImportOptions opt;
    opt.taxes = {{"ATVPDKIKX0DER", {"15%"}}};
    return opt;
}

TEST(OrderImport, BacklogInACohortMakesOneCallPerStep) {
    World w(18, taxed_us());
    constexpr int kOrders = 8;
    w.set_concurrency(kOrders, kOrders);
    w.odoo().set_latency(2ms);
    for (int i = 0; i < kOrders; ++i) {
        auto o = taxed_new_customer(i);
        if (i % 2 == 1) o.items.erase(o.items.begin());  // not every order has the same SKUs
        w.add_and_enqueue(o);
    }
    w.odoo().clear_calls();
    ASSERT_EQ(w.drain(), static_cast<std::size_t>(kOrders));
    const auto n = backlog::count(w.odoo().calls());
    EXPECT_EQ(n.customer_loads, 1);
    EXPECT_EQ(n.address_loads, 1);
    EXPECT_EQ(n.creates, 1);
    EXPECT_EQ(n.most_orders, static_cast<std::size_t>(kOrders));
    EXPECT_EQ(w.odoo().call_count("search_read", "product.product"), 1u);
    EXPECT_EQ(w.odoo().call_count("action_confirm", "sale.order"), 1u);
    EXPECT_EQ(w.odoo().call_count("load", "sale.order"), 1u);  // the dates
    // The states with each line's tax (the tax check): one web_read, no other read.
    EXPECT_EQ(w.odoo().call_count("web_read", "sale.order"), 1u);
    EXPECT_EQ(w.odoo().call_count("read", "sale.order"), 0u);
    EXPECT_EQ(w.odoo().call_count("search_read", "sale.order.line"), 0u);
    EXPECT_EQ(w.metric("clarity_order_tax_mismatch_total{connection=\"us\"}"), 0);
    for (int i = 0; i < kOrders; ++i) {
        auto orders = w.orders_for(backlog::new_customer(i).order_id);
        ASSERT_EQ(orders.size(), 1u) << i;
        EXPECT_EQ(orders[0]["state"], Value("sale")) << i;
        EXPECT_EQ(w.lines_of(orders[0]["id"].as_int().value()).size(), i % 2 == 1 ? 2u : 3u) << i;
    }
    EXPECT_EQ(w.state_count(store::JobState::dead), 0);
}

// The cohort's confirmation read (web_read of the orders with their lines' tax) refused because
// an order of the batch is gone meanwhile (MissingError): the batch reads the states as `read`
// does instead, and the tax check reads the lines of each order: nothing is dead-lettered.
TEST(OrderImport, ARefusedConfirmationReadFallsBackToAPlainRead) {
    World w(18, taxed_us());
    constexpr int kOrders = 4;
    w.set_concurrency(kOrders, kOrders);
    w.odoo().fail_next_call(
        [](const fakes::odoo::CallRecord& c) {
            return c.model == "sale.order" && c.method == "web_read";
        },
        FaultSpec{.exception = "odoo.exceptions.MissingError",
                  .message = "Record does not exist or has been deleted."});
    for (int i = 0; i < kOrders; ++i) {
        auto o = taxed_new_customer(i);
        w.add_and_enqueue(o);
    }
    w.odoo().clear_calls();
    ASSERT_EQ(w.drain(), static_cast<std::size_t>(kOrders));
    EXPECT_EQ(w.odoo().call_count("read", "sale.order"), 1u);
    EXPECT_EQ(w.odoo().call_count("search_read", "sale.order.line"),
              static_cast<std::size_t>(kOrders));
    for (int i = 0; i < kOrders; ++i) {
        auto orders = w.orders_for(backlog::new_customer(i).order_id);
        ASSERT_EQ(orders.size(), 1u) << i;
        EXPECT_EQ(orders[0]["state"], Value("sale")) << i;
        EXPECT_EQ(orders[0]["date_order"], Value("2026-11-01 10:00:00")) << i;
    }
    EXPECT_EQ(w.state_count(store::JobState::dead), 0);
    EXPECT_EQ(w.metric("clarity_order_tax_mismatch_total{connection=\"us\"}"), 0);
}

// Odoo refuses one address of a batch: `load` keeps nothing of the batch, so each row goes again
// alone; the others are imported and only the refused order is dead-lettered, with Odoo's message.
TEST(OrderImport, OneRefusedAddressInABatchDeadLettersOnlyItsOrder) {
    OrderImportOptions opt;
    opt.partner_cache_size = 0;  // every order loads its partners
    World w(18, opt);
    // Buyer 3's delivery address becomes its customer's parent: writing the address under the
    // customer again is a recursive hierarchy, which Odoo refuses.
    auto bad = backlog::new_customer(3);
    bad.order_id = "111-0000799-0000799";
    w.add_and_enqueue(bad);
    ASSERT_EQ(w.drain(), 1u);
    auto first = w.orders_for(bad.order_id).at(0);
    const auto customer = first["partner_id"].m2o_id().value();
    const auto address = first["partner_shipping_id"].m2o_id().value();
    w.odoo().write("res.partner", address, Struct{{"parent_id", false}});
    w.odoo().write("res.partner", customer, Struct{{"parent_id", address}});

    w.set_concurrency(8);
    w.odoo().set_latency(5ms);
    constexpr int kOrders = 6;
    std::map<int, store::JobId> jobs;
    for (int i = 0; i < kOrders; ++i) {
        auto o = backlog::new_customer(i);
        jobs[i] = w.add_and_enqueue(o);
    }
    w.odoo().clear_calls();
    ASSERT_EQ(w.drain(), static_cast<std::size_t>(kOrders));
    const auto n = backlog::count(w.odoo().calls());
    EXPECT_GE(n.most_addresses, 2u) << "the refused address went in a batch";
    for (int i = 0; i < kOrders; ++i) {
        auto orders = w.orders_for(backlog::new_customer(i).order_id);
        if (i == 3) {
            EXPECT_TRUE(orders.empty());
            const std::string message = w.last_error(jobs[i]);
            EXPECT_NE(message.find("order " + backlog::new_customer(i).order_id +
                                   ": Odoo refused the delivery address"),
                      std::string::npos)
                << message;
            EXPECT_NE(message.find("recursive"), std::string::npos) << message;
            continue;
        }
        ASSERT_EQ(orders.size(), 1u) << i;
        EXPECT_EQ(orders[0]["state"], Value("sale")) << i;
    }
    EXPECT_EQ(w.state_count(store::JobState::dead), 1);
    EXPECT_EQ(w.metric("clarity_orders_failed_total{connection=\"us\",reason=\"odoo_refused\"}"),
              1);
}

// A batched create whose answer is lost (Odoo committed every order of it): each job of the batch
// fails with a transient error, and its retry looks the order up before creating it: no order
// twice.
TEST(OrderImport, LostAnswerOfABatchedCreateDoublesNoOrder) {
    World w;
    w.set_concurrency(8);
    w.odoo().set_latency(5ms);
    w.odoo().fail_next_call(
        [](const fakes::odoo::CallRecord& c) {
            return c.model == "sale.order" && c.method == "create" &&
                   backlog::rows_of(c, "vals_list") > 1;
        },
        FaultSpec{.drop_after_commit = true});
    constexpr int kOrders = 8;
    for (int i = 0; i < kOrders; ++i) {
        auto o = backlog::new_customer(i);
        w.add_and_enqueue(o);
    }
    w.odoo().clear_calls();
    w.drain();
    int rounds = 0;
    while (w.state_count(store::JobState::done) < kOrders && ++rounds < 10) {
        w.clock.advance(2min);
        w.drain();
    }
    std::size_t batched = 0;
    for (const auto& c : w.odoo().calls()) {
        if (c.model == "sale.order" && c.method == "create") {
            batched = std::max(batched, backlog::rows_of(c, "vals_list"));
        }
    }
    EXPECT_GE(batched, 2u) << "a batched create was made (and its answer lost)";
    for (int i = 0; i < kOrders; ++i) {
        auto orders = w.orders_for(backlog::new_customer(i).order_id);
        ASSERT_EQ(orders.size(), 1u) << i;
        EXPECT_EQ(orders[0]["state"], Value("sale")) << i;
        EXPECT_EQ(w.lines_of(orders[0]["id"].as_int().value()).size(), 3u) << i;
    }
    EXPECT_EQ(w.state_count(store::JobState::done), kOrders);
    EXPECT_EQ(w.state_count(store::JobState::dead), 0);
}

// A run that confirmed the order but stopped before writing Amazon's date back (crash, lost
// reply): the next run of the order finds it confirmed with the wrong date and finishes the job.
TEST(OrderImport, ConfirmedOrderWithTheWrongDateGetsAmazonsDateBack) {
    World w;
    SeedOrder o = three_lines("111-0000031-0000031");
    w.add_and_enqueue(o);
    ASSERT_EQ(w.drain(), 1u);
    auto orders = w.orders_for(o.order_id);
    ASSERT_EQ(orders.size(), 1u);
    const auto sale_id = orders[0]["id"].as_int().value();
    Struct reset;
    reset.insert_or_assign("date_order", Value("2026-11-27 12:00:00"));  // what confirm leaves
    ASSERT_TRUE(w.run(w.odoo_client->write("sale.order", {sale_id}, reset)));
    w.enqueue(o.order_id, "2026-11-01T10:06:00Z");
    ASSERT_EQ(w.drain(), 1u);
    orders = w.orders_for(o.order_id);
    ASSERT_EQ(orders.size(), 1u);
    EXPECT_EQ(orders[0]["date_order"], Value("2026-11-01 10:00:00"));
    EXPECT_EQ(orders[0]["state"], Value("sale"));
}

TEST(OrderImport, UnmatchedStateIsLeftEmptyOrDeadLetteredNeverCreated) {
    World w;
    SeedOrder o = three_lines("111-0000020-0000020");
    o.state = "Atlantis";
    w.amazon_fake.add_order(o);
    const auto states = w.odoo().count("res.country.state");
    w.enqueue(o.order_id, "2026-11-01T10:05:00Z");
    ASSERT_EQ(w.drain(), 1u);
    auto so = w.orders_for(o.order_id).at(0);
    auto shipping = w.odoo().record("res.partner", so["partner_shipping_id"].m2o_id().value());
    EXPECT_TRUE((*shipping)["state_id"].is_empty());
    EXPECT_EQ(w.odoo().count("res.country.state"), states);
    EXPECT_EQ(w.metric("clarity_order_unmatched_state_total{connection=\"us\"}"), 1);

    OrderImportOptions strict;
    strict.unmatched_state = UnmatchedState::fail;
    World s(18, strict);
    s.amazon_fake.add_order(o);
    auto job = s.enqueue(o.order_id, "2026-11-01T10:05:00Z");
    ASSERT_EQ(s.drain(), 1u);
    auto shown = s.store->show_job(job);
    ASSERT_TRUE(shown && shown->has_value());
    EXPECT_NE((*shown)->last_error.find("'Atlantis'"), std::string::npos) << (*shown)->last_error;
}

// ---- European and multi-currency orders (issue #25) --------------------------------------------

constexpr const char* kDE = "A1PA6795UKMFR9";
constexpr const char* kFR = "A13V1IB3VIYZZH";
constexpr const char* kUK = "A1F83G8C2ARO7P";
constexpr const char* kIT = "APJ6JRA9NG5V4";
constexpr const char* kES = "A1RKKUPIHCS9HS";
constexpr const char* kUS = "ATVPDKIKX0DER";

/// The VAT within a gross amount at `rate` percent, rounded half up (as Amazon reports it).
std::string vat_in(const std::string& gross, std::int64_t rate) {
    const std::int64_t c = cents_of(gross);
    return text_of_cents((c * rate * 2 + 100 + rate) / (2 * (100 + rate)));
}

/// An order of a VAT-inclusive marketplace: two items (2 × 19.99 and 1 × 7.49) and shipping
/// 4.99 on the first, all gross, with the VAT Amazon reports within them at `rate`.
SeedOrder eu_order(std::string id,
                   const char* marketplace,
                   const char* currency,
                   std::int64_t rate,
                   const char* country,
                   const char* region,
                   const char* postal_code) {
    SeedOrder o;
    o.order_id = id;
    o.marketplace_id = marketplace;
    o.currency = currency;
    o.prices_include_tax = true;
    o.country_code = country;
    o.state = region;
    o.postal_code = postal_code;
    o.city = "City";
    o.items = {item(id + "-1", "SKU-A", 2, "19.99"), item(id + "-2", "SKU-B", 1, "7.49")};
    o.items[0].item_tax = vat_in("39.98", rate);
    o.items[1].item_tax = vat_in("7.49", rate);
    o.items[0].shipping_price = "4.99";
    o.items[0].shipping_tax = vat_in("4.99", rate);
    return o;
}

/// What Amazon charged: the gross prices (VAT-inclusive) and the VAT within them.
std::int64_t eu_total(const SeedOrder& o) {
    std::int64_t c = 0;
    for (const auto& i : o.items) {
        c += cents_of(i.unit_price) * i.quantity;
        if (!i.shipping_price.empty()) c += cents_of(i.shipping_price);
    }
    return c;
}
std::int64_t eu_tax(const SeedOrder& o) {
    std::int64_t c = 0;
    for (const auto& i : o.items) {
        c += cents_of(i.item_tax);
        if (!i.shipping_tax.empty()) c += cents_of(i.shipping_tax);
    }
    return c;
}

/// The tax map of the issue: amazon.de by ship-to country (the EU one-stop shop), the others one
/// price-included VAT each.
OrderImportOptions eu_options() {
    OrderImportOptions opt;
    opt.shipping_product = "SHIP";
    opt.taxes = {{kDE, TaxChoice{{}, {{"FR", "FR VAT 20% incl"}, {"default", "DE VAT 19% incl"}}}},
                 {kFR, {"FR VAT 20% incl"}},
                 {kUK, {"UK VAT 20% incl"}},
                 {kIT, {"IT VAT 22% incl"}},
                 {kES, {"ES VAT 21% incl"}},
                 {kUS, {"15%"}}};
    return opt;
}

/// The seller's Odoo: EUR and GBP pricelists, price-included VAT taxes, a shipping product, and
/// products whose default customer tax is the 15 % sale tax (which must never reach the lines).
struct EuOdoo {
    std::int64_t eur = 0, gbp = 0;
    std::map<std::string, std::int64_t> taxes;
};
EuOdoo seed_eu(World& w, int major, bool eur_pricelist = true) {
    EuOdoo e;
    w.odoo().add_european_base_data();
    if (eur_pricelist) {
        e.eur = w.odoo().create("product.pricelist",
                                Struct{{"name", "Amazon EUR"}, {"currency_id", 2}});
    }
    e.gbp =
        w.odoo().create("product.pricelist", Struct{{"name", "Amazon GBP"}, {"currency_id", 3}});
    for (const auto& [name, rate] :
         std::vector<std::pair<std::string, double>>{{"DE VAT 19% incl", 19},
                                                     {"FR VAT 20% incl", 20},
                                                     {"UK VAT 20% incl", 20},
                                                     {"IT VAT 22% incl", 22},
                                                     {"ES VAT 21% incl", 21}}) {
        e.taxes[name] = w.odoo().create(
            "account.tax", Struct{{"name", name}, {"amount", rate}, {"price_include", true}});
    }
    e.taxes["15%"] = 1;
    const char* type_field = major >= 18 ? "type" : "detailed_type";
    w.products["SHIP"] = w.odoo().create(
        "product.product",
        Struct{{"name", "Shipping"}, {"default_code", "SHIP"}, {type_field, "service"}});
    for (const char* code : {"SKU-A", "SKU-B", "SKU-C", "SHIP"}) {
        w.odoo().write("product.product", w.products[code],
                       Struct{{"taxes_id", odoo::Array{Value(1)}}});
    }
    return e;
}

struct EuCase {
    int major;
    odoo::Protocol protocol;
    std::string api;
};

class EuropeanOrders : public ::testing::TestWithParam<EuCase> {};

// The seller on every version and transport, through both Orders APIs: each sale order
// is in the Amazon order's currency (its pricelist), every line carries the marketplace's (or
// ship-to country's) price-included VAT and never the product's default tax, and Odoo's total
// and tax are Amazon's to the cent — with and without Amazon's TAX breakdown.
TEST_P(EuropeanOrders, CurrencyPricelistAndIncludedVatOnEveryLine) {
    const auto& param = GetParam();
    OrderImportOptions opt = eu_options();
    opt.api = param.api;
    FakeOdooOptions f;
    f.tax_rounding = "round_per_line";
    World w(param.major, opt, f, {kDE, kFR, kUK, kIT, kES}, param.protocol);
    const EuOdoo e = seed_eu(w, param.major);
    ASSERT_TRUE(w.run(w.flow->prepare()));

    struct Expect {
        SeedOrder order;
        std::int64_t pricelist, currency;
        std::string tax;
        std::int64_t state;  ///< res.country.state id, 0 = none
    };
    std::vector<Expect> cases;
    cases.push_back({eu_order("302-0000001-0000001", kDE, "EUR", 19, "DE", "Bayern", "80331"),
                     e.eur, 2, "DE VAT 19% incl", 1004});
    // amazon.de shipped to France: French VAT (one-stop shop); Odoo has no French states.
    cases.push_back(
        {eu_order("302-0000002-0000002", kDE, "EUR", 20, "FR", "Île-de-France", "75001"), e.eur, 2,
         "FR VAT 20% incl", 0});
    cases.push_back(
        {eu_order("203-0000003-0000003", kUK, "GBP", 20, "GB", "Greater London", "SW1A 1AA"), e.gbp,
         3, "UK VAT 20% incl", 1001});
    // No TAX breakdown (Orders 2026-01-01 on a VAT-inclusive marketplace): still taxed.
    cases.push_back({eu_order("404-0000004-0000004", kIT, "EUR", 22, "IT", "Milano (MI)", "20121"),
                     e.eur, 2, "IT VAT 22% incl", 1008});
    cases.back().order.tax_breakdown = false;
    cases.push_back({eu_order("405-0000005-0000005", kES, "EUR", 21, "ES", "Madrid", "28001"),
                     e.eur, 2, "ES VAT 21% incl", 1009});
    cases.push_back({eu_order("171-0000006-0000006", kFR, "EUR", 20, "FR", "", "69001"), e.eur, 2,
                     "FR VAT 20% incl", 0});
    for (const auto& c : cases) {
        w.amazon_fake.add_order(c.order);
        w.enqueue(c.order.order_id, "2026-11-01T10:05:00Z", c.order.marketplace_id);
    }
    ASSERT_EQ(w.drain(), cases.size());
    EXPECT_EQ(w.state_count(store::JobState::dead), 0);
    const std::string tax_field = param.major >= 19 ? "tax_ids" : "tax_id";
    for (const auto& c : cases) {
        const std::string& id = c.order.order_id;
        auto so = w.orders_for(id);
        ASSERT_EQ(so.size(), 1u) << id;
        EXPECT_EQ(so[0]["state"], Value("sale")) << id;
        EXPECT_EQ(so[0]["pricelist_id"].m2o_id(), c.pricelist) << id;
        EXPECT_EQ(so[0]["currency_id"].m2o_id(), c.currency) << id;
        const auto sale_id = so[0]["id"].as_int().value();
        auto lines = w.lines_of(sale_id);
        ASSERT_EQ(lines.size(), 3u) << id;  // two items and the shipping of the first
        for (auto& l : lines) {
            EXPECT_EQ(l[tax_field], Value(odoo::Array{Value(e.taxes.at(c.tax))}))
                << id << " " << l["name"];
        }
        EXPECT_EQ(w.amount_total(sale_id), text_of_cents(eu_total(c.order))) << id;
        auto amounts = w.run(w.odoo_client->read("sale.order", {sale_id}, {"amount_tax"}));
        ASSERT_TRUE(amounts && amounts->size() == 1u);
        EXPECT_EQ(std::llround((*amounts)[0]["amount_tax"].as_double().value_or(0) * 100),
                  eu_tax(c.order))
            << id;
        auto shipping =
            w.odoo().record("res.partner", so[0]["partner_shipping_id"].m2o_id().value());
        if (c.state == 0) {
            EXPECT_TRUE((*shipping)["state_id"].is_empty()) << id;
        } else {
            EXPECT_EQ((*shipping)["state_id"].m2o_id(), c.state) << id;
        }
    }
    EXPECT_EQ(w.metric("clarity_order_tax_mismatch_total{connection=\"us\"}"), 0);
    EXPECT_EQ(w.metric("clarity_order_total_mismatch_total{connection=\"us\"}"), 0);
    // French region text has nothing to match in Odoo: not counted as unmatched.
    EXPECT_EQ(w.metric("clarity_order_unmatched_state_total{connection=\"us\"}"), 0);
}

INSTANTIATE_TEST_SUITE_P(Odoo,
                         EuropeanOrders,
                         ::testing::Values(EuCase{16, odoo::Protocol::json_rpc, "2026-01-01"},
                                           EuCase{17, odoo::Protocol::xml_rpc, "v0"},
                                           EuCase{18, odoo::Protocol::json_rpc, "2026-01-01"},
                                           EuCase{18, odoo::Protocol::xml_rpc, "v0"},
                                           EuCase{19, odoo::Protocol::json2, "2026-01-01"},
                                           EuCase{19, odoo::Protocol::xml_rpc, "v0"}),
                         [](const auto& info) {
                             return "v" + std::to_string(info.param.major) + "_" +
                                    std::string(odoo::to_string(info.param.protocol) == "json-rpc"
                                                    ? "jsonrpc"
                                                : odoo::to_string(info.param.protocol) == "xml-rpc"
                                                    ? "xmlrpc"
                                                    : "json2") +
                                    (info.param.api == "v0" ? "_v0" : "_2026");
                         });

// A company rounding taxes globally (19's default): the order still totals Amazon's gross prices
// and its tax is Amazon's within the cent per line Odoo's single rounding may move.
TEST(EuropeanOrders, GlobalRoundingKeepsTheGrossTotal) {
    OrderImportOptions opt = eu_options();
    World w(19, opt, {}, {kDE});
    seed_eu(w, 19);
    SeedOrder o = eu_order("302-0000010-0000010", kDE, "EUR", 19, "DE", "Berlin", "10115");
    w.amazon_fake.add_order(o);
    w.enqueue(o.order_id, "2026-11-01T10:05:00Z", kDE);
    ASSERT_EQ(w.drain(), 1u);
    auto so = w.orders_for(o.order_id);
    ASSERT_EQ(so.size(), 1u);
    EXPECT_EQ(w.amount_total(so[0]["id"].as_int().value()), text_of_cents(eu_total(o)));
    EXPECT_EQ(w.metric("clarity_order_tax_mismatch_total{connection=\"us\"}"), 0);
    EXPECT_EQ(w.metric("clarity_order_adjustment_lines_total{connection=\"us\"}"), 0);
}

// Lines Amazon did not tax get an explicit empty tax set: the product's default tax (15 %) would
// otherwise be added on top of Amazon's price.
TEST(EuropeanOrders, UntaxedLinesGetAnExplicitEmptyTaxSetNotTheProductDefault) {
    OrderImportOptions opt = eu_options();
    for (int major : {16, 19}) {
        World w(major, opt);
        seed_eu(w, major);
        SeedOrder o = three_lines("111-0000040-000004" + std::to_string(major % 10));
        o.items.pop_back();  // SKU-A and SKU-B, untaxed by Amazon
        w.add_and_enqueue(o);
        ASSERT_EQ(w.drain(), 1u);
        auto so = w.orders_for(o.order_id).at(0);
        const std::string tax_field = major >= 19 ? "tax_ids" : "tax_id";
        for (auto& l : w.lines_of(so["id"].as_int().value())) {
            EXPECT_EQ(l[tax_field], Value(odoo::Array{})) << major << " " << l["name"];
        }
        EXPECT_EQ(w.amount_total(so["id"].as_int().value()), "30.00") << major;
        EXPECT_TRUE(so["pricelist_id"].is_empty()) << "no USD pricelist: Odoo's default";
        EXPECT_EQ(so["currency_id"].m2o_id(), 1) << major;
    }
}

/// The error of prepare() (the start-up check), "" when it passes.
std::string prepare_error(World& w) {
    auto r = w.run(w.flow->prepare());
    if (r) return "";
    EXPECT_EQ(r.error().kind, ErrorKind::permanent) << r.error().describe();
    return r.error().message;
}

// The start-up check refuses what would book orders wrongly, naming marketplace, currency or tax
// and the fix: no pricelist in the currency, several without configuration, a configured one
// missing or in another currency, a tax missing or not included in the price where the prices
// include VAT (or included where they do not).
TEST(EuropeanOrders, StartUpRefusesMissingOrAmbiguousPricelistsAndMisfitTaxes) {
    {
        World w(18, eu_options(), {}, {kDE});
        seed_eu(w, 18);
        EXPECT_EQ(prepare_error(w), "");
    }
    {
        World w(18, eu_options(), {}, {kDE, kUK});
        seed_eu(w, 18);
        w.odoo().create("product.pricelist", Struct{{"name", "Retail EUR"}, {"currency_id", 2}});
        const auto msg = prepare_error(w);
        EXPECT_NE(msg.find("several active pricelists in EUR (\"Amazon EUR\", \"Retail EUR\") "
                           "could serve amazon.de (A1PA6795UKMFR9): choose one under "
                           "flows.order_import.pricelists (A1PA6795UKMFR9: \"Amazon EUR\")"),
                  std::string::npos)
            << msg;
        EXPECT_EQ(msg.find("GBP"), std::string::npos) << msg;
    }
    {
        // Named: the choice is the configuration's.
        OrderImportOptions opt = eu_options();
        opt.pricelists = {{kDE, "Retail EUR"}};
        World w(18, opt, {}, {kDE});
        seed_eu(w, 18);
        const auto retail = w.odoo().create("product.pricelist",
                                            Struct{{"name", "Retail EUR"}, {"currency_id", 2}});
        EXPECT_EQ(prepare_error(w), "");
        SeedOrder o = eu_order("302-0000011-0000011", kDE, "EUR", 19, "DE", "Bayern", "80331");
        w.amazon_fake.add_order(o);
        w.enqueue(o.order_id, "2026-11-01T10:05:00Z", kDE);
        ASSERT_EQ(w.drain(), 1u);
        EXPECT_EQ(w.orders_for(o.order_id).at(0)["pricelist_id"].m2o_id(), retail);
    }
    {
        World w(18, eu_options(), {}, {kDE});  // no EUR pricelist at all
        const auto msg = prepare_error(w);
        EXPECT_NE(msg.find("no active pricelist in EUR for amazon.de (A1PA6795UKMFR9): its "
                           "orders would be booked in the company's currency USD"),
                  std::string::npos)
            << msg;
        EXPECT_NE(msg.find("flows.order_import.pricelists (A1PA6795UKMFR9: \"<pricelist name>\")"),
                  std::string::npos)
            << msg;
    }
    {
        OrderImportOptions opt = eu_options();
        opt.pricelists = {{kUK, "Amazon EUR"}};
        World w(18, opt, {}, {kUK});
        seed_eu(w, 18);
        const auto msg = prepare_error(w);
        EXPECT_NE(msg.find("the pricelist \"Amazon EUR\" named for amazon.co.uk (A1F83G8C2ARO7P) "
                           "under flows.order_import.pricelists is in EUR, but the orders of "
                           "amazon.co.uk (A1F83G8C2ARO7P) are in GBP"),
                  std::string::npos)
            << msg;
    }
    {
        OrderImportOptions opt = eu_options();
        opt.taxes[kUK] = {"UK VAT 20%"};  // added on top, not included
        World w(18, opt, {}, {kUK});
        seed_eu(w, 18);
        w.odoo().create("account.tax", Struct{{"name", "UK VAT 20%"}, {"amount", 20.0}});
        const auto msg = prepare_error(w);
        EXPECT_NE(msg.find("amazon.co.uk (A1F83G8C2ARO7P) sells at prices that include VAT, but "
                           "its tax \"UK VAT 20%\" (flows.order_import.taxes.A1F83G8C2ARO7P) is "
                           "not included in the price in Odoo"),
                  std::string::npos)
            << msg;
    }
    {
        OrderImportOptions opt = eu_options();
        opt.taxes[kUS] = {"DE VAT 19% incl"};
        World w(18, opt);
        seed_eu(w, 18);
        const auto msg = prepare_error(w);
        EXPECT_NE(msg.find("amazon.com (ATVPDKIKX0DER) adds tax on top of its prices, but its "
                           "tax \"DE VAT 19% incl\" (flows.order_import.taxes.ATVPDKIKX0DER) is "
                           "included in the price in Odoo"),
                  std::string::npos)
            << msg;
    }
    {
        OrderImportOptions opt = eu_options();
        opt.taxes[kDE].by_country["IT"] = "IT VAT 22 incl";  // misspelt
        World w(18, opt, {}, {kDE});
        seed_eu(w, 18);
        const auto msg = prepare_error(w);
        EXPECT_NE(msg.find("the sale tax \"IT VAT 22 incl\" "
                           "(flows.order_import.taxes.A1PA6795UKMFR9.IT) does not exist in Odoo"),
                  std::string::npos)
            << msg;
    }
}

// A marketplace the connection check did not see (its currency has no pricelist yet): the order
// is a dead letter with the start-up check's message; once a pricelist exists, the replay
// imports it in that currency.
TEST(EuropeanOrders, ACurrencyFirstSeenLaterIsADeadLetterUntilItHasAPricelist) {
    World w(18, eu_options(), {}, {kUK});
    seed_eu(w, 18, /*eur_pricelist=*/false);
    ASSERT_EQ(prepare_error(w), "") << "GBP has its pricelist";
    SeedOrder o = eu_order("302-0000020-0000020", kDE, "EUR", 19, "DE", "Bayern", "80331");
    w.amazon_fake.add_order(o);
    auto job = w.enqueue(o.order_id, "2026-11-01T10:05:00Z", kDE);
    ASSERT_EQ(w.drain(), 1u);
    const auto msg = w.last_error(job);
    EXPECT_NE(msg.find("order 302-0000020-0000020 (EUR): no active pricelist in EUR for "
                       "amazon.de (A1PA6795UKMFR9)"),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find("clarity-connect queue replay " + std::to_string(job)), std::string::npos)
        << msg;
    EXPECT_EQ(w.metric("clarity_orders_failed_total{connection=\"us\",reason=\"pricelist\"}"), 1);
    EXPECT_TRUE(w.orders_for(o.order_id).empty());

    const auto eur =
        w.odoo().create("product.pricelist", Struct{{"name", "Amazon EUR"}, {"currency_id", 2}});
    ASSERT_TRUE(w.store->replay_dead(job));
    ASSERT_EQ(w.drain(), 1u);
    auto so = w.orders_for(o.order_id);
    ASSERT_EQ(so.size(), 1u);
    EXPECT_EQ(so[0]["pricelist_id"].m2o_id(), eur);
    EXPECT_EQ(so[0]["currency_id"].m2o_id(), 2);
}

// A mapped tax whose rate is not what Amazon charged (a reduced-rate product under the standard
// rate): Odoo's total is still Amazon's gross total, but its tax is not — counted and logged.
TEST(EuropeanOrders, ATaxThatDoesNotReproduceAmazonsVatIsCounted) {
    OrderImportOptions opt = eu_options();
    FakeOdooOptions f;
    f.tax_rounding = "round_per_line";
    World w(18, opt, f, {kDE});
    seed_eu(w, 18);
    SeedOrder o = eu_order("302-0000030-0000030", kDE, "EUR", 7, "DE", "Bayern", "80331");
    w.amazon_fake.add_order(o);
    w.enqueue(o.order_id, "2026-11-01T10:05:00Z", kDE);
    ASSERT_EQ(w.drain(), 1u);
    auto so = w.orders_for(o.order_id);
    ASSERT_EQ(so.size(), 1u);
    EXPECT_EQ(w.amount_total(so[0]["id"].as_int().value()), text_of_cents(eu_total(o)));
    EXPECT_EQ(w.metric("clarity_order_tax_mismatch_total{connection=\"us\"}"), 1);
    EXPECT_EQ(w.metric("clarity_order_total_mismatch_total{connection=\"us\"}"), 0);
}

// UK region text: a county Odoo lists is matched; one spanning several (Greater Manchester) is
// left empty and counted, and the order is imported.
TEST(EuropeanOrders, UkRegionsMatchOdoosCountiesOrAreLeftEmpty) {
    OrderImportOptions opt = eu_options();
    World w(18, opt, {}, {kUK});
    seed_eu(w, 18);
    SeedOrder london =
        eu_order("203-0000040-0000040", kUK, "GBP", 20, "GB", "Greater London", "EC1A 1BB");
    SeedOrder manchester =
        eu_order("203-0000041-0000041", kUK, "GBP", 20, "GB", "Greater Manchester", "M1 1AE");
    for (const auto* o : {&london, &manchester}) {
        w.amazon_fake.add_order(*o);
        w.enqueue(o->order_id, "2026-11-01T10:05:00Z", kUK);
    }
    ASSERT_EQ(w.drain(), 2u);
    auto state_of = [&](const std::string& id) {
        auto so = w.orders_for(id).at(0);
        auto p = w.odoo().record("res.partner", so["partner_shipping_id"].m2o_id().value());
        return (*p)["state_id"].m2o_id().value_or(0);
    };
    EXPECT_EQ(state_of(london.order_id), 1001);
    EXPECT_EQ(state_of(manchester.order_id), 0);
    EXPECT_EQ(w.metric("clarity_order_unmatched_state_total{connection=\"us\"}"), 1);
}

// Issue #17 point 3: Odoo answers every call with 503 for a minute (its proxy, while Odoo
// restarts). The circuit opens after five failed calls; from then on the jobs wait without using
// up attempts (five per job here, which a minute of retries would otherwise exhaust), the probe
// calls every 30 s find Odoo still down, and once it is back the probe closes the circuit and
// every order arrives exactly once. No job is dead-lettered.
TEST(OrderImport, OdooDownForAMinuteOpensTheCircuitJobsWaitAndEveryOrderArrives) {
    World w;
    SeedOrder first = three_lines("111-0000090-0000090");
    w.add_and_enqueue(first);
    ASSERT_EQ(w.drain(), 1u);  // caches warm

    std::vector<std::string> ids;
    std::vector<store::JobId> jobs;
    for (int i = 0; i < 8; ++i) {
        SeedOrder o =
            three_lines("111-00001" + std::to_string(10 + i) + "-00001" + std::to_string(10 + i));
        w.amazon_fake.add_order(o);
        jobs.push_back(w.enqueue(o.order_id, "2026-11-01T10:05:00Z"));
        ids.push_back(o.order_id);
    }
    const std::string state = "clarity_circuit_breaker_state{connection=\"us\",service=\"odoo\"}";
    const std::string opened =
        "clarity_circuit_breaker_opened_total{connection=\"us\",service=\"odoo\"}";
    const std::string waited = "clarity_flow_jobs_total{flow=\"order_import\",outcome=\"waited\"}";

    w.odoo().set_outage(FaultSpec{.http_status = 503, .body = "Service Unavailable"});
    const auto down_until = w.clock.now() + 60s;
    bool seen_open = false;
    while (w.clock.now() < down_until) {
        w.drain();
        if (w.metric(state) == 2) {
            seen_open = true;
            EXPECT_NE(w.odoo_breaker->describe().find("open (next probe in "), std::string::npos)
                << w.odoo_breaker->describe();
        }
        EXPECT_EQ(w.state_count(store::JobState::dead), 0) << "while Odoo is down";
        w.clock.advance(5s);
    }
    EXPECT_TRUE(seen_open);
    EXPECT_EQ(w.metric(opened), 1) << "one outage, however many probes failed";
    EXPECT_GE(w.metric(waited), 8) << "the jobs waited";
    for (auto id : jobs) {
        const auto job = w.store->show_job(id).value().value();
        EXPECT_GE(job.waits, 1) << id;
        EXPECT_LE(job.attempts - job.waits, 2) << id << ": attempts used up while Odoo was down";
    }
    // While the circuit was open, only the probes reached Odoo: five failed calls of three
    // tries each (plus the tries of calls in flight when it opened), then one probe per 30 s.
    // Without the breaker: 8 jobs x 5 attempts x 3 tries, and every job dead-lettered.
    EXPECT_LE(w.odoo().outage_requests(), 25u);
    for (const auto& id : ids) EXPECT_TRUE(w.orders_for(id).empty()) << id;

    w.odoo().set_outage(std::nullopt);
    for (int step = 0; step < 40 && w.state_count(store::JobState::ready) +
                                            w.state_count(store::JobState::waiting) +
                                            w.state_count(store::JobState::leased) >
                                        0;
         ++step) {
        w.drain();
        w.clock.advance(5s);
    }
    EXPECT_EQ(w.metric(state), 0) << "the probe closed the circuit";
    EXPECT_EQ(w.odoo_breaker->describe(), "closed");
    EXPECT_EQ(w.state_count(store::JobState::dead), 0);
    for (const auto& id : ids) {
        auto orders = w.orders_for(id);
        ASSERT_EQ(orders.size(), 1u) << id;
        EXPECT_EQ(orders[0]["state"], Value("sale")) << id;
    }
}

TEST(OrderImportConfig, DefaultsAndContradictions) {
    auto spec = order_import_config_spec();
    EXPECT_FALSE(spec.keys().empty());
    OrderImportOptions o;
    EXPECT_TRUE(o.import_pending);
    EXPECT_TRUE(o.create_backorder);
    EXPECT_TRUE(o.add_adjustment_line) << "a total that differs gets a line by default";
    EXPECT_EQ(o.api, "2026-01-01");
}

}  // namespace
}  // namespace clarity::flows

namespace clarity::flows {
namespace {

// The buyer asks Amazon to cancel a confirmed order: the next change of the order puts a To-Do
// activity on its sale order (the default template's outputs.buyer_cancel_request), once, however
// often the order changes afterwards.
TEST(OrderImport, ABuyersCancellationRequestIsOneActivityOnTheSaleOrder) {
    World w(18);
    SeedOrder o = three_lines("111-0000901-0000901");
    w.add_and_enqueue(o);
    ASSERT_EQ(w.drain(), 1u);
    EXPECT_EQ(w.odoo().count("mail.activity"), 0u);
    w.amazon_fake.update_order(o.order_id, [](SeedOrder& s) {
        s.items[1].buyer_cancel_reason = "Bought by mistake";
        s.last_updated_time = "2026-11-01T11:00:00Z";
    });
    w.enqueue(o.order_id, "2026-11-01T11:00:00Z");
    w.enqueue(o.order_id, "2026-11-01T11:30:00Z");
    ASSERT_EQ(w.drain(), 2u);
    auto activities = w.odoo().records("mail.activity");
    ASSERT_EQ(activities.size(), 1u);
    const auto sale = w.orders_for(o.order_id).at(0).at("id").as_int().value();
    EXPECT_EQ(activities[0]["res_id"].as_int(), sale);
    EXPECT_EQ(activities[0]["summary"],
              Value("Amazon: the buyer asked to cancel order 111-0000901-0000901"));
    EXPECT_NE(activities[0]["note"].as_string().value_or("").find("Bought by mistake"),
              std::string::npos);
    EXPECT_EQ(w.orders_for(o.order_id).at(0).at("state"), Value("sale")) << "not cancelled";
}

}  // namespace
}  // namespace clarity::flows
