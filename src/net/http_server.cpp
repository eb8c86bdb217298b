#include "clarity/net/http_server.hpp"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <set>
#include <variant>

#include "clarity/core/log.hpp"

namespace clarity::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

core::ConfigSpec http_server_config_spec() {
    using core::ConfigType;
    core::ConfigSpec spec;
    spec.add({.name = "listen",
              .type = ConfigType::string,
              .description = "Address and port of the admin HTTP server (/healthz, /readyz, "
                             "/metrics), as host:port; [::1]:8080 for IPv6. Port 0 picks a free "
                             "port.",
              .default_value = "127.0.0.1:8080"});
    spec.add({.name = "token",
              .type = ConfigType::secret,
              .description = "Bearer token required for every endpoint except /healthz, "
                             "/readyz and the Odoo webhooks, which carry their own secret "
                             "(`Authorization: Bearer <token>`). When unset, /metrics is open and "
                             "administrative endpoints are refused (403)."});
    spec.add({.name = "max_header_bytes",
              .type = ConfigType::integer,
              .description = "Largest accepted request header block; larger requests get 413.",
              .default_value = "8192"});
    spec.add({.name = "max_body_bytes",
              .type = ConfigType::integer,
              .description = "Largest accepted request body; larger requests get 413.",
              .default_value = "1048576"});
    spec.add({.name = "request_timeout",
              .type = ConfigType::duration,
              .description = "Time a client has to send one whole request (and to send the next "
                             "one on a kept-alive connection); slower clients are disconnected.",
              .default_value = "10s"});
    spec.add({.name = "max_connections",
              .type = ConfigType::integer,
              .description = "Simultaneous connections; more are answered 503 and closed.",
              .default_value = "64"});
    return spec;
}

namespace {
std::int64_t positive(const core::ConfigNode& node, std::string_view key) {
    const auto v = node.get_int(key);
    if (v <= 0) node.fail(key, "must be greater than 0");
    return v;
}
}  // namespace

HttpServerOptions http_server_options_from_config(const core::ConfigNode& node) {
    HttpServerOptions o;
    const std::string listen = node.get_string("listen");
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) {
        node.fail("listen", "'" + listen + "' is not host:port");
    }
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    std::int64_t port = -1;
    try {
        port = core::parse_int(listen.substr(colon + 1));
    } catch (const core::ConfigError&) {
        port = -1;
    }
    if (port < 0 || port > 65535) {
        node.fail("listen", "'" + listen + "' has no valid port (0-65535)");
    }
    o.host = host;
    o.port = static_cast<std::uint16_t>(port);
    if (node.has("token")) o.token = node.get_secret("token");
    o.max_header_bytes = static_cast<std::size_t>(positive(node, "max_header_bytes"));
    o.max_body_bytes = static_cast<std::size_t>(positive(node, "max_body_bytes"));
    o.request_timeout = node.get_duration("request_timeout");
    o.max_connections = static_cast<std::size_t>(positive(node, "max_connections"));
    return o;
}

namespace {

using Strand = asio::strand<asio::io_context::executor_type>;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

struct Route {
    Access access = Access::open;
    std::variant<AsyncHandler, SyncHandler> handler;
};

// A connection known to the server, so shutdown can close idle ones and, at the deadline, all.
struct Connection {
    beast::tcp_stream* stream = nullptr;
    bool busy = false;      // between a complete request and the end of its response
    bool reserved = false;  // one of the probe slots beyond max_connections
};

// Connections beyond max_connections kept for probes (Access::probe routes: /healthz, /readyz), so
// a daemon whose ordinary slots are all held (idle keep-alive, slow or hostile clients) still
// answers its orchestrator. A reserved connection serves one request and gets a short deadline.
constexpr std::size_t kProbeSlots = 2;
constexpr std::chrono::milliseconds kProbeTimeout{2000};

// Constant-time comparison: the token check must not leak how many leading bytes matched.
bool equal_secret(std::string_view a, std::string_view b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
    }
    return diff == 0;
}

ServerResponse plain(int status, std::string body) {
    ServerResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

}  // namespace

// Everything a running server shares between its coroutines; touched only on `strand`.
struct ServerState {
    ServerState(asio::io_context& io_, HttpServerOptions options_)
        : io(io_),
          options(std::move(options_)),
          strand(asio::make_strand(io_)),
          acceptor(strand),
          done(strand),
          log("admin.http") {}

