#pragma once
// Private helpers for the SP-API codecs (nlohmann stays in src/amazon). Decoders are lenient:
// unknown fields are ignored (the models grow), absent optional fields stay empty, and a field of
// the wrong type is treated as absent rather than thrown, except where a required field is
// missing (the caller reports that as a permanent error naming the field).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/core/json_text.hpp"
#include "clarity/core/result.hpp"
#include "clarity/model/money.hpp"

namespace clarity::amazon::detail {

using json = nlohmann::json;

/// nlohmann's parse (no exceptions) of outside text, refusing nesting deeper than
/// model::kMaxNestingDepth before anything is built: such text comes back discarded, like
/// malformed text. parse_body names the limit in its error.
inline json parse_json(std::string_view text) {
    if (core::json_too_deep_at(text)) return json(json::value_t::discarded);
    return json::parse(text, nullptr, false);
}

inline const json* member(const json& j, std::string_view key) {
    if (!j.is_object()) return nullptr;
    auto it = j.find(key);
    return it == j.end() || it->is_null() ? nullptr : &*it;
}

inline std::string str(const json& j, std::string_view key) {
    auto* m = member(j, key);
    if (m == nullptr) return {};
    if (m->is_string()) return m->get<std::string>();
    if (m->is_number() || m->is_boolean()) return m->dump();
    return {};
}

inline std::optional<std::string> opt_str(const json& j, std::string_view key) {
    auto* m = member(j, key);
    if (m == nullptr) return std::nullopt;
    return str(j, key);
}

/// A JSON number that is not an integer (nlohmann keeps 1.5, and integers beyond 64 bits, as
/// double) as an int64, truncated; nullopt when it does not fit (casting it would be undefined).
inline std::optional<std::int64_t> whole_number(double d) {
    if (!(d > -9.2e18 && d < 9.2e18)) return std::nullopt;  // NaN, infinities, out of range
    return static_cast<std::int64_t>(d);
}

inline std::int64_t integer(const json& j, std::string_view key, std::int64_t fallback = 0) {
    auto* m = member(j, key);
    if (m == nullptr) return fallback;
    if (m->is_number_integer()) return m->get<std::int64_t>();
    if (m->is_number()) return whole_number(m->get<double>()).value_or(fallback);
    if (m->is_string()) {
        try {
            return std::stoll(m->get<std::string>());
        } catch (const std::exception&) {
            return fallback;
        }
    }
    return fallback;
}

inline std::optional<std::int64_t> opt_int(const json& j, std::string_view key) {
    if (member(j, key) == nullptr) return std::nullopt;
    return integer(j, key);
}

/// Booleans; v0 sends some as the strings "true"/"false" (IsGift, IsBuyerRequestedCancel).
inline bool boolean(const json& j, std::string_view key) {
    auto* m = member(j, key);
    if (m == nullptr) return false;
    if (m->is_boolean()) return m->get<bool>();
    if (m->is_string()) return m->get<std::string>() == "true";
    return false;
}

inline std::vector<std::string> strings(const json& j, std::string_view key) {
    std::vector<std::string> out;
    auto* m = member(j, key);
    if (m == nullptr || !m->is_array()) return out;
    for (const auto& v : *m) {
        if (v.is_string()) out.push_back(v.get<std::string>());
    }
    return out;
}

inline const json& array_or_empty(const json& j, std::string_view key) {
    static const json kEmpty = json::array();
    auto* m = member(j, key);
    return m != nullptr && m->is_array() ? *m : kEmpty;
}

/// Exact decimal from a JSON string ("11.01") or number (v0 Finances CurrencyAmount: the shortest
/// round-trip text of the double nlohmann parsed, which is the text Amazon sent for amounts up to
/// 15 significant digits).
inline std::optional<model::Decimal> decimal_of(const json& v) {
    if (v.is_string()) return model::Decimal::parse(v.get<std::string>());
    if (v.is_number()) return model::Decimal::parse(v.dump());
    return std::nullopt;
}

/// Money with the given field names; nullopt when absent or unparsable.
inline std::optional<model::Money> money(const json& j,
                                         std::string_view key,
                                         std::string_view amount_key,
                                         std::string_view currency_key) {
    auto* m = member(j, key);
    if (m == nullptr || !m->is_object()) return std::nullopt;
    auto* a = member(*m, amount_key);
    if (a == nullptr) return std::nullopt;
    auto d = decimal_of(*a);
    if (!d) return std::nullopt;
    return model::Money{*d, str(*m, currency_key)};
}

/// A parsed body (a wrapper: Result<json> would be ambiguous, json converts from anything).
struct JsonDoc {
    json v;
};

/// Parses a response body that Amazon answered with a 2xx status. A body that is not complete,
/// well-formed JSON was cut short or damaged on the way (a proxy, a reset, a length that does not
/// match): transient, so the call or its job is retried; Amazon's own refusals come with 4xx.
inline Result<JsonDoc> parse_body(std::string_view body, std::string_view what) {
    // Complete and well-formed but deeper than any SP-API model: asking again gets the same.
    if (auto at = core::json_too_deep_at(body)) {
        return make_error(
            ErrorKind::permanent,
            "the " + std::string(what) + " response is refused: " + core::json_depth_message(*at),
            std::string(what));
    }
    auto j = json::parse(body, nullptr, false);
    if (j.is_discarded()) {
        return make_error(ErrorKind::transient,
                          "the " + std::string(what) + " response is not complete JSON (" +
                              std::to_string(body.size()) +
                              " bytes, cut short or damaged on the way); retried",
                          std::string(what));
    }
    return JsonDoc{std::move(j)};
}

inline Error missing_field(std::string_view what, std::string_view field) {
    return make_error(
        ErrorKind::permanent,
        std::string(what) + " response lacks the required field '" + std::string(field) + "'",
        std::string(what));
}

}  // namespace clarity::amazon::detail
