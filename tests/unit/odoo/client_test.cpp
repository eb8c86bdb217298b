// The Odoo client against the fake Odoo in-process (no socket): every call over each transport
// and version, auth, version awareness, wizards, None returns, retries, caches.
// The same calls over a real loopback socket are in tests/integration/odoo.
#include "clarity/odoo/client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <future>

#include "odoo/fake_odoo.hpp"
#include "odoo/in_process_client.hpp"
#include "run_awaitable.hpp"

namespace clarity::odoo {
namespace {

using fakes::odoo::FakeOdoo;
using fakes::odoo::FakeOdooOptions;
using fakes::odoo::FaultSpec;
using fakes::odoo::InProcessHttpClient;

struct Setup {
    Protocol protocol;
    int major;
};

std::string name_of(const ::testing::TestParamInfo<Setup>& info) {
    std::string p(to_string(info.param.protocol));
    p.erase(std::remove(p.begin(), p.end(), '-'), p.end());
    return p + "_" + std::to_string(info.param.major);
}

OdooOptions options_for(Protocol p, const FakeOdooOptions& f) {
    OdooOptions o;
    o.url = "http://127.0.0.1:8069";
    o.database = f.database;
    o.username = f.admin_login;
    o.api_key = Secret(f.admin_api_key);
    o.protocol = p;
    o.retry_delay = std::chrono::milliseconds{1};
    return o;
}

struct Env {
    explicit Env(Setup s, std::function<void(OdooOptions&)> tweak = {})
        : odoo(FakeOdooOptions{.major = s.major}), http(odoo) {
        OdooOptions o = options_for(s.protocol, FakeOdooOptions{});
        if (tweak) tweak(o);
        client = std::make_unique<OdooClient>(http, o, clock);
    }
    template <class T>
    T run(boost::asio::awaitable<T> aw) {
        return test::run_awaitable(ctx, std::move(aw));
    }
    boost::asio::io_context ctx;
    FakeOdoo odoo;
    InProcessHttpClient http;
    ManualClock clock;
    std::unique_ptr<OdooClient> client;
};

class OdooClientEveryTransport : public ::testing::TestWithParam<Setup> {};

TEST_P(OdooClientEveryTransport, VersionAndAuthenticateCacheTheUid) {
    Env env(GetParam());
    auto v = env.run(env.client->version());
    ASSERT_TRUE(v) << v.error().describe();
    EXPECT_EQ(v->major, GetParam().major);
    auto uid = env.run(env.client->authenticate());
    ASSERT_TRUE(uid) << uid.error().describe();
    EXPECT_EQ(*uid, 2);
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(env.run(env.client->search_count("res.country", Domain{})));
    }
    std::size_t auth_calls = 0;
    for (const auto& c : env.odoo.calls()) auth_calls += c.method == "authenticate";
    EXPECT_LE(auth_calls, 1u);
}

TEST_P(OdooClientEveryTransport, SearchReadWithDomainsReadAndCount) {
    Env env(GetParam());
    auto rows = env.run(env.client->search_read(
        "res.country.state", Domain{}.where("code", "=", "CA").where("country_id.code", "=", "US"),
        {.fields = {"name", "code", "country_id"}}));
    ASSERT_TRUE(rows) << rows.error().describe();
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0]["name"], Value("California"));
    EXPECT_EQ((*rows)[0]["country_id"], Value(Array{233, "United States"}));  // m2o as [id, name]

    auto some =
        env.run(env.client->search_read("res.country",
                                        Domain{{"|", Domain::leaf("code", "in", Array{"DE", "GB"}),
                                                Domain::leaf("name", "ilike", "united s")}},
                                        {.fields = {"code"}, .order = "code asc"}));
    ASSERT_TRUE(some);
    ASSERT_EQ(some->size(), 3u);
    EXPECT_EQ((*some)[0]["code"], Value("DE"));
    EXPECT_EQ((*some)[2]["code"], Value("US"));

    auto n = env.run(
        env.client->search_count("res.country", Domain{{"!", Domain::leaf("code", "=", "US")}}));
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 3);

    // read drops missing ids silently (NOTES.md §1).
    auto read = env.run(env.client->read("res.country", {233, 999999}, {"code"}));
    ASSERT_TRUE(read);
    ASSERT_EQ(read->size(), 1u);
    EXPECT_EQ((*read)[0]["code"], Value("US"));
}

