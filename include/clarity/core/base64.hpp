#pragma once
/// \file
/// Standard base64 (RFC 4648 §4, with padding), by OpenSSL's EVP encoder: the one base64 of the
/// project (XML-RPC and JSON binary values, HTTP Basic authentication).

#include <optional>
#include <string>
#include <string_view>

namespace clarity::core {

std::string base64_encode(std::string_view bytes);

/// nullopt unless `text` is whole padded base64 (length a multiple of 4, alphabet only, `=` only
/// at the end). Whitespace is not skipped: callers whose format allows line breaks remove them.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace clarity::core
