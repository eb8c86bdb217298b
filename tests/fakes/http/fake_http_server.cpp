#include "fake_http_server.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <condition_variable>
#include <list>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace clarity::fakes::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

}  // namespace

std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
    for (const auto& [k, v] : headers) {
        if (iequals(k, name)) return v;
    }
    return std::nullopt;
}

Response Response::text(int status, std::string body, std::string content_type) {
    Response r;
    r.status = status;
    r.headers.emplace_back("Content-Type", std::move(content_type));
    r.body = std::move(body);
    return r;
}

Response Response::json(int status, std::string body) {
    return text(status, std::move(body), "application/json");
}

struct FakeHttpServer::Impl {
    ServerOptions options;

    // Shared with test threads (guarded by mutex).
    mutable std::mutex mutex;
    mutable std::condition_variable cv;
    Handler handler;
    std::vector<Request> log;
    std::size_t connections = 0;
    std::size_t open = 0;

    std::atomic<std::size_t> held{0};
    std::atomic<bool> release_future{false};

    // Server thread only. Declared before the io_context: coroutine frames destroyed by the
    // io_context's destructor still unregister themselves here.
    std::list<asio::steady_timer*> held_timers;
    std::map<std::size_t, tcp::socket*> sockets;

    asio::io_context ioc{1};
    tcp::acceptor acceptor{ioc};
    std::optional<ssl::context> tls;
    std::uint16_t port = 0;
    std::thread thread;
};

namespace {

using Impl = FakeHttpServer::Impl;

std::string format_head(const Request& req, const Response& res, bool keep_alive) {
    std::string out = "HTTP/1.1 " + std::to_string(res.status) + " ";
    auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(res.status));
    out.append(reason.data(), reason.size());
    out += "\r\n";
    for (const auto& [k, v] : res.headers) out += k + ": " + v + "\r\n";
    if (res.chunked) {
        if (!find_header(res.headers, "Transfer-Encoding")) out += "Transfer-Encoding: chunked\r\n";
    } else if (!find_header(res.headers, "Content-Length")) {
        out += "Content-Length: " + std::to_string(res.body.size()) + "\r\n";
    }
    if (!keep_alive && !find_header(res.headers, "Connection")) out += "Connection: close\r\n";
    out += "\r\n";
    (void)req;
    return out;
}

std::string format_body(const Request& req, const Response& res) {
    if (req.method == "HEAD" || res.status == 204 || res.status == 304) return {};
    if (!res.chunked) return res.body;
    std::string out;
    std::size_t step = std::max<std::size_t>(1, res.chunk_size);
    for (std::size_t i = 0; i < res.body.size(); i += step) {
        std::size_t n = std::min(step, res.body.size() - i);
        char size_hex[32];
        std::snprintf(size_hex, sizeof size_hex, "%zx\r\n", n);
        out += size_hex;
        out.append(res.body, i, n);
        out += "\r\n";
    }
    out += "0\r\n\r\n";
    return out;
}

void abort_socket(tcp::socket& sock) {
    boost::system::error_code ec;
    sock.set_option(asio::socket_base::linger(true, 0), ec);
    sock.close(ec);
}

void close_socket(tcp::socket& sock) {
    boost::system::error_code ec;
    sock.shutdown(tcp::socket::shutdown_both, ec);
    sock.close(ec);
}

struct SocketRegistration {
    Impl* impl;
    std::size_t id;
    SocketRegistration(Impl* i, std::size_t n, tcp::socket* s) : impl(i), id(n) {
        impl->sockets[id] = s;
    }
    ~SocketRegistration() {
        impl->sockets.erase(id);
        std::lock_guard lock(impl->mutex);
        --impl->open;
    }
    SocketRegistration(const SocketRegistration&) = delete;
    SocketRegistration& operator=(const SocketRegistration&) = delete;
};

