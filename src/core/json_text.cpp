// The one JSON string writer: see clarity/core/json_text.hpp.
#include "clarity/core/json_text.hpp"

#include <cstddef>

#include "utf8.hpp"

namespace clarity::core {

namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_escaped_byte(std::string& out, unsigned char c) {
    switch (c) {
        case '"':
            out += "\\\"";
            return;
        case '\\':
            out += "\\\\";
            return;
        case '\n':
            out += "\\n";
            return;
        case '\r':
            out += "\\r";
            return;
        case '\t':
            out += "\\t";
            return;
        case '\b':
            out += "\\b";
            return;
        case '\f':
            out += "\\f";
            return;
        default:
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
    }
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
    out.reserve(out.size() + s.size() + 2);
    out += '"';
    std::size_t run = 0;  // start of the pending run of bytes copied as they are
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            if (const std::size_t n = detail::utf8_length(s, i); n != 0) {
                i += n;
                continue;
            }
        }
        out.append(s.data() + run, i - run);
        append_escaped_byte(out, c);
        run = ++i;
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

}  // namespace clarity::core
