#include "clarity/amazon/marketplace_pricing.hpp"

#include <gtest/gtest.h>

#include <set>

#include "clarity/amazon/endpoints.hpp"

namespace clarity::amazon {
namespace {

TEST(MarketplacePricing, EveryKnownMarketplaceHasACurrencyAndAPricingRule) {
    std::set<std::string_view> priced;
    for (const auto& p : all_marketplace_pricing()) {
        EXPECT_TRUE(priced.insert(p.marketplace_id).second) << p.marketplace_id << " twice";
        EXPECT_EQ(p.currency.size(), 3u) << p.marketplace_id;
        EXPECT_TRUE(p.domain.starts_with("amazon.")) << p.marketplace_id;
        EXPECT_NE(find_marketplace(p.marketplace_id), nullptr) << p.marketplace_id;
    }
    for (const auto& m : all_marketplaces()) {
        EXPECT_NE(marketplace_pricing(m.id), nullptr) << m.country << " has no pricing";
    }
}

TEST(MarketplacePricing, EuropeanAndUkPricesIncludeVatUsAndCanadianDoNot) {
    for (const char* country : {"DE", "FR", "IT", "ES", "UK", "IE", "NL", "BE", "SE", "PL"}) {
        const auto* m = marketplace_pricing(find_marketplace(country)->id);
        ASSERT_NE(m, nullptr) << country;
        EXPECT_TRUE(m->prices_include_tax) << country;
    }
    EXPECT_FALSE(marketplace_pricing("ATVPDKIKX0DER")->prices_include_tax);
    EXPECT_FALSE(marketplace_pricing("A2EUQ1WTGCTBG2")->prices_include_tax);
    EXPECT_EQ(marketplace_pricing("A1PA6795UKMFR9")->currency, "EUR");
    EXPECT_EQ(marketplace_pricing("A1F83G8C2ARO7P")->currency, "GBP");
    EXPECT_EQ(marketplace_pricing("ATVPDKIKX0DER")->currency, "USD");
    EXPECT_EQ(marketplace_pricing("nope"), nullptr);
    EXPECT_EQ(describe_marketplace("A1PA6795UKMFR9"), "amazon.de (A1PA6795UKMFR9)");
    EXPECT_EQ(describe_marketplace("XYZ"), "XYZ");
}

}  // namespace
}  // namespace clarity::amazon
