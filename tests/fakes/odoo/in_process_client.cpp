#include "odoo/in_process_client.hpp"

namespace clarity::fakes::odoo {

boost::asio::awaitable<Result<net::HttpResponse>> InProcessHttpClient::send(
    net::HttpRequest request) {
    ++requests_;
    http::Request req;
    req.method = request.method;
    auto scheme = request.url.find("://");
    auto slash = request.url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    req.target = slash == std::string::npos ? "/" : request.url.substr(slash);
    req.headers = request.headers;
    req.body = request.body;
    http::Response resp = odoo_.handle(req);
    if (resp.fault != http::Fault::none) {
        co_return make_error(ErrorKind::transient, "connection closed before the response arrived",
                             request.url);
    }
    net::HttpResponse out;
    out.status = resp.status;
    out.headers = resp.headers;
    out.body = std::move(resp.body);
    co_return out;
}

}  // namespace clarity::fakes::odoo
