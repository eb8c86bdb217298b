// Terminal-safe text: see clarity/core/terminal_text.hpp.
#include "clarity/core/terminal_text.hpp"

#include "utf8.hpp"

namespace clarity::core {

namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_hex(std::string& out, const char* prefix, unsigned value) {
    out += prefix;
    out += kHex[(value >> 4) & 0xF];
    out += kHex[value & 0xF];
}

}  // namespace

std::string terminal_safe(std::string_view text, TerminalText kind) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            const bool control = c < 0x20 || c == 0x7F;
            const bool kept_space = kind != TerminalText::field && (c == '\n' || c == '\t');
            if (!control || kept_space) {
                out += static_cast<char>(c);
            } else if (kind == TerminalText::json) {
                append_hex(out, "\\u00", c);
            } else {
                append_hex(out, "\\x", c);
            }
            ++i;
            continue;
        }
        const std::size_t n = detail::utf8_length(text, i);
        if (n == 0) {
            append_hex(out, kind == TerminalText::json ? "\\u00" : "\\x", c);
            ++i;
            continue;
        }
        // U+0080..U+009F are C2 80..C2 9F: the C1 controls (CSI is U+009B).
        if (n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
            append_hex(out, "\\u00", static_cast<unsigned char>(text[i + 1]));
        } else {
            out.append(text.substr(i, n));
        }
        i += n;
    }
    return out;
}

std::size_t complete_utf8_prefix(std::string_view text) {
    // A sequence is at most 4 bytes: only the last 3 can start an unfinished one.
    const std::size_t from = text.size() > 3 ? text.size() - 3 : 0;
    for (std::size_t i = text.size(); i > from; --i) {
        const auto c = static_cast<unsigned char>(text[i - 1]);
        if ((c & 0xC0) == 0x80) continue;              // a continuation byte: look further back
        if (c < 0xC2 || c > 0xF4) return text.size();  // ASCII or never a lead byte
        const std::size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        return text.size() - (i - 1) < need ? i - 1 : text.size();
    }
    return text.size();
}

}  // namespace clarity::core
