#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "clarity/amazon/fulfilled_shipments.hpp"
#include "clarity/odoo/schema.hpp"
#include "clarity/store/async_store.hpp"
#include "common/odoo_values.hpp"
#include "order_import/steps.hpp"

// Fulfilment back: when Amazon has shipped an Amazon-fulfilled (FBA/AFN) order, the Odoo delivery
// is validated for the shipped quantities and carries the carrier and tracking numbers.

namespace clarity::flows::order_import {

namespace asio = boost::asio;
using odoo::Array;
using odoo::Domain;
using odoo::SearchOptions;
using odoo::Struct;
using OValue = odoo::Value;

namespace {

// ---- FBA tracking numbers from the fulfilled-shipments report ----------------------------------

/// The newest DONE shipments report Amazon lists (getReports); nullopt when there is none or
/// Amazon failed (logged).
asio::awaitable<std::optional<amazon::Report>> newest_shipments_report(std::shared_ptr<Impl> impl) {
    amazon::ReportsRequest request;
    request.report_types.emplace_back(amazon::kFulfilledShipmentsReport);
    request.processing_statuses.emplace_back("DONE");
    request.page_size = 10;
    auto page = co_await impl->deps.amazon.get_reports(std::move(request));
    if (!page) {
        impl->log.warn(
            "listing {} reports failed ({}); FBA tracking numbers wait for the next look",
            amazon::kFulfilledShipmentsReport, page.error().message);
        co_return std::nullopt;
    }
    const amazon::Report* newest = nullptr;
    for (const auto& r : page->reports) {
        if (r.report_type != amazon::kFulfilledShipmentsReport || r.report_document_id.empty())
            continue;
        if (newest == nullptr || r.created_time > newest->created_time) newest = &r;
    }
    if (newest == nullptr) co_return std::nullopt;
    co_return *newest;
}

using Tracking = std::map<std::string, std::string>;  ///< order id → "CARRIER NUMBER, ..."

/// The report's tracking numbers (getReportDocument, then the download to a file that is read,
/// parsed and deleted); nullopt when Amazon failed (logged).
asio::awaitable<std::optional<Tracking>> read_shipments_report(std::shared_ptr<Impl> impl,
                                                               std::string report_id,
                                                               std::string document_id) {
    auto location = co_await impl->deps.amazon.get_report_document(document_id);
    if (!location) {
        impl->log.warn("reading report {} failed: {}", report_id, location.error().message);
        co_return std::nullopt;
    }
    std::error_code ec;
    std::filesystem::path dir = impl->opt.report_dir.empty()
                                    ? std::filesystem::temp_directory_path(ec)
                                    : std::filesystem::path(impl->opt.report_dir);
    const auto file = dir / ("clarity-shipments-" + report_id + ".tsv");
    auto downloaded = co_await impl->deps.amazon.download_document(*location, file);
    if (!downloaded) {
        impl->log.warn("downloading report {} failed: {}", report_id, downloaded.error().message);
        std::filesystem::remove(file, ec);
        std::filesystem::remove(file.string() + ".gz", ec);
        co_return std::nullopt;
    }
    // Inflating, reading and parsing the file is blocking work: it runs on the store's worker
    // thread, not on the I/O thread that every connection's calls share.
    auto read_and_parse = [file, document = *downloaded]() -> Result<Tracking> {
        std::error_code ignored;
        auto text = amazon::finish_document(document, file);
        if (!text) {
            std::filesystem::remove(document.file, ignored);
            return text.error();
        }
        std::ifstream in(file, std::ios::binary);
        std::ostringstream buf;
        buf << in.rdbuf();
        auto parsed = amazon::parse_fulfilled_shipments(buf.str());
        std::filesystem::remove(file, ignored);
        return parsed;
    };
    Result<Tracking> parsed = Tracking{};
    if (impl->deps.store == nullptr) {
        parsed = read_and_parse();
    } else {
        parsed = co_await impl->deps.store->call(std::function<Result<Tracking>(store::Store&)>(
            [&read_and_parse](store::Store&) { return read_and_parse(); }));
    }
    if (!parsed) {
        impl->log.warn("reading report {} failed: {}", report_id, parsed.error().message);
        co_return std::nullopt;
    }
    co_return std::move(*parsed);
}

/// FBA tracking of `order_id` from the newest shipments report, read again when the one in memory
/// is older than afn_tracking_report_max_age. Best effort: an Amazon error is logged and gives no
/// tracking (the delivery is still validated; a later job of the order fills the tracking in).
asio::awaitable<std::string> afn_tracking(std::shared_ptr<Impl> impl, std::string order_id) {
    const auto now = impl->deps.clock.now();
    {
        std::lock_guard lock(impl->mu);
        if (auto it = impl->afn_tracking.find(order_id); it != impl->afn_tracking.end()) {
            co_return it->second;
        }
        if (impl->afn_report_checked &&
            now - *impl->afn_report_checked < impl->opt.afn_tracking_report_max_age) {
            co_return std::string{};
        }
        impl->afn_report_checked = now;  // one look per max_age, even when it fails
    }
    auto newest = co_await newest_shipments_report(impl);
    if (!newest) co_return std::string{};
    const std::string report_id = newest->report_id;
    {
        std::lock_guard lock(impl->mu);
        if (report_id == impl->afn_report_id) co_return std::string{};
    }
    auto parsed = co_await read_shipments_report(impl, report_id, newest->report_document_id);
    if (!parsed) co_return std::string{};
    std::lock_guard lock(impl->mu);
    impl->afn_tracking = std::move(*parsed);
    impl->afn_report_id = report_id;
    auto it = impl->afn_tracking.find(order_id);
    co_return it == impl->afn_tracking.end() ? std::string{} : it->second;
}

// ---- the Odoo delivery -------------------------------------------------------------------------

/// The sale order's deliveries and their moves as Odoo has them.
struct Deliveries {
    std::map<std::int64_t, std::string> picking_state;  ///< by stock.picking id
    std::vector<std::int64_t> done_without_tracking;    ///< done pickings lacking the tracking
    std::vector<OValue> moves;  ///< stock.move: id, picking_id, product_id, demand, state, qty
};

// Built outside the coroutines: g++ 12 rejects braced lists of std::string lvalues in coroutine
// frames ("array used as initializer").
std::vector<std::string> move_fields(const std::string& qty_field) {
    std::vector<std::string> f{"id", "picking_id", "product_id", "product_uom_qty", "state"};
    f.push_back(qty_field);
    return f;
}

/// stock.picking search_read by sale_id, then stock.move search_read of those pickings.
asio::awaitable<Result<Deliveries>> read_deliveries(std::shared_ptr<Impl> impl,
                                                    std::int64_t sale_id,
                                                    std::string qty_field,
                                                    bool with_tracking) {
    auto& odoo = impl->deps.odoo;
    Domain pd;
    pd.where("sale_id", "=", static_cast<long long>(sale_id));
    SearchOptions pso;
    pso.fields = {"id", "state"};
    // Only asked for when there is tracking: the field needs Odoo's stock_delivery module.
    if (with_tracking) pso.fields.emplace_back("carrier_tracking_ref");
    pso.order = "id asc";
    auto pickings = co_await odoo.search_read("stock.picking", std::move(pd), std::move(pso));
    if (!pickings) co_return pickings.error();
    Deliveries out;
    Array picking_ids;
    for (const auto& p : *pickings) {
        auto id = p["id"].as_int().value_or(0);
        picking_ids.emplace_back(static_cast<long long>(id));
        out.picking_state[id] = p["state"].as_string().value_or("");
        if (with_tracking && out.picking_state[id] == "done" &&
            p["carrier_tracking_ref"].as_string().value_or("").empty()) {
            out.done_without_tracking.push_back(id);
        }
    }
    if (picking_ids.empty()) co_return out;
    Domain md;
    md.where("picking_id", "in", picking_ids);
    SearchOptions mso;
    mso.fields = move_fields(qty_field);
    mso.order = "id asc";
    auto moves = co_await odoo.search_read("stock.move", std::move(md), std::move(mso));
    if (!moves) co_return moves.error();
    out.moves = std::move(*moves);
    co_return out;
}

/// The stock.picking write of the quantities to validate on the open picking `open`: each move's
/// share of what is left to ship (`to_ship`, by product). Returns whether the delivery is partial.
asio::awaitable<Result<bool>> write_done_quantities(std::shared_ptr<Impl> impl,
                                                    const Deliveries* deliveries,
                                                    std::map<std::int64_t, double> to_ship,
                                                    std::int64_t open,
                                                    std::string qty_field,
                                                    bool v17,
                                                    std::string tracking) {
    auto& odoo = impl->deps.odoo;
    Array commands;
    bool partial = false;
    for (const auto& m : deliveries->moves) {
        if (m["picking_id"].m2o_id().value_or(0) != open) continue;
        if (m["state"].as_string().value_or("") == "cancel") continue;
        auto product = m["product_id"].m2o_id().value_or(0);
        double demand = m["product_uom_qty"].as_double().value_or(0);
        double& left = to_ship[product];
        double q = std::max(0.0, std::min(left, demand));
        left -= q;
        if (q + 1e-9 < demand) partial = true;
        Struct vals = struct1(qty_field, q);
        if (v17) vals.insert_or_assign("picked", q > 0);
        commands.emplace_back(command(1, m["id"].as_int().value_or(0), std::move(vals)));
    }
    Struct pick_vals = struct1("move_ids", std::move(commands));
    if (!tracking.empty()) pick_vals.insert_or_assign("carrier_tracking_ref", tracking);
    auto written = co_await odoo.write("stock.picking", one_id(open), std::move(pick_vals),
                                       odoo.write_context());
    if (!written) co_return written.error();
    co_return partial;
}

/// The delivery's state after button_validate answered True (Odoo's word, not proof).
asio::awaitable<Result<std::string>> read_picking_state(std::shared_ptr<Impl> impl,
                                                        std::int64_t open) {
    std::vector<std::string> fields = both("id", "state");  // named: g++ 12, co_await
    auto after = co_await impl->deps.odoo.read("stock.picking", one_id(open), std::move(fields));
    if (!after) co_return after.error();
    std::string now_state;
    for (const auto& p : *after) now_state = p["state"].as_string().value_or("");
    co_return now_state;
}

/// button_validate on the open picking, answering the wizards Odoo may open instead (SMS,
/// immediate transfer, backorder) through their context keys, then a read that proves it done.
asio::awaitable<Result<bool>> button_validate(OrderRun* run, std::int64_t open, bool partial) {
    Impl& impl = *run->impl;
    auto& odoo = impl.deps.odoo;
    const std::string& amazon_id = run->id;
    Struct vctx = odoo.write_context();
    vctx.insert_or_assign("skip_sms", true);
    auto skip_backorder = [&] {
        vctx.insert_or_assign("skip_backorder", true);
        if (!impl.opt.create_backorder) {
            vctx.insert_or_assign("picking_ids_not_to_backorder", ids1(open));
        }
    };
    if (partial) skip_backorder();
    for (int round = 0; round < 3; ++round) {
        auto r = co_await odoo.call_action("stock.picking", "button_validate", one_id(open), vctx);
        if (!r) co_return r.error();
        if (!r->needs_wizard()) {
            auto now_state = co_await read_picking_state(run->impl, open);
            if (!now_state) co_return now_state.error();
            if (*now_state != "done") {
                co_return impl.dead_letter.odoo_unchanged(
                    {*run->ctx, "order " + amazon_id, "button_validate",
                     "delivery " + std::to_string(open), "delivery", *now_state, "done",
                     "Validate it in Odoo (Inventory > Transfers) to see what stops it, fix "
                     "that"});
            }
            impl.counter("clarity_order_deliveries_validated_total",
                         "Odoo deliveries validated for Amazon-fulfilled shipments.")
                .inc();
            co_return true;
        }
        const std::string& wizard = r->wizard->res_model;
        if (wizard == "confirm.stock.sms") {
            vctx.insert_or_assign("skip_sms", true);
        } else if (wizard == "stock.immediate.transfer") {
            vctx.insert_or_assign("skip_immediate", true);
        } else if (wizard == "stock.backorder.confirmation") {
            skip_backorder();
        } else {
            co_return run->dead_letter(
                "delivery", "order " + amazon_id +
                                ": validating the Odoo delivery opened the wizard '" + wizard +
                                "', which the connector cannot answer. Validate the delivery "
                                "in Odoo by hand (nothing to replay).");
        }
    }
    co_return run->dead_letter("delivery", "order " + amazon_id +
                                               ": Odoo kept asking for wizards when validating "
                                               "the delivery. Validate it in Odoo by hand "
                                               "(nothing to replay).");
}

/// Validates the open delivery for what Amazon has shipped so far. `shipped` = cumulative shipped
/// quantity per product id. Idempotent: quantities already done are subtracted, so a rerun after
/// a crash validates nothing twice. False: nothing (more) to validate.
asio::awaitable<Result<bool>> validate_delivery(OrderRun* run,
                                                std::map<std::int64_t, double> shipped,
                                                std::string tracking) {
    auto& odoo = run->impl->deps.odoo;
    auto major = co_await odoo_major(run->impl);
    if (!major) co_return major.error();
    const bool v17 = *major >= 17;
    const std::string qty_field = v17 ? "quantity" : "quantity_done";
    auto deliveries =
        co_await read_deliveries(run->impl, run->sale_id, qty_field, !tracking.empty());
    if (!deliveries) co_return deliveries.error();
    if (deliveries->picking_state.empty()) co_return false;
    std::map<std::int64_t, double> to_ship = std::move(shipped);
    for (const auto& m : deliveries->moves) {
        if (m["state"].as_string().value_or("") != "done") continue;
        to_ship[m["product_id"].m2o_id().value_or(0)] -= m[qty_field].as_double().value_or(0);
    }
    bool any = false;
    for (const auto& [product, q] : to_ship) any = any || q > 1e-9;
    if (!any) {
        // Already delivered; the tracking may have arrived after the validation (FBA report).
        if (!deliveries->done_without_tracking.empty()) {
            auto w = co_await odoo.write("stock.picking", deliveries->done_without_tracking,
                                         struct1("carrier_tracking_ref", tracking),
                                         odoo.write_context());
            if (!w) co_return w.error();
        }
        co_return false;
    }
    // The open picking holding the moves (the original delivery or its backorder).
    std::optional<std::int64_t> open;
    for (const auto& [id, state] : deliveries->picking_state) {
        if (state != "done" && state != "cancel" && !open) open = id;
    }
    if (!open) {
        co_return run->dead_letter("delivery", "order " + run->id +
                                                   ": Amazon reports shipped quantities but the "
                                                   "Odoo sale order has no open delivery to "
                                                   "validate. Check the order's transfers in "
                                                   "Odoo, " +
                                                   replay_hint(*run->ctx) + ".");
    }
    auto partial = co_await write_done_quantities(run->impl, &*deliveries, std::move(to_ship),
                                                  *open, qty_field, v17, tracking);
    if (!partial) co_return partial.error();
    co_return co_await button_validate(run, *open, *partial);
}

/// "CARRIER NUMBER, ..." from the shipments Amazon reported with the order (2026-01-01 API).
std::string order_tracking(const model::Order& order) {
    std::string tracking;
    for (const auto& shipment : order.shipments) {
        for (const auto& number : shipment.tracking_numbers) {
            if (number.empty()) continue;
            const std::string entry =
                (shipment.carrier_code.empty() ? std::string{} : shipment.carrier_code + " ") +
                number;
            if (tracking.find(entry) == std::string::npos) {
                tracking += (tracking.empty() ? "" : ", ") + entry;
            }
        }
    }
    return tracking;
}

}  // namespace

asio::awaitable<Result<void>> validate_fba_delivery(OrderRun* run) {
    Impl& impl = *run->impl;
    const model::Order& order = run->order;
    const bool shipped = order.status == model::OrderStatus::shipped ||
                         order.status == model::OrderStatus::partially_shipped;
    if (!impl.opt.validate_afn_deliveries || !shipped || run->state != "sale" ||
        order.fulfillment_channel != model::FulfillmentChannel::afn) {
        co_return Result<void>{};
    }
    std::map<std::int64_t, double> qty;
    for (const auto& line : order.lines) {
        if (line.quantity_shipped <= 0) continue;
        if (auto pid = run->products.id(line.sku))
            qty[*pid] += static_cast<double>(line.quantity_shipped);
    }
    std::string tracking = order_tracking(order);
    if (tracking.empty() && impl.opt.afn_tracking_report) {
        tracking = co_await afn_tracking(run->impl, run->id);
    }
    if (qty.empty()) co_return Result<void>{};
    auto v = co_await validate_delivery(run, std::move(qty), std::move(tracking));
    if (!v) co_return v.error();
    if (*v)
        run->log.info("order {}: validated the delivery of sale order {}", run->id, run->sale_id);
    co_return Result<void>{};
}

}  // namespace clarity::flows::order_import
