// The Odoo contract: every Odoo behaviour the flows rely on, stated once and checked through the
// product's own client on every transport — against the fake Odoo 16-19 in `make test`, and
// against a real server with `make test-odoo` (contract_env.hpp). A test that fails on a real
// server and passes on the fake is a difference of the fake (fix it, or docs/odoo.md lists it).
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <regex>

#include "clarity/odoo/schema.hpp"
#include "contract_env.hpp"

namespace clarity::contract {
namespace {

using odoo::Call;
using odoo::Domain;
using odoo::FieldMeaning;

/// The exception a failure names, per transport: JSON-RPC's error.data.name, JSON-2's body name
/// (werkzeug's NotFound where JSON-RPC names the Python exception), and on XML-RPC fault 2 for
/// UserError and its subclasses ValidationError and MissingError.
struct Expected {
    ErrorKind kind;
    std::string rpc;    ///< JSON-RPC (and XML-RPC, except the fault 2 family)
    std::string json2;  ///< JSON-2; empty = as JSON-RPC
};

std::string reported(const Expected& e, Protocol p) {
    if (p == Protocol::json2 && !e.json2.empty()) return e.json2;
    if (p == Protocol::xml_rpc &&
        (e.rpc == "ValidationError" || e.rpc == "MissingError" || e.rpc == "UserError")) {
        return "UserError";
    }
    return e.rpc;
}

template <class T>
::testing::AssertionResult fails_as(const Result<T>& r, const Expected& e, Protocol p) {
    if (r) return ::testing::AssertionFailure() << "succeeded; expected " << e.rpc;
    const Error& err = r.error();
    std::string name = reported(e, p);
    if (err.kind != e.kind) {
        return ::testing::AssertionFailure() << "kind " << to_string(err.kind) << ", expected "
                                             << to_string(e.kind) << ": " << err.describe();
    }
    if (err.message.rfind(name + ": ", 0) != 0) {
        return ::testing::AssertionFailure() << "expected '" << name << ": …': " << err.describe();
    }
    if (err.context.empty()) {
        return ::testing::AssertionFailure() << "no context (model.method): " << err.describe();
    }
    return ::testing::AssertionSuccess();
}

class OdooContract : public ::testing::TestWithParam<Target> {
  protected:
    void SetUp() override { s = std::make_unique<Session>(GetParam()); }
    void TearDown() override {
        auto left = s->cleanup();
        if (s->live()) {
            for (const auto& l : left) std::cerr << "  left in Odoo: " << l << "\n";
        }
    }

    odoo::OdooClient& c() { return s->client(); }
    Protocol protocol() const { return GetParam().protocol; }
    int major() const { return s->major(); }

    /// One record's fields as read.
    Value read1(const std::string& model, std::int64_t id, std::vector<std::string> fields) {
        auto r = s->run(c().read(model, {id}, std::move(fields)));
        if (!r) throw std::runtime_error(r.error().describe());
        if (r->size() != 1) throw std::runtime_error(model + " " + std::to_string(id) + " gone");
        return (*r)[0];
    }
    Result<Value> call(std::string model,
                       std::string method,
                       std::optional<std::vector<std::int64_t>> ids,
                       std::vector<std::pair<std::string, Value>> params,
                       Struct kwargs = {}) {
        Call call{.model = std::move(model), .method = std::move(method), .ids = std::move(ids)};
        call.params = std::move(params);
        call.kwargs = std::move(kwargs);
        return s->run(c().call(std::move(call)));
    }
    /// Confirmed order of `qty` units of a new product, and its delivery.
    std::pair<std::int64_t, std::int64_t> confirmed_order(double qty) {
        auto product = s->product("goods");
        auto partner = s->partner("buyer");
        auto so = s->sale_order(partner, {{product, qty}});
        auto confirmed = s->run(c().call_action("sale.order", "action_confirm", {so}));
        if (!confirmed) throw std::runtime_error(confirmed.error().describe());
        auto picks = read1("sale.order", so, {"picking_ids"})["picking_ids"].as_ids();
        if (!picks || picks->size() != 1) throw std::runtime_error("no single delivery");
        return {so, picks->front()};
    }
    /// Sets the done quantity of every move of `pick` as the order import does: one picking
    /// write with move commands (16: quantity_done; 17+: quantity and picked).
    void set_done(std::int64_t pick, double qty) {
        auto moves = s->run(c().search_read("stock.move", Domain{}.where("picking_id", "=", pick),
                                            {.fields = {"id", "product_uom_qty"}}));
        ASSERT_TRUE(moves) << moves.error().describe();
        Array commands;
        for (const auto& m : *moves) {
            Struct vals{{major() <= 16 ? "quantity_done" : "quantity", qty}};
            if (major() >= 17) vals.insert_or_assign("picked", qty > 0);
            commands.push_back(Array{1, m["id"], std::move(vals)});
        }
        ASSERT_TRUE(
            s->run(c().write("stock.picking", {pick}, Struct{{"move_ids", std::move(commands)}},
                             c().write_context())));
    }

