#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "clarity/mapping/mapper.hpp"
#include "clarity/model/shipment.hpp"
#include "clarity/model/timestamp.hpp"
#include "fulfillment_status/steps.hpp"

// What one delivery is on Amazon's side: one shipment, or one per package when each package has a
// tracking number of its own; and each shipment as the shipment_confirm template maps it.

namespace clarity::flows::fulfillment_status {

namespace asio = boost::asio;
using odoo::Value;

namespace {

/// Odoo keeps several tracking numbers in one carrier_tracking_ref ("1Z1,1Z2", "A + B").
std::vector<std::string> tracking_numbers(const std::string& ref) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : ref + ",") {
        if (c == ',' || c == ';' || c == '+' || c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            if (!cur.empty()) out.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    return out;
}

/// Whole units: Amazon counts items. A fractional quantity (a UoM other than units) is rounded.
std::int64_t units(double q) { return std::llround(q); }

/// The items of quantities by move, summed per Amazon order item, in the moves' order.
std::vector<std::pair<std::string, std::int64_t>> items_of(
    const std::vector<ShippedMove>& moves, const std::map<std::int64_t, double>& qty_by_move) {
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (const auto& m : moves) {
        auto q = qty_by_move.find(m.id);
        if (q == qty_by_move.end() || units(q->second) <= 0) continue;
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const auto& p) { return p.first == m.item.order_item_id; });
        if (it == out.end()) {
            out.emplace_back(m.item.order_item_id, units(q->second));
        } else {
            it->second += units(q->second);
        }
    }
    return out;
}

struct PackageLines {
    std::string name;
    std::map<std::int64_t, double> qty_by_move;
};

/// Odoo: the delivery's move lines, by package (0: not packed).
asio::awaitable<Result<std::map<std::int64_t, PackageLines>>> read_packages(ShipmentRun* run) {
    Impl& impl = *run->impl;
    const std::string qty = impl.major >= 17 ? "quantity" : "qty_done";
    odoo::Domain d;
    d.where("picking_id", "=", static_cast<long long>(run->picking));
    odoo::SearchOptions so;
    so.fields = {"move_id", "result_package_id", qty};
    so.order = "id asc";
    auto rows = co_await impl.deps.odoo.search_read("stock.move.line", std::move(d), std::move(so));
    if (!rows) co_return rows.error();
    std::map<std::int64_t, PackageLines> out;
    for (const auto& l : *rows) {
        const auto move = l["move_id"].m2o_id();
        if (!move) continue;
        const auto pkg = l["result_package_id"].m2o_id().value_or(0);
        auto& p = out[pkg];
        if (const auto* a = l["result_package_id"].as_array(); a != nullptr && a->size() == 2)
            p.name = (*a)[1].as_string().value_or("");
        p.qty_by_move[*move] += l[qty.c_str()].as_double().value_or(0);
    }
    co_return out;
}

}  // namespace

asio::awaitable<Result<void>> split_into_shipments(ShipmentRun* run) {
    const auto numbers = tracking_numbers(run->tracking_ref);
    if (run->has_packages) {
        auto packages = co_await read_packages(run);
        if (!packages) co_return packages.error();
        // Each package on its own when every packed line is in one and each package has its own
        // tracking number (in package order: Odoo's carriers write them so).
        const bool loose = packages->count(0) != 0;
        if (!loose && packages->size() > 1 && numbers.size() == packages->size()) {
            std::size_t k = 0;
            for (const auto& [pkg, lines] : *packages) {
                Shipment s;
                s.reference =
                    std::to_string(run->picking * 1000 + static_cast<std::int64_t>(k) + 1);
                s.package_name = lines.name;
                s.tracking = numbers[k++];
                s.items = items_of(run->moves, lines.qty_by_move);
                if (!s.items.empty()) run->shipments.push_back(std::move(s));
            }
            co_return Result<void>{};
        }
    }
    // The whole delivery: what each move shipped.
    Shipment s;
    s.reference = std::to_string(run->picking);
    s.tracking = numbers.empty() ? run->tracking_ref : numbers.front();
    std::map<std::int64_t, double> qty;
    for (const auto& m : run->moves) qty[m.id] = m.quantity;
    s.items = items_of(run->moves, qty);
    if (s.items.empty()) {
        run->done = true;
        run->log.info("{}: no whole unit shipped; nothing to confirm", run->subject());
        co_return Result<void>{};
    }
    run->shipments.push_back(std::move(s));
    co_return Result<void>{};
}

