#pragma once
/// \file
/// Classification of Odoo failures into `ErrorKind`, once, at the connector boundary
/// (../shared/reference/odoo/NOTES.md §1–3). JSON-RPC: from `error.data.name`, never from
/// `error.code` (200 up to 18, 0 in 19). XML-RPC: from the fault code and, for fault 1, the last
/// line of the traceback. JSON-2: from the HTTP status and the exception name in the body.
///
/// | Odoo says | kind |
/// |---|---|
/// | AccessDenied, 401, SessionExpired, fault 3 | auth |
/// | AccessError, 403, fault 4 | permanent (grant the user the rights) |
/// | ValidationError, UserError, MissingError, ValueError, AttributeError, TypeError, 400/404/422,
/// fault 2 | permanent, Odoo's message kept | | serialization failure / concurrent update, database
/// unavailable, 502/503/504, 408 | transient | | 429 | rate_limited |

#include <optional>
#include <string>
#include <string_view>

#include "clarity/core/error.hpp"
#include "clarity/odoo/codec.hpp"

namespace clarity::odoo {

/// The Odoo exception behind an error, kept for callers that must tell cases apart within a kind
/// (e.g. a duplicate external id is a ValidationError). Short class name ("ValidationError").
std::string short_exception_name(std::string_view dotted_name);

/// From a JSON-RPC `error.data` or a JSON-2 error body. `http_status` is the JSON-2 status
/// (JSON-RPC errors always arrive with 200: pass nullopt). `context` is "model.method" (no
/// secrets).
Error classify_exception(const OdooException& ex,
                         std::optional<int> http_status,
                         std::string_view context);

/// From an XML-RPC fault (`/xmlrpc/2` int codes, or legacy `/xmlrpc` string codes).
Error classify_xmlrpc_fault(const XmlRpcFault& fault, std::string_view context);

/// True when an XML-RPC fault only says the method returned None ("cannot marshal None unless
/// allow_none is enabled"): the work was committed, so the call succeeded.
bool is_marshal_none_fault(const XmlRpcFault& fault);

/// From a JSON-2 response with a non-2xx status: the body is the bare `serialize_exception` dict;
/// anything else (proxy HTML page) is classified by status alone.
Error classify_json2_response(int status, std::string_view body, std::string_view context);

/// A non-200 HTTP status on JSON-RPC/XML-RPC (these always answer 200): a proxy or load balancer.
Error classify_http_status(int status, std::string_view context);

/// The `Error::context` prefix used for every Odoo error, "odoo <context>".
std::string error_context(std::string_view context);

}  // namespace clarity::odoo
