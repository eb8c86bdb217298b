// The fake Odoo's transports: JSON-RPC, XML-RPC (/xmlrpc/2 and legacy /xmlrpc), JSON-2 and
// /web/version, with the envelopes and error shapes of ../shared/reference/odoo/captures-18|19
// (NOTES.md §1–3), plus the public FakeOdoo/FakeOdooServer API and fault injection.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>

#include "clarity/odoo/codec.hpp"
#include "odoo/fake_odoo_state.hpp"

namespace clarity::fakes::odoo {

namespace codec = clarity::odoo;

namespace {

using Ids = std::vector<std::int64_t>;

bool is_readonly(const std::string& method) {
    static const std::set<std::string> kRead{
        "search_read", "search",     "search_count",           "read",
        "fields_get",  "read_group", "check_object_reference", "context_get",
        "default_get"};
    return kRead.count(method) != 0;
}

std::string short_name(const std::string& dotted) {
    // "builtins.ValueError" → "ValueError"; "odoo.exceptions.UserError" → kept whole for fault 1.
    if (dotted.rfind("builtins.", 0) == 0) return dotted.substr(9);
    return dotted;
}

std::string traceback(const std::string& name, const std::string& message) {
    return "Traceback (most recent call last):\n  ...\n" + short_name(name) + ": " + message + "\n";
}

Struct exception_body(const OdooRaise& e, std::optional<int> status_argument) {
    Array arguments{Value(e.message)};
    if (status_argument) arguments.emplace_back(*status_argument);
    return Struct{{"name", e.name},
                  {"message", e.message},
                  {"arguments", arguments},
                  {"context", Struct{}},
                  {"debug", traceback(e.name, e.message)}};
}

http::Response json_response(int status, const Value& body, const char* type = "application/json") {
    http::Response r;
    r.status = status;
    r.headers.emplace_back("Content-Type", type);
    r.body = codec::to_json(body);
    return r;
}

http::Response xml_response(std::string body) {
    http::Response r;
    r.headers.emplace_back("Content-Type", "text/xml; charset=utf-8");
    r.body = std::move(body);
    return r;
}

Value version_info(int major) {
    std::string v = major >= 19 ? "19.0+e-20251227" : std::to_string(major) + ".0";
    return Struct{{"server_version", v},
                  {"server_version_info", Array{major, 0, 0, "final", 0, ""}},
                  {"server_serie", std::to_string(major) + ".0"},
                  {"protocol_version", 1}};
}

bool user_error_family(const std::string& name) {
    return name == kUserError || name == kValidationError || name == kMissingError ||
           name == "odoo.exceptions.RedirectWarning";
}

}  // namespace

// ---- public API ---------------------------------------------------------------------------------

FakeOdoo::FakeOdoo(FakeOdooOptions options) : state_(std::make_unique<State>(std::move(options))) {}
FakeOdoo::~FakeOdoo() = default;

void FakeOdoo::set_version(int major) {
    std::lock_guard lock(state_->mu);
    state_->major = major;
}
int FakeOdoo::version() const {
    std::lock_guard lock(state_->mu);
    return state_->major;
}
const std::string& FakeOdoo::database() const { return state_->opt.database; }

std::int64_t FakeOdoo::create(const std::string& model, Struct vals) {
    std::lock_guard lock(state_->mu);
    state_->uid = 2;
    state_->ctx = {};
    try {
        return state_->create(model, std::move(vals));
    } catch (const OdooRaise& e) {
        throw std::runtime_error(e.name + ": " + e.message);
    }
}

void FakeOdoo::write(const std::string& model, std::int64_t id, Struct vals) {
    {
        std::lock_guard lock(state_->mu);
        state_->uid = 2;
        state_->ctx = {};
        try {
            state_->write(model, {id}, std::move(vals));
        } catch (const OdooRaise& e) {
            throw std::runtime_error(e.name + ": " + e.message);
        }
        state_->queue_webhooks(model, {id});
    }
    send_webhooks();
}

Value FakeOdoo::call(const std::string& model,
                     const std::string& method,
                     const std::vector<std::int64_t>& ids,
                     Struct context) {
    Value r;
    {
        std::lock_guard lock(state_->mu);
        state_->uid = 2;
        state_->ctx = std::move(context);
        try {
            r = state_->execute(model, method, ids, Struct{});
            state_->ctx = {};
        } catch (const OdooRaise& e) {
            state_->ctx = {};
            throw std::runtime_error(e.name + ": " + e.message);
        }
        state_->queue_webhooks(model, ids);
    }
    send_webhooks();
    return r;
}

Array FakeOdoo::read(const std::string& model,
                     const std::vector<std::int64_t>& ids,
                     const std::vector<std::string>& fields) const {
    std::lock_guard lock(state_->mu);
    state_->uid = 2;
    state_->ctx = {};
    try {
        return state_->read(model, ids, fields, /*classic=*/true);
    } catch (const OdooRaise& e) {
        throw std::runtime_error(e.name + ": " + e.message);
    }
}

std::vector<Struct> FakeOdoo::records(const std::string& model) const {
    std::lock_guard lock(state_->mu);
    std::vector<Struct> out;
    auto t = state_->tables.find(model);
    if (t == state_->tables.end()) return out;
    for (const auto& [id, row] : t->second) out.push_back(row);
    return out;
}

std::optional<Struct> FakeOdoo::record(const std::string& model, std::int64_t id) const {
    std::lock_guard lock(state_->mu);
    auto t = state_->tables.find(model);
    if (t == state_->tables.end()) return std::nullopt;
    auto r = t->second.find(id);
    if (r == t->second.end()) return std::nullopt;
    return r->second;
}

std::size_t FakeOdoo::count(const std::string& model) const {
    std::lock_guard lock(state_->mu);
    auto t = state_->tables.find(model);
    return t == state_->tables.end() ? 0 : t->second.size();
}

std::int64_t FakeOdoo::add_user(const std::string& login,
                                const std::string& password,
                                std::vector<std::string> denied_models) {
    std::lock_guard lock(state_->mu);
    std::int64_t uid = std::max<std::int64_t>(state_->next_ids["res.users"], 6);
    state_->users.emplace(uid,
                          User{uid, login, password,
                               std::set<std::string>(denied_models.begin(), denied_models.end())});
    state_->insert_raw("res.users", uid, Struct{{"login", login}, {"name", login}});
    return uid;
}

void FakeOdoo::add_api_key(std::int64_t uid, const std::string& key) {
    std::lock_guard lock(state_->mu);
    state_->keys.insert_or_assign(key, uid);
}

void FakeOdoo::revoke_api_key(const std::string& key) {
    std::lock_guard lock(state_->mu);
    state_->keys.erase(key);
}

void FakeOdoo::fail_call(int nth, FaultSpec fault) {
    std::lock_guard lock(state_->mu);
    state_->faults.insert_or_assign(state_->requests + nth, std::move(fault));
}

void FakeOdoo::set_outage(std::optional<FaultSpec> fault) {
    std::lock_guard lock(state_->mu);
    state_->outage = std::move(fault);
}

std::size_t FakeOdoo::outage_requests() const {
    std::lock_guard lock(state_->mu);
    return state_->outage_requests;
}

void FakeOdoo::fail_next_call(std::function<bool(const CallRecord&)> matches, FaultSpec fault) {
    std::lock_guard lock(state_->mu);
    state_->call_faults.emplace_back(std::move(matches), std::move(fault));
}

void FakeOdoo::set_latency(std::chrono::milliseconds latency) {
    std::lock_guard lock(state_->mu);
    state_->latency = latency;
}

std::vector<CallRecord> FakeOdoo::calls() const {
    std::lock_guard lock(state_->mu);
    return state_->log;
}

std::size_t FakeOdoo::call_count(const std::string& method, const std::string& model) const {
    std::lock_guard lock(state_->mu);
    return static_cast<std::size_t>(
        std::count_if(state_->log.begin(), state_->log.end(), [&](const CallRecord& c) {
            return c.service == "object" && c.method == method &&
                   (model.empty() || c.model == model);
        }));
}

void FakeOdoo::clear_calls() {
    std::lock_guard lock(state_->mu);
    state_->log.clear();
}

// ---- transports -------------------------------------------------------------------------------

namespace {

/// Per-request helper holding the state lock.
struct Request {
    FakeOdoo::State& s;
    const http::Request& req;
    std::optional<FaultSpec> fault;

