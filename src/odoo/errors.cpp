// Classification of Odoo errors. Names, codes and statuses: ../shared/reference/odoo/NOTES.md §1–3
// and the captures in captures-18/ and captures-19/ (tests/unit/odoo/errors_test.cpp replays them).
#include "clarity/odoo/errors.hpp"

#include <array>

namespace clarity::odoo {

namespace {

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

struct NameRule {
    std::string_view short_name;
    ErrorKind kind;
    std::string_view advice;  ///< appended to the message: what a person should do
};

// Keyed on the short class name (the part after the last dot of error.data.name).
constexpr std::array kNameRules{
    NameRule{"AccessDenied", ErrorKind::auth,
             "check odoo.username and odoo.api_key (or password) and the database name"},
    NameRule{"SessionExpiredException", ErrorKind::auth, "the Odoo session expired; log in again"},
    NameRule{"Unauthorized", ErrorKind::auth,
             "check odoo.api_key: JSON-2 needs a valid API key of the integration user"},
    NameRule{"AccessError", ErrorKind::permanent,
             "grant the integration user the access rights named in the message"},
    NameRule{"ValidationError", ErrorKind::permanent, "fix the data sent to Odoo"},
    NameRule{"UserError", ErrorKind::permanent, "fix the record's state or data in Odoo"},
    NameRule{"RedirectWarning", ErrorKind::permanent, "complete the configuration Odoo asks for"},
    NameRule{"MissingError", ErrorKind::permanent,
             "the record was deleted in Odoo; re-read it or recreate it"},
    NameRule{"ValueError", ErrorKind::permanent,
             "a field or value does not exist in this Odoo version; check the mapping"},
    NameRule{"AttributeError", ErrorKind::permanent,
             "the method does not exist in this Odoo version or module set"},
    NameRule{"TypeError", ErrorKind::permanent, "the call's arguments do not match the method"},
    NameRule{"KeyError", ErrorKind::permanent,
             "a field or value does not exist; check the mapping"},
    NameRule{"NotFound", ErrorKind::permanent,
             "the model or method does not exist (module not installed?)"},
    NameRule{"UnprocessableEntity", ErrorKind::permanent,
             "the named arguments do not match the method's signature"},
    NameRule{"BadRequest", ErrorKind::permanent, "the request body was rejected"},
    NameRule{"SerializationFailure", ErrorKind::transient,
             "a concurrent update in Odoo; retried automatically"},
    NameRule{"TransactionRollbackError", ErrorKind::transient,
             "a concurrent update in Odoo; retried automatically"},
    NameRule{"LockNotAvailable", ErrorKind::transient, "a record is locked in Odoo; retried"},
    NameRule{"InterfaceError", ErrorKind::transient, "Odoo lost its database connection; retried"},
    NameRule{"PoolError", ErrorKind::transient, "Odoo's database pool is exhausted; retried"},
    NameRule{"ServiceUnavailable", ErrorKind::transient, "Odoo is unavailable; retried"},
    NameRule{"CacheMiss", ErrorKind::permanent, "a field could not be read; check the mapping"},
};

const NameRule* find_rule(std::string_view short_name) {
    for (const auto& r : kNameRules) {
        if (r.short_name == short_name) return &r;
    }
    return nullptr;
}

Error make(ErrorKind kind,
           std::string_view exception,
           std::string_view message,
           std::string_view advice,
           std::string_view context) {
    Error e;
    e.kind = kind;
    std::string msg;
    if (!exception.empty()) {
        msg += exception;
        msg += ": ";
    }
    std::string_view m = message;
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.remove_suffix(1);
    msg += m.empty() ? std::string_view("(no message)") : m;
    if (!advice.empty()) {
        msg += " (";
        msg += advice;
        msg += ')';
    }
    e.message = std::move(msg);
    e.context = error_context(context);
    return e;
}

/// Classifies by exception name and message; nullopt when the name is unknown.
std::optional<Error> by_name(std::string_view short_name,
                             std::string_view message,
                             std::string_view context) {
    if (short_name == "OperationalError") {
        // psycopg2.OperationalError: a missing database is configuration; anything else
        // (server down, too many connections) is the database being unavailable.
        if (contains(message, "does not exist")) {
            return make(ErrorKind::permanent, short_name, message,
                        "check odoo.database: that database does not exist on this server",
                        context);
        }
        if (contains(message, "could not serialize") || contains(message, "concurrent update")) {
            return make(ErrorKind::transient, short_name, message,
                        "a concurrent update in Odoo; retried automatically", context);
        }
        return make(ErrorKind::transient, short_name, message,
                    "Odoo's database is unavailable; retried", context);
    }
    if (short_name == "ValidationError" &&
        contains(message, "duplicate key value violates unique constraint")) {
        // Unique-index violations arrive wrapped as ValidationError (NOTES.md §8.10). A duplicate
        // external id means someone else created the record first: re-read, do not create.
        return make(ErrorKind::conflict, short_name, message,
                    "the record already exists; re-read it instead of creating it", context);
    }
    if (const auto* rule = find_rule(short_name)) {
        return make(rule->kind, short_name, message, rule->advice, context);
    }
    return std::nullopt;
}

}  // namespace

std::string error_context(std::string_view context) {
    std::string c = "odoo";
    if (!context.empty()) {
        c += ' ';
        c += context;
    }
    return c;
}

std::string short_exception_name(std::string_view dotted_name) {
    auto pos = dotted_name.rfind('.');
    return std::string(pos == std::string_view::npos ? dotted_name : dotted_name.substr(pos + 1));
}

Error classify_http_status(int status, std::string_view context) {
    std::string text = "HTTP " + std::to_string(status);
    Error e;
    if (status == 401) {
        e = make(ErrorKind::auth, "", text, "check odoo.api_key or the password", context);
    } else if (status == 403) {
        e = make(ErrorKind::permanent, "", text,
                 "the integration user lacks access rights, or a proxy refuses the request",
                 context);
    } else if (status == 429) {
        e = make(ErrorKind::rate_limited, "", text, "Odoo or its proxy throttles; retried later",
                 context);
    } else if (status == 408 || status == 502 || status == 503 || status == 504 || status >= 500) {
        e = make(ErrorKind::transient, "", text, "Odoo or its proxy is unavailable; retried",
                 context);
    } else if (status >= 300 && status < 400) {
        e = make(ErrorKind::permanent, "", text,
                 "Odoo redirected: check odoo.url (https, path) and odoo.protocol (JSON-2 needs "
                 "Odoo 19)",
                 context);
    } else {
        e = make(ErrorKind::permanent, "", text, "check odoo.url and odoo.protocol", context);
    }
    e.http_status = status;
    return e;
}

Error classify_exception(const OdooException& ex,
                         std::optional<int> http_status,
                         std::string_view context) {
    std::string short_name = short_exception_name(ex.name);
    std::optional<Error> e = by_name(short_name, ex.message, context);
    if (!e) {
        if (http_status && *http_status != 500 && *http_status != 200) {
            Error s = classify_http_status(*http_status, context);
            e = make(s.kind, short_name, ex.message, "", context);
        } else {
            // An unknown Python exception inside Odoo: a bug or a module problem; retrying the same
            // call gives the same answer.
            e = make(ErrorKind::permanent, short_name.empty() ? "Odoo error" : short_name,
                     ex.message, "an unexpected error inside Odoo; see the Odoo server log",
                     context);
        }
    }
    if (http_status) e->http_status = *http_status;
    return *e;
}

bool is_marshal_none_fault(const XmlRpcFault& fault) {
    return fault.code == Value(1) && contains(fault.string, "cannot marshal None");
}

Error classify_xmlrpc_fault(const XmlRpcFault& fault, std::string_view context) {
    // /xmlrpc/2 (NOTES.md §2): 3 AccessDenied, 4 AccessError, 2 UserError family, 1 anything else
    // with the traceback as faultString.
    if (auto code = fault.code.as_int()) {
        switch (*code) {
            case 3:
                return *by_name("AccessDenied", fault.string, context);
            case 4:
                return *by_name("AccessError", fault.string, context);
            case 2:
                return make(ErrorKind::permanent, "UserError", fault.string,
                            "Odoo refused the operation (XML-RPC does not tell ValidationError, "
                            "UserError and MissingError apart)",
                            context);
            default:
                break;
        }
        // Fault 1: the last line of the traceback is "module.Class: message".
        std::string_view s = fault.string;
        while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
        auto nl = s.rfind('\n');
        std::string_view last = nl == std::string_view::npos ? s : s.substr(nl + 1);
        // Shortened tracebacks (as captured) put " ... " before the exception: keep what follows.
        if (auto dots = last.rfind(" ... "); dots != std::string_view::npos) {
            last = last.substr(dots + 5);
        }
        auto colon = last.find(": ");
        std::string_view cls = colon == std::string_view::npos ? last : last.substr(0, colon);
        std::string_view msg = colon == std::string_view::npos ? last : last.substr(colon + 2);
        if (cls.find(' ') == std::string_view::npos && !cls.empty()) {
            if (auto e = by_name(short_exception_name(cls), msg, context)) return *e;
            return make(ErrorKind::permanent, short_exception_name(cls), msg,
                        "an unexpected error inside Odoo; see the Odoo server log", context);
        }
        return make(ErrorKind::permanent, "Odoo fault", last,
                    "an unexpected error inside Odoo; see the Odoo server log", context);
    }
    // Legacy /xmlrpc: faultCode is a string, "AccessDenied" or "warning -- <Class>\n\n<msg>".
    std::string code = fault.code.as_string().value_or("");
    if (code == "AccessDenied") return *by_name("AccessDenied", fault.string, context);
    constexpr std::string_view kWarning = "warning -- ";
    if (code.rfind(kWarning, 0) == 0) {
        std::string_view rest = std::string_view(code).substr(kWarning.size());
        auto sep = rest.find("\n\n");
        std::string_view cls = rest.substr(0, sep);
        std::string_view msg = sep == std::string_view::npos ? fault.string : rest.substr(sep + 2);
        if (cls == "Warning") cls = "RedirectWarning";
        if (auto e = by_name(cls, msg, context)) return *e;
        return make(ErrorKind::permanent, cls, msg, "", context);
    }
    return make(ErrorKind::permanent, "Odoo fault", code.empty() ? fault.string : code,
                "an unexpected error inside Odoo; see the Odoo server log", context);
}

Error classify_json2_response(int status, std::string_view body, std::string_view context) {
    auto parsed = from_json(body);
    if (parsed && parsed->is_struct() && parsed->has("name")) {
        OdooException ex;
        ex.name = (*parsed)["name"].as_string().value_or("");
        ex.message = (*parsed)["message"].as_string().value_or("");
        // JSON-2 statuses (NOTES.md §3): 401 key, 403 access, 404 missing, 422 user/validation,
        // 400 bad JSON, 500 ValueError and bugs. The name decides; the status refines unknowns.
        if (status == 401) {
            Error e = make(ErrorKind::auth, short_exception_name(ex.name), ex.message,
                           "check odoo.api_key: it must be a valid API key of the integration user",
                           context);
            e.http_status = status;
            return e;
        }
        if (status == 502 || status == 503 || status == 504 || status == 408 || status == 429) {
            Error e = classify_http_status(status, context);
            e.message = short_exception_name(ex.name) + ": " + ex.message + " (" + e.message + ")";
            return e;
        }
        return classify_exception(ex, status, context);
    }
    return classify_http_status(status, context);
}

}  // namespace clarity::odoo
