// The Odoo client with the real HTTP client over a loopback socket against the fake Odoo:
// every call over each transport, dropped connections, proxy errors, timeouts, the in-flight cap.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "clarity/net/circuit_breaker.hpp"
#include "clarity/net/http_client.hpp"
#include "clarity/odoo/client.hpp"
#include "odoo/fake_odoo.hpp"

namespace clarity::odoo {
namespace {

namespace asio = boost::asio;
using fakes::odoo::FakeOdooOptions;
using fakes::odoo::FakeOdooServer;
using fakes::odoo::FaultSpec;

struct Setup {
    Protocol protocol;
    int major;
};

struct Env {
    explicit Env(Setup s, std::function<void(OdooOptions&)> tweak = {})
        : server(FakeOdooOptions{.major = s.major}) {
        http = net::make_http_client(ctx.get_executor(), net::HttpClientOptions{});
        FakeOdooOptions f;
        OdooOptions o;
        o.url = server.base_url();
        o.database = f.database;
        o.username = f.admin_login;
        o.api_key = Secret(f.admin_api_key);
        o.protocol = s.protocol;
        o.retry_delay = std::chrono::milliseconds{5};
        if (tweak) tweak(o);
        client = std::make_unique<OdooClient>(*http, o);
    }
    template <class T>
    T run(asio::awaitable<T> aw) {
        auto fut = asio::co_spawn(ctx, std::move(aw), asio::use_future);
        ctx.restart();
        ctx.run();
        return fut.get();
    }
    asio::io_context ctx;
    FakeOdooServer server;
    std::shared_ptr<net::HttpClient> http;
    std::unique_ptr<OdooClient> client;
};

class OdooOverLoopback : public ::testing::TestWithParam<Setup> {};

TEST_P(OdooOverLoopback, EveryCallTheFlowsNeed) {
    Env env(GetParam());
    int major = GetParam().major;
    auto schema = env.run(env.client->connect({}, {FieldMeaning::sale_line_taxes}));
    ASSERT_TRUE(schema) << schema.error().describe();
    EXPECT_EQ(schema->version.major, major);

    auto product = env.server.odoo().create(
        "product.product",
        Struct{{"name", "Widget A"}, {"default_code", "SKU-A"}, {"barcode", "0123"}});
    auto found =
        env.run(env.client->products_by("default_code", {"SKU-A", "SKU-X"}, {"id", "barcode"}));
    ASSERT_TRUE(found) << found.error().describe();
    ASSERT_EQ(found->size(), 1u);
    EXPECT_EQ(found->at("SKU-A")["id"], Value(product));

    auto partners = env.run(env.client->create(
        "res.partner",
        {Struct{{"name", "Amazon Buyer 1"}}, Struct{{"name", "Jane Doe"}, {"type", "delivery"}}},
        env.client->write_context()));
    ASSERT_TRUE(partners) << partners.error().describe();
    ASSERT_TRUE(env.run(
        env.client->write("res.partner", {(*partners)[1]}, Struct{{"parent_id", (*partners)[0]}})));
    auto delivery =
        env.run(env.client->read("res.partner", {(*partners)[1]}, {"display_name", "parent_id"}));
    ASSERT_TRUE(delivery);
    EXPECT_EQ((*delivery)[0]["display_name"], Value("Amazon Buyer 1, Jane Doe"));

    auto taxes = schema->resolve(FieldMeaning::sale_line_taxes)->field;
    auto so = env.run(env.client->create(
        "sale.order",
        {Struct{{"partner_id", (*partners)[0]},
                {"partner_shipping_id", (*partners)[1]},
                {"order_line", Array{Array{0, 0,
                                           Struct{{"product_id", product},
                                                  {"product_uom_qty", 1.0},
                                                  {taxes, Array{Array{6, 0, Array{1}}}}}}}}}}));
    ASSERT_TRUE(so) << so.error().describe();
    auto confirmed = env.run(env.client->call_action("sale.order", "action_confirm", *so));
    ASSERT_TRUE(confirmed) << confirmed.error().describe();
    // Write the Amazon purchase date after confirming (confirm overwrites date_order).
    ASSERT_TRUE(env.run(
        env.client->write("sale.order", *so, Struct{{"date_order", "2025-01-15 10:30:00"}})));
    auto order =
        env.run(env.client->search_read("sale.order", Domain{}.where("id", "in", ids_array(*so)),
                                        {.fields = {"state", "date_order", "picking_ids"}}));
    ASSERT_TRUE(order);
    EXPECT_EQ((*order)[0]["state"], Value("sale"));
    EXPECT_EQ((*order)[0]["date_order"], Value("2025-01-15 10:30:00"));
    auto pick = (*(*order)[0]["picking_ids"].as_ids())[0];
    ASSERT_TRUE(env.run(
        env.client->write("stock.picking", {pick}, Struct{{"carrier_tracking_ref", "1Z999"}})));
    if (major == 16) {
        // 16 starts moves at quantity_done 0 (else the immediate-transfer wizard); 17+ pre-fill.
        auto moves =
            env.run(env.client->search_read("stock.move", Domain{}.where("picking_id", "=", pick),
                                            {.fields = {"product_uom_qty"}}));
        ASSERT_TRUE(moves);
        for (const auto& m : *moves) {
            ASSERT_TRUE(
                env.run(env.client->write("stock.move", {*m["id"].as_int()},
                                          Struct{{"quantity_done", m["product_uom_qty"]}})));
        }
    }
    auto validated = env.run(env.client->call_action("stock.picking", "button_validate", {pick},
                                                     Struct{{"skip_sms", true}}));
    ASSERT_TRUE(validated) << validated.error().describe();
    EXPECT_FALSE(validated->needs_wizard());

    auto upsert =
        env.run(env.client->load("res.partner", {"id", "name"}, {Array{"amazon_sync.b", "B"}}));
    ASSERT_TRUE(upsert) << upsert.error().describe();
    EXPECT_TRUE(upsert->ok());

    auto quant = env.run(env.client->create(
        "stock.quant",
        {Struct{{"product_id", product}, {"location_id", 8}, {"inventory_quantity", 7.0}}},
        Struct{{"inventory_mode", true}}));
    ASSERT_TRUE(quant) << quant.error().describe();
    auto applied =
        env.run(env.client->call_action("stock.quant", "action_apply_inventory", *quant));
    ASSERT_TRUE(applied) << applied.error().describe();
    auto n = env.run(env.client->search_count(
        "stock.quant", Domain{}.where("location_id.usage", "=", "internal")));
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 1);
}

TEST_P(OdooOverLoopback, RetriesAReadAfterAProxyErrorAndADroppedConnection) {
    Env env(GetParam());
    ASSERT_TRUE(env.run(env.client->connect()));
    env.server.odoo().fail_call(1, FaultSpec{.http_status = 503});
    env.server.odoo().fail_call(2, FaultSpec{.drop_before = true});
    auto r = env.run(env.client->search_read("res.country", Domain{}, {.fields = {"code"}}));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->size(), 4u);
    // The 503 is retried by this client; the dropped connection may be resent by the HTTP client.
    EXPECT_GE(env.client->stats().retries, 1u);
}

