#pragma once
/// \file
/// A small HTTP/1.1 server for the admin API (/healthz, /readyz, /metrics, later admin
/// endpoints) and webhooks. Beast + coroutines inside; plain types here.
///
/// Limits: header and body size (413), a per-request deadline (a client that sends slowly is
/// dropped), a connection cap (503 above it, except two probe slots for Access::probe routes).
/// HEAD is answered wherever GET is; an HTTP/1.1 request without Host, with two Host headers or
/// with obsolete line folding gets 400. Routes declare their access: open, token when one
/// is configured, or token always. Shutdown stops accepting, lets in-flight requests finish up to a
/// deadline and closes idle keep-alive connections.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "clarity/core/config.hpp"
#include "clarity/core/secret.hpp"
#include "clarity/net/http.hpp"

namespace boost::asio {
class io_context;
}

namespace clarity::net {

struct HttpServerOptions {
    std::string host = "127.0.0.1";  ///< address to bind (IPv4 or IPv6 literal)
    std::uint16_t port = 8080;       ///< 0 = any free port (see HttpServer::port())
    /// Bearer token for routes that require one; unset = token-if-configured routes are open and
    /// token-always routes answer 403.
    std::optional<Secret> token;
    std::size_t max_header_bytes = 8 * 1024;
    std::size_t max_body_bytes = 1024 * 1024;
    /// Deadline to receive one whole request (and to wait for the next on a kept-alive connection).
    std::chrono::milliseconds request_timeout{std::chrono::seconds(10)};
    std::size_t max_connections = 64;
};

/// Keys of the `admin` section: listen, token, limits.
core::ConfigSpec http_server_config_spec();
/// Reads a node validated against http_server_config_spec(). Throws core::ConfigError when
/// `listen` is not host:port.
HttpServerOptions http_server_options_from_config(const core::ConfigNode& node);

struct ServerRequest {
    std::string method;  ///< "GET", "POST", ...
    std::string target;  ///< as sent: path and query
    std::string path;    ///< target without the query
    std::string query;   ///< after '?', undecoded; empty when none
    Headers headers;
    std::string body;
    std::optional<std::string_view> header(std::string_view name) const {
        return find_header(headers, name);
    }
};

struct ServerResponse {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    Headers headers;
    std::string body;
};

enum class Access {
    open,  ///< no token
    /// No token, and also served on the probe slots kept beyond `max_connections`, so health
    /// probes are answered while every ordinary connection is taken (/healthz, /readyz).
    probe,
    token_if_set,    ///< bearer token when admin.token is configured (metrics)
    token_required,  ///< bearer token always; 403 when none is configured (admin endpoints)
};

/// Handles one request. May be a coroutine; runs on the server's strand.
using AsyncHandler = std::function<boost::asio::awaitable<ServerResponse>(ServerRequest)>;
/// Handles one request without waiting.
using SyncHandler = std::function<ServerResponse(const ServerRequest&)>;

/// Thread-safe for route() before start(); afterwards use it from any thread only through
/// shutdown(). Exceptions thrown by handlers become 500 (logged, message not sent to the client).
class HttpServer {
  public:
    HttpServer(boost::asio::io_context& io, HttpServerOptions options);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    void route(std::string method, std::string path, Access access, AsyncHandler handler);
    void route(std::string method, std::string path, Access access, SyncHandler handler);

    /// Binds and listens. Throws std::runtime_error with a one-line message naming the address
    /// (e.g. "cannot listen on 127.0.0.1:8080: Address already in use").
    void listen();
    /// The bound port (after listen(); the real one when options.port was 0).
    std::uint16_t port() const;
    /// Starts accepting on the io_context (after listen()).
    void start();
    /// Stops accepting, closes idle connections, waits for in-flight requests up to `deadline`,
    /// then closes whatever is left. Completes when every connection is gone.
    boost::asio::awaitable<void> shutdown(std::chrono::milliseconds deadline);
    /// Open connections now (for tests and metrics).
    std::size_t connection_count() const;

  private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

/// Compares a secret sent by a client with the configured one in constant time (the time does
/// not tell how many leading bytes matched): the admin token, webhook secrets.
bool secrets_equal(std::string_view sent, std::string_view expected) noexcept;

}  // namespace clarity::net
