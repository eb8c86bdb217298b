#include "odoo_hooks.hpp"

#include "wiring.hpp"

namespace clarity::app {

namespace {

/// The value of `name` in a query string (no percent-decoding: secrets are sent as configured).
std::string_view query_param(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return {};
}

net::ServerResponse answer(int status, std::string body) {
    net::ServerResponse r;
    r.status = status;
    r.body = std::move(body) + "\n";
    return r;
}

}  // namespace

void add_odoo_hook_routes(net::HttpServer& server,
                          Wiring& wiring,
                          const Settings& settings,
                          core::MetricsRegistry& metrics) {
    for (const auto& c : settings.connection_settings) {
        if (!c.odoo_watch.webhook_secret) continue;
        const std::string name = c.name;
        const Secret secret = *c.odoo_watch.webhook_secret;
        auto count = [&metrics, name](const char* outcome) {
            metrics
                .counter("clarity_odoo_hook_requests_total",
                         "Odoo webhook requests, by outcome (unauthorized: a wrong secret).",
                         {{"connection", name}, {"outcome", outcome}})
                .inc();
        };
        net::AsyncHandler handler =
            [&wiring, name, secret,
             count](net::ServerRequest req) -> boost::asio::awaitable<net::ServerResponse> {
            if (!net::secrets_equal(query_param(req.query, "secret"), secret.reveal())) {
                count("unauthorized");
                co_return answer(401, "unauthorized: wrong or missing ?secret=");
            }
            auto r = co_await wiring.enqueue_odoo_hook(name, std::move(req.body));
            if (!r) {
                const bool bad = r.error().kind == ErrorKind::permanent;
                count(bad ? "rejected" : "unavailable");
                co_return answer(bad ? 400 : 503,
                                 (bad ? "bad request: " : "unavailable: ") + r.error().message);
            }
            count(*r ? "enqueued" : "duplicate");
            co_return answer(202, *r ? "accepted" : "accepted (already queued)");
        };
        server.route("POST", "/hooks/odoo/" + name, net::Access::open, std::move(handler));
    }
}

}  // namespace clarity::app
