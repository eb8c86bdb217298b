// The shipped templates in config/mapping/ against the SP-API models' sandbox orders and the
// Odoo 18 fields_get captures in tests/data/odoo/.
#include <gtest/gtest.h>

#include "clarity/amazon/canonical.hpp"
#include "clarity/mapping/address.hpp"
#include "clarity/mapping/json.hpp"
#include "clarity/mapping/mapper.hpp"
#include "clarity/mapping/schema.hpp"
#include "clarity/mapping/template.hpp"
#include "sandbox.hpp"

namespace clarity::mapping {
namespace {

using model::Value;

MappingTemplate default_template(const std::string& flow) {
    return MappingTemplate::load_file(std::filesystem::path(CLARITY_TEST_SOURCE_DIR) /
                                      "config/mapping" / (flow + ".yaml"));
}

/// Odoo 18 schema from the captures, plus the Studio fields the defaults use.
StaticOdooSchema odoo18_schema() {
    const auto captures =
        parse_json(test::read_file(test::data_dir() / "odoo/captures-18/jsonrpc.json")).value();
    StaticOdooSchema s;
    s.add_fields_get("sale.order", *captures.find_path("sale_order_fields.result"));
    s.add_fields_get("sale.order.line", *captures.find_path("sale_order_line_fields.result"));
    s.add_fields_get("product.template", *captures.find_path("product_template_fields.result"));
    s.add("sale.order", "x_studio_amazon_order_type",
          {"selection",
           "",
           {"standard", "long_lead_time", "preorder", "backorder", "sourcing_on_demand"}});
    s.add("sale.order.line", "x_studio_gift_message", {"text", "", {}});
    s.add("sale.order.line", "x_studio_personalization", {"text", "", {}});
    s.add("stock.warehouse", "code", {"char", "", {}});
    s.add("product.product", "default_code", {"char", "", {}});
    s.add("product.template", "name", {"char", "", {}});
    s.add("product.template", "description_sale", {"text", "", {}});
    s.add("product.template", "x_studio_material", {"char", "", {}});
    for (const auto* f :
         {"name", "street", "street2", "city", "zip", "phone", "email", "company_name", "vat"}) {
        s.add("res.partner", f, {"char", "", {}});
    }
    s.add("res.partner", "type", {"selection", "", {"contact", "invoice", "delivery", "other"}});
    s.add("res.partner", "country_id", {"many2one", "res.country", {}});
    s.add("res.partner", "state_id", {"many2one", "res.country.state", {}});
    s.add("res.country", "code", {"char", "", {}});
    s.add("res.country.state", "code", {"char", "", {}});
    return s;
}

/// Through the connector's decoder, as the flow and `mapping preview` read orders.
model::Order decoded(std::shared_ptr<const Value> doc) {
    auto order = amazon::decode_order_document(to_json(*doc));
    EXPECT_TRUE(order) << order.error().message;
    if (order->ship_to) normalize_address(*order->ship_to);
    return std::move(*order);
}

TEST(DefaultTemplates, AllLoadAndPassTheOdoo18SchemaCheck) {
    const auto schema = odoo18_schema();
    for (const auto* flow :
         {"order_import", "partner_import", "product_export", "shipment_confirm"}) {
        auto t = default_template(flow);
        EXPECT_EQ(t.flow(), flow);
        const auto problems = t.check_schema(schema);
        EXPECT_TRUE(problems.empty()) << flow << ": " << problems.front();
    }
    auto models = default_template("order_import").referenced_models();
    EXPECT_EQ(models,
              (std::vector<std::string>{"sale.order", "stock.warehouse", "product.product"}));
}

TEST(DefaultTemplates, OrderImportOnTheBrazilianGiftSandboxOrder) {
    auto t = default_template("order_import");
    auto r = map_order(t, decoded(test::v2026_get_order(0)));
    ASSERT_TRUE(r.errors.empty()) << r.errors.front();
    EXPECT_EQ(r.record.find("client_order_ref")->as_string(), "171-9876543-2109876");
    EXPECT_EQ(r.record.find("origin")->as_string(), "Amazon Amazon.com.br 171-9876543-2109876");
    EXPECT_EQ(r.record.find("date_order")->as_string(), "2024-12-24 20:30:00");
    EXPECT_EQ(r.record.find("x_studio_amazon_order_type")->as_string(), "standard");
    ASSERT_EQ(r.lines.size(), 1u);
    const auto& line = r.lines[0];
    EXPECT_EQ(line.find("name")->as_string(),
              "[ECHO-DOT-4-BR-PRETO] Echo Dot (4ª Geração) | Smart Speaker com Alexa | Cor Preta");
    EXPECT_EQ(line.find("price_unit")->as_decimal(), model::Decimal(29990, 2));
    EXPECT_EQ(line.find("product_uom_qty")->as_decimal(), model::Decimal(1, 0));
    EXPECT_NE(line.find("x_studio_gift_message")->as_string().find("Feliz Natal"),
              std::string::npos);
    EXPECT_EQ(r.outputs.find("action")->as_string(), "confirm");
    EXPECT_EQ(r.outputs.find("ship_to_state_code")->as_string(), "SP");
    EXPECT_EQ(r.outputs.find("ship_to_zip")->as_string(), "01234-567");
    EXPECT_EQ(r.outputs.find("ship_to_phone")->as_string(), "+5511987654321");
    ASSERT_EQ(r.lookups.size(), 2u);
    EXPECT_EQ(r.lookups[0].key.as_string(), "WH");  // MFN
    EXPECT_EQ(r.lookups[1].key.as_string(), "ECHO-DOT-4-BR-PRETO");
}

TEST(DefaultTemplates, OrderImportOnEverySandboxOrder) {
    auto t = default_template("order_import");
    std::vector<std::shared_ptr<const Value>> docs;
    for (int i = 0; i < 3; ++i) docs.push_back(test::v2026_get_order(i));
    for (int i = 0; i < 3; ++i) {
        auto resp = test::sandbox_response("orders_2026-01-01.json", "/orders/2026-01-01/orders",
                                           "get", "200", i);
        for (const auto& o : resp->find("orders")->items()) {
            docs.push_back(std::make_shared<const Value>(o));
        }
    }
    for (int i = 0; i < 2; ++i) {
        docs.push_back(test::sandbox_response("ordersV0.json", "/orders/v0/orders/{orderId}", "get",
                                              "200", i));
    }
    for (const auto& doc : docs) {
        auto order = decoded(doc);
        auto r = map_order(t, order);
        // v0 getOrder carries no items: the SKU look-ups are simply absent, nothing else fails.
        ASSERT_TRUE(r.errors.empty()) << order.amazon_order_id << ": " << r.errors.front();
        EXPECT_EQ(r.record.find("client_order_ref")->as_string(), order.amazon_order_id);
        EXPECT_EQ(r.lines.size(), order.lines.size());
        for (const auto& line : r.lines) EXPECT_NE(line.find("product_id"), nullptr);
    }
}

TEST(DefaultTemplates, ShippedFbaOrderGoesToTheAmazonWarehouse) {
    auto resp = test::sandbox_response("orders_2026-01-01.json", "/orders/2026-01-01/orders", "get",
                                       "200", 0);
    auto order = decoded(std::make_shared<const Value>(resp->find("orders")->items()[0]));
    auto r = map_order(default_template("order_import"), order);
    EXPECT_EQ(r.lookups.at(0).key.as_string(), "AMZ");
    EXPECT_EQ(r.outputs.find("ship_to_country_code")->as_string(), "JP");
    EXPECT_EQ(r.outputs.find("ship_to_zip")->as_string(), "150-0002");
}

TEST(DefaultTemplates, PartnerImportLooksUpStateWithinItsCountry) {
    auto r = map_order(default_template("partner_import"), decoded(test::v2026_get_order(0)));
    ASSERT_TRUE(r.errors.empty()) << r.errors.front();
    EXPECT_EQ(r.record.find("name")->as_string(), "Maria Silva Santos");
    EXPECT_EQ(r.record.find("zip")->as_string(), "01234-567");
    ASSERT_EQ(r.lookups.size(), 2u);
    EXPECT_EQ(r.lookups[0].model, "res.country");
    EXPECT_EQ(r.lookups[0].key.as_string(), "BR");
    EXPECT_EQ(r.lookups[1].model, "res.country.state");
    EXPECT_EQ(r.lookups[1].key.as_string(), "SP");
    ASSERT_EQ(r.lookups[1].also.size(), 1u);
    EXPECT_EQ(r.lookups[1].also[0].first, "country_id.code");
    EXPECT_EQ(r.lookups[1].also[0].second.as_string(), "BR");
    std::vector<std::optional<std::int64_t>> ids{31, std::nullopt};
    r.resolve(ids);
    EXPECT_TRUE(r.errors.empty());
    EXPECT_EQ(r.record.find("country_id")->as_int(), 31);
    EXPECT_EQ(r.record.find("state_id"), nullptr);  // on_missing: skip
}

TEST(DefaultTemplates, ShipmentConfirmMapsCarrierNames) {
    auto t = default_template("shipment_confirm");
    model::Shipment s;
    s.package_reference_id = "1";
    s.carrier_name = "United Parcel Service";
    s.tracking_numbers = {"1Z999"};
    s.ship_date = model::parse_timestamp("2026-01-05T10:00:00Z");
    s.lines = {{"I1", "SKU", 2}};
    auto r = map_shipment(t, s);
    ASSERT_TRUE(r.errors.empty()) << r.errors.front();
    EXPECT_EQ(
        to_json(r.to_value()),
        R"({"packageReferenceId":"1","carrierCode":"UPS","carrierName":"United Parcel Service",)"
        R"("trackingNumber":"1Z999","shipDate":"2026-01-05T10:00:00Z",)"
        R"("orderItems":[{"orderItemId":"I1","quantity":2}]})");
    // A carrier the file does not name stops the shipment (the flow dead-letters it, naming the
    // carrier and the file); it never goes to Amazon as a guess.
    s.carrier_name = "Bob's Couriers";
    auto unmapped = map_shipment(t, s);
    ASSERT_EQ(unmapped.errors.size(), 1u);
    EXPECT_NE(unmapped.errors[0].find("carrierCode"), std::string::npos) << unmapped.errors[0];
    EXPECT_NE(unmapped.errors[0].find("Bob's Couriers"), std::string::npos) << unmapped.errors[0];
}

TEST(DefaultTemplates, ProductExportBuildsAListingBody) {
    model::Product p;
    p.title = "Oak table";
    p.attributes.set("description_sale", "Solid oak\nHandmade");
    p.attributes.set("x_studio_material", "Oak");
    auto r = map_product(default_template("product_export"), p);
    ASSERT_TRUE(r.errors.empty()) << r.errors.front();
    auto body = to_listing_body(r);
    EXPECT_EQ(body.find("productType")->as_string(), "PRODUCT");
    EXPECT_EQ(body.find_path("attributes.bullet_point")->size(), 2u);
    EXPECT_EQ(body.find_path("attributes.material[0].value")->as_string(), "Oak");
    EXPECT_EQ(body.find_path("attributes.item_name[0].marketplace_id")->as_string(),
              "ATVPDKIKX0DER");
}

// ---- schema errors: one test per message -------------------------------------------------

std::vector<std::string> schema_problems(const std::string& yaml) {
    return MappingTemplate::load_string(yaml, "s.yaml").check_schema(odoo18_schema());
}

TEST(MappingSchemaError, FieldDoesNotExist) {
    EXPECT_EQ(schema_problems("flow: f\ntarget: sale.order\nfields:\n  x_nope: order.status\n"),
              std::vector<std::string>{"s.yaml:4:3: field 'x_nope' does not exist on sale.order"});
}

TEST(MappingSchemaError, TypeMismatch) {
    EXPECT_EQ(schema_problems("flow: f\ntarget: sale.order\nfields:\n"
                              "  date_order: {from: order.purchase_date, type: date}\n"),
              std::vector<std::string>{"s.yaml:4:3: field 'date_order' on sale.order is datetime "
                                       "but the mapping produces date"});
}

TEST(MappingSchemaError, SelectionValueNotAllowed) {
    EXPECT_EQ(
        schema_problems("flow: f\ntarget: sale.order\nfields:\n"
                        "  x_studio_amazon_order_type: {from: order.order_type, "
                        "map: {StandardOrder: std}, default: standard}\n"),
        std::vector<std::string>{
            "s.yaml:4:3: value 'std' is not an allowed selection of "
            "sale.order.x_studio_amazon_order_type (allowed: standard, long_lead_time, preorder, "
            "backorder, sourcing_on_demand)"});
}

TEST(MappingSchemaError, LookupMustMatchTheMany2one) {
    EXPECT_EQ(schema_problems("flow: f\ntarget: sale.order\nfields:\n"
                              "  warehouse_id: {from: order.marketplace_id, "
                              "lookup: {model: product.product, by: default_code}}\n"
                              "  origin: {from: order.marketplace_id, "
                              "lookup: {model: stock.warehouse, by: name}}\n"),
              (std::vector<std::string>{
                  "s.yaml:4:3: field 'warehouse_id' on sale.order relates to stock.warehouse but "
                  "the lookup searches product.product",
                  "s.yaml:5:3: field 'origin' on sale.order is char; a lookup fills a many2one",
                  "s.yaml:5:3: lookup field 'name' does not exist on stock.warehouse"}));
}

TEST(MappingSchemaError, UnknownModels) {
    EXPECT_EQ(schema_problems("flow: f\ntarget: helpdesk.ticket\nfields:\n"
                              "  a: {from: order.status, lookup: {model: x.y, by: z}}\n"),
              (std::vector<std::string>{
                  "s.yaml:2:9: model 'helpdesk.ticket' is unknown to the Odoo schema (is its "
                  "module installed?)",
                  "s.yaml:4:3: lookup model 'x.y' is unknown to the Odoo schema"}));
}

TEST(MappingSchemaError, LinesTargetMustBeOne2many) {
    EXPECT_EQ(schema_problems("flow: f\ntarget: sale.order\nlines:\n  target: origin\n"
                              "  fields: {name: line.title}\n"),
              std::vector<std::string>{
                  "s.yaml:4:3: lines target 'origin' is not a one2many field of sale.order"});
}

TEST(MappingSchemaError, LineFieldsCheckedOnTheLineModel) {
    EXPECT_EQ(schema_problems("flow: f\ntarget: sale.order\nlines:\n  target: order_line\n"
                              "  fields:\n    x_gift: line.gift_message\n"
                              "    product_uom_qty: {from: line.title}\n"),
              (std::vector<std::string>{
                  "s.yaml:6:5: field 'x_gift' does not exist on sale.order.line",
                  "s.yaml:7:5: field 'product_uom_qty' on sale.order.line is float but the mapping "
                  "produces text"}));
}

TEST(MappingSchemaError, ReverseSourceFieldMustExist) {
    EXPECT_EQ(schema_problems("flow: f\nsource: product\ntarget: amazon.listing\nproduct_type: P\n"
                              "fields:\n  color: product.attributes.x_studio_colour\n"),
              std::vector<std::string>{
                  "s.yaml:6:3: source field 'x_studio_colour' does not exist on product.template"});
}

}  // namespace
}  // namespace clarity::mapping
