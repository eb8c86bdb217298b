#include "clarity/core/error.hpp"

#include <gtest/gtest.h>

#include "clarity/core/result.hpp"

namespace clarity {
namespace {

TEST(ErrorKind, NamesRoundTrip) {
    for (auto k : {ErrorKind::transient, ErrorKind::rate_limited, ErrorKind::auth,
                   ErrorKind::permanent, ErrorKind::conflict, ErrorKind::unavailable}) {
        EXPECT_EQ(parse_error_kind(to_string(k)), k);
    }
    EXPECT_EQ(parse_error_kind("bogus"), std::nullopt);
}

TEST(ErrorKind, OnlyTransientRateLimitedConflictAndUnavailableRetry) {
    EXPECT_TRUE(is_retryable(ErrorKind::transient));
    EXPECT_TRUE(is_retryable(ErrorKind::rate_limited));
    EXPECT_TRUE(is_retryable(ErrorKind::conflict));
    EXPECT_TRUE(is_retryable(ErrorKind::unavailable));
    EXPECT_FALSE(is_retryable(ErrorKind::auth));
    EXPECT_FALSE(is_retryable(ErrorKind::permanent));
}

TEST(Error, DescribeNamesKindStatusAndRequestId) {
    Error e = make_error(ErrorKind::transient, "Odoo is restarting", "sale.order/create");
    e.http_status = 503;
    e.request_id = "req-1";
    EXPECT_EQ(e.describe(),
              "transient: Odoo is restarting [sale.order/create] (HTTP 503, request id req-1)");
}

TEST(Result, ValueThrowsTheErrorWhenEmpty) {
    Result<int> ok = 7;
    EXPECT_EQ(ok.value(), 7);
    Result<int> bad = make_error(ErrorKind::auth, "invalid_grant");
    ASSERT_TRUE(bad.has_error());
    EXPECT_EQ(bad.error().kind, ErrorKind::auth);
    EXPECT_THROW((void)bad.value(), ErrorException);
}

}  // namespace
}  // namespace clarity
