#pragma once
/// \file
/// The Odoo client: one interface over three transports (JSON-RPC `/jsonrpc`, XML-RPC
/// `/xmlrpc/2/common|object`, JSON-2 `/json/2/<model>/<method>`), version-aware, with the uid
/// cached, at most `max_in_flight` calls in flight, read retries and caches for stable data.
/// Facts: ../shared/reference/odoo/NOTES.md. Model-agnostic: records are `Value` trees.
///
/// Errors (all `Result<…>`): `auth` for wrong credentials (not retried; further calls fail fast
/// for `auth_failure_cooldown`), `permanent` with Odoo's own message for validation/user/missing/
/// access errors, `conflict` for a duplicate unique key, `transient` for timeouts, resets,
/// 502/503/504 and database unavailability (read calls are retried `read_retries` times first,
/// with core::BackoffPolicy's full-jitter backoff: read_retry_policy()).
/// Thread-safe: one client may be shared by all flows of one Odoo connection.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "clarity/core/backoff.hpp"
#include "clarity/core/clock.hpp"
#include "clarity/core/config.hpp"
#include "clarity/core/random.hpp"
#include "clarity/core/result.hpp"
#include "clarity/core/secret.hpp"
#include "clarity/net/http.hpp"
#include "clarity/odoo/schema.hpp"
#include "clarity/odoo/value.hpp"

