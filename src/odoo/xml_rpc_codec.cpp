// XML-RPC marshalling (http://xmlrpc.com/spec.md) with pugixml, both directions: int/i4/i8,
// boolean, string (also untyped <value>text</value>), double, dateTime.iso8601, base64, struct,
// array, nil, and faults. Odoo specifics: ../shared/reference/odoo/NOTES.md §2.
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <pugixml.hpp>
#include <tuple>

#include "clarity/odoo/codec.hpp"

namespace clarity::odoo {

namespace {

void write_text(std::string_view s, std::string& out) {
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '\r':
                out += "&#13;";
                break;
            default:
                // XML 1.0 forbids control characters other than tab, LF, CR; Odoo strips them
                // too (NOTES.md §2), so they are dropped rather than making the body unparsable.
                if (c < 0x20 && c != '\t' && c != '\n') break;
                out += ch;
        }
    }
}

void write_value(const Value& value, std::string& out) {
    out += "<value>";
    std::visit(
        [&out](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, Nil>) {
                out += "<nil/>";
            } else if constexpr (std::is_same_v<T, bool>) {
                out += v ? "<boolean>1</boolean>" : "<boolean>0</boolean>";
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                bool small = v >= std::numeric_limits<std::int32_t>::min() &&
                             v <= std::numeric_limits<std::int32_t>::max();
                out += small ? "<int>" : "<i8>";
                out += std::to_string(v);
                out += small ? "</int>" : "</i8>";
            } else if constexpr (std::is_same_v<T, double>) {
                out += "<double>";
                if (std::isfinite(v)) {
                    char buf[64];
                    auto r = std::to_chars(buf, buf + sizeof buf, v);
                    std::string_view s(buf, static_cast<std::size_t>(r.ptr - buf));
                    out += s;
                    if (s.find_first_of(".eE") == std::string_view::npos) out += ".0";
                } else {
                    out += "0.0";
                }
                out += "</double>";
            } else if constexpr (std::is_same_v<T, std::string>) {
                out += "<string>";
                write_text(v, out);
                out += "</string>";
            } else if constexpr (std::is_same_v<T, Array>) {
                out += "<array><data>";
                for (const auto& item : v) write_value(item, out);
                out += "</data></array>";
            } else if constexpr (std::is_same_v<T, Struct>) {
                out += "<struct>";
                for (const auto& [k, item] : v) {
                    out += "<member><name>";
                    write_text(k, out);
                    out += "</name>";
                    write_value(item, out);
                    out += "</member>";
                }
                out += "</struct>";
            } else if constexpr (std::is_same_v<T, DateTime>) {
                out += "<dateTime.iso8601>";
                write_text(v.iso8601, out);
                out += "</dateTime.iso8601>";
            } else {
                out += "<base64>";
                out += base64_encode(v.bytes);
                out += "</base64>";
            }
        },
        value.variant());
    out += "</value>";
}