asio::awaitable<void> wait_until_released(Impl* impl) {
    if (impl->release_future.load()) co_return;
    asio::steady_timer timer(impl->ioc, asio::steady_timer::time_point::max());
    impl->held_timers.push_back(&timer);
    auto it = std::prev(impl->held_timers.end());
    ++impl->held;
    co_await timer.async_wait(kTuple);
    --impl->held;
    impl->held_timers.erase(it);
}

template <class Stream>
asio::awaitable<void> serve(Impl* impl, Stream& stream, tcp::socket& sock, std::size_t id) {
    beast::flat_buffer buffer;
    for (;;) {
        bhttp::request_parser<bhttp::string_body> parser;
        parser.body_limit(impl->options.max_request_body);
        auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
        (void)n;
        if (ec == bhttp::error::body_limit) {
            std::string reply =
                "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            co_await asio::async_write(stream, asio::buffer(reply), kTuple);
            close_socket(sock);
            co_return;
        }
        if (ec) {
            close_socket(sock);
            co_return;
        }
        auto& msg = parser.get();
        Request req;
        req.method = std::string(msg.method_string());
        req.target = std::string(msg.target());
        for (const auto& field : msg) {
            req.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        }
        req.body = std::move(msg.body());
        req.connection_id = id;
        bool keep_alive = msg.keep_alive();

        Handler handler;
        {
            std::lock_guard lock(impl->mutex);
            impl->log.push_back(req);
            handler = impl->handler;
        }
        impl->cv.notify_all();

        Response res;
        try {
            res = handler ? handler(req) : Response::text(404, "no handler");
        } catch (const std::exception& e) {
            res = Response::text(500, std::string("fake handler threw: ") + e.what());
        }
        if (res.close_connection) keep_alive = false;

        if (res.delay.count() > 0) {
            asio::steady_timer timer(impl->ioc, res.delay);
            co_await timer.async_wait(kTuple);
        }
        if (res.hold) co_await wait_until_released(impl);

        if (res.raw) {
            co_await asio::async_write(stream, asio::buffer(*res.raw), kTuple);
            close_socket(sock);
            co_return;
        }
        switch (res.fault) {
            case Fault::close_before_response:
                close_socket(sock);
                co_return;
            case Fault::reset_before_response:
                abort_socket(sock);
                co_return;
            case Fault::close_mid_response:
            case Fault::reset_mid_response: {
                Response whole = res;
                whole.chunked = false;
                std::string bytes = format_head(req, whole, keep_alive);
                bytes.append(whole.body, 0, whole.body.size() / 2);
                co_await asio::async_write(stream, asio::buffer(bytes), kTuple);
                if (res.fault == Fault::reset_mid_response)
                    abort_socket(sock);
                else
                    close_socket(sock);
                co_return;
            }
            case Fault::none:
                break;
        }
        std::string bytes = format_head(req, res, keep_alive) + format_body(req, res);
        auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(bytes), kTuple);
        (void)wn;
        if (wec || !keep_alive) {
            close_socket(sock);
            co_return;
        }
    }
}

asio::awaitable<void> session_plain(Impl* impl, tcp::socket sock, std::size_t id) {
    SocketRegistration reg(impl, id, &sock);
    co_await serve(impl, sock, sock, id);
}

asio::awaitable<void> session_tls(Impl* impl, tcp::socket sock, std::size_t id) {
    ssl::stream<tcp::socket> stream(std::move(sock), *impl->tls);
    SocketRegistration reg(impl, id, &stream.next_layer());
    auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, kTuple);
    if (ec) {
        close_socket(stream.next_layer());
        co_return;
    }
    co_await serve(impl, stream, stream.next_layer(), id);
}

