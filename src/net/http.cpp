#include "clarity/net/http.hpp"

#include <algorithm>
#include <cctype>

namespace clarity::net {

std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
    for (const auto& [k, v] : headers) {
        if (k.size() == name.size() &&
            std::equal(k.begin(), k.end(), name.begin(), [](unsigned char a, unsigned char b) {
                return std::tolower(a) == std::tolower(b);
            })) {
            return std::string_view(v);
        }
    }
    return std::nullopt;
}

}  // namespace clarity::net
