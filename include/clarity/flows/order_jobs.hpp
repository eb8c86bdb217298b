#pragma once
/// \file
/// The order_import job: what every trigger (ORDER_CHANGE notification, polling sweep, `sync
/// orders`) enqueues and what the order import flow reads back. One definition, so the same
/// change reaches the queue under the same keys whichever trigger saw it first.
///
/// Keys: entity key = the Amazon order id (jobs of one order run one at a time, in order);
/// idempotency key = "<order id>@<change time as UTC epoch seconds>" when the change time is
/// known (the sweep's lastUpdatedTime, the notification's TimeOfOrderChange), so the same change
/// enqueued twice is a duplicate; otherwise "<order id>#<source>:<reference>" (a notification id,
/// a sync run id).

#include <optional>
#include <string>
#include <string_view>

#include "clarity/core/result.hpp"
#include "clarity/store/store.hpp"

namespace clarity::flows {

inline constexpr std::string_view kOrderImportFlow = "order_import";

struct OrderJob {
    std::string amazon_order_id;
    std::string marketplace_id;  ///< may be empty
    /// ISO-8601 time of the change (lastUpdatedTime / TimeOfOrderChange); empty when unknown.
    std::string change_time;
    std::string source;     ///< "notification", "sweep" or "sync"
    std::string reference;  ///< notification id, sweep or sync run id; may be empty
    /// Status Amazon reported with the trigger (informational; the job reads the order anew).
    std::string status_hint;
};

/// The job to enqueue for `job` on `connection`. Fails (`permanent`) on an order id that is not
/// of Amazon's shape (amazon::is_order_id) or an unparseable change time.
Result<store::NewJob> make_order_job(const std::string& connection, const OrderJob& job);

/// Reads a job payload written by make_order_job (`permanent` error when malformed or when its
/// order id is not of Amazon's shape: such a job is dead-lettered before any SP-API call).
Result<OrderJob> parse_order_job(std::string_view payload);

/// The idempotency key make_order_job uses (exposed for tests and the admin API).
Result<std::string> order_job_key(const OrderJob& job);

}  // namespace clarity::flows
