// The production HttpClient: Beast + OpenSSL over pooled keep-alive connections.
//
// Shape (Beast's awaitable client examples, adapted to Boost 1.81: every token spelled out):
//   send()          redirects loop, whole-request deadline, metrics and the debug log line
//   send_once()     one exchange, resent once when an idempotent request's connection failed
//                   (reset or closed before or during the response: typically a pooled
//                   connection the server had just closed); never after the deadline
//   exchange_once() pool slot -> idle or new connection (connect, CONNECT tunnel, TLS) -> exchange
//   exchange()      write the request, read the head, stream the body through gzip into a string
//                   or a file, enforcing the body limit
// Connect and handshake run under beast::tcp_stream's expiry (min(phase timeout, deadline)); the
// exchange under one deadline timer per request, so no wait is unbounded.
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "clarity/core/base64.hpp"
#include "clarity/core/gzip.hpp"
#include "clarity/core/log.hpp"
#include "clarity/net/errors.hpp"
#include "clarity/net/http_client.hpp"
#include "clarity/net/url.hpp"

namespace clarity::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
using Steady = std::chrono::steady_clock;
using SlotChannel = asio::experimental::concurrent_channel<void(boost::system::error_code)>;
constexpr std::size_t kChunk = 64 * 1024;

/// Shared between an exchange and its deadline timer's handler, which may run after the
/// connection is gone (a timer that expired just as the exchange ended).
struct DeadlineFlag {
    bool armed = true;
    bool fired = false;
    beast::tcp_stream* stream = nullptr;
};

struct Connection {
    explicit Connection(const asio::any_io_executor& ex) : deadline(ex) { plain.emplace(ex); }
    std::optional<beast::tcp_stream> plain;
    std::optional<ssl::stream<beast::tcp_stream>> tls;
    beast::flat_buffer buffer;
    Steady::time_point idle_since{};
    /// One timer per request instead of tcp_stream's per-operation expiry (fewer timer-queue
    /// updates per request on a kept-alive connection).
    asio::steady_timer deadline;
    std::array<char, kChunk> chunk{};

    beast::tcp_stream& lowest() { return tls ? tls->next_layer() : *plain; }

