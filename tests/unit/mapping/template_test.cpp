#include "clarity/mapping/template.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "clarity/mapping/json.hpp"
#include "clarity/mapping/mapper.hpp"
#include "support/temp_dir.hpp"

namespace clarity::mapping {
namespace {

using model::Decimal;
using model::Money;
using model::Value;

MappingTemplate load(const std::string& yaml) {
    return MappingTemplate::load_string(yaml, "t.yaml");
}

/// The single problem a broken template reports.
std::string load_error(const std::string& yaml) {
    try {
        load(yaml);
    } catch (const TemplateError& e) {
        return e.problems().empty() ? "<no problems>" : e.problems().front();
    }
    return "<loaded>";
}

model::Order sample_order() {
    model::Order o;
    o.amazon_order_id = "111-2223334-5556667";
    o.sales_channel = "Amazon.com";
    o.status = model::OrderStatus::shipped;
    o.fulfillment_channel = model::FulfillmentChannel::afn;
    o.order_type = "StandardOrder";
    o.currency = "USD";
    o.purchase_date = *model::parse_timestamp("2026-01-20T23:30:00Z");
    o.order_total = Money{Decimal(3998, 2), "USD"};
    o.is_business_order = true;
    model::Address a;
    a.name = "Jane";
    a.country_code = "US";
    o.ship_to = a;
    auto raw = std::make_shared<Value>(
        parse_json(R"({"orderId":"111","buyer":{"buyerPurchaseOrderNumber":"PO-7"},
                       "orderItems":[{"product":{"condition":{"conditionNote":"boxed"}}},{}]})")
            .value());
    o.raw = raw;
    for (int i = 0; i < 2; ++i) {
        model::OrderLine l;
        l.order_item_id = "item-" + std::to_string(i);
        l.sku = i == 0 ? "SKU-A" : "SKU-B";
        l.title = "Widget";
        l.quantity_ordered = 2;
        l.unit_price = Money{Decimal(1999, 2), "USD"};
        l.is_gift = i == 0;
        l.gift_message = "Happy birthday";
        l.raw = std::shared_ptr<const Value>(raw, &raw->find("orderItems")->items()[i]);
        o.lines.push_back(l);
    }
    return o;
}

TEST(MappingTransform, PathLiteralTemplateAndShorthand) {
    auto t = load(R"(
flow: f
target: sale.order
fields:
  client_order_ref: order.amazon_order_id
  origin: {template: "Amazon {order.sales_channel} #{order.amazon_order_id} {{x}}"}
  company_id: {value: 1}
  note: {value: "1"}
)");
    auto r = map_order(t, sample_order());
    ASSERT_TRUE(r.errors.empty()) << r.errors.front();
    EXPECT_EQ(r.record.find("client_order_ref")->as_string(), "111-2223334-5556667");
    EXPECT_EQ(r.record.find("origin")->as_string(), "Amazon Amazon.com #111-2223334-5556667 {x}");
    EXPECT_EQ(r.record.find("company_id")->as_int(), 1);
    EXPECT_EQ(r.record.find("note")->as_string(), "1");  // quoted YAML stays text
}

TEST(MappingTransform, ValueMapWithDefaultAndWithoutOne) {
    auto t = load(R"(
flow: f
target: sale.order
outputs:
  action: {from: order.status, map: {Shipped: confirm, Canceled: cancel}, default: skip}
  strict: {from: order.fulfillment_channel, map: {MFN: merchant}}
)");
    auto o = sample_order();
    auto r = map_order(t, o);
    EXPECT_EQ(r.outputs.find("action")->as_string(), "confirm");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(
        r.errors[0],
        "t.yaml:6:3: field 'strict': value 'AFN' of order.fulfillment_channel has no entry in "
        "'map' and there is no 'default'");
    o.status = model::OrderStatus::pending;
    EXPECT_EQ(map_order(t, o).outputs.find("action")->as_string(), "skip");
}

TEST(MappingTransform, TypeConversions) {
    auto t = load(R"(
flow: f
target: x
fields:
  total: {from: order.order_total, type: decimal}
  total_text: {from: order.order_total, type: text}
  total_int: {from: order.order_total, type: integer}
  count: {from: order.line_count, type: decimal}
  business: {from: order.is_business_order, type: integer}
  flag: {value: "yes", type: boolean}
  when_utc: {from: order.purchase_date}
  when_iso: {from: order.purchase_date, type: text}
  day_tokyo: {from: order.purchase_date, type: date, timezone: "+09:00"}
  day_utc: {from: order.purchase_date, type: date}
  naive: {value: "2026-01-21 09:00:00", type: datetime, timezone: "+09:00"}
  eu_price: {value: "1.234,50", type: decimal}
  rounded: {value: "2.345", type: decimal, round: 2}
  yen: {value: "1234.5", type: decimal, round: currency}
)");
    auto r = map_order(t, sample_order());
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0],
              "t.yaml:7:3: field 'total_int': cannot convert '39.98' to integer (from "
              "order.order_total)");
    EXPECT_EQ(r.record.find("total")->as_decimal(), Decimal(3998, 2));
    EXPECT_EQ(r.record.find("total_text")->as_string(), "39.98");
    EXPECT_EQ(r.record.find("count")->as_decimal(), Decimal(2, 0));
    EXPECT_EQ(r.record.find("business")->as_int(), 1);
    EXPECT_TRUE(r.record.find("flag")->as_bool());
    EXPECT_EQ(r.record.find("when_utc")->as_string(), "2026-01-20 23:30:00");
    EXPECT_EQ(r.record.find("when_iso")->as_string(), "2026-01-20T23:30:00Z");
    EXPECT_EQ(r.record.find("day_tokyo")->as_string(), "2026-01-21");
    EXPECT_EQ(r.record.find("day_utc")->as_string(), "2026-01-20");
    EXPECT_EQ(r.record.find("naive")->as_string(), "2026-01-21 00:00:00");
    EXPECT_EQ(r.record.find("eu_price")->as_decimal(), Decimal(123450, 2));
    EXPECT_EQ(r.record.find("rounded")->as_decimal().to_string(), "2.35");
    EXPECT_EQ(r.record.find("yen")->as_decimal().to_string(), "1234.50");  // order is USD
}

