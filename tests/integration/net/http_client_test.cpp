// The real HttpClient against the loopback fake server (and raw sockets for the timeouts).
#include "clarity/net/http_client.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "http/fake_http_server.hpp"
#include "http/test_certs.hpp"
#include "net_test_support.hpp"
#include "support/temp_dir.hpp"
#include "support/test_env.hpp"

namespace asio = boost::asio;
using namespace std::chrono_literals;
using clarity::ErrorKind;
using clarity::net::HttpClientOptions;
using clarity::net::HttpRequest;
using clarity::net::HttpResponse;
using clarity::net::make_http_client;
using clarity::net::test::gzip;
using clarity::net::test::run;
namespace fake = clarity::fakes::http;

namespace {

clarity::Result<HttpResponse> send(asio::io_context& ioc,
                                   clarity::net::HttpClient& client,
                                   HttpRequest req) {
    return run(ioc, client.send(std::move(req)));
}

HttpRequest get(std::string url) {
    HttpRequest r;
    r.url = std::move(url);
    return r;
}

fake::Response ok(std::string body = "ok") { return fake::Response::text(200, std::move(body)); }

}  // namespace

TEST(HttpClient, ReusesOneKeptAliveConnectionForSequentialRequests) {
    fake::FakeHttpServer server([](const fake::Request& r) { return ok("path=" + r.path()); });
    asio::io_context ioc;
    auto client = make_http_client(ioc.get_executor(), {});
    for (int i = 0; i < 5; ++i) {
        auto res = send(ioc, *client, get(server.base_url() + "/n/" + std::to_string(i)));
        ASSERT_TRUE(res) << res.error().describe();
        EXPECT_EQ(res->status, 200);
        EXPECT_EQ(res->body, "path=/n/" + std::to_string(i));
    }
    EXPECT_EQ(server.connection_count(), 1u);
    EXPECT_EQ(server.request_count(), 5u);
}

