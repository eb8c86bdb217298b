// JSON encoding/decoding of Odoo values and the JSON-RPC envelope.
// Envelope shapes: ../shared/reference/odoo/NOTES.md §1 and captures-18|19/jsonrpc.json.
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <system_error>
#include <tuple>

#include "clarity/core/base64.hpp"
#include "clarity/core/json_text.hpp"
#include "clarity/odoo/codec.hpp"
#include "number_text.hpp"

namespace clarity::odoo {

namespace {

void write_string(std::string_view s, std::string& out) { core::append_json_string(out, s); }

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
                write_string(core::base64_encode(v.bytes), out);
            }
        },
        value.variant());
}

/// A strict RFC 8259 parser that builds the Value tree straight from the text (the hot path of
/// every search_read: one pass, no token buffer, no intermediate DOM). Strings without escapes
/// are copied in one piece; UTF-8 is validated like nlohmann does; duplicate keys: the last
/// wins. Nesting deeper than model::kMaxNestingDepth is rejected rather than overflowing the stack.
class Parser {
  public:
    explicit Parser(std::string_view text)
        : p_(text.data()), begin_(text.data()), end_(text.data() + text.size()) {}

    bool parse(Value& out) {
        skip_ws();
        if (!parse_value(out, 0)) return false;
        skip_ws();
        if (p_ != end_) return fail("unexpected content after the JSON value");
        return true;
    }

    std::string error;
    bool too_deep = false;  ///< the error is the nesting limit

  private:
    static constexpr int kMaxDepth = static_cast<int>(model::kMaxNestingDepth);

    const char* p_;
    const char* begin_;
    const char* end_;

    bool fail(std::string_view what) {
        error =
            "invalid JSON at byte " + std::to_string(p_ - begin_ + 1) + ": " + std::string(what);
        return false;
    }

    bool fail_too_deep() {
        too_deep = true;
        error = core::json_depth_message(static_cast<std::size_t>(p_ - begin_));
        return false;
    }

    void skip_ws() {
        // Compact JSON (every Odoo reply) has no whitespace: one test in the usual case.
        if (p_ != end_ && static_cast<unsigned char>(*p_) > ' ') return;
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    }

    bool literal(std::string_view word) {
        if (static_cast<std::size_t>(end_ - p_) < word.size() ||
            std::string_view(p_, word.size()) != word) {
            return fail("invalid literal");
        }
        p_ += word.size();
        return true;
    }

    bool parse_value(Value& out, int depth) {
        if (p_ == end_) return fail("unexpected end of input");
        switch (*p_) {
            case '{':
                return parse_object(out, depth + 1);
            case '[':
                return parse_array(out, depth + 1);
            case '"':
                return parse_string(out.emplace<std::string>());
            case 't':
                if (!literal("true")) return false;
                out.emplace<bool>(true);
                return true;
            case 'f':
                if (!literal("false")) return false;
                out.emplace<bool>(false);
                return true;
            case 'n':
                if (!literal("null")) return false;
                out.emplace<Nil>();
                return true;
            default:
                return parse_number(out);
        }
    }

    bool parse_object(Value& out, int depth) {
        if (depth > kMaxDepth) return fail_too_deep();
        ++p_;  // '{'
        Struct& obj = out.emplace<Struct>();
        skip_ws();
        if (p_ != end_ && *p_ == '}') {
            ++p_;
            return true;
        }
        std::string unescaped;
        for (;;) {
            skip_ws();
            if (p_ == end_ || *p_ != '"') return fail("expected a string key");
            std::string_view key;
            if (!parse_key(key, unescaped)) return false;
            skip_ws();
            if (p_ == end_ || *p_ != ':') return fail("expected ':'");
            ++p_;
            skip_ws();
            // The member is parsed in place in its map node. Replies list keys in a stable order
            // (sorted, or Odoo's field order): the end is the usual hint. A duplicate key: the
            // last one wins.
            std::size_t before = obj.size();
            auto it = obj.emplace_hint(obj.end(), std::piecewise_construct,
                                       std::forward_as_tuple(key), std::forward_as_tuple());
            if (obj.size() == before) it->second = Value{};
            if (!parse_value(it->second, depth)) return false;
            skip_ws();
            if (p_ == end_) return fail("unexpected end of input in an object");
            if (*p_ == ',') {
                ++p_;
                continue;
            }
            if (*p_ == '}') {
                ++p_;
                return true;
            }
            return fail("expected ',' or '}'");
        }
    }

