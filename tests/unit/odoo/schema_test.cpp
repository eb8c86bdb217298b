#include "clarity/odoo/schema.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "clarity/odoo/codec.hpp"
#include "support/test_env.hpp"

namespace clarity::odoo {
namespace {

Value capture_result(const std::string& file, const std::string& key) {
    auto j = nlohmann::json::parse(test::read_file(test::data_dir() / "odoo" / file));
    auto v = from_json(j[key]["result"].dump());
    EXPECT_TRUE(v);
    return *v;
}

TEST(OdooVersionTable, ResolvesSpellingsBetween16And19) {
    EXPECT_EQ(field_name(FieldMeaning::sale_line_taxes, 16).field, "tax_id");
    EXPECT_EQ(field_name(FieldMeaning::sale_line_taxes, 18).field, "tax_id");
    EXPECT_EQ(field_name(FieldMeaning::sale_line_taxes, 19).field, "tax_ids");
    EXPECT_EQ(field_name(FieldMeaning::sale_line_uom, 18).field, "product_uom");
    EXPECT_EQ(field_name(FieldMeaning::sale_line_uom, 19).field, "product_uom_id");
    EXPECT_EQ(field_name(FieldMeaning::product_storable, 17).field, "detailed_type");
    EXPECT_EQ(field_name(FieldMeaning::product_storable, 18).field, "is_storable");
    EXPECT_EQ(field_name(FieldMeaning::payment_memo, 17).field, "ref");
    EXPECT_EQ(field_name(FieldMeaning::payment_memo, 18).field, "memo");
    EXPECT_EQ(field_name(FieldMeaning::user_groups, 19).field, "group_ids");
    EXPECT_EQ(field_name(FieldMeaning::move_done_quantity, 16).field, "quantity_done");
    EXPECT_EQ(field_name(FieldMeaning::move_done_quantity, 17).field, "quantity");
}

TEST(OdooVersionTable, StorableProductValuesAndStates) {
    EXPECT_EQ(Value(storable_product_values(17)), Value(Struct{{"detailed_type", "product"}}));
    EXPECT_EQ(Value(storable_product_values(18)),
              Value(Struct{{"type", "consu"}, {"is_storable", true}}));
    EXPECT_TRUE(is_storable(Struct{{"detailed_type", "product"}}, 16));
    EXPECT_FALSE(is_storable(Struct{{"type", "consu"}, {"is_storable", false}}, 19));
    EXPECT_EQ(sale_state_value(SaleState::done, 16), "done");
    EXPECT_EQ(sale_state_value(SaleState::done, 17), "sale");
    EXPECT_EQ(parse_payment_state("in_process", 18), PaymentState::posted);
    EXPECT_EQ(parse_payment_state("posted", 17), PaymentState::posted);
    EXPECT_EQ(parse_payment_state("in_process", 17), std::nullopt);
    EXPECT_EQ(posted_payment_states(19), (std::vector<std::string>{"in_process", "paid"}));
    EXPECT_EQ(parse_picking_state("assigned"), PickingState::assigned);
}

TEST(OdooVersion, ParsesServerVersionInfoNotTheString) {
    auto v = parse_server_version(Struct{{"server_version", "19.0+e-20251227"},
                                         {"server_version_info", Array{19, 0, 0, "final", 0, ""}},
                                         {"server_serie", "19.0"}});
    ASSERT_TRUE(v);
    EXPECT_EQ(v->major, 19);
    EXPECT_EQ(v->server_version, "19.0+e-20251227");
    EXPECT_FALSE(parse_server_version(Struct{{"server_version", "19.0"}}));
}

TEST(OdooSchema, ResolvesFromCapturedFieldsGet) {
    for (auto [dir, major, taxes, uom] :
         {std::tuple{"captures-18", 18, "tax_id", "product_uom"},
          std::tuple{"captures-19", 19, "tax_ids", "product_uom_id"}}) {
        auto fields = parse_fields_get(
            "sale.order.line",
            capture_result(std::string(dir) + "/jsonrpc.json", "sale_order_line_fields"));
        ASSERT_TRUE(fields);
        OdooSchema s;
        s.version.major = major;
        s.models.emplace("sale.order.line", *fields);
        EXPECT_EQ(s.resolve(FieldMeaning::sale_line_taxes)->field, taxes);
        EXPECT_EQ(s.resolve(FieldMeaning::sale_line_uom)->field, uom);
        EXPECT_EQ(fields->find(taxes)->relation, "account.tax");
    }
}

TEST(OdooSchema, FallsBackToTheSpellingTheServerHas) {
    OdooSchema s;
    s.version.major = 18;  // e.g. a saas build that already renamed the field
    s.models["sale.order.line"].fields["tax_ids"] = FieldInfo{.name = "tax_ids"};
    EXPECT_EQ(s.resolve(FieldMeaning::sale_line_taxes)->field, "tax_ids");
}

TEST(OdooSchema, MissingFieldIsAStartupErrorNamingModelAndField) {
    auto fields = parse_fields_get("stock.picking", Struct{{"name", Struct{{"type", "char"}}}});
    ASSERT_TRUE(fields);
    OdooSchema s;
    s.version.major = 18;
    s.version.server_version = "18.0";
    s.models.emplace("stock.picking", *fields);
    auto r = s.require("stock.picking", "carrier_tracking_ref");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::permanent);
    EXPECT_NE(r.error().message.find("'stock.picking'"), std::string::npos);
    EXPECT_NE(r.error().message.find("'carrier_tracking_ref'"), std::string::npos);
    EXPECT_NE(r.error().message.find("Odoo 18.0"), std::string::npos);
    EXPECT_FALSE(s.require("no.model", "x"));
    EXPECT_FALSE(s.resolve(FieldMeaning::picking_tracking_ref));
}

TEST(OdooSchema, ParsesSelectionsFromCapture) {
    auto f = parse_fields_get("account.payment",
                              capture_result("captures-18/jsonrpc.json", "payment_fields"));
    ASSERT_TRUE(f);
    const FieldInfo* state = f->find("state");
    ASSERT_NE(state, nullptr);
    EXPECT_EQ(state->selection.size(), 5u);
    EXPECT_EQ(state->selection[1].first, "in_process");
    EXPECT_TRUE(f->find("journal_id")->required);
}

}  // namespace
}  // namespace clarity::odoo
