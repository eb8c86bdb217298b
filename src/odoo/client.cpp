// OdooClient: transports, protocol choice, uid cache, limiter, retries, caches.
// Wire facts: ../shared/reference/odoo/NOTES.md §1 (JSON-RPC), §2 (XML-RPC), §3 (JSON-2).
#include "clarity/odoo/client.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <mutex>

#include "clarity/core/backoff.hpp"
#include "clarity/core/log.hpp"
#include "clarity/odoo/codec.hpp"
#include "clarity/odoo/errors.hpp"

namespace clarity::odoo {

namespace asio = boost::asio;
using Limiter = asio::experimental::concurrent_channel<void(boost::system::error_code)>;

std::string_view to_string(Protocol p) noexcept {
    switch (p) {
        case Protocol::auto_select:
            return "auto";
        case Protocol::json_rpc:
            return "json-rpc";
        case Protocol::xml_rpc:
            return "xml-rpc";
        case Protocol::json2:
            return "json-2";
    }
    return "auto";
}

std::optional<Protocol> parse_protocol(std::string_view text) noexcept {
    if (text == "auto") return Protocol::auto_select;
    if (text == "json-rpc") return Protocol::json_rpc;
    if (text == "xml-rpc") return Protocol::xml_rpc;
    if (text == "json-2") return Protocol::json2;
    return std::nullopt;
}

struct OdooClient::Impl {
    Impl(net::HttpClient& h, OdooOptions o, Clock& c, Random* j)
        : http(h), opt(std::move(o)), clock(c), jitter(j != nullptr ? *j : own_jitter) {
        base = opt.url;
        while (!base.empty() && base.back() == '/') base.pop_back();
        log = core::logger("odoo");
        read_retry = read_retry_policy(opt);
    }

    net::HttpClient& http;
    OdooOptions opt;
    Clock& clock;
    DefaultRandom own_jitter;
    Random& jitter;
    core::BackoffPolicy read_retry;
    std::string base;
    std::shared_ptr<spdlog::logger> log;

    mutable std::mutex mu;
    std::optional<Protocol> active;
    std::optional<ServerVersion> server_version;
    std::optional<std::int64_t> uid;
    std::optional<Error> auth_error;
    Clock::time_point auth_error_at{};
    OdooSchema schema;
    std::unique_ptr<Limiter> limiter;

    struct CacheEntry {
        Clock::time_point expires;
        std::vector<Value> rows;
    };
    std::map<std::string, CacheEntry> cache;
    /// A stable-data look-up on its way to Odoo: the callers asking for the same rows meanwhile
    /// wait for its answer instead of sending the same call (many jobs starting at once).
    struct Flight {
        std::optional<Result<std::vector<Value>>> result;
        std::vector<std::shared_ptr<asio::steady_timer>> waiters;
    };
    std::map<std::string, std::shared_ptr<Flight>> flights;
    struct ProductEntry {
        Clock::time_point expires;
        Value record;
    };
    std::map<std::string, ProductEntry> products;

    std::atomic<std::int64_t> next_id{1};
    std::atomic<std::uint64_t> calls_sent{0};
    std::atomic<std::uint64_t> cache_hits{0};
    std::atomic<std::uint64_t> retries{0};
    std::atomic<int> in_flight{0};
    std::atomic<int> max_in_flight_seen{0};

