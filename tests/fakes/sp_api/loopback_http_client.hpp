#pragma once
/// \file
/// A plain-HTTP net::HttpClient for tests against loopback fakes: one connection per request, no
/// TLS, no pooling. Stand-in until the net layer's client (wt/net) is merged; it speaks real HTTP
/// over real sockets, so the connector's call path is exercised end to end.

#include "clarity/net/http.hpp"

namespace clarity::fakes::sp_api {

class LoopbackHttpClient final : public net::HttpClient {
  public:
    boost::asio::awaitable<Result<net::HttpResponse>> send(net::HttpRequest request) override;
};

}  // namespace clarity::fakes::sp_api
