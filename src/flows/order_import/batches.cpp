#include <algorithm>

#include "common/coalescer.hpp"
#include "common/odoo_values.hpp"
#include "order_import/steps.hpp"

// The Odoo calls every order makes, batched across the jobs running at once (natural batching,
// common/coalescer.hpp): idle, one job's call goes out alone at once; under load, the calls that
// wait go out together as one.

namespace clarity::flows::order_import {

namespace asio = boost::asio;
using odoo::Array;
using odoo::Domain;
using odoo::SearchOptions;
using odoo::Struct;
using OValue = odoo::Value;

std::vector<std::string> state_fields(const std::string& lines_field) {
    std::vector<std::string> f;
    f.emplace_back("id");
    f.emplace_back("state");
    f.emplace_back("amount_total");
    f.emplace_back("amount_tax");
    if (!lines_field.empty()) f.push_back(lines_field + "/price_tax");
    return f;
}

OrderState state_of(const std::vector<OValue>& rows,
                    std::int64_t id,
                    const std::string& lines_field,
                    bool with_taxes) {
    OrderState s;
    for (const auto& row : rows) {
        if (row["id"].as_int() != id) continue;
        s.state = row["state"].as_string().value_or("");
        s.amount_total = row["amount_total"].as_double();
        s.amount_tax = row["amount_tax"].as_double();
        const auto* lines = lines_field.empty() ? nullptr : row[lines_field.c_str()].as_array();
        if (lines == nullptr) continue;
        // read answers the lines' ids; web_read/web_save their records (id, price_tax).
        std::vector<double> taxes;
        for (const auto& l : *lines) {
            if (auto line_id = l.as_int()) {
                s.line_ids.push_back(*line_id);
                continue;
            }
            s.line_ids.push_back(l["id"].as_int().value_or(0));
            taxes.push_back(l["price_tax"].as_double().value_or(0));
        }
        if (with_taxes) s.line_taxes = std::move(taxes);
    }
    return s;
}

namespace {

/// Orders by Amazon order id, many in one search_read (the oldest sale.order of each id).
asio::awaitable<std::vector<Result<std::optional<ExistingOrder>>>> find_orders_batch(
    Impl* impl, std::vector<std::string> amazon_ids) {
    const std::string ref_field(kOrderRefField);
    Domain d;
    if (amazon_ids.size() == 1) {
        d.where(ref_field, "=", amazon_ids[0]);
    } else {
        Array refs;
        for (const auto& id : amazon_ids) refs.emplace_back(id);
        d.where(ref_field, "in", OValue(std::move(refs)));
    }
    SearchOptions so;
    so.fields = {"id",         "state",        "partner_id", "partner_shipping_id",
                 "date_order", "pricelist_id", ref_field};
    so.order = "id asc";
    auto rows = co_await impl->deps.odoo.search_read("sale.order", std::move(d), std::move(so));
    std::vector<Result<std::optional<ExistingOrder>>> out;
    if (!rows) {
        out.assign(amazon_ids.size(), rows.error());
        co_return out;
    }
    std::map<std::string, ExistingOrder> oldest;
    for (const auto& row : *rows) {
        auto ref = row[ref_field.c_str()].as_string();
        if (!ref) continue;
        ExistingOrder e;
        e.id = row["id"].as_int().value_or(0);
        e.state = row["state"].as_string().value_or("");
        e.partner = row["partner_id"].m2o_id().value_or(0);
        e.shipping = row["partner_shipping_id"].m2o_id().value_or(0);
        e.date_order = row["date_order"].as_string().value_or("");
        e.pricelist = row["pricelist_id"].m2o_id().value_or(0);
        oldest.emplace(*ref, std::move(e));  // rows come by id: the first one stays
    }
    for (const auto& id : amazon_ids) {
        auto it = oldest.find(id);
        out.emplace_back(it == oldest.end() ? std::optional<ExistingOrder>{}
                                            : std::optional<ExistingOrder>{it->second});
    }
    co_return out;
}

/// Odoo's major version (read by the job before any order is written).
int impl_major(Impl* impl) {
    std::lock_guard lock(impl->mu);
    return impl->major;
}

/// action_confirm on many quotations in one call. The call is one transaction: when Odoo refuses
/// it (or answers with a wizard), nothing was confirmed, and each is tried alone so that the
/// refusal names its order.
asio::awaitable<std::vector<Result<bool>>> confirm_batch(Impl* impl,
                                                         std::vector<std::int64_t> ids) {
    auto& odoo = impl->deps.odoo;
    auto r = co_await odoo.call_action("sale.order", "action_confirm", ids, odoo.write_context());
    auto first = action_outcome(r, "action_confirm");
    std::vector<Result<bool>> out;
    if (first || ids.size() == 1 || first.error().kind != ErrorKind::permanent) {
        out.assign(ids.size(), first);
        co_return out;
    }
    for (auto id : ids) {
        std::vector<std::int64_t> single(1, id);
        auto one = co_await odoo.call_action("sale.order", "action_confirm", std::move(single),
                                             odoo.write_context());
        out.push_back(action_outcome(one, "action_confirm"));
    }
    co_return out;
}

/// date_order of one sale order and its state read back: one `web_save` on 17+ (the write and
/// the read in one call), a write and a read on 16.
asio::awaitable<Result<OrderState>> date_one(Impl* impl, DateWrite write) {
    auto& odoo = impl->deps.odoo;
    const int major = impl_major(impl);
    std::vector<std::int64_t> ids = one_id(write.id);
    Struct vals;
    vals.insert_or_assign("date_order", OValue(write.date_order));
    if (major >= 17) {
        // The lines come back too: their ids (the order item links) and taxes.
        const std::string lines = write.lines_field;
        std::vector<std::string> fields = state_fields(lines);  // named: g++ 12, co_await
        auto saved = co_await odoo.web_save("sale.order", ids, std::move(vals), std::move(fields),
                                            odoo.write_context());
        if (!saved) co_return saved.error();
        co_return state_of(*saved, ids[0], lines, write.line_taxes);
    }
    auto w = co_await odoo.write("sale.order", ids, std::move(vals), odoo.write_context());
    if (!w) co_return w.error();
    std::vector<std::string> fields = state_fields();  // named: g++ 12, co_await
    if (!write.lines_field.empty()) fields.push_back(write.lines_field);
    auto rows = co_await odoo.read("sale.order", ids, std::move(fields));
    if (!rows) co_return rows.error();
    co_return state_of(*rows, ids[0], write.lines_field, false);
}

/// date_order of many sale orders in one call, and their state and total read back in the same
/// batch (the proof that action_confirm confirmed them): `load` with the database id column
/// `.id` updates each row's record with its own value (a write would give all the same value),
/// then one `read` (17+ with the tax check: one `web_read`, which brings each line's tax too). The
/// context's tz is UTC because load reads datetimes in the context's time zone (Odoo stores UTC).
/// One order alone: date_one.
asio::awaitable<std::vector<Result<OrderState>>> dates_batch(Impl* impl,
                                                             std::vector<DateWrite> writes) {
    auto& odoo = impl->deps.odoo;
    std::vector<Result<OrderState>> out;
    if (writes.size() == 1) {
        auto one = co_await date_one(impl, std::move(writes[0]));
        out.push_back(std::move(one));
        co_return out;
    }
    std::vector<std::int64_t> ids;
    for (const auto& w : writes) ids.push_back(w.id);
    std::vector<Array> rows;
    for (const auto& w : writes) {
        rows.push_back(Array{OValue(static_cast<long long>(w.id)), OValue(w.date_order)});
    }
    Struct ctx = odoo.write_context();
    ctx.insert_or_assign("tz", OValue("UTC"));
    std::vector<std::string> fields;  // named: g++ 12 miscompiles temporaries in co_await
    fields.emplace_back(".id");
    fields.emplace_back("date_order");
    auto r = co_await odoo.load("sale.order", std::move(fields), std::move(rows), std::move(ctx));
    if (!r) {
        out.assign(writes.size(), r.error());
        co_return out;
    }
    if (!r->ok()) {
        std::string all;
        for (const auto& m : r->messages) all += (all.empty() ? "" : "; ") + m;
        out.assign(writes.size(),
                   Error{ErrorKind::permanent, "Odoo refused to set the order dates: " + all});
        co_return out;
    }
    // 17+: web_read brings each line's tax with the state when the tax check wants it.
    std::string lines;
    for (const auto& w : writes) {
        if (w.line_taxes && impl_major(impl) >= 17) lines = w.lines_field;
    }
    std::vector<std::string> read_fields = state_fields(lines);
    // A plain read brings the lines' ids (the order item links, links.cpp); web_read brings
    // them with the taxes.
    const std::string ids_field = writes.front().lines_field;
    if (lines.empty() && !ids_field.empty()) read_fields.push_back(ids_field);
    // Named, one co_await per statement: g++ 12 miscompiles co_await in a conditional.
    auto read = lines.empty() ? odoo.read("sale.order", ids, std::move(read_fields))
                              : odoo.web_read("sale.order", ids, std::move(read_fields));
    auto read_back = co_await std::move(read);
    if (!read_back && !lines.empty() && read_back.error().kind == ErrorKind::permanent) {
        // An order of the batch is gone (web_read refuses a missing record next to others when
        // it reads lines): read as read does, without the lines (the tax check reads them).
        lines.clear();
        std::vector<std::string> plain = state_fields();
        if (!ids_field.empty()) plain.push_back(ids_field);
        auto again = odoo.read("sale.order", ids, std::move(plain));  // named: g++ 12, co_await
        read_back = co_await std::move(again);
    }
    if (!read_back) {
        out.assign(writes.size(), read_back.error());
        co_return out;
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
        out.push_back(state_of(*read_back, ids[i], lines.empty() ? ids_field : lines,
                               writes[i].line_taxes && !lines.empty()));
    }
    co_return out;
}

/// amount_total and amount_tax of many sale orders in one read (nullopt: the order is gone).
asio::awaitable<std::vector<Result<std::optional<Amounts>>>> totals_batch(
    Impl* impl, std::vector<std::int64_t> ids) {
    std::vector<std::string> fields;  // named: g++ 12 miscompiles temporaries in co_await
    fields.emplace_back("id");
    fields.emplace_back("amount_total");
    fields.emplace_back("amount_tax");
    auto rows = co_await impl->deps.odoo.read("sale.order", ids, std::move(fields));
    std::vector<Result<std::optional<Amounts>>> out;
    if (!rows) {
        out.assign(ids.size(), rows.error());
        co_return out;
    }
    std::map<std::int64_t, Amounts> by_id;
    for (const auto& row : *rows) {
        if (auto id = row["id"].as_int()) {
            by_id[*id] = Amounts{row["amount_total"].as_double().value_or(0),
                                 row["amount_tax"].as_double().value_or(0)};
        }
    }
    for (auto id : ids) {
        auto it = by_id.find(id);
        out.emplace_back(it == by_id.end() ? std::optional<Amounts>{}
                                           : std::optional<Amounts>{it->second});
    }
    co_return out;
}

/// One sale.order created alone: on 17+ with check_totals `web_save`, which answers its amounts
/// (and each line's tax for the tax check) in the same call; else `create`.
asio::awaitable<Result<CreatedOrder>> create_one(Impl* impl, NewOrder req) {
    auto& odoo = impl->deps.odoo;
    if (!req.web_save) {
        auto plain = co_await odoo.create("sale.order", std::vector<Struct>(1, std::move(req.vals)),
                                          odoo.write_context());
        if (!plain) co_return plain.error();
        if (plain->size() != 1) co_return Error{ErrorKind::permanent, "create returned no id"};
        co_return CreatedOrder{plain->at(0), {}, {}, {}};
    }
    std::vector<std::string> fields;  // named: g++ 12 and temporaries in co_await
    fields.emplace_back("amount_total");
    fields.emplace_back("amount_tax");
    if (req.line_taxes) fields.emplace_back(req.lines_field + "/price_tax");
    std::vector<std::int64_t> no_ids;
    auto save = odoo.web_save("sale.order", std::move(no_ids), std::move(req.vals),
                              std::move(fields), odoo.write_context());
    auto saved = co_await std::move(save);
    if (!saved) co_return saved.error();
    if (saved->empty() || !(*saved)[0]["id"].as_int()) {
        co_return Error{ErrorKind::permanent, "web_save returned no record"};
    }
    const OValue& row = (*saved)[0];
    CreatedOrder out{
        *row["id"].as_int(), row["amount_total"].as_double(), row["amount_tax"].as_double(), {}};
    if (const auto* read_lines = row[req.lines_field.c_str()].as_array();
        read_lines && req.line_taxes) {
        std::vector<double> taxes;
        for (const auto& l : *read_lines) taxes.push_back(l["price_tax"].as_double().value_or(0));
        out.line_taxes = std::move(taxes);
    }
    co_return out;
}

/// Each line's price_tax of many sale orders (sale.order.line search_read), by order, in line
/// order; empty when the read fails (the tax check then reads them itself).
asio::awaitable<std::map<std::int64_t, std::vector<double>>> line_taxes_of(
    Impl* impl, const std::vector<std::int64_t>& ids) {
    Array refs;
    for (auto id : ids) refs.emplace_back(static_cast<long long>(id));
    Domain d;
    d.where("order_id", "in", OValue(std::move(refs)));
    SearchOptions so;
    so.fields = {"order_id", "price_tax"};
    so.order = "id asc";
    auto rows =
        co_await impl->deps.odoo.search_read("sale.order.line", std::move(d), std::move(so));
    std::map<std::int64_t, std::vector<double>> out;
    if (!rows) co_return out;
    for (auto id : ids) out[id];  // an order without lines has none
    for (const auto& r : *rows) {
        if (auto order = r["order_id"].m2o_id()) {
            out[*order].push_back(r["price_tax"].as_double().value_or(0));
        }
    }
    co_return out;
}

/// Many sale orders in one `create` (one transaction, ids in order), then each line's tax in one
/// read when the tax check needs it and the confirmation does not bring it (the amounts come
/// back with the confirmation, or through `totals`). Create is not retried: a transient failure
/// fails every order of the batch, and each job's retry looks its order up before creating it. A
/// batch Odoo refuses created nothing: each order is then created alone, so that the refusal names
/// its order. One order alone: create_one.
asio::awaitable<std::vector<Result<CreatedOrder>>> creates_batch(Impl* impl,
                                                                 std::vector<NewOrder> reqs) {
    auto& odoo = impl->deps.odoo;
    std::vector<Result<CreatedOrder>> out;
    if (reqs.size() == 1) {
        auto one = co_await create_one(impl, std::move(reqs[0]));
        out.push_back(std::move(one));
        co_return out;
    }
    std::vector<Struct> vals;
    for (const auto& r : reqs) vals.push_back(r.vals);
    auto created = co_await odoo.create("sale.order", std::move(vals), odoo.write_context());
    if (!created && created.error().kind == ErrorKind::permanent) {
        for (auto& r : reqs) {
            auto one = co_await create_one(impl, std::move(r));
            out.push_back(std::move(one));
        }
        co_return out;
    }
    if (created && created->size() != reqs.size()) {
        created =
            Error{ErrorKind::transient, "create answered " + std::to_string(created->size()) +
                                            " ids for " + std::to_string(reqs.size()) + " orders"};
    }
    if (!created) {
        out.assign(reqs.size(), created.error());
        co_return out;
    }
    std::map<std::int64_t, std::vector<double>> taxes;
    auto read_now = [](const NewOrder& r) { return r.line_taxes && !r.taxes_at_confirm; };
    if (std::any_of(reqs.begin(), reqs.end(), read_now)) {
        taxes = co_await line_taxes_of(impl, *created);
    }
    for (std::size_t i = 0; i < reqs.size(); ++i) {
        CreatedOrder c{(*created)[i], {}, {}, {}};
        if (auto it = taxes.find(c.id); it != taxes.end() && read_now(reqs[i])) {
            c.line_taxes = it->second;
        }
        out.emplace_back(std::move(c));
    }
    co_return out;
}

}  // namespace

void make_coalescers(const std::shared_ptr<Impl>& owner) {
    Impl& impl = *owner;
    Impl* p = &impl;  // the coalescers live in (and die with) the Impl
    std::weak_ptr<Impl> weak = owner;
    impl.prepares = std::make_unique<Coalescer<int, bool>>(
        "preparing the order import (companies, pricelists, taxes)",
        [weak](std::vector<int> waiting) -> asio::awaitable<std::vector<Result<bool>>> {
            std::vector<Result<bool>> out;
            auto impl = weak.lock();
            if (!impl) {
                out.assign(waiting.size(), Error{ErrorKind::transient, "the flow is stopping"});
                co_return out;
            }
            auto done = co_await read_for_prepare(impl);
            out.assign(waiting.size(), done ? Result<bool>(true) : Result<bool>(done.error()));
            co_return out;
        },
        1000);
    impl.finds = std::make_unique<Coalescer<std::string, std::optional<ExistingOrder>>>(
        "finding orders in Odoo",
        [p](std::vector<std::string> ids) { return find_orders_batch(p, std::move(ids)); },
        kMaxBatch);
    impl.confirms = std::make_unique<Coalescer<std::int64_t, bool>>(
        "confirming orders in Odoo",
        [p](std::vector<std::int64_t> ids) { return confirm_batch(p, std::move(ids)); }, kMaxBatch);
    impl.dates = std::make_unique<Coalescer<DateWrite, OrderState>>(
        "writing order dates to Odoo",
        [p](std::vector<DateWrite> w) { return dates_batch(p, std::move(w)); }, kMaxBatch);
    impl.totals = std::make_unique<Coalescer<std::int64_t, std::optional<Amounts>>>(
        "reading order totals from Odoo",
        [p](std::vector<std::int64_t> ids) { return totals_batch(p, std::move(ids)); }, kMaxBatch);
    impl.creates = std::make_unique<Coalescer<NewOrder, CreatedOrder>>(
        "creating orders in Odoo",
        [p](std::vector<NewOrder> reqs) { return creates_batch(p, std::move(reqs)); }, kMaxBatch);
}

}  // namespace clarity::flows::order_import