    /// Credentials of execute_kw: password or API key of an existing user.
    bool credentials_ok(std::int64_t uid, const std::string& secret) const {
        auto u = s.users.find(uid);
        if (u == s.users.end()) return false;
        if (u->second.password == secret) return true;
        auto k = s.keys.find(secret);
        return k != s.keys.end() && k->second == uid;
    }

    std::optional<std::int64_t> login(const std::string& login, const std::string& secret) const {
        for (const auto& [uid, u] : s.users) {
            if (u.login == login && credentials_ok(uid, secret)) return uid;
        }
        return std::nullopt;
    }

    void check_db(const std::string& db) const {
        if (db != s.opt.database) {
            throw OdooRaise{"psycopg2.OperationalError",
                            "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  "
                            "database \"" +
                                db + "\" does not exist\n"};
        }
    }

    /// Runs an injected exception, or the method in its own transaction (rolled back on error).
    Value run(const std::string& transport,
              const std::string& model,
              const std::string& method,
              std::optional<Ids> ids,
              Struct named,
              Struct context,
              std::int64_t uid,
              Array positional_log) {
        CallRecord rec;
        rec.transport = transport;
        rec.service = "object";
        rec.method = method;
        rec.model = model;
        rec.args = std::move(positional_log);
        rec.kwargs = named;
        if (!context.empty()) rec.kwargs.insert_or_assign("context", context);
        rec.ids = ids;
        rec.uid = uid;
        if (!fault) {
            auto hit = std::find_if(s.call_faults.begin(), s.call_faults.end(),
                                    [&rec](const auto& f) { return f.first(rec); });
            if (hit != s.call_faults.end()) {
                fault = hit->second;
                s.call_faults.erase(hit);
            }
        }
        s.log.push_back(std::move(rec));
        if (fault && !fault->exception.empty()) throw OdooRaise{fault->exception, fault->message};
        s.uid = uid;
        s.ctx = std::move(context);
        s.last_call_records = 0;
        if (is_readonly(method)) {
            Value result = s.execute(model, method, std::move(ids), std::move(named));
            s.last_call_records = rows_in(result);
            return result;
        }
        // The call's transaction: the rows it changes are journaled (State::touch) and restored
        // if it raises. verify_journal also keeps a full copy to prove the journal complete.
        std::optional<decltype(s.tables)> before;
        if (s.opt.verify_journal) before = s.tables;
        auto next = s.next_ids;
        s.undo.clear();
        s.journaling = true;
        try {
            Value result = s.execute(model, method, std::move(ids), std::move(named));
            s.journaling = false;
            if (before) verify_journal(*before, model + "." + method);
            s.note_journaled_changes();  // rows changed after their touch() in this call
            s.last_call_records = rows_in(result);
            for (const auto& [m, rows] : s.undo) {
                s.last_call_records += static_cast<std::int64_t>(rows.size());
                std::vector<std::int64_t> changed;
                for (const auto& [id, old] : rows) changed.push_back(id);
                s.queue_webhooks(m, changed);
            }
            s.undo.clear();
            return result;
        } catch (...) {
            s.journaling = false;
            s.roll_back();
            s.next_ids = std::move(next);
            if (before && !same_rows(s.tables, *before)) {
                journal_bug(model + "." + method + " left changes after its rollback");
            }
            throw;
        }
    }