TEST_P(OdooClientEveryTransport, CreateManyWriteAndFieldsGet) {
    Env env(GetParam());
    std::vector<Struct> partners;
    for (int i = 0; i < 5; ++i) partners.push_back(Struct{{"name", "Buyer " + std::to_string(i)}});
    auto ids = env.run(env.client->create("res.partner", partners, env.client->write_context()));
    ASSERT_TRUE(ids) << ids.error().describe();
    ASSERT_EQ(ids->size(), 5u);
    EXPECT_EQ(env.odoo.call_count("create", "res.partner"), 1u);  // one call for all five
    auto w = env.run(env.client->write("res.partner", *ids, Struct{{"city", "Berlin"}}));
    ASSERT_TRUE(w) << w.error().describe();
    auto berlin =
        env.run(env.client->search_count("res.partner", Domain{}.where("city", "=", "Berlin")));
    EXPECT_EQ(*berlin, 5);
    auto fields = env.run(env.client->fields_get("sale.order.line"));
    ASSERT_TRUE(fields);
    bool v19 = GetParam().major >= 19;
    EXPECT_EQ(fields->has("tax_ids"), v19);
    EXPECT_EQ(fields->has("tax_id"), !v19);
    // The write context reached the server.
    auto calls = env.odoo.calls();
    auto create = std::find_if(calls.begin(), calls.end(),
                               [](const auto& c) { return c.method == "create"; });
    ASSERT_NE(create, calls.end());
    EXPECT_EQ(create->kwargs["context"]["tracking_disable"], Value(true));
}

TEST_P(OdooClientEveryTransport, LoadUpsertsByExternalId) {
    Env env(GetParam());
    auto first = env.run(env.client->load("res.partner", {"id", "name"},
                                          {Array{"amazon_sync.buyer_abc", "Buyer ABC"}}));
    ASSERT_TRUE(first) << first.error().describe();
    ASSERT_TRUE(first->ok());
    auto again = env.run(env.client->load("res.partner", {"id", "name"},
                                          {Array{"amazon_sync.buyer_abc", "Buyer ABC v2"}}));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->ids, first->ids);  // the same record, updated
    auto rec = env.odoo.record("res.partner", *first->ids[0]);
    EXPECT_EQ((*rec)["name"], Value("Buyer ABC v2"));
    auto ref =
        env.run(env.client->execute_kw("ir.model.data", "check_object_reference", {},
                                       Struct{{"module", "amazon_sync"}, {"xml_id", "buyer_abc"}}));
    ASSERT_TRUE(ref) << ref.error().describe();
    EXPECT_EQ(ref->as_array()->at(1), Value(*first->ids[0]));
    // Row errors come back in messages, not as an exception.
    auto bad =
        env.run(env.client->load("res.partner", {"id", "type"}, {Array{"amazon_sync.x", "bogus"}}));
    ASSERT_TRUE(bad);
    EXPECT_FALSE(bad->ok());
    // Odoo's import message (real 17-19: tests/data/odoo/jsonrpc-*.json, load_bad_selection).
    EXPECT_NE(bad->messages[0].find("Value 'bogus' not found in selection field 'Address Type'"),
              std::string::npos)
        << bad->messages[0];
    // A failed row undoes the whole call, as Odoo's savepoint does: the good row is not kept.
    auto mixed = env.run(env.client->load(
        "res.partner", {"id", "name", "type"},
        {Array{"amazon_sync.good", "Good", "contact"}, Array{"amazon_sync.bad", "Bad", "bogus"}}));
    ASSERT_TRUE(mixed);
    EXPECT_FALSE(mixed->ok());
    EXPECT_TRUE(mixed->ids.empty());
    auto good =
        env.run(env.client->search_count("res.partner", Domain{}.where("name", "=", "Good")));
    ASSERT_TRUE(good);
    EXPECT_EQ(*good, 0);
}

