#pragma once
// Shared set-up for the connector's integration tests: a fake SP-API on 127.0.0.1:0 and the real
// connector (LWA source, quota limiter, SpApiClient, SQS client) pointed at it.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>

#include "clarity/amazon/sp_api_client.hpp"
#include "clarity/amazon/sqs_consumer.hpp"
#include "clarity/net/http_client.hpp"
#include "sp_api/fake_sp_api.hpp"

namespace clarity::test {

template <class T>
T run(boost::asio::io_context& io, boost::asio::awaitable<T> aw) {
    std::optional<T> out;
    std::exception_ptr error;
    boost::asio::co_spawn(io, std::move(aw), [&](std::exception_ptr e, T v) {
        error = e;
        if (!e) out.emplace(std::move(v));
    });
    io.restart();
    io.run();
    if (error) std::rethrow_exception(error);
    return std::move(*out);
}

/// The published usage plans sped up 1000x (the client learns the rate from the fake's headers).
inline fakes::sp_api::FakeOptions fast() {
    fakes::sp_api::FakeOptions fo;
    fo.speed_up = 1000;
    return fo;
}

struct Harness {
    explicit Harness(fakes::sp_api::FakeOptions fo = fast(), int max_attempts = 5)
        : http_ptr(net::make_http_client(io.get_executor(), client_options(), &metrics)),
          http(*http_ptr),
          fake(clock, fo),
          quota(SystemClock::instance(), fo.speed_up) {
        options.region = amazon::Region::na;
        options.seller_id = fo.seller_id;
        options.marketplace_ids = {"ATVPDKIKX0DER"};
        options.lwa_client_id = fo.client_id;
        options.lwa_client_secret = Secret(fo.client_secret);
        options.refresh_token = Secret(fo.refresh_token);
        options.endpoint = fake.base_url();
        options.lwa_endpoint = fake.lwa_url();
        options.max_attempts = max_attempts;
        options.timeout = std::chrono::seconds(5);
        lwa.emplace(http, clock,
                    amazon::LwaOptions{options.lwa_token_url(), options.lwa_client_id,
                                       options.lwa_client_secret, std::chrono::seconds(60),
                                       std::chrono::milliseconds(5000)},
                    &metrics);
        client.emplace(http, *lwa, quota, clock, random, metrics, options);
    }

    amazon::SqsEndpoint sqs_endpoint(std::string secret = "fake-aws-secret") const {
        amazon::SqsEndpoint e;
        e.base_url = fake.sqs_url();
        e.region = "us-east-1";
        e.queue_url = fake.queue_url();
        e.credentials = {"AKIDFAKE", Secret(std::move(secret)), {}};
        e.wait_time = std::chrono::seconds(0);
        e.visibility_timeout = std::chrono::seconds(60);
        return e;
    }

    static net::HttpClientOptions client_options() {
        net::HttpClientOptions o;
        o.name = "sp-api";
        o.request_timeout = std::chrono::seconds(5);
        return o;
    }

    boost::asio::io_context io;
    core::MetricsRegistry metrics;
    std::shared_ptr<net::HttpClient> http_ptr;  // the net layer's real client
    net::HttpClient& http;
    ManualClock clock;  // fake time: token expiry, feed processing, SQS visibility
    fakes::sp_api::FakeSpApi fake;
    DefaultRandom random{42};
    amazon::QuotaLimiter quota;  // real time, like the fake's buckets; seeded rates sped up
    amazon::AmazonOptions options;
    std::optional<amazon::LwaTokenSource> lwa;
    std::optional<amazon::SpApiClient> client;
};

inline fakes::sp_api::SeedOrder seed_order(std::string id,
                                           std::string updated,
                                           std::string fulfilled_by = "MERCHANT") {
    fakes::sp_api::SeedOrder o;
    o.order_id = std::move(id);
    o.last_updated_time = std::move(updated);
    o.fulfilled_by = std::move(fulfilled_by);
    fakes::sp_api::SeedItem a;
    a.order_item_id = o.order_id + "-1";
    a.seller_sku = "SKU-A";
    a.asin = "B000000001";
    a.title = "Mug";
    a.quantity = 2;
    a.unit_price = "12.50";
    a.item_tax = "2.10";
    a.gift_message = "Happy birthday!";
    a.gift_wrap_level = "Classic";
    a.customized_url = "https://zme-caps.amazon.com/t/abc";
    a.promotion_ids = {"PROMO-1"};
    a.promotion_discount = "1.00";
    fakes::sp_api::SeedItem b;
    b.order_item_id = o.order_id + "-2";
    b.seller_sku = "SKU-B";
    b.asin = "B000000002";
    b.title = "Plate";
    b.quantity = 1;
    b.unit_price = "5.00";
    b.cancelled = true;
    o.items = {a, b};
    return o;
}

}  // namespace clarity::test