TEST(MappingTransform, Conditions) {
    auto t = load(R"(
flow: f
target: x
fields:
  a: {value: 1, when: {path: order.is_business_order, equals: true}}
  b: {value: 1, when: {path: order.status, in: [Pending, Unshipped]}}
  c: {value: 1, when: {path: order.seller_order_id, exists: false}}
  d: {value: 1, when: {path: order.ship_to.name, not_empty: true}}
  e: {value: 1, when: {path: order.fulfillment_channel, not_equals: AFN}}
  f: {value: 1, when: {path: order.raw.buyer.buyerPurchaseOrderNumber, equals: PO-7}}
)");
    auto r = map_order(t, sample_order());
    EXPECT_NE(r.record.find("a"), nullptr);
    EXPECT_EQ(r.record.find("b"), nullptr);
    EXPECT_NE(r.record.find("c"), nullptr);
    EXPECT_NE(r.record.find("d"), nullptr);
    EXPECT_EQ(r.record.find("e"), nullptr);
    EXPECT_NE(r.record.find("f"), nullptr);
}

TEST(MappingTransform, RequiredMissingIsAnErrorOptionalMissingIsOmitted) {
    auto t = load(R"(
flow: f
target: x
fields:
  ref: {from: order.seller_order_id, required: true}
  opt: {from: order.seller_order_id}
  dflt: {from: order.seller_order_id, default: none}
)");
    auto r = map_order(t, sample_order());
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0],
              "t.yaml:5:3: field 'ref': required value order.seller_order_id is missing");
    EXPECT_EQ(r.record.find("opt"), nullptr);
    EXPECT_EQ(r.record.find("dflt")->as_string(), "none");
}

TEST(MappingTransform, RawPayloadPathsReachAnyAmazonAttribute) {
    auto t = load(R"(
flow: f
target: sale.order
fields:
  x_po: order.raw.buyer.buyerPurchaseOrderNumber
lines:
  target: order_line
  fields:
    x_note: line.raw.product.condition.conditionNote
)");
    auto r = map_order(t, sample_order());
    EXPECT_EQ(r.record.find("x_po")->as_string(), "PO-7");
    ASSERT_EQ(r.lines.size(), 2u);
    EXPECT_EQ(r.lines[0].find("x_note")->as_string(), "boxed");
    EXPECT_EQ(r.lines[1].find("x_note"), nullptr);
}