TEST_P(OdooClientEveryTransport, OrderConfirmCancelAndX2manyCommands) {
    Env env(GetParam());
    int major = GetParam().major;
    auto product = env.odoo.create(
        "product.product",
        Struct{{"name", "Widget A"}, {"default_code", "SKU-A"}, {"list_price", 19.99}});
    auto partner = env.odoo.create("res.partner", Struct{{"name", "Amazon Buyer 1"}});
    std::string taxes = field_name(FieldMeaning::sale_line_taxes, major).field;
    Struct line{
        {"product_id", product}, {"product_uom_qty", 2.0}, {taxes, Array{Array{6, 0, Array{1}}}}};
    auto so = env.run(
        env.client->create("sale.order", {Struct{{"partner_id", partner},
                                                 {"client_order_ref", "113-1234567-1234567"},
                                                 {"order_line", Array{Array{0, 0, line}}}}}));
    ASSERT_TRUE(so) << so.error().describe();
    auto lines = env.run(env.client->search_read("sale.order.line",
                                                 Domain{}.where("order_id", "=", (*so)[0]),
                                                 {.fields = {"name", "price_unit", taxes}}));
    ASSERT_TRUE(lines);
    ASSERT_EQ(lines->size(), 1u);
    EXPECT_EQ((*lines)[0]["name"], Value("[SKU-A] Widget A"));  // computed like Odoo
    EXPECT_EQ((*lines)[0][taxes], Value(Array{1}));
    auto line_id = *(*lines)[0]["id"].as_int();
    // (1, id, vals) update, (0, 0, vals) create in one write.
    auto w = env.run(env.client->write(
        "sale.order", *so,
        Struct{{"order_line",
                Array{Array{1, line_id, Struct{{"product_uom_qty", 3.0}}},
                      Array{0, 0, Struct{{"product_id", product}, {"price_unit", 5.0}}}}}}));
    ASSERT_TRUE(w) << w.error().describe();
    EXPECT_EQ(*env.run(env.client->search_count("sale.order.line",
                                                Domain{}.where("order_id", "=", (*so)[0]))),
              2);

    auto confirm = env.run(env.client->call_action("sale.order", "action_confirm", *so));
    ASSERT_TRUE(confirm) << confirm.error().describe();
    EXPECT_FALSE(confirm->needs_wizard());
    auto again = env.run(env.client->call_action("sale.order", "action_confirm", *so));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, ErrorKind::permanent);
    EXPECT_NE(again.error().message.find("Some orders are not in a state requiring confirmation."),
              std::string::npos);
    // 16–18: a confirmed order's action_cancel answers with the sale.order.cancel wizard and
    // cancels nothing unless the context disables the warning; 19 cancels directly.
    auto ask = env.run(env.client->call_action("sale.order", "action_cancel", *so));
    ASSERT_TRUE(ask) << ask.error().describe();
    if (GetParam().major <= 18) {
        ASSERT_TRUE(ask->needs_wizard());
        EXPECT_EQ(ask->wizard->res_model, "sale.order.cancel");
        EXPECT_EQ((*env.odoo.record("sale.order", (*so)[0]))["state"], Value("sale"));
        auto cancel = env.run(env.client->call_action("sale.order", "action_cancel", *so,
                                                      Struct{{"disable_cancel_warning", true}}));
        ASSERT_TRUE(cancel) << cancel.error().describe();
        EXPECT_FALSE(cancel->needs_wizard());
    } else {
        EXPECT_FALSE(ask->needs_wizard());
    }
    EXPECT_EQ((*env.odoo.record("sale.order", (*so)[0]))["state"], Value("cancel"));
}