    /// Records in a reply: the rows of a read (dicts), or 1.
    static std::int64_t rows_in(const Value& result) {
        const auto* rows = result.as_array();
        if (rows == nullptr) return 0;
        std::int64_t n = 0;
        for (const auto& r : *rows) n += r.is_struct() ? 1 : 0;
        return n;
    }

    /// Equal records; a table with no rows equals an absent one (look-ups create empty tables).
    static bool same_rows(const decltype(FakeOdoo::State::tables)& a,
                          const decltype(FakeOdoo::State::tables)& b) {
        auto covered = [](const auto& x, const auto& y) {
            for (const auto& [model, rows] : x) {
                auto it = y.find(model);
                if (it == y.end() ? !rows.empty() : !(it->second == rows)) return false;
            }
            return true;
        };
        return covered(a, b) && covered(b, a);
    }

    [[noreturn]] static void journal_bug(const std::string& what) {
        // A change that bypassed State::touch: a bug of the fake itself, never of the client.
        std::fprintf(stderr, "fake Odoo: undo journal incomplete: %s\n", what.c_str());
        std::abort();
    }

    /// Every row that differs from `before` must be in the undo journal.
    void verify_journal(const decltype(FakeOdoo::State::tables)& before, const std::string& call) {
        auto check = [&](const std::string& model, std::int64_t id) {
            auto u = s.undo.find(model);
            if (u == s.undo.end() || u->second.count(id) == 0) {
                journal_bug(call + " changed " + model + " " + std::to_string(id) +
                            " without journaling it");
            }
        };
        for (const auto& [model, rows] : s.tables) {
            static const FakeOdoo::State::Table kNone;
            auto b = before.find(model);
            const auto& old = b == before.end() ? kNone : b->second;
            for (const auto& [id, row] : rows) {
                auto o = old.find(id);
                if (o == old.end() || !(o->second == row)) check(model, id);
            }
            for (const auto& [id, row] : old) {
                if (rows.count(id) == 0) check(model, id);
            }
        }
        for (const auto& [model, rows] : before) {
            if (s.tables.count(model) != 0) continue;
            for (const auto& [id, row] : rows) check(model, id);
        }
    }

