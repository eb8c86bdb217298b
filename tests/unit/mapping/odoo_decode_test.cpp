#include "clarity/mapping/odoo_decode.hpp"

#include <gtest/gtest.h>

#include "clarity/mapping/json.hpp"

namespace clarity::mapping {
namespace {

model::Value json(std::string_view text) { return parse_json(text).value(); }

TEST(OdooDecode, PartnerWithAddress) {
    // Shape of partner_delivery_read in tests/data/odoo/captures-18/jsonrpc.json plus
    // the address fields the flow reads.
    auto p = decode_odoo_partner(json(R"J({"id":14,"name":"Jane Doe","type":"delivery",
        "street":"1 Main St","street2":false,"city":"San Francisco","zip":"94105",
        "country_id":[233,"United States"],"country_code":"US","state_id":[13,"California (US)"],
        "email":false,"phone":"+1 415 555 0100","vat":false,"ref":"AMZ-1"})J"));
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(*p->odoo_id, 14);
    EXPECT_EQ(p->name, "Jane Doe");
    EXPECT_TRUE(p->email.empty());  // Odoo's false is not the text "false"
    EXPECT_EQ(p->reference, "AMZ-1");
    ASSERT_TRUE(p->address);
    EXPECT_EQ(p->address->country_code, "US");
    EXPECT_EQ(p->address->state_or_region, "California (US)");
    EXPECT_TRUE(p->address->line2.empty());
}

TEST(OdooDecode, PartnerWithoutNameIsAnError) {
    auto p = decode_odoo_partner(json(R"({"id":1,"name":false})"));
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().message, "Odoo res.partner: record has no 'name'");
}

TEST(OdooDecode, ProductKeepsCustomFieldsAsAttributes) {
    auto p = decode_odoo_product(json(R"({"id":5,"display_name":"[SKU-A-771401] Widget A",
        "default_code":"SKU-A-771401","barcode":"0123456771401","name":"Widget A",
        "product_tmpl_id":[5,"[SKU-A-771401] Widget A"],"list_price":12.50,
        "currency_id":[1,"USD"],"x_studio_material":"Oak"})"));
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->sku, "SKU-A-771401");
    EXPECT_EQ(p->barcode, "0123456771401");
    EXPECT_EQ(*p->odoo_template_id, 5);
    EXPECT_EQ(p->list_price->amount, model::Decimal(1250, 2));
    EXPECT_EQ(p->list_price->currency, "USD");
    EXPECT_EQ(p->attributes.find("x_studio_material")->as_string(), "Oak");
}

TEST(OdooDecode, SaleOrderWithLines) {
    auto so = json(R"({"id":6,"name":"S00006","client_order_ref":"171-9876543-2109876",
        "date_order":"2024-12-24 20:30:00","state":"sale","currency_id":[2,"BRL"],
        "amount_total":299.9,"partner_id":[13,"Amazon Buyer 1"]})");
    std::vector<model::Value> lines{json(R"({"id":9,"product_id":[5,"[ECHO-DOT] Echo Dot"],
        "name":"Echo Dot","product_uom_qty":2.0,"qty_delivered":1.0,"price_unit":149.95,
        "price_subtotal":299.9,"price_tax":0.0})")};
    auto o = decode_odoo_sale_order(so, lines);
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->source, "odoo");
    EXPECT_EQ(o->amazon_order_id, "171-9876543-2109876");
    EXPECT_EQ(model::format_iso8601(o->purchase_date), "2024-12-24T20:30:00Z");
    EXPECT_EQ(o->order_total->amount, model::Decimal(2999, 1));
    EXPECT_EQ(*o->buyer.odoo_id, 13);
    ASSERT_EQ(o->lines.size(), 1u);
    EXPECT_EQ(o->lines[0].sku, "ECHO-DOT");
    EXPECT_EQ(o->lines[0].quantity_ordered, 2);
    EXPECT_EQ(o->lines[0].quantity_shipped, 1);
    EXPECT_EQ(o->lines[0].unit_price->amount, model::Decimal(14995, 2));
}

TEST(OdooDecode, SaleOrderWithBadDateIsAnError) {
    auto o = decode_odoo_sale_order(json(R"({"id":1,"date_order":false})"), {});
    ASSERT_FALSE(o);
    EXPECT_EQ(o.error().message, "Odoo sale.order: missing or invalid 'date_order' ''");
}

}  // namespace
}  // namespace clarity::mapping
