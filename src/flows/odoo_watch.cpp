#include "clarity/flows/odoo_watch.hpp"

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "clarity/core/log.hpp"
#include "clarity/model/timestamp.hpp"
#include "clarity/odoo/client.hpp"
#include "clarity/store/async_store.hpp"
#include "common/odoo_values.hpp"

namespace clarity::flows {

namespace asio = boost::asio;
using json = nlohmann::json;

core::ConfigSpec odoo_watch_config_spec() {
    using core::ConfigType;
    core::ConfigSpec spec;
    spec.add({.name = "watch",
              .type = ConfigType::boolean,
              .description = "Poll Odoo for the records the connection's flows act on (one "
                             "search_read per watched model per interval). Enough on its own; "
                             "the webhook only makes it faster.",
              .default_value = "true"});
    spec.add({.name = "interval",
              .type = ConfigType::duration,
              .description = "Time between two polls of each watched model.",
              .default_value = "30s"});
    spec.add({.name = "overlap",
              .type = ConfigType::duration,
              .description = "Each poll looks again this far before the newest write_date it has "
                             "seen (Odoo stamps write_date before it commits, and clocks step); "
                             "changes seen twice are one job.",
              .default_value = "2m"});
    spec.add({.name = "models",
              .type = ConfigType::string_list,
              .description = "Poll only these models (e.g. [stock.picking]). Unset: every model "
                             "the connection's enabled flows watch."});
    spec.add({.name = "webhook_secret",
              .type = ConfigType::secret,
              .description = "Secret of POST /hooks/odoo/<connection>?secret=... on the admin "
                             "server (Odoo's automation rule \"Send Webhook Notification\"). "
                             "Unset: the endpoint answers 404 for this connection."});
    return spec;
}

OdooWatchOptions odoo_watch_options_from_config(const core::ConfigNode& node) {
    OdooWatchOptions o;
    o.enabled = node.get_bool("watch");
    o.interval = node.get_duration("interval");
    o.overlap = node.get_duration("overlap");
    if (o.interval <= std::chrono::milliseconds::zero()) node.fail("interval", "must be above 0");
    if (o.overlap < std::chrono::seconds(1)) {
        node.fail("overlap",
                  "must be at least 1s (Odoo stamps write_date before it commits: without an "
                  "overlap a change committed late is never seen)");
    }
    if (node.has("models")) o.models = node.get_string_list("models");
    if (node.has("webhook_secret")) o.webhook_secret = node.get_secret("webhook_secret");
    return o;
}

std::string odoo_change_key(const OdooChange& c) {
    std::string key = c.model + ":" + std::to_string(c.id);
    if (c.write_date.empty()) return key + "#" + c.source + ":" + c.reference;
    key += "@" + c.write_date;
    if (!c.key_values.empty()) key += "/" + c.key_values;
    return key;
}

OdooWatcher::OdooWatcher(std::string connection,
                         odoo::OdooClient& odoo,
                         store::AsyncStore& store,
                         core::MetricsRegistry& metrics,
                         const Clock& clock,
                         OdooWatchOptions options,
                         std::vector<OdooWatch> watches)
    : connection_(std::move(connection)),
      odoo_(odoo),
      store_(store),
      metrics_(metrics),
      clock_(clock),
      options_(std::move(options)),
      watches_(std::move(watches)) {
    if (!options_.models.empty()) {
        std::erase_if(watches_, [this](const OdooWatch& w) {
            return std::find(options_.models.begin(), options_.models.end(), w.model) ==
                   options_.models.end();
        });
    }
}

namespace {

std::string cursor_name(const std::string& model) { return "odoo.watch." + model; }

/// A key field's value as text: a string, a number, true/false, a many2one's id.
std::string key_text(const odoo::Value& v) {
    if (auto s = v.as_string()) return *s;
    if (auto i = v.as_int()) return std::to_string(*i);
    if (auto b = v.as_bool()) return *b ? "true" : "false";
    if (auto id = v.m2o_id()) return std::to_string(*id);
    return {};
}

/// "YYYY-MM-DD HH:MM:SS" minus `d` (the same text when it does not parse).
std::string minus(const std::string& odoo_time, std::chrono::milliseconds d) {
    auto t = model::parse_timestamp(odoo_time);
    if (!t) return odoo_time;
    return model::format_odoo_datetime(*t - std::chrono::duration_cast<std::chrono::seconds>(d));
}

}  // namespace

asio::awaitable<Result<std::size_t>> OdooWatcher::poll_model(const OdooWatch& watch,
                                                             Report& report) {
    // Where the last poll got to: read from the store once, then kept (this watcher is the
    // cursor's only writer); a new store starts at now (minus the overlap below).
    const std::string name = cursor_name(watch.model);
    auto known = cursors_.find(watch.model);
    if (known == cursors_.end()) {
        std::function<Result<std::optional<std::string>>(store::Store&)> read_cursor =
            [connection = connection_, name](store::Store& s) {
                return s.cursor(connection, name);
            };
        auto stored = co_await store_.call(std::move(read_cursor));
        if (!stored) co_return stored.error();
        known = cursors_.emplace(watch.model, stored->value_or("")).first;
    }
    const std::string now = model::format_odoo_datetime(
        std::chrono::time_point_cast<std::chrono::seconds>(clock_.now()));
    const bool first = known->second.empty();
    const std::string cursor = first ? now : known->second;
    // The window: from the overlap before the newest write_date seen, where a change committed
    // late may still appear. Once the overlap has passed on the daemon's clock too, every change
    // stamped up to the cursor has committed and been read: only later ones (an idle Odoo's last
    // changes are not read again and again, and an idle round writes nothing).
    const bool settled = minus(now, options_.overlap) >= cursor;
    const std::string from = settled ? cursor : minus(cursor, options_.overlap);
    std::string newest = cursor;
    std::vector<store::NewJob> jobs;
    for (std::int64_t offset = 0;; offset += options_.page) {
        odoo::Domain d = watch.domain;
        d.where("write_date", settled ? ">" : ">=", from);
        odoo::SearchOptions so;
        so.fields = {"id", "write_date"};
        for (const auto& f : watch.key_fields) so.fields.push_back(f);
        so.order = "write_date asc, id asc";
        so.limit = options_.page + 1;  // one more: whether another page follows
        so.offset = offset;
        auto rows = co_await odoo_.search_read(watch.model, std::move(d), std::move(so));
        if (!rows) co_return rows.error();
        const bool more = static_cast<std::int64_t>(rows->size()) > options_.page;
        if (more) rows->pop_back();
        for (const auto& row : *rows) {
            OdooChange change{connection_,
                              watch.model,
                              row["id"].as_int().value_or(0),
                              row["write_date"].as_string().value_or(""),
                              "watch",
                              {}};
            if (change.id <= 0) continue;
            for (const auto& f : watch.key_fields) {
                change.key_values +=
                    (change.key_values.empty() ? "" : ",") + key_text(row[f.c_str()]);
            }
            newest = std::max(newest, change.write_date);
            // A change seen by an earlier round again: a duplicate, which wakes a job that waits
            // for its record (a second change stamped in the same second has the same key).
            jobs.push_back(watch.make_job(change));
        }
        report.seen += rows->size();
        if (!more) break;
    }
    if (jobs.empty() && newest == cursor && !first) co_return 0;
    // The jobs and the cursor in one transaction: a crash between them cannot lose a change.
    auto shared = std::make_shared<std::vector<store::NewJob>>(std::move(jobs));
    auto enqueued = std::make_shared<std::size_t>(0);
    std::function<Result<void>(store::Store&)> commit =
        [shared, enqueued, name, newest, connection = connection_](store::Store& s) {
            return s.transact([&](store::WriteTx& tx) -> Result<void> {
                *enqueued = 0;
                for (const auto& job : *shared) {
                    auto r = tx.enqueue(job);
                    if (!r) return r.error();
                    if (r->outcome == store::EnqueueOutcome::enqueued) ++*enqueued;
                }
                return tx.set_cursor(connection, name, newest);
            });
        };
    auto committed = co_await store_.call(std::move(commit));
    if (!committed) co_return committed.error();
    cursors_[watch.model] = newest;
    co_return *enqueued;
}

asio::awaitable<OdooWatcher::Report> OdooWatcher::poll_once() {
    Report report;
    for (const auto& watch : watches_) {
        auto n = co_await poll_model(watch, report);
        auto& polls = metrics_.counter(
            "clarity_odoo_watch_polls_total", "Polls of a watched Odoo model, by outcome.",
            {{"connection", connection_}, {"model", watch.model}, {"outcome", n ? "ok" : "error"}});
        polls.inc();
        if (!n) {
            report.error = n.error();
            continue;
        }
        report.enqueued += *n;
        metrics_
            .counter("clarity_odoo_watch_jobs_total", "Jobs enqueued for Odoo changes, by source.",
                     {{"connection", connection_}, {"model", watch.model}, {"source", "watch"}})
            .inc(static_cast<double>(*n));
    }
    co_return report;
}

namespace {

std::int64_t positive_id(const json& v) {
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), ::isdigit)) return 0;
        return std::stoll(s);
    }
    return 0;
}

}  // namespace