    void log_common(const std::string& transport, const std::string& method) {
        CallRecord rec;
        rec.transport = transport;
        rec.service = "common";
        rec.method = method;
        s.log.push_back(std::move(rec));
        if (fault && !fault->exception.empty()) throw OdooRaise{fault->exception, fault->message};
    }

    /// Positional args + kwargs → named arguments of the method (as Python binds them).
    Struct bind(const std::string& model,
                const std::string& method,
                Array& args,
                Struct kwargs,
                std::optional<Ids>& ids) {
        Struct named;
        s.model(model);
        if (!method.empty() && method[0] == '_') return named;  // execute raises AccessError
        static const std::map<std::string, std::vector<std::string>> kParams{
            {"search_read", {"domain", "fields", "offset", "limit", "order"}},
            {"search", {"domain", "offset", "limit", "order"}},
            {"search_count", {"domain", "limit"}},
            {"read", {"fields", "load"}},
            {"create", {"vals_list"}},
            {"write", {"vals"}},
            {"web_save", {"vals", "specification", "next_id"}},
            {"web_read", {"specification"}},
            {"fields_get", {"allfields", "attributes"}},
            {"load", {"fields", "data"}},
            {"read_group", {"domain", "fields", "groupby", "offset", "limit", "orderby", "lazy"}},
            {"check_object_reference", {"module", "xml_id"}},
            {"default_get", {"fields_list"}},
            {"name_search", {"name", "args", "operator", "limit"}},
            {"name_search@18", {"name", "domain", "operator", "limit"}},  // args renamed in 18
        };
        static const std::set<std::string> kRecord{"read",
                                                   "write",
                                                   "unlink",
                                                   "action_confirm",
                                                   "web_save",
                                                   "web_read",
                                                   "action_cancel",
                                                   "button_validate",
                                                   "action_post",
                                                   "action_apply_inventory",
                                                   "action_send_mail_and_cancel"};
        std::size_t pos = 0;
        if (kRecord.count(method) != 0) {
            if (args.empty()) throw BindError{"missing 1 required positional argument: 'ids'"};
            if (auto list = args[0].as_ids()) {
                ids = *list;
            } else if (auto one = args[0].as_int()) {
                ids = Ids{*one};
            } else {
                throw OdooRaise{kTypeError, "unhashable type: " + args[0].repr()};
            }
            pos = 1;
        }
        auto p = kParams.find(method == "name_search" && s.major >= 18 ? method + "@18" : method);
        for (std::size_t i = pos; i < args.size(); ++i) {
            std::size_t k = i - pos;
            if (p == kParams.end() && kRecord.count(method) == 0) {
                // A method the fake does not know: keep the argument for execute, which
                // answers AttributeError as Odoo does before binding any argument.
                named.insert_or_assign("\x02" + std::to_string(k), args[i]);
                continue;
            }
            if (p == kParams.end() || k >= p->second.size()) {
                throw BindError{"takes " + std::to_string(pos + 1) + " positional arguments but " +
                                std::to_string(args.size() + 1) + " were given"};
            }
            named.insert_or_assign(p->second[k], args[i]);
        }
        for (auto& [k, v] : kwargs) {
            if (k != "context") named.insert_or_assign(k, v);
        }
        return named;
    }

