#include "clarity/amazon/canonical.hpp"

#include <algorithm>
#include <string>
#include <string_view>

// Field correspondences: ../shared/reference/sp-api/NOTES.md §3 (v0 ItemPrice is unit × qty,
// v2026 carries unitPrice and per-type proceeds breakdowns; v0 `Canceled`, v2026 `CANCELLED`).

namespace clarity::amazon {
namespace {

using model::Decimal;
using model::Money;

Error bad(std::string_view version, std::string message) {
    return make_error(ErrorKind::permanent,
                      "Amazon order (Orders " + std::string(version) + "): " + std::move(message),
                      "amazon.canonical");
}

std::optional<model::Timestamp> time_of(const std::string& text) {
    if (text.empty()) return std::nullopt;
    return model::parse_timestamp(text);
}

Money abs_money(Money m) {
    if (m.amount.is_negative()) m.amount = -m.amount;
    return m;
}

bool has(const std::vector<std::string>& list, std::string_view name) {
    return std::find(list.begin(), list.end(), name) != list.end();
}

model::Address address_of(const Address& a) {
    model::Address out;
    out.name = a.name;
    out.company = a.company_name;
    out.line1 = a.address_line1;
    out.line2 = a.address_line2;
    out.line3 = a.address_line3;
    out.city = a.city;
    out.county = a.district_or_county;
    out.district = a.municipality;
    out.state_or_region = a.state_or_region;
    out.postal_code = a.postal_code;
    out.country_code = a.country_code;
    out.phone = a.phone;
    out.address_type = a.address_type;
    return out;
}

// Orders 2026 puts every charge of an item into proceeds breakdowns by type; TAX and DISCOUNT
// may carry detailed breakdowns by subtype (ITEM, SHIPPING, GIFT_WRAP, ...).
void apply_breakdowns(model::OrderLine& line, const std::vector<ProceedsBreakdown>& list) {
    for (const auto& b : list) {
        if (b.type == "ITEM") {
            line.item_price = b.subtotal;
        } else if (b.type == "SHIPPING") {
            line.shipping_price = b.subtotal;
        } else if (b.type == "GIFT_WRAP") {
            line.gift_wrap_price = b.subtotal;
        } else if (b.type == "COD_FEE") {
            line.cod_fee = b.subtotal;
        } else if (b.type == "TAX" || b.type == "DISCOUNT") {
            const bool tax = b.type == "TAX";
            if (b.details.empty()) {
                if (tax) {
                    line.item_tax = b.subtotal;
                } else {
                    line.promotion_discount = abs_money(b.subtotal);
                }
                continue;
            }
            for (const auto& d : b.details) {
                if (tax) {
                    if (d.subtype == "ITEM") line.item_tax = d.value;
                    if (d.subtype == "SHIPPING") line.shipping_tax = d.value;
                    if (d.subtype == "GIFT_WRAP") line.gift_wrap_tax = d.value;
                    // Tax on the promotion (negative): v0's PromotionDiscountTax.
                    if (d.subtype == "DISCOUNT") line.promotion_discount_tax = abs_money(d.value);
                } else {
                    if (d.subtype == "ITEM" || d.subtype == "OTHER" || d.subtype == "DISCOUNT") {
                        line.promotion_discount = abs_money(d.value);
                    }
                    if (d.subtype == "SHIPPING") line.shipping_discount = abs_money(d.value);
                }
            }
        }
    }
}

void set_unit_price_from_total(model::OrderLine& line) {
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

}  // namespace

Result<model::Order> to_canonical(const Order& o) {
    constexpr std::string_view kV = "2026-01-01";
    model::Order order;
    order.source = "orders-2026-01-01";
    order.amazon_order_id = o.order_id;
    if (order.amazon_order_id.empty()) return bad(kV, "missing required field 'orderId'");
    const std::string where = " of order " + order.amazon_order_id;
    auto created = time_of(o.created_time);
    auto updated = time_of(o.last_updated_time);
    if (!created) return bad(kV, "missing or invalid 'createdTime'" + where);
    if (!updated) return bad(kV, "missing or invalid 'lastUpdatedTime'" + where);
    order.purchase_date = *created;
    order.last_update_date = *updated;
    if (!o.seller_order_ids.empty()) order.seller_order_id = o.seller_order_ids.front();
    order.marketplace_id = o.marketplace_id;
    order.sales_channel = o.marketplace_name;
    order.programs = o.programs;
    order.is_prime = has(o.programs, "PRIME");
    order.is_business_order = has(o.programs, "AMAZON_BUSINESS");
    order.is_premium_order = has(o.programs, "PREMIUM");
    order.is_invoice_by_amazon = has(o.programs, "INVOICE_BY_AMAZON");
    order.order_type = has(o.programs, "PREORDER") ? "Preorder" : "StandardOrder";
    order.status_text = o.fulfillment_status;
    order.status =
        model::parse_order_status(o.fulfillment_status).value_or(model::OrderStatus::unknown);
    order.fulfillment_channel = model::parse_fulfillment_channel(o.fulfilled_by)
                                    .value_or(model::FulfillmentChannel::unknown);
    order.shipment_service_level = o.fulfillment_service_level;
    order.earliest_ship_date = time_of(o.ship_by_earliest);
    order.latest_ship_date = time_of(o.ship_by_latest);
    order.earliest_delivery_date = time_of(o.deliver_by_earliest);
    order.latest_delivery_date = time_of(o.deliver_by_latest);
    order.buyer.name = o.buyer_name;
    order.buyer.email = o.buyer_email;
    order.buyer.company = o.buyer_company_name;
    order.buyer.tax_id = o.buyer_tax_id;
    order.buyer_purchase_order_number = o.buyer_purchase_order_number;
    if (o.delivery_address) {
        order.ship_to = address_of(*o.delivery_address);
        order.buyer.phone = order.ship_to->phone;
    }
    order.order_total = o.grand_total;
    if (order.order_total) order.currency = order.order_total->currency;
    order.lines.reserve(o.items.size());
    for (const auto& item : o.items) {
        model::OrderLine line;
        line.order_item_id = item.order_item_id;
        if (line.order_item_id.empty()) return bad(kV, "an item" + where + " has no 'orderItemId'");
        line.quantity_ordered = item.quantity_ordered;
        line.quantity_shipped = item.quantity_fulfilled.value_or(0);
        line.asin = item.asin;
        line.sku = item.seller_sku;
        line.title = item.title;
        line.condition_id = item.condition_type;
        line.condition_subtype_id = item.condition_subtype;
        line.serial_numbers = item.serial_numbers;
        line.unit_price = item.unit_price;
        line.customization.customized_url = item.customized_url;
        apply_breakdowns(line, item.proceeds);
        if (!line.item_price && line.unit_price) {
            line.item_price =
                Money{line.unit_price->amount * Decimal::from_int(line.quantity_ordered),
                      line.unit_price->currency};
        }
        for (const auto& id : item.promotion_ids) {
            if (!id.empty()) line.promotion_ids.push_back(id);
        }
        if (!item.gift_message.empty() || !item.gift_wrap_level.empty()) {
            line.is_gift = true;
            line.gift_message = item.gift_message;
            line.gift_wrap_level = item.gift_wrap_level;
        }
        if (item.cancel_requester == "BUYER" && !item.cancelled) {
            line.buyer_requested_cancel = true;
            line.buyer_cancel_reason = item.cancel_reason;
        }
        line.raw = item.raw;
        order.lines.push_back(std::move(line));
    }
    order.shipments = to_shipments(o);
    order.raw = o.raw;
    return order;
}

Result<model::Order> to_canonical(const OrderV0& o, const std::vector<OrderItemV0>& items) {
    constexpr std::string_view kV = "v0";
    model::Order order;
    order.source = "orders-v0";
    order.amazon_order_id = o.amazon_order_id;
    if (order.amazon_order_id.empty()) return bad(kV, "missing required field 'AmazonOrderId'");
    const std::string where = " of order " + order.amazon_order_id;
    auto purchased = time_of(o.purchase_date);
    auto updated = time_of(o.last_update_date);
    if (!purchased) return bad(kV, "missing or invalid 'PurchaseDate'" + where);
    if (!updated) return bad(kV, "missing or invalid 'LastUpdateDate'" + where);
    order.purchase_date = *purchased;
    order.last_update_date = *updated;
    order.status_text = o.order_status;
    auto status = model::parse_order_status(o.order_status);
    if (!status) {
        return bad(kV, "missing or unknown 'OrderStatus' '" + o.order_status + "'" + where);
    }
    order.status = *status;
    order.seller_order_id = o.seller_order_id;
    order.marketplace_id = o.marketplace_id;
    order.sales_channel = o.sales_channel;
    order.fulfillment_channel = model::parse_fulfillment_channel(o.fulfillment_channel)
                                    .value_or(model::FulfillmentChannel::unknown);
    order.order_type = o.order_type;
    order.shipment_service_level = o.ship_service_level_category.empty()
                                       ? o.ship_service_level
                                       : o.ship_service_level_category;
    order.earliest_ship_date = time_of(o.earliest_ship_date);
    order.latest_ship_date = time_of(o.latest_ship_date);
    order.earliest_delivery_date = time_of(o.earliest_delivery_date);
    order.latest_delivery_date = time_of(o.latest_delivery_date);
    order.is_business_order = o.is_business_order;
    order.is_prime = o.is_prime;
    order.is_premium_order = o.is_premium_order;
    order.is_replacement_order = o.is_replacement_order;
    order.replaced_order_id = o.replaced_order_id;
    order.is_global_express = o.is_global_express;
    order.is_invoice_by_amazon = o.is_iba;
    order.order_total = o.order_total;
    if (order.order_total) order.currency = order.order_total->currency;
    if (o.shipping_address) {
        order.ship_to = address_of(*o.shipping_address);
        order.buyer.phone = order.ship_to->phone;
    }
    order.buyer.email = o.buyer_email;
    order.buyer.name = o.buyer_name;
    order.buyer.company = o.buyer_company_name;
    order.buyer_purchase_order_number = o.purchase_order_number;

    // One raw tree: the order object with its items under "OrderItems", as templates expect.
    auto merged = std::make_shared<model::Value>(o.raw ? *o.raw : model::Value::object());
    if (!items.empty()) {
        model::Value list = model::Value::array();
        for (const auto& i : items) list.push_back(i.raw ? *i.raw : model::Value::object());
        merged->set("OrderItems", std::move(list));
    }
    const model::Value* raw_items = merged->find("OrderItems");
    std::size_t index = 0;
    for (const auto& i : items) {
        model::OrderLine line;
        line.order_item_id = i.order_item_id;
        if (line.order_item_id.empty()) return bad(kV, "an item" + where + " has no 'OrderItemId'");
        line.asin = i.asin;
        line.sku = i.seller_sku;
        line.title = i.title;
        line.quantity_ordered = i.quantity_ordered;
        line.quantity_shipped = i.quantity_shipped;
        line.item_price = i.item_price;
        line.item_tax = i.item_tax;
        line.shipping_price = i.shipping_price;
        line.shipping_tax = i.shipping_tax;
        line.shipping_discount = i.shipping_discount;
        line.shipping_discount_tax = i.shipping_discount_tax;
        line.promotion_discount = i.promotion_discount;
        line.promotion_discount_tax = i.promotion_discount_tax;
        line.cod_fee = i.cod_fee;
        line.promotion_ids = i.promotion_ids;
        line.is_gift = i.is_gift || !i.gift_message_text.empty();
        line.gift_message = i.gift_message_text;
        line.buyer_requested_cancel = i.buyer_requested_cancel;
        line.buyer_cancel_reason = i.buyer_cancel_reason;
        line.gift_wrap_level = i.gift_wrap_level;
        line.gift_wrap_price = i.gift_wrap_price;
        line.gift_wrap_tax = i.gift_wrap_tax;
        line.customization.customized_url = i.customized_url;
        line.condition_id = i.condition_id;
        line.condition_subtype_id = i.condition_subtype_id;
        set_unit_price_from_total(line);
        if (raw_items != nullptr) {
            if (const model::Value* r = raw_items->at(index)) {
                line.raw = std::shared_ptr<const model::Value>(merged, r);
            }
        }
        order.lines.push_back(std::move(line));
        ++index;
    }
    order.raw = std::move(merged);
    return order;
}

std::vector<model::Shipment> to_shipments(const Order& o) {
    std::vector<model::Shipment> out;
    for (const auto& p : o.packages) {
        model::Shipment s;
        s.amazon_order_id = o.order_id;
        s.marketplace_id = o.marketplace_id;
        s.package_reference_id = p.package_reference_id;
        s.carrier_code = p.carrier;
        if (!p.tracking_number.empty()) s.tracking_numbers.push_back(p.tracking_number);
        s.ship_date = time_of(p.ship_time);
        s.status = p.status;
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace clarity::amazon
