#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "clarity/amazon/feeds_api.hpp"
#include "clarity/store/async_store.hpp"
#include "common/steps.hpp"
#include "fulfillment_status/steps.hpp"

// A merchant-fulfilled Amazon order cancelled in Odoo before it shipped, cancelled on Amazon
// (cancel_on_amazon): the order acknowledgement feed Amazon documents for seller cancellations
// (POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA), then its processing report read for the order.
// Exactly once: the feed's id is kept in the store (cursor "cancel_feed:<order id>") the moment
// Amazon answers createFeed, and a rerun reads that feed instead of sending another; an order
// Amazon already shows cancelled is done without a feed.

namespace clarity::flows::fulfillment_status {

namespace asio = boost::asio;

namespace {

/// One cancellation job's run.
struct CancelRun {
    CancelRun(std::shared_ptr<Impl> i, JobContext* c, std::int64_t s)
        : impl(std::move(i)),
          ctx(c),
          sale_order(s),
          log(impl->log.with(
              {std::to_string(c->job.id), c->job.flow, c->job.connection, c->job.entity_key, {}})) {
    }

    std::shared_ptr<Impl> impl;
    JobContext* ctx;
    std::int64_t sale_order = 0;
    core::Log log;
    bool done = false;
    std::string order_id;  ///< the Amazon order
    std::string feed_id;   ///< the cancellation feed, once sent

