#pragma once
/// \file
/// Odoo telling the daemon what changed, for every flow that acts on Odoo records. A flow declares
/// what it watches (OdooWatch: a model, the records of interest, the job for one record); two
/// triggers turn changes into those jobs and only enqueue (the job reads Odoo anew):
///   - the watcher (OdooWatcher): per watched model, one search_read per interval of the records
///     written since a `write_date` cursor minus an overlap window; the cursor is committed in the
///     same store transaction as the jobs it enqueues;
///   - the webhook (job_from_odoo_hook): the body of Odoo's automation rule "Send Webhook
///     Notification" (17+), `{"_model": ..., "_id": ..., <fields>}`, posted to
///     /hooks/odoo/<connection> (src/app/odoo_hooks.cpp). Untrusted: only the model, the id and
///     the write_date are used.
/// Both make the same job for the same change (the idempotency key names the record and its
/// write_date), so a change seen by both, by two overlapping polls or by a storm of hooks is one
/// job. docs/triggers.md, "Odoo changes".

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/core/clock.hpp"
#include "clarity/core/config.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/core/result.hpp"
#include "clarity/core/secret.hpp"
#include "clarity/odoo/value.hpp"
#include "clarity/store/store.hpp"

namespace clarity::odoo {
class OdooClient;
}
namespace clarity::store {
class AsyncStore;
}

namespace clarity::flows {

/// One changed record as a trigger saw it.
struct OdooChange {
    std::string connection;
    std::string model;
    std::int64_t id = 0;
    std::string write_date;  ///< "YYYY-MM-DD HH:MM:SS" (UTC); empty when the hook did not send it
    std::string source;      ///< "watch" or "hook"
    std::string reference;   ///< hook: a digest of the body (no write_date); else empty
    /// The values of the watch's key_fields, joined by ',' (empty without key fields).
    std::string key_values;
};

/// What a flow watches in Odoo.
struct OdooWatch {
    std::string flow;   ///< the flow whose jobs it makes (for messages and metrics)
    std::string model;  ///< "stock.picking"
    /// The records of interest, besides the write_date window (the watcher's search); the hook
    /// cannot filter (its body is untrusted), so the job checks again.
    odoo::Domain domain;
    /// Fields whose values join the write_date in the idempotency key: Odoo stamps write_date to
    /// the second, so two changes of one record in the same second (a delivery saved, then
    /// validated) are told apart by them ("state"). The watcher reads them; a hook body must
    /// carry them (else its key is the body's digest).
    std::vector<std::string> key_fields;
    /// The job for one changed record.
    std::function<store::NewJob(const OdooChange&)> make_job;
};

/// The idempotency key of a change: "<model>:<id>@<write_date>/<key values>" (or
/// "#hook:<digest>" without a write_date or a key field); with `hurry_entity` set by make_job, a
/// job waiting for the record (a delivery waiting for its tracking number) runs again at once.
std::string odoo_change_key(const OdooChange& change);

struct OdooWatchOptions {
    bool enabled = true;
    std::chrono::milliseconds interval{std::chrono::seconds(30)};
    /// How far before the cursor each poll looks again: covers Odoo transactions that commit
    /// after a later write_date was already seen (write_date is set when the write happens, not
    /// at commit) and clock steps.
    std::chrono::milliseconds overlap{std::chrono::minutes(2)};
    /// Rows per search_read; a full page is followed by the next at once.
    std::int64_t page = 500;
    /// Only these models (empty: every model the connection's flows watch).
    std::vector<std::string> models;
    /// The webhook's secret (unset: /hooks/odoo/<connection> answers 404).
    std::optional<Secret> webhook_secret;
};

/// Keys under connections[].triggers.odoo.
core::ConfigSpec odoo_watch_config_spec();
/// Reads a node validated against odoo_watch_config_spec(); throws core::ConfigError for a bad
/// value (an interval of zero, an overlap below the interval's half).
OdooWatchOptions odoo_watch_options_from_config(const core::ConfigNode& node);

class OdooWatcher {
  public:
    /// Every reference must outlive the watcher.
    OdooWatcher(std::string connection,
                odoo::OdooClient& odoo,
                store::AsyncStore& store,
                core::MetricsRegistry& metrics,
                const Clock& clock,
                OdooWatchOptions options,
                std::vector<OdooWatch> watches);

    struct Report {
        std::size_t seen = 0;      ///< records read
        std::size_t enqueued = 0;  ///< new jobs (duplicates not counted)
        std::optional<Error> error;
    };
    /// One round: per watched model, the records written since its cursor minus the overlap
    /// (every page; once the overlap has passed on the daemon's clock, only those written after
    /// the cursor), their jobs enqueued and the cursor moved in one store transaction (none when
    /// nothing changed). The first round of a store starts at now minus the overlap (earlier
    /// changes are not replayed).
    boost::asio::awaitable<Report> poll_once();

    const OdooWatchOptions& options() const noexcept { return options_; }
    const std::vector<OdooWatch>& watches() const noexcept { return watches_; }

  private:
    boost::asio::awaitable<Result<std::size_t>> poll_model(const OdooWatch& watch, Report& report);

    std::string connection_;
    odoo::OdooClient& odoo_;
    store::AsyncStore& store_;
    core::MetricsRegistry& metrics_;
    const Clock& clock_;
    OdooWatchOptions options_;
    std::vector<OdooWatch> watches_;
    /// Per model, the cursor as last committed (read from the store on the first round).
    std::map<std::string, std::string> cursors_;
};

/// The job an Odoo webhook body asks for: `permanent` error (the caller answers 400) when the body
/// is not a JSON object with `_model` (or `model`) and a positive `_id` (or `id`), or names a
/// model none of `watches` watches (the answer says which models are watched).
Result<store::NewJob> job_from_odoo_hook(const std::vector<OdooWatch>& watches,
                                         const std::string& connection,
                                         std::string_view body);

}  // namespace clarity::flows
