#include "clarity/amazon/orders.hpp"

#include <cstdint>
#include <memory>

#include "clarity/amazon/canonical.hpp"
#include "json_util.hpp"
#include "query.hpp"

// Shapes: models/orders-api-model/orders_2026-01-01.json (camelCase, no payload wrapper) and
// models/orders-api-model/ordersV0.json (PascalCase inside `payload`), NOTES.md §3.

namespace clarity::amazon {
namespace {

using namespace detail;

constexpr std::string_view kSearch = "searchOrders";

/// The JSON tree as a model::Value (numbers exact: integers as integers, fractions through their
/// shortest text into Decimal; a number Decimal cannot hold stays its text). Recursive: every tree
/// here comes from parse_body, which refuses nesting deeper than model::kMaxNestingDepth.
model::Value to_value(const json& j) {
    switch (j.type()) {
        case json::value_t::null:
        case json::value_t::discarded:
            return {};
        case json::value_t::boolean:
            return model::Value(j.get<bool>());
        case json::value_t::number_integer:
            return model::Value(j.get<std::int64_t>());
        case json::value_t::number_unsigned: {
            const auto u = j.get<std::uint64_t>();
            if (u <= static_cast<std::uint64_t>(INT64_MAX)) {
                return model::Value(static_cast<std::int64_t>(u));
            }
            return model::Value(j.dump());
        }
        case json::value_t::number_float: {
            const std::string text = j.dump();
            if (auto d = model::Decimal::parse(text)) return model::Value(*d);
            return model::Value(text);
        }
        case json::value_t::string:
            return model::Value(j.get_ref<const std::string&>());
        case json::value_t::array: {
            model::Value a = model::Value::array();
            for (const auto& e : j) a.push_back(to_value(e));
            return a;
        }
        case json::value_t::object: {
            model::Value o = model::Value::object();
            for (auto it = j.begin(); it != j.end(); ++it) o.set(it.key(), to_value(it.value()));
            return o;
        }
        case json::value_t::binary:
            break;
    }
    return {};
}

std::optional<model::Money> money26(const json& j, std::string_view key) {
    return money(j, key, "amount", "currencyCode");
}

std::optional<model::Money> money_v0(const json& j, std::string_view key) {
    return money(j, key, "Amount", "CurrencyCode");
}

Address decode_address26(const json& a) {
    return Address{str(a, "name"),
                   str(a, "companyName"),
                   str(a, "addressLine1"),
                   str(a, "addressLine2"),
                   str(a, "addressLine3"),
                   str(a, "city"),
                   str(a, "districtOrCounty"),
                   str(a, "stateOrRegion"),
                   str(a, "municipality"),
                   str(a, "postalCode"),
                   str(a, "countryCode"),
                   str(a, "phone"),
                   str(a, "addressType")};
}

Address decode_address_v0(const json& a) {
    return Address{str(a, "Name"),         str(a, "CompanyName"),   str(a, "AddressLine1"),
                   str(a, "AddressLine2"), str(a, "AddressLine3"),  str(a, "City"),
                   str(a, "County"),       str(a, "StateOrRegion"), str(a, "Municipality"),
                   str(a, "PostalCode"),   str(a, "CountryCode"),   str(a, "Phone"),
                   str(a, "AddressType")};
}

OrderItem decode_item26(const json& j) {
    OrderItem it;
    it.order_item_id = str(j, "orderItemId");
    it.quantity_ordered = integer(j, "quantityOrdered");
    it.programs = strings(j, "programs");
    if (auto* p = member(j, "product")) {
        it.asin = str(*p, "asin");
        it.seller_sku = str(*p, "sellerSku");
        it.title = str(*p, "title");
        if (auto* c = member(*p, "condition")) {
            it.condition_type = str(*c, "conditionType");
            it.condition_subtype = str(*c, "conditionSubtype");
        }
        it.serial_numbers = strings(*p, "serialNumbers");
        if (auto* pr = member(*p, "price")) it.unit_price = money26(*pr, "unitPrice");
        if (auto* cu = member(*p, "customization")) it.customized_url = str(*cu, "customizedUrl");
    }
    if (auto* pr = member(j, "proceeds")) {
        it.proceeds_total = money26(*pr, "proceedsTotal");
        for (const auto& b : array_or_empty(*pr, "breakdowns")) {
            auto m = money26(b, "subtotal");
            if (!m) continue;
            ProceedsBreakdown breakdown{str(b, "type"), *m, {}};
            for (const auto& d : array_or_empty(b, "detailedBreakdowns")) {
                if (auto v = money26(d, "value")) {
                    breakdown.details.push_back({str(d, "subtype"), *v});
                }
            }
            it.proceeds.push_back(std::move(breakdown));
        }
    }
    if (auto* pm = member(j, "promotion")) {
        for (const auto& b : array_or_empty(*pm, "breakdowns")) {
            it.promotion_ids.push_back(str(b, "promotionId"));
        }
    }
    if (auto* c = member(j, "cancellation")) {
        if (auto* r = member(*c, "cancellationRequest")) {
            it.cancel_requester = str(*r, "requester");
            it.cancel_reason = str(*r, "cancelReason");
        }
        if (auto* e = member(*c, "cancellationExecution")) {
            it.cancelled = true;
            if (it.cancel_reason.empty()) it.cancel_reason = str(*e, "cancelReason");
        }
    }
    if (auto* f = member(j, "fulfillment")) {
        it.quantity_fulfilled = opt_int(*f, "quantityFulfilled");
        it.quantity_unfulfilled = opt_int(*f, "quantityUnfulfilled");
        if (auto* pk = member(*f, "packing")) {
            if (auto* g = member(*pk, "giftOption")) {
                it.gift_message = str(*g, "giftMessage");
                it.gift_wrap_level = str(*g, "giftWrapLevel");
            }
        }
    }
    return it;
}

Result<Order> decode_order26(const json& j) {
    Order o;
    o.order_id = str(j, "orderId");
    if (o.order_id.empty()) return missing_field("order", "orderId");
    o.created_time = str(j, "createdTime");
    o.last_updated_time = str(j, "lastUpdatedTime");
    o.programs = strings(j, "programs");
    for (const auto& a : array_or_empty(j, "orderAliases")) {
        if (str(a, "aliasType") == "SELLER_ORDER_ID")
            o.seller_order_ids.push_back(str(a, "aliasId"));
    }
    if (auto* s = member(j, "salesChannel")) {
        o.channel_name = str(*s, "channelName");
        o.marketplace_id = str(*s, "marketplaceId");
        o.marketplace_name = str(*s, "marketplaceName");
    }
    if (auto* b = member(j, "buyer")) {
        o.buyer_name = str(*b, "buyerName");
        o.buyer_email = str(*b, "buyerEmail");
        o.buyer_company_name = str(*b, "buyerCompanyName");
        o.buyer_purchase_order_number = str(*b, "buyerPurchaseOrderNumber");
    }
    if (auto* r = member(j, "recipient")) {
        if (auto* a = member(*r, "deliveryAddress")) o.delivery_address = decode_address26(*a);
    }
    if (auto* p = member(j, "proceeds")) o.grand_total = money26(*p, "grandTotal");
    if (auto* f = member(j, "fulfillment")) {
        o.fulfillment_status = str(*f, "fulfillmentStatus");
        o.fulfilled_by = str(*f, "fulfilledBy");
        o.fulfillment_service_level = str(*f, "fulfillmentServiceLevel");
        if (auto* w = member(*f, "shipByWindow")) {
            o.ship_by_earliest = str(*w, "earliestDateTime");
            o.ship_by_latest = str(*w, "latestDateTime");
        }
        if (auto* w = member(*f, "deliverByWindow")) {
            o.deliver_by_earliest = str(*w, "earliestDateTime");
            o.deliver_by_latest = str(*w, "latestDateTime");
        }
    }
    if (auto* t = member(j, "tax")) {
        for (const auto& r : array_or_empty(*t, "taxRegistrations")) {
            if (str(r, "entityType") == "BUYER") o.buyer_tax_id = str(r, "taxRegistrationNumber");
        }
    }
    auto raw = std::make_shared<const model::Value>(to_value(j));
    const model::Value* raw_items = raw->find("orderItems");
    std::size_t index = 0;
    for (const auto& i : array_or_empty(j, "orderItems")) {
        OrderItem item = decode_item26(i);
        if (raw_items != nullptr) {
            if (const model::Value* r = raw_items->at(index)) {
                item.raw = std::shared_ptr<const model::Value>(raw, r);
            }
        }
        o.items.push_back(std::move(item));
        ++index;
    }
    o.raw = std::move(raw);
    for (const auto& p : array_or_empty(j, "packages")) {
        OrderPackage pkg{str(p, "packageReferenceId"),
                         str(p, "carrier"),
                         str(p, "trackingNumber"),
                         str(p, "shipTime"),
                         {},
                         {}};
        if (auto* s = member(p, "packageStatus")) {
            pkg.status = str(*s, "status");
            pkg.detailed_status = str(*s, "detailedStatus");
        }
        o.packages.push_back(std::move(pkg));
    }
    return o;
}

OrderV0 decode_order_v0(const json& j) {
    OrderV0 o;
    o.amazon_order_id = str(j, "AmazonOrderId");
    o.seller_order_id = str(j, "SellerOrderId");
    o.purchase_date = str(j, "PurchaseDate");
    o.last_update_date = str(j, "LastUpdateDate");
    o.order_status = str(j, "OrderStatus");
    o.fulfillment_channel = str(j, "FulfillmentChannel");
    o.sales_channel = str(j, "SalesChannel");
    o.marketplace_id = str(j, "MarketplaceId");
    o.order_type = str(j, "OrderType");
    o.ship_service_level = str(j, "ShipServiceLevel");
    o.earliest_ship_date = str(j, "EarliestShipDate");
    o.latest_ship_date = str(j, "LatestShipDate");
    o.order_total = money_v0(j, "OrderTotal");
    o.items_shipped = integer(j, "NumberOfItemsShipped");
    o.items_unshipped = integer(j, "NumberOfItemsUnshipped");
    o.is_prime = boolean(j, "IsPrime");
    o.is_business_order = boolean(j, "IsBusinessOrder");
    o.is_replacement_order = boolean(j, "IsReplacementOrder");
    o.is_iba = boolean(j, "IsIBA");
    o.is_premium_order = boolean(j, "IsPremiumOrder");
    o.is_global_express = boolean(j, "IsGlobalExpressEnabled");
    o.ship_service_level_category = str(j, "ShipmentServiceLevelCategory");
    o.earliest_delivery_date = str(j, "EarliestDeliveryDate");
    o.latest_delivery_date = str(j, "LatestDeliveryDate");
    o.replaced_order_id = str(j, "ReplacedOrderId");
    if (auto* b = member(j, "BuyerInfo")) {
        o.buyer_email = str(*b, "BuyerEmail");
        o.buyer_name = str(*b, "BuyerName");
        o.purchase_order_number = str(*b, "PurchaseOrderNumber");
        if (auto* t = member(*b, "BuyerTaxInfo"))
            o.buyer_company_name = str(*t, "CompanyLegalName");
    }
    if (auto* a = member(j, "ShippingAddress")) o.shipping_address = decode_address_v0(*a);
    o.raw = std::make_shared<const model::Value>(to_value(j));
    return o;
}

OrderItemV0 decode_item_v0(const json& i) {
    OrderItemV0 it;
    it.asin = str(i, "ASIN");
    it.order_item_id = str(i, "OrderItemId");
    it.seller_sku = str(i, "SellerSKU");
    it.title = str(i, "Title");
    it.quantity_ordered = integer(i, "QuantityOrdered");
    it.quantity_shipped = integer(i, "QuantityShipped");
    it.item_price = money_v0(i, "ItemPrice");
    it.item_tax = money_v0(i, "ItemTax");
    it.shipping_price = money_v0(i, "ShippingPrice");
    it.shipping_tax = money_v0(i, "ShippingTax");
    it.shipping_discount = money_v0(i, "ShippingDiscount");
    it.shipping_discount_tax = money_v0(i, "ShippingDiscountTax");
    it.cod_fee = money_v0(i, "CODFee");
    it.condition_id = str(i, "ConditionId");
    it.condition_subtype_id = str(i, "ConditionSubtypeId");
    it.promotion_discount = money_v0(i, "PromotionDiscount");
    it.promotion_discount_tax = money_v0(i, "PromotionDiscountTax");
    it.promotion_ids = strings(i, "PromotionIds");
    it.is_gift = boolean(i, "IsGift");
    if (auto* b = member(i, "BuyerInfo")) {
        it.gift_message_text = str(*b, "GiftMessageText");
        it.gift_wrap_level = str(*b, "GiftWrapLevel");
        it.gift_wrap_price = money_v0(*b, "GiftWrapPrice");
        it.gift_wrap_tax = money_v0(*b, "GiftWrapTax");
        if (auto* c = member(*b, "BuyerCustomizedInfo")) {
            it.customized_url = str(*c, "CustomizedURL");
        }
    }
    if (auto* c = member(i, "BuyerRequestedCancel")) {
        it.buyer_requested_cancel = boolean(*c, "IsBuyerRequestedCancel");
        it.buyer_cancel_reason = str(*c, "BuyerCancelReason");
    }
    it.raw = std::make_shared<const model::Value>(to_value(i));
    return it;
}

const json* payload_of(const json& j) { return member(j, "payload"); }

}  // namespace

std::vector<std::string> default_order_included_data() {
    return {"BUYER",        "RECIPIENT",   "PROCEEDS", "PROMOTION",
            "CANCELLATION", "FULFILLMENT", "PACKAGES", "TAX"};
}

Result<SearchOrdersPage> decode_search_orders(std::string_view body) {
    auto j = parse_body(body, kSearch);
    if (!j) return j.error();
    auto* orders = member(j->v, "orders");
    if (orders == nullptr || !orders->is_array()) return missing_field(kSearch, "orders");
    SearchOrdersPage page;
    for (const auto& o : *orders) {
        auto order = decode_order26(o);
        if (!order) return order.error();
        page.orders.push_back(std::move(*order));
    }
    if (auto* p = member(j->v, "pagination")) {
        auto t = str(*p, "nextToken");
        if (!t.empty()) page.next_token = t;
    }
    page.created_before = str(j->v, "createdBefore");
    page.last_updated_before = str(j->v, "lastUpdatedBefore");
    return page;
}

Result<Order> decode_get_order(std::string_view body) {
    auto j = parse_body(body, "getOrder");
    if (!j) return j.error();
    auto* o = member(j->v, "order");
    if (o == nullptr) return missing_field("getOrder", "order");
    return decode_order26(*o);
}

std::string encode_search_orders_query(const SearchOrdersRequest& r) {
    QueryBuilder q;
    q.add_opt("createdAfter", r.created_after);
    q.add_opt("createdBefore", r.created_before);
    q.add_opt("lastUpdatedAfter", r.last_updated_after);
    q.add_opt("lastUpdatedBefore", r.last_updated_before);
    q.add_csv("fulfillmentStatuses", r.fulfillment_statuses);
    q.add_csv("marketplaceIds", r.marketplace_ids);
    q.add_opt("fulfilledBy", r.fulfilled_by);
    if (r.max_results_per_page) q.add("maxResultsPerPage", std::to_string(*r.max_results_per_page));
    q.add_opt("paginationToken", r.pagination_token);
    q.add_csv("includedData", r.included_data);
    return q.str();
}

Result<GetOrdersPageV0> decode_get_orders_v0(std::string_view body) {
    auto j = parse_body(body, "getOrders");
    if (!j) return j.error();
    auto* p = payload_of(j->v);
    if (p == nullptr) return missing_field("getOrders", "payload");
    GetOrdersPageV0 page;
    for (const auto& o : array_or_empty(*p, "Orders")) page.orders.push_back(decode_order_v0(o));
    auto t = str(*p, "NextToken");
    if (!t.empty()) page.next_token = t;
    return page;
}

Result<OrderV0> decode_get_order_v0(std::string_view body) {
    auto j = parse_body(body, "getOrder (v0)");
    if (!j) return j.error();
    auto* p = payload_of(j->v);
    if (p == nullptr) return missing_field("getOrder (v0)", "payload");
    return decode_order_v0(*p);
}

Result<GetOrderItemsPageV0> decode_get_order_items_v0(std::string_view body) {
    auto j = parse_body(body, "getOrderItems");
    if (!j) return j.error();
    auto* p = payload_of(j->v);
    if (p == nullptr) return missing_field("getOrderItems", "payload");
    GetOrderItemsPageV0 page;
    page.amazon_order_id = str(*p, "AmazonOrderId");
    for (const auto& i : array_or_empty(*p, "OrderItems")) {
        page.items.push_back(decode_item_v0(i));
    }
    auto t = str(*p, "NextToken");
    if (!t.empty()) page.next_token = t;
    return page;
}

std::string encode_get_orders_v0_query(const GetOrdersRequestV0& r) {
    QueryBuilder q;
    q.add_csv("MarketplaceIds", r.marketplace_ids);
    q.add_opt("CreatedAfter", r.created_after);
    q.add_opt("CreatedBefore", r.created_before);
    q.add_opt("LastUpdatedAfter", r.last_updated_after);
    q.add_opt("LastUpdatedBefore", r.last_updated_before);
    q.add_csv("OrderStatuses", r.order_statuses);
    q.add_csv("FulfillmentChannels", r.fulfillment_channels);
    q.add_csv("AmazonOrderIds", r.amazon_order_ids);
    if (r.max_results_per_page) q.add("MaxResultsPerPage", std::to_string(*r.max_results_per_page));
    q.add_opt("NextToken", r.next_token);
    return q.str();
}

std::string encode_confirm_shipment(const ConfirmShipmentRequest& r) {
    json items = json::array();
    for (const auto& i : r.items) {
        json item{{"orderItemId", i.order_item_id}, {"quantity", i.quantity}};
        if (!i.transparency_codes.empty()) item["transparencyCodes"] = i.transparency_codes;
        items.push_back(std::move(item));
    }
    json pkg{{"packageReferenceId", r.package_reference_id},
             {"carrierCode", r.carrier_code},
             {"trackingNumber", r.tracking_number},
             {"shipDate", r.ship_date},
             {"orderItems", std::move(items)}};
    if (!r.carrier_name.empty()) pkg["carrierName"] = r.carrier_name;
    if (!r.shipping_method.empty()) pkg["shippingMethod"] = r.shipping_method;
    if (r.ship_from_supply_source_id) pkg["shipFromSupplySourceId"] = *r.ship_from_supply_source_id;
    return json{{"marketplaceId", r.marketplace_id}, {"packageDetail", std::move(pkg)}}.dump();
}

std::string encode_rdt_request(const std::vector<RestrictedResource>& resources) {
    json arr = json::array();
    for (const auto& r : resources) {
        json e{{"method", r.method}, {"path", r.path}};
        if (!r.data_elements.empty()) e["dataElements"] = r.data_elements;
        arr.push_back(std::move(e));
    }
    return json{{"restrictedResources", std::move(arr)}}.dump();
}

Result<RestrictedDataToken> decode_rdt_response(std::string_view body) {
    auto j = parse_body(body, "createRestrictedDataToken");
    if (!j) return j.error();
    RestrictedDataToken t{str(j->v, "restrictedDataToken"), integer(j->v, "expiresIn")};
    if (t.token.empty()) return missing_field("createRestrictedDataToken", "restrictedDataToken");
    return t;
}

Result<model::Order> decode_order_document(std::string_view json_text) {
    // A document given by a person (not a response): invalid JSON stays invalid.
    auto j = parse_body(json_text, "order document");
    if (!j && j.error().kind == ErrorKind::permanent) return j.error();  // too deep
    if (!j) {
        return make_error(ErrorKind::permanent, "Amazon order: the document is not valid JSON",
                          "amazon.orders");
    }
    const json& doc = j->v;
    if (!doc.is_object()) {
        return make_error(ErrorKind::permanent, "Amazon order: document is not a JSON object",
                          "amazon.orders");
    }
    if (auto* o = member(doc, "order")) {
        auto order = decode_order26(*o);
        if (!order) return order.error();
        return to_canonical(*order);
    }
    if (member(doc, "orderId") != nullptr) {
        auto order = decode_order26(doc);
        if (!order) return order.error();
        return to_canonical(*order);
    }
    const json* v0 = member(doc, "payload");
    if (v0 == nullptr && member(doc, "AmazonOrderId") != nullptr) v0 = &doc;
    if (v0 != nullptr) {
        OrderV0 order = decode_order_v0(*v0);
        std::vector<OrderItemV0> items;
        for (const auto& i : array_or_empty(*v0, "OrderItems")) items.push_back(decode_item_v0(i));
        return to_canonical(order, items);
    }
    return make_error(ErrorKind::permanent,
                      "Amazon order: neither an Orders 2026-01-01 order ('order'/'orderId') nor a "
                      "v0 order ('payload'/'AmazonOrderId')",
                      "amazon.orders");
}

bool is_order_id(std::string_view id) noexcept {
    if (id.size() != 19 || id[3] != '-' || id[11] != '-') return false;
    for (std::size_t i = 0; i < id.size(); ++i) {
        if (i == 3 || i == 11) continue;
        if (id[i] < '0' || id[i] > '9') return false;
    }
    return true;
}

std::string order_id_excerpt(std::string_view id) {
    constexpr std::size_t kMax = 40;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < id.size() && i < kMax; ++i) {
        const auto c = static_cast<unsigned char>(id[i]);
        if (c < 0x20 || c >= 0x7f || c == '\\') {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0x0f];
        } else {
            out += static_cast<char>(c);
        }
    }
    if (id.size() > kMax) out += "... (" + std::to_string(id.size()) + " bytes)";
    return out;
}

}  // namespace clarity::amazon
