#pragma once
/// \file
/// The three triggers of the order import: ORDER_CHANGE notifications from the seller's SQS
/// queue, the polling sweep (`searchOrders(lastUpdatedAfter = cursor - overlap)` on a schedule,
/// its cursor committed with the jobs it found) and the manual backfill (`sync orders`). All
/// three enqueue through make_order_job (order_jobs.hpp), so the same change seen by two
/// triggers, or twice by one, is a duplicate in the store. See docs/triggers.md.
///
/// Thread-safety: the objects here hold no mutable state of their own beyond metrics; their
/// coroutines may run on any executor of the io_context that runs the SP-API client.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/amazon/notifications.hpp"
#include "clarity/amazon/sp_api_client.hpp"
#include "clarity/amazon/sqs_consumer.hpp"
#include "clarity/core/clock.hpp"
#include "clarity/core/config.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/core/result.hpp"
#include "clarity/flows/engine.hpp"
#include "clarity/store/async_store.hpp"

namespace clarity::flows {

/// Cursor of the sweep: the `lastUpdatedBefore` bound of the last complete sweep (ISO-8601).
inline constexpr std::string_view kOrderSweepCursor = "orders.last_updated_after";
/// Flow name under which malformed notification bodies are kept as dead letters (no flow runs
/// them; `queue show` displays the body and the reason).
inline constexpr std::string_view kMalformedNotificationFlow = "sqs_malformed";

/// The `triggers.orders` section of a connection.
struct OrderTriggerOptions {
    /// nullopt: the triggers run when the order_import flow is enabled for the connection.
    std::optional<bool> enabled;
    bool notifications = true;  ///< consume ORDER_CHANGE from amazon.sqs.queue_url (when set)
    bool sweep = true;          ///< run the polling sweep
    std::chrono::milliseconds sweep_interval{std::chrono::minutes{10}};
    std::chrono::milliseconds sweep_overlap{std::chrono::minutes{5}};
    /// First sweep (no cursor yet) starts at now - initial_lookback.
    std::chrono::milliseconds initial_lookback{std::chrono::hours{24}};
    /// Wait after a failed sweep before trying again (below sweep_interval).
    std::chrono::milliseconds sweep_retry_delay{std::chrono::minutes{1}};
    int max_pages = 1000;  ///< pages per sweep at most (100 orders a page)
    int page_size = 100;   ///< maxResultsPerPage, 1-100
};

core::ConfigSpec order_triggers_config_spec();
/// Reads a section validated against order_triggers_config_spec(). Throws core::ConfigError when
/// the overlap is negative or the retry delay is not below the interval.
OrderTriggerOptions order_trigger_options_from_config(const core::ConfigNode& node);

/// Jobs written by one enqueue pass.
struct EnqueueCounts {
    std::size_t enqueued = 0;
    std::size_t duplicates = 0;
    /// Orders refused before a job was made: an order id not of Amazon's shape (logged, and
    /// counted as clarity_order_trigger_jobs_total{outcome="refused"}).
    std::size_t refused = 0;
};

/// What the notification trigger lets in: ORDER_CHANGE notifications of the connection's seller
/// for one of its marketplaces, naming an order id of Amazon's shape. Anything else is refused
/// before a job (and so a getOrder call) exists: counted in
/// `clarity_notifications_refused_total{connection,reason}` (reason `other_seller`,
/// `other_marketplace`, `malformed_order_id`), logged as one WARNING line per reason and
/// `log_interval` (the lines in between are counted in the next one), and deleted from the queue.
struct NotificationDoor {
    std::string seller_id;                     ///< empty: any seller
    std::vector<std::string> marketplace_ids;  ///< empty: any marketplace
    std::chrono::seconds log_interval{60};
};

/// Turns SP-API notifications of one connection into order jobs (the SQS consumer's handlers).
/// Success = durably enqueued or already known, so the consumer deletes the message; a store
/// failure is an error and the message stays in the queue (redelivered after its visibility
/// timeout). Other notification types are counted and skipped.
class OrderNotificationTrigger {
  public:
    /// `store`, `metrics` must outlive the trigger. `on_enqueued` (may be empty) is called after
    /// a new job was written, e.g. Engine::wake.
    OrderNotificationTrigger(std::string connection,
                             store::AsyncStore& store,
                             core::MetricsRegistry& metrics,
                             std::function<void()> on_enqueued = {});

    /// Checks ORDER_CHANGE notifications against `door` (without it: the order id's shape only);
    /// `clock` times the log lines of refusals. `clock` must outlive the trigger.
    void set_door(NotificationDoor door, const Clock& clock);

