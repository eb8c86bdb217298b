#pragma once
/// \file
/// A fake Odoo for tests and the sandbox: an in-memory ORM with the models the flows need, served
/// over a real loopback socket (clarity_fake_http) on all three transports — JSON-RPC `/jsonrpc`,
/// XML-RPC `/xmlrpc/2/common|object` (and legacy `/xmlrpc/common|object`), JSON-2
/// `/json/2/<model>/<method>` (19 only) plus `/web/webclient/version_info` (and 19's GET
/// `/web/version`) — with the envelopes and error shapes
/// of ../shared/reference/odoo/captures-18|19. Switchable between Odoo 16, 17, 18 and 19 (field
/// names, states, error.code 200/0, message wording).
///
/// Thread-safety: every public member may be called from any thread (one mutex); the HTTP handler
/// runs on the server thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "clarity/odoo/value.hpp"
#include "http/fake_http_server.hpp"

namespace clarity::fakes::odoo {

using clarity::odoo::Array;
using clarity::odoo::Struct;
using clarity::odoo::Value;

struct FakeOdooOptions {
    int major = 18;  ///< 16, 17, 18 or 19
    std::string database = "clarity";
    std::string admin_login = "admin";
    std::string admin_password = "admin";
    /// The admin's API key (40 hex characters like Odoo's).
    std::string admin_api_key = "0123456789abcdef0123456789abcdef01234567";
    /// Reference data (countries, states, currencies, UoM, taxes, warehouse, locations, journals,
    /// accounts) as in the captures.
    bool seed = true;
    /// res.company.tax_calculation_rounding_method of the seeded company: "round_per_line" or
    /// "round_globally"; empty = a new database's default (round_globally on 19 with the generic
    /// chart, round_per_line before; NOTES.md §9). sale.order amounts follow it.
    std::string tax_rounding;
    /// Actions ("model.method", e.g. "sale.order.action_confirm") that behave as an installed
    /// module can make them: `wizard_actions` answer with a confirmation wizard's window action
    /// (res_model "x_confirm.wizard") and change nothing; `noop_actions` answer True and change
    /// nothing. For tests that the flows check the state an action leaves, not its reply.
    std::set<std::string> wizard_actions;
    std::set<std::string> noop_actions;
    /// button_validate first answers with the stock_sms wizard unless context skip_sms is set.
    bool sms_wizard = true;
    /// Proves on every write call that the undo journal saw each changed row (a full copy of the
    /// database per call: on for tests, off where the fake holds thousands of records — the
    /// sandbox, the end-to-end tests and the benches).
    bool verify_journal = true;
    /// A cost model for benchmarks: each call occupies one of `workers` Odoo workers for
    /// `cost_per_call` plus `cost_per_record` for every record it created, changed or returned,
    /// and is answered when that work is done; calls that find every worker busy queue, as at a
    /// real Odoo. Odoo's cost is mostly per call, so this is what makes batching measurable.
    /// Zero (the default): answers at once.
    std::chrono::microseconds cost_per_call{0};
    std::chrono::microseconds cost_per_record{0};
    int workers = 2;
};

/// One RPC as the fake saw it.
struct CallRecord {
    std::string transport;  ///< "jsonrpc", "xmlrpc", "xmlrpc-legacy", "json2", "web"
    std::string service;    ///< "common", "object" (json2: "object")
    std::string method;     ///< common method, or the model method for object calls
    std::string model;      ///< object calls only
    Array args;             ///< positional args (object calls: after ids)
    Struct kwargs;          ///< keyword args incl. context (json2: the whole body)
    std::optional<std::vector<std::int64_t>> ids;
    std::int64_t uid = 0;
};

/// What to do to one injected call.
struct FaultSpec {
    /// Raise this Odoo exception (e.g. "psycopg2.errors.SerializationFailure") with `message`,
    /// answered in the shape of the transport (JSON-RPC error, XML-RPC fault, JSON-2 status).
    std::string exception;
    std::string message;
    /// Answer this HTTP status with `body` instead (a proxy: 502, 503, 504, 429).
    int http_status = 0;
    std::string body;
    /// Close the connection without answering, before running the call (nothing happens).
    bool drop_before = false;
    /// Run (and commit) the call, then close the connection without answering.
    bool drop_after_commit = false;
    /// Extra latency of this call.
    std::chrono::milliseconds delay{0};
};

class FakeOdoo {
  public:
    explicit FakeOdoo(FakeOdooOptions options = {});
    ~FakeOdoo();
    FakeOdoo(const FakeOdoo&) = delete;
    FakeOdoo& operator=(const FakeOdoo&) = delete;

    /// Switches the version (resets nothing; fields unknown to the new version are hidden).
    void set_version(int major);
    int version() const;
    const std::string& database() const;

