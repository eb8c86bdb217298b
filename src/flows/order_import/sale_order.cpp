#include <chrono>
#include <cmath>

#include "clarity/store/async_store.hpp"
#include "common/coalescer.hpp"
#include "common/id_map.hpp"
#include "common/odoo_values.hpp"
#include "order_import/steps.hpp"

// The sale.order of the Amazon order: found (or proven new), created, or updated while it is a
// quotation.

namespace clarity::flows::order_import {

namespace asio = boost::asio;
using odoo::Array;
using odoo::Domain;
using odoo::SearchOptions;
using odoo::Struct;
using OValue = odoo::Value;

namespace {

/// True when the order cannot exist in Odoo yet, so the search for it can be skipped: this is the
/// job's first attempt (a retry may follow a create whose answer was lost), the store has no
/// mapping for the order (written the moment Odoo answers a create, so also after a run that
/// created the order and then failed), and Amazon's purchase date is after the store began
/// importing (older orders may have come from a previous store or another importer).
asio::awaitable<bool> known_new(OrderRun* run) {
    Impl& impl = *run->impl;
    store::AsyncStore* st = impl.deps.store;
    if (st == nullptr || run->ctx->job.attempt != 1) co_return false;
    const std::string connection = run->ctx->job.connection;
    if (!impl.new_since) {
        const std::string now = model::format_iso8601(
            std::chrono::time_point_cast<std::chrono::seconds>(impl.deps.clock.now()));
        auto since = co_await cursor_or_set(*st, connection, kNewSinceCursor, now);
        if (!since) co_return false;
        auto parsed = model::parse_timestamp(*since);
        if (!parsed) co_return false;
        impl.new_since = *parsed;
    }
    if (run->order.purchase_date <= *impl.new_since) co_return false;
    auto mapping = co_await find_odoo_record(*st, connection, kOrderKind, run->id);
    co_return mapping && !*mapping;
}

}  // namespace

asio::awaitable<Result<void>> find_sale_order(OrderRun* run) {
    auto check_new = known_new(run);  // named: g++ 12, co_await
    const bool is_new = co_await std::move(check_new);
    if (is_new) co_return Result<void>{};
    // Named: g++ 12 double-frees temporaries with destructors inside co_await.
    auto find = run->impl->finds->submit(run->id);
    auto found = co_await std::move(find);
    if (!found) co_return found.error();
    run->existing = std::move(*found);
    co_return Result<void>{};
}

namespace {

/// sale.order web_save or create (batched across jobs); the id map remembers it at once.
asio::awaitable<Result<void>> create_sale_order(OrderRun* run) {
    Impl& impl = *run->impl;
    NewOrder req;
    req.vals = run->vals;
    req.web_save = run->major >= 17 && impl.opt.check_totals;
    req.line_taxes = run->check_tax;
    req.taxes_at_confirm = run->major >= 17 && run->action == "confirm";
    req.lines_field = run->lines_field;
    auto create = impl.creates->submit(std::move(req));  // named: g++ 12, co_await
    auto created = co_await std::move(create);
    if (!created) {
        co_return impl.dead_letter.odoo_refused(
            created.error(), {*run->ctx, run->subject(), "the sale order",
                              "Fix the mapping template or the Odoo data it names"});
    }
    run->sale_id = created->id;
    run->total_from_create = created->amount_total;
    run->tax_from_create = created->amount_tax;
    run->line_taxes = std::move(created->line_taxes);
    run->state = "draft";
    run->wrote = true;
    store::IdMapping mapping{run->ctx->job.connection, kOrderKind, run->id, "sale.order",
                             run->sale_id};
    auto remember = remember_odoo_record(impl.deps.store, std::move(mapping));  // named: g++ 12
    auto remembered = co_await std::move(remember);
    if (!remembered) co_return remembered.error();
    impl.counter("clarity_orders_imported_total", "Amazon orders created as Odoo sale orders.")
        .inc();
    run->log.info("order {}: created sale order {}", run->id, run->sale_id);
    co_return Result<void>{};
}

/// The quotation's lines, partners and pricelist are what the run would write.
bool same_quotation(const OrderRun& run, const std::vector<OValue>& current) {
    const ExistingOrder& e = *run.existing;
    bool same = current.size() == run.lines.size() && e.partner == run.partners.customer &&
                e.shipping == run.partners.shipping &&
                e.pricelist == run.pricelist.value_or(e.pricelist);
    for (std::size_t i = 0; same && i < run.lines.size(); ++i) {
        const auto* c = run.lines[i].as_array();
        const Struct* want_line = c && c->size() == 3 ? (*c)[2].as_struct() : nullptr;
        if (want_line == nullptr) return false;
        const auto& have = current[i];
        auto get = [&](const char* f) {
            auto it = want_line->find(f);
            return it == want_line->end() ? OValue{} : it->second;
        };
        same = have["product_id"].m2o_id() == get("product_id").as_int() &&
               std::abs(have["product_uom_qty"].as_double().value_or(0) -
                        get("product_uom_qty").as_double().value_or(0)) < 1e-9 &&
               std::abs(have["price_unit"].as_double().value_or(0) -
                        get("price_unit").as_double().value_or(0)) < 1e-9 &&
               tax_ids_of(have[run.tax_field]) == tax_ids_of(get(run.tax_field.c_str()));
    }
    return same;
}

/// A quotation follows Amazon: sale.order.line search_read, and a sale.order write replacing the
/// lines when products, quantities, prices or taxes changed (e.g. a Pending order's prices
/// arrive). A Pending order may lack buyer data that arrives later: the partners follow too, and
/// so does the pricelist (a replay after the tax map was fixed).
asio::awaitable<Result<void>> update_quotation(OrderRun* run) {
    Impl& impl = *run->impl;
    auto& odoo = impl.deps.odoo;
    Domain d;
    d.where("order_id", "=", static_cast<long long>(run->sale_id));
    SearchOptions so;
    so.fields = {"product_id", "product_uom_qty", "price_unit"};
    so.fields.push_back(run->tax_field);
    so.order = "id asc";
    auto current = co_await odoo.search_read("sale.order.line", std::move(d), std::move(so));
    if (!current) co_return current.error();
    if (same_quotation(*run, *current)) co_return Result<void>{};
    Struct update = run->vals;
    update.erase("date_order");
    Array replace;
    replace.push_back(command(5, 0, 0));
    for (auto& l : run->lines) replace.push_back(l);
    update.insert_or_assign(run->lines_field, std::move(replace));
    auto w = co_await odoo.write("sale.order", one_id(run->sale_id), std::move(update),
                                 odoo.write_context());
    if (!w) {
        co_return impl.dead_letter.odoo_refused(
            w.error(),
            {*run->ctx, run->subject(), "the update of sale order " + std::to_string(run->sale_id),
             "Fix the data it names"});
    }
    run->wrote = true;
    impl.counter("clarity_orders_updated_total",
                 "Odoo quotations updated after the Amazon order changed.")
        .inc();
    run->log.info("order {}: updated quotation {}", run->id, run->sale_id);
    co_return Result<void>{};
}

}  // namespace

asio::awaitable<Result<void>> create_or_update_sale_order(OrderRun* run) {
    if (!run->existing) {
        auto created = co_await create_sale_order(run);
        if (!created) co_return created;
    } else {
        run->sale_id = run->existing->id;
        run->state = run->existing->state;
        if (run->state == "draft" || run->state == "sent") {
            auto updated = co_await update_quotation(run);
            if (!updated) co_return updated;
        }
    }
    run->ctx->id_mappings.push_back(
        {run->ctx->job.connection, kOrderKind, run->id, "sale.order", run->sale_id});
    co_return Result<void>{};
}

}  // namespace clarity::flows::order_import
