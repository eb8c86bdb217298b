#include "clarity/net/url.hpp"

#include <gtest/gtest.h>

using clarity::net::parse_url;
using clarity::net::redact_url;
using clarity::net::resolve_url;

TEST(Url, ParsesSchemeHostPortAndTarget) {
    auto u = parse_url("https://sellingpartnerapi-eu.amazon.com/orders/2026-01-01/orders?a=1&b=2");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->scheme, "https");
    EXPECT_EQ(u->host, "sellingpartnerapi-eu.amazon.com");
    EXPECT_EQ(u->port, 443);
    EXPECT_EQ(u->target, "/orders/2026-01-01/orders?a=1&b=2");
    EXPECT_EQ(u->authority(), "sellingpartnerapi-eu.amazon.com");

    auto local = parse_url("http://127.0.0.1:8069");
    ASSERT_TRUE(local);
    EXPECT_EQ(local->port, 8069);
    EXPECT_EQ(local->target, "/");
    EXPECT_TRUE(local->is_loopback());
    EXPECT_TRUE(local->is_ip_literal());
    EXPECT_EQ(local->authority(), "127.0.0.1:8069");

    auto v6 = parse_url("http://[::1]:9/x");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "::1");
    EXPECT_TRUE(v6->is_loopback());
    EXPECT_EQ(v6->authority(), "[::1]:9");
    EXPECT_TRUE(parse_url("HTTP://LocalHost/")->is_loopback());
}

TEST(Url, RejectsWhatItCannotUse) {
    EXPECT_FALSE(parse_url("ftp://x/"));
    EXPECT_FALSE(parse_url("not a url"));
    EXPECT_FALSE(parse_url("https:///path"));
    EXPECT_FALSE(parse_url("http://host:0/"));
}

TEST(Url, RedactsUserInfoAndSecretLookingQueryValues) {
    EXPECT_EQ(redact_url("https://user:pw@example.com/p?MarketplaceIds=A1&access_token=xyz&"
                         "X-Amz-Signature=abc&api_key=k#frag"),
              "https://example.com/p?MarketplaceIds=A1&access_token=***&X-Amz-Signature=***&"
              "api_key=***");
    EXPECT_EQ(redact_url("::"), "<invalid url>");
}

TEST(Url, ResolvesRedirectLocations) {
    EXPECT_EQ(*resolve_url("https://a.example/x/y?q=1", "/z"), "https://a.example/z");
    EXPECT_EQ(*resolve_url("https://a.example/x/y", "w"), "https://a.example/x/w");
    EXPECT_EQ(*resolve_url("https://a.example/x", "http://b.example/"), "http://b.example/");
}