    /// Seeds or inspects data directly, bypassing RPC and the call log. `create` applies the same
    /// defaults and constraints as RPC and throws std::runtime_error with Odoo's message.
    std::int64_t create(const std::string& model, Struct vals);
    /// Changes one record as a person in Odoo's UI would (same checks as RPC `write`).
    void write(const std::string& model, std::int64_t id, Struct vals);
    /// Runs an action method on records (button_validate, action_confirm, ...) as a click in
    /// Odoo's UI would, with `context`; returns what RPC answers (True, or a wizard's action).
    /// Throws std::runtime_error with Odoo's message.
    Value call(const std::string& model,
               const std::string& method,
               const std::vector<std::int64_t>& ids,
               Struct context = {});
    /// An automation rule "Send Webhook Notification" (Odoo 17+) on `model`, trigger "On save"
    /// without a filter: after every call that changes records of `model` (RPC, write(), call()),
    /// the fake POSTs for each changed record, as Odoo does, `{"_action": "Send Webhook
    /// Notification(#N)", "_id": id, "_model": model, "id": id, <fields read with load=None>}`
    /// (keys sorted, a many2one as a bare id) to `url` (http only), 1 s timeout, before the call
    /// answers; a failure is only counted (webhook_failures()), never retried.
    void add_webhook(const std::string& model,
                     const std::string& url,
                     std::vector<std::string> fields = {"state", "write_date"});
    /// Webhook POSTs that got no 2xx answer (refused, timed out, another status).
    std::size_t webhook_failures() const;
    /// Stored values of every record of `model` (id included), ordered by id.
    std::vector<Struct> records(const std::string& model) const;
    std::optional<Struct> record(const std::string& model, std::int64_t id) const;
    std::size_t count(const std::string& model) const;
    /// `read` as over RPC (computed fields included: amount_total, price_tax, ...), bypassing
    /// the call log.
    Array read(const std::string& model,
               const std::vector<std::int64_t>& ids,
               const std::vector<std::string>& fields) const;

    /// Adds what the seed leaves out for European orders, with Odoo's ids: the countries FR, IT,
    /// ES, IE and a few states of GB (London Q1, Kent O5, West Midlands X3 — Odoo's own county
    /// codes), DE (DE-BY, DE-BE, DE-NW), IT (RM, MI), ES (M, B) and IE (D, C). France has no
    /// states in Odoo. Idempotent.
    void add_european_base_data();
    /// Adds a custom field to `model` as Odoo Studio does (`x_studio_...`; type char, text,
    /// boolean, integer, float, selection), visible in every version; no-op when the model
    /// already has a field of that name. Throws std::runtime_error for an unknown model.
    void add_custom_field(const std::string& model,
                          const std::string& name,
                          const std::string& type,
                          const std::string& label,
                          std::vector<std::pair<std::string, std::string>> selection = {});

    /// Users and API keys. Returns the uid. `denied_models` get AccessError on every operation.
    std::int64_t add_user(const std::string& login,
                          const std::string& password,
                          std::vector<std::string> denied_models = {});
    void add_api_key(std::int64_t uid, const std::string& key);
    void revoke_api_key(const std::string& key);

    /// Fault injection by count: the `nth` RPC request from now (1 = the next one) gets `fault`.
    void fail_call(int nth, FaultSpec fault);
    /// An outage: until cleared (nullopt), every request gets `fault` (e.g. a 503 from the proxy,
    /// or drop_before), before any fault injected by count. Such requests are counted, not logged.
    void set_outage(std::optional<FaultSpec> fault);
    /// Requests answered by the outage so far.
    std::size_t outage_requests() const;
    /// Fault injection by content: the next object call that `matches` (its CallRecord as the log
    /// will hold it) gets `fault` (an exception, or drop_after_commit).
    void fail_next_call(std::function<bool(const CallRecord&)> matches, FaultSpec fault);
    /// Latency added to every request.
    void set_latency(std::chrono::milliseconds latency);

    /// The call log (requests that reached the ORM; dropped-before calls are not in it).
    std::vector<CallRecord> calls() const;
    /// Number of logged object calls of `method` (any model when `model` is empty).
    std::size_t call_count(const std::string& method, const std::string& model = {}) const;
    void clear_calls();

    /// The HTTP entry point (what the loopback server runs).
    http::Response handle(const http::Request& request);

    struct State;  ///< implementation detail

  private:
    /// handle() under the state's lock; the webhooks a call queued are sent after it.
    http::Response handle_locked(const http::Request& request);
    /// Sends the webhook POSTs queued by the calls (outside the state's lock).
    void send_webhooks();
    /// The wait the cost model adds to the call just run (FakeOdooOptions::cost_per_call).
    static std::chrono::milliseconds cost_model_wait(State& s);
    std::unique_ptr<State> state_;
};

/// FakeOdoo on a loopback socket.
class FakeOdooServer {
  public:
    explicit FakeOdooServer(FakeOdooOptions options = {});
    ~FakeOdooServer();
    FakeOdoo& odoo() { return *odoo_; }
    http::FakeHttpServer& http() { return *http_; }
    /// "http://127.0.0.1:<port>"
    std::string base_url() const { return http_->base_url(); }

  private:
    std::unique_ptr<FakeOdoo> odoo_;
    std::unique_ptr<http::FakeHttpServer> http_;
};

}  // namespace clarity::fakes::odoo