asio::awaitable<void> accept_loop(Impl* impl) {
    for (;;) {
        auto [ec, sock] = co_await impl->acceptor.async_accept(kTuple);
        if (ec == asio::error::operation_aborted || !impl->acceptor.is_open()) co_return;
        if (ec) continue;
        std::size_t id;
        {
            std::lock_guard lock(impl->mutex);
            id = ++impl->connections;
            ++impl->open;
        }
        impl->cv.notify_all();
        boost::system::error_code nd;
        sock.set_option(tcp::no_delay(true), nd);
        if (impl->tls) {
            asio::co_spawn(impl->ioc, session_tls(impl, std::move(sock), id),
                           [](std::exception_ptr) {});
        } else {
            asio::co_spawn(impl->ioc, session_plain(impl, std::move(sock), id),
                           [](std::exception_ptr) {});
        }
    }
}

}  // namespace

FakeHttpServer::FakeHttpServer(Handler handler, ServerOptions options)
    : impl_(std::make_shared<Impl>()) {
    impl_->options = std::move(options);
    impl_->handler = std::move(handler);
    if (impl_->options.tls) {
        const auto& t = *impl_->options.tls;
        impl_->tls.emplace(ssl::context::tls_server);
        auto& ctx = *impl_->tls;
        SSL_CTX* native = ctx.native_handle();
        if (t.min_version != 0 && t.max_version != 0 && t.max_version < TLS1_2_VERSION) {
            SSL_CTX_set_security_level(native, 0);
            SSL_CTX_set_cipher_list(native, "DEFAULT:@SECLEVEL=0");
        }
        if (t.min_version != 0) SSL_CTX_set_min_proto_version(native, t.min_version);
        if (t.max_version != 0) SSL_CTX_set_max_proto_version(native, t.max_version);
        try {
            ctx.use_certificate_chain(asio::buffer(t.cert_chain_pem));
            ctx.use_private_key(asio::buffer(t.private_key_pem), ssl::context::pem);
        } catch (const std::exception& e) {
            throw std::runtime_error(std::string("fake http server: bad TLS cert/key: ") +
                                     e.what());
        }
    }
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    impl_->acceptor.open(ep.protocol());
    impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    impl_->acceptor.bind(ep);
    impl_->acceptor.listen();
    impl_->port = impl_->acceptor.local_endpoint().port();
    Impl* raw = impl_.get();
    asio::co_spawn(raw->ioc, accept_loop(raw), [](std::exception_ptr) {});
    impl_->thread = std::thread([raw] { raw->ioc.run(); });
}

FakeHttpServer::~FakeHttpServer() {
    Impl* raw = impl_.get();
    asio::post(raw->ioc, [raw] {
        boost::system::error_code ec;
        raw->acceptor.close(ec);
        for (auto& [id, s] : raw->sockets) close_socket(*s);
        for (auto* t : raw->held_timers) t->cancel();
        raw->ioc.stop();
    });
    if (raw->thread.joinable()) raw->thread.join();
}

std::string FakeHttpServer::base_url() const {
    return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
}

std::uint16_t FakeHttpServer::port() const { return impl_->port; }

void FakeHttpServer::set_handler(Handler handler) {
    std::lock_guard lock(impl_->mutex);
    impl_->handler = std::move(handler);
}

std::vector<Request> FakeHttpServer::requests() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->log;
}

std::size_t FakeHttpServer::request_count() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->log.size();
}

std::size_t FakeHttpServer::connection_count() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->connections;
}

std::size_t FakeHttpServer::open_connections() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->open;
}

bool FakeHttpServer::wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(impl_->mutex);
    return impl_->cv.wait_for(lock, timeout, [&] { return impl_->log.size() >= n; });
}

void FakeHttpServer::release_held(bool and_future) {
    Impl* raw = impl_.get();
    if (and_future) raw->release_future = true;
    asio::post(raw->ioc, [raw] {
        for (auto* t : raw->held_timers) t->cancel();
    });
}

std::size_t FakeHttpServer::held_count() const { return impl_->held.load(); }

void FakeHttpServer::close_all_connections() {
    Impl* raw = impl_.get();
    asio::post(raw->ioc, [raw] {
        for (auto& [id, s] : raw->sockets) close_socket(*s);
    });
}

}  // namespace clarity::fakes::http