TEST(MappingTransform, PerLineMappingsAndLookupsDeduplicatedAndResolved) {
    auto t = load(R"(
flow: f
target: sale.order
fields:
  warehouse_id: {from: order.fulfillment_channel, map: {AFN: AMZ}, default: WH,
                 lookup: {model: stock.warehouse, by: code}}
lines:
  target: order_line
  fields:
    product_id: {from: line.sku, lookup: {model: product.product, by: default_code}}
    product_uom_qty: {from: line.quantity_ordered, type: decimal}
    x_studio_gift_message: {from: line.gift_message, when: {path: line.is_gift, equals: true}}
)");
    auto o = sample_order();
    o.lines[1].sku = "SKU-A";  // same SKU twice: one lookup
    auto r = map_order(t, o);
    ASSERT_TRUE(r.errors.empty());
    ASSERT_EQ(r.lookups.size(), 2u);
    EXPECT_EQ(r.lookups[0].model, "stock.warehouse");
    EXPECT_EQ(r.lookups[0].key.as_string(), "AMZ");
    EXPECT_EQ(r.lookups[1].field, "default_code");
    EXPECT_EQ(r.lookups[1].key.as_string(), "SKU-A");
    EXPECT_EQ(
        to_json(r.to_value()),
        R"({"warehouse_id":{"lookup":"stock.warehouse","by":"code","key":"AMZ"},)"
        R"("order_line":[[0,0,{"product_id":{"lookup":"product.product","by":"default_code",)"
        R"("key":"SKU-A"},"product_uom_qty":2,"x_studio_gift_message":"Happy birthday"}],)"
        R"([0,0,{"product_id":{"lookup":"product.product","by":"default_code","key":"SKU-A"},)"
        R"("product_uom_qty":2}]]})");
    std::vector<std::optional<std::int64_t>> ids{3, 42};
    r.resolve(ids);
    EXPECT_TRUE(r.errors.empty());
    EXPECT_EQ(
        to_json(r.to_value()),
        R"({"warehouse_id":3,"order_line":[[0,0,{"product_id":42,"product_uom_qty":2,)"
        R"("x_studio_gift_message":"Happy birthday"}],[0,0,{"product_id":42,"product_uom_qty":2}]]})");
}

TEST(MappingTransform, UnresolvedLookupsErrorSkipOrNull) {
    auto t = load(R"(
flow: f
target: sale.order
fields:
  a: {from: order.amazon_order_id, lookup: {model: m, by: f}}
  b: {from: order.sales_channel, lookup: {model: m, by: g, on_missing: skip}}
  c: {from: order.order_type, lookup: {model: m, by: h, on_missing: "null"}}
)");
    auto r = map_order(t, sample_order());
    std::vector<std::optional<std::int64_t>> none(3);
    r.resolve(none);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0],
              "t.yaml:5:3: field 'a': no m with f = '111-2223334-5556667' in Odoo (records are "
              "never created by a lookup)");
    EXPECT_EQ(r.record.find("b"), nullptr);
    EXPECT_FALSE(r.record.find("c")->as_bool());
}

TEST(MappingTransform, LookupWhereTermsJoinTheRequest) {
    auto t = load(R"(
flow: f
target: res.partner
fields:
  state_id:
    from: order.ship_to.state_or_region
    lookup: {model: res.country.state, by: code, where: {country_id.code: order.ship_to.country_code}}
)");
    auto o = sample_order();
    o.ship_to->state_or_region = "CA";
    auto r = map_order(t, o);
    ASSERT_TRUE(r.errors.empty());
    ASSERT_EQ(r.lookups.size(), 1u);
    EXPECT_EQ(r.lookups[0].also.at(0).second.as_string(), "US");
    o.ship_to->country_code.clear();
    auto missing = map_order(t, o);
    ASSERT_EQ(missing.errors.size(), 1u);
    EXPECT_EQ(missing.errors[0],
              "t.yaml:5:3: field 'state_id': lookup term country_id.code "
              "(order.ship_to.country_code) is missing");
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n"
                         "  p: {from: order.status, lookup: {model: m, by: b, where: [x]}}\n"),
              "t.yaml:4:60: field 'p': lookup 'where' must map Odoo field to source path");
}