    std::string subject() const { return "order " + order_id; }
    std::string cursor() const { return "cancel_feed:" + order_id; }
    Result<void> finish(const std::string& why) {
        done = true;
        impl->counter("clarity_cancellations_skipped_total",
                      "Cancelled sale orders not cancelled on Amazon, by reason.",
                      {{"reason", why}})
            .inc();
        log.debug("sale order {}: nothing to cancel on Amazon ({})", sale_order, why);
        return {};
    }
};

using CancelStep = asio::awaitable<Result<void>> (*)(CancelRun* run);

asio::awaitable<Result<std::optional<std::string>>> stored_cursor(CancelRun* run) {
    std::function<Result<std::optional<std::string>>(store::Store&)> fn =
        [connection = run->ctx->job.connection, name = run->cursor()](store::Store& s) {
            return s.cursor(connection, name);
        };
    co_return co_await run->impl->deps.store.call(std::move(fn));
}

/// Odoo: the sale order is cancelled (the trigger's word is not trusted); store: its Amazon order.
asio::awaitable<Result<void>> find_amazon_order(CancelRun* run) {
    Impl& impl = *run->impl;
    std::function<Result<std::optional<store::IdMapping>>(store::Store&)> lookup =
        [connection = run->ctx->job.connection, id = run->sale_order](store::Store& s) {
            return s.find_by_odoo(connection, "sale.order", id);
        };
    auto mapping = co_await impl.deps.store.call(std::move(lookup));
    if (!mapping) co_return mapping.error();
    if (!*mapping || (*mapping)->kind != "amazon_order") co_return run->finish("not_amazon");
    run->order_id = (*mapping)->external_id;
    std::vector<std::string> fields{"state"};
    std::vector<std::int64_t> ids{run->sale_order};
    auto rows = co_await impl.deps.odoo.read("sale.order", std::move(ids), std::move(fields));
    if (!rows) co_return rows.error();
    if (rows->empty() || (*rows)[0]["state"].as_string().value_or("") != "cancel")
        co_return run->finish("not_cancelled");
    auto feed = co_await stored_cursor(run);
    if (!feed) co_return feed.error();
    run->feed_id = feed->value_or("");
    co_return Result<void>{};
}

/// Amazon: getOrder; cancelled there already (by Amazon, the buyer, or an earlier feed), fulfilled
/// by Amazon, or shipped: no feed.
asio::awaitable<Result<void>> check_order_on_amazon(CancelRun* run) {
    if (!run->feed_id.empty()) co_return Result<void>{};  // sent: read its result
    std::vector<std::string> included{"FULFILLMENT"};
    auto read = run->impl->deps.amazon.get_order(run->order_id, std::move(included));
    auto order = co_await std::move(read);  // named: g++ 12, co_await
    if (!order) co_return order.error();
    if (order->fulfillment_status == "CANCELLED") co_return run->finish("cancelled_on_amazon");
    if (order->fulfilled_by == "AMAZON") co_return run->finish("fulfilled_by_amazon");
    if (order->fulfillment_status == "SHIPPED" ||
        order->fulfillment_status == "PARTIALLY_SHIPPED") {
        co_return run->impl->dead_letter(
            "cancel_refused",
            run->subject() + " was cancelled in Odoo (sale order " +
                std::to_string(run->sale_order) + ") but Amazon shows it " +
                order->fulfillment_status +
                ": a shipped order cannot be cancelled; refund the buyer in Seller Central. "
                "Nothing to replay.");
    }
    co_return Result<void>{};
}

/// Amazon: createFeedDocument, the upload, createFeed; the feed's id kept in the store at once.
asio::awaitable<Result<void>> send_cancellation_feed(CancelRun* run) {
    if (!run->feed_id.empty()) co_return Result<void>{};
    Impl& impl = *run->impl;
    auto& amazon = impl.deps.amazon;
    auto doc = co_await amazon.create_feed_document(amazon::kOrderAcknowledgementContentType);
    if (!doc) co_return doc.error();
    std::vector<amazon::OrderCancellation> rows{{run->order_id, impl.opt.cancel_reason}};
    std::string content = amazon::encode_order_cancellations(rows);
    auto upload = amazon.upload_feed_document(*doc, std::move(content));  // named: g++ 12
    auto uploaded = co_await std::move(upload);
    if (!uploaded) co_return uploaded.error();
    auto create = amazon.create_feed(amazon::kOrderAcknowledgementFeed, doc->feed_document_id);
    auto feed = co_await std::move(create);
    if (!feed) co_return feed.error();
    run->feed_id = *feed;
    std::function<Result<void>(store::Store&)> keep =
        [connection = run->ctx->job.connection, name = run->cursor(),
         value = run->feed_id](store::Store& s) { return s.set_cursor(connection, name, value); };
    auto kept = co_await impl.deps.store.call(std::move(keep));
    if (!kept) co_return kept.error();
    run->log.info("{}: cancellation sent to Amazon (feed {}, reason {})", run->subject(),
                  run->feed_id, impl.opt.cancel_reason);
    co_return Result<void>{};
}

/// The processing report's text (downloaded, inflated and read on the store's worker).
asio::awaitable<Result<std::string>> report_text(CancelRun* run, amazon::DocumentLocation where) {
    std::error_code ec;
    const auto file =
        std::filesystem::temp_directory_path(ec) /
        ("clarity-cancel-" + run->feed_id + "-" + std::to_string(::getpid()) + ".txt");
    auto downloaded = co_await run->impl->deps.amazon.download_document(std::move(where), file);
    if (!downloaded) co_return downloaded.error();
    std::function<Result<std::string>(store::Store&)> read =
        [file, document = *downloaded](store::Store&) -> Result<std::string> {
        std::error_code ignored;
        auto text = amazon::finish_document(document, file);
        std::filesystem::remove(document.file, ignored);
        if (!text) {
            std::filesystem::remove(file, ignored);
            return text.error();
        }
        std::ifstream in(file, std::ios::binary);
        std::ostringstream buf;
        buf << in.rdbuf();
        std::filesystem::remove(file, ignored);
        return buf.str();
    };
    co_return co_await run->impl->deps.store.call(std::move(read));
}

/// Amazon: getFeed until processed (the job waits cancel_check_interval between looks), then the
/// processing report: an error row of the order is a dead letter with Amazon's words.
asio::awaitable<Result<void>> read_cancellation_result(CancelRun* run) {
    Impl& impl = *run->impl;
    auto status = co_await impl.deps.amazon.get_feed(run->feed_id);
    if (!status) co_return status.error();
    const std::string& s = status->processing_status;
    if (s == "IN_QUEUE" || s == "IN_PROGRESS") {
        Error wait = make_error(ErrorKind::unavailable,
                                "waiting for Amazon to process the cancellation of " +
                                    run->subject() + " (feed " + run->feed_id + ", " + s + ")",
                                "flows.fulfillment_status");
        wait.retry_after =
            std::chrono::duration_cast<std::chrono::seconds>(impl.opt.cancel_check_interval);
        co_return wait;
    }
    if (s != "DONE" || status->result_feed_document_id.empty()) {
        co_return impl.dead_letter("cancel_feed_failed",
                                   run->subject() + ": Amazon's cancellation feed " + run->feed_id +
                                       " ended " + s +
                                       " without a report; cancel the order in Seller Central, "
                                       "then purge this job.");
    }
    auto where = co_await impl.deps.amazon.get_feed_document(status->result_feed_document_id);
    if (!where) co_return where.error();
    auto text = co_await report_text(run, std::move(*where));
    if (!text) co_return text.error();
    for (const auto& p : amazon::decode_flat_file_processing_report(*text)) {
        if (p.type != "Error" || (!p.order_id.empty() && p.order_id != run->order_id)) continue;
        co_return impl.dead_letter("cancel_refused",
                                   run->subject() +
                                       " was cancelled in Odoo but Amazon refused to "
                                       "cancel it (feed " +
                                       run->feed_id + ", error " + p.code + "): " + p.message +
                                       (p.message.ends_with('.') ? "" : ".") +
                                       " Settle it in Seller Central; nothing to replay.");
    }
    impl.counter("clarity_cancellations_total",
                 "Amazon orders cancelled on Amazon after their cancellation in Odoo.")
        .inc();
    run->log.info("{}: cancelled on Amazon (feed {})", run->subject(), run->feed_id);
    co_return Result<void>{};
}

constexpr CancelStep kCancelSteps[] = {
    find_amazon_order,         // store: the Amazon order; Odoo: sale.order read (cancelled?)
    check_order_on_amazon,     // Amazon getOrder: already cancelled, FBA, shipped?
    send_cancellation_feed,    // Amazon createFeedDocument, upload, createFeed; the feed id kept
    read_cancellation_result,  // Amazon getFeed (waits), getFeedDocument, the report
};

}  // namespace

asio::awaitable<Result<void>> run_cancellation(std::shared_ptr<Impl> impl,
                                               JobContext* ctx,
                                               std::int64_t sale_order) {
    CancelRun run(std::move(impl), ctx, sale_order);
    co_return co_await run_steps(kCancelSteps, run, *ctx);
}

}  // namespace clarity::flows::fulfillment_status