    asio::io_context& io;
    HttpServerOptions options;
    Strand strand;
    tcp::acceptor acceptor;
    asio::steady_timer done;  // cancelled when the last connection leaves during shutdown
    core::Log log;
    std::map<std::string, std::map<std::string, Route>> routes;  // path -> method -> route
    std::map<std::uint64_t, Connection*> connections;            // ordered by id: oldest first
    std::size_t reserved_count = 0;
    std::atomic<std::size_t> connection_count{0};
    std::uint64_t next_id = 0;
    bool stopping = false;

    void leave(std::uint64_t id) {
        connections.erase(id);
        connection_count = connections.size();
        if (stopping && connections.empty()) done.cancel();
    }

    std::optional<ServerResponse> check_access(Access access, const ServerRequest& req) const {
        if (access == Access::open || access == Access::probe) return std::nullopt;
        if (!options.token) {
            if (access == Access::token_if_set) return std::nullopt;
            return plain(403, "forbidden: this endpoint needs admin.token to be configured\n");
        }
        const auto auth = req.header("Authorization");
        constexpr std::string_view kBearer = "Bearer ";
        if (auth && auth->size() > kBearer.size() && auth->substr(0, kBearer.size()) == kBearer &&
            equal_secret(auth->substr(kBearer.size()), options.token->reveal())) {
            return std::nullopt;
        }
        ServerResponse r = plain(401, "unauthorized: send Authorization: Bearer <admin.token>\n");
        r.headers.emplace_back("WWW-Authenticate", "Bearer");
        return r;
    }
};

struct HttpServer::Impl : ServerState {
    using ServerState::ServerState;
};