TEST_P(OdooClientEveryTransport, ButtonValidateReturnsWizardsUnlessContextSkipsThem) {
    Env env(GetParam());
    int major = GetParam().major;
    auto product =
        env.odoo.create("product.product", Struct{{"name", "Widget"}, {"default_code", "W"}});
    auto partner = env.odoo.create("res.partner", Struct{{"name", "Buyer"}});
    auto so = env.odoo.create(
        "sale.order",
        Struct{{"partner_id", partner},
               {"order_line",
                Array{Array{0, 0, Struct{{"product_id", product}, {"product_uom_qty", 3.0}}}}}});
    ASSERT_TRUE(env.run(env.client->call_action("sale.order", "action_confirm", {so})));
    auto pickings = env.run(env.client->search_read(
        "stock.picking", Domain{}.where("sale_id", "=", so), {.fields = {"move_ids", "state"}}));
    ASSERT_TRUE(pickings);
    ASSERT_EQ(pickings->size(), 1u);
    auto pick = *(*pickings)[0]["id"].as_int();
    auto move = (*(*pickings)[0]["move_ids"].as_ids())[0];

    auto sms = env.run(env.client->call_action("stock.picking", "button_validate", {pick}));
    ASSERT_TRUE(sms) << sms.error().describe();
    ASSERT_TRUE(sms->needs_wizard());
    EXPECT_EQ(sms->wizard->res_model, "confirm.stock.sms");

    // Ship 2 of 3: the backorder wizard, unless told not to back-order (NOTES.md §4).
    std::string done = field_name(FieldMeaning::move_done_quantity, major).field;
    Struct qty{{done, 2.0}};
    if (major >= 17) qty.emplace("picked", true);
    ASSERT_TRUE(env.run(env.client->write("stock.move", {move}, qty)));
    auto backorder = env.run(env.client->call_action("stock.picking", "button_validate", {pick},
                                                     Struct{{"skip_sms", true}}));
    ASSERT_TRUE(backorder);
    ASSERT_TRUE(backorder->needs_wizard());
    EXPECT_EQ(backorder->wizard->res_model, "stock.backorder.confirmation");
    auto ok =
        env.run(env.client->call_action("stock.picking", "button_validate", {pick},
                                        Struct{{"skip_sms", true},
                                               {"skip_backorder", true},
                                               {"picking_ids_not_to_backorder", Array{pick}}}));
    ASSERT_TRUE(ok) << ok.error().describe();
    EXPECT_FALSE(ok->needs_wizard());
    EXPECT_EQ((*env.odoo.record("stock.picking", pick))["state"], Value("done"));
    EXPECT_EQ(env.odoo.count("stock.picking"), 1u);  // no backorder
}

TEST_P(OdooClientEveryTransport, MethodsReturningNothingSucceed) {
    Env env(GetParam());
    auto product = env.odoo.create("product.product", Struct{{"name", "Widget"}});
    Struct ctx{{"inventory_mode", true}};
    auto quant = env.run(env.client->create(
        "stock.quant",
        {Struct{{"product_id", product}, {"location_id", 8}, {"inventory_quantity", 25.0}}}, ctx));
    ASSERT_TRUE(quant) << quant.error().describe();
    // JSON-RPC: no result key; XML-RPC: "cannot marshal None" fault after commit; JSON-2: null.
    auto applied =
        env.run(env.client->call_action("stock.quant", "action_apply_inventory", *quant));
    ASSERT_TRUE(applied) << applied.error().describe();
    EXPECT_TRUE(applied->raw.is_nil());
    EXPECT_EQ((*env.odoo.record("stock.quant", (*quant)[0]))["quantity"], Value(25.0));
    auto stock = env.run(env.client->read("product.product", {product}, {"qty_available"}));
    EXPECT_EQ((*stock)[0]["qty_available"], Value(25.0));
}

