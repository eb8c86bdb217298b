// Self-test of the loopback fake: a blocking Beast client talks to it over real sockets.
#include "http/fake_http_server.hpp"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "http/test_certs.hpp"

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace clarity::fakes::http;

namespace {

struct Client {
    asio::io_context ioc;
    tcp::socket sock{ioc};
    boost::beast::flat_buffer buf;
    explicit Client(std::uint16_t port) {
        sock.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    }
    bhttp::response<bhttp::string_body> get(const std::string& target,
                                            boost::system::error_code& ec) {
        bhttp::request<bhttp::string_body> req(bhttp::verb::get, target, 11);
        req.set(bhttp::field::host, "127.0.0.1");
        bhttp::write(sock, req);
        bhttp::response<bhttp::string_body> res;
        bhttp::read(sock, buf, res, ec);
        return res;
    }
};

}  // namespace

TEST(FakeHttpServer, AnswersWithTheHandlerAndKeepsTheConnectionAlive) {
    FakeHttpServer server(
        [](const Request& r) { return Response::text(200, "hello " + r.path()); });
    Client c(server.port());
    boost::system::error_code ec;
    auto r1 = c.get("/a?x=1", ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(r1.body(), "hello /a");
    auto r2 = c.get("/b", ec);
    ASSERT_FALSE(ec);
    EXPECT_EQ(r2.body(), "hello /b");
    EXPECT_EQ(server.connection_count(), 1u);
    ASSERT_EQ(server.request_count(), 2u);
    EXPECT_EQ(server.requests()[0].target, "/a?x=1");
    EXPECT_EQ(server.requests()[1].connection_id, 1u);
    EXPECT_EQ(server.base_url(), "http://127.0.0.1:" + std::to_string(server.port()));
}

TEST(FakeHttpServer, ClosesMidResponse) {
    FakeHttpServer server([](const Request&) {
        Response r = Response::text(200, std::string(1000, 'x'));
        r.fault = Fault::close_mid_response;
        return r;
    });
    Client c(server.port());
    boost::system::error_code ec;
    c.get("/", ec);
    EXPECT_TRUE(ec);
}

TEST(FakeHttpServer, HoldsAResponseUntilReleased) {
    FakeHttpServer server([](const Request&) {
        Response r = Response::text(200, "late");
        r.hold = true;
        return r;
    });
    std::thread releaser([&] {
        ASSERT_TRUE(server.wait_for_requests(1));
        server.release_held(/*and_future=*/true);
    });
    Client c(server.port());
    boost::system::error_code ec;
    auto r = c.get("/", ec);
    releaser.join();
    ASSERT_FALSE(ec);
    EXPECT_EQ(r.body(), "late");
}

TEST(FakeHttpServer, ServesChunkedBodies) {
    FakeHttpServer server([](const Request&) {
        Response r = Response::text(200, std::string(10000, 'y'));
        r.chunked = true;
        r.chunk_size = 3000;
        return r;
    });
    Client c(server.port());
    boost::system::error_code ec;
    auto r = c.get("/", ec);
    ASSERT_FALSE(ec);
    EXPECT_EQ(r.body().size(), 10000u);
}

TEST(FakeHttpServer, SpeaksTlsWithAGeneratedCertificate) {
    TestCa ca;
    CertKey leaf = ca.issue();
    ServerOptions opts;
    opts.tls = TlsOptions{leaf.cert_pem, leaf.key_pem, 0, 0};
    FakeHttpServer server([](const Request&) { return Response::text(200, "secure"); }, opts);
    EXPECT_EQ(server.base_url().substr(0, 8), "https://");

    asio::io_context ioc;
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.add_certificate_authority(asio::buffer(ca.cert_pem()));
    ctx.set_verify_mode(asio::ssl::verify_peer);
    asio::ssl::stream<tcp::socket> s(ioc, ctx);
    s.set_verify_callback(asio::ssl::host_name_verification("localhost"));
    SSL_set_tlsext_host_name(s.native_handle(), "localhost");
    s.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()));
    s.handshake(asio::ssl::stream_base::client);
    bhttp::request<bhttp::string_body> req(bhttp::verb::get, "/", 11);
    req.set(bhttp::field::host, "localhost");
    bhttp::write(s, req);
    boost::beast::flat_buffer buf;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(s, buf, res);
    EXPECT_EQ(res.body(), "secure");
}