TEST_P(OdooOverLoopback, TransientCreateFailureThenRetryMakesNoDuplicate) {
    Env env(GetParam());
    ASSERT_TRUE(env.run(env.client->connect()));
    auto before = env.server.odoo().count("res.partner");
    // The reply is lost after Odoo committed: the client must not resend the create itself.
    env.server.odoo().fail_call(1, FaultSpec{.drop_after_commit = true});
    auto r =
        env.run(env.client->create("res.partner", {Struct{{"name", "Buyer"}, {"ref", "AMZ-42"}}}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::transient);
    // What the engine's retry does: look up by the stable reference first, create only if absent.
    auto found =
        env.run(env.client->search_count("res.partner", Domain{}.where("ref", "=", "AMZ-42")));
    ASSERT_TRUE(found);
    EXPECT_EQ(*found, 1);
    EXPECT_EQ(env.server.odoo().count("res.partner"), before + 1);
    // load by external id is idempotent and retried by the client itself.
    env.server.odoo().fail_call(1, FaultSpec{.drop_after_commit = true});
    auto l = env.run(
        env.client->load("res.partner", {"id", "name"}, {Array{"amazon_sync.buyer_42", "Buyer"}}));
    ASSERT_TRUE(l) << l.error().describe();
    EXPECT_EQ(env.server.odoo().count("res.partner"), before + 2);
}

INSTANTIATE_TEST_SUITE_P(Odoo,
                         OdooOverLoopback,
                         ::testing::Values(Setup{Protocol::json_rpc, 16},
                                           Setup{Protocol::json_rpc, 18},
                                           Setup{Protocol::xml_rpc, 17},
                                           Setup{Protocol::xml_rpc, 18},
                                           Setup{Protocol::json2, 19},
                                           Setup{Protocol::auto_select, 19}),
                         [](const auto& info) {
                             std::string p(to_string(info.param.protocol));
                             p.erase(std::remove(p.begin(), p.end(), '-'), p.end());
                             return p + "_" + std::to_string(info.param.major);
                         });

asio::awaitable<void> count_countries(OdooClient* client, int* ok) {
    auto r = co_await client->search_count("res.country", Domain{});
    if (r) ++*ok;
}

TEST(OdooOverLoopbackLimits, AtMostMaxInFlightCallsAtOnce) {
    Env env({Protocol::json_rpc, 18}, [](OdooOptions& o) { o.max_in_flight = 2; });
    ASSERT_TRUE(env.run(env.client->authenticate()));
    env.server.odoo().set_latency(std::chrono::milliseconds{40});
    int ok = 0;
    for (int i = 0; i < 8; ++i) {
        asio::co_spawn(env.ctx, count_countries(env.client.get(), &ok), asio::detached);
    }
    env.ctx.restart();
    env.ctx.run();
    EXPECT_EQ(ok, 8);
    EXPECT_EQ(env.client->stats().max_in_flight_seen, 2);
}

TEST(OdooOverLoopbackLimits, ATimeoutIsTransient) {
    Env env({Protocol::json_rpc, 18}, [](OdooOptions& o) {
        o.timeout = std::chrono::milliseconds{100};
        o.read_retries = 0;
    });
    ASSERT_TRUE(env.run(env.client->authenticate()));
    env.server.odoo().set_latency(std::chrono::milliseconds{600});
    auto r = env.run(env.client->search_count("res.country", Domain{}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::transient);
}

// Issue #17 point 3: behind its circuit breaker a read counts once, after its retries, and while
// the circuit is open a call answers `unavailable` at once, without the read retries.
TEST(OdooOverLoopbackLimits, AnOpenCircuitAnswersAtOnceWithoutTheReadRetries) {
    using namespace std::chrono_literals;
    Env env({Protocol::json_rpc, 18});
    ManualClock clock;
    net::CircuitBreaker breaker(clock, {.failure_threshold = 2, .open_for = 30s}, "us", "odoo");
    auto guarded = net::make_guarded_client(env.http, breaker);
    FakeOdooOptions f;
    OdooOptions o;
    o.url = env.server.base_url();
    o.database = f.database;
    o.username = f.admin_login;
    o.api_key = Secret(f.admin_api_key);
    o.protocol = Protocol::json_rpc;
    o.retry_delay = 5ms;
    OdooClient client(*guarded, o, clock);
    ASSERT_TRUE(env.run(client.authenticate()));

    env.server.odoo().set_outage(FaultSpec{.http_status = 503});
    auto first = env.run(client.search_count("res.country", Domain{}));
    ASSERT_FALSE(first);
    EXPECT_EQ(first.error().kind, ErrorKind::transient);
    EXPECT_EQ(env.server.odoo().outage_requests(), 3u) << "1 + read_retries tries";
    EXPECT_EQ(breaker.state(), net::BreakerState::closed) << "three failed tries, one failed call";
    ASSERT_FALSE(env.run(client.search_count("res.country", Domain{})));
    EXPECT_EQ(breaker.state(), net::BreakerState::open);

    auto refused = env.run(client.search_count("res.country", Domain{}));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(refused.error().retry_after, std::optional<std::chrono::seconds>(30s));
    EXPECT_EQ(env.server.odoo().outage_requests(), 6u) << "nothing sent while open";

    env.server.odoo().set_outage(std::nullopt);
    clock.advance(30s);
    auto back = env.run(client.search_count("res.country", Domain{}));
    ASSERT_TRUE(back) << back.error().describe();
    EXPECT_EQ(breaker.state(), net::BreakerState::closed);
}

TEST(OdooOverLoopbackLimits, Json2On18IsAClearError) {
    Env env({Protocol::json2, 18});
    auto r = env.run(env.client->search_count("res.country", Domain{}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::permanent);
    EXPECT_NE(r.error().message.find("JSON-2 needs Odoo 19"), std::string::npos)
        << r.error().message;
}

}  // namespace
}  // namespace clarity::odoo
