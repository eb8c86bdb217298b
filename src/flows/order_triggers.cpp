#include "clarity/flows/order_triggers.hpp"

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <variant>

#include "clarity/amazon/orders.hpp"
#include "clarity/core/log.hpp"
#include "clarity/flows/order_jobs.hpp"
#include "clarity/model/timestamp.hpp"

namespace clarity::flows {

namespace asio = boost::asio;
using namespace std::chrono_literals;

core::ConfigSpec order_triggers_config_spec() {
    using core::ConfigType;
    core::ConfigSpec spec;
    spec.add({.name = "enabled",
              .type = ConfigType::boolean,
              .description = "Run the order triggers (notifications and sweep) for this "
                             "connection. Unset: they run when flows.order_import.enabled is "
                             "true. With the flow off and the triggers on, jobs wait in the "
                             "queue until the flow is switched on."});
    spec.add({.name = "notifications",
              .type = ConfigType::boolean,
              .description = "Consume ORDER_CHANGE notifications from the connection's SQS "
                             "queue (amazon.sqs.queue_url; nothing happens when it is unset).",
              .default_value = "true"});
    spec.add({.name = "sweep",
              .type = ConfigType::boolean,
              .description = "Run the polling sweep (searchOrders by lastUpdatedAfter), the "
                             "safety net for notifications that never arrived.",
              .default_value = "true"});
    spec.add({.name = "sweep_interval",
              .type = ConfigType::duration,
              .description = "Time between two sweeps (searchOrders allows about one call per "
                             "3 minutes once its burst is spent).",
              .default_value = "10m"});
    spec.add({.name = "sweep_overlap",
              .type = ConfigType::duration,
              .description = "Each sweep starts this long before the previous sweep's end, so "
                             "orders Amazon indexes late are not missed (they become "
                             "duplicates when already enqueued).",
              .default_value = "5m"});
    spec.add({.name = "initial_lookback",
              .type = ConfigType::duration,
              .description = "The first sweep of a connection (no cursor stored yet) looks this "
                             "far back.",
              .default_value = "1d"});
    spec.add({.name = "sweep_retry_delay",
              .type = ConfigType::duration,
              .description = "After a failed sweep, wait this long before the next attempt "
                             "instead of the full interval.",
              .default_value = "1m"});
    spec.add({.name = "max_pages",
              .type = ConfigType::integer,
              .description = "Pages of searchOrders one sweep reads at most; a sweep that "
                             "stops there keeps its cursor and continues at the next run.",
              .default_value = "1000"});
    spec.add({.name = "page_size",
              .type = ConfigType::integer,
              .description = "Orders per searchOrders page (maxResultsPerPage, 1-100).",
              .default_value = "100"});
    return spec;
}

OrderTriggerOptions order_trigger_options_from_config(const core::ConfigNode& node) {
    OrderTriggerOptions o;
    if (node.has("enabled")) o.enabled = node.get_bool("enabled");
    o.notifications = node.get_bool("notifications");
    o.sweep = node.get_bool("sweep");
    o.sweep_interval = node.get_duration("sweep_interval");
    o.sweep_overlap = node.get_duration("sweep_overlap");
    o.initial_lookback = node.get_duration("initial_lookback");
    o.sweep_retry_delay = node.get_duration("sweep_retry_delay");
    if (o.sweep_interval <= 0ms) node.fail("sweep_interval", "must be > 0");
    if (o.sweep_overlap < 0ms) node.fail("sweep_overlap", "must be >= 0");
    if (o.initial_lookback <= 0ms) node.fail("initial_lookback", "must be > 0");
    if (o.sweep_retry_delay <= 0ms || o.sweep_retry_delay > o.sweep_interval) {
        node.fail("sweep_retry_delay", "must be > 0 and not above sweep_interval");
    }
    const auto pages = node.get_int("max_pages");
    if (pages < 1) node.fail("max_pages", "must be at least 1");
    o.max_pages = static_cast<int>(std::min<std::int64_t>(pages, 1'000'000));
    const auto size = node.get_int("page_size");
    if (size < 1 || size > 100) node.fail("page_size", "must be 1-100");
    o.page_size = static_cast<int>(size);
    return o;
}

namespace {

void count_jobs(core::MetricsRegistry& metrics,
                const std::string& connection,
                const std::string& source,
                const EnqueueCounts& counts) {
    auto& enq =
        metrics.counter("clarity_order_trigger_jobs_total",
                        "Order jobs written by the triggers, by source and outcome",
                        {{"connection", connection}, {"source", source}, {"outcome", "enqueued"}});
    auto& dup =
        metrics.counter("clarity_order_trigger_jobs_total",
                        "Order jobs written by the triggers, by source and outcome",
                        {{"connection", connection}, {"source", source}, {"outcome", "duplicate"}});
    enq.inc(static_cast<double>(counts.enqueued));
    dup.inc(static_cast<double>(counts.duplicates));
    if (counts.refused > 0) {
        metrics
            .counter("clarity_order_trigger_jobs_total",
                     "Order jobs written by the triggers, by source and outcome",
                     {{"connection", connection}, {"source", source}, {"outcome", "refused"}})
            .inc(static_cast<double>(counts.refused));
    }
}

// Enqueues `jobs` in one transaction, with the cursor when `cursor_value` is set.
asio::awaitable<Result<EnqueueCounts>> enqueue_all(store::AsyncStore& store,
                                                   std::vector<store::NewJob> jobs,
                                                   std::string connection,
                                                   std::optional<std::string> cursor_value) {
    auto shared_jobs = std::make_shared<std::vector<store::NewJob>>(std::move(jobs));
    auto counts = std::make_shared<EnqueueCounts>();
    std::function<Result<void>(store::Store&)> fn = [shared_jobs, counts, connection,
                                                     cursor_value](store::Store& s) {
        return s.transact([&](store::WriteTx& tx) -> Result<void> {
            *counts = {};
            for (const auto& job : *shared_jobs) {
                auto r = tx.enqueue(job);
                if (!r) return r.error();
                if (r->outcome == store::EnqueueOutcome::enqueued)
                    ++counts->enqueued;
                else
                    ++counts->duplicates;
            }
            if (cursor_value) {
                auto c = tx.set_cursor(connection, std::string(kOrderSweepCursor), *cursor_value);
                if (!c) return c.error();
            }
            return Result<void>{};
        });
    };
    auto r = co_await store.call(std::move(fn));
    if (!r) co_return r.error();
    co_return *counts;
}

asio::awaitable<Result<void>> handle_notification(OrderNotificationTrigger* self,
                                                  amazon::Notification notification) {
    return self->handle(std::move(notification));
}

asio::awaitable<Result<void>> handle_malformed(OrderNotificationTrigger* self,
                                               std::string body,
                                               std::string reason,
                                               std::string message_id) {
    return self->keep_malformed(std::move(body), std::move(reason), std::move(message_id));
}

std::string iso(Clock::time_point t) {
    return model::format_iso8601(std::chrono::floor<std::chrono::seconds>(t));
}

}  // namespace

OrderNotificationTrigger::OrderNotificationTrigger(std::string connection,
                                                   store::AsyncStore& store,
                                                   core::MetricsRegistry& metrics,
                                                   std::function<void()> on_enqueued)
    : connection_(std::move(connection)),
      store_(store),
      metrics_(metrics),
      on_enqueued_(std::move(on_enqueued)),
      clock_(&SystemClock::instance()) {}

void OrderNotificationTrigger::set_door(NotificationDoor door, const Clock& clock) {
    door_ = std::move(door);
    clock_ = &clock;
}

std::optional<std::string> OrderNotificationTrigger::refusal(const amazon::OrderChangeEvent& change,
                                                             std::string& why) const {
    using amazon::order_id_excerpt;
    if (!door_.seller_id.empty() && change.seller_id != door_.seller_id) {
        why = "it is for seller '" + order_id_excerpt(change.seller_id) + "', not " +
              door_.seller_id + " of this connection";
        return "other_seller";
    }
    if (!door_.marketplace_ids.empty() &&
        std::find(door_.marketplace_ids.begin(), door_.marketplace_ids.end(),
                  change.marketplace_id) == door_.marketplace_ids.end()) {
        std::string list;
        for (const auto& m : door_.marketplace_ids) list += (list.empty() ? "" : ", ") + m;
        why = "it is for marketplace '" + order_id_excerpt(change.marketplace_id) +
              "', not one of this connection's (" + list + ")";
        return "other_marketplace";
    }
    // An empty id is a malformed notification (kept as a dead letter below), not a refusal.
    if (!change.amazon_order_id.empty() && !amazon::is_order_id(change.amazon_order_id)) {
        why = "its order id '" + order_id_excerpt(change.amazon_order_id) +
              "' is not an Amazon order id (3-7-7 digits, e.g. 123-1234567-1234567)";
        return "malformed_order_id";
    }
    return std::nullopt;
}

void OrderNotificationTrigger::refuse(const std::string& reason,
                                      const std::string& why,
                                      const std::string& note_id) {
    metrics_
        .counter("clarity_notifications_refused_total",
                 "ORDER_CHANGE notifications refused at the door (not this connection's seller "
                 "or marketplaces, or an order id not of Amazon's shape) and deleted",
                 {{"connection", connection_}, {"reason", reason}})
        .inc();
    std::uint64_t also = 0;
    {
        // One line per reason and log_interval: a flood of hostile messages is a count, not a
        // flood of log lines.
        std::lock_guard lock(refusals_mutex_);
        auto& r = refusals_[reason];
        const auto now = clock_->now();
        if (r.logged_at && now - *r.logged_at < door_.log_interval) {
            ++r.unlogged;
            return;
        }
        also = r.unlogged;
        r.unlogged = 0;
        r.logged_at = now;
    }
    auto log = core::Log("triggers.notifications").with({.connection = connection_});
    if (also == 0) {
        log.warn("refused ORDER_CHANGE notification {}: {}; deleted without a job",
                 amazon::order_id_excerpt(note_id), why);
    } else {
        log.warn(
            "refused ORDER_CHANGE notification {}: {}; deleted without a job ({} more refused as "
            "{} since the last such line, see clarity_notifications_refused_total)",
            amazon::order_id_excerpt(note_id), why, also, reason);
    }
}

amazon::NotificationHandler OrderNotificationTrigger::handler() {
    return [this](amazon::Notification n) { return handle_notification(this, std::move(n)); };
}

amazon::MalformedHandler OrderNotificationTrigger::malformed_handler() {
    return [this](std::string body, std::string reason, std::string id) {
        return handle_malformed(this, std::move(body), std::move(reason), std::move(id));
    };
}

asio::awaitable<Result<void>> OrderNotificationTrigger::handle(amazon::Notification n) {
    auto log = core::Log("triggers.notifications").with({.connection = connection_});
    const auto* change = std::get_if<amazon::OrderChangeEvent>(&n.event);
    if (change == nullptr) {
        metrics_
            .counter("clarity_order_trigger_skipped_total",
                     "Notifications the order triggers do not handle, by type",
                     {{"connection", connection_}, {"type", n.notification_type}})
            .inc();
        log.info("notification {} of type {} is not an order change; skipped",
                 n.metadata.notification_id, n.notification_type);
        co_return Result<void>{};
    }
    std::string why;
    if (auto reason = refusal(*change, why)) {
        refuse(*reason, why, n.metadata.notification_id);
        co_return Result<void>{};
    }
    OrderJob job;
    job.amazon_order_id = change->amazon_order_id;
    job.marketplace_id = change->marketplace_id;
    job.change_time = change->time_of_order_change;
    job.source = "notification";
    job.reference = n.metadata.notification_id;
    job.status_hint = change->order_status;
    auto new_job = make_order_job(connection_, job);
    if (!new_job) {
        // Decodable but unusable (no order id, unreadable time): keep it for a person.
        nlohmann::json body = {{"notification_id", n.metadata.notification_id},
                               {"amazon_order_id", change->amazon_order_id},
                               {"time_of_order_change", change->time_of_order_change}};
        co_return co_await keep_malformed(body.dump(), new_job.error().message,
                                          "notification:" + n.metadata.notification_id);
    }
    std::vector<store::NewJob> jobs{std::move(*new_job)};
    auto counts = co_await enqueue_all(store_, std::move(jobs), connection_, std::nullopt);
    if (!counts) {
        log.warn("could not enqueue order {} from notification {}: {}", job.amazon_order_id,
                 job.reference, counts.error().describe());
        co_return counts.error();
    }
    count_jobs(metrics_, connection_, "notification", *counts);
    if (counts->enqueued > 0) {
        log.info("order {} changed at {} ({}): job enqueued", job.amazon_order_id, job.change_time,
                 job.status_hint);
        notify_enqueued();
    } else {
        log.debug("order {} change at {} already enqueued (notification {})", job.amazon_order_id,
                  job.change_time, job.reference);
    }
    co_return Result<void>{};
}

asio::awaitable<Result<void>> OrderNotificationTrigger::keep_malformed(std::string body,
                                                                       std::string reason,
                                                                       std::string message_id) {
    auto log = core::Log("triggers.notifications").with({.connection = connection_});
    store::NewJob job;
    job.connection = connection_;
    job.flow = std::string(kMalformedNotificationFlow);
    job.idempotency_key = "sqs:" + message_id;
    job.payload =
        nlohmann::json{{"message_id", message_id}, {"reason", reason}, {"body", body}}.dump(
            -1, ' ', false, nlohmann::json::error_handler_t::replace);
    auto reason_copy = reason;
    // Enqueue, then move it to the dead letters at once: no flow runs it, and `queue dead`
    // lists it with the reason. A crash in between leaves it ready in the queue (still kept; the
    // next malformed message moves it along).
    auto dead = std::make_shared<std::vector<std::pair<store::JobId, std::string>>>();
    std::function<Result<void>(store::Store&)> fn = [job, reason_copy, dead](store::Store& s) {
        dead->clear();
        auto r = s.enqueue(job);
        if (!r) return Result<void>(r.error());
        if (r->outcome == store::EnqueueOutcome::duplicate) return Result<void>{};
        auto claimed = s.claim(64, {std::string(kMalformedNotificationFlow)});
        if (!claimed) return Result<void>(claimed.error());
        for (const auto& c : *claimed) {
            std::string why = reason_copy;
            auto payload = nlohmann::json::parse(c.payload, nullptr, false);
            if (payload.is_object() && payload.contains("reason") && payload["reason"].is_string())
                why = payload["reason"].get<std::string>();
            auto message = "malformed SP-API notification kept for inspection: " + why;
            auto failed = s.fail(c.id, c.attempt, make_error(ErrorKind::permanent, message, "sqs"));
            if (!failed) return failed;
            dead->emplace_back(c.id, std::move(message));
        }
        return Result<void>{};
    };
    auto kept = co_await store_.call(std::move(fn));
    metrics_
        .counter("clarity_order_trigger_malformed_total",
                 "Malformed notifications kept as dead letters", {{"connection", connection_}})
        .inc();
    if (!kept) {
        log.warn("could not keep malformed message {}: {}", message_id, kept.error().describe());
        co_return kept.error();
    }
    log.warn("malformed notification (message {}) kept as a dead letter of flow {}: {}", message_id,
             kMalformedNotificationFlow, reason);
    for (auto& [id, message] : *dead) {
        Alert a{"dead_letter",     std::string(kMalformedNotificationFlow), connection_, "", id,
                std::move(message)};
        metrics_
            .counter("clarity_alerts_total", "Alerts raised (dead letters, auth failures)",
                     {{"kind", a.kind}, {"flow", a.flow}})
            .inc();
        if (alert_hook_) {
            try {
                alert_hook_(a);
            } catch (const std::exception& e) {
                log.error("alert hook failed: {}", e.what());
            }
        }
    }
    co_return Result<void>{};
}

// ---- sweep and backfill -----------------------------------------------------------------------

namespace {

struct PagedSearch {
    std::vector<amazon::Order> orders;
    int pages = 0;
    std::string window_end;  ///< lastUpdatedBefore of the first page
    std::optional<Error> error;
    bool truncated = false;  ///< stopped at max_pages with more to read
};

asio::awaitable<PagedSearch> search_pages(amazon::SpApiClient& amazon,
                                          amazon::SearchOrdersRequest request,
                                          int max_pages) {
    PagedSearch out;
    while (true) {
        if (out.pages >= max_pages) {
            out.truncated = true;
            break;
        }
        amazon::SearchOrdersRequest page_request = request;
        auto page = co_await amazon.search_orders(std::move(page_request));
        if (!page) {
            out.error = page.error();
            break;
        }
        ++out.pages;
        if (out.pages == 1) out.window_end = page->last_updated_before;
        // Only what a job needs: a sweep over thousands of orders must not hold every decoded
        // order (items, addresses, raw payload) until its last page.
        for (auto& o : page->orders) {
            amazon::Order slim;
            slim.order_id = std::move(o.order_id);
            slim.marketplace_id = std::move(o.marketplace_id);
            slim.last_updated_time = std::move(o.last_updated_time);
            slim.fulfillment_status = std::move(o.fulfillment_status);
            out.orders.push_back(std::move(slim));
        }
        if (!page->next_token) break;
        request.pagination_token = page->next_token;
    }
    co_return out;
}

// Jobs for `orders`; orders whose job cannot be made (no id, unreadable time) are logged.
std::vector<store::NewJob> jobs_for(const std::string& connection,
                                    const std::vector<amazon::Order>& orders,
                                    const std::string& source,
                                    const std::string& reference,
                                    const core::Log& log,
                                    std::size_t& refused) {
    std::vector<store::NewJob> jobs;
    jobs.reserve(orders.size());
    for (const auto& o : orders) {
        OrderJob job;
        job.amazon_order_id = o.order_id;
        job.marketplace_id = o.marketplace_id;
        job.change_time = o.last_updated_time;
        job.source = source;
        job.reference = reference;
        job.status_hint = o.fulfillment_status;
        auto made = make_order_job(connection, job);
        if (!made) {
            ++refused;
            log.warn("order skipped by the {}: {}", source, made.error().message);
            continue;
        }
        jobs.push_back(std::move(*made));
    }
    return jobs;
}

}  // namespace

OrderSweep::OrderSweep(std::string connection,
                       amazon::SpApiClient& amazon,
                       store::AsyncStore& store,
                       core::MetricsRegistry& metrics,
                       const Clock& clock,
                       OrderTriggerOptions options)
    : connection_(std::move(connection)),
      amazon_(amazon),
      store_(store),
      metrics_(metrics),
      clock_(clock),
      options_(options) {}

asio::awaitable<Clock::duration> OrderSweep::first_delay() {
    std::function<Result<std::optional<std::string>>(store::Store&)> read =
        [connection = connection_](store::Store& s) {
            return s.cursor(connection, std::string(kOrderSweepCursor));
        };
    auto cursor = co_await store_.call(std::move(read));
    if (!cursor || !*cursor) co_return Clock::duration::zero();
    auto end = model::parse_timestamp(**cursor);
    if (!end) co_return Clock::duration::zero();
    const auto age = clock_.now() - Clock::time_point(*end);
    if (age < Clock::duration::zero() || age >= options_.sweep_interval) {
        co_return Clock::duration::zero();
    }
    co_return std::chrono::duration_cast<Clock::duration>(options_.sweep_interval) - age;
}

asio::awaitable<SweepReport> OrderSweep::sweep_once() {
    auto log = core::Log("triggers.sweep").with({.connection = connection_});
    SweepReport report;
    auto count_outcome = [&](const char* outcome) {
        metrics_
            .counter("clarity_order_sweeps_total", "Order sweeps by outcome",
                     {{"connection", connection_}, {"outcome", outcome}})
            .inc();
    };
    const std::string name(kOrderSweepCursor);
    std::function<Result<std::optional<std::string>>(store::Store&)> read =
        [connection = connection_, name](store::Store& s) { return s.cursor(connection, name); };
    auto cursor = co_await store_.call(std::move(read));
    if (!cursor) {
        report.error = cursor.error();
        count_outcome("failed");
        co_return report;
    }
    const auto now = clock_.now();
    std::optional<model::Timestamp> previous;
    if (*cursor) {
        previous = model::parse_timestamp(**cursor);
        if (!previous) {
            log.warn("stored cursor '{}' is not a timestamp; starting over {} back", **cursor,
                     std::chrono::duration_cast<std::chrono::minutes>(options_.initial_lookback)
                         .count());
        }
        report.cursor = **cursor;
    }
    const auto from = previous ? Clock::time_point(*previous) - options_.sweep_overlap
                               : now - options_.initial_lookback;
    report.from = iso(from);

    amazon::SearchOrdersRequest request;
    request.last_updated_after = report.from;
    request.marketplace_ids = amazon_.options().marketplace_ids;
    request.max_results_per_page = options_.page_size;
    auto found = co_await search_pages(amazon_, std::move(request), options_.max_pages);
    report.pages = found.pages;
    report.orders = found.orders.size();

    const std::string run_id = "sweep-" + report.from;
    std::size_t refused = 0;
    auto jobs = jobs_for(connection_, found.orders, "sweep", run_id, log, refused);

    std::optional<std::string> new_cursor;
    if (!found.error && !found.truncated) {
        // The window's end as Amazon reported it; else the newest data Amazon guarantees (2 min).
        auto end = model::parse_timestamp(found.window_end);
        Clock::time_point to = end ? Clock::time_point(*end) : now - 2min;
        if (to > now) to = now;
        if (previous && to < Clock::time_point(*previous)) to = Clock::time_point(*previous);
        report.to = iso(to);
        new_cursor = report.to;
    }
    auto counts = co_await enqueue_all(store_, std::move(jobs), connection_, new_cursor);
    if (!counts) {
        report.error = counts.error();
        count_outcome("failed");
        log.error("sweep from {}: could not write {} jobs to the store (cursor unchanged): {}",
                  report.from, report.orders, counts.error().describe());
        co_return report;
    }
    counts->refused = refused;
    report.counts = *counts;
    count_jobs(metrics_, connection_, "sweep", *counts);
    if (found.error) {
        report.error = found.error;
        count_outcome("failed");
        log.warn(
            "sweep from {} stopped after {} pages: {}; {} orders enqueued ({} known), cursor "
            "unchanged; the next sweep reads the window again",
            report.from, found.pages, found.error->describe(), counts->enqueued,
            counts->duplicates);
    } else if (found.truncated) {
        count_outcome("truncated");
        log.warn(
            "sweep from {} stopped at max_pages ({}); cursor unchanged, raise "
            "triggers.orders.max_pages",
            report.from, options_.max_pages);
    } else {
        report.cursor_advanced = true;
        report.cursor = *new_cursor;
        count_outcome("ok");
        metrics_
            .gauge("clarity_order_sweep_cursor_timestamp_seconds",
                   "The sweep's cursor (end of the last complete window), Unix time",
                   {{"connection", connection_}})
            .set(static_cast<double>(std::chrono::floor<std::chrono::seconds>(
                                         Clock::time_point(*model::parse_timestamp(report.cursor)))
                                         .time_since_epoch()
                                         .count()));
        log.info("sweep {} .. {}: {} pages, {} orders, {} jobs enqueued, {} already known",
                 report.from, report.to, found.pages, report.orders, counts->enqueued,
                 counts->duplicates);
    }
    co_return report;
}

asio::awaitable<SweepReport> backfill_orders(std::string connection,
                                             amazon::SpApiClient& amazon,
                                             store::AsyncStore& store,
                                             core::MetricsRegistry& metrics,
                                             std::string since,
                                             std::string until,
                                             int page_size,
                                             int max_pages) {
    auto log = core::Log("triggers.sync").with({.connection = connection});
    SweepReport report;
    report.from = since;
    report.to = until;
    amazon::SearchOrdersRequest request;
    request.last_updated_after = since;
    if (!until.empty()) request.last_updated_before = until;
    request.marketplace_ids = amazon.options().marketplace_ids;
    request.max_results_per_page = page_size;
    const std::string run_id = "sync-" + since;
    // Page by page: a long backfill keeps what it read when a later page fails.
    while (report.pages < max_pages) {
        amazon::SearchOrdersRequest page_request = request;
        auto page = co_await amazon.search_orders(std::move(page_request));
        if (!page) {
            report.error = page.error();
            break;
        }
        ++report.pages;
        if (report.to.empty()) report.to = page->last_updated_before;
        report.orders += page->orders.size();
        std::size_t refused = 0;
        auto jobs = jobs_for(connection, page->orders, "sync", run_id, log, refused);
        auto counts = co_await enqueue_all(store, std::move(jobs), connection, std::nullopt);
        if (!counts) {
            report.error = counts.error();
            break;
        }
        counts->refused = refused;
        count_jobs(metrics, connection, "sync", *counts);
        report.counts.enqueued += counts->enqueued;
        report.counts.duplicates += counts->duplicates;
        report.counts.refused += counts->refused;
        if (!page->next_token) break;
        request.pagination_token = page->next_token;
    }
    co_return report;
}

}  // namespace clarity::flows
