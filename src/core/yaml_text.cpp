#include "clarity/core/yaml_text.hpp"

namespace clarity::core {

namespace {

/// Where a quote may open a quoted scalar: at the start, or after a blank or a flow/block
/// indicator. Elsewhere (`don't`) it is part of a plain scalar.
bool may_open_quote(std::string_view t, std::size_t i) {
    if (i == 0) return true;
    const char p = t[i - 1];
    return p == ' ' || p == '\t' || p == '\n' || p == '\r' || p == '[' || p == '{' || p == ',' ||
           p == ':' || p == '-' || p == '?';
}

}  // namespace

std::optional<TextProblem> check_yaml_text(std::string_view t) {
    std::size_t line = 1;
    std::size_t line_start = 0;
    std::size_t depth = 0;
    char quote = 0;  // the quote of the quoted scalar being skipped, or 0
    const auto at = [&](std::size_t i, std::string reason) {
        return TextProblem{line, i - line_start + 1, std::move(reason)};
    };
    for (std::size_t i = 0; i < t.size(); ++i) {
        const char c = t[i];
        if (c == '\0') {
            return at(i,
                      "the file contains a NUL byte, which YAML text cannot hold (a binary file, "
                      "or one saved in UTF-16?)");
        }
        if (c == '\n') {
            ++line;
            line_start = i + 1;
            continue;
        }
        if (quote == '"') {
            if (c == '\\' && i + 1 < t.size() && t[i + 1] != '\n' && t[i + 1] != '\0') {
                ++i;
            } else if (c == '"') {
                quote = 0;
            }
            continue;
        }
        if (quote == '\'') {
            if (c == '\'') {
                if (i + 1 < t.size() && t[i + 1] == '\'') {
                    ++i;  // '' is a quote inside the scalar
                } else {
                    quote = 0;
                }
            }
            continue;
        }
        switch (c) {
            case '"':
            case '\'':
                if (may_open_quote(t, i)) quote = c;
                break;
            case '#':
                if (i == 0 || t[i - 1] == ' ' || t[i - 1] == '\t' || t[i - 1] == '\n') {
                    while (i + 1 < t.size() && t[i + 1] != '\n' && t[i + 1] != '\0') ++i;
                }
                break;
            case '[':
            case '{':
                if (++depth > kMaxYamlDepth) return at(i, yaml_depth_reason());
                break;
            case ']':
            case '}':
                if (depth > 0) --depth;
                break;
            default:
                break;
        }
    }
    return std::nullopt;
}

std::string yaml_depth_reason() {
    return "YAML nested deeper than " + std::to_string(kMaxYamlDepth) +
           " levels, the limit of the YAML parser; no configuration needs that many";
}

}  // namespace clarity::core