TEST_P(OdooClientEveryTransport, AccountingConstraintsAndPayments) {
    Env env(GetParam());
    int major = GetParam().major;
    auto unbalanced = env.run(env.client->create(
        "account.move",
        {Struct{{"journal_id", 3},
                {"line_ids", Array{Array{0, 0, Struct{{"account_id", 5}, {"debit", 100.0}}},
                                   Array{0, 0, Struct{{"account_id", 20}, {"credit", 90.0}}}}}}}));
    ASSERT_FALSE(unbalanced);
    EXPECT_EQ(unbalanced.error().kind, ErrorKind::permanent);
    EXPECT_NE(unbalanced.error().message.find("The entry is not balanced."), std::string::npos);
    EXPECT_EQ(env.odoo.count("account.move"), 0u);  // rolled back, lines too
    EXPECT_EQ(env.odoo.count("account.move.line"), 0u);

    auto move = env.run(env.client->create(
        "account.move",
        {Struct{{"journal_id", 3},
                {"ref", "AMZ-SETTLEMENT-1"},
                {"line_ids", Array{Array{0, 0, Struct{{"account_id", 5}, {"debit", 100.0}}},
                                   Array{0, 0, Struct{{"account_id", 20}, {"credit", 100.0}}}}}}}));
    ASSERT_TRUE(move) << move.error().describe();
    auto post = env.run(env.client->call_action("account.move", "action_post", *move));
    ASSERT_TRUE(post);
    EXPECT_EQ(post->raw, Value(false));

    std::string memo = field_name(FieldMeaning::payment_memo, major).field;
    auto pay = env.run(env.client->create("account.payment", {Struct{{"payment_type", "inbound"},
                                                                     {"partner_type", "customer"},
                                                                     {"amount", 90.0},
                                                                     {"journal_id", 6},
                                                                     {memo, "AMZ-1"}}}));
    ASSERT_TRUE(pay) << pay.error().describe();
    ASSERT_TRUE(env.run(env.client->call_action("account.payment", "action_post", *pay)));
    auto state = (*env.odoo.record("account.payment", (*pay)[0]))["state"].as_string();
    EXPECT_EQ(parse_payment_state(*state, major), PaymentState::posted);
}

TEST_P(OdooClientEveryTransport, ConstraintErrorsKeepOdoosMessage) {
    Env env(GetParam());
    env.odoo.create("product.product", Struct{{"name", "A"}, {"barcode", "0123456771401"}});
    auto dup = env.run(env.client->create("product.product",
                                          {Struct{{"name", "B"}, {"barcode", "0123456771401"}}}));
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().kind, ErrorKind::permanent);
    EXPECT_NE(dup.error().message.find("Barcode(s) already assigned"), std::string::npos);

    Struct xmlid{
        {"module", "amazon_sync"}, {"name", "order_1"}, {"model", "sale.order"}, {"res_id", 1}};
    ASSERT_TRUE(env.run(env.client->create("ir.model.data", {xmlid})));
    auto again = env.run(env.client->create("ir.model.data", {xmlid}));
    ASSERT_FALSE(again);
    // JSON-RPC/JSON-2 name the ValidationError, whose unique-index message means "exists already";
    // XML-RPC only says fault 2.
    EXPECT_EQ(again.error().kind, GetParam().protocol == Protocol::xml_rpc ? ErrorKind::permanent
                                                                           : ErrorKind::conflict);

    auto missing = env.run(env.client->create("res.country.state", {Struct{{"name", "X"}}}));
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("The operation cannot be completed"), std::string::npos);

    auto bad_field = env.run(env.client->create("res.partner", {Struct{{"no_such_field", 1}}}));
    ASSERT_FALSE(bad_field);
    EXPECT_NE(bad_field.error().message.find("Invalid field 'no_such_field'"), std::string::npos);

    auto write_missing = env.run(env.client->write("res.partner", {999999}, Struct{{"name", "x"}}));
    ASSERT_FALSE(write_missing);
    EXPECT_NE(write_missing.error().message.find("Record does not exist or has been deleted."),
              std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Odoo,
                         OdooClientEveryTransport,
                         ::testing::Values(Setup{Protocol::json_rpc, 16},
                                           Setup{Protocol::json_rpc, 17},
                                           Setup{Protocol::json_rpc, 18},
                                           Setup{Protocol::json_rpc, 19},
                                           Setup{Protocol::xml_rpc, 16},
                                           Setup{Protocol::xml_rpc, 18},
                                           Setup{Protocol::xml_rpc, 19},
                                           Setup{Protocol::json2, 19}),
                         name_of);

