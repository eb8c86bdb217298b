#pragma once
/// \file
/// Decoders from SP-API Orders payloads (as model::Value trees, see json.hpp) into canonical
/// entities. Shapes follow ../shared/reference/sp-api/models/orders-api-model/
/// (orders_2026-01-01.json and ordersV0.json). Pure: no I/O.
///
/// Errors are ErrorKind::permanent values naming the API version and the missing/invalid field.
/// Optional fields that are absent stay absent (std::nullopt / empty), never zero.

#include <memory>
#include <vector>

#include "clarity/core/result.hpp"
#include "clarity/model/order.hpp"
#include "clarity/model/shipment.hpp"
#include "clarity/model/value.hpp"

namespace clarity::mapping {

/// Orders 2026-01-01: a getOrder response (`{"order":{...}}`) or one Order object (an element
/// of searchOrders' `orders`). `order.raw` shares `payload`; each line's raw points at its item.
Result<model::Order> decode_order_v2026(std::shared_ptr<const model::Value> payload);

/// Orders 2026-01-01 `packages` of an order (FBM only) as shipments.
std::vector<model::Shipment> decode_packages_v2026(const model::Value& order);

/// The pieces of a v0 order, each either the response (`{"payload":{...}}`) or its payload.
/// Only `order` is required. Items may also sit inside the order as "OrderItems", item buyer
/// info inside each item as "BuyerInfo" (the combined shape the fake SP-API and previews use).
struct OrderV0Parts {
    const model::Value* order = nullptr;             ///< getOrder
    const model::Value* items = nullptr;             ///< getOrderItems
    const model::Value* address = nullptr;           ///< getOrderAddress
    const model::Value* buyer_info = nullptr;        ///< getOrderBuyerInfo
    const model::Value* items_buyer_info = nullptr;  ///< getOrderItemsBuyerInfo
};

/// Orders v0. The parts are merged into one raw tree (the order object with OrderItems,
/// ShippingAddress and BuyerInfo filled in) that becomes `order.raw`.
Result<model::Order> decode_order_v0(const OrderV0Parts& parts);

/// Detects the version: `order`/`orderId` → 2026-01-01, `payload`/`AmazonOrderId` → v0
/// (combined shape). Used by the preview command and tests.
Result<model::Order> decode_amazon_order(std::shared_ptr<const model::Value> document);

}  // namespace clarity::mapping
