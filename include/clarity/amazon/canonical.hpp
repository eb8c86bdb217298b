#pragma once
/// \file
/// Converters from the connector's Orders structs (Orders 2026-01-01 and v0) into the canonical
/// model::Order the mapping engine and the flows work on. Pure: no I/O. The raw payload the
/// connector kept (`Order::raw`, `OrderV0::raw`, `OrderItemV0::raw`) becomes model::Order::raw
/// (and each line's raw), so mapping templates can address any Amazon attribute with `raw.`
/// paths. Absent amounts stay absent (std::nullopt), never zero.

#include <vector>

#include "clarity/amazon/orders.hpp"
#include "clarity/core/result.hpp"
#include "clarity/model/order.hpp"
#include "clarity/model/shipment.hpp"

namespace clarity::amazon {

/// Orders 2026-01-01. `permanent` Error naming the order and the field when createdTime or
/// lastUpdatedTime is missing or invalid, or an item has no orderItemId.
Result<model::Order> to_canonical(const Order& order);

/// Orders v0: the order (getOrder/getOrders) and its items (getOrderItems). The raw tree is the
/// order object with the items' objects under "OrderItems". `permanent` Error for a missing or
/// invalid PurchaseDate / LastUpdateDate / OrderStatus.
Result<model::Order> to_canonical(const OrderV0& order, const std::vector<OrderItemV0>& items);

/// Orders 2026-01-01 `packages` (FBM, and FBA when Amazon reports them) as shipments.
std::vector<model::Shipment> to_shipments(const Order& order);

/// Reads an order document as the `mapping preview` command and tests get it: a getOrder
/// response (`{"order":{...}}`) or one 2026 Order object, or a v0 getOrder response /
/// order object optionally carrying its items as "OrderItems" (and per-item "BuyerInfo").
/// `permanent` Error for text that is not such a document.
Result<model::Order> decode_order_document(std::string_view json_text);

}  // namespace clarity::amazon
