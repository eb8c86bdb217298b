#pragma once
/// \file
/// The one JSON string writer (RFC 8259 §7) for every place that writes JSON text by hand: the Odoo
/// JSON-RPC encoder, the mapping layer's JSON output and the structured log lines.

#include <string>
#include <string_view>

namespace clarity::core {

/// Appends `s` to `out` as a quoted JSON string. Quote, backslash and control characters (and DEL)
/// are escaped; well-formed UTF-8 is copied as is. A byte that does not start a well-formed UTF-8
/// sequence (a stray continuation byte, an overlong form, a surrogate, a truncated sequence) is
/// written as `\u00XX`, so the result is always valid JSON whatever the input held.
void append_json_string(std::string& out, std::string_view s);

}  // namespace clarity::core