TEST(HttpClient, ReturnsEveryStatusAsAValue) {
    fake::FakeHttpServer server([](const fake::Request&) {
        auto r = fake::Response::json(404, R"({"error":"missing"})");
        r.headers.emplace_back("x-amzn-RequestId", "req-1");
        return r;
    });
    asio::io_context ioc;
    auto client = make_http_client(ioc.get_executor(), {});
    auto res = send(ioc, *client, get(server.base_url() + "/x"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
    EXPECT_EQ(res->body, R"({"error":"missing"})");
    EXPECT_EQ(res->header("X-AMZN-REQUESTID"), "req-1");
}

TEST(HttpClient, SendsMethodBodyAndHeaders) {
    fake::FakeHttpServer server([](const fake::Request&) { return ok(); });
    asio::io_context ioc;
    auto client = make_http_client(ioc.get_executor(), {});
    HttpRequest req;
    req.method = "POST";
    req.url = server.base_url() + "/jsonrpc?a=1";
    req.headers = {{"Content-Type", "application/json"}, {"X-Custom", "v"}};
    req.body = R"({"x":1})";
    ASSERT_TRUE(send(ioc, *client, req));
    auto seen = server.requests().at(0);
    EXPECT_EQ(seen.method, "POST");
    EXPECT_EQ(seen.target, "/jsonrpc?a=1");
    EXPECT_EQ(seen.body, R"({"x":1})");
    EXPECT_EQ(seen.header("x-custom"), "v");
    EXPECT_EQ(seen.header("Host"), "127.0.0.1:" + std::to_string(server.port()));
    EXPECT_EQ(seen.header("Accept-Encoding"), "gzip");
}

TEST(HttpClient, DecodesGzipBodies) {
    const std::string text(100'000, 'z');
    fake::FakeHttpServer server([&](const fake::Request&) {
        auto r = ok(gzip(text));
        r.headers.emplace_back("Content-Encoding", "gzip");
        r.chunked = true;
        return r;
    });
    asio::io_context ioc;
    auto client = make_http_client(ioc.get_executor(), {});
    auto res = send(ioc, *client, get(server.base_url() + "/"));
    ASSERT_TRUE(res) << res.error().describe();
    EXPECT_EQ(res->body, text);
    EXPECT_FALSE(res->header("Content-Encoding"));
}

TEST(HttpClient, RejectsABodyOverTheLimit) {
    fake::FakeHttpServer server([](const fake::Request& r) {
        auto res = ok(std::string(5000, 'b'));
        res.chunked = r.path() == "/chunked";
        return res;
    });
    asio::io_context ioc;
    HttpClientOptions o;
    o.max_body_bytes = 1000;
    auto client = make_http_client(ioc.get_executor(), o);
    for (const char* path : {"/plain", "/chunked"}) {
        auto res = send(ioc, *client, get(server.base_url() + path));
        ASSERT_FALSE(res) << path;
        EXPECT_EQ(res.error().kind, ErrorKind::permanent);
        EXPECT_NE(res.error().message.find("limit of 1000 bytes"), std::string::npos);
    }
    HttpRequest big = get(server.base_url() + "/plain");
    big.max_body_bytes = 5000;
    EXPECT_TRUE(send(ioc, *client, big));
}

TEST(HttpClient, RejectsAGzipBombOverTheLimit) {
    const std::string text(2'000'000, 'z');
    fake::FakeHttpServer server([&](const fake::Request&) {
        auto r = ok(gzip(text));
        r.headers.emplace_back("Content-Encoding", "gzip");
        return r;
    });
    asio::io_context ioc;
    HttpClientOptions o;
    o.max_body_bytes = 100'000;
    auto client = make_http_client(ioc.get_executor(), o);
    auto res = send(ioc, *client, get(server.base_url() + "/"));
    ASSERT_FALSE(res);
    EXPECT_EQ(res.error().kind, ErrorKind::permanent);
}

TEST(HttpClient, StreamsTheBodyToAFile) {
    const std::string text(300'000, 'f');
    fake::FakeHttpServer server([&](const fake::Request&) { return ok(text); });
    asio::io_context ioc;
    auto client = make_http_client(ioc.get_executor(), {});
    clarity::test::TempDir dir;
    HttpRequest req = get(server.base_url() + "/report");
    req.body_file = dir.path() / "report.txt";
    auto res = send(ioc, *client, req);
    ASSERT_TRUE(res) << res.error().describe();
    EXPECT_TRUE(res->body.empty());
    EXPECT_EQ(clarity::test::read_file(*req.body_file), text);
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "report.txt.part"));
}

TEST(HttpClient, ServerClosingMidResponseIsTransientAndNotResentForPost) {
    fake::FakeHttpServer server([](const fake::Request&) {
        auto r = ok(std::string(10'000, 'm'));
        r.fault = fake::Fault::close_mid_response;
        return r;
    });
    asio::io_context ioc;
    auto client = make_http_client(ioc.get_executor(), {});
    HttpRequest req = get(server.base_url() + "/");
    req.method = "POST";
    req.body = "{}";
    auto res = send(ioc, *client, req);
    ASSERT_FALSE(res);
    EXPECT_EQ(res.error().kind, ErrorKind::transient);
    EXPECT_EQ(server.request_count(), 1u);
}

TEST(HttpClient, ResendsAnIdempotentRequestOnceAfterAResetBeforeTheResponse) {
    std::atomic<int> calls{0};
    fake::FakeHttpServer server([&](const fake::Request&) {
        if (++calls == 1) {
            fake::Response r;
            r.fault = fake::Fault::reset_before_response;
            return r;
        }
        return ok("second");
    });
    asio::io_context ioc;
    auto client = make_http_client(ioc.get_executor(), {});
    auto res = send(ioc, *client, get(server.base_url() + "/"));
    ASSERT_TRUE(res) << res.error().describe();
    EXPECT_EQ(res->body, "second");
    EXPECT_EQ(server.request_count(), 2u);
    EXPECT_EQ(server.connection_count(), 2u);

    calls = 0;
    HttpRequest post = get(server.base_url() + "/");
    post.method = "POST";
    auto failed = send(ioc, *client, post);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().kind, ErrorKind::transient);
    EXPECT_EQ(server.request_count(), 3u);
}

TEST(HttpClient, ReplacesAPooledConnectionTheServerClosed) {
    fake::FakeHttpServer server([](const fake::Request&) { return ok(); });
    asio::io_context ioc;
    auto client = make_http_client(ioc.get_executor(), {});
    ASSERT_TRUE(send(ioc, *client, get(server.base_url() + "/1")));
    server.close_all_connections();
    // The server's close is asynchronous; whether the client sees the FIN before reusing the
    // connection or only after writing, the request must succeed without the caller noticing.
    auto res = send(ioc, *client, get(server.base_url() + "/2"));
    ASSERT_TRUE(res) << res.error().describe();
    EXPECT_EQ(server.connection_count(), 2u);
}

TEST(HttpClient, TimesOutAWholeRequest) {
    fake::FakeHttpServer server([](const fake::Request&) {
        auto r = ok();
        r.hold = true;
        return r;
    });
    asio::io_context ioc;
    auto client = make_http_client(ioc.get_executor(), {});
    HttpRequest req = get(server.base_url() + "/slow");
    req.timeout = 150ms;
    auto res = send(ioc, *client, req);
    server.release_held(true);
    ASSERT_FALSE(res);
    EXPECT_EQ(res.error().kind, ErrorKind::transient);
    EXPECT_NE(res.error().message.find("timed out"), std::string::npos) << res.error().message;
    EXPECT_EQ(server.request_count(), 1u);  // not resent: the server had the request
}

TEST(HttpClient, TimesOutConnecting) {
    // A listener with a backlog of 0 whose accept queue is full drops further SYNs, so connect()
    // hangs until the client's connect timeout fires.
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(fd, 0), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    const int port = ntohs(addr.sin_port);
    std::vector<int> fillers;  // non-blocking connects that fill the accept queue
    for (int i = 0; i < 3; ++i) {
        int s = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        ::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        fillers.push_back(s);
    }
    asio::io_context ioc;
    HttpClientOptions o;
    o.connect_timeout = 200ms;
    auto client = make_http_client(ioc.get_executor(), o);
    auto res = send(ioc, *client, get("http://127.0.0.1:" + std::to_string(port) + "/"));
    ::close(fd);
    for (int s : fillers) ::close(s);
    ASSERT_FALSE(res);
    EXPECT_EQ(res.error().kind, ErrorKind::transient);
    EXPECT_NE(res.error().message.find("timed out connecting"), std::string::npos)
        << res.error().message;
}

TEST(HttpClient, TimesOutTheTlsHandshake) {
    // The kernel completes the TCP handshake for a listening socket nobody accepts on; no TLS
    // bytes ever come back.
    asio::io_context server_ctx;
    asio::ip::tcp::acceptor acceptor(server_ctx, {asio::ip::make_address("127.0.0.1"), 0});
    asio::io_context ioc;
    HttpClientOptions o;
    o.handshake_timeout = 200ms;
    auto client = make_http_client(ioc.get_executor(), o);
    auto res =
        send(ioc, *client,
             get("https://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/"));
    ASSERT_FALSE(res);
    EXPECT_EQ(res.error().kind, ErrorKind::transient);
    EXPECT_NE(res.error().message.find("timed out in the TLS handshake"), std::string::npos)
        << res.error().message;
}

TEST(HttpClient, RefusesPlainHttpToANonLoopbackHost) {
    asio::io_context ioc;
    auto client = make_http_client(ioc.get_executor(), {});
    auto res = send(ioc, *client, get("http://odoo.example.com/jsonrpc"));
    ASSERT_FALSE(res);
    EXPECT_EQ(res.error().kind, ErrorKind::permanent);
    EXPECT_NE(res.error().message.find("allow_insecure_http"), std::string::npos);
}

TEST(HttpClient, DoesNotFollowRedirectsUnlessAsked) {
    fake::FakeHttpServer target([](const fake::Request& r) {
        return ok("auth=" + r.header("Authorization").value_or("none"));
    });
    fake::FakeHttpServer origin([&](const fake::Request& r) {
        if (r.path() == "/same") return ok("same");
        fake::Response res;
        res.status = r.path() == "/cross" ? 307 : 302;
        res.headers.emplace_back("Location",
                                 r.path() == "/cross"
                                     ? "http://localhost:" + std::to_string(target.port()) + "/t"
                                     : "/same");
        return res;
    });
    asio::io_context ioc;
    auto client = make_http_client(ioc.get_executor(), {});
    auto plain = send(ioc, *client, get(origin.base_url() + "/start"));
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->status, 302);

    HttpRequest follow = get(origin.base_url() + "/start");
    follow.follow_redirects = true;
    auto followed = send(ioc, *client, follow);
    ASSERT_TRUE(followed);
    EXPECT_EQ(followed->body, "same");

    HttpRequest cross = get(origin.base_url() + "/cross");
    cross.follow_redirects = true;
    cross.headers.emplace_back("Authorization", "Bearer secret-token");
    auto crossed = send(ioc, *client, cross);
    ASSERT_TRUE(crossed);
    EXPECT_EQ(crossed->body, "auth=none");
}

TEST(HttpClient, BoundsConnectionsPerHost) {
    fake::FakeHttpServer server([](const fake::Request&) {
        auto r = ok();
        r.hold = true;
        return r;
    });
    asio::io_context ioc;
    HttpClientOptions o;
    o.max_connections_per_host = 2;
    auto client = make_http_client(ioc.get_executor(), o);
    std::atomic<int> succeeded{0};
    for (int i = 0; i < 4; ++i) {
        asio::co_spawn(ioc, client->send(get(server.base_url() + "/" + std::to_string(i))),
                       [&](std::exception_ptr e, clarity::Result<HttpResponse> r) {
                           if (!e && r) ++succeeded;
                       });
    }
    std::thread io([&] { ioc.run(); });
    ASSERT_TRUE(server.wait_for_requests(2));
    EXPECT_EQ(server.connection_count(), 2u);
    server.release_held(true);
    io.join();
    EXPECT_EQ(succeeded.load(), 4);
    EXPECT_EQ(server.connection_count(), 2u);
    EXPECT_EQ(server.request_count(), 4u);
}

// --- TLS -------------------------------------------------------------------------------------

namespace {

fake::ServerOptions tls_server(const fake::CertKey& cert, int min_v = 0, int max_v = 0) {
    fake::ServerOptions o;
    o.tls = fake::TlsOptions{cert.cert_pem, cert.key_pem, min_v, max_v};
    return o;
}

HttpClientOptions trusting(const fake::TestCa& ca) {
    HttpClientOptions o;
    o.ca_pem = ca.cert_pem();
    return o;
}

std::string localhost_url(const fake::FakeHttpServer& s) {
    return "https://localhost:" + std::to_string(s.port()) + "/secure";
}

}  // namespace

TEST(HttpClientTls, AcceptsATrustedCertificateByNameAndByIp) {
    fake::TestCa ca;
    fake::FakeHttpServer server([](const fake::Request&) { return ok("tls"); },
                                tls_server(ca.issue()));
    asio::io_context ioc;
    auto client = make_http_client(ioc.get_executor(), trusting(ca));
    auto by_name = send(ioc, *client, get(localhost_url(server)));
    ASSERT_TRUE(by_name) << by_name.error().describe();
    EXPECT_EQ(by_name->body, "tls");
    auto by_ip = send(ioc, *client, get(server.base_url() + "/"));
    ASSERT_TRUE(by_ip) << by_ip.error().describe();
}

TEST(HttpClientTls, RejectsASelfSignedCertificate) {
    fake::TestCa ca;
    fake::FakeHttpServer server([](const fake::Request&) { return ok(); },
                                tls_server(fake::make_self_signed()));
    asio::io_context ioc;
    auto client = make_http_client(ioc.get_executor(), trusting(ca));
    auto res = send(ioc, *client, get(localhost_url(server)));
    ASSERT_FALSE(res);
    EXPECT_EQ(res.error().kind, ErrorKind::permanent);
    EXPECT_NE(res.error().message.find("certificate verification failed"), std::string::npos)
        << res.error().message;
    EXPECT_EQ(server.request_count(), 0u);
}

TEST(HttpClientTls, RejectsACertificateForAnotherHostName) {
    fake::TestCa ca;
    fake::CertOptions other;
    other.common_name = "other.example";
    other.dns_names = {"other.example"};
    other.ip_addresses = {};
    fake::FakeHttpServer server([](const fake::Request&) { return ok(); },
                                tls_server(ca.issue(other)));
    asio::io_context ioc;
    auto client = make_http_client(ioc.get_executor(), trusting(ca));
    auto res = send(ioc, *client, get(localhost_url(server)));
    ASSERT_FALSE(res);
    EXPECT_EQ(res.error().kind, ErrorKind::permanent);
    EXPECT_NE(res.error().message.find("hostname mismatch"), std::string::npos)
        << res.error().message;
}

TEST(HttpClientTls, RejectsAnExpiredCertificate) {
    fake::TestCa ca;
    fake::CertOptions expired;
    expired.not_before = -std::chrono::hours(48);
    expired.not_after = -std::chrono::hours(24);
    fake::FakeHttpServer server([](const fake::Request&) { return ok(); },
                                tls_server(ca.issue(expired)));
    asio::io_context ioc;
    auto client = make_http_client(ioc.get_executor(), trusting(ca));
    auto res = send(ioc, *client, get(localhost_url(server)));
    ASSERT_FALSE(res);
    EXPECT_EQ(res.error().kind, ErrorKind::permanent);
    EXPECT_NE(res.error().message.find("expired"), std::string::npos) << res.error().message;
}

TEST(HttpClientTls, RejectsAServerOfferingOnlyTls10And11) {
    fake::TestCa ca;
    fake::FakeHttpServer server([](const fake::Request&) { return ok(); },
                                tls_server(ca.issue(), TLS1_VERSION, TLS1_1_VERSION));
    asio::io_context ioc;
    auto client = make_http_client(ioc.get_executor(), trusting(ca));
    auto res = send(ioc, *client, get(localhost_url(server)));
    ASSERT_FALSE(res);
    EXPECT_EQ(res.error().kind, ErrorKind::permanent);
    EXPECT_NE(res.error().message.find("TLS"), std::string::npos) << res.error().message;
    EXPECT_EQ(server.request_count(), 0u);
}

TEST(HttpClientTls, TrustsACaFile) {
    fake::TestCa ca;
    fake::FakeHttpServer server([](const fake::Request&) { return ok(); }, tls_server(ca.issue()));
    clarity::test::TempDir dir;
    auto ca_file = dir.path() / "ca.pem";
    {
        std::ofstream f(ca_file);
        f << ca.cert_pem();
    }
    asio::io_context ioc;
    HttpClientOptions o;
    o.ca_file = ca_file.string();
    auto client = make_http_client(ioc.get_executor(), o);
    auto res = send(ioc, *client, get(localhost_url(server)));
    ASSERT_TRUE(res) << res.error().describe();

    HttpClientOptions missing;
    missing.ca_file = (dir.path() / "nope.pem").string();
    EXPECT_THROW(make_http_client(ioc.get_executor(), missing), std::runtime_error);
}