Result<store::NewJob> job_from_odoo_hook(const std::vector<OdooWatch>& watches,
                                         const std::string& connection,
                                         std::string_view body) {
    auto bad = [](std::string message) { return Error{ErrorKind::permanent, std::move(message)}; };
    json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return bad("the body is not a JSON object");
    const json* model = j.contains("_model")  ? &j["_model"]
                        : j.contains("model") ? &j["model"]
                                              : nullptr;
    const json* id = j.contains("_id") ? &j["_id"] : j.contains("id") ? &j["id"] : nullptr;
    if (model == nullptr || !model->is_string() || id == nullptr)
        return bad(
            "the body has no _model and _id (Odoo's \"Send Webhook Notification\" sends both)");
    OdooChange change;
    change.connection = connection;
    change.model = model->get<std::string>();
    change.id = positive_id(*id);
    if (change.id <= 0) return bad("_id is not a positive record id");
    if (auto wd = j.find("write_date");
        wd != j.end() && wd->is_string() && model::parse_timestamp(wd->get<std::string>())) {
        change.write_date = wd->get<std::string>();
    }
    change.source = "hook";
    change.reference = stable_hash(body);  // the same body twice (a storm): one key
    std::string watched;
    for (const auto& w : watches) {
        if (w.model != change.model) {
            watched += (watched.empty() ? "" : ", ") + w.model;
            continue;
        }
        // The key fields as the watcher reads them; a body without one keys by its digest.
        for (const auto& f : w.key_fields) {
            auto v = j.find(f);
            std::string text;
            if (v != j.end() && v->is_string()) text = v->get<std::string>();
            if (v != j.end() && v->is_number_integer())
                text = std::to_string(v->get<std::int64_t>());
            if (v != j.end() && v->is_boolean()) text = v->get<bool>() ? "true" : "false";
            if (v == j.end() || text.empty()) {
                change.write_date.clear();
                break;
            }
            change.key_values += (change.key_values.empty() ? "" : ",") + text;
        }
        return w.make_job(change);
    }
    if (change.model.size() > 64) change.model = change.model.substr(0, 64) + "...";
    return bad("model '" + change.model + "' is not watched on this connection (watched: " +
               (watched.empty() ? "none" : watched) + ")");
}

}  // namespace clarity::flows