TEST(OdooClient, AutoPicksJson2On19AndJsonRpcBefore) {
    for (auto [major, expected] :
         {std::pair{16, Protocol::json_rpc}, std::pair{18, Protocol::json_rpc},
          std::pair{19, Protocol::json2}}) {
        Env env({Protocol::auto_select, major});
        auto v = env.run(env.client->version());
        ASSERT_TRUE(v);
        EXPECT_EQ(env.client->protocol(), expected) << major;
        ASSERT_TRUE(env.run(env.client->search_count("res.country", Domain{})));
        auto calls = env.odoo.calls();
        EXPECT_EQ(calls.back().transport, expected == Protocol::json2 ? "json2" : "jsonrpc");
    }
}

TEST(OdooClient, AutoWithOnlyAPasswordStaysOnJsonRpcOn19) {
    Env env({Protocol::auto_select, 19}, [](OdooOptions& o) {
        o.api_key = Secret();
        o.password = Secret("admin");
    });
    ASSERT_TRUE(env.run(env.client->version()));
    EXPECT_EQ(env.client->protocol(), Protocol::json_rpc);
}

TEST(OdooClient, WrongCredentialsAreAnAuthErrorNotRetried) {
    for (Protocol p : {Protocol::json_rpc, Protocol::xml_rpc, Protocol::json2}) {
        Env env({p, 19}, [](OdooOptions& o) {
            o.api_key = Secret("ffffffffffffffffffffffffffffffffffffffff");
        });
        auto r = env.run(env.client->search_count("res.country", Domain{}));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().kind, ErrorKind::auth) << to_string(p);
        EXPECT_EQ(r.error().message.find("ffffffff"), std::string::npos) << "no secret in messages";
        std::size_t sent = env.http.requests();
        // Within the cooldown, calls fail at once without asking Odoo again.
        auto again = env.run(env.client->search_count("res.country", Domain{}));
        ASSERT_FALSE(again);
        EXPECT_EQ(again.error().kind, ErrorKind::auth);
        EXPECT_EQ(env.http.requests(), sent);
        env.clock.advance(std::chrono::minutes{2});
        ASSERT_FALSE(env.run(env.client->search_count("res.country", Domain{})));
        EXPECT_GT(env.http.requests(), sent);
    }
}

TEST(OdooClient, RevokedKeyDuringUseIsAnAuthError) {
    Env env({Protocol::json_rpc, 18});
    ASSERT_TRUE(env.run(env.client->search_count("res.country", Domain{})));
    env.odoo.revoke_api_key(FakeOdooOptions{}.admin_api_key);
    auto r = env.run(env.client->search_count("res.country", Domain{}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::auth);
}

TEST(OdooClient, ConnectReadsFieldsAndResolvesMeaningsPerVersion) {
    for (int major : {16, 17, 18, 19}) {
        Env env({Protocol::auto_select, major});
        auto s =
            env.run(env.client->connect({FieldName{"stock.picking", "carrier_tracking_ref"}},
                                        {FieldMeaning::sale_line_taxes, FieldMeaning::sale_line_uom,
                                         FieldMeaning::product_storable, FieldMeaning::payment_memo,
                                         FieldMeaning::move_done_quantity}));
        ASSERT_TRUE(s) << major << ": " << s.error().describe();
        EXPECT_EQ(s->version.major, major);
        EXPECT_EQ(s->resolve(FieldMeaning::sale_line_taxes)->field,
                  major >= 19 ? "tax_ids" : "tax_id");
        EXPECT_EQ(s->resolve(FieldMeaning::product_storable)->field,
                  major >= 18 ? "is_storable" : "detailed_type");
        EXPECT_EQ(s->resolve(FieldMeaning::payment_memo)->field, major >= 18 ? "memo" : "ref");
    }
}

TEST(OdooClient, ConnectFailsClearlyWhenAFieldIsMissing) {
    Env env({Protocol::json_rpc, 18});
    auto s = env.run(env.client->connect({FieldName{"sale.order", "x_studio_loyalty_tier"}}));
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().kind, ErrorKind::permanent);
    EXPECT_NE(s.error().message.find("'sale.order'"), std::string::npos);
    EXPECT_NE(s.error().message.find("'x_studio_loyalty_tier'"), std::string::npos);
}

