#pragma once
/// \file
/// Absolute http/https URLs: the one place that knows Boost.URL (a compiled library whose API
/// changed after 1.81), so a later upgrade touches url.cpp only.

#include <cstdint>
#include <string>
#include <string_view>

#include "clarity/core/result.hpp"

namespace clarity::net {

struct Url {
    std::string scheme;      ///< "http" or "https" (lower case)
    std::string host;        ///< name or IP literal, without IPv6 brackets
    std::uint16_t port = 0;  ///< explicit or the scheme's default
    std::string target;      ///< origin-form: "/path?query" ("/" when empty), percent-encoding kept
    std::string userinfo;    ///< "user:pass" when present (proxy URLs), percent-decoded

    /// "host" or "host:port" when the port is not the scheme's default; IPv6 in brackets.
    std::string authority() const;
    /// scheme://authority + target.
    std::string to_string() const;
    /// True when the host is "localhost", in 127.0.0.0/8 or ::1.
    bool is_loopback() const;
    /// True when the host is an IP literal.
    bool is_ip_literal() const;
};

/// Parses an absolute http:// or https:// URL. Errors are `permanent` with a message naming the
/// problem (never echoing user info).
Result<Url> parse_url(std::string_view text);

/// The URL for logs and error messages: user info removed, and the values of query parameters
/// whose names look secret (token, key, secret, password, signature, credential, auth, code,
/// session) replaced by "***". Unparseable input gives "<invalid url>".
std::string redact_url(std::string_view text);

/// Resolves a (possibly relative) reference, e.g. a Location header, against `base`.
Result<std::string> resolve_url(std::string_view base, std::string_view reference);

}  // namespace clarity::net