    /// A pooled connection is reusable when the peer has neither closed it nor sent anything
    /// unsolicited (a non-blocking peek: 0 = FIN, data = protocol violation).
    bool is_alive() {
        auto& sock = lowest().socket();
        if (!sock.is_open()) return false;
        char c;
        ssize_t n = ::recv(sock.native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
};

struct Pool {
    Pool(const asio::any_io_executor& ex, std::size_t max, std::string k, std::string h)
        : slots(ex, max), key(std::move(k)), host(std::move(h)) {
        for (std::size_t i = 0; i < max; ++i) slots.try_send(boost::system::error_code{});
    }
    SlotChannel slots;  ///< a counting semaphore: one message per free connection slot
    std::string key;
    std::string host;
    std::mutex mutex;
    std::vector<std::unique_ptr<Connection>> idle;
};

/// Holds a pool slot and (once opened) the connection; gives both back on destruction.
struct Lease {
    std::shared_ptr<Pool> pool;
    std::unique_ptr<Connection> conn;
    bool reusable = false;
    explicit Lease(std::shared_ptr<Pool> p) : pool(std::move(p)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
        if (conn && reusable) {
            conn->idle_since = Steady::now();
            std::lock_guard lock(pool->mutex);
            pool->idle.push_back(std::move(conn));
        }
        conn.reset();
        pool->slots.try_send(boost::system::error_code{});
    }
};

struct Route {
    Url url;
    std::optional<ProxyEndpoint> proxy;
    bool tunnel = false;         ///< https through the proxy with CONNECT
    bool absolute_form = false;  ///< http through the proxy
    std::string pool_key;
};

/// The outcome of one attempt.
struct Attempt {
    Result<HttpResponse> result;
    /// The connection failed (reset, closed before or in the middle of the response), not the
    /// deadline: an idempotent request may be sent again once.
    bool resendable = false;
};

Attempt fail(Error e, bool resendable = false) {
    return Attempt{Result<HttpResponse>(std::move(e)), resendable};
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

bool default_idempotent(std::string_view method) {
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
           method == "OPTIONS" || method == "TRACE";
}

std::string ms_text(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

Steady::time_point earliest(Steady::time_point a, Steady::time_point b) { return a < b ? a : b; }

/// Streams decoded bytes to memory or to a file, enforcing the limit.
class BodySink {
  public:
    BodySink(std::string* memory, std::ofstream* file, std::size_t limit)
        : memory_(memory), file_(file), limit_(limit) {}
    bool write(const char* data, std::size_t n) {
        total_ += n;
        if (total_ > limit_) return false;
        if (file_) {
            file_->write(data, static_cast<std::streamsize>(n));
        } else {
            memory_->append(data, n);
        }
        return true;
    }
    std::size_t total() const { return total_; }

  private:
    std::string* memory_;
    std::ofstream* file_;
    std::size_t limit_;
    std::size_t total_ = 0;
};

std::string basic_auth(const ProxyEndpoint& p) {
    return "Basic " + core::base64_encode(p.username + ":" + p.password.reveal());
}

class BeastHttpClient final : public HttpClient,
                              public std::enable_shared_from_this<BeastHttpClient> {
  public:
    BeastHttpClient(asio::any_io_executor ex, HttpClientOptions options, core::MetricsRegistry* m)
        : ex_(std::move(ex)),
          options_(std::move(options)),
          tls_(ssl::context::tls_client),
          metrics_(m),
          log_(
              core::logger("net.http" + (options_.name.empty() ? "" : "[" + options_.name + "]"))) {
        SSL_CTX* native = tls_.native_handle();
        SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
        tls_.set_options(ssl::context::default_workarounds | ssl::context::no_compression);
        try {
            if (!options_.ca_pem.empty()) {
                tls_.add_certificate_authority(asio::buffer(options_.ca_pem));
            } else if (!options_.ca_file.empty()) {
                tls_.load_verify_file(options_.ca_file);
            } else {
                // The system bundle is parsed on first use (first https connection): loading
                // it takes tens of milliseconds that plain-http users should not pay.
                use_system_store_ = true;
            }
        } catch (const std::exception& e) {
            throw std::runtime_error(
                "http client: cannot load the trusted CA certificates (" +
                (options_.ca_file.empty() ? std::string("system store") : options_.ca_file) +
                "): " + e.what());
        }
        tls_.set_verify_mode(options_.verify_peer ? ssl::verify_peer : ssl::verify_none);
        if (options_.max_connections_per_host == 0) options_.max_connections_per_host = 1;
    }

    asio::awaitable<Result<HttpResponse>> send(HttpRequest request) override {
        auto self = shared_from_this();
        const auto start = Steady::now();
        const auto timeout = request.timeout.value_or(options_.request_timeout);
        const auto deadline = start + timeout;
        const bool idempotent = request.idempotent.value_or(default_idempotent(request.method));
        std::string url = request.url;
        std::string first_host;

        for (int hop = 0;; ++hop) {
            auto parsed = parse_url(url);
            if (!parsed) {
                Error e = parsed.error();
                e.context = request.method + " " + redact_url(url);
                co_return e;
            }
            if (first_host.empty()) first_host = parsed->host;
            if (parsed->scheme == "http" && !parsed->is_loopback() &&
                !options_.allow_insecure_http) {
                co_return make_error(
                    ErrorKind::permanent,
                    "plain http:// to " + parsed->host +
                        " refused: use https, or set allow_insecure_http: true for this "
                        "connection (tests and sandboxes only)",
                    request.method + " " + redact_url(url));
            }
            Route route = route_for(*parsed);
            auto result = co_await send_once(request, route, deadline, idempotent, timeout);
            const auto elapsed = Steady::now() - start;
            record(route, request.method, url, result, elapsed);
            if (!result) co_return result;
            const int s = result->status;
            const bool redirect = s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
            auto location = result->header("Location");
            if (!request.follow_redirects || !redirect || !location) co_return result;
            if (hop >= options_.max_redirects) {
                co_return make_error(
                    ErrorKind::permanent,
                    "too many redirects (more than " + std::to_string(options_.max_redirects) + ")",
                    request.method + " " + redact_url(request.url));
            }
            auto next = resolve_url(url, *location);
            if (!next) co_return next.error();
            if (s == 303 || ((s == 301 || s == 302) && request.method == "POST")) {
                request.method = "GET";
                request.body.clear();
                std::erase_if(request.headers, [](const auto& h) {
                    return iequals(h.first, "Content-Type") || iequals(h.first, "Content-Length");
                });
            }
            auto next_parsed = parse_url(*next);
            if (next_parsed && next_parsed->host != first_host) {
                // Credentials are for the host the caller named, not for where it redirects.
                std::erase_if(request.headers, [](const auto& h) {
                    return iequals(h.first, "Authorization") || iequals(h.first, "Cookie") ||
                           iequals(h.first, "x-amz-access-token");
                });
            }
            url = *next;
        }
    }

  private:
    Route route_for(const Url& url) const {
        Route r;
        r.url = url;
        const auto& p = url.scheme == "https" ? options_.proxy.https : options_.proxy.http;
        if (p && !(options_.proxy.bypass_loopback && url.is_loopback()) &&
            !matches_no_proxy(options_.proxy.no_proxy, url.host, url.port)) {
            r.proxy = p;
            r.tunnel = url.scheme == "https";
            r.absolute_form = !r.tunnel;
        }
        r.pool_key = url.scheme + "://" + url.authority();
        if (r.proxy) r.pool_key += " via " + r.proxy->host + ":" + std::to_string(r.proxy->port);
        return r;
    }

    std::shared_ptr<Pool> pool_for(const Route& route) {
        std::lock_guard lock(mutex_);
        auto& slot = pools_[route.pool_key];
        if (!slot) {
            slot = std::make_shared<Pool>(ex_, options_.max_connections_per_host, route.pool_key,
                                          route.url.authority());
        }
        return slot;
    }

    asio::awaitable<Result<HttpResponse>> send_once(const HttpRequest& request,
                                                    const Route& route,
                                                    Steady::time_point deadline,
                                                    bool idempotent,
                                                    std::chrono::milliseconds timeout) {
        for (int attempt = 0;; ++attempt) {
            Attempt a = co_await exchange_once(request, route, deadline, timeout);
            if (a.result || !a.resendable || !idempotent || attempt >= 1 ||
                Steady::now() >= deadline) {
                co_return std::move(a.result);
            }
            if (metrics_) {
                metrics_
                    ->counter("clarity_http_retries_total",
                              "Idempotent requests resent after a broken connection",
                              labels(route.url.authority()))
                    .inc();
            }
            log_->debug("{} {}: {}; resending once on a new connection", request.method,
                        redact_url(route.url.to_string()), a.result.error().message);
        }
    }

    /// Waits for a pool slot until the deadline. True when one was taken.
    asio::awaitable<bool> take_slot(std::shared_ptr<Pool> pool, Steady::time_point deadline) {
        bool got = pool->slots.try_receive([](boost::system::error_code) {});
        if (got) co_return true;
        auto signal = std::make_shared<asio::cancellation_signal>();
        auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor);
        timer->expires_at(deadline);
        timer->async_wait([signal](boost::system::error_code ec) {
            if (!ec) signal->emit(asio::cancellation_type::terminal);
        });
        auto [ec] = co_await pool->slots.async_receive(
            asio::bind_cancellation_slot(signal->slot(), kTuple));
        timer->cancel();
        co_return !ec;
    }

    asio::awaitable<Result<tcp::resolver::results_type>> resolve(const std::string& host,
                                                                 std::uint16_t port,
                                                                 Steady::time_point until) {
        boost::system::error_code ec;
        auto addr = asio::ip::make_address(host, ec);
        if (!ec) {
            co_return tcp::resolver::results_type::create(tcp::endpoint(addr, port), host,
                                                          std::to_string(port));
        }
        auto ex = co_await asio::this_coro::executor;
        auto resolver = std::make_shared<tcp::resolver>(ex);
        auto timer = std::make_shared<asio::steady_timer>(ex);
        timer->expires_at(until);
        timer->async_wait([resolver](boost::system::error_code tec) {
            if (!tec) resolver->cancel();
        });
        auto [rec, results] = co_await resolver->async_resolve(host, std::to_string(port), kTuple);
        timer->cancel();
        if (rec == asio::error::operation_aborted && Steady::now() >= until) {
            co_return classify_transport_error(beast::error::timeout, TransportPhase::resolve,
                                               host);
        }
        if (rec) co_return classify_transport_error(rec, TransportPhase::resolve, host, host);
        co_return results;
    }

    asio::awaitable<Result<bool>> open(Connection& conn,
                                       const Route& route,
                                       Steady::time_point deadline,
                                       const std::string& context) {
        const std::string& host = route.proxy ? route.proxy->host : route.url.host;
        const std::uint16_t port = route.proxy ? route.proxy->port : route.url.port;
        const auto connect_until = earliest(Steady::now() + options_.connect_timeout, deadline);
        auto endpoints = co_await resolve(host, port, connect_until);
        if (!endpoints) {
            Error e = endpoints.error();
            e.context = context;
            co_return e;
        }
        auto& stream = *conn.plain;
        stream.expires_at(connect_until);
        auto [cec, ep] = co_await stream.async_connect(*endpoints, kTuple);
        (void)ep;
        if (cec) {
            std::string who = (route.proxy ? "proxy " : "") + host + ":" + std::to_string(port);
            co_return classify_transport_error(
                cec, TransportPhase::connect, context,
                cec == beast::error::timeout ? who + " after " + ms_text(options_.connect_timeout)
                                             : who);
        }
        boost::system::error_code nd;
        stream.socket().set_option(tcp::no_delay(true), nd);
        if (metrics_) {
            metrics_
                ->counter("clarity_http_connections_opened_total",
                          "TCP connections opened by the HTTP client",
                          labels(route.url.authority()))
                .inc();
        }

        if (route.tunnel) {
            bhttp::request<bhttp::empty_body> req(bhttp::verb::connect, route.url.authority(), 11);
            std::string authority = route.url.host + ":" + std::to_string(route.url.port);
            req.target(authority);
            req.set(bhttp::field::host, authority);
            if (!route.proxy->username.empty()) {
                req.set(bhttp::field::proxy_authorization, basic_auth(*route.proxy));
            }
            auto [wec, wn] = co_await bhttp::async_write(stream, req, kTuple);
            (void)wn;
            if (wec) co_return classify_transport_error(wec, TransportPhase::proxy, context);
            bhttp::response_parser<bhttp::empty_body> p;
            p.skip(true);  // a 2xx answer to CONNECT has no body (RFC 9110 9.3.6)
            auto [rec, rn] = co_await bhttp::async_read(stream, conn.buffer, p, kTuple);
            (void)rn;
            if (rec) co_return classify_transport_error(rec, TransportPhase::proxy, context);
            int s = p.get().result_int();
            if (s == 407) {
                co_return make_error(ErrorKind::auth,
                                     "the proxy " + route.proxy->host +
                                         " requires authentication or rejected the credentials "
                                         "(HTTP 407); check the proxy username and password",
                                     context);
            }
            if (s / 100 != 2) {
                Error e = make_error(ErrorKind::transient,
                                     "the proxy " + route.proxy->host + " refused the tunnel to " +
                                         authority + " (HTTP " + std::to_string(s) + ")",
                                     context);
                e.http_status = s;
                co_return e;
            }
        }

        if (route.url.scheme == "https") {
            if (use_system_store_) {
                std::call_once(system_store_once_, [this] {
                    boost::system::error_code ignored;  // an empty store fails verification
                    tls_.set_default_verify_paths(ignored);
                });
            }
            conn.tls.emplace(std::move(*conn.plain), tls_);
            conn.plain.reset();
            SSL* ssl_handle = conn.tls->native_handle();
            if (!route.url.is_ip_literal()) {
                SSL_set_tlsext_host_name(ssl_handle, route.url.host.c_str());
            }
            if (options_.verify_peer) {
                X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
                X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
                if (route.url.is_ip_literal()) {
                    X509_VERIFY_PARAM_set1_ip_asc(param, route.url.host.c_str());
                } else {
                    X509_VERIFY_PARAM_set1_host(param, route.url.host.c_str(), 0);
                }
            }
            conn.tls->next_layer().expires_at(
                earliest(Steady::now() + options_.handshake_timeout, deadline));
            auto [hec] = co_await conn.tls->async_handshake(ssl::stream_base::client, kTuple);
            if (hec) {
                std::string detail;
                long verify = SSL_get_verify_result(ssl_handle);
                if (hec == beast::error::timeout) {
                    detail = "after " + ms_text(options_.handshake_timeout);
                } else if (verify != X509_V_OK) {
                    detail = X509_verify_cert_error_string(verify);
                }
                co_return classify_transport_error(hec, TransportPhase::handshake, context, detail);
            }
        }
        co_return true;
    }

    asio::awaitable<Attempt> exchange_once(const HttpRequest& request,
                                           const Route& route,
                                           Steady::time_point deadline,
                                           std::chrono::milliseconds timeout) {
        // Error context without the query (it may carry secrets); cheaper than redact_url() on
        // every request.
        std::string context = request.method;
        context += ' ';
        context += route.url.scheme;
        context += "://";
        context += route.url.authority();
        context.append(route.url.target, 0, route.url.target.find('?'));
        auto pool = pool_for(route);
        if (!co_await take_slot(pool, deadline)) {
            co_return fail(classify_transport_error(beast::error::timeout, TransportPhase::pool,
                                                    context, "after " + ms_text(timeout)));
        }
        Lease lease(pool);
        {
            std::lock_guard lock(pool->mutex);
            const auto now = Steady::now();
            while (!pool->idle.empty()) {
                auto c = std::move(pool->idle.back());
                pool->idle.pop_back();
                if (now - c->idle_since < options_.idle_timeout && c->is_alive()) {
                    lease.conn = std::move(c);
                    break;
                }
            }
        }
        if (!lease.conn) {
            lease.conn = std::make_unique<Connection>(ex_);
            auto opened = co_await open(*lease.conn, route, deadline, context);
            if (!opened) co_return fail(opened.error());
        }
        // Two statements, not `?:` with co_await in both arms: g++ 12 destroys the temporaries of
        // such an expression twice.
        if (lease.conn->tls) {
            co_return co_await exchange(*lease.conn->tls, *lease.conn, request, route, deadline,
                                        timeout, context, lease.reusable);
        }
        co_return co_await exchange(*lease.conn->plain, *lease.conn, request, route, deadline,
                                    timeout, context, lease.reusable);
    }

    template <class Stream>
    asio::awaitable<Attempt> exchange(Stream& stream,
                                      Connection& conn,
                                      const HttpRequest& request,
                                      const Route& route,
                                      Steady::time_point deadline,
                                      std::chrono::milliseconds timeout,
                                      const std::string& context,
                                      bool& reusable) {
        bhttp::request<bhttp::string_body> req;
        req.version(11);
        auto verb = bhttp::string_to_verb(request.method);
        if (verb == bhttp::verb::unknown) {
            req.method_string(request.method);
        } else {
            req.method(verb);
        }
        req.target(route.absolute_form ? route.url.to_string() : route.url.target);
        req.set(bhttp::field::host, route.url.authority());
        bool has_agent = false, has_encoding = false;
        for (const auto& [k, v] : request.headers) {
            if (iequals(k, "Host") || iequals(k, "Content-Length") || iequals(k, "Connection")) {
                continue;
            }
            has_agent = has_agent || iequals(k, "User-Agent");
            has_encoding = has_encoding || iequals(k, "Accept-Encoding");
            req.insert(k, v);
        }
        if (!has_agent) req.set(bhttp::field::user_agent, options_.user_agent);
        if (!has_encoding && options_.request_gzip) req.set(bhttp::field::accept_encoding, "gzip");
        if (route.absolute_form && !route.proxy->username.empty()) {
            req.set(bhttp::field::proxy_authorization, basic_auth(*route.proxy));
        }
        req.body() = request.body;
        if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
            request.method == "PATCH") {
            req.content_length(request.body.size());
        }
        req.keep_alive(true);

        const auto timed_out_detail = "after " + ms_text(timeout);
        conn.lowest().expires_never();
        auto flag = std::make_shared<DeadlineFlag>();
        flag->stream = &conn.lowest();
        conn.deadline.expires_at(deadline);
        conn.deadline.async_wait([flag](boost::system::error_code ec) {
            if (ec || !flag->armed) return;
            flag->fired = true;
            boost::system::error_code ignored;
            flag->stream->socket().cancel(ignored);
        });
        struct Disarm {
            std::shared_ptr<DeadlineFlag> flag;
            asio::steady_timer& timer;
            ~Disarm() {
                flag->armed = false;
                timer.cancel();
            }
        } disarm{flag, conn.deadline};
        auto timed = [&flag](boost::system::error_code ec) {
            return flag->fired && ec ? boost::system::error_code(beast::error::timeout) : ec;
        };
        auto [wec_raw, wn] = co_await bhttp::async_write(stream, req, kTuple);
        const auto wec = timed(wec_raw);
        (void)wn;
        if (wec) {
            co_return fail(
                classify_transport_error(wec, TransportPhase::write, context,
                                         wec == beast::error::timeout ? timed_out_detail : ""),
                wec != beast::error::timeout);
        }

        bhttp::response_parser<bhttp::buffer_body> parser;
        parser.header_limit(64 * 1024);
        parser.body_limit(boost::none);
        if (request.method == "HEAD") parser.skip(true);
        auto [hec_raw, hn] = co_await bhttp::async_read_header(stream, conn.buffer, parser, kTuple);
        const auto hec = timed(hec_raw);
        (void)hn;
        if (hec) {
            co_return fail(
                classify_transport_error(hec, TransportPhase::read, context,
                                         hec == beast::error::timeout ? timed_out_detail : ""),
                hec != beast::error::timeout);
        }

        HttpResponse res;
        res.url = route.url.to_string();
        const auto& head = parser.get();
        res.status = static_cast<int>(head.result_int());
        bool gzip = false;
        for (const auto& field : head) {
            std::string name(field.name_string());
            std::string value(field.value());
            if (iequals(name, "Content-Encoding") &&
                (iequals(value, "gzip") || iequals(value, "x-gzip"))) {
                gzip = true;
                continue;
            }
            res.headers.emplace_back(std::move(name), std::move(value));
        }
        if (gzip) {
            std::erase_if(res.headers,
                          [](const auto& h) { return iequals(h.first, "Content-Length"); });
        }

        const std::size_t limit = request.max_body_bytes.value_or(options_.max_body_bytes);
        std::ofstream file;
        std::filesystem::path part;
        if (request.body_file) {
            part = *request.body_file;
            part += ".part";
            file.open(part, std::ios::binary | std::ios::trunc);
            if (!file) {
                co_return fail(make_error(
                    ErrorKind::permanent,
                    "cannot open " + part.string() + " for writing the response body", context));
            }
        }
        auto discard_part = [&] {
            if (request.body_file) {
                file.close();
                std::error_code ignored;
                std::filesystem::remove(part, ignored);
            }
        };
        BodySink sink(&res.body, request.body_file ? &file : nullptr, limit);
        std::optional<core::GzipInflater> decoder;
        if (gzip) decoder.emplace();
        const auto to_sink = [&sink](std::string_view piece) {
            return sink.write(piece.data(), piece.size());
        };
        std::size_t wire = 0;
        const std::size_t wire_limit = limit + limit / 4 + 4096;
        const Error over_limit =
            make_error(ErrorKind::permanent,
                       "response body larger than the limit of " + std::to_string(limit) +
                           " bytes (max_body_bytes); raise the limit or request less data",
                       context);
        while (!parser.is_done()) {
            parser.get().body().data = conn.chunk.data();
            parser.get().body().size = conn.chunk.size();
            auto [rec_raw, rn] = co_await bhttp::async_read(stream, conn.buffer, parser, kTuple);
            (void)rn;
            auto rec = timed(rec_raw);
            if (rec == bhttp::error::need_buffer) rec = {};
            if (rec) {
                discard_part();
                co_return fail(classify_transport_error(rec, TransportPhase::read, context,
                                                        rec == beast::error::timeout
                                                            ? timed_out_detail
                                                            : "after " + std::to_string(wire) +
                                                                  " body bytes of the response"),
                               rec != beast::error::timeout);
            }
            const std::size_t n = conn.chunk.size() - parser.get().body().size;
            wire += n;
            if (wire > wire_limit) {
                discard_part();
                co_return fail(over_limit);
            }
            if (decoder) {
                auto st = decoder->feed(std::string_view(conn.chunk.data(), n), to_sink);
                if (st == core::GzipInflater::Status::stopped) {
                    discard_part();
                    co_return fail(over_limit);
                }
                if (st == core::GzipInflater::Status::corrupt) {
                    discard_part();
                    co_return fail(make_error(ErrorKind::transient,
                                              "the gzip-encoded response body is corrupt",
                                              context));
                }
            } else if (!sink.write(conn.chunk.data(), n)) {
                discard_part();
                co_return fail(over_limit);
            }
        }
        if (decoder && !decoder->complete() && request.method != "HEAD" && wire > 0) {
            discard_part();
            co_return fail(make_error(ErrorKind::transient,
                                      "the gzip-encoded response body ended early", context));
        }
        if (request.body_file) {
            file.close();
            std::error_code ec;
            std::filesystem::rename(part, *request.body_file, ec);
            if (!file || ec) {
                discard_part();
                co_return fail(make_error(
                    ErrorKind::permanent,
                    "cannot write the response body to " + request.body_file->string(), context));
            }
        }
        reusable = parser.keep_alive() && !flag->fired;
        co_return Attempt{Result<HttpResponse>(std::move(res)), false};
    }

    core::Labels labels(const std::string& host) const {
        return {{"client", options_.name}, {"host", host}};
    }

    void record(const Route& route,
                const std::string& method,
                const std::string& url,
                const Result<HttpResponse>& result,
                Steady::duration elapsed) {
        const double seconds = std::chrono::duration<double>(elapsed).count();
        const std::string host = route.url.authority();
        if (metrics_) {
            std::string code = result ? std::to_string(result->status / 100) + "xx" : "error";
            metrics_
                ->counter("clarity_http_requests_total", "HTTP requests by host and outcome",
                          {{"client", options_.name}, {"host", host}, {"code", code}})
                .inc();
            metrics_
                ->histogram("clarity_http_request_duration_seconds",
                            "HTTP request latency (whole request, including connecting)",
                            labels(host))
                .observe(seconds);
            if (!result) {
                metrics_
                    ->counter("clarity_http_errors_total", "HTTP transport errors by kind",
                              {{"client", options_.name},
                               {"host", host},
                               {"kind", std::string(to_string(result.error().kind))}})
                    .inc();
            }
        }
        if (log_->should_log(spdlog::level::debug)) {
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
            if (result) {
                log_->debug("{} {} -> {} in {} ms", method, redact_url(url), result->status, ms);
            } else {
                log_->debug("{} {} -> failed in {} ms: {}", method, redact_url(url), ms,
                            result.error().describe());
            }
        }
    }

    asio::any_io_executor ex_;
    HttpClientOptions options_;
    ssl::context tls_;
    bool use_system_store_ = false;
    std::once_flag system_store_once_;
    core::MetricsRegistry* metrics_;
    std::shared_ptr<spdlog::logger> log_;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Pool>> pools_;
};

}  // namespace

std::shared_ptr<HttpClient> make_http_client(asio::any_io_executor executor,
                                             HttpClientOptions options,
                                             core::MetricsRegistry* metrics) {
    return std::make_shared<BeastHttpClient>(std::move(executor), std::move(options), metrics);
}

}  // namespace clarity::net