    // JSON-RPC -----------------------------------------------------------------------------------
    http::Response jsonrpc() {
        auto body = codec::from_json(req.body);
        Value id = body ? (*body)["id"] : Value{};
        auto error = [&](const OdooRaise& e) {
            Struct data{{"name", e.name},
                        {"debug", traceback(e.name, e.message)},
                        {"message", e.message},
                        {"arguments", Array{e.message}},
                        {"context", Struct{}}};
            // error.code is 200 up to 18 and 0 in 19 (odoo/http.py, NOTES.md §1).
            Struct err{{"code", s.major >= 19 ? 0 : 200},
                       {"message", "Odoo Server Error"},
                       {"data", std::move(data)}};
            return json_response(200,
                                 Struct{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(err)}});
        };
        try {
            if (!body) throw OdooRaise{"werkzeug.exceptions.BadRequest", "Invalid JSON data"};
            const Value& params = (*body)["params"];
            std::string service = params["service"].as_string().value_or("");
            std::string method = params["method"].as_string().value_or("");
            Array args = params["args"].as_array() ? *params["args"].as_array() : Array{};
            Value result = dispatch("jsonrpc", service, method, args);
            Struct reply{{"jsonrpc", "2.0"}, {"id", id}};
            // None → no "result" key at all (odoo/http.py JsonRPCDispatcher._response).
            if (!result.is_nil()) reply.emplace("result", std::move(result));
            return json_response(200, reply);
        } catch (const OdooRaise& e) {
            return error(e);
        } catch (const BindError& e) {
            return error(OdooRaise{kTypeError, e.message});
        }
    }