namespace {

ServerRequest to_server_request(Request& req) {
    ServerRequest out;
    out.method = std::string(req.method_string());
    out.target = std::string(req.target());
    const auto q = out.target.find('?');
    out.path = out.target.substr(0, q);
    if (q != std::string::npos) out.query = out.target.substr(q + 1);
    for (const auto& field : req) {
        out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    out.body = std::move(req.body());
    return out;
}

Response to_beast(const ServerResponse& r, unsigned version, bool keep_alive) {
    Response res{static_cast<http::status>(r.status), version};
    res.set(http::field::server, "clarity-connect");
    res.set(http::field::content_type, r.content_type);
    res.set(http::field::cache_control, "no-store");
    for (const auto& [k, v] : r.headers) res.set(k, v);
    res.body() = r.body;
    res.keep_alive(keep_alive);
    res.prepare_payload();
    return res;
}

ServerResponse too_many_connections() {
    ServerResponse r = plain(503, "too many connections\n");
    r.headers.emplace_back("Retry-After", "1");
    return r;
}

// `reserved`: the request came on a probe slot, which serves Access::probe routes only.
asio::awaitable<ServerResponse> dispatch(std::shared_ptr<ServerState> self,
                                         ServerRequest req,
                                         bool reserved) {
    const auto path_it = self->routes.find(req.path);
    if (path_it == self->routes.end()) {
        co_return reserved ? too_many_connections() : plain(404, "not found\n");
    }
    auto route_it = path_it->second.find(req.method);
    // HEAD wherever GET works (RFC 9110 §9.3.2): the GET handler runs, the body is not sent.
    if (route_it == path_it->second.end() && req.method == "HEAD") {
        route_it = path_it->second.find("GET");
    }
    if (reserved &&
        (route_it == path_it->second.end() || route_it->second.access != Access::probe)) {
        co_return too_many_connections();
    }
    if (route_it == path_it->second.end()) {
        ServerResponse r = plain(405, "method not allowed\n");
        std::string allow;
        for (const auto& [method, route] : path_it->second) {
            allow += (allow.empty() ? "" : ", ") + method;
        }
        if (path_it->second.contains("GET") && !path_it->second.contains("HEAD")) {
            allow += ", HEAD";
        }
        r.headers.emplace_back("Allow", allow);
        co_return r;
    }
    const Route route = route_it->second;  // copy: routes may not change, but stay safe
    if (auto denied = self->check_access(route.access, req)) co_return *denied;
    try {
        if (const auto* sync = std::get_if<SyncHandler>(&route.handler)) co_return (*sync)(req);
        co_return co_await std::get<AsyncHandler>(route.handler)(std::move(req));
    } catch (const std::exception& e) {
        self->log.error("handler for {} failed: {}", route_it->first, e.what());
    }
    co_return plain(500, "internal error\n");
}

// Lingering close: after an early response (413), read and discard what the client is still
// sending for a moment, so closing does not reset the connection before it reads the response.
asio::awaitable<void> drain_and_close(beast::tcp_stream& stream) {
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.expires_after(std::chrono::seconds(1));
    std::array<char, 4096> scratch{};
    std::size_t total = 0;
    while (total < 4 * 1024 * 1024) {
        auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(scratch),
                                                            asio::as_tuple(asio::use_awaitable));
        if (read_ec) break;
        total += n;
    }
    stream.close();
}

std::string_view buffered(const beast::flat_buffer& buffer) {
    return {static_cast<const char*>(buffer.data().data()), buffer.size()};
}

// Where the header block in `data` ends (after its blank line), or npos while it is incomplete.
// Empty lines before the request line are skipped, as the parser does (RFC 9112 §2.2). A bare LF
// also ends it, so the parser sees (and refuses) such a request at once.
std::size_t head_end(std::string_view data) {
    std::size_t start = 0;
    while (start < data.size() && (data[start] == '\r' || data[start] == '\n')) ++start;
    for (std::size_t i = data.find('\n', start); i != std::string_view::npos;
         i = data.find('\n', i + 1)) {
        if (i + 1 < data.size() && data[i + 1] == '\n') return i + 2;
        if (i + 2 < data.size() && data[i + 1] == '\r' && data[i + 2] == '\n') return i + 3;
    }
    return std::string_view::npos;
}

// False once the request line (so far) holds a byte no request line can hold: the parser then
// answers at once rather than after the whole header block arrives.
bool plausible_request_line(std::string_view data) {
    std::size_t i = 0;
    while (i < data.size() && (data[i] == '\r' || data[i] == '\n')) ++i;
    for (; i < data.size() && data[i] != '\n'; ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        if ((c < 0x20 || c > 0x7E) && c != '\r') return false;
    }
    return true;
}

// Reads until `buffer` holds a whole header block (at most `limit` bytes), so its raw bytes can be
// checked before Beast parses them: Beast unfolds obsolete line folding silently. Returns early
// (no error) when the bytes cannot be a request, for the parser to refuse.
asio::awaitable<beast::error_code> read_head(beast::tcp_stream& stream,
                                             beast::flat_buffer& buffer,
                                             std::size_t limit) {
    for (;;) {
        const auto data = buffered(buffer);
        if (head_end(data) != std::string_view::npos || !plausible_request_line(data)) {
            co_return beast::error_code{};
        }
        if (data.size() > limit) co_return beast::error_code(http::error::header_limit);
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096),
                                                       asio::as_tuple(asio::use_awaitable));
        if (ec) co_return ec;
        buffer.commit(n);
    }
}

// A header line that starts with a space or tab continues the previous one (obs-fold), which
// RFC 9112 §5.2 lets a server refuse; refusing it keeps every hop reading the same headers.
bool has_obs_fold(std::string_view data) {
    const auto end = head_end(data);
    if (end == std::string_view::npos) return false;
    const auto head = data.substr(0, end);
    for (std::size_t i = head.find('\n'); i != std::string_view::npos; i = head.find('\n', i + 1)) {
        if (i + 1 < head.size() && (head[i + 1] == ' ' || head[i + 1] == '\t')) return true;
    }
    return false;
}

asio::awaitable<void> answer_and_close(beast::tcp_stream& stream, std::string reason) {
    auto res = to_beast(plain(400, "bad request: " + std::move(reason) + "\n"), 11, false);
    stream.expires_after(std::chrono::seconds(5));
    co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
    co_await drain_and_close(stream);
}

