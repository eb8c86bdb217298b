#pragma once
/// \file
/// The one JSON string writer (RFC 8259 §7) for every place that writes JSON text by hand: the Odoo
/// JSON-RPC encoder, the mapping layer's JSON output and the structured log lines.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "clarity/model/value.hpp"

namespace clarity::core {

/// Appends `s` to `out` as a quoted JSON string. Quote, backslash and control characters (and DEL)
/// are escaped; well-formed UTF-8 is copied as is. A byte that does not start a well-formed UTF-8
/// sequence (a stray continuation byte, an overlong form, a surrogate, a truncated sequence) is
/// written as `\u00XX`, so the result is always valid JSON whatever the input held.
void append_json_string(std::string& out, std::string_view s);

/// The byte offset (from 0) of the first `[` or `{` in JSON `text` that opens a level deeper than
/// `max_depth`, or nullopt. A linear scan that skips strings, allocates nothing and does not
/// validate anything else: callers run it before handing outside text to a parser that builds a
/// tree, so a hostile document is refused before it costs memory or stack.
std::optional<std::size_t> json_too_deep_at(std::string_view text,
                                            std::size_t max_depth = model::kMaxNestingDepth);

/// The message for JSON refused by json_too_deep_at: "JSON nested deeper than 512 levels (at
/// byte N)". `offset` is 0-based; the message counts bytes from 1, like the parsers' messages.
std::string json_depth_message(std::size_t offset, std::size_t max_depth = model::kMaxNestingDepth);

}  // namespace clarity::core
