// JSON encoding/decoding of Odoo values and the JSON-RPC envelope.
// Envelope shapes: ../shared/reference/odoo/NOTES.md §1 and captures-18|19/jsonrpc.json.
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "clarity/odoo/codec.hpp"

namespace clarity::odoo {

namespace {

void write_string(std::string_view s, std::string& out) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += kHex[c >> 4];
                    out += kHex[c & 0xF];
                } else {
                    out += ch;
                }
        }
    }
    out += '"';
}

void write_double(double d, std::string& out) {
    if (!std::isfinite(d)) {
        out += "null";
        return;
    }
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, d);
    std::string_view s(buf, static_cast<std::size_t>(r.ptr - buf));
    out += s;
    if (s.find_first_of(".eE") == std::string_view::npos) out += ".0";
}

void write_value(const Value& value, std::string& out) {
    std::visit(
        [&out](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, Nil>) {
                out += "null";
            } else if constexpr (std::is_same_v<T, bool>) {
                out += v ? "true" : "false";
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                char buf[24];
                auto r = std::to_chars(buf, buf + sizeof buf, v);
                out.append(buf, r.ptr);
            } else if constexpr (std::is_same_v<T, double>) {
                write_double(v, out);
            } else if constexpr (std::is_same_v<T, std::string>) {
                write_string(v, out);
            } else if constexpr (std::is_same_v<T, Array>) {
                out += '[';
                for (std::size_t i = 0; i < v.size(); ++i) {
                    if (i != 0) out += ',';
                    write_value(v[i], out);
                }
                out += ']';
            } else if constexpr (std::is_same_v<T, Struct>) {
                out += '{';
                bool first = true;
                for (const auto& [k, item] : v) {
                    if (!first) out += ',';
                    first = false;
                    write_string(k, out);
                    out += ':';
                    write_value(item, out);
                }
                out += '}';
            } else if constexpr (std::is_same_v<T, DateTime>) {
                write_string(v.iso8601, out);
            } else {
                write_string(base64_encode(v.bytes), out);
            }
        },
        value.variant());
}

/// Builds a Value straight from nlohmann's SAX events (no intermediate DOM: this is the hot path
/// of every search_read).
class ValueBuilder {
  public:
    using number_integer_t = nlohmann::json::number_integer_t;
    using number_unsigned_t = nlohmann::json::number_unsigned_t;
    using number_float_t = nlohmann::json::number_float_t;
    using string_t = nlohmann::json::string_t;
    using binary_t = nlohmann::json::binary_t;

    bool null() { return put(Value{}); }
    bool boolean(bool b) { return put(Value(b)); }
    bool number_integer(number_integer_t i) { return put(Value(static_cast<std::int64_t>(i))); }
    bool number_unsigned(number_unsigned_t u) { return put(Value(static_cast<std::int64_t>(u))); }
    bool number_float(number_float_t d, const string_t&) { return put(Value(d)); }
    bool string(string_t& s) { return put(Value(std::move(s))); }
    bool binary(binary_t&) { return put(Value{}); }
    bool start_object(std::size_t) {
        stack_.push_back(Frame{Value(Struct{}), {}});
        return true;
    }
    bool key(string_t& k) {
        stack_.back().key = std::move(k);
        return true;
    }
    bool end_object() { return pop(); }
    bool start_array(std::size_t n) {
        Array a;
        if (n != static_cast<std::size_t>(-1)) a.reserve(n);
        stack_.push_back(Frame{Value(std::move(a)), {}});
        return true;
    }
    bool end_array() { return pop(); }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::json::exception& e) {
        error_ = "invalid JSON at byte " + std::to_string(position) + ": " + e.what();
        return false;
    }

    Value result;
    std::string error_;

  private:
    struct Frame {
        Value value;
        std::string key;
    };
    std::vector<Frame> stack_;

    bool put(Value v) {
        if (stack_.empty()) {
            result = std::move(v);
            return true;
        }
        auto& top = stack_.back();
        if (auto* a = top.value.as_array()) {
            a->push_back(std::move(v));
        } else {
            top.value.as_struct()->insert_or_assign(std::move(top.key), std::move(v));
        }
        return true;
    }
    bool pop() {
        Value v = std::move(stack_.back().value);
        stack_.pop_back();
        return put(std::move(v));
    }
};

}  // namespace

std::string to_json(const Value& value) {
    std::string out;
    out.reserve(64);
    write_value(value, out);
    return out;
}

Result<Value> from_json(std::string_view text) {
    ValueBuilder builder;
    bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &builder,
                                        nlohmann::json::input_format_t::json, true);
    if (!ok) {
        return make_error(ErrorKind::permanent,
                          builder.error_.empty() ? "invalid JSON" : builder.error_);
    }
    return std::move(builder.result);
}

std::string encode_jsonrpc_call(std::string_view service,
                                std::string_view method,
                                const Array& args,
                                std::int64_t id) {
    std::string out;
    out.reserve(128);
    out += R"({"jsonrpc":"2.0","method":"call","params":{"service":)";
    write_string(service, out);
    out += R"(,"method":)";
    write_string(method, out);
    out += R"(,"args":)";
    write_value(Value(args), out);  // copies; args are small next to replies
    out += R"(},"id":)";
    out += std::to_string(id);
    out += '}';
    return out;
}

Result<JsonRpcReply> decode_jsonrpc_reply(std::string_view body) {
    auto parsed = from_json(body);
    if (!parsed) {
        return make_error(ErrorKind::permanent, "Odoo sent a reply that is not JSON (" +
                                                    parsed.error().message +
                                                    "); is the URL an Odoo server?");
    }
    Value& v = *parsed;
    auto* obj = v.as_struct();
    if (obj == nullptr) {
        return make_error(ErrorKind::permanent, "Odoo JSON-RPC reply is not an object");
    }
    if (obj->find("jsonrpc") == obj->end()) {
        return make_error(ErrorKind::permanent,
                          "reply is JSON but not JSON-RPC (no \"jsonrpc\" key); is the URL an "
                          "Odoo server?");
    }
    JsonRpcReply reply;
    if (auto it = obj->find("error"); it != obj->end()) {
        const Value& err = it->second;
        OdooException ex;
        ex.code = err["code"].as_int();
        const Value& data = err["data"];
        ex.name = data["name"].as_string().value_or("");
        ex.message = data["message"].as_string().value_or("");
        if (ex.message.empty()) ex.message = err["message"].as_string().value_or("Odoo error");
        reply.exception = std::move(ex);
        return reply;
    }
    if (auto it = obj->find("result"); it != obj->end()) {
        reply.result = std::move(it->second);
    }
    // No "result" key: the method returned None (odoo/http.py JsonRPCDispatcher._response).
    return reply;
}

}  // namespace clarity::odoo
