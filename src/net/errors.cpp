#include "clarity/net/errors.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <array>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <charconv>
#include <cstring>
#include <ctime>

namespace clarity::net {

namespace asio = boost::asio;
namespace beast = boost::beast;

std::string_view to_string(TransportPhase phase) noexcept {
    switch (phase) {
        case TransportPhase::resolve:
            return "resolving the host name";
        case TransportPhase::connect:
            return "connecting";
        case TransportPhase::proxy:
            return "opening the proxy tunnel";
        case TransportPhase::handshake:
            return "in the TLS handshake";
        case TransportPhase::write:
            return "sending the request";
        case TransportPhase::read:
            return "reading the response";
        case TransportPhase::pool:
            return "waiting for a free connection";
    }
    return "?";
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (value.empty()) return std::nullopt;
    if (std::isdigit(static_cast<unsigned char>(value.front()))) {
        long long secs = 0;
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), secs);
        if (ec != std::errc{} || p != value.data() + value.size() || secs < 0) return std::nullopt;
        return std::chrono::seconds(secs);
    }
    std::string text(value);
    std::tm tm{};
    // IMF-fixdate, RFC 850, asctime (RFC 9110 section 5.6.7).
    static constexpr std::array<const char*, 3> kFormats = {
        "%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %d %H:%M:%S %Y"};
    for (const char* fmt : kFormats) {
        tm = {};
        const char* end = strptime(text.c_str(), fmt, &tm);
        if (end != nullptr && *end == '\0') {
            auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
            auto delta = std::chrono::duration_cast<std::chrono::seconds>(when - now);
            return delta.count() > 0 ? delta : std::chrono::seconds{0};
        }
    }
    return std::nullopt;
}

std::string request_id_of(const HttpResponse& response) {
    static constexpr std::array<std::string_view, 5> kNames = {
        "x-amzn-RequestId", "x-amz-request-id", "x-request-id", "x-correlation-id", "request-id"};
    for (auto name : kNames) {
        if (auto v = response.header(name)) return std::string(*v);
    }
    return {};
}

Error classify_status(const HttpResponse& response,
                      std::string_view context,
                      std::chrono::system_clock::time_point now) {
    Error e;
    e.http_status = response.status;
    e.context = std::string(context);
    e.request_id = request_id_of(response);
    if (auto ra = response.header("Retry-After")) e.retry_after = parse_retry_after(*ra, now);
    const int s = response.status;
    std::string what = "HTTP " + std::to_string(s);
    if (s == 429) {
        e.kind = ErrorKind::rate_limited;
        e.message = what + ": the server throttled the request; it will be retried later";
    } else if (s == 408 || (s >= 500 && s <= 599)) {
        e.kind = ErrorKind::transient;
        e.message = what + ": the server failed or timed out; it will be retried";
    } else if (s == 401 || s == 403) {
        e.kind = ErrorKind::auth;
        e.message = what +
                    ": credentials rejected; check the configured keys/tokens and their "
                    "permissions";
    } else if (s == 409) {
        e.kind = ErrorKind::conflict;
        e.message = what + ": conflicting concurrent change; re-read and retry";
    } else if (s >= 400 && s <= 499) {
        e.kind = ErrorKind::permanent;
        e.message = what + ": the server rejected the request";
    } else {
        e.kind = ErrorKind::permanent;
        e.message = "unexpected " + what;
    }
    return e;
}

namespace {

bool is_certificate_error(const boost::system::error_code& ec) {
    if (ec.category() != asio::error::get_ssl_category()) return false;
    int reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
    return reason == SSL_R_CERTIFICATE_VERIFY_FAILED;
}

bool is_protocol_version_error(const boost::system::error_code& ec) {
    if (ec.category() != asio::error::get_ssl_category()) return false;
    int reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
    return reason == SSL_R_UNSUPPORTED_PROTOCOL || reason == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION ||
           reason == SSL_R_NO_PROTOCOLS_AVAILABLE || reason == SSL_R_WRONG_VERSION_NUMBER ||
           reason == SSL_R_VERSION_TOO_LOW;
}

}  // namespace

Error classify_transport_error(const boost::system::error_code& ec,
                               TransportPhase phase,
                               std::string_view context,
                               std::string_view detail) {
    Error e;
    e.context = std::string(context);
    std::string where(to_string(phase));
    std::string extra = detail.empty() ? std::string() : " (" + std::string(detail) + ")";
    if (ec == beast::error::timeout || ec == asio::error::timed_out) {
        e.kind = ErrorKind::transient;
        e.message = "timed out " + where + extra + "; the request will be retried";
    } else if (ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again ||
               ec == asio::error::no_data) {
        e.kind = ErrorKind::transient;
        e.message =
            "cannot resolve the host name" + extra + "; check the URL and the DNS configuration";
    } else if (ec == asio::error::connection_refused) {
        e.kind = ErrorKind::transient;
        e.message = "connection refused" + extra + "; is the server (or proxy) running?";
    } else if (is_certificate_error(ec)) {
        e.kind = ErrorKind::permanent;
        e.message = "TLS certificate verification failed" + extra +
                    ": the server's certificate is not trusted, expired, or issued for another "
                    "host name; check the URL, the server's certificate and ca_file";
    } else if (is_protocol_version_error(ec)) {
        e.kind = ErrorKind::permanent;
        e.message =
            "TLS protocol version refused" + extra + ": the server does not offer TLS 1.2 or newer";
    } else if (phase == TransportPhase::handshake &&
               ec.category() == asio::error::get_ssl_category()) {
        e.kind = ErrorKind::permanent;
        e.message = "TLS handshake failed: " + ec.message() + extra;
    } else {
        e.kind = ErrorKind::transient;
        e.message = "network error " + where + ": " + ec.message() + extra;
    }
    return e;
}

}  // namespace clarity::net
