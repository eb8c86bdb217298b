#pragma once
/// \file
/// An `net::HttpClient` that hands each request straight to a FakeOdoo in the same process (no
/// socket), for unit tests of the Odoo client. Injected connection faults become the transient
/// errors a real client reports. Integration tests use the real client over loopback instead.

#include "clarity/net/http.hpp"
#include "odoo/fake_odoo.hpp"

namespace clarity::fakes::odoo {

class InProcessHttpClient final : public net::HttpClient {
  public:
    explicit InProcessHttpClient(FakeOdoo& odoo) : odoo_(odoo) {}
    boost::asio::awaitable<Result<net::HttpResponse>> send(net::HttpRequest request) override;
    std::size_t requests() const { return requests_; }

  private:
    FakeOdoo& odoo_;
    std::size_t requests_ = 0;
};

}  // namespace clarity::fakes::odoo