TEST(MappingTransform, ReverseProductToListingAttributes) {
    auto t = load(R"(
flow: product_export
source: product
target: amazon.listing
product_type: SHIRT
marketplace_id: A1PA6795UKMFR9
language_tag: de_DE
fields:
  item_name: product.title
  bullet_point: {from: product.attributes.description_sale, split: "\n"}
  material: product.attributes.x_studio_material
  condition_type: {value: new_new, wrap: plain}
)");
    model::Product p;
    p.title = "Hemd";
    p.attributes.set("description_sale", "Baumwolle\n\n  Blau  ");
    p.attributes.set("x_studio_material", "Leinen");
    auto r = map_product(t, p);
    ASSERT_TRUE(r.errors.empty());
    EXPECT_EQ(
        to_json(to_listing_body(r)),
        R"({"productType":"SHIRT","requirements":"LISTING","attributes":{)"
        R"("item_name":[{"value":"Hemd","language_tag":"de_DE","marketplace_id":"A1PA6795UKMFR9"}],)"
        R"("bullet_point":[{"value":"Baumwolle","language_tag":"de_DE","marketplace_id":"A1PA6795UKMFR9"},)"
        R"({"value":"Blau","language_tag":"de_DE","marketplace_id":"A1PA6795UKMFR9"}],)"
        R"("material":[{"value":"Leinen","language_tag":"de_DE","marketplace_id":"A1PA6795UKMFR9"}],)"
        R"("condition_type":[{"value":"new_new","marketplace_id":"A1PA6795UKMFR9"}]}})");
}

TEST(MappingTransform, WrongEntityIsReported) {
    auto t = load("flow: f\ntarget: x\nsource: product\nfields: {a: product.sku}\n");
    auto r = map_order(t, sample_order());
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0], "t.yaml: template source is 'product', not order");
}

TEST(MappingTransform, ExtendsOverridesAddsAndRemovesFields) {
    test::TempDir dir;
    {
        std::ofstream(dir / "base.yaml") << "flow: f\ntarget: sale.order\nfields:\n"
                                            "  a: {value: 1}\n  b: {value: 2}\n  c: {value: 3}\n";
        std::ofstream(dir / "conn.yaml")
            << "extends: base.yaml\nfields:\n"
               "  b: {value: 20}\n  c: ~\n  d: order.amazon_order_id\n";
    }
    auto t = MappingTemplate::load_file(dir / "conn.yaml");
    auto r = map_order(t, sample_order());
    EXPECT_EQ(to_json(r.to_value()), R"({"a":1,"b":20,"d":"111-2223334-5556667"})");
    EXPECT_EQ(t.flow(), "f");
}

// ---- load-time errors: one test per message ----------------------------------------------

TEST(MappingLoadError, YamlSyntaxNamesFileAndLine) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n  a: {from: [\n"),
              "t.yaml:5:1: YAML error: end of sequence flow not found");
}

TEST(MappingLoadError, NotAMapping) {
    EXPECT_EQ(load_error("- a\n- b\n"), "t.yaml:1:1: a mapping template must be a YAML mapping");
}

TEST(MappingLoadError, UnknownTopLevelKey) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfeilds: {}\n"),
              "t.yaml:3:1: unknown key 'feilds' (expected one of: flow, source, target, extends, "
              "description, fields, lines, outputs, product_type, marketplace_id, language_tag, "
              "source_model)");
}

TEST(MappingLoadError, MissingFlowOrTarget) {
    EXPECT_EQ(load_error("target: x\n"), "t.yaml:1:1: missing 'flow'");
    EXPECT_EQ(load_error("flow: f\n"), "t.yaml:1:1: missing 'target'");
}

TEST(MappingLoadError, UnknownSourcePathSuggestsTheClosest) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n  ref: {from: order.amazon_orderid}\n"),
              "t.yaml:4:15: field 'ref': unknown source path 'order.amazon_orderid' (did you mean "
              "'order.amazon_order_id'?); raw Amazon fields are reached with order.raw.<path> or "
              "line.raw.<path>");
}

