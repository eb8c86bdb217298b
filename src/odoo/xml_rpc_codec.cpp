// XML-RPC marshalling (http://xmlrpc.com/spec.md) with pugixml, both directions: int/i4/i8,
// boolean, string (also untyped <value>text</value>), double, dateTime.iso8601, base64, struct,
// array, nil, and faults. Odoo specifics: ../shared/reference/odoo/NOTES.md §2.
#include <bit>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <pugixml.hpp>
#include <tuple>
#include <type_traits>

#include "clarity/core/base64.hpp"
#include "clarity/model/value.hpp"
#include "clarity/odoo/codec.hpp"
#include "number_text.hpp"

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
                out += core::base64_encode(v.bytes);
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
    if (s.empty() || (!std::isspace(static_cast<unsigned char>(s.front())) &&
                      !std::isspace(static_cast<unsigned char>(s.back())))) {
        return s;
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

/// Nesting levels of XML-RPC values (each <array> or <struct> is one), as for JSON.
constexpr std::size_t kMaxDepth = model::kMaxNestingDepth;

[[noreturn]] void too_deep() {
    throw ParseError{"values nested deeper than " + std::to_string(kMaxDepth) +
                     " levels; no real reply is that deep, so it is refused"};
}

void parse_value_into(pugi::xml_node value_node, Value& out, std::size_t depth);

template <std::size_t N, std::size_t... I>
bool named_at(const char* name, const char (&expected)[N], std::index_sequence<I...>) {
    // Unrolled: stops at the first difference, so never reads past the name's NUL.
    return ((name[I] == expected[I]) && ...);
}

/// `name` equals the literal (no strlen; the NUL is compared too).
template <std::size_t N>
bool named(const char* name, const char (&expected)[N]) {
    return named_at(name, expected, std::make_index_sequence<N>{});
}

// The walks below are the hot path of every XML-RPC reply (hundreds of records): they visit each
// node once with the cheapest library calls (first_child, next_sibling, name, child_value) and
// test names inline. child(name) / next_sibling(name) would compare every sibling's name inside
// the library, and xml_node's operator bool is an out-of-line call too: `present` reads the
// handle instead (an xml_node is one pointer to its node, null for the empty handle).
static_assert(sizeof(pugi::xml_node) == sizeof(void*) &&
              std::is_trivially_copyable_v<pugi::xml_node>);
inline bool present(pugi::xml_node n) noexcept { return std::bit_cast<void*>(n) != nullptr; }

// With the parse flags used here the tree holds only elements, text and CDATA nodes, and only
// elements have a (non-empty) name.

/// The first element child (a stray text node is skipped); its name in `name`.
pugi::xml_node first_element(pugi::xml_node n, const char*& name) {
    for (auto c = n.first_child(); present(c); c = c.next_sibling()) {
        name = c.name();
        if (name[0] != '\0') return c;
    }
    return {};
}

/// `<struct>`'s members into `out`: `<member><name>K</name><value>…</value></member>`, in any
/// order inside the member; other elements and text between them are ignored.
void parse_struct(pugi::xml_node n, Value& out, std::size_t depth) {
    if (depth > kMaxDepth) too_deep();
    Struct& s = out.emplace<Struct>();
    for (auto m = n.first_child(); present(m); m = m.next_sibling()) {
        if (!named(m.name(), "member")) continue;
        pugi::xml_node key_node, value_node;
        for (auto c = m.first_child(); present(c); c = c.next_sibling()) {
            const char* child = c.name();
            if (!present(key_node) && named(child, "name")) {
                key_node = c;
            } else if (!present(value_node) && named(child, "value")) {
                value_node = c;
            }
        }
        if (!present(value_node)) throw ParseError{"<member> without <value>"};
        // Members come in a stable order (sorted, or Odoo's field order): the end is the usual
        // hint. A repeated name: the last wins.
        std::string_view key = present(key_node) ? key_node.child_value() : "";
        std::size_t before = s.size();
        auto it = s.emplace_hint(s.end(), std::piecewise_construct, std::forward_as_tuple(key),
                                 std::forward_as_tuple());
        if (s.size() == before) it->second = Value{};
        parse_value_into(value_node, it->second, depth);
    }
}

/// `<array><data><value>…</value>…</data></array>`.
void parse_array(pugi::xml_node n, Value& out, std::size_t depth) {
    if (depth > kMaxDepth) too_deep();
    Array& a = out.emplace<Array>();
    pugi::xml_node data;
    for (auto c = n.first_child(); present(c); c = c.next_sibling()) {
        if (named(c.name(), "data")) {
            data = c;
            break;
        }
    }
    if (!present(data)) return;
    auto is_value = [](pugi::xml_node v) { return named(v.name(), "value"); };
    std::size_t count = 0;
    for (auto v = data.first_child(); present(v); v = v.next_sibling()) count += is_value(v);
    a.reserve(count);
    for (auto v = data.first_child(); present(v); v = v.next_sibling()) {
        if (is_value(v)) parse_value_into(v, a.emplace_back(), depth);
    }
}

/// A typed element (`<int>`, `<string>`, `<struct>`, …) into `out`. Dispatches on the name's
/// first letter: this walk is the hot path of every XML-RPC reply.
/// `depth` counts the arrays and structs around this value.
void parse_typed(pugi::xml_node n, const char* name, Value& out, std::size_t depth) {
    switch (name[0]) {
        case 's':
            if (named(name, "string")) {
                out.emplace<std::string>(n.child_value());
                return;
            }
            if (named(name, "struct")) {
                parse_struct(n, out, depth + 1);
                return;
            }
            break;
        case 'a':
            if (named(name, "array")) {
                parse_array(n, out, depth + 1);
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
                out.emplace<std::int64_t>(i);
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
                auto bytes = core::base64_decode(compact);
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
                if (detail::exact_short_decimal(t, d)) {
                    out.emplace<double>(d);
                    return;
                }
                auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
                if (ec != std::errc{} || p != t.data() + t.size()) {
                    throw ParseError{"bad <double> '" + std::string(text) + "'"};
                }
                out.emplace<double>(d);
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

void parse_value_into(pugi::xml_node value_node, Value& out, std::size_t depth) {
    const char* name = "";
    if (auto typed = first_element(value_node, name); present(typed)) {
        parse_typed(typed, name, out, depth);
        return;
    }
    // No type element: the text is a string (XML-RPC spec).
    out.emplace<std::string>(value_node.child_value());
}

Value parse_value(pugi::xml_node value_node) {
    Value v;
    parse_value_into(value_node, v, 0);
    return v;
}

// Escapes, CDATA and end-of-line normalisation as XML requires; no comments, processing
// instructions or whitespace-only text nodes (a lone whitespace text is a string's value);
// text stored in its element (parse_embed_pcdata: half the nodes to build and walk).
constexpr unsigned kParseFlags = pugi::parse_cdata | pugi::parse_escapes | pugi::parse_eol |
                                 pugi::parse_ws_pcdata_single | pugi::parse_embed_pcdata;

/// Elements around the deepest value allowed: the envelope (<methodResponse><params><param>,
/// <fault>) and three per level (<value><array><data>, <value><struct><member>).
constexpr std::size_t kMaxElementDepth = 3 * kMaxDepth + 8;

/// The byte offset of the first element start nested deeper than kMaxElementDepth, or nullopt.
/// pugixml itself parses any depth without recursion, but it would build the whole tree first
/// (a hostile million levels is hundreds of megabytes): this scan refuses it before. It skips
/// comments, CDATA, processing instructions, declarations and quoted attribute values, and
/// validates nothing (pugixml does).
std::optional<std::size_t> xml_too_deep_at(std::string_view t) {
    constexpr auto npos = std::string_view::npos;
    std::size_t depth = 0;
    std::size_t i = 0;
    while ((i = t.find('<', i)) != npos && i + 1 < t.size()) {
        const char c = t[i + 1];
        if (c == '/') {
            if (depth > 0) --depth;
            i += 2;
            continue;
        }
        std::size_t end = npos;
        if (t.substr(i, 4) == "<!--") {
            end = t.find("-->", i + 4);
            if (end != npos) end += 2;
        } else if (t.substr(i, 9) == "<![CDATA[") {
            end = t.find("]]>", i + 9);
            if (end != npos) end += 2;
        } else if (c == '?' || c == '!') {
            end = t.find('>', i + 2);
        } else {
            char quote = 0;
            for (std::size_t j = i + 1; j < t.size(); ++j) {
                const char d = t[j];
                if (quote != 0) {
                    if (d == quote) quote = 0;
                } else if (d == '"' || d == '\'') {
                    quote = d;
                } else if (d == '>') {
                    end = j;
                    break;
                }
            }
            if (end != npos && t[end - 1] != '/' && ++depth > kMaxElementDepth) return i;
        }
        if (end == npos) return std::nullopt;
        i = end + 1;
    }
    return std::nullopt;
}

Result<void> check_depth(std::string_view body) {
    if (auto at = xml_too_deep_at(body)) {
        return make_error(ErrorKind::permanent,
                          "XML-RPC body refused: elements nested deeper than " +
                              std::to_string(kMaxElementDepth) + " (values deeper than " +
                              std::to_string(kMaxDepth) + " levels) at byte " +
                              std::to_string(*at + 1) + "; no real reply is that deep");
    }
    return Result<void>{};
}

Result<void> check_load(const pugi::xml_parse_result& r) {
    if (!r) {
        return make_error(ErrorKind::permanent, std::string("XML-RPC body is not XML: ") +
                                                    r.description() + " at byte " +
                                                    std::to_string(r.offset));
    }
    return Result<void>{};
}

Result<XmlRpcReply> decode_response_doc(const pugi::xml_document& doc) {
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
        parse_value_into(value, reply.result, 0);
        return reply;
    } catch (const ParseError& e) {
        return make_error(ErrorKind::permanent, "malformed XML-RPC reply: " + e.message);
    }
}

// A reply that starts as an XML-RPC response (or is empty) but does not end as one was cut short
// on the way. (Judged before an in-place parse rewrites the buffer.)
bool is_cut_short(std::string_view body) {
    const auto first = body.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return true;
    const auto rest = body.substr(first, body.find_last_not_of(" \t\r\n") + 1 - first);
    // Starts as a reply, or is the start of one cut within its first bytes ("<?x").
    const auto opens = [rest](std::string_view head) {
        return rest.starts_with(head) || head.starts_with(rest);
    };
    return (opens("<?xml") || opens("<methodResponse")) && !rest.ends_with("</methodResponse>");
}

// A reply cut short is transient; anything else that does not parse (an HTML page) permanent.
Error load_error(bool cut_short, std::size_t size, Error e) {
    if (cut_short) {
        e.kind = ErrorKind::transient;
        e.message = "Odoo's XML-RPC reply ends early (" + std::to_string(size) + " bytes, " +
                    e.message + "): cut short on the way; retried";
    }
    return e;
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
    if (auto r = check_depth(body); !r) return r.error();
    pugi::xml_document doc;
    if (auto r = check_load(doc.load_buffer(body.data(), body.size(), kParseFlags)); !r) {
        return load_error(is_cut_short(body), body.size(), r.error());
    }
    return decode_response_doc(doc);
}

Result<XmlRpcReply> decode_xmlrpc_response_in_place(std::string& body) {
    if (auto r = check_depth(body); !r) return r.error();
    const bool cut_short = is_cut_short(body);
    pugi::xml_document doc;
    if (auto r = check_load(doc.load_buffer_inplace(body.data(), body.size(), kParseFlags)); !r) {
        return load_error(cut_short, body.size(), r.error());
    }
    return decode_response_doc(doc);
}

Result<XmlRpcCall> decode_xmlrpc_call(std::string_view body) {
    if (auto r = check_depth(body); !r) return r.error();
    pugi::xml_document doc;
    if (auto r = check_load(doc.load_buffer(body.data(), body.size(),
                                            pugi::parse_default | pugi::parse_ws_pcdata_single));
        !r) {
        return r.error();
    }
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

}  // namespace clarity::odoo