TEST(OdooClient, TransientReadFailureIsRetried) {
    Env env({Protocol::json_rpc, 18});
    ASSERT_TRUE(env.run(env.client->authenticate()));
    env.odoo.fail_call(1,
                       FaultSpec{.exception = "psycopg2.errors.SerializationFailure",
                                 .message = "could not serialize access due to concurrent update"});
    auto r = env.run(env.client->search_read("res.country", Domain{}, {.fields = {"code"}}));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(env.client->stats().retries, 1u);
}

TEST(OdooClient, CreateIsNotResentAfterADroppedReplySoNoDuplicate) {
    Env env({Protocol::json_rpc, 18});
    ASSERT_TRUE(env.run(env.client->authenticate()));
    env.odoo.fail_call(1, FaultSpec{.drop_after_commit = true});
    auto r =
        env.run(env.client->create("res.partner", {Struct{{"name", "Once"}, {"ref", "AMZ-1"}}}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::transient);
    // The job is retried by the engine: it looks the entity up first and finds it.
    auto found = env.run(env.client->search_read("res.partner", Domain{}.where("ref", "=", "AMZ-1"),
                                                 {.fields = {"id"}}));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->size(), 1u);
    EXPECT_EQ(env.odoo.call_count("create", "res.partner"), 1u);
}

TEST(OdooClient, LoadByExternalIdIsRetriedWithoutDuplicate) {
    Env env({Protocol::json_rpc, 18});
    ASSERT_TRUE(env.run(env.client->authenticate()));
    env.odoo.fail_call(1, FaultSpec{.drop_after_commit = true});
    auto r =
        env.run(env.client->load("res.partner", {"id", "name"}, {Array{"amazon_sync.b1", "B1"}}));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(env.odoo.call_count("load"), 2u);  // sent twice ...
    auto n = env.run(env.client->search_count("res.partner", Domain{}.where("name", "=", "B1")));
    EXPECT_EQ(*n, 1);  // ... one record
}

TEST(OdooClient, StableDataIsCachedUntilExpiry) {
    Env env({Protocol::json_rpc, 18});
    auto q = [&] {
        return env.run(env.client->search_read_cached(
            "res.country", Domain{}.where("code", "=", "US"), {.fields = {"id"}}));
    };
    ASSERT_TRUE(q());
    ASSERT_TRUE(q());
    EXPECT_EQ(env.odoo.call_count("search_read", "res.country"), 1u);
    EXPECT_EQ(env.client->stats().cache_hits, 1u);
    env.clock.advance(std::chrono::hours{2});
    ASSERT_TRUE(q());
    EXPECT_EQ(env.odoo.call_count("search_read", "res.country"), 2u);
}

TEST(OdooClient, StableDataAskedByManyAtOnceIsReadOnce) {
    // Many jobs starting together (a backlog) ask for the same country: one call, one answer
    // for all of them, not one call each.
    Env env({Protocol::json_rpc, 18});
    ASSERT_TRUE(env.run(env.client->authenticate()));
    std::vector<std::future<Result<std::vector<Value>>>> answers;
    for (int i = 0; i < 8; ++i) {
        answers.push_back(boost::asio::co_spawn(
            env.ctx,
            env.client->search_read_cached("res.country", Domain{}.where("code", "=", "US"),
                                           {.fields = {"id"}}),
            boost::asio::use_future));
    }
    env.ctx.restart();
    env.ctx.run();
    for (auto& a : answers) {
        auto rows = a.get();
        ASSERT_TRUE(rows) << rows.error().describe();
        ASSERT_EQ(rows->size(), 1u);
        EXPECT_EQ((*rows)[0]["id"].as_int(), 233);
    }
    EXPECT_EQ(env.odoo.call_count("search_read", "res.country"), 1u);
    EXPECT_EQ(env.client->stats().cache_hits, 7u);
}

