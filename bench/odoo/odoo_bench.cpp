// Per-call overhead of the Odoo client (encode, send, receive, decode into Value trees) against
// the fake Odoo on loopback, compared in the same run with the raw HTTP client sending the same
// pre-encoded JSON-RPC body (no encode, no decode): search_read of 100 records.
// Prints medians of 7 rounds; `make bench BENCH=odoo`.
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <cstdio>
#include <vector>

#include "clarity/net/http_client.hpp"
#include "clarity/odoo/client.hpp"
#include "clarity/odoo/codec.hpp"
#include "odoo/fake_odoo.hpp"

namespace asio = boost::asio;
using namespace clarity;
using namespace clarity::odoo;

namespace {

constexpr int kRounds = 7;
constexpr int kCallsPerRound = 150;

asio::awaitable<double> client_round(OdooClient* client) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kCallsPerRound; ++i) {
        SearchOptions opts;
        opts.fields = {"name", "default_code", "barcode", "list_price", "uom_id", "qty_available"};
        opts.limit = 100;
        auto r = co_await client->search_read("product.product", Domain{}, std::move(opts));
        if (!r) throw std::runtime_error("client search_read failed: " + r.error().describe());
        if (r->size() != 100) throw std::runtime_error("client search_read: " + std::to_string(r->size()));
    }
    std::chrono::duration<double, std::micro> d = std::chrono::steady_clock::now() - start;
    co_return d.count() / kCallsPerRound;
}

asio::awaitable<double> raw_round(net::HttpClient* http, std::string url, std::string body) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kCallsPerRound; ++i) {
        net::HttpRequest req;
        req.method = "POST";
        req.url = url;
        req.headers.emplace_back("Content-Type", "application/json");
        req.body = body;
        auto r = co_await http->send(std::move(req));
        if (!r || r->status != 200 || r->body.size() < 1000)
            throw std::runtime_error("raw send failed");
    }
    std::chrono::duration<double, std::micro> d = std::chrono::steady_clock::now() - start;
    co_return d.count() / kCallsPerRound;
}

template <class T>
T run(asio::io_context& ctx, asio::awaitable<T> aw) {
    auto fut = asio::co_spawn(ctx, std::move(aw), asio::use_future);
    ctx.restart();
    ctx.run();
    return fut.get();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main() {
    fakes::odoo::FakeOdooOptions f;
    fakes::odoo::FakeOdooServer server(f);
    for (int i = 0; i < 100; ++i) {
        server.odoo().create("product.product",
                             Struct{{"name", "Widget " + std::to_string(i)},
                                    {"default_code", "SKU-" + std::to_string(i)},
                                    {"barcode", "0123456" + std::to_string(100000 + i)},
                                    {"list_price", 19.99 + i}});
    }
    asio::io_context ctx;
    auto http = net::make_http_client(ctx.get_executor(), net::HttpClientOptions{});
    OdooOptions o;
    o.url = server.base_url();
    o.database = f.database;
    o.username = f.admin_login;
    o.api_key = Secret(f.admin_api_key);
    o.protocol = Protocol::json_rpc;
    OdooClient client(*http, o);
    auto uid = run(ctx, client.authenticate());
    if (!uid) {
        std::fprintf(stderr, "authenticate failed: %s\n", uid.error().describe().c_str());
        return 1;
    }
    // The very body the client sends for this search_read.
    Array args{Value(f.database),
               Value(*uid),
               Value(f.admin_api_key),
               Value("product.product"),
               Value("search_read"),
               Value(Array{Value(Array{})}),
               Value(Struct{{"fields", Array{"name", "default_code", "barcode", "list_price",
                                             "uom_id", "qty_available"}},
                            {"limit", 100}})};
    std::string body = encode_jsonrpc_call("object", "execute_kw", args, 1);

    std::vector<double> client_us, raw_us;
    run(ctx, client_round(&client));  // warm-up: connections, caches
    run(ctx, raw_round(http.get(), server.base_url() + "/jsonrpc", body));
    for (int r = 0; r < kRounds; ++r) {
        raw_us.push_back(run(ctx, raw_round(http.get(), server.base_url() + "/jsonrpc", body)));
        client_us.push_back(run(ctx, client_round(&client)));
    }
    double c = median(client_us), raw = median(raw_us);
    std::printf("odoo_search_read_100_client: %.1f us/call\n", c);
    std::printf("odoo_search_read_100_raw_http: %.1f us/call\n", raw);
    std::printf("odoo_client_overhead: %.1f %%\n", (c / raw - 1.0) * 100.0);
    std::printf("ratio odoo_client_vs_raw_http: %.3f (target <= 1.20)\n", c / raw);
    return 0;
}