TEST(MappingLoadError, LinePathOutsideLines) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n  p: line.sku\n"),
              "t.yaml:4:6: field 'p': 'line.sku' can only be used inside 'lines'");
}

TEST(MappingLoadError, MalformedRawPath) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n  p: order.raw.a..b\n"),
              "t.yaml:4:6: field 'p': malformed path 'order.raw.a..b'");
}

TEST(MappingLoadError, UnknownFieldKey) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n  p: {frm: order.status}\n"),
              "t.yaml:4:7: field 'p': unknown key 'frm' (expected one of: from, value, template, "
              "map, default, type, round, timezone, split, when, required, lookup, wrap)");
}

TEST(MappingLoadError, ExactlyOneSource) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n  p: {from: order.status, value: 1}\n"),
              "t.yaml:4:6: field 'p': give exactly one of 'from', 'value', 'template'");
}

TEST(MappingLoadError, UnknownType) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n  p: {from: order.status, type: integr}\n"),
              "t.yaml:4:33: field 'p': unknown type 'integr' (expected text, integer, decimal, "
              "boolean, date, datetime)");
}

TEST(MappingLoadError, BadLiteralConversion) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n  p: {value: abc, type: integer}\n"),
              "t.yaml:4:6: field 'p': cannot convert 'abc' to integer");
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n"
                         "  p: {from: order.status, map: {Shipped: x}, type: decimal}\n"),
              "t.yaml:4:6: field 'p': cannot convert 'x' to decimal");
}

TEST(MappingLoadError, IncompatibleSourceType) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n  p: {from: order.is_prime, type: date}\n"),
              "t.yaml:4:6: field 'p': cannot convert order.is_prime (boolean) to date");
}

TEST(MappingLoadError, NamedTimeZoneRejected) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n"
                         "  p: {from: order.purchase_date, type: date, timezone: Europe/Berlin}\n"),
              "t.yaml:4:56: field 'p': timezone 'Europe/Berlin' is not supported; use UTC or a "
              "fixed offset like +09:00 (named zones such as Europe/Berlin change with daylight "
              "saving time)");
}

TEST(MappingLoadError, RoundNeedsDecimal) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n  p: {value: 1, round: 2}\n"),
              "t.yaml:4:24: field 'p': 'round' needs 'type: decimal'");
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n  p: {value: 1, type: decimal, round: x}\n"),
              "t.yaml:4:39: field 'p': 'round' must be 'currency' or 0..12 decimal places");
}

TEST(MappingLoadError, TemplateBraces) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n  p: {template: \"a {order.status\"}\n"),
              "t.yaml:4:17: field 'p': unclosed '{' in template 'a {order.status'");
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n  p: {template: \"a }\"}\n"),
              "t.yaml:4:17: field 'p': unmatched '}' in template 'a }' (write '}}' for a literal "
              "brace)");
}

TEST(MappingLoadError, MapMustBeAMapping) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n  p: {from: order.status, map: [a]}\n"),
              "t.yaml:4:32: field 'p': 'map' must be a mapping of source value to target value");
}

TEST(MappingLoadError, LookupNeedsModelAndBy) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n"
                         "  p: {from: order.status, lookup: {model: m}}\n"),
              "t.yaml:4:35: field 'p': 'lookup' needs 'model' and 'by' (e.g. {model: "
              "product.product, by: default_code})");
}

TEST(MappingLoadError, Conditions) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n  p: {value: 1, when: {equals: 1}}\n"),
              "t.yaml:4:23: field 'p': 'when' needs 'path' and one of equals, not_equals, in, "
              "exists, not_empty");
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n"
                         "  p: {value: 1, when: {path: order.status, like: x}}\n"),
              "t.yaml:4:44: field 'p': unknown condition 'like' (expected equals, not_equals, in, "
              "exists, not_empty)");
}

TEST(MappingLoadError, LinesNeedTargetAndProductHasNoLines) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nlines:\n  fields: {a: line.sku}\n"),
              "t.yaml:4:3: 'lines' needs 'target' (the one2many field, e.g. order_line)");
    EXPECT_EQ(load_error("flow: f\ntarget: amazon.listing\nsource: product\nproduct_type: P\n"
                         "lines:\n  target: x\n"),
              "t.yaml:6:3: product templates have no 'lines'");
}