    Value dispatch(const std::string& transport,
                   const std::string& service,
                   const std::string& method,
                   Array& args) {
        auto str = [&args](std::size_t i) {
            return i < args.size() ? args[i].as_string().value_or("") : std::string();
        };
        if (service == "common") {
            log_common(transport, method);
            if (method == "version") return version_info(s.major);
            if (method == "authenticate" || method == "login") {
                check_db(str(0));
                auto uid = login(str(1), str(2));
                return uid ? Value(*uid) : Value(false);  // wrong credentials: false, no error
            }
            throw OdooRaise{kAttributeError, "The method '" + method + "' does not exist"};
        }
        if (service == "object" && (method == "execute_kw" || method == "execute")) {
            check_db(str(0));
            std::int64_t uid = args.size() > 1 ? args[1].as_int().value_or(0) : 0;
            if (!credentials_ok(uid, str(2))) throw OdooRaise{kAccessDenied, "Access Denied"};
            std::string model = str(3), m = str(4);
            Array positional =
                args.size() > 5 && args[5].as_array() ? *args[5].as_array() : Array{};
            if (method == "execute")
                positional.assign(args.begin() + std::min<std::size_t>(5, args.size()), args.end());
            Struct kwargs =
                args.size() > 6 && args[6].as_struct() ? *args[6].as_struct() : Struct{};
            Struct context = kwargs.count("context") && kwargs.at("context").as_struct()
                                 ? *kwargs.at("context").as_struct()
                                 : Struct{};
            std::optional<Ids> ids;
            Array log_args = positional;
            Struct named = bind(model, m, positional, kwargs, ids);
            if (ids && !log_args.empty()) log_args.erase(log_args.begin());
            return run(transport, model, m, ids, std::move(named), std::move(context), uid,
                       std::move(log_args));
        }
        throw OdooRaise{kAttributeError, "The service '" + service + "' does not exist"};
    }

    // XML-RPC ------------------------------------------------------------------------------------
    http::Response xmlrpc(bool legacy, const std::string& service) {
        auto fault = [&](const OdooRaise& e) {
            if (legacy) {
                if (e.name == kAccessDenied)
                    return xml_response(codec::encode_xmlrpc_fault("AccessDenied", e.message));
                if (user_error_family(e.name) || e.name == kAccessError) {
                    std::string cls = e.name.substr(e.name.rfind('.') + 1);
                    if (cls == "ValidationError") cls = "UserError";
                    return xml_response(
                        codec::encode_xmlrpc_fault("warning -- " + cls + "\n\n" + e.message, ""));
                }
                return xml_response(
                    codec::encode_xmlrpc_fault(e.message, traceback(e.name, e.message)));
            }
            // /xmlrpc/2 fault codes (NOTES.md §2): 3 AccessDenied, 4 AccessError, 2 UserError
            // family.
            if (e.name == kAccessDenied)
                return xml_response(codec::encode_xmlrpc_fault(3, e.message));
            if (e.name == kAccessError)
                return xml_response(codec::encode_xmlrpc_fault(4, e.message));
            if (user_error_family(e.name))
                return xml_response(codec::encode_xmlrpc_fault(2, e.message));
            return xml_response(codec::encode_xmlrpc_fault(1, traceback(e.name, e.message)));
        };
        auto call = codec::decode_xmlrpc_call(req.body);
        try {
            if (!call) throw OdooRaise{"xml.parsers.expat.ExpatError", call.error().message};
            Value result =
                dispatch(legacy ? "xmlrpc-legacy" : "xmlrpc", service, call->method, call->params);
            if (result.is_nil()) {
                // allow_none=False: the work is committed, then marshalling fails (NOTES.md §2).
                return fault(
                    OdooRaise{kTypeError, "cannot marshal None unless allow_none is enabled"});
            }
            return xml_response(codec::encode_xmlrpc_response(result));
        } catch (const OdooRaise& e) {
            return fault(e);
        } catch (const BindError& e) {
            return fault(OdooRaise{kTypeError, e.message});
        }
    }

