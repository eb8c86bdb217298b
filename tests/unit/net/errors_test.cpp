#include "clarity/net/errors.hpp"

#include <gtest/gtest.h>

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>

using namespace std::chrono_literals;
using clarity::ErrorKind;
using clarity::net::classify_status;
using clarity::net::classify_transport_error;
using clarity::net::HttpResponse;
using clarity::net::parse_retry_after;
using clarity::net::TransportPhase;

namespace {
HttpResponse response(int status, clarity::net::Headers headers = {}) {
    HttpResponse r;
    r.status = status;
    r.headers = std::move(headers);
    return r;
}
const auto kNow =
    std::chrono::system_clock::from_time_t(1'445'412'480);  // Wed, 21 Oct 2015 07:28:00 GMT
}  // namespace

TEST(ClassifyStatus, MapsStatusesToKinds) {
    EXPECT_EQ(classify_status(response(429)).kind, ErrorKind::rate_limited);
    EXPECT_EQ(classify_status(response(408)).kind, ErrorKind::transient);
    EXPECT_EQ(classify_status(response(500)).kind, ErrorKind::transient);
    EXPECT_EQ(classify_status(response(503)).kind, ErrorKind::transient);
    EXPECT_EQ(classify_status(response(401)).kind, ErrorKind::auth);
    EXPECT_EQ(classify_status(response(403)).kind, ErrorKind::auth);
    EXPECT_EQ(classify_status(response(409)).kind, ErrorKind::conflict);
    EXPECT_EQ(classify_status(response(400)).kind, ErrorKind::permanent);
    EXPECT_EQ(classify_status(response(404)).kind, ErrorKind::permanent);
    EXPECT_EQ(classify_status(response(422)).kind, ErrorKind::permanent);
}

TEST(ClassifyStatus, CarriesStatusRetryAfterAndRequestId) {
    auto e = classify_status(response(429, {{"Retry-After", "7"}, {"x-amzn-RequestId", "abc-123"}}),
                             "GET /orders", kNow);
    EXPECT_EQ(e.http_status, 429);
    EXPECT_EQ(e.retry_after, std::optional<std::chrono::seconds>(7s));
    EXPECT_EQ(e.request_id, "abc-123");
    EXPECT_EQ(e.context, "GET /orders");
    EXPECT_EQ(classify_status(response(500, {{"X-Request-Id", "r9"}})).request_id, "r9");
}

TEST(ParseRetryAfter, ReadsSecondsAndHttpDates) {
    EXPECT_EQ(parse_retry_after("120", kNow), std::optional<std::chrono::seconds>(120s));
    EXPECT_EQ(parse_retry_after(" 0 ", kNow), std::optional<std::chrono::seconds>(0s));
    EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", kNow),
              std::optional<std::chrono::seconds>(30s));
    EXPECT_EQ(parse_retry_after("Wednesday, 21-Oct-15 07:29:00 GMT", kNow),
              std::optional<std::chrono::seconds>(60s));
    EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", kNow),
              std::optional<std::chrono::seconds>(0s));
    EXPECT_FALSE(parse_retry_after("soon", kNow));
    EXPECT_FALSE(parse_retry_after("-5", kNow));
    EXPECT_FALSE(parse_retry_after("", kNow));
}

TEST(ClassifyTransportError, NetworkFailuresAreTransient) {
    namespace asio = boost::asio;
    EXPECT_EQ(
        classify_transport_error(asio::error::connection_refused, TransportPhase::connect, "GET x")
            .kind,
        ErrorKind::transient);
    EXPECT_EQ(
        classify_transport_error(asio::error::connection_reset, TransportPhase::read, "").kind,
        ErrorKind::transient);
    auto t = classify_transport_error(boost::beast::error::timeout, TransportPhase::read, "GET x",
                                      "after 5 ms");
    EXPECT_EQ(t.kind, ErrorKind::transient);
    EXPECT_NE(t.message.find("timed out reading the response (after 5 ms)"), std::string::npos)
        << t.message;
    EXPECT_EQ(t.context, "GET x");
}