struct ParseError {
    std::string message;
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

void parse_value_into(const pugi::xml_node& value_node, Value& out);

bool named(std::string_view name, std::string_view expected) { return name == expected; }

/// A typed element (`<int>`, `<string>`, `<struct>`, …) into `out`. Dispatches on the name's
/// first letter: this walk is the hot path of every XML-RPC reply.
void parse_typed(const pugi::xml_node& n, Value& out) {
    std::string_view name = n.name();
    switch (name.empty() ? '\0' : name.front()) {
        case 's':
            if (named(name, "string")) {
                out = Value(std::string(n.child_value()));
                return;
            }
            if (named(name, "struct")) {
                out = Value(Struct{});
                Struct& s = *out.as_struct();
                for (auto m = n.first_child(); m; m = m.next_sibling()) {
                    if (m.type() != pugi::node_element || !named(m.name(), "member")) continue;
                    pugi::xml_node name_node, value_node;
                    for (auto c = m.first_child(); c; c = c.next_sibling()) {
                        if (c.type() != pugi::node_element) continue;
                        std::string_view cn = c.name();
                        if (!name_node && cn == "name") name_node = c;
                        if (!value_node && cn == "value") value_node = c;
                    }
                    if (!value_node) throw ParseError{"<member> without <value>"};
                    std::string_view key = name_node.child_value();
                    // Members come in a stable order (sorted, or Odoo's field order): appending
                    // after the last key is the common case. A repeated name: the last wins.
                    Value* slot = nullptr;
                    if (s.empty() || s.rbegin()->first < key) {
                        slot = &s.emplace_hint(s.end(), std::piecewise_construct,
                                               std::forward_as_tuple(key), std::forward_as_tuple())
                                    ->second;
                    } else if (auto it = s.lower_bound(key); it != s.end() && it->first == key) {
                        slot = &it->second;
                        *slot = Value{};
                    } else {
                        slot = &s.emplace_hint(it, std::piecewise_construct,
                                               std::forward_as_tuple(key), std::forward_as_tuple())
                                    ->second;
                    }
                    parse_value_into(value_node, *slot);
                }
                return;
            }
            break;
        case 'a':
            if (named(name, "array")) {
                out = Value(Array{});
                Array& a = *out.as_array();
                auto data = n.child("data");
                std::size_t count = 0;
                for (auto v = data.first_child(); v; v = v.next_sibling()) {
                    if (v.type() == pugi::node_element && named(v.name(), "value")) ++count;
                }
                a.reserve(count);
                for (auto v = data.first_child(); v; v = v.next_sibling()) {
                    if (v.type() == pugi::node_element && named(v.name(), "value")) {
                        parse_value_into(v, a.emplace_back());
                    }
                }
                return;
            }
            break;
        case 'i':
        case 'e':
            if (named(name, "int") || named(name, "i4") || named(name, "i8") ||
                named(name, "ex:i8")) {
                std::string_view text = n.child_value();
                auto t = trim(text);
                if (!t.empty() && t.front() == '+') t.remove_prefix(1);
                std::int64_t i = 0;
                auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), i);
                if (ec != std::errc{} || p != t.data() + t.size()) {
                    throw ParseError{"bad <" + std::string(name) + "> '" + std::string(text) + "'"};
                }
                out = Value(i);
                return;
            }
            if (named(name, "ex:nil")) {
                out = Value{};
                return;
            }
            break;
        case 'b':
            if (named(name, "boolean")) {
                std::string_view text = n.child_value();
                auto t = trim(text);
                if (t == "1") {
                    out = Value(true);
                } else if (t == "0") {
                    out = Value(false);
                } else {
                    throw ParseError{"bad <boolean> '" + std::string(text) + "'"};
                }
                return;
            }
            if (named(name, "base64")) {
                std::string compact;
                for (char c : std::string_view(n.child_value())) {
                    if (!std::isspace(static_cast<unsigned char>(c))) compact += c;
                }
                auto bytes = base64_decode(compact);
                if (!bytes) throw ParseError{"bad <base64>"};
                out = Value(Binary{std::move(*bytes)});
                return;
            }
            break;
        case 'd':
            if (named(name, "double")) {
                std::string_view text = n.child_value();
                auto t = trim(text);
                if (!t.empty() && t.front() == '+') t.remove_prefix(1);
                double d = 0;
                auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
                if (ec != std::errc{} || p != t.data() + t.size()) {
                    throw ParseError{"bad <double> '" + std::string(text) + "'"};
                }
                out = Value(d);
                return;
            }
            if (named(name, "dateTime.iso8601")) {
                out = Value(DateTime{std::string(trim(n.child_value()))});
                return;
            }
            break;
        case 'n':
            if (named(name, "nil")) {
                out = Value{};
                return;
            }
            break;
        default:
            break;
    }
    throw ParseError{"unknown XML-RPC type <" + std::string(name) + ">"};
}

void parse_value_into(const pugi::xml_node& value_node, Value& out) {
    for (auto child = value_node.first_child(); child; child = child.next_sibling()) {
        if (child.type() == pugi::node_element) {
            parse_typed(child, out);
            return;
        }
    }
    // No type element: the text is a string (XML-RPC spec).
    out = Value(std::string(value_node.text().get()));
}

Value parse_value(const pugi::xml_node& value_node) {
    Value v;
    parse_value_into(value_node, v);
    return v;
}

Result<pugi::xml_document*> load(pugi::xml_document& doc, std::string_view body) {
    auto r = doc.load_buffer(body.data(), body.size(),
                             pugi::parse_default | pugi::parse_ws_pcdata_single);
    if (!r) {
        return make_error(ErrorKind::permanent, std::string("XML-RPC body is not XML: ") +
                                                    r.description() + " at byte " +
                                                    std::to_string(r.offset));
    }
    return &doc;
}

}  // namespace