    bool parse_array(Value& out, int depth) {
        if (depth > kMaxDepth) return fail_too_deep();
        ++p_;  // '['
        Array& arr = out.emplace<Array>();
        skip_ws();
        if (p_ != end_ && *p_ == ']') {
            ++p_;
            return true;
        }
        for (;;) {
            skip_ws();
            if (!parse_value(arr.emplace_back(), depth)) return false;
            skip_ws();
            if (p_ == end_) return fail("unexpected end of input in an array");
            if (*p_ == ',') {
                ++p_;
                continue;
            }
            if (*p_ == ']') {
                ++p_;
                return true;
            }
            return fail("expected ',' or ']'");
        }
    }

    static int hex_digit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    bool hex4(std::uint32_t& cp) {
        if (end_ - p_ < 4) return fail("truncated \\u escape");
        cp = 0;
        for (int i = 0; i < 4; ++i) {
            int d = hex_digit(p_[i]);
            if (d < 0) return fail("invalid \\u escape");
            cp = (cp << 4) | static_cast<std::uint32_t>(d);
        }
        p_ += 4;
        return true;
    }

    static void append_utf8(std::uint32_t cp, std::string& out) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    /// Length of the valid UTF-8 sequence starting at p (lead byte >= 0x80), 0 if invalid.
    std::size_t utf8_sequence(const char* p) const {
        auto at = [p](std::size_t i) { return static_cast<unsigned char>(p[i]); };
        auto cont = [&](std::size_t i) { return (at(i) & 0xC0) == 0x80; };
        std::size_t left = static_cast<std::size_t>(end_ - p);
        unsigned char c = at(0);
        if (c >= 0xC2 && c <= 0xDF) return left >= 2 && cont(1) ? 2 : 0;
        if (c >= 0xE0 && c <= 0xEF) {
            if (left < 3 || !cont(1) || !cont(2)) return 0;
            if (c == 0xE0 && at(1) < 0xA0) return 0;  // overlong
            if (c == 0xED && at(1) > 0x9F) return 0;  // surrogates
            return 3;
        }
        if (c >= 0xF0 && c <= 0xF4) {
            if (left < 4 || !cont(1) || !cont(2) || !cont(3)) return 0;
            if (c == 0xF0 && at(1) < 0x90) return 0;  // overlong
            if (c == 0xF4 && at(1) > 0x8F) return 0;  // above U+10FFFF
            return 4;
        }
        return 0;
    }

    /// Moves p_ past the plain run of a string: up to the next quote, backslash, control or
    /// non-ASCII byte (eight bytes at a time; strings are most of a reply).
    void skip_plain() {
        constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
        constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
        while (end_ - p_ >= 8) {
            std::uint64_t w = 0;
            std::memcpy(&w, p_, 8);
            std::uint64_t quote = w ^ (kOnes * '"');
            std::uint64_t slash = w ^ (kOnes * '\\');
            // A byte is special when it is 0 in quote/slash, below 0x20, or has its top bit set.
            std::uint64_t special =
                ((quote - kOnes) & ~quote) | ((slash - kOnes) & ~slash) | (w - kOnes * 0x20) | w;
            special &= kHigh;
            if (special != 0) {
                // The lowest flagged byte is exact (borrows only reach bytes above it).
                static_assert(std::endian::native == std::endian::little);
                p_ += std::countr_zero(special) / 8;
                return;
            }
            p_ += 8;
        }
        while (p_ != end_) {
            auto c = static_cast<unsigned char>(*p_);
            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
            ++p_;
        }
    }

    /// A key: a view into the text when it has no escape (the usual case), else unescaped into
    /// `scratch`.
    bool parse_key(std::string_view& key, std::string& scratch) {
        const char* start = p_ + 1;
        p_ = start;
        skip_plain();
        if (p_ != end_ && *p_ == '"') {
            key = std::string_view(start, static_cast<std::size_t>(p_ - start));
            ++p_;
            return true;
        }
        scratch.assign(start, p_);
        if (!parse_string_rest(scratch)) return false;
        key = scratch;
        return true;
    }

    /// The string at p_ ('"') into `out`; moves past its closing quote.
    bool parse_string(std::string& out) {
        const char* start = p_ + 1;
        p_ = start;
        skip_plain();
        if (p_ != end_ && *p_ == '"') {
            out.assign(start, p_);
            ++p_;
            return true;
        }
        out.assign(start, p_);
        return parse_string_rest(out);
    }