namespace clarity::odoo {

enum class Protocol {
    auto_select,  ///< `auto`: read the version; JSON-2 on 19+ (with an API key), JSON-RPC before
    json_rpc,     ///< `json-rpc`: POST /jsonrpc
    xml_rpc,      ///< `xml-rpc`: POST /xmlrpc/2/common and /xmlrpc/2/object
    json2,        ///< `json-2`: POST /json/2/<model>/<method>, bearer API key (Odoo 19+)
};
std::string_view to_string(Protocol p) noexcept;
std::optional<Protocol> parse_protocol(std::string_view text) noexcept;

struct OdooOptions {
    std::string url;  ///< base URL, e.g. https://erp.example.com (no trailing path)
    std::string database;
    std::string username;  ///< login of the integration user
    Secret api_key;        ///< preferred; used wherever a password is
    Secret password;       ///< used only when api_key is empty (not for JSON-2)
    Protocol protocol = Protocol::auto_select;
    int max_in_flight = 4;                           ///< Odoo has few workers
    std::chrono::milliseconds timeout{30'000};       ///< whole call
    bool allow_insecure_http = false;                ///< permit http:// to a non-loopback host
    std::chrono::milliseconds cache_ttl{3'600'000};  ///< countries, states, currencies, taxes, UoM
    std::chrono::milliseconds product_cache_ttl{300'000};  ///< products by SKU / barcode
    int read_retries = 2;  ///< extra tries of read-only calls after a transient error
    std::chrono::milliseconds retry_delay{200};  ///< backoff base of those retries (full jitter)
    std::chrono::milliseconds auth_failure_cooldown{60'000};  ///< fail fast after an auth error
    bool tracking_disable = true;  ///< add tracking_disable/mail_create_nolog to write contexts
    std::string lang = "en_US";
    std::vector<std::string> models;  ///< models whose fields_get is read at connect
};

/// The configuration keys of one Odoo connection (section `odoo` of a connection).
core::ConfigSpec odoo_config_spec();
/// Reads a node validated against odoo_config_spec(); throws core::ConfigError for contradictions
/// (JSON-2 without api_key, neither api_key nor password, http:// to a remote host, …).
OdooOptions from_config(const core::ConfigNode& node);
/// The same checks for options built in code; throws core::ConfigError.
void validate(const OdooOptions& options);
/// How read-only calls are retried after a transient error: 1 + read_retries tries, full-jitter
/// backoff from retry_delay, the ceiling doubling up to 30 s (or retry_delay when larger).
core::BackoffPolicy read_retry_policy(const OdooOptions& options);

/// One model method call. `ids` makes it a record method (args[0] on JSON-RPC/XML-RPC, `ids` on
/// JSON-2); `params` are the method's parameters by name, sent positionally on JSON-RPC/XML-RPC
/// and by name on JSON-2; `kwargs` are extra keyword arguments; `context` is sent as
/// kwargs.context.
struct Call {
    std::string model;
    std::string method;
    std::optional<std::vector<std::int64_t>> ids;
    std::vector<std::pair<std::string, Value>> params;
    Struct kwargs;
    Struct context;
    bool idempotent = false;  ///< safe to resend after a transient error (reads, load by xmlid)
};

struct SearchOptions {
    std::vector<std::string> fields;  ///< empty = all (avoid: slow)
    std::int64_t limit = 0;           ///< 0 = no limit
    std::int64_t offset = 0;
    std::string order;  ///< e.g. "id asc"
};

/// `model.load` result: one id per row (nullopt for rows that failed) and Odoo's messages.
struct LoadResult {
    std::vector<std::optional<std::int64_t>> ids;
    std::vector<std::string> messages;  ///< "type: message" per problem; empty on success
    bool ok() const { return messages.empty(); }
};

/// A window action returned instead of True (backorder or SMS confirmation wizard).
struct Wizard {
    std::string res_model;  ///< e.g. stock.backorder.confirmation, confirm.stock.sms
    std::optional<std::int64_t> res_id;
    std::string name;
    Struct context;
};

/// Result of an action method (action_confirm, action_cancel, button_validate, action_post, …).
/// None (JSON-RPC without `result`, XML-RPC "cannot marshal None", JSON-2 null), True and False
/// all mean the action ran; a window action means Odoo wants a wizard answered.
struct ActionResult {
    std::optional<Wizard> wizard;
    Value raw;
    bool needs_wizard() const { return wizard.has_value(); }
};

struct ClientStats {
    std::uint64_t calls_sent = 0;  ///< HTTP requests sent (including retries)
    std::uint64_t cache_hits = 0;
    std::uint64_t retries = 0;
    int max_in_flight_seen = 0;
};

class OdooClient {
  public:
    /// `http`, `clock` and `jitter` must outlive the client; `jitter` (the read retries' backoff
    /// randomness) defaults to a client-owned source. Validates `options` (throws
    /// core::ConfigError).
    OdooClient(net::HttpClient& http,
               OdooOptions options,
               Clock& clock = SystemClock::instance(),
               Random* jitter = nullptr);
    ~OdooClient();
    OdooClient(const OdooClient&) = delete;
    OdooClient& operator=(const OdooClient&) = delete;

    /// common.version. Also decides the protocol when `auto`.
    boost::asio::awaitable<Result<ServerVersion>> version();
    /// common.authenticate (JSON-2: the key's user looked up by login); the uid is cached.
    boost::asio::awaitable<Result<std::int64_t>> authenticate();
    /// Start-up: version, protocol choice, authentication, fields_get of options.models plus
    /// `extra_models`, and a check that every `required` field exists (permanent Error naming
    /// model and field otherwise) and every `meanings` resolves.
    boost::asio::awaitable<Result<OdooSchema>> connect(std::vector<FieldName> required = {},
                                                       std::vector<FieldMeaning> meanings = {},
                                                       std::vector<std::string> extra_models = {});
    /// The schema read by connect() (empty before).
    OdooSchema schema() const;
    /// The protocol in use (auto resolved after version()/connect()).
    Protocol protocol() const;

    /// Any method. Authenticates first when needed (not for JSON-2).
    boost::asio::awaitable<Result<Value>> call(Call call);
    /// execute_kw with positional args. On JSON-2, args may only be empty or `[ids]`; pass the
    /// method's parameters in kwargs by name.
    boost::asio::awaitable<Result<Value>> execute_kw(std::string model,
                                                     std::string method,
                                                     Array args,
                                                     Struct kwargs = {});

    boost::asio::awaitable<Result<std::vector<Value>>> search_read(std::string model,
                                                                   Domain domain,
                                                                   SearchOptions options = {},
                                                                   Struct context = {});
    /// Missing ids are silently dropped by Odoo (NOTES.md §1): compare sizes when it matters.
    boost::asio::awaitable<Result<std::vector<Value>>> read(std::string model,
                                                            std::vector<std::int64_t> ids,
                                                            std::vector<std::string> fields,
                                                            Struct context = {});
    boost::asio::awaitable<Result<std::int64_t>> search_count(std::string model,
                                                              Domain domain,
                                                              Struct context = {});
    /// Creates all records in one call (one transaction); ids in order. Not retried on a
    /// transient error: the caller looks the entity up before trying again.
    boost::asio::awaitable<Result<std::vector<std::int64_t>>> create(std::string model,
                                                                     std::vector<Struct> vals_list,
                                                                     Struct context = {});
    boost::asio::awaitable<Result<void>> write(std::string model,
                                               std::vector<std::int64_t> ids,
                                               Struct vals,
                                               Struct context = {});
    /// Upsert by external id in one call: `fields` includes "id" holding "module.name" xmlids.
    /// Idempotent, so retried on transient errors.
    boost::asio::awaitable<Result<LoadResult>> load(std::string model,
                                                    std::vector<std::string> fields,
                                                    std::vector<Array> rows,
                                                    Struct context = {});
    /// Odoo 17+ `web_save`: creates one record from `vals` (no ids) or writes `vals` to `ids`,
    /// then reads `fields` of the result, in one call (one round trip instead of two). A field
    /// "x2many/field" reads that one2many/many2many as a list of dicts with `id` and the named
    /// fields (web_read's specification {"x2many": {"fields": {...}}}). Creating is not retried
    /// on a transient error (as create); writing is.
    boost::asio::awaitable<Result<std::vector<Value>>> web_save(std::string model,
                                                                std::vector<std::int64_t> ids,
                                                                Struct vals,
                                                                std::vector<std::string> fields,
                                                                Struct context = {});
    /// Odoo 17+ `web_read`: `fields` of `ids`, with "x2many/field" as in web_save (the records
    /// and some fields of their lines in one call). Missing records are left out as `read` does,
    /// except that with an "x2many/field" a missing record next to existing ones fails the call
    /// (MissingError). Retried on transient errors.
    boost::asio::awaitable<Result<std::vector<Value>>> web_read(std::string model,
                                                                std::vector<std::int64_t> ids,
                                                                std::vector<std::string> fields,
                                                                Struct context = {});
    boost::asio::awaitable<Result<ModelFields>> fields_get(std::string model);
    /// An action method on records; see ActionResult.
    boost::asio::awaitable<Result<ActionResult>> call_action(std::string model,
                                                             std::string method,
                                                             std::vector<std::int64_t> ids,
                                                             Struct context = {});

    /// search_read through the stable-data cache (cache_ttl): countries, states, currencies,
    /// taxes, UoM, journals.
    boost::asio::awaitable<Result<std::vector<Value>>> search_read_cached(std::string model,
                                                                          Domain domain,
                                                                          SearchOptions options);
    /// Products (product.product) by `key_field` ("default_code" or "barcode") for many keys in
    /// one search_read, served from the product cache where possible. Keys absent in Odoo are
    /// absent from the result. `fields` must not be empty.
    boost::asio::awaitable<Result<std::map<std::string, Value>>> products_by(
        std::string key_field, std::vector<std::string> keys, std::vector<std::string> fields);
    void clear_caches();

    /// `{lang, tracking_disable, mail_create_nolog, mail_create_nosubscribe}` per the options,
    /// for flows that write (NOTES.md §5).
    Struct write_context() const;

    ClientStats stats() const;

    struct Impl;  ///< implementation detail (src/odoo/client.cpp)

  private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace clarity::odoo