asio::awaitable<void> run_session(std::shared_ptr<ServerState> self,
                                  tcp::socket socket,
                                  bool reserved) {
    beast::tcp_stream stream(std::move(socket));
    Connection conn{&stream, false, reserved};
    const std::uint64_t id = self->next_id++;
    self->connections.emplace(id, &conn);
    self->connection_count = self->connections.size();
    if (reserved) ++self->reserved_count;
    struct Leave {
        ServerState* impl;
        std::uint64_t id;
        bool reserved;
        ~Leave() {
            if (reserved) --impl->reserved_count;
            impl->leave(id);
        }
    } leave{self.get(), id, reserved};
    const auto timeout = reserved ? std::min(self->options.request_timeout, kProbeTimeout)
                                  : self->options.request_timeout;

    beast::flat_buffer buffer;
    for (;;) {
        if (self->stopping) break;
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(
            std::min<std::size_t>(self->options.max_header_bytes, UINT32_MAX)));
        parser.body_limit(self->options.max_body_bytes);
        stream.expires_after(timeout);
        beast::error_code ec = co_await read_head(stream, buffer, self->options.max_header_bytes);
        if (!ec && has_obs_fold(buffered(buffer))) {
            self->log.info("request with obsolete line folding in a header; answered 400");
            co_await answer_and_close(stream, "obsolete line folding in a header");
            co_return;
        }
        if (!ec) {
            auto [read_ec, n] = co_await http::async_read(stream, buffer, parser,
                                                          asio::as_tuple(asio::use_awaitable));
            ec = read_ec;
        }
        if (ec) {
            if (ec == http::error::header_limit || ec == http::error::body_limit) {
                const bool header = ec == http::error::header_limit;
                self->log.info("request {} too large; answered 413", header ? "header" : "body");
                auto res = to_beast(
                    plain(413, header ? "request header too large\n" : "request body too large\n"),
                    11, false);
                stream.expires_after(std::chrono::seconds(5));
                co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
                co_await drain_and_close(stream);
                co_return;
            }
            if (ec == beast::error::timeout) {
                self->log.debug("client did not send a whole request within {} ms; dropped",
                                timeout.count());
            } else if (ec.category() == beast::error_code(http::error::end_of_stream).category() &&
                       ec != http::error::end_of_stream && ec != http::error::partial_message) {
                // A parse error: the client is not speaking HTTP/1.1 correctly.
                auto res = to_beast(plain(400, "bad request\n"), 11, false);
                stream.expires_after(std::chrono::seconds(5));
                co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
            }
            break;
        }
        Request req = parser.release();
        // RFC 9112 §3.2: a server answers 400 to an HTTP/1.1 request without a Host header, and
        // to any request with more than one.
        const auto hosts = req.count(http::field::host);
        if ((req.version() >= 11 && hosts == 0) || hosts > 1) {
            self->log.info("request with {} Host headers; answered 400", hosts);
            co_await answer_and_close(
                stream, hosts == 0 ? "HTTP/1.1 needs a Host header" : "more than one Host header");
            co_return;
        }
        conn.busy = true;
        const unsigned version = req.version();
        const bool wants_keep_alive = req.keep_alive() && !reserved;
        const bool head = req.method() == http::verb::head;
        ServerResponse out = co_await dispatch(self, to_server_request(req), reserved);
        auto res = to_beast(out, version, wants_keep_alive && !self->stopping);
        stream.expires_after(timeout);
        beast::error_code write_ec;
        if (head) {
            // The GET answer's headers (Content-Length included), without its body.
            http::response_serializer<http::string_body> serializer{res};
            auto [ec_head, written] = co_await http::async_write_header(
                stream, serializer, asio::as_tuple(asio::use_awaitable));
            write_ec = ec_head;
        } else {
            auto [ec_all, written] =
                co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
            write_ec = ec_all;
        }
        conn.busy = false;
        if (write_ec || !res.keep_alive()) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.close();
}

asio::awaitable<void> reject_busy(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    auto res = to_beast(plain(503, "too many connections\n"), 11, false);
    res.set(http::field::retry_after, "1");
    stream.expires_after(std::chrono::seconds(2));
    co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
    co_await drain_and_close(stream);
}

struct LogFailure {
    core::Log log;
    const char* what;
    void operator()(std::exception_ptr e) const {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            log.error("{} failed: {}", what, ex.what());
        }
    }
};

