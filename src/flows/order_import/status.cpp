#include "common/coalescer.hpp"
#include "common/odoo_values.hpp"
#include "order_import/steps.hpp"

// The sale order follows Amazon's status: confirmed (with Amazon's purchase date as date_order)
// or cancelled, each proven by reading the order's state back.

namespace clarity::flows::order_import {

namespace asio = boost::asio;
using odoo::Struct;

namespace {

/// cancel_email: answers the sale.order.cancel wizard with its "Send and cancel": the wizard is
/// created with the context of the action that opened it (its default_* keys name the order and
/// the e-mail template), then action_send_mail_and_cancel.
asio::awaitable<Result<void>> send_cancel_email(std::shared_ptr<Impl> impl,
                                                std::string amazon_id,
                                                std::int64_t sale_id,
                                                odoo::Wizard wizard) {
    auto& odoo = impl->deps.odoo;
    const std::string so = "sale order " + std::to_string(sale_id);
    Struct wctx = odoo.write_context();
    wctx.erase("tracking_disable");
    for (const auto& [k, v] : wizard.context) wctx.insert_or_assign(k, v);
    Struct wvals;
    wvals.insert_or_assign("order_id", static_cast<long long>(sale_id));
    auto created = co_await odoo.create("sale.order.cancel", std::vector<Struct>(1, wvals), wctx);
    Result<odoo::ActionResult> sent = Error{ErrorKind::permanent, "no wizard created"};
    if (!created) {
        sent = created.error();
    } else if (!created->empty()) {
        auto send = odoo.call_action("sale.order.cancel", "action_send_mail_and_cancel", *created,
                                     std::move(wctx));
        sent = co_await std::move(send);  // named: g++ 12, co_await
    }
    auto done = action_outcome(sent, "the cancellation wizard's action_send_mail_and_cancel");
    if (!done) {
        if (done.error().kind != ErrorKind::permanent) co_return done.error();
        co_return impl->dead_letter("odoo_refused",
                                    "order " + amazon_id +
                                        ": Amazon cancelled it but Odoo's "
                                        "cancellation e-mail wizard failed for " +
                                        so + ": " + done.error().message +
                                        ". Cancel the order in Odoo by hand (nothing to replay).");
    }
    co_return Result<void>{};
}

}  // namespace

/// 16–18 answer action_cancel on a confirmed order with the action of the sale.order.cancel
/// wizard (which e-mails the customer) instead of cancelling, unless the context carries
/// disable_cancel_warning — what the wizard's own "Cancel" button passes
/// (sale/wizard/sale_order_cancel.py); 19 has no wizard and cancels directly. So the call carries
/// that key (no e-mail), and one read afterwards checks the state: a wizard answer or an order not
/// cancelled afterwards is a dead letter, never a success. With cancel_email, the call goes
/// without the key and the wizard is answered with its "Send and cancel" (on 19 and for
/// quotations Odoo cancels at once and sends nothing).
asio::awaitable<Result<void>> cancel_sale_order(std::shared_ptr<Impl> impl,
                                                std::string amazon_id,
                                                std::int64_t sale_id) {
    auto& odoo = impl->deps.odoo;
    const bool email = impl->opt.cancel_email;
    Struct cctx = odoo.write_context();
    if (!email) cctx.insert_or_assign("disable_cancel_warning", true);
    auto r =
        co_await odoo.call_action("sale.order", "action_cancel", one_id(sale_id), std::move(cctx));
    const std::string so = "sale order " + std::to_string(sale_id);
    if (!r) {
        if (r.error().kind != ErrorKind::permanent) co_return r.error();
        co_return impl->dead_letter(
            "odoo_refused", "order " + amazon_id +
                                ": Amazon cancelled it but Odoo refused to cancel " + so + ": " +
                                r.error().message + ". Cancel or return it in Odoo by hand.");
    }
    if (r->needs_wizard() && email && r->wizard->res_model == "sale.order.cancel") {
        auto sent = co_await send_cancel_email(impl, amazon_id, sale_id, *r->wizard);
        if (!sent) co_return sent;
    } else if (r->needs_wizard()) {
        co_return impl->dead_letter(
            "odoo_unchanged", "order " + amazon_id + ": Amazon cancelled it but Odoo answered " +
                                  "action_cancel on " + so + " with the wizard '" +
                                  r->wizard->res_model +
                                  "' instead of cancelling it (an Odoo module asks for a "
                                  "confirmation). Cancel the order in Odoo by hand (nothing to "
                                  "replay).");
    }
    std::vector<std::string> fields = state_fields();  // named: g++ 12, co_await
    auto rows = co_await odoo.read("sale.order", one_id(sale_id), std::move(fields));
    if (!rows) co_return rows.error();
    const OrderState after = state_of(*rows, sale_id);
    if (after.state != "cancel") {
        co_return impl->dead_letter(
            "odoo_unchanged",
            "order " + amazon_id + ": Amazon cancelled it and Odoo accepted action_cancel on " +
                so + ", but the order is " +
                (after.state.empty() ? std::string("gone")
                                     : "still in state '" + after.state + "'") +
                " afterwards. Cancel it in Odoo by hand (Sales > Orders) to see what keeps it; "
                "nothing to replay.");
    }
    impl->counter("clarity_orders_cancelled_total",
                  "Odoo sale orders cancelled because Amazon cancelled the order.")
        .inc();
    co_return Result<void>{};
}

asio::awaitable<Result<void>> cancel_existing_sale_order(OrderRun* run) {
    if (run->action != "cancel") co_return Result<void>{};
    Impl& impl = *run->impl;
    if (run->existing) {
        const ExistingOrder& e = *run->existing;
        run->done = true;
        if (e.state == "cancel") {
            impl.skipped("unchanged");
            co_return Result<void>{};
        }
        auto cancelled = co_await cancel_sale_order(run->impl, run->id, e.id);
        if (!cancelled) co_return cancelled.error();
        run->log.info("order {}: cancelled sale order {} (state checked)", run->id, e.id);
        co_return Result<void>{};
    }
    if (!impl.opt.import_canceled) {
        run->done = true;
        impl.skipped("canceled");
        run->log.info("order {} was cancelled before it was imported; nothing to do", run->id);
    }
    // Otherwise the order is created, then cancelled (confirm_or_cancel_sale_order).
    co_return Result<void>{};
}

namespace {

/// Amazon's purchase date as date_order, with the state read back in the same batch.
asio::awaitable<Result<OrderState>> write_purchase_date(OrderRun* run) {
    DateWrite dw{run->sale_id, model::format_odoo_datetime(run->order.purchase_date),
                 run->check_tax && !run->line_taxes, run->lines_field};
    // Named: g++ 12 double-frees temporaries with destructors inside co_await.
    auto write_date = run->impl->dates->submit(std::move(dw));
    co_return co_await std::move(write_date);
}

/// action_confirm (batched); action_confirm set date_order to now, so Amazon's purchase date is
/// written back, and the same batch reads the state back: the proof that the order was
/// confirmed.
asio::awaitable<Result<void>> confirm_sale_order(OrderRun* run) {
    Impl& impl = *run->impl;
    const std::string so = "sale order " + std::to_string(run->sale_id);
    auto confirm = impl.confirms->submit(run->sale_id);  // named: g++ 12, co_await
    auto r = co_await std::move(confirm);
    if (!r) {
        co_return impl.dead_letter.odoo_refused(
            r.error(), {*run->ctx, run->subject(), "to confirm " + so, "Fix what it names"});
    }
    auto w = co_await write_purchase_date(run);
    if (!w) co_return w.error();
    if (w->state != "sale" && w->state != "done") {
        co_return impl.dead_letter.odoo_unchanged(
            {*run->ctx, run->subject(), "action_confirm", so, "order", w->state, "confirmed",
             "Confirm it in Odoo (Sales > Orders) to see what stops it, fix that"});
    }
    run->total_after_confirm = w->amount_total;
    run->tax_after_confirm = w->amount_tax;
    if (w->line_taxes) run->line_taxes = std::move(w->line_taxes);
    run->line_ids = std::move(w->line_ids);
    run->state = "sale";
    run->wrote = true;
    impl.counter("clarity_orders_confirmed_total", "Odoo sale orders confirmed for Amazon orders.")
        .inc();
    run->log.info("order {}: confirmed sale order {}", run->id, run->sale_id);
    co_return Result<void>{};
}

}  // namespace

asio::awaitable<Result<void>> confirm_or_cancel_sale_order(OrderRun* run) {
    const std::string& state = run->state;
    if (run->action == "confirm" && (state == "draft" || state == "sent")) {
        co_return co_await confirm_sale_order(run);
    }
    if (run->action == "cancel" && state != "cancel") {
        auto cancelled = co_await cancel_sale_order(run->impl, run->id, run->sale_id);
        if (!cancelled) co_return cancelled.error();
        run->state = "cancel";
        run->wrote = true;
    } else if (run->action == "confirm" && state == "sale" && run->existing &&
               run->existing->date_order != model::format_odoo_datetime(run->order.purchase_date)) {
        // An earlier run confirmed the order but stopped (crash, lost reply) before writing
        // Amazon's date back: finish that now.
        auto w = co_await write_purchase_date(run);
        if (!w) co_return w.error();
        run->log.info("order {}: set the date of sale order {} to Amazon's purchase date", run->id,
                      run->sale_id);
    }
    co_return Result<void>{};
}

}  // namespace clarity::flows::order_import