TEST(OdooClient, ProductsBySkuInOneCallThenFromCache) {
    Env env({Protocol::json_rpc, 18});
    for (int i = 0; i < 10; ++i) {
        env.odoo.create("product.product", Struct{{"name", "P" + std::to_string(i)},
                                                  {"default_code", "SKU-" + std::to_string(i)}});
    }
    auto r = env.run(
        env.client->products_by("default_code", {"SKU-1", "SKU-2", "SKU-9", "NOPE"}, {"id"}));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->size(), 3u);
    EXPECT_EQ(r->count("NOPE"), 0u);
    EXPECT_EQ(env.odoo.call_count("search_read", "product.product"), 1u);
    auto cached = env.run(env.client->products_by("default_code", {"SKU-1", "SKU-2"}, {"id"}));
    ASSERT_TRUE(cached);
    EXPECT_EQ(cached->size(), 2u);
    EXPECT_EQ(env.odoo.call_count("search_read", "product.product"), 1u);
}

TEST(OdooClient, ExecuteKwPassesArgsAndKwargs) {
    Env rpc({Protocol::json_rpc, 18});
    auto r = rpc.client->execute_kw("res.country", "search_read",
                                    Array{Array{Domain::leaf("code", "=", "DE")}},
                                    Struct{{"fields", Array{"name"}}});
    auto rows = rpc.run(std::move(r));
    ASSERT_TRUE(rows) << rows.error().describe();
    EXPECT_EQ((*rows->as_array())[0]["name"], Value("Germany"));

    Env j2({Protocol::json2, 19});
    auto positional = j2.run(j2.client->execute_kw("res.country", "search_read", Array{Array{}}));
    ASSERT_FALSE(positional);
    EXPECT_NE(positional.error().message.find("named arguments"), std::string::npos);
    auto named = j2.run(
        j2.client->execute_kw("res.country", "search_count", {}, Struct{{"domain", Array{}}}));
    ASSERT_TRUE(named) << named.error().describe();
    EXPECT_EQ(*named, Value(4));
}

TEST(OdooClient, Json2SendsNamedArgumentsAndTheDatabaseHeader) {
    Env env({Protocol::json2, 19});
    ASSERT_TRUE(env.run(env.client->write("res.partner", {3}, Struct{{"city", "Paris"}})));
    auto calls = env.odoo.calls();
    ASSERT_FALSE(calls.empty());
    const auto& c = calls.back();
    EXPECT_EQ(c.transport, "json2");
    EXPECT_EQ(c.ids, (std::vector<std::int64_t>{3}));
    EXPECT_EQ(Value(c.kwargs)["vals"], Value(Struct{{"city", "Paris"}}));
}

TEST(OdooClient, AccessErrorIsPermanent) {
    for (Protocol p : {Protocol::json_rpc, Protocol::xml_rpc, Protocol::json2}) {
        Env env({p, 19}, [](OdooOptions& o) {
            o.username = "limited";
            o.api_key = Secret("1111111111111111111111111111111111111111");
        });
        auto uid = env.odoo.add_user("limited", "pw", {"account.move"});
        env.odoo.add_api_key(uid, "1111111111111111111111111111111111111111");
        auto r = env.run(env.client->create("account.move", {Struct{{"journal_id", 3}}}));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().kind, ErrorKind::permanent) << to_string(p);
        EXPECT_NE(r.error().message.find("You are not allowed to create 'Journal Entry'"),
                  std::string::npos)
            << r.error().message;
    }
}

}  // namespace
}  // namespace clarity::odoo
