#pragma once
/// \file
/// JSON text ⇄ model::Value. Numbers keep their exact text: integers become Value integers,
/// fractions become exact Decimals (never double), so "19.99" stays 19.99.

#include <string>
#include <string_view>

#include "clarity/core/result.hpp"
#include "clarity/model/value.hpp"

namespace clarity::mapping {

/// Parses JSON text. Errors are ErrorKind::permanent with the byte offset and the reason.
/// Numbers with an exponent or more than 12 fraction digits are kept as their text (a string).
Result<model::Value> parse_json(std::string_view text);

/// Serializes a Value as JSON. indent < 0: compact; otherwise pretty with that many spaces.
std::string to_json(const model::Value& value, int indent = -1);

}  // namespace clarity::mapping
