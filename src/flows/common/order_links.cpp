#include "common/order_links.hpp"

#include <functional>
#include <memory>

#include "clarity/store/async_store.hpp"

namespace clarity::flows {

std::string encode_item_link(const OrderItemLink& link) {
    return link.marketplace_id + "/" + link.order_id + "/" + link.order_item_id;
}

std::optional<OrderItemLink> decode_item_link(std::string_view external_id) {
    const auto a = external_id.find('/');
    if (a == std::string_view::npos) return std::nullopt;
    const auto b = external_id.find('/', a + 1);
    if (b == std::string_view::npos || external_id.find('/', b + 1) != std::string_view::npos)
        return std::nullopt;
    OrderItemLink link{std::string(external_id.substr(0, a)),
                       std::string(external_id.substr(a + 1, b - a - 1)),
                       std::string(external_id.substr(b + 1))};
    if (link.order_id.empty() || link.order_item_id.empty()) return std::nullopt;
    return link;
}

store::IdMapping item_link_mapping(const std::string& connection,
                                   std::int64_t line_id,
                                   const OrderItemLink& link) {
    return {connection, kOrderItemLinkKind, encode_item_link(link), "sale.order.line", line_id};
}

boost::asio::awaitable<Result<bool>> has_item_link(store::AsyncStore& store,
                                                   std::string connection,
                                                   OrderItemLink link) {
    std::function<Result<bool>(store::Store&)> fn = [connection,
                                                     link](store::Store& s) -> Result<bool> {
        auto m = s.find_by_external(connection, kOrderItemLinkKind, encode_item_link(link));
        if (!m) return m.error();
        return m->has_value();
    };
    co_return co_await store.call(std::move(fn));
}

boost::asio::awaitable<Result<std::map<std::int64_t, OrderItemLink>>> item_links_of(
    store::AsyncStore& store, std::string connection, std::vector<std::int64_t> line_ids) {
    using Links = std::map<std::int64_t, OrderItemLink>;
    std::function<Result<Links>(store::Store&)> fn = [connection,
                                                      line_ids](store::Store& s) -> Result<Links> {
        Links out;
        for (auto id : line_ids) {
            auto m = s.find_by_odoo(connection, "sale.order.line", id);
            if (!m) return m.error();
            if (!*m || (*m)->kind != kOrderItemLinkKind) continue;
            if (auto link = decode_item_link((*m)->external_id)) out.emplace(id, std::move(*link));
        }
        return out;
    };
    co_return co_await store.call(std::move(fn));
}

}  // namespace clarity::flows