    // JSON-2 -------------------------------------------------------------------------------------
    http::Response json2(const std::string& path) {
        auto error = [&](int status, const OdooRaise& e, bool with_status_arg) {
            http::Response r = json_response(
                status,
                exception_body(e, with_status_arg ? std::optional<int>(status) : std::nullopt),
                "application/json; charset=utf-8");
            if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer ");
            return r;
        };
        if (s.major < 19) {
            // Odoo 18 has no JSON-2: /json/2 falls through to the web client (a redirect).
            http::Response r;
            r.status = 303;
            r.headers.emplace_back("Location", "/odoo?redirect=" + path);
            r.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
            r.body = "<!doctype html><title>Redirecting...</title>";
            return r;
        }
        std::string rest = path.substr(std::string("/json/2/").size());
        auto slash = rest.find('/');
        if (req.method != "POST" || slash == std::string::npos ||
            rest.find('/', slash + 1) != std::string::npos) {
            return error(404,
                         OdooRaise{"werkzeug.exceptions.NotFound",
                                   "Did you mean POST /json/2/<model>/<method>?"},
                         true);
        }
        std::string model = rest.substr(0, slash), method = rest.substr(slash + 1);
        auto auth = req.header("Authorization");
        std::string key;
        if (auth && auth->size() > 7) {
            std::string scheme = auth->substr(0, 7);
            std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                           [](unsigned char c) { return std::tolower(c); });
            if (scheme == "bearer ") key = auth->substr(7);
        }
        if (key.empty()) {
            return error(
                401,
                OdooRaise{
                    "werkzeug.exceptions.Unauthorized",
                    "User not authenticated, use an API Key with a Bearer Authorization header."},
                true);
        }
        auto k = s.keys.find(key);
        if (k == s.keys.end()) {
            return error(401, OdooRaise{"werkzeug.exceptions.Unauthorized", "Invalid apikey"},
                         true);
        }
        if (auto db = req.header("X-Odoo-Database"); db && *db != s.opt.database) {
            return error(
                404, OdooRaise{"werkzeug.exceptions.NotFound", "database '" + *db + "' not found"},
                true);
        }
        auto body = codec::from_json(req.body);
        if (!body || !body->is_struct()) {
            return error(
                400,
                OdooRaise{"werkzeug.exceptions.BadRequest",
                          "could not parse the body as json: Expecting property name enclosed in "
                          "double quotes: line 1 column 2 (char 1)"},
                true);
        }
        if (s.defs.count(model) == 0) {
            return error(404,
                         OdooRaise{"werkzeug.exceptions.NotFound",
                                   "the model '" + model + "' does not exist"},
                         true);
        }
        Struct named = *body->as_struct();
        std::optional<Ids> ids;
        if (auto it = named.find("ids"); it != named.end()) {
            ids = it->second.as_ids().value_or(Ids{});
            named.erase(it);
        }
        Struct context;
        if (auto it = named.find("context"); it != named.end()) {
            if (it->second.as_struct()) context = *it->second.as_struct();
            named.erase(it);
        }
        try {
            Value result = run("json2", model, method, ids, std::move(named), std::move(context),
                               k->second, {});
            // create always answers a list of ids on JSON-2 (NOTES.md §3).
            if (method == "create" && result.is_int()) result = Array{result};
            return json_response(200, result, "application/json; charset=utf-8");
        } catch (const BindError& e) {
            return error(422, OdooRaise{"werkzeug.exceptions.UnprocessableEntity", e.message},
                         true);
        } catch (const OdooRaise& e) {
            if (e.name == kAttributeError) {
                return error(404, OdooRaise{"werkzeug.exceptions.NotFound", e.message}, true);
            }
            int status = 500;
            if (e.name == kUserError || e.name == kValidationError ||
                e.name == "odoo.exceptions.RedirectWarning")
                status = 422;
            if (e.name == kMissingError) status = 404;
            if (e.name == kAccessError || e.name == kAccessDenied) status = 403;
            return error(status, e, false);
        }
    }
};

}  // namespace

http::Response FakeOdoo::handle(const http::Request& req) {
    http::Response resp = handle_locked(req);
    send_webhooks();  // as Odoo: before the caller gets its answer
    return resp;
}