    std::unique_ptr<Session> s;
};

// ---- connection and version ---------------------------------------------------------------

TEST_P(OdooContract, ConnectReadsTheVersionAndResolvesTheFieldsThatDifferByVersion) {
    auto schema = s->run(c().connect(
        {{"sale.order", "client_order_ref"}, {"stock.picking", "carrier_tracking_ref"}},
        {FieldMeaning::sale_line_taxes, FieldMeaning::sale_line_uom,
         FieldMeaning::move_done_quantity, FieldMeaning::product_kind},
        {"sale.order", "sale.order.line", "stock.move", "product.template", "stock.picking"}));
    ASSERT_TRUE(schema) << schema.error().describe();
    EXPECT_EQ(schema->version.major, major());
    EXPECT_EQ(c().protocol(), protocol());
    EXPECT_EQ(schema->resolve(FieldMeaning::sale_line_taxes)->field,
              major() >= 19 ? "tax_ids" : "tax_id");
    EXPECT_EQ(schema->resolve(FieldMeaning::sale_line_uom)->field,
              major() >= 19 ? "product_uom_id" : "product_uom");
    EXPECT_EQ(schema->resolve(FieldMeaning::move_done_quantity)->field,
              major() >= 17 ? "quantity" : "quantity_done");
    EXPECT_EQ(schema->resolve(FieldMeaning::product_kind)->field,
              major() >= 18 ? "type" : "detailed_type");
    auto uid = s->run(c().authenticate());
    ASSERT_TRUE(uid) << uid.error().describe();
    EXPECT_GT(*uid, 0);
}

TEST_P(OdooContract, AWrongApiKeyIsAnAuthError) {
    auto wrong = s->client_with_key("0000000000000000000000000000000000000000");
    auto r = s->run(wrong->connect());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::auth) << r.error().describe();
}

// ---- create, search, read, write, unlink: result shapes -------------------------------------

TEST_P(OdooContract, CreateSearchReadWriteUnlinkAnswerInOdoosShapes) {
    auto ids = s->create("res.partner", {Struct{{"name", s->name("a")}, {"email", "a@example.com"}},
                                         Struct{{"name", s->name("b")}}});
    ASSERT_EQ(ids.size(), 2u);
    EXPECT_LT(ids[0], ids[1]);  // one call, ids in the order of the values

    Value domain = Array{Domain::leaf("id", "in", odoo::ids_array(ids))};
    auto found = call("res.partner", "search", std::nullopt, {{"domain", domain}},
                      Struct{{"order", "id asc"}});
    ASSERT_TRUE(found) << found.error().describe();
    EXPECT_EQ(*found, Value(odoo::ids_array(ids)));  // a list of ints

    auto rows = s->run(c().search_read(
        "res.partner", Domain{}.where("id", "in", odoo::ids_array(ids)),
        {.fields = {"name", "email", "parent_id", "child_ids"}, .order = "id asc"}));
    ASSERT_TRUE(rows) << rows.error().describe();
    ASSERT_EQ(rows->size(), 2u);
    const Value& a = (*rows)[0];
    const Value& b = (*rows)[1];
    EXPECT_EQ(a["id"], Value(ids[0]));
    EXPECT_EQ(a["name"], Value(s->name("a")));
    EXPECT_EQ(a["email"], Value("a@example.com"));
    EXPECT_EQ(b["email"], Value(false));      // an empty char field is false, not null or ""
    EXPECT_EQ(a["parent_id"], Value(false));  // an empty many2one is false
    EXPECT_EQ(a["child_ids"], Value(Array{}));
    for (const char* f : {"id", "name", "email", "parent_id", "child_ids"}) {
        EXPECT_TRUE(a.has(f)) << f;
    }

    ASSERT_TRUE(s->run(c().write("res.partner", {ids[1]}, Struct{{"parent_id", ids[0]}})));
    auto child = read1("res.partner", ids[1], {"parent_id", "display_name"});
    // A many2one reads as [id, display name].
    EXPECT_EQ(child["parent_id"], Value(Array{ids[0], s->name("a")}));
    EXPECT_EQ(child["display_name"], Value(s->name("a") + ", " + s->name("b")));
    EXPECT_EQ(read1("res.partner", ids[0], {"child_ids"})["child_ids"], Value(Array{ids[1]}));

    // read drops ids that do not exist (no error): compare sizes.
    auto gone_id = ids[1] + 100'000'000;
    auto some = s->run(c().read("res.partner", {ids[0], gone_id}, {"name"}));
    ASSERT_TRUE(some) << some.error().describe();
    ASSERT_EQ(some->size(), 1u);
    EXPECT_EQ((*some)[0]["id"], Value(ids[0]));

    auto unlinked = call("res.partner", "unlink", std::vector<std::int64_t>{ids[1]}, {});
    ASSERT_TRUE(unlinked) << unlinked.error().describe();
    EXPECT_EQ(*unlinked, Value(true));
    auto count =
        s->run(c().search_count("res.partner", Domain{}.where("id", "in", odoo::ids_array(ids))));
    ASSERT_TRUE(count) << count.error().describe();
    EXPECT_EQ(*count, 1);
}

TEST_P(OdooContract, NameSearchAnswersIdAndDisplayNamePairs) {
    auto id = s->partner("named");
    auto r = call("res.partner", "name_search", std::nullopt, {{"name", s->name("named")}},
                  Struct{{"limit", 5}});
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(*r, Value(Array{Array{id, s->name("named")}}));
}

TEST_P(OdooContract, FieldsGetDescribesTheSaleOrderFieldsTheFlowsUse) {
    auto f = s->run(c().fields_get("sale.order"));
    ASSERT_TRUE(f) << f.error().describe();
    auto field = [&](const char* name) -> odoo::FieldInfo {
        const auto* info = f->find(name);
        return info ? *info : odoo::FieldInfo{};
    };
    EXPECT_EQ(field("partner_id").type, "many2one");
    EXPECT_EQ(field("partner_id").relation, "res.partner");
    EXPECT_TRUE(field("partner_id").required);
    EXPECT_EQ(field("order_line").type, "one2many");
    EXPECT_EQ(field("order_line").relation, "sale.order.line");
    EXPECT_EQ(field("amount_total").type, "monetary");
    EXPECT_TRUE(field("amount_total").readonly);
    EXPECT_EQ(field("date_order").type, "datetime");
    EXPECT_EQ(field("client_order_ref").type, "char");
    EXPECT_EQ(field("state").type, "selection");
    std::vector<std::string> states;
    for (const auto& [value, label] : field("state").selection) states.push_back(value);
    for (const char* st : {"draft", "sent", "sale", "cancel"}) {
        EXPECT_NE(std::find(states.begin(), states.end(), st), states.end()) << st;
    }
    // 16 has the state `done`; 17+ lock with a separate boolean.
    EXPECT_EQ(std::find(states.begin(), states.end(), "done") != states.end(), major() == 16);
    EXPECT_EQ(f->has("locked"), major() >= 17);
}

// ---- load and web_save ----------------------------------------------------------------------

TEST_P(OdooContract, LoadUpsertsByExternalIdAndByDatabaseId) {
    std::string xid = "clarity_contract." + s->name("x");
    std::replace(xid.begin() + 17, xid.end(), '-', '_');
    auto first = s->run(c().load("res.partner", {"id", "name"}, {Array{xid, s->name("x1")}}));
    ASSERT_TRUE(first) << first.error().describe();
    ASSERT_TRUE(first->ok()) << first->messages.at(0);
    ASSERT_EQ(first->ids.size(), 1u);
    ASSERT_TRUE(first->ids[0]);
    const std::int64_t id = *first->ids[0];
    s->track("res.partner", id);

    // The same external id again updates the same record.
    auto again = s->run(c().load("res.partner", {"id", "name"}, {Array{xid, s->name("x2")}}));
    ASSERT_TRUE(again) << again.error().describe();
    ASSERT_TRUE(again->ok()) << again->messages.at(0);
    EXPECT_EQ(again->ids.at(0), first->ids[0]);
    EXPECT_EQ(read1("res.partner", id, {"name"})["name"], Value(s->name("x2")));

    // `.id` keys a row by database id (the order import writes many dates in one load).
    auto by_id = s->run(c().load("res.partner", {".id", "name"}, {Array{id, s->name("x3")}}));
    ASSERT_TRUE(by_id) << by_id.error().describe();
    ASSERT_TRUE(by_id->ok()) << by_id->messages.at(0);
    EXPECT_EQ(by_id->ids.at(0), first->ids[0]);
    EXPECT_EQ(read1("res.partner", id, {"name"})["name"], Value(s->name("x3")));
}

TEST_P(OdooContract, LoadUpsertsACustomerAndItsDeliveryAddressAsTheOrderImportDoes) {
    // The order import's two loads: the buyer by external id (email may be false), then the
    // delivery address as its child, relations by database id (`field/.id`), empty cells false.
    std::string base = s->name("buyer");
    std::replace(base.begin(), base.end(), '-', '_');
    const std::string buyer_xid = "clarity_contract." + base;
    const std::string ship_xid = "clarity_contract." + base + "_ship";
    auto us = s->run(
        c().search_read("res.country", Domain{}.where("code", "=", "US"), {.fields = {"id"}}));
    ASSERT_TRUE(us && us->size() == 1);
    const Value country = (*us)[0]["id"];

    auto buyer = s->run(c().load("res.partner", {"id", "name", "email"},
                                 {Array{buyer_xid, s->name("buyer"), false}}, c().write_context()));
    ASSERT_TRUE(buyer) << buyer.error().describe();
    ASSERT_TRUE(buyer->ok()) << buyer->messages.at(0);
    ASSERT_TRUE(buyer->ids.at(0));
    const std::int64_t customer = *buyer->ids[0];
    s->track("res.partner", customer);

    std::vector<std::string> fields{"id",     "parent_id/.id",  "type",        "name",
                                    "street", "street2",        "city",        "zip",
                                    "phone",  "country_id/.id", "state_id/.id"};
    Array row{ship_xid,  customer, "delivery", s->name("ship"), "1 Main St", false,
              "Seattle", "98101",  false,      country,         false};
    auto ship = s->run(c().load("res.partner", fields, {row}, c().write_context()));
    ASSERT_TRUE(ship) << ship.error().describe();
    ASSERT_TRUE(ship->ok()) << ship->messages.at(0);
    ASSERT_TRUE(ship->ids.at(0));
    const std::int64_t address = *ship->ids[0];
    s->track("res.partner", address);
    auto got = read1("res.partner", address,
                     {"parent_id", "type", "street", "street2", "zip", "country_id", "state_id"});
    EXPECT_EQ(got["parent_id"].m2o_id(), customer);
    EXPECT_EQ(got["type"], Value("delivery"));
    EXPECT_EQ(got["street"], Value("1 Main St"));
    EXPECT_EQ(got["street2"], Value(false));
    EXPECT_EQ(got["zip"], Value("98101"));
    EXPECT_EQ(got["country_id"].m2o_id(), country.as_int());
    EXPECT_EQ(got["state_id"], Value(false));
    EXPECT_EQ(read1("res.partner", customer, {"email"})["email"], Value(false));

    // The same order again: the same two records.
    auto again = s->run(c().load("res.partner", fields, {row}, c().write_context()));
    ASSERT_TRUE(again) << again.error().describe();
    ASSERT_TRUE(again->ok()) << again->messages.at(0);
    EXPECT_EQ(again->ids.at(0), ship->ids[0]);
}

TEST_P(OdooContract, OneLoadCreatesCustomersAndAddressesThatNameTheirParentByExternalId) {
    // Many orders' partners in one call: each address row names its customer, created by an
    // earlier row of the same load, by external id (`parent_id/id`); Odoo resolves it row by row.
    std::string base = s->name("batch");
    std::replace(base.begin(), base.end(), '-', '_');
    std::vector<std::string> fields{"id", "name", "type", "parent_id/id"};
    std::vector<Array> rows;
    for (const char* n : {"a", "b"}) {
        const std::string buyer = "clarity_contract." + base + "_" + n;
        rows.push_back(Array{buyer, s->name(std::string("buyer-") + n), "contact", false});
        rows.push_back(
            Array{buyer + "_ship", s->name(std::string("ship-") + n), "delivery", buyer});
    }
    auto r = s->run(c().load("res.partner", fields, rows, c().write_context()));
    ASSERT_TRUE(r) << r.error().describe();
    for (const auto& id : r->ids) {
        if (id) s->track("res.partner", *id);
    }
    ASSERT_TRUE(r->ok()) << r->messages.at(0);
    ASSERT_EQ(r->ids.size(), 4u);
    for (std::size_t i = 0; i < 4; i += 2) {
        ASSERT_TRUE(r->ids[i] && r->ids[i + 1]);
        auto address = read1("res.partner", *r->ids[i + 1], {"parent_id", "type"});
        EXPECT_EQ(address["parent_id"].m2o_id(), *r->ids[i]);
        EXPECT_EQ(address["type"], Value("delivery"));
        EXPECT_EQ(read1("res.partner", *r->ids[i], {"parent_id"})["parent_id"], Value(false));
    }
}

TEST_P(OdooContract, LoadRefusesABadRowAndKeepsNoneOfTheBatch) {
    std::string good = s->name("good");
    auto r = s->run(c().load("res.partner", {"name", "type"},
                             {Array{good, "contact"}, Array{s->name("bad"), "no-such-type"}}));
    ASSERT_TRUE(r) << r.error().describe();  // problems are data, not an RPC error
    EXPECT_FALSE(r->ok());
    ASSERT_FALSE(r->messages.empty());
    EXPECT_EQ(r->messages[0].rfind("error: ", 0), 0u) << r->messages[0];
    for (const auto& id : r->ids) {
        EXPECT_FALSE(id.has_value());
        if (id) s->track("res.partner", *id);
    }
    auto kept = s->run(c().search_count("res.partner", Domain{}.where("name", "=", good)));
    ASSERT_TRUE(kept) << kept.error().describe();
    EXPECT_EQ(*kept, 0);
}

TEST_P(OdooContract, WebSaveCreatesOrWritesAndReadsBackInOneCallFrom17) {
    auto created =
        s->run(c().web_save("res.partner", {}, Struct{{"name", s->name("ws")}}, {"name", "email"}));
    if (major() <= 16) {
        EXPECT_TRUE(fails_as(created, {ErrorKind::permanent, "AttributeError"}, protocol()));
        return;
    }
    ASSERT_TRUE(created) << created.error().describe();
    ASSERT_EQ(created->size(), 1u);
    auto id = (*created)[0]["id"].as_int();
    ASSERT_TRUE(id);
    s->track("res.partner", *id);
    EXPECT_EQ((*created)[0]["name"], Value(s->name("ws")));
    EXPECT_EQ((*created)[0]["email"], Value(false));

    auto written =
        s->run(c().web_save("res.partner", {*id}, Struct{{"email", "w@example.com"}}, {"email"}));
    ASSERT_TRUE(written) << written.error().describe();
    ASSERT_EQ(written->size(), 1u);
    EXPECT_EQ((*written)[0]["id"], Value(*id));
    EXPECT_EQ((*written)[0]["email"], Value("w@example.com"));

    // The order import creates orders this way and reads the total from the answer.
    Struct order{{"partner_id", *id},
                 {"client_order_ref", s->name("ws-order")},
                 {"order_line", Array{Array{0, 0,
                                            Struct{{"product_id", s->product("ws-goods", 12.5)},
                                                   {"product_uom_qty", 2.0}}}}}};
    auto so = s->run(c().web_save("sale.order", {}, std::move(order),
                                  {"amount_untaxed", "amount_total", "state"}));
    ASSERT_TRUE(so) << so.error().describe();
    ASSERT_EQ(so->size(), 1u);
    ASSERT_TRUE((*so)[0]["id"].as_int());
    s->track("sale.order", *(*so)[0]["id"].as_int());
    EXPECT_EQ((*so)[0]["amount_untaxed"], Value(25.0));
    EXPECT_TRUE((*so)[0]["amount_total"].is_double()) << (*so)[0]["amount_total"];
    EXPECT_EQ((*so)[0]["state"], Value("draft"));
}

// The order import's confirmation read on 17+: the state and amounts of many orders with each
// line's price_tax in one web_read (16: no web_read). A missing record is left out as read does,
// except next to existing records with an x2many in the specification: then MissingError.
TEST_P(OdooContract, WebReadReadsOrdersAndTheirLinesInOneCallFrom17) {
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 2; ++i) {
        Struct order{
            {"partner_id", s->partner("wr")},
            {"client_order_ref", s->name("wr-order-" + std::to_string(i))},
            {"order_line", Array{Array{0, 0,
                                       Struct{{"product_id", s->product("wr-goods", 12.5)},
                                              {"product_uom_qty", static_cast<double>(i + 1)}}}}}};
        auto created = s->run(c().create("sale.order", {std::move(order)}));
        ASSERT_TRUE(created) << created.error().describe();
        ids.push_back(created->at(0));
        s->track("sale.order", ids.back());
    }
    auto read = s->run(c().web_read(
        "sale.order", ids, {"state", "amount_total", "amount_tax", "order_line/price_tax"}));
    if (major() <= 16) {
        EXPECT_TRUE(fails_as(read, {ErrorKind::permanent, "AttributeError"}, protocol()));
        return;
    }
    ASSERT_TRUE(read) << read.error().describe();
    ASSERT_EQ(read->size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        const Value& row = (*read)[i];
        EXPECT_EQ(row["id"], Value(ids[i]));
        EXPECT_EQ(row["state"], Value("draft"));
        EXPECT_TRUE(row["amount_total"].is_double()) << row;
        const auto* lines = row["order_line"].as_array();
        ASSERT_TRUE(lines != nullptr && lines->size() == 1u) << row;
        EXPECT_TRUE((*lines)[0]["id"].as_int()) << (*lines)[0];
        EXPECT_TRUE((*lines)[0]["price_tax"].is_double()) << (*lines)[0];
    }
    auto gone = s->partner("wr-gone");
    ASSERT_TRUE(call("res.partner", "unlink", std::vector<std::int64_t>{gone}, {}));
    auto alone = s->run(c().web_read("res.partner", {gone}, {"name", "child_ids/name"}));
    ASSERT_TRUE(alone) << alone.error().describe();
    EXPECT_TRUE(alone->empty());
    const auto there = s->partner("wr-there");
    auto plain = s->run(c().web_read("res.partner", {there, gone}, {"name"}));
    ASSERT_TRUE(plain) << plain.error().describe();
    ASSERT_EQ(plain->size(), 1u);
    EXPECT_EQ((*plain)[0]["id"], Value(there));
    auto nested = s->run(c().web_read("res.partner", {there, gone}, {"name", "child_ids/name"}));
    ASSERT_TRUE(fails_as(nested, {ErrorKind::permanent, "MissingError"}, protocol()));
}