TEST(MappingLoadError, UnknownSourceEntity) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nsource: invoice\n"),
              "t.yaml:3:9: unknown source 'invoice' (expected order, product, shipment)");
}

TEST(MappingLoadError, ListingNeedsProductType) {
    EXPECT_EQ(load_error("flow: f\ntarget: amazon.listing\nsource: product\n"),
              "t.yaml:1:1: target amazon.listing needs 'product_type'");
}

TEST(MappingLoadError, DuplicateField) {
    EXPECT_EQ(load_error("flow: f\ntarget: x\nfields:\n  a: order.status\n  a: order.status\n"),
              "t.yaml:5:3: duplicate field 'a'");
}

TEST(MappingLoadError, ExtendsMissingFile) {
    EXPECT_EQ(load_error("extends: nope.yaml\nflow: f\ntarget: x\n"),
              "t.yaml:1:10: cannot read extended template 'nope.yaml': No such file or "
              "directory");
}

TEST(MappingLoadError, MissingFile) {
    try {
        MappingTemplate::load_file("/nonexistent/x.yaml");
        FAIL() << "loaded";
    } catch (const TemplateError& e) {
        EXPECT_STREQ(e.what(),
                     "/nonexistent/x.yaml: cannot read mapping template: No such file or "
                     "directory");
    }
}

// Issue #18: a template is read like the configuration: a regular file of at most 4 MiB, never a
// FIFO or a device.
TEST(MappingLoadError, FilesThatAreNotRegularOrTooLargeAreRefused) {
    test::TempDir dir;
    const auto big = dir / "big.yaml";
    { std::ofstream(big) << "flow: f\n"; }
    std::filesystem::resize_file(big, 4 * 1024 * 1024 + 1);
    const std::vector<std::pair<std::string, std::string>> cases = {
        {big.string(), "it is 4194305 bytes, over the limit of 4 MiB"},
        {"/dev/zero", "it is a character device, not a regular file"},
        {dir.path().string(), "it is a directory, not a regular file"},
    };
    for (const auto& [path, reason] : cases) {
        try {
            MappingTemplate::load_file(path);
            FAIL() << "loaded " << path;
        } catch (const TemplateError& e) {
            EXPECT_EQ(std::string(e.what()), path + ": cannot read mapping template: " + reason);
        }
    }
    EXPECT_EQ(load_error("extends: /dev/zero\nflow: f\ntarget: x\n"),
              "t.yaml:1:10: cannot read extended template '/dev/zero': it is a character "
              "device, not a regular file");
}

TEST(MappingLoadError, DeepYamlAndNulBytesNameTheLimitAndThePlace) {
    // A million flow levels are refused by the scan before the YAML parser (which took seconds).
    EXPECT_EQ(load_error("flow: f\nfields: " + std::string(1'000'000, '[')),
              "t.yaml:2:509: YAML error: YAML nested deeper than 500 levels, the limit of the "
              "YAML parser; no configuration needs that many");
    // Block nesting reaches yaml-cpp's own limit, reported the same way.
    std::string block = "flow: f\nfields:\n  a:\n    ";
    for (int i = 0; i < 1'000'000; ++i) block += "- ";
    const auto e = load_error(block + "x\n");
    EXPECT_TRUE(e.starts_with("t.yaml:4:")) << e;
    EXPECT_NE(e.find(": YAML error: YAML nested deeper than 500 levels"), std::string::npos) << e;
    EXPECT_EQ(load_error(std::string("flow: f\ntarget: \"sale\0order\"\n", 29)),
              "t.yaml:2:14: YAML error: the file contains a NUL byte, which YAML text cannot "
              "hold (a binary file, or one saved in UTF-16?)");
}

TEST(MappingLoadError, AllProblemsReportedAtOnce) {
    try {
        load("flow: f\ntarget: x\nfields:\n  a: order.nope\n  b: {value: x, type: integer}\n");
        FAIL() << "loaded";
    } catch (const TemplateError& e) {
        ASSERT_EQ(e.problems().size(), 2u);
        EXPECT_NE(std::string(e.what()).find('\n'), std::string::npos);
    }
}

}  // namespace
}  // namespace clarity::mapping
