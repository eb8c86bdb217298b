#include <map>
#include <set>

#include "clarity/odoo/schema.hpp"
#include "common/coalescer.hpp"
#include "fulfillment_status/steps.hpp"

// The Odoo reads every delivery job makes, batched across the jobs running at once (a burst of
// validations, a backlog after an outage): one stock.picking read and one stock.move read for
// all of them instead of one each.

namespace clarity::flows::fulfillment_status {

namespace asio = boost::asio;
using odoo::Value;

namespace {

constexpr std::size_t kMaxBatch = 50;

std::vector<std::string> picking_fields(const Impl& impl) {
    std::vector<std::string> f{"id",      "name",      "state",   "picking_type_code",
                               "sale_id", "date_done", "move_ids"};
    if (impl.has_carrier) f.emplace_back("carrier_id");
    if (impl.has_tracking_ref) f.emplace_back("carrier_tracking_ref");
    if (impl.has_packages_field) f.emplace_back("has_packages");
    return f;
}

/// stock.picking of many deliveries in one read (nullopt: the delivery is gone).
asio::awaitable<std::vector<Result<std::optional<Value>>>> pickings_batch(
    Impl* impl, std::vector<std::int64_t> ids) {
    std::vector<Result<std::optional<Value>>> out;
    std::vector<std::string> fields = picking_fields(*impl);  // named: g++ 12, co_await
    std::vector<std::int64_t> unique(ids.begin(), ids.end());
    auto rows =
        co_await impl->deps.odoo.read("stock.picking", std::move(unique), std::move(fields));
    if (!rows) {
        out.assign(ids.size(), rows.error());
        co_return out;
    }
    std::map<std::int64_t, const Value*> by_id;
    for (const auto& r : *rows) by_id[r["id"].as_int().value_or(0)] = &r;
    for (auto id : ids) {
        auto it = by_id.find(id);
        out.push_back(it == by_id.end() ? std::optional<Value>{}
                                        : std::optional<Value>(*it->second));
    }
    co_return out;
}

/// The moves of many deliveries in one read: each request's moves, by its ids.
asio::awaitable<std::vector<Result<std::vector<Value>>>> moves_batch(
    Impl* impl, std::vector<std::vector<std::int64_t>> requests) {
    std::vector<Result<std::vector<Value>>> out;
    std::set<std::int64_t> all;
    for (const auto& r : requests) all.insert(r.begin(), r.end());
    const std::string qty =
        odoo::field_name(odoo::FieldMeaning::move_done_quantity, impl->major).field;
    std::vector<std::string> fields{"id", "sale_line_id", "state", qty};
    std::vector<std::int64_t> ids(all.begin(), all.end());
    auto rows = co_await impl->deps.odoo.read("stock.move", std::move(ids), std::move(fields));
    if (!rows) {
        out.assign(requests.size(), rows.error());
        co_return out;
    }
    std::map<std::int64_t, const Value*> by_id;
    for (const auto& r : *rows) by_id[r["id"].as_int().value_or(0)] = &r;
    for (const auto& r : requests) {
        std::vector<Value> moves;
        for (auto id : r) {
            if (auto it = by_id.find(id); it != by_id.end()) moves.push_back(*it->second);
        }
        out.emplace_back(std::move(moves));
    }
    co_return out;
}

}  // namespace

void make_coalescers(Impl& impl) {
    Impl* p = &impl;  // the coalescers live in (and die with) the Impl
    impl.pickings = std::make_unique<Coalescer<std::int64_t, std::optional<Value>>>(
        "reading deliveries from Odoo",
        [p](std::vector<std::int64_t> ids) { return pickings_batch(p, std::move(ids)); },
        kMaxBatch);
    impl.moves = std::make_unique<Coalescer<std::vector<std::int64_t>, std::vector<Value>>>(
        "reading delivery moves from Odoo",
        [p](std::vector<std::vector<std::int64_t>> r) { return moves_batch(p, std::move(r)); },
        kMaxBatch);
}

}  // namespace clarity::flows::fulfillment_status