// The order import's start-up reads (issue #25): the companies' currency as [id, "CODE"], the
// active pricelists with their currency, the sale taxes with price_include (a field of 16-19;
// 18+ set it through price_include_override but answer it). Then an order whose lines set their
// taxes to an explicit empty set: no product default tax applies, and 17+ answers each line's
// price_tax in the create's web_save ({"order_line": {"fields": {"price_tax": {}}}}).
TEST_P(OdooContract, StartUpReadsAndLinesWithExplicitlyNoTaxesAsTheOrderImportWrites) {
    odoo::SearchOptions so;
    so.fields = {"id", "name", "currency_id", "tax_calculation_rounding_method"};
    auto companies = s->run(c().search_read("res.company", Domain{}, so));
    ASSERT_TRUE(companies) << companies.error().describe();
    ASSERT_FALSE(companies->empty());
    const auto* currency = (*companies)[0]["currency_id"].as_array();
    ASSERT_TRUE(currency != nullptr && currency->size() == 2u) << (*companies)[0]["currency_id"];
    EXPECT_EQ((*currency)[1].as_string().value_or("").size(), 3u) << (*currency)[1];

    so.fields = {"id", "name", "currency_id"};
    auto pricelists = s->run(c().search_read("product.pricelist", Domain{}, so));
    ASSERT_TRUE(pricelists) << pricelists.error().describe();
    for (const auto& p : *pricelists) EXPECT_TRUE(p["currency_id"].as_array()) << p;

    so.fields = {"id", "name", "price_include"};
    auto taxes =
        s->run(c().search_read("account.tax", Domain{}.where("type_tax_use", "=", "sale"), so));
    ASSERT_TRUE(taxes) << taxes.error().describe();
    for (const auto& t : *taxes) EXPECT_TRUE(t["price_include"].is_bool()) << t;

    const std::string tax_field = odoo::field_name(FieldMeaning::sale_line_taxes, major()).field;
    Struct line{{"product_id", s->product("notax-goods", 12.5)}, {"product_uom_qty", 2.0}};
    line.insert_or_assign(tax_field, Array{Array{6, 0, Array{}}});
    Struct order{{"partner_id", s->partner("notax")},
                 {"client_order_ref", s->name("notax-order")},
                 {"order_line", Array{Array{0, 0, std::move(line)}}}};
    std::int64_t id = 0;
    if (major() >= 17) {
        auto saved = s->run(c().web_save("sale.order", {}, std::move(order),
                                         {"amount_total", "amount_tax", "order_line/price_tax"}));
        ASSERT_TRUE(saved) << saved.error().describe();
        ASSERT_EQ(saved->size(), 1u);
        id = (*saved)[0]["id"].as_int().value_or(0);
        s->track("sale.order", id);
        const auto* lines = (*saved)[0]["order_line"].as_array();
        ASSERT_TRUE(lines != nullptr && lines->size() == 1u) << (*saved)[0]["order_line"];
        EXPECT_TRUE((*lines)[0]["id"].as_int()) << (*lines)[0];
        EXPECT_EQ((*lines)[0]["price_tax"].as_double(), 0.0) << (*lines)[0];
        EXPECT_EQ((*saved)[0]["amount_tax"].as_double(), 0.0);
        EXPECT_EQ((*saved)[0]["amount_total"].as_double(), 25.0);
    } else {
        auto created = s->run(c().create("sale.order", {std::move(order)}));
        ASSERT_TRUE(created) << created.error().describe();
        id = created->at(0);
        s->track("sale.order", id);
        auto read = s->run(c().read("sale.order", {id}, {"amount_total", "amount_tax"}));
        ASSERT_TRUE(read && read->size() == 1u);
        EXPECT_EQ((*read)[0]["amount_tax"].as_double(), 0.0);
        EXPECT_EQ((*read)[0]["amount_total"].as_double(), 25.0);
    }
    auto lines = s->run(c().search_read("sale.order.line", Domain{}.where("order_id", "=", id),
                                        odoo::SearchOptions{.fields = {"price_tax", tax_field}}));
    ASSERT_TRUE(lines && lines->size() == 1u);
    EXPECT_EQ((*lines)[0][tax_field.c_str()], Value(Array{}));
}

