#pragma once
/// \file
/// Plain HTTP request/response types and the client interface that connectors (odoo, amazon) use.
/// The implementation (Beast + OpenSSL, pooled keep-alive connections, TLS verification, proxies)
/// lives in src/net; nothing here includes Beast or OpenSSL.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clarity/core/result.hpp"

namespace clarity::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// Case-insensitive header look-up; nullopt when absent.
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);

struct HttpRequest {
    std::string method = "GET";
    std::string url;  ///< absolute: scheme://host[:port]/path?query
    Headers headers;
    std::string body;
    /// Whole-request deadline; the client's default when unset.
    std::optional<std::chrono::milliseconds> timeout;
    /// May the client resend after a connection reset before any response byte arrived?
    /// Defaults to true for GET/HEAD/PUT/DELETE/OPTIONS.
    std::optional<bool> idempotent;
    /// When set, the response body is streamed to this file instead of kept in memory.
    std::optional<std::filesystem::path> body_file;
    /// Follow 301/302/303/307/308 (up to the client's max_redirects). Off by default: a
    /// redirect is returned as a response. Authorization and cookies are not sent to another host.
    bool follow_redirects = false;
    /// Decoded response body limit; the client's default when unset.
    std::optional<std::size_t> max_body_bytes;
    /// The caller sends this request again itself after a transient failure (its own retry
    /// loop). A circuit breaker (circuit_breaker.hpp) then counts a failure of this try only when
    /// the breaker is half-open: a call counts once, at its last try.
    bool retried_by_caller = false;
};

struct HttpResponse {
    int status = 0;
    Headers headers;
    std::string body;  ///< decoded (gzip removed); empty when streamed to body_file
    std::string url;   ///< the URL that answered (after redirects)
    std::optional<std::string_view> header(std::string_view name) const {
        return find_header(headers, name);
    }
};

/// Sends HTTP requests. Every response that arrived whole is a value, whatever its status, so a
/// connector can read the error body and refine the classification (`classify_status` in
/// net/errors.hpp gives the default kind). Transport failures (DNS, connect, TLS, timeout, reset,
/// body over the limit) are Errors with a kind. Thread-safe; may be shared by all connectors.
class HttpClient {
  public:
    virtual ~HttpClient() = default;
    /// Sends `request`.
    virtual boost::asio::awaitable<Result<HttpResponse>> send(HttpRequest request) = 0;
};

}  // namespace clarity::net