    /// ORDER_CHANGE → an order job (source "notification", change time = TimeOfOrderChange,
    /// reference = NotificationId), unless the door refuses it (success: the message is deleted).
    boost::asio::awaitable<Result<void>> handle(amazon::Notification notification);
    /// Keeps a malformed body as a dead letter of flow kMalformedNotificationFlow (reason as its
    /// error), keyed by the SQS message id so a redelivery is a duplicate. Each new dead letter is
    /// an alert like the engine's: counted in `clarity_alerts_total{kind="dead_letter",
    /// flow="sqs_malformed"}` and passed to the on_alert hook (a redelivery raises none).
    boost::asio::awaitable<Result<void>> keep_malformed(std::string body,
                                                        std::string reason,
                                                        std::string message_id);

    /// Called for every dead letter this trigger writes (after it is counted); e.g. the same hook
    /// as Engine::on_alert. Must not block.
    void on_alert(std::function<void(const Alert&)> hook) { alert_hook_ = std::move(hook); }

    /// Handlers bound to this object for amazon::SqsConsumer.
    amazon::NotificationHandler handler();
    amazon::MalformedHandler malformed_handler();

    const std::string& connection() const noexcept { return connection_; }
    store::AsyncStore& store() noexcept { return store_; }
    core::MetricsRegistry& metrics() noexcept { return metrics_; }
    void notify_enqueued() const {
        if (on_enqueued_) on_enqueued_();
    }

  private:
    std::string connection_;
    store::AsyncStore& store_;
    core::MetricsRegistry& metrics_;
    std::function<void()> on_enqueued_;
    std::function<void(const Alert&)> alert_hook_;
    NotificationDoor door_;
    const Clock* clock_;
    struct Refusals {
        std::optional<Clock::time_point> logged_at;  ///< last WARNING line of this reason
        std::uint64_t unlogged = 0;                  ///< refused since, not in a line yet
    };
    std::mutex refusals_mutex_;
    std::map<std::string, Refusals> refusals_;  ///< by reason

    /// The reason to refuse `change`, or nullopt to let it in; `why` gets the detail.
    std::optional<std::string> refusal(const amazon::OrderChangeEvent& change,
                                       std::string& why) const;
    void refuse(const std::string& reason, const std::string& why, const std::string& note_id);
};

/// What one sweep or backfill did.
struct SweepReport {
    std::string from;        ///< lastUpdatedAfter sent
    std::string to;          ///< lastUpdatedBefore (sent, or as Amazon reported it)
    int pages = 0;           ///< pages read completely
    std::size_t orders = 0;  ///< orders seen
    EnqueueCounts counts;    ///< jobs written / already known
    bool cursor_advanced = false;
    std::string cursor;          ///< the cursor after the sweep (unchanged on error)
    std::optional<Error> error;  ///< set when the sweep stopped early
};

/// The polling sweep of one connection.
///
/// One pass: lastUpdatedAfter = cursor - overlap (now - initial_lookback without a cursor), every
/// page of searchOrders for the connection's marketplaces, then in ONE store transaction every
/// order's job (source "sweep", change time = lastUpdatedTime) and the new cursor (the window's
/// lastUpdatedBefore). A page that fails after the client's own retries (429s and token expiry
/// are absorbed by SpApiClient::call) stops the pass: the orders already read are enqueued, the
/// cursor stays where it was, so the next pass covers the same window again (duplicates only).
class OrderSweep {
  public:
    OrderSweep(std::string connection,
               amazon::SpApiClient& amazon,
               store::AsyncStore& store,
               core::MetricsRegistry& metrics,
               const Clock& clock,
               OrderTriggerOptions options);

    boost::asio::awaitable<SweepReport> sweep_once();
    /// How long to wait before the first sweep after a start: zero without a cursor, otherwise
    /// what is left of sweep_interval since the cursor's window ended (a daemon restarted often
    /// does not spend Amazon's small searchOrders quota on windows just swept).
    boost::asio::awaitable<Clock::duration> first_delay();

    const OrderTriggerOptions& options() const noexcept { return options_; }

  private:
    std::string connection_;
    amazon::SpApiClient& amazon_;
    store::AsyncStore& store_;
    core::MetricsRegistry& metrics_;
    const Clock& clock_;
    OrderTriggerOptions options_;
};

/// A manual backfill (`clarity-connect sync orders`): orders last updated in [since, until) (until
/// empty = as late as Amazon allows), enqueued page by page with source "sync"; no cursor moves.
/// Jobs already enqueued for the same change are counted as duplicates. On an error the counts
/// so far and the error are reported (rerunning is safe).
boost::asio::awaitable<SweepReport> backfill_orders(std::string connection,
                                                    amazon::SpApiClient& amazon,
                                                    store::AsyncStore& store,
                                                    core::MetricsRegistry& metrics,
                                                    std::string since,
                                                    std::string until,
                                                    int page_size = 100,
                                                    int max_pages = 100000);

}  // namespace clarity::flows
