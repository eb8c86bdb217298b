#include "sp_api/loopback_http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fstream>

namespace clarity::fakes::sp_api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

asio::awaitable<Result<net::HttpResponse>> LoopbackHttpClient::send(net::HttpRequest request) {
    constexpr auto kTok = asio::as_tuple(asio::use_awaitable);
    std::string_view url = request.url;
    if (!url.starts_with("http://")) {
        co_return make_error(ErrorKind::permanent, "loopback client supports http:// only",
                             request.url);
    }
    auto rest = url.substr(7);
    auto slash = rest.find('/');
    auto authority = std::string(rest.substr(0, slash));
    std::string target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    auto colon = authority.rfind(':');
    std::string host = authority.substr(0, colon);
    std::string port = colon == std::string::npos ? "80" : authority.substr(colon + 1);

    auto ex = co_await asio::this_coro::executor;
    asio::ip::tcp::resolver resolver(ex);
    auto [rec, results] = co_await resolver.async_resolve(host, port, kTok);
    if (rec) co_return make_error(ErrorKind::transient, "resolve failed: " + rec.message(), host);
    beast::tcp_stream stream(ex);
    stream.expires_after(request.timeout.value_or(std::chrono::seconds(30)));
    auto [cec, ep] = co_await stream.async_connect(results, kTok);
    if (cec) co_return make_error(ErrorKind::transient, "connect failed: " + cec.message(), host);

    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(request.method), target, 11};
    bool has_host = false;
    for (const auto& [k, v] : request.headers) {
        req.insert(k, v);
        if (beast::iequals(k, "host")) has_host = true;
    }
    if (!has_host) req.set(bhttp::field::host, authority);
    req.body() = request.body;
    req.prepare_payload();
    auto [wec, wn] = co_await bhttp::async_write(stream, req, kTok);
    if (wec) co_return make_error(ErrorKind::transient, "write failed: " + wec.message(), host);

    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(256u << 20);
    if (request.method == "HEAD") parser.skip(true);
    auto [rdec, rn] = co_await bhttp::async_read(stream, buffer, parser, kTok);
    if (rdec) {
        co_return make_error(ErrorKind::transient,
                             "connection failed before a whole response: " + rdec.message(), host);
    }
    auto res = parser.release();
    net::HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res)
        out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    if (request.body_file) {
        std::ofstream file(*request.body_file, std::ios::binary | std::ios::trunc);
        file.write(res.body().data(), static_cast<std::streamsize>(res.body().size()));
    } else {
        out.body = std::move(res.body());
    }
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    co_return out;
}

}  // namespace clarity::fakes::sp_api