// ---- errors ---------------------------------------------------------------------------------

TEST_P(OdooContract, UnknownFieldsAreValueErrors) {
    auto id = s->partner("fields");
    EXPECT_TRUE(fails_as(s->run(c().read("res.partner", {id}, {"name", "no_such_field"})),
                         {ErrorKind::permanent, "ValueError"}, protocol()));
    EXPECT_TRUE(fails_as(
        s->run(c().search_read("res.partner", Domain{}.where("no_such_field", "=", 1), {})),
        {ErrorKind::permanent, "ValueError"}, protocol()));
    std::vector<Struct> bad{Struct{{"name", s->name("never")}, {"no_such_field", 1}}};
    EXPECT_TRUE(fails_as(s->run(c().create("res.partner", std::move(bad))),
                         {ErrorKind::permanent, "ValueError"}, protocol()));
}

TEST_P(OdooContract, ValidationErrorsKeepOdoosMessage) {
    // A required field left empty.
    std::vector<Struct> no_partner{Struct{{"client_order_ref", s->name("never")}}};
    auto r = s->run(c().create("sale.order", std::move(no_partner)));
    ASSERT_TRUE(fails_as(r, {ErrorKind::permanent, "ValidationError"}, protocol()));
    EXPECT_NE(r.error().message.find("mandatory field"), std::string::npos) << r.error().message;

    // A selection value the field does not allow.
    std::vector<Struct> bad_type{Struct{{"name", s->name("never")}, {"type", "bogus"}}};
    auto sel = s->run(c().create("res.partner", std::move(bad_type)));
    ASSERT_TRUE(fails_as(sel, {ErrorKind::permanent, "ValueError"}, protocol()));
    EXPECT_NE(sel.error().message.find("Wrong value for res.partner.type: 'bogus'"),
              std::string::npos)
        << sel.error().message;

    // A constraint.
    auto id = s->partner("loop");
    auto loop = s->run(c().write("res.partner", {id}, Struct{{"parent_id", id}}));
    ASSERT_TRUE(fails_as(loop, {ErrorKind::permanent, "ValidationError"}, protocol()));
    EXPECT_NE(loop.error().message.find("recursive"), std::string::npos) << loop.error().message;
}

