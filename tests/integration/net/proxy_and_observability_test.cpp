// The HttpClient through a small HTTP proxy written here (CONNECT tunnels and absolute-form
// forwarding, basic auth), plus what the client logs and counts.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <mutex>
#include <sstream>
#include <thread>

#include "clarity/core/log.hpp"
#include "clarity/net/http_client.hpp"
#include "http/fake_http_server.hpp"
#include "http/test_certs.hpp"
#include "net_test_support.hpp"

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using clarity::ErrorKind;
using clarity::net::HttpClientOptions;
using clarity::net::HttpRequest;
using clarity::net::make_http_client;
using clarity::net::ProxyEndpoint;
using clarity::net::test::run;
namespace fake = clarity::fakes::http;

namespace {

/// A blocking, thread-per-connection HTTP proxy: CONNECT opens a tunnel; any other method is
/// forwarded byte for byte to the host named in the absolute-form target.
class TinyProxy {
  public:
    explicit TinyProxy(std::string required_auth = {})
        : required_auth_(std::move(required_auth)),
          acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
        accept_thread_ = std::thread([this] { accept_loop(); });
    }
    ~TinyProxy() {
        stopping_ = true;
        boost::system::error_code ec;
        {
            // A blocking accept() is not interrupted by close(): wake it with a connection.
            tcp::socket waker(ioc_);
            waker.connect(acceptor_.local_endpoint(), ec);
            accept_thread_.join();
        }
        acceptor_.close(ec);
        {
            std::lock_guard lock(mutex_);
            for (auto& s : sockets_) {
                s->shutdown(tcp::socket::shutdown_both, ec);
                s->close(ec);
            }
        }
        for (auto& t : threads_) t.join();
    }
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    std::vector<std::string> request_lines() const {
        std::lock_guard lock(mutex_);
        return lines_;
    }
    std::vector<std::string> auth_headers() const {
        std::lock_guard lock(mutex_);
        return auths_;
    }

  private:
    std::shared_ptr<tcp::socket> track(std::shared_ptr<tcp::socket> s) {
        std::lock_guard lock(mutex_);
        sockets_.push_back(s);
        return s;
    }
    void accept_loop() {
        while (!stopping_) {
            auto client = std::make_shared<tcp::socket>(ioc_);
            boost::system::error_code ec;
            acceptor_.accept(*client, ec);
            if (ec || stopping_) return;
            track(client);
            std::lock_guard lock(mutex_);
            threads_.emplace_back([this, client] { serve(client); });
        }
    }
    static void pump(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
        std::array<char, 16384> buf;
        boost::system::error_code ec;
        for (;;) {
            auto n = from->read_some(asio::buffer(buf), ec);
            if (ec) break;
            asio::write(*to, asio::buffer(buf.data(), n), ec);
            if (ec) break;
        }
        to->shutdown(tcp::socket::shutdown_send, ec);
    }
    void serve(std::shared_ptr<tcp::socket> client) {
        asio::streambuf head;
        boost::system::error_code ec;
        asio::read_until(*client, head, "\r\n\r\n", ec);
        if (ec) return;
        std::string text(asio::buffers_begin(head.data()), asio::buffers_end(head.data()));
        std::string line = text.substr(0, text.find("\r\n"));
        std::string auth;
        auto pos = text.find("\r\nProxy-Authorization: ");
        if (pos != std::string::npos) {
            auto start = pos + 23;
            auth = text.substr(start, text.find("\r\n", start) - start);
        }
        {
            std::lock_guard lock(mutex_);
            lines_.push_back(line);
            auths_.push_back(auth);
        }
        if (!required_auth_.empty() && auth != required_auth_) {
            std::string reply =
                "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic "
                "realm=\"test\"\r\nContent-Length: 0\r\n\r\n";
            asio::write(*client, asio::buffer(reply), ec);
            client->close(ec);
            return;
        }
        // "CONNECT host:port HTTP/1.1" or "GET http://host:port/path HTTP/1.1"
        std::string method = line.substr(0, line.find(' '));
        std::string target = line.substr(method.size() + 1, line.rfind(' ') - method.size() - 1);
        std::string authority = target;
        if (method != "CONNECT") {
            authority = target.substr(target.find("://") + 3);
            authority = authority.substr(0, authority.find('/'));
        }
        std::string host = authority.substr(0, authority.rfind(':'));
        std::string port = authority.substr(authority.rfind(':') + 1);
        auto upstream = track(std::make_shared<tcp::socket>(ioc_));
        tcp::resolver resolver(ioc_);
        asio::connect(*upstream, resolver.resolve(host, port, ec), ec);
        if (ec) {
            std::string reply = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n";
            asio::write(*client, asio::buffer(reply), ec);
            return;
        }
        if (method == "CONNECT") {
            std::string ok = "HTTP/1.1 200 Connection established\r\n\r\n";
            asio::write(*client, asio::buffer(ok), ec);
        } else {
            asio::write(*upstream, head.data(), ec);
        }
        if (method == "CONNECT" && head.size() > text.size()) return;  // no early data expected
        std::thread back([client, upstream] { pump(upstream, client); });
        pump(client, upstream);
        back.join();
    }