namespace {

std::string text_of(const mapping::FieldValues& values, std::string_view name) {
    const model::Value* v = values.find(name);
    if (v == nullptr) return {};
    if (v->is_string()) return v->as_string();
    if (v->is_int()) return std::to_string(v->as_int());
    return {};
}

}  // namespace

asio::awaitable<Result<void>> map_carrier(ShipmentRun* run) {
    Impl& impl = *run->impl;
    const auto& tmpl = *impl.deps.shipment_template;
    if (run->carrier.empty()) {
        co_return run->dead_letter(
            "no_carrier", run->subject() +
                              " has no carrier: set the Carrier on the delivery in Odoo (Amazon "
                              "needs one to show the buyer), " +
                              replay_hint(*run->ctx) + ".");
    }
    for (auto& s : run->shipments) {
        model::Shipment shipment;
        shipment.amazon_order_id = run->order_id;
        shipment.marketplace_id = run->marketplace_id;
        shipment.package_reference_id = s.reference;
        shipment.carrier_name = run->carrier;
        shipment.shipping_method = run->carrier;
        if (!s.tracking.empty()) shipment.tracking_numbers.push_back(s.tracking);
        shipment.ship_date = model::parse_timestamp(run->date_done);
        shipment.odoo_picking_id = run->picking;
        shipment.odoo_picking_name = run->name;
        for (const auto& [item, qty] : s.items) shipment.lines.push_back({item, {}, qty});
        auto mapped = mapping::map_shipment(tmpl, shipment);
        if (!mapped.errors.empty()) {
            const bool carrier = std::any_of(
                mapped.errors.begin(), mapped.errors.end(),
                [](const std::string& e) { return e.find("carrierCode") != std::string::npos; });
            const std::string what =
                carrier ? "its carrier '" + run->carrier +
                              "' is not mapped to an Amazon carrier "
                              "code in " +
                              tmpl.file() +
                              " (carrierCode.map): add it there (an Amazon code such as UPS, or "
                              "Other to send the name as it is), restart the daemon"
                        : "the mapping " + tmpl.file() + " refused it: " + mapped.errors.front() +
                              ". Fix the template or the delivery";
            co_return run->dead_letter(
                carrier ? "unmapped_carrier" : "mapping",
                run->subject() + ": " + what + ", " + replay_hint(*run->ctx) + ".");
        }
        auto& r = s.request;
        r.marketplace_id = run->marketplace_id;
        r.package_reference_id = text_of(mapped.record, "packageReferenceId");
        r.carrier_code = text_of(mapped.record, "carrierCode");
        r.carrier_name = text_of(mapped.record, "carrierName");
        r.shipping_method = text_of(mapped.record, "shippingMethod");
        r.tracking_number = text_of(mapped.record, "trackingNumber");
        r.ship_date = text_of(mapped.record, "shipDate");
        if (!impl.opt.ship_from_supply_source_id.empty())
            r.ship_from_supply_source_id = impl.opt.ship_from_supply_source_id;
        for (const auto& line : mapped.lines) {
            amazon::ConfirmShipmentItem item;
            item.order_item_id = text_of(line, "orderItemId");
            const model::Value* q = line.find("quantity");
            item.quantity = q != nullptr && q->is_int() ? q->as_int() : 0;
            r.items.push_back(std::move(item));
        }
    }
    co_return Result<void>{};
}

}  // namespace clarity::flows::fulfillment_status
