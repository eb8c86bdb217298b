#include "common/id_map.hpp"
#include "order_import/steps.hpp"

// The buyer asked Amazon to cancel: a To-Do activity on the sale order, so the seller sees it in
// Odoo before shipping (the template's `outputs.buyer_cancel_request` chooses it).

namespace clarity::flows::order_import {

namespace asio = boost::asio;
using odoo::Domain;
using odoo::SearchOptions;
using odoo::Struct;

namespace {

/// id map kind: the activity made for an Amazon order's cancellation request.
constexpr const char* kCancelRequestKind = "amazon_cancel_request";

/// ir.model's id of sale.order (cached: stable data).
asio::awaitable<Result<std::int64_t>> sale_order_model(Impl& impl) {
    Domain d;
    d.where("model", "=", "sale.order");
    SearchOptions so;
    so.fields = {"id"};
    auto rows = co_await impl.deps.odoo.search_read_cached("ir.model", std::move(d), std::move(so));
    if (!rows) co_return rows.error();
    if (rows->empty()) co_return make_error(ErrorKind::permanent, "ir.model has no sale.order");
    co_return (*rows)[0]["id"].as_int().value_or(0);
}

/// The activity an earlier run made and did not record (a crash before the ack).
asio::awaitable<Result<std::int64_t>> earlier_activity(OrderRun* run,
                                                       std::int64_t model,
                                                       const std::string& summary) {
    Domain d;
    d.where("res_model_id", "=", static_cast<long long>(model));
    d.where("res_id", "=", static_cast<long long>(run->sale_id));
    d.where("summary", "=", summary);
    SearchOptions so;
    so.fields = {"id"};
    so.limit = 1;
    auto rows =
        co_await run->impl->deps.odoo.search_read("mail.activity", std::move(d), std::move(so));
    if (!rows) co_return rows.error();
    co_return rows->empty() ? 0 : (*rows)[0]["id"].as_int().value_or(0);
}

}  // namespace

asio::awaitable<Result<void>> flag_buyer_cancel_request(OrderRun* run) {
    const model::Value* wanted = run->mapped.outputs.find("buyer_cancel_request");
    if (wanted == nullptr || !wanted->is_bool() || !wanted->as_bool()) co_return Result<void>{};
    if (run->sale_id == 0 || run->state == "cancel") co_return Result<void>{};
    Impl& impl = *run->impl;
    const std::string connection = run->ctx->job.connection;
    if (impl.deps.store != nullptr) {
        auto known =
            co_await find_odoo_record(*impl.deps.store, connection, kCancelRequestKind, run->id);
        if (!known) co_return known.error();
        if (*known) co_return Result<void>{};  // flagged by an earlier run
    }
    auto model = co_await sale_order_model(impl);
    if (!model) co_return model.error();
    const std::string summary = "Amazon: the buyer asked to cancel order " + run->id;
    std::int64_t activity = 0;
    if (run->ctx->job.attempt > 1) {
        auto earlier = co_await earlier_activity(run, *model, summary);
        if (!earlier) co_return earlier.error();
        activity = *earlier;
    }
    if (activity == 0) {
        std::string reason;
        for (const auto& l : run->order.lines) {
            if (l.buyer_requested_cancel && !l.buyer_cancel_reason.empty())
                reason = l.buyer_cancel_reason;
        }
        Struct vals{{"res_model_id", static_cast<long long>(*model)},
                    {"res_id", static_cast<long long>(run->sale_id)},
                    {"summary", summary},
                    {"note", "<p>The buyer asked Amazon to cancel this order" +
                                 (reason.empty() ? std::string() : " (" + reason + ")") +
                                 ". Do not ship it: cancel it in Seller Central (or cancel the "
                                 "sale order here with flows.fulfillment_status.cancel_on_amazon), "
                                 "or decline the request there.</p>"}};
        std::vector<Struct> list{std::move(vals)};
        auto created = co_await impl.deps.odoo.create("mail.activity", std::move(list));
        if (!created) {
            co_return impl.dead_letter.odoo_refused(created.error(),
                                                    {*run->ctx, run->subject(),
                                                     "the activity for the buyer's "
                                                     "cancellation request",
                                                     "Fix what it names"});
        }
        activity = created->empty() ? 0 : created->front();
        impl.counter("clarity_orders_cancel_requests_total",
                     "Buyers' cancellation requests flagged on sale orders (an activity).")
            .inc();
        run->log.warn("order {}: the buyer asked to cancel; activity {} on sale order {}", run->id,
                      activity, run->sale_id);
    }
    run->ctx->id_mappings.push_back(
        {connection, kCancelRequestKind, run->id, "mail.activity", activity});
    co_return Result<void>{};
}

}  // namespace clarity::flows::order_import