    const std::string& secret() const {
        return opt.api_key.empty() ? opt.password.reveal() : opt.api_key.reveal();
    }
};

namespace {

using Impl = OdooClient::Impl;

/// Releases one limiter slot when the call ends, however it ends.
struct SlotGuard {
    Limiter* limiter;
    std::atomic<int>* in_flight;
    ~SlotGuard() {
        in_flight->fetch_sub(1);
        limiter->try_receive([](boost::system::error_code) {});
    }
};

asio::awaitable<void> pause(std::chrono::milliseconds delay) {
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<Result<net::HttpResponse>> post(std::shared_ptr<Impl> impl,
                                                std::string path,
                                                std::string body,
                                                std::string content_type,
                                                net::Headers extra,
                                                bool idempotent,
                                                bool retried_by_caller) {
    Limiter* limiter = nullptr;
    {
        std::lock_guard lock(impl->mu);
        if (!impl->limiter) {
            impl->limiter = std::make_unique<Limiter>(
                co_await asio::this_coro::executor,
                static_cast<std::size_t>(std::max(1, impl->opt.max_in_flight)));
        }
        limiter = impl->limiter.get();
    }
    // A send succeeds while fewer than max_in_flight slots are taken (channel capacity). A free
    // slot is taken at once (try_send); only a full channel waits (and costs a scheduler hop).
    if (!limiter->try_send(boost::system::error_code{})) {
        co_await limiter->async_send(boost::system::error_code{}, asio::use_awaitable);
    }
    int now_in_flight = impl->in_flight.fetch_add(1) + 1;
    SlotGuard guard{limiter, &impl->in_flight};
    int seen = impl->max_in_flight_seen.load();
    while (now_in_flight > seen &&
           !impl->max_in_flight_seen.compare_exchange_weak(seen, now_in_flight)) {
    }

    net::HttpRequest req;
    req.method = "POST";
    req.url = impl->base + path;
    req.headers = std::move(extra);
    req.headers.emplace_back("Content-Type", std::move(content_type));
    req.headers.emplace_back("Accept", "application/json, text/xml");
    req.body = std::move(body);
    req.timeout = impl->opt.timeout;
    req.idempotent = idempotent;
    req.retried_by_caller = retried_by_caller;
    impl->calls_sent.fetch_add(1);
    co_return co_await impl->http.send(std::move(req));
}

Error with_context(Error e, std::string_view context) {
    if (e.context.empty()) e.context = error_context(context);
    return e;
}

// ---- common service (version, authenticate) ---------------------------------------------------

asio::awaitable<Result<Value>> common_call(std::shared_ptr<Impl> impl,
                                           Protocol proto,
                                           std::string method,
                                           Array args,
                                           bool retried_by_caller = false) {
    std::string context = "common." + method;
    if (proto == Protocol::xml_rpc) {
        std::string body = encode_xmlrpc_call(method, args);
        auto r = co_await post(impl, "/xmlrpc/2/common", std::move(body), "text/xml",
                               net::Headers{}, true, retried_by_caller);
        if (!r) co_return with_context(r.error(), context);
        if (r->status != 200) co_return classify_http_status(r->status, context);
        auto reply = decode_xmlrpc_response_in_place(r->body);
        if (!reply) co_return with_context(reply.error(), context);
        if (reply->fault) co_return classify_xmlrpc_fault(*reply->fault, context);
        co_return std::move(reply->result);
    }
    std::string path = "/jsonrpc";
    std::string body;
    std::int64_t id = impl->next_id.fetch_add(1);
    if (proto == Protocol::json2 && method == "version") {
        // JSON-2 has no common service. The web client's /web/webclient/version_info answers
        // common.version's dict in a JSON-RPC envelope without a login on 16-19 (19's
        // /web/version is a plain-http route: POST needs a CSRF token, a real 19 answers 400).
        path = "/web/webclient/version_info";
        body = R"({"jsonrpc":"2.0","method":"call","params":{},"id":)" + std::to_string(id) + "}";
    } else {
        body = encode_jsonrpc_call("common", method, args, id);
    }
    auto r = co_await post(impl, path, std::move(body), "application/json", net::Headers{}, true,
                           retried_by_caller);
    if (!r) co_return with_context(r.error(), context);
    if (r->status != 200) co_return classify_http_status(r->status, context);
    auto reply = decode_jsonrpc_reply(r->body);
    if (!reply) co_return with_context(reply.error(), context);
    if (reply->exception) co_return classify_exception(*reply->exception, std::nullopt, context);
    co_return std::move(reply->result);
}

// ---- object service ----------------------------------------------------------------------------

Array positional_args(const Call& call) {
    Array args;
    args.reserve(call.params.size() + 1);
    if (call.ids) args.emplace_back(ids_array(*call.ids));
    for (const auto& [name, value] : call.params) args.push_back(value);
    return args;
}

Struct keyword_args(const Call& call) {
    Struct kwargs = call.kwargs;
    if (!call.context.empty()) kwargs.insert_or_assign("context", call.context);
    return kwargs;
}

asio::awaitable<Result<Value>> object_call(std::shared_ptr<Impl> impl,
                                           Protocol proto,
                                           std::int64_t uid,
                                           const Call& call,
                                           bool retried_by_caller = false) {
    std::string context = call.model + "." + call.method;
    if (proto == Protocol::json2) {
        Struct body = call.kwargs;
        if (call.ids) body.insert_or_assign("ids", ids_array(*call.ids));
        for (const auto& [name, value] : call.params) body.insert_or_assign(name, value);
        if (!call.context.empty()) body.insert_or_assign("context", call.context);
        net::Headers headers{{"Authorization", "bearer " + impl->opt.api_key.reveal()},
                             {"X-Odoo-Database", impl->opt.database}};
        auto r = co_await post(impl, "/json/2/" + call.model + "/" + call.method,
                               to_json(Value(std::move(body))), "application/json",
                               std::move(headers), call.idempotent, retried_by_caller);
        if (!r) co_return with_context(r.error(), context);
        if (r->status != 200) co_return classify_json2_response(r->status, r->body, context);
        auto v = reply_from_json(r->body);
        if (!v) co_return with_context(v.error(), context);
        co_return std::move(*v);
    }
    Array params{Value(impl->opt.database), Value(uid),         Value(impl->secret()),
                 Value(call.model),         Value(call.method), Value(positional_args(call)),
                 Value(keyword_args(call))};
    if (proto == Protocol::xml_rpc) {
        std::string body = encode_xmlrpc_call("execute_kw", params);
        auto r = co_await post(impl, "/xmlrpc/2/object", std::move(body), "text/xml",
                               net::Headers{}, call.idempotent, retried_by_caller);
        if (!r) co_return with_context(r.error(), context);
        if (r->status != 200) co_return classify_http_status(r->status, context);
        auto reply = decode_xmlrpc_response_in_place(r->body);
        if (!reply) co_return with_context(reply.error(), context);
        if (reply->fault) {
            // None cannot be marshalled, but Odoo committed before marshalling (NOTES.md §2).
            if (is_marshal_none_fault(*reply->fault)) co_return Value{};
            co_return classify_xmlrpc_fault(*reply->fault, context);
        }
        co_return std::move(reply->result);
    }
    std::string body =
        encode_jsonrpc_call("object", "execute_kw", params, impl->next_id.fetch_add(1));
    auto r = co_await post(impl, "/jsonrpc", std::move(body), "application/json", net::Headers{},
                           call.idempotent, retried_by_caller);
    if (!r) co_return with_context(r.error(), context);
    if (r->status != 200) co_return classify_http_status(r->status, context);
    auto reply = decode_jsonrpc_reply(r->body);
    if (!reply) co_return with_context(reply.error(), context);
    if (reply->exception) co_return classify_exception(*reply->exception, std::nullopt, context);
    co_return std::move(reply->result);
}

std::optional<Error> auth_blocked(Impl& impl) {
    std::lock_guard lock(impl.mu);
    if (impl.auth_error && impl.clock.now() - impl.auth_error_at < impl.opt.auth_failure_cooldown) {
        return impl.auth_error;
    }
    return std::nullopt;
}

void remember_auth_failure(Impl& impl, const Error& e) {
    std::lock_guard lock(impl.mu);
    impl.uid.reset();
    impl.auth_error = e;
    impl.auth_error_at = impl.clock.now();
    impl.log->error("Odoo refused the credentials of '{}' on '{}': {}", impl.opt.username,
                    impl.opt.database, e.message);
}

asio::awaitable<Result<ServerVersion>> do_version(std::shared_ptr<Impl> impl) {
    Protocol proto =
        impl->opt.protocol == Protocol::auto_select ? Protocol::json_rpc : impl->opt.protocol;
    Result<Value> r = Error{};
    for (int attempt = 1;; ++attempt) {
        // A failure of a try that is tried again counts once in a circuit breaker, at the last.
        // (An open circuit answers `unavailable`: not retried here, the caller waits.)
        r = co_await common_call(impl, proto, "version", {}, impl->read_retry.may_retry(attempt));
        if (r || r.error().kind != ErrorKind::transient || !impl->read_retry.may_retry(attempt)) {
            break;
        }
        impl->retries.fetch_add(1);
        co_await pause(impl->read_retry.delay(attempt, impl->jitter));
    }
    if (!r) co_return r.error();
    auto v = parse_server_version(*r);
    if (!v) co_return v.error();
    std::lock_guard lock(impl->mu);
    impl->server_version = *v;
    if (impl->opt.protocol == Protocol::auto_select) {
        // Odoo 19 deprecates /jsonrpc and /xmlrpc (removal planned for 20): JSON-2 there, but it
        // needs an API key; JSON-RPC before 19 (NOTES.md §3).
        impl->active =
            (v->major >= 19 && !impl->opt.api_key.empty()) ? Protocol::json2 : Protocol::json_rpc;
    } else {
        impl->active = impl->opt.protocol;
    }
    co_return *v;
}

asio::awaitable<Result<Protocol>> ensure_protocol(std::shared_ptr<Impl> impl) {
    {
        std::lock_guard lock(impl->mu);
        if (impl->opt.protocol != Protocol::auto_select) co_return impl->opt.protocol;
        if (impl->active) co_return *impl->active;
    }
    auto v = co_await do_version(impl);
    if (!v) co_return v.error();
    std::lock_guard lock(impl->mu);
    co_return *impl->active;
}

// Built outside the coroutines: g++ 12 miscompiles some braced initializers inside coroutines.
Call user_lookup_call(const std::string& login) {
    Call c;
    c.model = "res.users";
    c.method = "search_read";
    Array domain;
    domain.push_back(Domain::leaf("login", "=", login));
    c.params.emplace_back("domain", std::move(domain));
    c.kwargs.emplace("fields", Array{Value("id")});
    c.kwargs.emplace("limit", 1);
    c.idempotent = true;
    return c;
}

Array authenticate_args(const Impl& impl) {
    Array a;
    a.emplace_back(impl.opt.database);
    a.emplace_back(impl.opt.username);
    a.emplace_back(impl.secret());
    a.emplace_back(Struct{});
    return a;
}

asio::awaitable<Result<std::int64_t>> do_authenticate(std::shared_ptr<Impl> impl) {
    if (auto blocked = auth_blocked(*impl)) co_return *blocked;
    auto proto = co_await ensure_protocol(impl);
    if (!proto) co_return proto.error();
    Result<Value> r = Error{};
    if (*proto == Protocol::json2) {
        // JSON-2 authenticates every request by its bearer key; look the key's user up to learn
        // the uid and to check the key now rather than at the first write.
        r = co_await object_call(impl, Protocol::json2, 0, user_lookup_call(impl->opt.username));
        if (r) {
            const auto* rows = r->as_array();
            if (rows == nullptr || rows->empty()) {
                Error e =
                    make_error(ErrorKind::auth,
                               "the API key is valid but no user has login '" + impl->opt.username +
                                   "' (check odoo.username: it must be the key's user)",
                               error_context("authenticate"));
                remember_auth_failure(*impl, e);
                co_return e;
            }
            r = (*rows)[0]["id"];
        }
    } else {
        r = co_await common_call(impl, *proto, "authenticate", authenticate_args(*impl));
    }
    if (!r) {
        if (r.error().kind == ErrorKind::auth) remember_auth_failure(*impl, r.error());
        co_return r.error();
    }
    auto uid = r->as_int();
    if (!uid) {
        // authenticate answers `false` for a wrong login, password or key (not an error reply).
        Error e = make_error(ErrorKind::auth,
                             "Odoo rejected the login of user '" + impl->opt.username +
                                 "' on database '" + impl->opt.database +
                                 "' (check odoo.username and odoo.api_key or odoo.password)",
                             error_context("common.authenticate"));
        remember_auth_failure(*impl, e);
        co_return e;
    }
    std::lock_guard lock(impl->mu);
    impl->uid = *uid;
    impl->auth_error.reset();
    co_return *uid;
}

asio::awaitable<Result<Value>> do_call(std::shared_ptr<Impl> impl, Call call) {
    if (auto blocked = auth_blocked(*impl)) co_return *blocked;
    auto proto = co_await ensure_protocol(impl);
    if (!proto) co_return proto.error();
    std::int64_t uid = 0;
    if (*proto != Protocol::json2) {
        std::optional<std::int64_t> cached;
        {
            std::lock_guard lock(impl->mu);
            cached = impl->uid;
        }
        if (!cached) {
            auto a = co_await do_authenticate(impl);
            if (!a) co_return a.error();
            cached = *a;
        }
        uid = *cached;
    }
    for (int attempt = 1;; ++attempt) {
        auto r = co_await object_call(impl, *proto, uid, call,
                                      call.idempotent && impl->read_retry.may_retry(attempt));
        if (r) co_return r;
        if (r.error().kind == ErrorKind::auth) {
            remember_auth_failure(*impl, r.error());
            co_return r;
        }
        // Only transient failures are tried again: an open circuit (`unavailable`) returns at
        // once and the job waits.
        if (r.error().kind != ErrorKind::transient || !call.idempotent ||
            !impl->read_retry.may_retry(attempt)) {
            co_return r;
        }
        impl->retries.fetch_add(1);
        co_await pause(impl->read_retry.delay(attempt, impl->jitter));
    }
}

std::vector<Value> to_rows(Value v) {
    if (auto* a = v.as_array()) return std::move(*a);
    return {};
}

Array string_array(const std::vector<std::string>& items) {
    Array a;
    a.reserve(items.size());
    for (const auto& s : items) a.emplace_back(s);
    return a;
}

Result<std::vector<Value>> expect_rows(Result<Value> r, std::string_view what) {
    if (!r) return r.error();
    if (!r->is_array()) {
        return make_error(ErrorKind::permanent,
                          std::string(what) + " did not return a list: " + r->repr(),
                          error_context(what));
    }
    return to_rows(std::move(*r));
}

}  // namespace

OdooClient::OdooClient(net::HttpClient& http, OdooOptions options, Clock& clock, Random* jitter) {
    validate(options);
    impl_ = std::make_shared<Impl>(http, std::move(options), clock, jitter);
}

OdooClient::~OdooClient() = default;

asio::awaitable<Result<ServerVersion>> OdooClient::version() { return do_version(impl_); }

asio::awaitable<Result<std::int64_t>> OdooClient::authenticate() { return do_authenticate(impl_); }

OdooSchema OdooClient::schema() const {
    std::lock_guard lock(impl_->mu);
    return impl_->schema;
}

Protocol OdooClient::protocol() const {
    std::lock_guard lock(impl_->mu);
    return impl_->active.value_or(impl_->opt.protocol);
}

asio::awaitable<Result<OdooSchema>> OdooClient::connect(std::vector<FieldName> required,
                                                        std::vector<FieldMeaning> meanings,
                                                        std::vector<std::string> extra_models) {
    auto v = co_await version();
    if (!v) co_return v.error();
    if (v->major < kMinSupportedMajor) {
        co_return make_error(ErrorKind::permanent,
                             "Odoo " + v->server_version +
                                 " is older than 16, which is the oldest "
                                 "version this daemon supports; upgrade Odoo",
                             "odoo startup");
    }
    auto uid = co_await authenticate();
    if (!uid) co_return uid.error();

    std::vector<std::string> models = impl_->opt.models;
    auto add = [&models](const std::string& m) {
        if (std::find(models.begin(), models.end(), m) == models.end()) models.push_back(m);
    };
    for (const auto& m : extra_models) add(m);
    for (const auto& f : required) add(f.model);
    for (auto m : meanings) add(field_name(m, v->major).model);

    OdooSchema schema;
    schema.version = *v;
    for (const auto& m : models) {
        auto fields = co_await fields_get(m);
        if (!fields) {
            Error e = fields.error();
            if (e.kind == ErrorKind::permanent) {
                e.message = "cannot read the fields of model '" + m +
                            "' (is its module installed?): " + e.message;
            }
            co_return e;
        }
        schema.models.emplace(m, std::move(*fields));
    }
    for (const auto& f : required) {
        if (auto r = schema.require(f.model, f.field); !r) co_return r.error();
    }
    for (auto m : meanings) {
        if (auto r = schema.resolve(m); !r) co_return r.error();
    }
    {
        std::lock_guard lock(impl_->mu);
        impl_->schema = schema;
    }
    impl_->log->info("connected to Odoo {} at {} (database '{}', protocol {}, uid {})",
                     v->server_version, impl_->base, impl_->opt.database, to_string(protocol()),
                     *uid);
    co_return schema;
}

asio::awaitable<Result<Value>> OdooClient::call(Call call) {
    return do_call(impl_, std::move(call));
}

asio::awaitable<Result<Value>> OdooClient::execute_kw(std::string model,
                                                      std::string method,
                                                      Array args,
                                                      Struct kwargs) {
    Call c;
    c.model = std::move(model);
    c.method = std::move(method);
    auto proto = co_await ensure_protocol(impl_);
    if (!proto) co_return proto.error();
    if (*proto == Protocol::json2) {
        // JSON-2 binds arguments by name; the only positional argument it can place is the
        // recordset (NOTES.md §3).
        if (args.size() == 1 && args[0].as_ids()) {
            c.ids = args[0].as_ids();
        } else if (!args.empty()) {
            co_return make_error(ErrorKind::permanent,
                                 "JSON-2 needs named arguments: call " + c.model + "." + c.method +
                                     " with kwargs (e.g. domain, vals_list, vals) instead of "
                                     "positional args",
                                 error_context(c.model + "." + c.method));
        }
    } else {
        if (!args.empty() && args[0].as_ids() && !args[0].as_array()->empty()) {
            c.ids = args[0].as_ids();
            args.erase(args.begin());
        }
        for (std::size_t i = 0; i < args.size(); ++i) {
            c.params.emplace_back("arg" + std::to_string(i), std::move(args[i]));
        }
    }
    if (auto it = kwargs.find("context"); it != kwargs.end()) {
        if (const auto* ctx = it->second.as_struct()) c.context = *ctx;
        kwargs.erase(it);
    }
    c.kwargs = std::move(kwargs);
    co_return co_await do_call(impl_, std::move(c));
}

asio::awaitable<Result<std::vector<Value>>> OdooClient::search_read(std::string model,
                                                                    Domain domain,
                                                                    SearchOptions options,
                                                                    Struct context) {
    Call c{.model = std::move(model), .method = "search_read", .idempotent = true};
    c.params.emplace_back("domain", domain.to_value());
    if (!options.fields.empty()) c.kwargs.emplace("fields", string_array(options.fields));
    if (options.limit > 0) c.kwargs.emplace("limit", options.limit);
    if (options.offset > 0) c.kwargs.emplace("offset", options.offset);
    if (!options.order.empty()) c.kwargs.emplace("order", options.order);
    c.context = std::move(context);
    std::string what = c.model + ".search_read";
    co_return expect_rows(co_await do_call(impl_, std::move(c)), what);
}

asio::awaitable<Result<std::vector<Value>>> OdooClient::read(std::string model,
                                                             std::vector<std::int64_t> ids,
                                                             std::vector<std::string> fields,
                                                             Struct context) {
    Call c{.model = std::move(model), .method = "read", .ids = std::move(ids), .idempotent = true};
    c.params.emplace_back("fields", string_array(fields));
    c.context = std::move(context);
    std::string what = c.model + ".read";
    co_return expect_rows(co_await do_call(impl_, std::move(c)), what);
}

asio::awaitable<Result<std::int64_t>> OdooClient::search_count(std::string model,
                                                               Domain domain,
                                                               Struct context) {
    Call c{.model = std::move(model), .method = "search_count", .idempotent = true};
    c.params.emplace_back("domain", domain.to_value());
    c.context = std::move(context);
    std::string what = c.model + ".search_count";
    auto r = co_await do_call(impl_, std::move(c));
    if (!r) co_return r.error();
    auto n = r->as_int();
    if (!n) {
        co_return make_error(ErrorKind::permanent, what + " did not return a number",
                             error_context(what));
    }
    co_return *n;
}

asio::awaitable<Result<std::vector<std::int64_t>>> OdooClient::create(std::string model,
                                                                      std::vector<Struct> vals_list,
                                                                      Struct context) {
    if (vals_list.empty()) co_return std::vector<std::int64_t>{};
    Array list;
    list.reserve(vals_list.size());
    for (auto& v : vals_list) list.emplace_back(std::move(v));
    Call c{.model = std::move(model), .method = "create"};
    c.params.emplace_back("vals_list", std::move(list));
    c.context = std::move(context);
    std::string what = c.model + ".create";
    auto r = co_await do_call(impl_, std::move(c));
    if (!r) co_return r.error();
    if (auto id = r->as_int()) co_return std::vector<std::int64_t>{*id};
    if (auto ids = r->as_ids()) co_return std::move(*ids);
    co_return make_error(ErrorKind::permanent, what + " did not return ids: " + r->repr(),
                         error_context(what));
}

asio::awaitable<Result<void>> OdooClient::write(std::string model,
                                                std::vector<std::int64_t> ids,
                                                Struct vals,
                                                Struct context) {
    Call c{.model = std::move(model), .method = "write", .ids = std::move(ids)};
    c.params.emplace_back("vals", std::move(vals));
    c.context = std::move(context);
    auto r = co_await do_call(impl_, std::move(c));
    if (!r) co_return r.error();
    co_return Result<void>{};
}

namespace {

/// web_read's specification of `fields`: "order_line/price_tax" reads the x2many's records as
/// dicts with those fields ({"order_line": {"fields": {"price_tax": {}}}}).
Struct web_specification(std::vector<std::string> fields) {
    Struct spec;
    for (auto& f : fields) {
        const auto slash = f.find('/');
        if (slash == std::string::npos) {
            spec.insert_or_assign(std::move(f), Struct{});
            continue;
        }
        Value& sub = spec.try_emplace(f.substr(0, slash), Struct{}).first->second;
        Value& inner = sub.as_struct()->try_emplace("fields", Struct{}).first->second;
        inner.as_struct()->insert_or_assign(f.substr(slash + 1), Struct{});
    }
    return spec;
}

/// A call whose answer is a list of records (web_save, web_read).
asio::awaitable<Result<std::vector<Value>>> call_for_records(std::shared_ptr<Impl> impl, Call c) {
    std::string what = c.model + "." + c.method;
    auto r = co_await do_call(impl, std::move(c));
    if (!r) co_return r.error();
    const auto* records = r->as_array();
    if (records == nullptr) {
        co_return make_error(ErrorKind::permanent, what + " did not return records: " + r->repr(),
                             error_context(what));
    }
    co_return std::vector<Value>(records->begin(), records->end());
}

}  // namespace

asio::awaitable<Result<std::vector<Value>>> OdooClient::web_save(std::string model,
                                                                 std::vector<std::int64_t> ids,
                                                                 Struct vals,
                                                                 std::vector<std::string> fields,
                                                                 Struct context) {
    const bool creating = ids.empty();
    Call c{.model = std::move(model), .method = "web_save", .ids = std::move(ids)};
    c.idempotent = !creating;
    c.params.emplace_back("vals", std::move(vals));
    c.params.emplace_back("specification", web_specification(std::move(fields)));
    c.context = std::move(context);
    co_return co_await call_for_records(impl_, std::move(c));
}

asio::awaitable<Result<std::vector<Value>>> OdooClient::web_read(std::string model,
                                                                 std::vector<std::int64_t> ids,
                                                                 std::vector<std::string> fields,
                                                                 Struct context) {
    Call c{.model = std::move(model), .method = "web_read", .ids = std::move(ids)};
    c.idempotent = true;
    c.params.emplace_back("specification", web_specification(std::move(fields)));
    c.context = std::move(context);
    co_return co_await call_for_records(impl_, std::move(c));
}

asio::awaitable<Result<LoadResult>> OdooClient::load(std::string model,
                                                     std::vector<std::string> fields,
                                                     std::vector<Array> rows,
                                                     Struct context) {
    Array data;
    data.reserve(rows.size());
    for (auto& r : rows) data.emplace_back(std::move(r));
    // Rows keyed by external id ("id") or database id (".id") update the same records when
    // sent again: safe to resend.
    bool keyed = std::find(fields.begin(), fields.end(), "id") != fields.end() ||
                 std::find(fields.begin(), fields.end(), ".id") != fields.end();
    Call c{.model = std::move(model), .method = "load", .idempotent = keyed};
    c.params.emplace_back("fields", string_array(fields));
    c.params.emplace_back("data", std::move(data));
    c.context = std::move(context);
    std::string what = c.model + ".load";
    auto r = co_await do_call(impl_, std::move(c));
    if (!r) co_return r.error();
    if (!r->is_struct()) {
        co_return make_error(ErrorKind::permanent, what + " did not return a dict: " + r->repr(),
                             error_context(what));
    }
    LoadResult out;
    if (const auto* ids = (*r)["ids"].as_array()) {
        for (const auto& id : *ids) out.ids.push_back(id.as_int());
    }
    if (const auto* msgs = (*r)["messages"].as_array()) {
        for (const auto& m : *msgs) {
            std::string type = m["type"].as_string().value_or("error");
            out.messages.push_back(type + ": " + m["message"].as_string().value_or(m.repr()));
        }
    }
    co_return out;
}

asio::awaitable<Result<ModelFields>> OdooClient::fields_get(std::string model) {
    Call c{.model = model, .method = "fields_get", .idempotent = true};
    c.kwargs.emplace("attributes",
                     Array{"type", "relation", "required", "readonly", "string", "selection"});
    auto r = co_await do_call(impl_, std::move(c));
    if (!r) co_return r.error();
    co_return parse_fields_get(model, *r);
}

asio::awaitable<Result<ActionResult>> OdooClient::call_action(std::string model,
                                                              std::string method,
                                                              std::vector<std::int64_t> ids,
                                                              Struct context) {
    Call c{.model = std::move(model), .method = std::move(method), .ids = std::move(ids)};
    c.context = std::move(context);
    auto r = co_await do_call(impl_, std::move(c));
    if (!r) co_return r.error();
    ActionResult out;
    if (r->is_struct() && (*r)["res_model"].is_string()) {
        // A window action: Odoo wants a wizard answered (button_validate → SMS or backorder,
        // NOTES.md §4 stock.picking).
        Wizard w;
        w.res_model = *(*r)["res_model"].as_string();
        w.res_id = (*r)["res_id"].as_int();
        w.name = (*r)["name"].as_string().value_or("");
        if (const auto* ctx = (*r)["context"].as_struct()) w.context = *ctx;
        out.wizard = std::move(w);
    }
    out.raw = std::move(*r);
    co_return out;
}

asio::awaitable<Result<std::vector<Value>>> OdooClient::search_read_cached(std::string model,
                                                                           Domain domain,
                                                                           SearchOptions options) {
    std::string key = model + '\x1f' + to_json(domain.to_value()) + '\x1f' +
                      to_json(Value(string_array(options.fields))) + '\x1f' +
                      std::to_string(options.limit) + '\x1f' + options.order;
    const auto executor = co_await asio::this_coro::executor;
    std::shared_ptr<Impl::Flight> flight;
    std::shared_ptr<asio::steady_timer> wake;
    {
        std::lock_guard lock(impl_->mu);
        auto it = impl_->cache.find(key);
        if (it != impl_->cache.end() && impl_->clock.now() < it->second.expires) {
            impl_->cache_hits.fetch_add(1);
            co_return it->second.rows;
        }
        auto& slot = impl_->flights[key];
        if (slot) {
            // The same rows are being read: wait for that answer (woken by expiry set to the
            // past, so that a wake posted before this wait starts is not lost).
            flight = slot;
            wake = std::make_shared<asio::steady_timer>(executor,
                                                        asio::steady_timer::time_point::max());
            flight->waiters.push_back(wake);
        } else {
            slot = flight = std::make_shared<Impl::Flight>();
        }
    }
    if (wake) {
        co_await wake->async_wait(asio::as_tuple(asio::use_awaitable));
        std::lock_guard lock(impl_->mu);
        if (!flight->result) {
            co_return make_error(ErrorKind::transient, "cancelled while waiting for the same read",
                                 "search_read " + model);
        }
        impl_->cache_hits.fetch_add(1);
        co_return *flight->result;
    }
    auto rows = co_await search_read(std::move(model), std::move(domain), std::move(options));
    std::vector<std::shared_ptr<asio::steady_timer>> waiters;
    {
        std::lock_guard lock(impl_->mu);
        if (rows) {
            impl_->cache.insert_or_assign(
                key, Impl::CacheEntry{impl_->clock.now() + impl_->opt.cache_ttl, *rows});
        }
        flight->result = rows;
        waiters.swap(flight->waiters);
        impl_->flights.erase(key);
    }
    for (auto& t : waiters) {
        asio::post(t->get_executor(),
                   [t] { t->expires_at(asio::steady_timer::time_point::min()); });
    }
    co_return rows;
}

asio::awaitable<Result<std::map<std::string, Value>>> OdooClient::products_by(
    std::string key_field, std::vector<std::string> keys, std::vector<std::string> fields) {
    if (std::find(fields.begin(), fields.end(), key_field) == fields.end()) {
        fields.push_back(key_field);
    }
    std::string prefix = key_field + '\x1f' + to_json(Value(string_array(fields))) + '\x1f';
    std::map<std::string, Value> out;
    Array misses;
    {
        std::lock_guard lock(impl_->mu);
        auto now = impl_->clock.now();
        for (const auto& k : keys) {
            if (out.count(k) != 0) continue;
            auto it = impl_->products.find(prefix + k);
            if (it != impl_->products.end() && now < it->second.expires) {
                impl_->cache_hits.fetch_add(1);
                out.emplace(k, it->second.record);
            } else if (std::find(misses.begin(), misses.end(), Value(k)) == misses.end()) {
                misses.emplace_back(k);
            }
        }
    }
    if (misses.empty()) co_return out;
    // One search_read for all misses (default_code is not unique: the lowest id wins).
    Domain d;
    d.where(key_field, "in", std::move(misses));
    // Named, not a temporary in the co_await expression (g++ 12 coroutine temporaries bug).
    SearchOptions opts;
    opts.fields = fields;
    opts.order = "id asc";
    std::string product_model = "product.product";
    auto rows = co_await search_read(std::move(product_model), std::move(d), std::move(opts));
    if (!rows) co_return rows.error();
    std::lock_guard lock(impl_->mu);
    auto expires = impl_->clock.now() + impl_->opt.product_cache_ttl;
    for (auto& row : *rows) {
        auto k = row[key_field].as_string();
        if (!k || out.count(*k) != 0) continue;
        impl_->products.insert_or_assign(prefix + *k, Impl::ProductEntry{expires, row});
        out.emplace(*k, std::move(row));
    }
    co_return out;
}

void OdooClient::clear_caches() {
    std::lock_guard lock(impl_->mu);
    impl_->cache.clear();
    impl_->products.clear();
}

Struct OdooClient::write_context() const {
    Struct ctx;
    if (!impl_->opt.lang.empty()) ctx.emplace("lang", impl_->opt.lang);
    if (impl_->opt.tracking_disable) {
        ctx.emplace("tracking_disable", true);
        ctx.emplace("mail_create_nolog", true);
        ctx.emplace("mail_create_nosubscribe", true);
    }
    return ctx;
}

ClientStats OdooClient::stats() const {
    return ClientStats{impl_->calls_sent.load(), impl_->cache_hits.load(), impl_->retries.load(),
                       impl_->max_in_flight_seen.load()};
}

}  // namespace clarity::odoo
