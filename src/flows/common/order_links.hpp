#pragma once
// The link between an Odoo sale order line and the Amazon order item it was made from, recorded
// in the store's id map when the order import confirms a merchant-fulfilled (MFN) order, and read
// by the fulfillment_status flow to name Amazon's orderItemId for every line a delivery shipped.
// Kept in the store, not in Odoo: it survives renamed products, edited descriptions and restarts,
// and needs no custom field. Amazon-fulfilled orders get no links (they are never confirmed).
//
// id map row: kind "amazon_mfn_item", external id "<marketplace id>/<order id>/<order item id>",
// model "sale.order.line", the line's id.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clarity/core/result.hpp"
#include "clarity/store/store.hpp"

namespace clarity::store {
class AsyncStore;
}  // namespace clarity::store

namespace clarity::flows {

inline constexpr const char* kOrderItemLinkKind = "amazon_mfn_item";

struct OrderItemLink {
    std::string marketplace_id;
    std::string order_id;
    std::string order_item_id;
    friend bool operator==(const OrderItemLink&, const OrderItemLink&) = default;
};

/// "ATVPDKIKX0DER/113-1234567-1234567/12345678901234"
std::string encode_item_link(const OrderItemLink& link);
/// The link of an external id written by encode_item_link; nullopt for anything else.
std::optional<OrderItemLink> decode_item_link(std::string_view external_id);

/// The id map row of a link (written with the job's ack: JobContext::id_mappings).
store::IdMapping item_link_mapping(const std::string& connection,
                                   std::int64_t line_id,
                                   const OrderItemLink& link);

/// Whether the store holds the link of `link` (the order's links are written together, so one
/// tells whether they are all there).
boost::asio::awaitable<Result<bool>> has_item_link(store::AsyncStore& store,
                                                   std::string connection,
                                                   OrderItemLink link);

/// The links of these sale order lines (lines without one are left out), in one store call.
boost::asio::awaitable<Result<std::map<std::int64_t, OrderItemLink>>> item_links_of(
    store::AsyncStore& store, std::string connection, std::vector<std::int64_t> line_ids);

}  // namespace clarity::flows
