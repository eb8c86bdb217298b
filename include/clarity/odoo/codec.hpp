#pragma once
/// \file
/// Wire codecs for Odoo's three envelopes, on plain `Value` trees (nlohmann and pugixml stay in
/// the .cpp files). Decoders never throw on bad input: they return a permanent Error.
/// Facts from ../shared/reference/odoo/NOTES.md §1–3.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "clarity/core/result.hpp"
#include "clarity/odoo/value.hpp"

namespace clarity::odoo {

// ---- JSON (JSON-RPC and JSON-2) ---------------------------------------------------------------

/// Compact JSON text of a value. DateTime encodes as its text, Binary as base64 text.
std::string to_json(const Value& value);
/// Parses JSON text. Integers stay ints, numbers with a fraction or exponent become doubles.
/// Errors: transient for text that starts as JSON (or is empty) but does not parse (a reply cut
/// short); permanent for text that is not JSON at all and for nesting beyond the limit.
Result<Value> from_json(std::string_view text);
/// from_json for a reply body that Odoo answered with 200, with the message saying what to do:
/// cut short (transient), nested too deep (permanent), or not JSON at all (permanent: is the URL
/// an Odoo server?).
Result<Value> reply_from_json(std::string_view text);

/// `{"jsonrpc":"2.0","method":"call","params":{"service":S,"method":M,"args":A},"id":N}`.
std::string encode_jsonrpc_call(std::string_view service,
                                std::string_view method,
                                const Array& args,
                                std::int64_t id);

/// The `error.data` part of a JSON-RPC error or the bare body of a JSON-2 error
/// (`serialize_exception`): the exception class and Odoo's message.
struct OdooException {
    std::string name;     ///< e.g. "odoo.exceptions.ValidationError"
    std::string message;  ///< Odoo's own message, kept verbatim
    std::optional<std::int64_t>
        code;  ///< JSON-RPC error.code (200 ≤18, 0 in 19); never branch on it
};

/// A decoded JSON-RPC reply: exactly one of result / exception. A reply without `result` and
/// without `error` is a method that returned None: `result` is Nil (success).
struct JsonRpcReply {
    Value result;
    std::optional<OdooException> exception;
};
Result<JsonRpcReply> decode_jsonrpc_reply(std::string_view body);

// ---- XML-RPC ----------------------------------------------------------------------------------

/// `<?xml version="1.0"?><methodCall><methodName>M</methodName><params>…</params></methodCall>`.
std::string encode_xmlrpc_call(std::string_view method, const Array& params);
/// A `<methodResponse>` with one param.
std::string encode_xmlrpc_response(const Value& result);
/// A `<methodResponse><fault>` with faultCode (int on /xmlrpc/2, a string on legacy /xmlrpc).
std::string encode_xmlrpc_fault(const Value& fault_code, std::string_view fault_string);

struct XmlRpcFault {
    Value code;  ///< int (3 AccessDenied, 4 AccessError, 2 UserError family, 1 other) or string
    std::string string;
};
struct XmlRpcReply {
    Value result;
    std::optional<XmlRpcFault> fault;
};
Result<XmlRpcReply> decode_xmlrpc_response(std::string_view body);
/// The same, parsing in `body`'s own buffer (no copy of the reply): `body` is left overwritten.
Result<XmlRpcReply> decode_xmlrpc_response_in_place(std::string& body);

/// A decoded `<methodCall>` (used by the fake server).
struct XmlRpcCall {
    std::string method;
    Array params;
};
Result<XmlRpcCall> decode_xmlrpc_call(std::string_view body);

}  // namespace clarity::odoo