    std::string required_auth_;
    asio::io_context ioc_;
    tcp::acceptor acceptor_;
    std::atomic<bool> stopping_{false};
    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<tcp::socket>> sockets_;
    std::vector<std::string> lines_;
    std::vector<std::string> auths_;
    std::vector<std::thread> threads_;
    std::thread accept_thread_;
};

ProxyEndpoint proxy_at(const TinyProxy& p, std::string user = {}, std::string password = {}) {
    ProxyEndpoint e;
    e.host = "127.0.0.1";
    e.port = p.port();
    e.username = std::move(user);
    e.password = clarity::Secret(std::move(password));
    return e;
}

fake::ServerOptions tls_with(const fake::CertKey& cert) {
    fake::ServerOptions o;
    o.tls = fake::TlsOptions{cert.cert_pem, cert.key_pem, 0, 0};
    return o;
}

// base64("svc:s3cret-proxy-pw")
const std::string kProxyAuth = "Basic c3ZjOnMzY3JldC1wcm94eS1wdw==";

}  // namespace

TEST(HttpClientProxy, TunnelsHttpsThroughConnectWithBasicAuth) {
    fake::TestCa ca;
    fake::FakeHttpServer server(
        [](const fake::Request& r) { return fake::Response::text(200, "via tunnel " + r.path()); },
        tls_with(ca.issue()));
    TinyProxy proxy(kProxyAuth);
    asio::io_context ioc;
    HttpClientOptions o;
    o.ca_pem = ca.cert_pem();
    o.proxy.https = proxy_at(proxy, "svc", "s3cret-proxy-pw");
    o.proxy.bypass_loopback = false;
    auto client = make_http_client(ioc.get_executor(), o);
    for (int i = 0; i < 2; ++i) {
        HttpRequest req;
        req.url = "https://localhost:" + std::to_string(server.port()) + "/t";
        auto res = run(ioc, client->send(req));
        ASSERT_TRUE(res) << res.error().describe();
        EXPECT_EQ(res->body, "via tunnel /t");
    }
    ASSERT_EQ(proxy.request_lines().size(), 1u);  // one tunnel, kept alive
    EXPECT_EQ(proxy.request_lines()[0],
              "CONNECT localhost:" + std::to_string(server.port()) + " HTTP/1.1");
    EXPECT_EQ(proxy.auth_headers()[0], kProxyAuth);
    EXPECT_EQ(server.connection_count(), 1u);
}

TEST(HttpClientProxy, RejectedProxyCredentialsAreAnAuthErrorWithoutThePassword) {
    fake::TestCa ca;
    fake::FakeHttpServer server([](const fake::Request&) { return fake::Response::text(200, ""); },
                                tls_with(ca.issue()));
    TinyProxy proxy(kProxyAuth);
    asio::io_context ioc;
    HttpClientOptions o;
    o.ca_pem = ca.cert_pem();
    o.proxy.https = proxy_at(proxy, "svc", "wrong-password-xyz");
    o.proxy.bypass_loopback = false;
    auto client = make_http_client(ioc.get_executor(), o);
    HttpRequest req;
    req.url = "https://localhost:" + std::to_string(server.port()) + "/";
    auto res = run(ioc, client->send(req));
    ASSERT_FALSE(res);
    EXPECT_EQ(res.error().kind, ErrorKind::auth);
    EXPECT_NE(res.error().message.find("407"), std::string::npos);
    EXPECT_EQ(res.error().describe().find("wrong-password-xyz"), std::string::npos);
    EXPECT_EQ(server.request_count(), 0u);
}

