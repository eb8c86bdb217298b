#include "clarity/mapping/json.hpp"

#include <nlohmann/json.hpp>
#include <vector>

#include "clarity/core/json_text.hpp"

namespace clarity::mapping {

using model::Decimal;
using model::Value;

namespace {

// Builds the Value tree directly from nlohmann's SAX events: no intermediate nlohmann::json,
// and the float callback hands us the number's original text, so decimals stay exact.
class ValueBuilder {
  public:
    using number_integer_t = nlohmann::json::number_integer_t;
    using number_unsigned_t = nlohmann::json::number_unsigned_t;
    using number_float_t = nlohmann::json::number_float_t;
    using string_t = nlohmann::json::string_t;
    using binary_t = nlohmann::json::binary_t;

    Value root;
    std::string error;
    bool too_deep = false;  ///< stopped at model::kMaxNestingDepth

    bool null() { return put(Value()); }
    bool boolean(bool b) { return put(Value(b)); }
    bool number_integer(number_integer_t v) { return put(Value(static_cast<std::int64_t>(v))); }
    bool number_unsigned(number_unsigned_t v) {
        if (v <= static_cast<number_unsigned_t>(INT64_MAX)) {
            return put(Value(static_cast<std::int64_t>(v)));
        }
        return put(Value(std::to_string(v)));
    }
    bool number_float(number_float_t, const string_t& text) {
        if (auto d = Decimal::parse(text)) return put(Value(*d));
        return put(Value(text));
    }
    bool string(string_t& s) { return put(Value(std::move(s))); }
    bool binary(binary_t&) { return put(Value()); }
    bool start_object(std::size_t) { return open(Value::object()); }
    bool key(string_t& k) {
        key_ = std::move(k);
        return true;
    }
    bool end_object() {
        stack_.pop_back();
        return true;
    }
    bool start_array(std::size_t) { return open(Value::array()); }
    bool end_array() {
        stack_.pop_back();
        return true;
    }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::json::exception& e) {
        error = "invalid JSON at byte " + std::to_string(position) + ": " + e.what();
        return false;
    }

  private:
    std::vector<Value*> stack_;
    std::string key_;
    bool started_ = false;

    Value* place(Value v) {
        if (stack_.empty()) {
            root = std::move(v);
            started_ = true;
            return &root;
        }
        Value* parent = stack_.back();
        if (parent->is_array()) return &parent->push_back(std::move(v));
        return &parent->set(std::move(key_), std::move(v));
    }
    bool put(Value v) {
        place(std::move(v));
        return true;
    }
    bool open(Value v) {
        // Refused before the tree grows: nlohmann's SAX parser stops at the first `false`.
        if (stack_.size() >= model::kMaxNestingDepth) {
            too_deep = true;
            return false;
        }
        stack_.push_back(place(std::move(v)));
        return true;
    }
};

void newline(std::string& out, int indent, int depth) {
    if (indent < 0) return;
    out += '\n';
    out.append(static_cast<std::size_t>(indent * depth), ' ');
}

void write(std::string& out, const Value& v, int indent, int depth) {
    switch (v.kind()) {
        case Value::Kind::null:
            out += "null";
            return;
        case Value::Kind::boolean:
            out += v.as_bool() ? "true" : "false";
            return;
        case Value::Kind::integer:
            out += std::to_string(v.as_int());
            return;
        case Value::Kind::decimal:
            out += v.as_decimal().to_string();
            return;
        case Value::Kind::string:
            core::append_json_string(out, v.as_string());
            return;
        case Value::Kind::array:
        case Value::Kind::object: {
            const bool obj = v.is_object();
            out += obj ? '{' : '[';
            if (v.items().empty()) {
                out += obj ? '}' : ']';
                return;
            }
            for (std::size_t i = 0; i < v.items().size(); ++i) {
                if (i) out += ',';
                newline(out, indent, depth + 1);
                if (obj) {
                    core::append_json_string(out, v.keys()[i]);
                    out += indent < 0 ? ":" : ": ";
                }
                write(out, v.items()[i], indent, depth + 1);
            }
            newline(out, indent, depth);
            out += obj ? '}' : ']';
            return;
        }
    }
}

}  // namespace

Result<Value> parse_json(std::string_view text) {
    ValueBuilder builder;
    bool ok = false;
    try {
        ok = nlohmann::json::sax_parse(text, &builder);
    } catch (const std::exception& e) {
        builder.error = std::string("invalid JSON: ") + e.what();
    }
    if (builder.too_deep) {
        builder.error = core::json_depth_message(core::json_too_deep_at(text).value_or(0));
    }
    if (!ok) {
        return make_error(ErrorKind::permanent,
                          builder.error.empty() ? "invalid JSON" : builder.error, "json");
    }
    return std::move(builder.root);
}

std::string to_json(const Value& value, int indent) {
    std::string out;
    write(out, value, indent, 0);
    return out;
}

}  // namespace clarity::mapping
