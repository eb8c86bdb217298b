// Sequential requests on one kept-alive loopback connection: net::HttpClient vs libcurl (an easy
// handle reused, which keeps its connection), against the same minimal Beast server in the same
// run. Medians of 7 rounds.
#include <curl/curl.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "clarity/net/http_client.hpp"

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kRounds = 7;
constexpr int kRequests = 4000;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> serve(tcp::socket sock) {
    boost::beast::flat_buffer buffer;
    const std::string reply =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, world!";
    for (;;) {
        bhttp::request<bhttp::string_body> req;
        auto [ec, n] = co_await bhttp::async_read(sock, buffer, req, kTuple);
        if (ec) co_return;
        auto [wec, wn] = co_await asio::async_write(sock, asio::buffer(reply), kTuple);
        if (wec) co_return;
    }
}

asio::awaitable<void> accept_loop(tcp::acceptor* acceptor) {
    for (;;) {
        auto [ec, sock] = co_await acceptor->async_accept(kTuple);
        if (ec) co_return;
        sock.set_option(tcp::no_delay(true));
        asio::co_spawn(acceptor->get_executor(), serve(std::move(sock)), asio::detached);
    }
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

asio::awaitable<int> client_round(clarity::net::HttpClient* client, std::string url) {
    int ok = 0;
    for (int i = 0; i < kRequests; ++i) {
        clarity::net::HttpRequest req;
        req.url = url;
        auto res = co_await client->send(std::move(req));
        if (res && res->status == 200) ++ok;
    }
    co_return ok;
}

std::size_t discard(char*, std::size_t size, std::size_t n, void* out) {
    static_cast<std::string*>(out)->append(size * n, 'x');
    return size * n;
}

}  // namespace

int main() {
    asio::io_context server_ctx;
    tcp::acceptor acceptor(server_ctx, {asio::ip::make_address("127.0.0.1"), 0});
    asio::co_spawn(server_ctx, accept_loop(&acceptor), asio::detached);
    std::thread server([&] { server_ctx.run(); });
    const std::string url =
        "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/hello";

    asio::io_context ioc;
    auto client = clarity::net::make_http_client(ioc.get_executor(), {});
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL* curl = curl_easy_init();
    std::string sink;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);

    std::vector<double> ours, theirs;
    for (int round = 0; round < kRounds; ++round) {
        int ok = 0;
        auto t0 = Clock::now();
        asio::co_spawn(ioc, client_round(client.get(), url), [&](std::exception_ptr e, int n) {
            if (!e) ok = n;
        });
        ioc.restart();
        ioc.run();
        auto t1 = Clock::now();
        if (ok != kRequests) {
            std::fprintf(stderr, "http client: only %d of %d requests succeeded\n", ok, kRequests);
            return 1;
        }
        ours.push_back(kRequests / std::chrono::duration<double>(t1 - t0).count());

        int curl_ok = 0;
        t0 = Clock::now();
        for (int i = 0; i < kRequests; ++i) {
            sink.clear();
            if (curl_easy_perform(curl) == CURLE_OK) ++curl_ok;
        }
        t1 = Clock::now();
        if (curl_ok != kRequests) {
            std::fprintf(stderr, "libcurl: only %d of %d requests succeeded\n", curl_ok, kRequests);
            return 1;
        }
        theirs.push_back(kRequests / std::chrono::duration<double>(t1 - t0).count());
    }
    curl_easy_cleanup(curl);
    curl_global_cleanup();
    const double our_rps = median(ours);
    const double curl_rps = median(theirs);
    std::printf("http_client_sequential_keepalive: %.0f requests/s\n", our_rps);
    std::printf("libcurl_sequential_keepalive: %.0f requests/s\n", curl_rps);
    std::printf("ratio http_client_vs_libcurl: %.2f (target ≥ 0.8)\n", our_rps / curl_rps);

    server_ctx.stop();
    server.join();
    return 0;
}