std::string encode_xmlrpc_call(std::string_view method, const Array& params) {
    std::string out = "<?xml version=\"1.0\"?>\n<methodCall><methodName>";
    write_text(method, out);
    out += "</methodName><params>";
    for (const auto& p : params) {
        out += "<param>";
        write_value(p, out);
        out += "</param>";
    }
    out += "</params></methodCall>\n";
    return out;
}

std::string encode_xmlrpc_response(const Value& result) {
    std::string out = "<?xml version=\"1.0\"?>\n<methodResponse><params><param>";
    write_value(result, out);
    out += "</param></params></methodResponse>\n";
    return out;
}

std::string encode_xmlrpc_fault(const Value& fault_code, std::string_view fault_string) {
    std::string out = "<?xml version=\"1.0\"?>\n<methodResponse><fault>";
    write_value(Struct{{"faultCode", fault_code}, {"faultString", std::string(fault_string)}}, out);
    out += "</fault></methodResponse>\n";
    return out;
}

Result<XmlRpcReply> decode_xmlrpc_response(std::string_view body) {
    pugi::xml_document doc;
    if (auto r = load(doc, body); !r) return r.error();
    auto root = doc.child("methodResponse");
    if (!root) {
        return make_error(ErrorKind::permanent,
                          "XML-RPC reply has no <methodResponse>; is the URL an Odoo server?");
    }
    try {
        XmlRpcReply reply;
        if (auto fault = root.child("fault")) {
            Value f = parse_value(fault.child("value"));
            XmlRpcFault xf;
            xf.code = f["faultCode"];
            xf.string = f["faultString"].as_string().value_or("");
            reply.fault = std::move(xf);
            return reply;
        }
        auto value = root.child("params").child("param").child("value");
        if (!value) return make_error(ErrorKind::permanent, "XML-RPC reply has no value");
        reply.result = parse_value(value);
        return reply;
    } catch (const ParseError& e) {
        return make_error(ErrorKind::permanent, "malformed XML-RPC reply: " + e.message);
    }
}

Result<XmlRpcCall> decode_xmlrpc_call(std::string_view body) {
    pugi::xml_document doc;
    if (auto r = load(doc, body); !r) return r.error();
    auto root = doc.child("methodCall");
    if (!root) return make_error(ErrorKind::permanent, "XML-RPC body has no <methodCall>");
    try {
        XmlRpcCall call;
        call.method = std::string(trim(root.child_value("methodName")));
        for (auto p : root.child("params").children("param")) {
            call.params.push_back(parse_value(p.child("value")));
        }
        return call;
    } catch (const ParseError& e) {
        return make_error(ErrorKind::permanent, "malformed XML-RPC call: " + e.message);
    }
}

std::string base64_encode(std::string_view bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        std::uint32_t n = (std::uint32_t(static_cast<unsigned char>(bytes[i])) << 16) |
                          (std::uint32_t(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                          std::uint32_t(static_cast<unsigned char>(bytes[i + 2]));
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += kAlphabet[(n >> 6) & 63];
        out += kAlphabet[n & 63];
    }
    std::size_t rest = bytes.size() - i;
    if (rest != 0) {
        std::uint32_t n = std::uint32_t(static_cast<unsigned char>(bytes[i])) << 16;
        if (rest == 2) n |= std::uint32_t(static_cast<unsigned char>(bytes[i + 1])) << 8;
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    auto decode_char = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    if (text.size() % 4 != 0) return std::nullopt;
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; ++k) {
            char c = text[i + k];
            if (c == '=' && i + 4 == text.size() && k >= 2) {
                v[k] = 0;
                ++pad;
            } else {
                if (pad != 0) return std::nullopt;
                v[k] = decode_char(c);
                if (v[k] < 0) return std::nullopt;
            }
        }
        std::uint32_t n = (std::uint32_t(v[0]) << 18) | (std::uint32_t(v[1]) << 12) |
                          (std::uint32_t(v[2]) << 6) | std::uint32_t(v[3]);
        out += static_cast<char>((n >> 16) & 0xFF);
        if (pad < 2) out += static_cast<char>((n >> 8) & 0xFF);
        if (pad < 1) out += static_cast<char>(n & 0xFF);
    }
    return out;
}

}  // namespace clarity::odoo
