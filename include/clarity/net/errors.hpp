#pragma once
/// \file
/// Classification of HTTP outcomes into `clarity::Error` kinds, once, at the network boundary.
/// Connectors refine the kind at their own boundary (e.g. Odoo error names, SP-API error codes).

#include <boost/system/error_code.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "clarity/core/error.hpp"
#include "clarity/net/http.hpp"

namespace clarity::net {

/// Where a transport failure happened (for the message and the kind).
enum class TransportPhase {
    resolve,    ///< DNS
    connect,    ///< TCP connect (to the server or the proxy)
    proxy,      ///< CONNECT through the proxy
    handshake,  ///< TLS handshake / certificate verification
    write,      ///< sending the request
    read,       ///< reading the response
    pool,       ///< waiting for a free connection slot
};

std::string_view to_string(TransportPhase phase) noexcept;

/// The default kind of a response by status: 408, 5xx -> transient; 429 -> rate_limited;
/// 401/403 -> auth; 409 -> conflict; other 4xx -> permanent. Carries the status, Retry-After (in
/// seconds, from delta-seconds or an HTTP date relative to `now`) and the request id. For a 2xx/3xx
/// response it still returns an Error (kind permanent, "unexpected HTTP status"), so callers should
/// call it only for statuses they do not accept. `context` names the operation and URL (no
/// secrets).
Error classify_status(const HttpResponse& response,
                      std::string_view context = {},
                      std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

/// A transport failure as an Error. Network failures (refused, reset, timeout, DNS, truncated) are
/// transient; certificate and TLS protocol failures are permanent (retrying does not help until
/// someone fixes the configuration). `detail` adds a human hint (e.g. "after 500 ms").
Error classify_transport_error(const boost::system::error_code& ec,
                               TransportPhase phase,
                               std::string_view context,
                               std::string_view detail = {});

/// Retry-After: delta-seconds or an IMF-fixdate / RFC 850 / asctime HTTP date. nullopt when
/// unparseable; a date in the past gives 0 s.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

/// The server's request id from the common headers (x-amzn-RequestId, x-amz-request-id,
/// x-request-id, x-correlation-id, request-id); empty when none.
std::string request_id_of(const HttpResponse& response);

}  // namespace clarity::net