asio::awaitable<void> accept_loop(std::shared_ptr<ServerState> self) {
    for (;;) {
        auto [ec, socket] =
            co_await self->acceptor.async_accept(self->strand, asio::as_tuple(asio::use_awaitable));
        if (self->stopping || ec == asio::error::operation_aborted) co_return;
        if (ec) {
            // E.g. out of file descriptors: say so, and pause rather than spin.
            self->log.warn("accept failed: {}", ec.message());
            asio::steady_timer pause(self->strand, std::chrono::milliseconds(100));
            co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
        }
        const bool reserved = self->connections.size() >= self->options.max_connections;
        if (reserved && self->reserved_count >= kProbeSlots) {
            // Every probe slot is taken: the oldest one still waiting for its request gives way,
            // so held-open sockets cannot keep a probe out.
            Connection* oldest = nullptr;
            for (auto& [conn_id, conn] : self->connections) {
                if (conn->reserved && !conn->busy) {
                    oldest = conn;
                    break;
                }
            }
            if (oldest == nullptr) {
                self->log.warn("connection limit ({}) reached; answered 503",
                               self->options.max_connections);
                asio::co_spawn(self->strand, reject_busy(std::move(socket)),
                               LogFailure{self->log, "rejecting a connection"});
                continue;
            }
            oldest->reserved = false;  // chosen once; it leaves when its read is aborted
            oldest->stream->close();
        }
        if (reserved) {
            self->log.warn(
                "connection limit ({}) reached; a probe slot serves /healthz and "
                "/readyz only",
                self->options.max_connections);
        }
        asio::co_spawn(self->strand, run_session(self, std::move(socket), reserved),
                       LogFailure{self->log, "admin HTTP session"});
    }
}

asio::awaitable<void> shutdown_on_strand(std::shared_ptr<ServerState> self,
                                         std::chrono::milliseconds deadline) {
    self->stopping = true;
    beast::error_code ignored;
    self->acceptor.close(ignored);
    for (auto& [id, conn] : self->connections) {
        if (!conn->busy) conn->stream->close();  // idle keep-alive or half-sent request
    }
    if (!self->connections.empty()) {
        self->done.expires_after(deadline);
        co_await self->done.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (!self->connections.empty()) {
        self->log.warn("{} request(s) still running after the {} ms shutdown deadline; closing",
                       self->connections.size(), deadline.count());
        for (auto& [id, conn] : self->connections) conn->stream->close();
    }
}

}  // namespace

HttpServer::HttpServer(boost::asio::io_context& io, HttpServerOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {}

HttpServer::~HttpServer() {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
}

void HttpServer::route(std::string method, std::string path, Access access, AsyncHandler handler) {
    impl_->routes[std::move(path)][std::move(method)] = Route{access, std::move(handler)};
}

void HttpServer::route(std::string method, std::string path, Access access, SyncHandler handler) {
    impl_->routes[std::move(path)][std::move(method)] = Route{access, std::move(handler)};
}

void HttpServer::listen() {
    const auto& o = impl_->options;
    const std::string where =
        (o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host) + ":" +
        std::to_string(o.port);
    beast::error_code ec;
    tcp::endpoint endpoint;
    const auto address = asio::ip::make_address(o.host, ec);
    if (!ec) {
        endpoint = tcp::endpoint(address, o.port);
    } else {
        tcp::resolver resolver(impl_->io);
        auto results =
            resolver.resolve(o.host, std::to_string(o.port),
                             tcp::resolver::passive | tcp::resolver::numeric_service, ec);
        if (ec || results.empty()) {
            throw std::runtime_error("cannot listen on " + where + ": cannot resolve host '" +
                                     o.host + "': " + ec.message());
        }
        endpoint = results.begin()->endpoint();
    }
    auto& acceptor = impl_->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        beast::error_code ignored;
        acceptor.close(ignored);
        throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
    }
}

std::uint16_t HttpServer::port() const {
    beast::error_code ec;
    const auto endpoint = impl_->acceptor.local_endpoint(ec);
    return ec ? 0 : endpoint.port();
}

void HttpServer::start() {
    asio::co_spawn(impl_->strand, accept_loop(impl_), LogFailure{impl_->log, "admin HTTP accept"});
}

boost::asio::awaitable<void> HttpServer::shutdown(std::chrono::milliseconds deadline) {
    co_await asio::co_spawn(impl_->strand, shutdown_on_strand(impl_, deadline),
                            asio::use_awaitable);
}

std::size_t HttpServer::connection_count() const { return impl_->connection_count.load(); }

bool secrets_equal(std::string_view sent, std::string_view expected) noexcept {
    return equal_secret(sent, expected);
}

}  // namespace clarity::net