http::Response FakeOdoo::handle_locked(const http::Request& req) {
    std::lock_guard lock(state_->mu);
    State& s = *state_;
    ++s.requests;
    std::optional<FaultSpec> fault;
    if (s.outage) {
        fault = s.outage;
        ++s.outage_requests;
    } else if (auto it = s.faults.find(s.requests); it != s.faults.end()) {
        fault = it->second;
        s.faults.erase(it);
    }
    std::chrono::milliseconds delay =
        s.latency + (fault ? fault->delay : std::chrono::milliseconds{0});
    http::Response resp;
    if (fault && fault->http_status != 0) {
        resp.status = fault->http_status;
        resp.headers.emplace_back("Content-Type", "text/html");
        resp.body = fault->body.empty() ? "<html><body><h1>" + std::to_string(fault->http_status) +
                                              " Bad Gateway</h1></body></html>"
                                        : fault->body;
    } else if (fault && fault->drop_before) {
        resp.fault = http::Fault::close_before_response;
    } else {
        Request r{s, req, fault};
        std::string path = req.path();
        if (path == "/jsonrpc") {
            resp = r.jsonrpc();
        } else if (path == "/web/webclient/version_info") {
            // The web client's JSON-RPC route (16-19): common.version's dict without a login.
            auto body = codec::from_json(req.body);
            resp = json_response(200, Struct{{"jsonrpc", "2.0"},
                                             {"id", body ? (*body)["id"] : Value{}},
                                             {"result", version_info(s.major)}});
        } else if ((path == "/web/version" || path == "/json/version") && s.major >= 19 &&
                   req.method == "GET") {
            // 19's rpc module: a plain http route with its own shape.
            Value v = version_info(s.major);
            resp = json_response(200, Struct{{"version_info", v["server_version_info"]},
                                             {"version", v["server_version"]}});
        } else if ((path == "/web/version" || path == "/json/version") && s.major >= 19) {
            // type='http' routes check a CSRF token on POST (what a real 19 answers).
            resp.status = 400;
            resp.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
            resp.body =
                "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n"
                "<h1>Bad Request</h1>\n<p>Session expired (invalid CSRF token)</p>\n";
        } else if (path == "/xmlrpc/2/common" || path == "/xmlrpc/2/object") {
            resp = r.xmlrpc(false, path.substr(path.rfind('/') + 1));
        } else if (path == "/xmlrpc/common" || path == "/xmlrpc/object") {
            resp = r.xmlrpc(true, path.substr(path.rfind('/') + 1));
        } else if (path.rfind("/json/2/", 0) == 0) {
            resp = r.json2(path);
        } else {
            resp.status = 404;
            resp.headers.emplace_back("Content-Type", "text/html");
            resp.body = "<html><body>404 Not Found</body></html>";
        }
        if (r.fault && r.fault->drop_after_commit) resp.fault = http::Fault::close_before_response;
    }
    resp.delay = delay + cost_model_wait(s);
    return resp;
}

std::chrono::milliseconds FakeOdoo::cost_model_wait(State& s) {
    using namespace std::chrono;
    const auto cost = s.opt.cost_per_call + s.opt.cost_per_record * s.last_call_records;
    s.last_call_records = 0;
    if (cost.count() <= 0) return milliseconds{0};
    if (s.worker_free.empty()) s.worker_free.assign(std::max(1, s.opt.workers), {});
    const auto now = steady_clock::now();
    auto worker = std::min_element(s.worker_free.begin(), s.worker_free.end());
    const auto done = std::max(now, *worker) + cost;
    *worker = done;
    return ceil<milliseconds>(done - now);
}

FakeOdooServer::FakeOdooServer(FakeOdooOptions options)
    : odoo_(std::make_unique<FakeOdoo>(std::move(options))) {
    FakeOdoo* odoo = odoo_.get();
    http_ = std::make_unique<http::FakeHttpServer>(
        [odoo](const http::Request& r) { return odoo->handle(r); });
}

FakeOdooServer::~FakeOdooServer() { http_.reset(); }

}  // namespace clarity::fakes::odoo