TEST_P(OdooContract, MissingRecordsAreMissingErrors) {
    auto id = s->partner("gone");
    ASSERT_TRUE(call("res.partner", "unlink", std::vector<std::int64_t>{id}, {}));
    auto w = s->run(c().write("res.partner", {id}, Struct{{"name", s->name("back")}}));
    ASSERT_TRUE(fails_as(w, {ErrorKind::permanent, "MissingError"}, protocol()));
    EXPECT_NE(w.error().message.find("Record does not exist or has been deleted"),
              std::string::npos)
        << w.error().message;
}

TEST_P(OdooContract, PrivateUnknownMethodsAndModelsAreRefused) {
    auto id = s->partner("methods");
    EXPECT_TRUE(
        fails_as(call("res.partner", "_compute_display_name", std::vector<std::int64_t>{id}, {}),
                 {ErrorKind::permanent, "AccessError"}, protocol()));
    EXPECT_TRUE(fails_as(call("res.partner", "no_such_method", std::vector<std::int64_t>{id}, {}),
                         {ErrorKind::permanent, "AttributeError", "NotFound"}, protocol()));
    EXPECT_TRUE(fails_as(s->run(c().search_count("no.such.model", Domain{})),
                         {ErrorKind::permanent, "UserError", "NotFound"}, protocol()));
}

