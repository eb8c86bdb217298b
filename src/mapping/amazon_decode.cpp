#include "clarity/mapping/amazon_decode.hpp"

#include <string>
#include <string_view>

namespace clarity::mapping {

using model::Address;
using model::Decimal;
using model::Money;
using model::Order;
using model::OrderLine;
using model::Value;

namespace {

const std::string kEmpty;

const std::string& str(const Value* obj, std::string_view key) {
    if (obj == nullptr) return kEmpty;
    const Value* v = obj->find(key);
    return v != nullptr && v->is_string() ? v->as_string() : kEmpty;
}

const Value* obj(const Value* parent, std::string_view key) {
    if (parent == nullptr) return nullptr;
    const Value* v = parent->find(key);
    return v != nullptr && (v->is_object() || v->is_array()) ? v : nullptr;
}

/// Amazon booleans: JSON true/false, or "true"/"false" strings (v0 IsGift).
bool flag(const Value* o, std::string_view key) {
    if (o == nullptr) return false;
    const Value* v = o->find(key);
    if (v == nullptr) return false;
    if (v->is_bool()) return v->as_bool();
    if (v->is_string()) return v->as_string() == "true" || v->as_string() == "True";
    return false;
}

std::int64_t integer(const Value* o, std::string_view key) {
    if (o == nullptr) return 0;
    const Value* v = o->find(key);
    if (v == nullptr) return 0;
    if (v->is_int()) return v->as_int();
    if (v->is_string()) {
        if (auto d = Decimal::parse(v->as_string())) return d->rescale(0).units();
    }
    return 0;
}

/// {amount, currencyCode} (2026) or {Amount, CurrencyCode} (v0). Amount is a decimal string.
std::optional<Money> money(const Value* m) {
    if (m == nullptr || !m->is_object()) return std::nullopt;
    const Value* amount = m->find("amount");
    if (amount == nullptr) amount = m->find("Amount");
    std::string currency = str(m, "currencyCode");
    if (currency.empty()) currency = str(m, "CurrencyCode");
    if (amount == nullptr) return std::nullopt;
    std::optional<Decimal> d;
    if (amount->is_string()) {
        d = Decimal::parse(amount->as_string());
    } else if (amount->is_number()) {
        d = amount->as_decimal();
    }
    if (!d) return std::nullopt;
    return Money{*d, std::move(currency)};
}

std::optional<model::Timestamp> time_of(const Value* o, std::string_view key) {
    const std::string& s = str(o, key);
    if (s.empty()) return std::nullopt;
    return model::parse_timestamp(s);
}

Error bad(std::string_view version, std::string message) {
    return make_error(ErrorKind::permanent,
                      "Amazon order (Orders " + std::string(version) + "): " + std::move(message),
                      "mapping.decode");
}

const Value* unwrap(const Value* v, std::string_view wrapper) {
    if (v == nullptr) return nullptr;
    if (const Value* inner = v->find(wrapper); inner != nullptr && inner->is_object()) return inner;
    return v;
}

Money abs_money(Money m) {
    if (m.amount.is_negative()) m.amount = -m.amount;
    return m;
}

Address address_v2026(const Value& a) {
    Address out;
    out.name = str(&a, "name");
    out.company = str(&a, "companyName");
    out.line1 = str(&a, "addressLine1");
    out.line2 = str(&a, "addressLine2");
    out.line3 = str(&a, "addressLine3");
    out.city = str(&a, "city");
    out.county = str(&a, "districtOrCounty");
    out.district = str(&a, "municipality");
    out.state_or_region = str(&a, "stateOrRegion");
    out.postal_code = str(&a, "postalCode");
    out.country_code = str(&a, "countryCode");
    out.phone = str(&a, "phone");
    out.address_type = str(&a, "addressType");
    return out;
}

Address address_v0(const Value& a) {
    Address out;
    out.name = str(&a, "Name");
    out.company = str(&a, "CompanyName");
    out.line1 = str(&a, "AddressLine1");
    out.line2 = str(&a, "AddressLine2");
    out.line3 = str(&a, "AddressLine3");
    out.city = str(&a, "City");
    out.county = str(&a, "County");
    out.district = str(&a, "District");
    out.state_or_region = str(&a, "StateOrRegion");
    out.postal_code = str(&a, "PostalCode");
    out.country_code = str(&a, "CountryCode");
    out.phone = str(&a, "Phone");
    out.address_type = str(&a, "AddressType");
    return out;
}

void set_unit_price_from_total(OrderLine& line) {
    if (line.unit_price || !line.item_price || line.quantity_ordered <= 0) return;
    const int scale = std::min(line.item_price->amount.scale() + 6, Decimal::kMaxScale);
    Decimal unit =
        Decimal::divide(line.item_price->amount, Decimal::from_int(line.quantity_ordered), scale)
            .normalized();
    if (unit.scale() < line.item_price->amount.scale()) {
        unit = unit.rescale(line.item_price->amount.scale());
    }
    line.unit_price = Money{unit, line.item_price->currency};
}

// Orders 2026 puts every charge of an item into proceeds.breakdowns by type; TAX and DISCOUNT
// may carry detailedBreakdowns by subtype (ITEM, SHIPPING, GIFT_WRAP, ...).
void apply_breakdowns(OrderLine& line, const Value* proceeds) {
    const Value* list = obj(proceeds, "breakdowns");
    if (list == nullptr) return;
    for (const Value& b : list->items()) {
        const std::string& type = str(&b, "type");
        auto subtotal = money(b.find("subtotal"));
        if (!subtotal) continue;
        const Value* details = obj(&b, "detailedBreakdowns");
        if (type == "ITEM") {
            line.item_price = subtotal;
        } else if (type == "SHIPPING") {
            line.shipping_price = subtotal;
        } else if (type == "GIFT_WRAP") {
            line.gift_wrap_price = subtotal;
        } else if (type == "COD_FEE") {
            line.cod_fee = subtotal;
        } else if (type == "TAX" || type == "DISCOUNT") {
            const bool tax = type == "TAX";
            if (details == nullptr || details->items().empty()) {
                if (tax) {
                    line.item_tax = subtotal;
                } else {
                    line.promotion_discount = abs_money(*subtotal);
                }
                continue;
            }
            for (const Value& d : details->items()) {
                auto value = money(d.find("value"));
                if (!value) continue;
                const std::string& sub = str(&d, "subtype");
                if (tax) {
                    if (sub == "ITEM") line.item_tax = value;
                    if (sub == "SHIPPING") line.shipping_tax = value;
                    if (sub == "GIFT_WRAP") line.gift_wrap_tax = value;
                } else {
                    if (sub == "ITEM" || sub == "OTHER" || sub == "DISCOUNT") {
                        line.promotion_discount = abs_money(*value);
                    }
                    if (sub == "SHIPPING") line.shipping_discount = abs_money(*value);
                }
            }
        }
    }
}

bool has_program(const Value* programs, std::string_view name) {
    if (programs == nullptr) return false;
    for (const Value& p : programs->items()) {
        if (p.is_string() && p.as_string() == name) return true;
    }
    return false;
}

}  // namespace

Result<Order> decode_order_v2026(std::shared_ptr<const Value> payload) {
    constexpr std::string_view kV = "2026-01-01";
    if (!payload || !payload->is_object()) return bad(kV, "payload is not a JSON object");
    const Value* o = unwrap(payload.get(), "order");
    Order order;
    order.source = "orders-2026-01-01";
    order.amazon_order_id = str(o, "orderId");
    if (order.amazon_order_id.empty()) return bad(kV, "missing required field 'orderId'");
    const std::string where = " of order " + order.amazon_order_id;
    auto created = time_of(o, "createdTime");
    auto updated = time_of(o, "lastUpdatedTime");
    if (!created) return bad(kV, "missing or invalid 'createdTime'" + where);
    if (!updated) return bad(kV, "missing or invalid 'lastUpdatedTime'" + where);
    order.purchase_date = *created;
    order.last_update_date = *updated;

    if (const Value* aliases = obj(o, "orderAliases")) {
        for (const Value& a : aliases->items()) {
            if (str(&a, "aliasType") == "SELLER_ORDER_ID")
                order.seller_order_id = str(&a, "aliasId");
        }
    }
    const Value* channel = obj(o, "salesChannel");
    order.marketplace_id = str(channel, "marketplaceId");
    order.sales_channel = str(channel, "marketplaceName");

    const Value* programs = obj(o, "programs");
    if (programs != nullptr) {
        for (const Value& p : programs->items()) {
            if (p.is_string()) order.programs.push_back(p.as_string());
        }
    }
    order.is_prime = has_program(programs, "PRIME");
    order.is_business_order = has_program(programs, "AMAZON_BUSINESS");
    order.is_premium_order = has_program(programs, "PREMIUM");
    order.is_invoice_by_amazon = has_program(programs, "INVOICE_BY_AMAZON");
    order.order_type = has_program(programs, "PREORDER") ? "Preorder" : "StandardOrder";

    const Value* fulfillment = obj(o, "fulfillment");
    order.status_text = str(fulfillment, "fulfillmentStatus");
    order.status =
        model::parse_order_status(order.status_text).value_or(model::OrderStatus::unknown);
    order.fulfillment_channel = model::parse_fulfillment_channel(str(fulfillment, "fulfilledBy"))
                                    .value_or(model::FulfillmentChannel::unknown);
    order.shipment_service_level = str(fulfillment, "fulfillmentServiceLevel");
    if (const Value* w = obj(fulfillment, "shipByWindow")) {
        order.earliest_ship_date = time_of(w, "earliestDateTime");
        order.latest_ship_date = time_of(w, "latestDateTime");
    }
    if (const Value* w = obj(fulfillment, "deliverByWindow")) {
        order.earliest_delivery_date = time_of(w, "earliestDateTime");
        order.latest_delivery_date = time_of(w, "latestDateTime");
    }

    if (const Value* buyer = obj(o, "buyer")) {
        order.buyer.name = str(buyer, "buyerName");
        order.buyer.email = str(buyer, "buyerEmail");
        order.buyer.company = str(buyer, "buyerCompanyName");
        order.buyer_purchase_order_number = str(buyer, "buyerPurchaseOrderNumber");
    }
    if (const Value* tax = obj(o, "tax")) {
        if (const Value* regs = obj(tax, "taxRegistrations")) {
            for (const Value& r : regs->items()) {
                if (str(&r, "entityType") == "BUYER") {
                    order.buyer.tax_id = str(&r, "taxRegistrationNumber");
                    if (order.buyer.company.empty()) order.buyer.company = str(&r, "legalName");
                }
            }
        }
    }
    if (const Value* addr = obj(obj(o, "recipient"), "deliveryAddress")) {
        order.ship_to = address_v2026(*addr);
        if (order.buyer.phone.empty()) order.buyer.phone = order.ship_to->phone;
    }
    order.order_total = money(obj(obj(o, "proceeds"), "grandTotal"));
    if (order.order_total) order.currency = order.order_total->currency;

    const Value* items = obj(o, "orderItems");
    if (items == nullptr) return bad(kV, "missing required field 'orderItems'" + where);
    order.lines.reserve(items->items().size());
    for (const Value& item : items->items()) {
        OrderLine line;
        line.order_item_id = str(&item, "orderItemId");
        if (line.order_item_id.empty()) {
            return bad(kV, "an item" + where + " has no 'orderItemId'");
        }
        line.quantity_ordered = integer(&item, "quantityOrdered");
        const Value* product = obj(&item, "product");
        line.asin = str(product, "asin");
        line.sku = str(product, "sellerSku");
        line.title = str(product, "title");
        if (const Value* cond = obj(product, "condition")) {
            line.condition_id = str(cond, "conditionType");
            line.condition_subtype_id = str(cond, "conditionSubtype");
        }
        line.unit_price = money(obj(obj(product, "price"), "unitPrice"));
        if (const Value* serials = obj(product, "serialNumbers")) {
            for (const Value& s : serials->items()) {
                if (s.is_string()) line.serial_numbers.push_back(s.as_string());
            }
        }
        line.customization.customized_url = str(obj(product, "customization"), "customizedUrl");
        apply_breakdowns(line, obj(&item, "proceeds"));
        if (!line.item_price && line.unit_price) {
            line.item_price =
                Money{line.unit_price->amount * Decimal::from_int(line.quantity_ordered),
                      line.unit_price->currency};
        }
        if (const Value* promos = obj(obj(&item, "promotion"), "breakdowns")) {
            for (const Value& p : promos->items()) {
                const std::string& id = str(&p, "promotionId");
                if (!id.empty()) line.promotion_ids.push_back(id);
            }
        }
        const Value* ful = obj(&item, "fulfillment");
        line.quantity_shipped = integer(ful, "quantityFulfilled");
        if (const Value* gift = obj(obj(ful, "packing"), "giftOption")) {
            line.is_gift = true;
            line.gift_message = str(gift, "giftMessage");
            line.gift_wrap_level = str(gift, "giftWrapLevel");
        }
        line.raw = std::shared_ptr<const Value>(payload, &item);
        order.lines.push_back(std::move(line));
    }
    order.raw = std::move(payload);
    return order;
}

std::vector<model::Shipment> decode_packages_v2026(const Value& root) {
    std::vector<model::Shipment> out;
    const Value* o = unwrap(&root, "order");
    const Value* packages = obj(o, "packages");
    if (packages == nullptr) return out;
    for (const Value& p : packages->items()) {
        model::Shipment s;
        s.amazon_order_id = str(o, "orderId");
        s.marketplace_id = str(obj(o, "salesChannel"), "marketplaceId");
        s.package_reference_id = str(&p, "packageReferenceId");
        s.carrier_code = str(&p, "carrier");
        s.shipping_method = str(&p, "shippingService");
        if (const std::string& t = str(&p, "trackingNumber"); !t.empty()) {
            s.tracking_numbers.push_back(t);
        }
        s.ship_date = time_of(&p, "shipTime");
        s.status = str(obj(&p, "packageStatus"), "status");
        if (const Value* items = obj(&p, "packageItems")) {
            for (const Value& i : items->items()) {
                s.lines.push_back({str(&i, "orderItemId"), {}, integer(&i, "quantity")});
            }
        }
        out.push_back(std::move(s));
    }
    return out;
}

Result<Order> decode_order_v0(const OrderV0Parts& parts) {
    constexpr std::string_view kV = "v0";
    const Value* o = unwrap(parts.order, "payload");
    if (o == nullptr || !o->is_object()) return bad(kV, "no order object");
    // Merge the separately fetched parts into one raw tree so templates address one shape.
    auto merged = std::make_shared<Value>(*o);
    if (const Value* items = unwrap(parts.items, "payload")) {
        if (const Value* list = items->find("OrderItems")) merged->set("OrderItems", *list);
    }
    if (const Value* addr = unwrap(parts.address, "payload")) {
        if (const Value* a = addr->find("ShippingAddress")) merged->set("ShippingAddress", *a);
    }
    if (const Value* bi = unwrap(parts.buyer_info, "payload")) {
        Value info = Value::object();
        for (std::size_t i = 0; i < bi->keys().size(); ++i) {
            if (bi->keys()[i] != "AmazonOrderId") info.set(bi->keys()[i], bi->items()[i]);
        }
        merged->set("BuyerInfo", std::move(info));
    }
    if (const Value* ibi = unwrap(parts.items_buyer_info, "payload")) {
        const Value* infos = ibi->find("OrderItems");
        Value* items = merged->find("OrderItems");
        if (infos != nullptr && items != nullptr) {
            for (Value& item : items->items()) {
                for (const Value& info : infos->items()) {
                    if (str(&info, "OrderItemId") == str(&item, "OrderItemId")) {
                        item.set("BuyerInfo", info);
                    }
                }
            }
        }
    }
    const Value* m = merged.get();

    Order order;
    order.source = "orders-v0";
    order.amazon_order_id = str(m, "AmazonOrderId");
    if (order.amazon_order_id.empty()) return bad(kV, "missing required field 'AmazonOrderId'");
    const std::string where = " of order " + order.amazon_order_id;
    auto purchased = time_of(m, "PurchaseDate");
    auto updated = time_of(m, "LastUpdateDate");
    if (!purchased) return bad(kV, "missing or invalid 'PurchaseDate'" + where);
    if (!updated) return bad(kV, "missing or invalid 'LastUpdateDate'" + where);
    order.purchase_date = *purchased;
    order.last_update_date = *updated;
    order.status_text = str(m, "OrderStatus");
    auto status = model::parse_order_status(order.status_text);
    if (!status) {
        return bad(kV, "missing or unknown 'OrderStatus' '" + order.status_text + "'" + where);
    }
    order.status = *status;
    order.seller_order_id = str(m, "SellerOrderId");
    order.marketplace_id = str(m, "MarketplaceId");
    order.sales_channel = str(m, "SalesChannel");
    order.fulfillment_channel = model::parse_fulfillment_channel(str(m, "FulfillmentChannel"))
                                    .value_or(model::FulfillmentChannel::unknown);
    order.order_type = str(m, "OrderType");
    order.shipment_service_level = str(m, "ShipmentServiceLevelCategory");
    if (order.shipment_service_level.empty())
        order.shipment_service_level = str(m, "ShipServiceLevel");
    order.earliest_ship_date = time_of(m, "EarliestShipDate");
    order.latest_ship_date = time_of(m, "LatestShipDate");
    order.earliest_delivery_date = time_of(m, "EarliestDeliveryDate");
    order.latest_delivery_date = time_of(m, "LatestDeliveryDate");
    order.is_business_order = flag(m, "IsBusinessOrder");
    order.is_prime = flag(m, "IsPrime");
    order.is_premium_order = flag(m, "IsPremiumOrder");
    order.is_replacement_order = flag(m, "IsReplacementOrder");
    order.replaced_order_id = str(m, "ReplacedOrderId");
    order.is_global_express = flag(m, "IsGlobalExpressEnabled");
    order.is_invoice_by_amazon = flag(m, "IsIBA");
    order.order_total = money(obj(m, "OrderTotal"));
    if (order.order_total) order.currency = order.order_total->currency;
    if (const Value* a = obj(m, "ShippingAddress")) {
        order.ship_to = address_v0(*a);
        order.buyer.phone = order.ship_to->phone;
    }
    if (const Value* bi = obj(m, "BuyerInfo")) {
        order.buyer.email = str(bi, "BuyerEmail");
        order.buyer.name = str(bi, "BuyerName");
        order.buyer_purchase_order_number = str(bi, "PurchaseOrderNumber");
        if (const Value* tax = obj(bi, "BuyerTaxInfo")) {
            order.buyer.company = str(tax, "CompanyLegalName");
        }
    }
    if (const Value* items = obj(m, "OrderItems")) {
        for (const Value& item : items->items()) {
            OrderLine line;
            line.order_item_id = str(&item, "OrderItemId");
            if (line.order_item_id.empty())
                return bad(kV, "an item" + where + " has no 'OrderItemId'");
            line.asin = str(&item, "ASIN");
            line.sku = str(&item, "SellerSKU");
            line.title = str(&item, "Title");
            line.quantity_ordered = integer(&item, "QuantityOrdered");
            line.quantity_shipped = integer(&item, "QuantityShipped");
            line.item_price = money(obj(&item, "ItemPrice"));
            line.item_tax = money(obj(&item, "ItemTax"));
            line.shipping_price = money(obj(&item, "ShippingPrice"));
            line.shipping_tax = money(obj(&item, "ShippingTax"));
            line.shipping_discount = money(obj(&item, "ShippingDiscount"));
            line.shipping_discount_tax = money(obj(&item, "ShippingDiscountTax"));
            line.promotion_discount = money(obj(&item, "PromotionDiscount"));
            line.promotion_discount_tax = money(obj(&item, "PromotionDiscountTax"));
            line.cod_fee = money(obj(&item, "CODFee"));
            if (const Value* ids = obj(&item, "PromotionIds")) {
                for (const Value& id : ids->items()) {
                    if (id.is_string()) line.promotion_ids.push_back(id.as_string());
                }
            }
            line.is_gift = flag(&item, "IsGift");
            line.condition_id = str(&item, "ConditionId");
            line.condition_subtype_id = str(&item, "ConditionSubtypeId");
            if (const Value* bi = obj(&item, "BuyerInfo")) {
                line.gift_message = str(bi, "GiftMessageText");
                line.gift_wrap_level = str(bi, "GiftWrapLevel");
                line.gift_wrap_price = money(obj(bi, "GiftWrapPrice"));
                line.gift_wrap_tax = money(obj(bi, "GiftWrapTax"));
                line.customization.customized_url =
                    str(obj(bi, "BuyerCustomizedInfo"), "CustomizedURL");
                if (!line.gift_message.empty()) line.is_gift = true;
            }
            set_unit_price_from_total(line);
            line.raw = std::shared_ptr<const Value>(merged, &item);
            order.lines.push_back(std::move(line));
        }
    }
    order.raw = std::move(merged);
    return order;
}

Result<Order> decode_amazon_order(std::shared_ptr<const Value> document) {
    if (!document || !document->is_object()) {
        return make_error(ErrorKind::permanent, "Amazon order: document is not a JSON object",
                          "mapping.decode");
    }
    if (document->find("order") != nullptr || document->find("orderId") != nullptr) {
        return decode_order_v2026(std::move(document));
    }
    if (document->find("payload") != nullptr || document->find("AmazonOrderId") != nullptr) {
        OrderV0Parts parts;
        parts.order = document.get();
        return decode_order_v0(parts);
    }
    return make_error(ErrorKind::permanent,
                      "Amazon order: neither an Orders 2026-01-01 order ('order'/'orderId') nor a "
                      "v0 order ('payload'/'AmazonOrderId')",
                      "mapping.decode");
}

}  // namespace clarity::mapping