TEST(HttpClientProxy, SendsPlainHttpInAbsoluteFormAndHonoursNoProxy) {
    fake::FakeHttpServer server(
        [](const fake::Request& r) { return fake::Response::text(200, "target " + r.target); });
    TinyProxy proxy;
    asio::io_context ioc;
    HttpClientOptions o;
    o.proxy.http = proxy_at(proxy, "svc", "s3cret-proxy-pw");
    o.proxy.bypass_loopback = false;
    auto client = make_http_client(ioc.get_executor(), o);
    HttpRequest req;
    req.url = server.base_url() + "/p?x=1";
    auto res = run(ioc, client->send(req));
    ASSERT_TRUE(res) << res.error().describe();
    EXPECT_EQ(res->body, "target " + server.base_url() + "/p?x=1");
    ASSERT_EQ(proxy.auth_headers().size(), 1u);
    EXPECT_EQ(proxy.auth_headers()[0], kProxyAuth);

    HttpClientOptions direct = o;
    direct.proxy.no_proxy = {"127.0.0.1"};
    auto direct_client = make_http_client(ioc.get_executor(), direct);
    auto res2 = run(ioc, direct_client->send(req));
    ASSERT_TRUE(res2);
    EXPECT_EQ(res2->body, "target /p?x=1");
    EXPECT_EQ(proxy.request_lines().size(), 1u);

    HttpClientOptions loopback = o;
    loopback.proxy.bypass_loopback = true;  // the default
    auto loopback_client = make_http_client(ioc.get_executor(), loopback);
    ASSERT_TRUE(run(ioc, loopback_client->send(req)));
    EXPECT_EQ(proxy.request_lines().size(), 1u);
}

TEST(HttpClientObservability, LogsMethodUrlAndStatusButNeverCredentials) {
    fake::FakeHttpServer server([](const fake::Request&) {
        auto r = fake::Response::text(201, "made");
        r.headers.emplace_back("Set-Cookie", "session=SECRET-COOKIE-OUT");
        return r;
    });
    TinyProxy proxy;
    std::ostringstream captured;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
    auto logger = clarity::core::logger("net.http[redaction]");
    logger->sinks().push_back(sink);
    logger->set_level(spdlog::level::debug);

    asio::io_context ioc;
    clarity::core::MetricsRegistry registry;
    HttpClientOptions o;
    o.name = "redaction";
    o.proxy.http = proxy_at(proxy, "svc", "SECRET-PROXY-PW");
    o.proxy.bypass_loopback = false;
    auto client = make_http_client(ioc.get_executor(), o, &registry);
    HttpRequest req;
    req.method = "POST";
    req.url = server.base_url() + "/orders?MarketplaceIds=A1&access_token=SECRET-QUERY";
    req.headers = {{"Authorization", "Bearer SECRET-BEARER"},
                   {"x-amz-access-token", "SECRET-LWA"},
                   {"Cookie", "sid=SECRET-COOKIE"}};
    req.body = "{}";
    auto res = run(ioc, client->send(req));
    ASSERT_TRUE(res) << res.error().describe();
    HttpRequest failing;
    failing.url = "http://127.0.0.1:1/closed?api_key=SECRET-KEY";  // nothing listens on port 1
    o.proxy = {};
    auto direct = make_http_client(ioc.get_executor(), o, &registry);
    auto failed = run(ioc, direct->send(failing));
    ASSERT_FALSE(failed);
    logger->flush();

    const std::string log = captured.str();
    EXPECT_NE(log.find("POST " + server.base_url() + "/orders?MarketplaceIds=A1&access_token=***"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("-> 201"), std::string::npos) << log;
    EXPECT_NE(log.find("failed"), std::string::npos) << log;
    EXPECT_EQ(log.find("SECRET"), std::string::npos) << log;
    EXPECT_EQ(failed.error().describe().find("SECRET"), std::string::npos);

    const std::string metrics = registry.render();
    const std::string host = "127.0.0.1:" + std::to_string(server.port());
    EXPECT_NE(metrics.find("clarity_http_requests_total{client=\"redaction\",host=\"" + host +
                           "\",code=\"2xx\"} 1"),
              std::string::npos)
        << metrics;
    EXPECT_NE(metrics.find("clarity_http_request_duration_seconds_count{client=\"redaction\","
                           "host=\"" +
                           host + "\"} 1"),
              std::string::npos)
        << metrics;
    EXPECT_NE(metrics.find("clarity_http_errors_total{client=\"redaction\",host=\"127.0.0.1:1\","
                           "kind=\"transient\"} 1"),
              std::string::npos)
        << metrics;
    logger->sinks().pop_back();
}