// ---- sale orders: confirm, cancel ------------------------------------------------------------

TEST_P(OdooContract, ASaleOrderIsCreatedConfirmedAndDatedAsTheOrderImportNeeds) {
    auto product = s->product("widget", 10.0);
    auto partner = s->partner("buyer");
    auto so = s->sale_order(partner, {{product, 2.0}});
    auto order = read1("sale.order", so,
                       {"state", "amount_untaxed", "amount_total", "partner_id", "order_line",
                        "client_order_ref", "date_order", "picking_ids"});
    EXPECT_EQ(order["state"], Value("draft"));
    EXPECT_TRUE(order["amount_untaxed"].is_double()) << order["amount_untaxed"];
    EXPECT_EQ(order["amount_untaxed"].as_double(), 20.0);
    EXPECT_GE(order["amount_total"].as_double().value_or(0), 20.0);
    EXPECT_EQ(order["partner_id"].m2o_id(), partner);
    EXPECT_EQ(order["client_order_ref"], Value(s->name("order")));
    EXPECT_EQ(order["picking_ids"], Value(Array{}));
    EXPECT_TRUE(std::regex_match(order["date_order"].as_string().value_or(""),
                                 std::regex(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")))
        << order["date_order"];
    auto lines = order["order_line"].as_ids();
    ASSERT_TRUE(lines && lines->size() == 1) << order["order_line"];
    auto line = read1("sale.order.line", lines->front(),
                      {"product_id", "product_uom_qty", "price_unit", "name", "qty_delivered"});
    EXPECT_EQ(line["product_id"].m2o_id(), product);
    EXPECT_EQ(line["product_uom_qty"], Value(2.0));  // quantities are floats
    EXPECT_EQ(line["price_unit"], Value(10.0));      // the product's sales price
    EXPECT_EQ(line["qty_delivered"], Value(0.0));
    EXPECT_NE(line["name"].as_string().value_or("").find(s->name("widget")), std::string::npos);

    auto confirmed = s->run(c().call_action("sale.order", "action_confirm", {so}));
    ASSERT_TRUE(confirmed) << confirmed.error().describe();
    EXPECT_FALSE(confirmed->needs_wizard());
    EXPECT_EQ(confirmed->raw, Value(true));
    auto after = read1("sale.order", so, {"state", "picking_ids"});
    EXPECT_EQ(after["state"], Value("sale"));
    EXPECT_EQ(after["picking_ids"].as_ids().value_or(std::vector<std::int64_t>{}).size(), 1u);

    // Confirming again is refused; so is deleting a confirmed order.
    EXPECT_TRUE(fails_as(s->run(c().call_action("sale.order", "action_confirm", {so})),
                         {ErrorKind::permanent, "UserError"}, protocol()));
    EXPECT_TRUE(fails_as(call("sale.order", "unlink", std::vector<std::int64_t>{so}, {}),
                         {ErrorKind::permanent, "UserError"}, protocol()));

    // Confirming sets date_order to now: the order import writes Amazon's date back after it.
    ASSERT_TRUE(
        s->run(c().write("sale.order", {so}, Struct{{"date_order", "2025-01-15 10:30:00"}})));
    EXPECT_EQ(read1("sale.order", so, {"date_order"})["date_order"], Value("2025-01-15 10:30:00"));
}

TEST_P(OdooContract, ConfirmingManyOrdersInOneCallIsOneTransaction) {
    auto partner = s->partner("buyer");
    auto product = s->product("widget");
    auto a = s->sale_order(partner, {{product, 1.0}});
    auto b = s->sale_order(partner, {{product, 1.0}});
    auto both = s->run(c().call_action("sale.order", "action_confirm", {a, b}));
    ASSERT_TRUE(both) << both.error().describe();
    EXPECT_EQ(read1("sale.order", a, {"state"})["state"], Value("sale"));
    EXPECT_EQ(read1("sale.order", b, {"state"})["state"], Value("sale"));

    // One order already confirmed: the whole call is refused and nothing else is confirmed
    // (the order import then confirms one by one to name the refused order).
    auto d = s->sale_order(partner, {{product, 1.0}});
    auto mixed = s->run(c().call_action("sale.order", "action_confirm", {d, a}));
    EXPECT_TRUE(fails_as(mixed, {ErrorKind::permanent, "UserError"}, protocol()));
    EXPECT_EQ(read1("sale.order", d, {"state"})["state"], Value("draft"));
}

TEST_P(OdooContract, LoadWritesEachOrdersOwnDateByDatabaseId) {
    auto partner = s->partner("buyer");
    auto product = s->product("widget");
    auto a = s->sale_order(partner, {{product, 1.0}});
    auto b = s->sale_order(partner, {{product, 1.0}});
    Struct ctx = c().write_context();
    ctx.insert_or_assign("tz", "UTC");  // load reads datetimes in the context's time zone
    auto r =
        s->run(c().load("sale.order", {".id", "date_order"},
                        {Array{a, "2025-01-15 10:30:00"}, Array{b, "2025-02-01 08:05:09"}}, ctx));
    ASSERT_TRUE(r) << r.error().describe();
    ASSERT_TRUE(r->ok()) << r->messages.at(0);
    EXPECT_EQ(r->ids, (std::vector<std::optional<std::int64_t>>{a, b}));
    EXPECT_EQ(read1("sale.order", a, {"date_order"})["date_order"], Value("2025-01-15 10:30:00"));
    EXPECT_EQ(read1("sale.order", b, {"date_order"})["date_order"], Value("2025-02-01 08:05:09"));
}

TEST_P(OdooContract, CancellingADraftOrderCancelsIt) {
    auto so = s->sale_order(s->partner("buyer"), {{s->product("widget"), 1.0}});
    auto r = s->run(c().call_action("sale.order", "action_cancel", {so}, c().write_context()));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_FALSE(r->needs_wizard());
    EXPECT_EQ(read1("sale.order", so, {"state"})["state"], Value("cancel"));
}

TEST_P(OdooContract, CancellingAConfirmedOrderOpensTheCancelWizardOn16To18) {
    auto [so, pick] = confirmed_order(1.0);
    auto r = s->run(c().call_action("sale.order", "action_cancel", {so}, c().write_context()));
    ASSERT_TRUE(r) << r.error().describe();
    if (major() <= 18) {
        // 16-18: the sale.order.cancel wizard's action, and nothing cancelled yet.
        ASSERT_TRUE(r->needs_wizard()) << r->raw;
        EXPECT_EQ(r->wizard->res_model, "sale.order.cancel");
        EXPECT_EQ(r->raw["type"], Value("ir.actions.act_window"));
        EXPECT_EQ(r->wizard->context.count("default_order_id")
                      ? r->wizard->context.at("default_order_id")
                      : Value(),
                  Value(so));
        EXPECT_EQ(read1("sale.order", so, {"state"})["state"], Value("sale"));
        EXPECT_EQ(read1("stock.picking", pick, {"state"})["state"], Value("assigned"));

        // The context key disable_cancel_warning cancels at once.
        Struct ctx = c().write_context();
        ctx.insert_or_assign("disable_cancel_warning", true);
        auto direct = s->run(c().call_action("sale.order", "action_cancel", {so}, ctx));
        ASSERT_TRUE(direct) << direct.error().describe();
        EXPECT_FALSE(direct->needs_wizard()) << direct->raw;
    } else {
        EXPECT_FALSE(r->needs_wizard()) << r->raw;  // 19 cancels directly
    }
    EXPECT_EQ(read1("sale.order", so, {"state"})["state"], Value("cancel"));
    EXPECT_EQ(read1("stock.picking", pick, {"state"})["state"], Value("cancel"));
}

// ---- deliveries: validation and backorder choices --------------------------------------------

TEST_P(OdooContract, AFullDeliveryValidatesWithoutWizardAndCountsAsDelivered) {
    auto [so, pick] = confirmed_order(2.0);
    auto moves = s->run(
        c().search_read("stock.move", Domain{}.where("picking_id", "=", pick),
                        {.fields = {"product_id", "product_uom_qty", "state", "picking_id"}}));
    ASSERT_TRUE(moves) << moves.error().describe();
    ASSERT_EQ(moves->size(), 1u);
    EXPECT_EQ((*moves)[0]["product_uom_qty"], Value(2.0));
    EXPECT_EQ((*moves)[0]["picking_id"].m2o_id(), pick);
    EXPECT_TRUE((*moves)[0]["product_id"].m2o_id()) << (*moves)[0]["product_id"];
    EXPECT_EQ((*moves)[0]["state"], Value("assigned"));  // a consumable is reserved at once
    ASSERT_TRUE(s->run(
        c().write("stock.picking", {pick}, Struct{{"carrier_tracking_ref", s->name("track")}})));
    set_done(pick, 2.0);
    auto r = s->run(
        c().call_action("stock.picking", "button_validate", {pick}, Struct{{"skip_sms", true}}));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_FALSE(r->needs_wizard()) << r->raw;
    auto done = read1("stock.picking", pick, {"state", "carrier_tracking_ref", "date_done"});
    EXPECT_EQ(done["state"], Value("done"));
    EXPECT_EQ(done["carrier_tracking_ref"], Value(s->name("track")));
    EXPECT_TRUE(done["date_done"].is_string());
    auto line_ids = read1("sale.order", so, {"order_line"})["order_line"].as_ids();
    ASSERT_TRUE(line_ids && !line_ids->empty());
    EXPECT_EQ(read1("sale.order.line", line_ids->front(), {"qty_delivered"})["qty_delivered"],
              Value(2.0));
}

TEST_P(OdooContract, APartialDeliveryAsksForTheBackorderChoice) {
    auto [so, pick] = confirmed_order(3.0);
    set_done(pick, 1.0);
    auto asked = s->run(
        c().call_action("stock.picking", "button_validate", {pick}, Struct{{"skip_sms", true}}));
    ASSERT_TRUE(asked) << asked.error().describe();
    ASSERT_TRUE(asked->needs_wizard()) << asked->raw;
    EXPECT_EQ(asked->wizard->res_model, "stock.backorder.confirmation");
    EXPECT_NE(read1("stock.picking", pick, {"state"})["state"], Value("done"));

    // skip_backorder: done now, the rest in a backorder.
    auto r = s->run(c().call_action("stock.picking", "button_validate", {pick},
                                    Struct{{"skip_sms", true}, {"skip_backorder", true}}));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_FALSE(r->needs_wizard()) << r->raw;
    EXPECT_EQ(read1("stock.picking", pick, {"state"})["state"], Value("done"));
    auto back = s->run(c().search_read("stock.picking", Domain{}.where("backorder_id", "=", pick),
                                       {.fields = {"state", "move_ids"}}));
    ASSERT_TRUE(back) << back.error().describe();
    ASSERT_EQ(back->size(), 1u);
    EXPECT_NE((*back)[0]["state"], Value("done"));
    EXPECT_NE((*back)[0]["state"], Value("cancel"));
    auto back_moves =
        s->run(c().search_read("stock.move", Domain{}.where("picking_id", "=", (*back)[0]["id"]),
                               {.fields = {"product_uom_qty"}}));
    ASSERT_TRUE(back_moves) << back_moves.error().describe();
    ASSERT_EQ(back_moves->size(), 1u);
    EXPECT_EQ((*back_moves)[0]["product_uom_qty"], Value(2.0));
    auto line_ids = read1("sale.order", so, {"order_line"})["order_line"].as_ids();
    EXPECT_EQ(read1("sale.order.line", line_ids->front(), {"qty_delivered"})["qty_delivered"],
              Value(1.0));
}

TEST_P(OdooContract, APartialDeliveryWithoutBackorderClosesTheRest) {
    auto [so, pick] = confirmed_order(3.0);
    set_done(pick, 1.0);
    auto r = s->run(c().call_action("stock.picking", "button_validate", {pick},
                                    Struct{{"skip_sms", true},
                                           {"skip_backorder", true},
                                           {"picking_ids_not_to_backorder", Array{pick}}}));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_FALSE(r->needs_wizard()) << r->raw;
    EXPECT_EQ(read1("stock.picking", pick, {"state"})["state"], Value("done"));
    auto back =
        s->run(c().search_count("stock.picking", Domain{}.where("backorder_id", "=", pick)));
    ASSERT_TRUE(back) << back.error().describe();
    EXPECT_EQ(*back, 0);
    auto line_ids = read1("sale.order", so, {"order_line"})["order_line"].as_ids();
    EXPECT_EQ(read1("sale.order.line", line_ids->front(), {"qty_delivered"})["qty_delivered"],
              Value(1.0));
}

TEST_P(OdooContract, AnOrderWhoseDeliveryIsDoneCanStillBeCancelled) {
    auto [so, pick] = confirmed_order(1.0);
    set_done(pick, 1.0);
    ASSERT_TRUE(s->run(
        c().call_action("stock.picking", "button_validate", {pick}, Struct{{"skip_sms", true}})));
    Struct ctx = c().write_context();
    ctx.insert_or_assign("disable_cancel_warning", true);
    auto r = s->run(c().call_action("sale.order", "action_cancel", {so}, ctx));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_FALSE(r->needs_wizard()) << r->raw;
    EXPECT_EQ(read1("sale.order", so, {"state"})["state"], Value("cancel"));
    EXPECT_EQ(read1("stock.picking", pick, {"state"})["state"], Value("done"));  // stays done
}

INSTANTIATE_TEST_SUITE_P(Odoo,
                         OdooContract,
                         ::testing::ValuesIn(targets()),
                         [](const ::testing::TestParamInfo<Target>& info) {
                             return target_name(info.param);
                         });

}  // namespace
}  // namespace clarity::contract