    /// The rest of a string after its plain run (p_ at a special byte), appended to `out`.
    bool parse_string_rest(std::string& out) {
        for (;;) {
            const char* run = p_;
            skip_plain();
            out.append(run, p_);
            if (p_ == end_) return fail("unterminated string");
            auto c = static_cast<unsigned char>(*p_);
            if (c == '"') {
                ++p_;
                return true;
            }
            if (c < 0x20) return fail("control character in a string (must be escaped)");
            if (c >= 0x80) {
                std::size_t n = utf8_sequence(p_);
                if (n == 0) return fail("invalid UTF-8 in a string");
                out.append(p_, n);
                p_ += n;
                continue;
            }
            // Backslash escape.
            ++p_;
            if (p_ == end_) return fail("unterminated string");
            switch (*p_++) {
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '/':
                    out += '/';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    std::uint32_t cp = 0;
                    if (!hex4(cp)) return false;
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        std::uint32_t low = 0;
                        if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') {
                            return fail("unpaired surrogate in a \\u escape");
                        }
                        p_ += 2;
                        if (!hex4(low)) return false;
                        if (low < 0xDC00 || low > 0xDFFF) {
                            return fail("unpaired surrogate in a \\u escape");
                        }
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        return fail("unpaired surrogate in a \\u escape");
                    }
                    append_utf8(cp, out);
                    break;
                }
                default:
                    --p_;
                    return fail("invalid escape in a string");
            }
        }
    }

    static bool digit(char c) { return c >= '0' && c <= '9'; }

    bool parse_number(Value& out) {
        const char* start = p_;
        const char* q = p_;
        if (q != end_ && *q == '-') ++q;
        if (q == end_ || !digit(*q)) return fail("invalid value");
        if (*q == '0') {
            ++q;
        } else {
            while (q != end_ && digit(*q)) ++q;
        }
        bool is_float = false;
        if (q != end_ && *q == '.') {
            is_float = true;
            ++q;
            if (q == end_ || !digit(*q)) {
                p_ = q;
                return fail("invalid number (digit expected after '.')");
            }
            while (q != end_ && digit(*q)) ++q;
        }
        if (q != end_ && (*q == 'e' || *q == 'E')) {
            is_float = true;
            ++q;
            if (q != end_ && (*q == '+' || *q == '-')) ++q;
            if (q == end_ || !digit(*q)) {
                p_ = q;
                return fail("invalid number (digit expected in the exponent)");
            }
            while (q != end_ && digit(*q)) ++q;
        }
        p_ = q;
        if (double d = 0;
            is_float && detail::exact_short_decimal(std::string_view(start, q - start), d)) {
            out.emplace<double>(d);
            return true;
        }
        if (!is_float) {
            std::int64_t i = 0;
            auto r = std::from_chars(start, q, i);
            if (r.ec == std::errc{} && r.ptr == q) {
                out.emplace<std::int64_t>(i);
                return true;
            }
            // Out of int64 range: keep the magnitude as a double.
        }
        double d = 0;
        auto r = std::from_chars(start, q, d);
        if (r.ptr != q || (r.ec != std::errc{} && r.ec != std::errc::result_out_of_range)) {
            p_ = start;
            return fail("invalid number");
        }
        if (r.ec == std::errc::result_out_of_range) {
            p_ = start;
            return fail("number out of range");
        }
        out.emplace<double>(d);
        return true;
    }
};

}  // namespace

std::string to_json(const Value& value) {
    std::string out;
    out.reserve(64);
    write_value(value, out);
    return out;
}

namespace {
// Text that starts as JSON (or nothing at all) but does not parse was cut short or damaged on the
// way. Text that is not JSON at all (an HTML page) does not get better by asking again.
bool starts_as_json(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    return first == std::string_view::npos || text[first] == '{' || text[first] == '[';
}

}  // namespace

Result<Value> from_json(std::string_view text) {
    Parser parser(text);
    Value out;
    if (!parser.parse(out)) {
        // Nesting beyond the limit is refused for good, whatever the text looks like.
        return make_error(
            starts_as_json(text) && !parser.too_deep ? ErrorKind::transient : ErrorKind::permanent,
            std::move(parser.error));
    }
    return out;
}

/// from_json for a reply: the message tells a document too deep from one that is not JSON.
Result<Value> reply_from_json(std::string_view text) {
    Parser parser(text);
    Value out;
    if (parser.parse(out)) return out;
    if (parser.too_deep) {
        return make_error(ErrorKind::permanent, "Odoo reply refused: " + parser.error);
    }
    if (starts_as_json(text)) {
        return make_error(ErrorKind::transient, "Odoo's reply is not complete JSON (" +
                                                    std::to_string(text.size()) + " bytes, " +
                                                    parser.error +
                                                    "): cut short or damaged on the way; retried");
    }
    return make_error(ErrorKind::permanent, "Odoo sent a reply that is not JSON (" + parser.error +
                                                "); is the URL an Odoo server?");
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
    auto parsed = reply_from_json(body);
    if (!parsed) return parsed.error();
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
