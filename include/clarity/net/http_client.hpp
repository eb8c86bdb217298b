#pragma once
/// \file
/// The production `HttpClient`: Beast + OpenSSL, pooled keep-alive connections, TLS verification,
/// proxies, timeouts, gzip, body limits. Options are a plain struct read from the config
/// (`http_client_config_spec()` / `http_client_options_from_config()`).

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clarity/core/config.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/core/secret.hpp"
#include "clarity/net/http.hpp"

namespace clarity::net {

/// One HTTP proxy (spoken to in clear text; HTTPS goes through it with CONNECT).
struct ProxyEndpoint {
    std::string host;
    std::uint16_t port = 3128;
    std::string username;  ///< empty = no Proxy-Authorization
    Secret password;
};

/// Which proxy to use for which URL.
struct ProxyOptions {
    std::optional<ProxyEndpoint> https;  ///< for https:// URLs (CONNECT tunnel)
    std::optional<ProxyEndpoint> http;   ///< for http:// URLs (absolute-form requests)
    /// Hosts reached directly: "*", "example.com" (and its subdomains), ".example.com",
    /// "10.1.2.3", optionally with ":port".
    std::vector<std::string> no_proxy;
    /// Bypass the proxy for localhost / 127.0.0.0/8 / ::1 (default, as curl and Go do for
    /// environment proxies).
    bool bypass_loopback = true;
};

/// Parses "http://[user:pass@]host[:port]" (an https:// proxy URL is refused: only clear-text
/// proxies with CONNECT are supported). Errors are `permanent`.
Result<ProxyEndpoint> parse_proxy_url(std::string_view url);

/// Proxy settings from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and their lower-case spellings, which
/// win, as in curl). `getenv` is injectable for tests. Throws core::ConfigError on a malformed URL.
ProxyOptions proxy_options_from_environment(
    const std::function<const char*(const char*)>& getenv = nullptr);

/// True when `host:port` must bypass the proxy according to `no_proxy` rules.
bool matches_no_proxy(const std::vector<std::string>& no_proxy,
                      std::string_view host,
                      std::uint16_t port);

struct HttpClientOptions {
    std::chrono::milliseconds connect_timeout{10'000};    ///< TCP connect (and proxy CONNECT)
    std::chrono::milliseconds handshake_timeout{10'000};  ///< TLS handshake
    std::chrono::milliseconds request_timeout{60'000};    ///< whole request, default per request
    std::chrono::milliseconds idle_timeout{50'000};       ///< pooled connection max idle time
    std::size_t max_connections_per_host = 8;             ///< per (scheme, host, port[, proxy])
    std::size_t max_body_bytes = 64u << 20;               ///< decoded body limit, per response
    bool verify_peer = true;  ///< certificate chain and host name checks (never off in prod)
    std::string ca_file;      ///< PEM bundle to trust instead of the system store
    std::string ca_pem;       ///< PEM text to trust instead of the system store (tests)
    bool allow_insecure_http = false;  ///< allow http:// to non-loopback hosts
    bool request_gzip = true;          ///< send Accept-Encoding: gzip unless the caller set one
    int max_redirects = 5;             ///< hops when a request asks for redirects
    ProxyOptions proxy;                ///< empty = direct
    std::string user_agent = "clarity-connect";
    /// Label for metrics and logs ("odoo", "sp-api"); may be empty.
    std::string name;
};

/// The keys of an `http:` section (timeouts, pool, TLS, proxy). See docs/network.md.
core::ConfigSpec http_client_config_spec();

/// Reads a node validated against http_client_config_spec(). When `proxy.from_environment` is
/// true (default) and no proxy URL is configured, the environment variables are used.
/// Throws core::ConfigError for a malformed proxy URL or an unreadable CA file.
HttpClientOptions http_client_options_from_config(const core::ConfigNode& node);

/// Creates the client. Sockets and timers use `executor`; `send` may be awaited from any
/// coroutine whose executor runs the same io_context. `metrics` may be null; when given, it must
/// outlive the client. Throws std::runtime_error when the TLS context cannot be set up (e.g. an
/// unreadable CA file).
std::shared_ptr<HttpClient> make_http_client(boost::asio::any_io_executor executor,
                                             HttpClientOptions options,
                                             core::MetricsRegistry* metrics = nullptr);

}  // namespace clarity::net
