// Base64 by OpenSSL (EVP_EncodeBlock / EVP_DecodeBlock): see clarity/core/base64.hpp.
#include "clarity/core/base64.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <climits>

namespace clarity::core {

std::string base64_encode(std::string_view bytes) {
    std::string out;
    // EVP_EncodeBlock takes an int length: encode in slices of a multiple of 3 bytes.
    constexpr std::size_t kSlice = 3 * (1u << 28);
    for (std::size_t at = 0; at < bytes.size(); at += kSlice) {
        const std::size_t n = std::min(kSlice, bytes.size() - at);
        const std::size_t old = out.size();
        out.resize(old + 4 * ((n + 2) / 3) + 1);
        const int w = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data() + old),
                                      reinterpret_cast<const unsigned char*>(bytes.data() + at),
                                      static_cast<int>(n));
        out.resize(old + static_cast<std::size_t>(w));
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0 || text.size() > static_cast<std::size_t>(INT_MAX))
        return std::nullopt;
    if (text.empty()) return std::string();
    // EVP_DecodeBlock trims surrounding whitespace and accepts '=' in the middle of a group;
    // this function's contract is stricter, so check the alphabet and padding first.
    std::size_t pad = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                           (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (c == '=') {
            if (i + 2 < text.size()) return std::nullopt;  // '=' only in the last two places
            ++pad;
        } else if (!alpha || pad != 0) {
            return std::nullopt;
        }
    }
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    // EVP_DecodeBlock counts the padding as zero bytes.
    out.resize(static_cast<std::size_t>(n) - pad);
    return out;
}

}  // namespace clarity::core
