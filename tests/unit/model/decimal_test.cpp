#include "clarity/model/decimal.hpp"

#include <gtest/gtest.h>

#include <random>

#include "clarity/model/money.hpp"

namespace clarity::model {
namespace {

Decimal d(std::string_view s) { return Decimal::parse(s).value(); }

TEST(Decimal, ParsesAndPrints) {
    EXPECT_EQ(d("19.99").to_string(), "19.99");
    EXPECT_EQ(d("-0.5").to_string(), "-0.5");
    EXPECT_EQ(d("+3").to_string(), "3");
    EXPECT_EQ(d("0.001").to_string(), "0.001");
    EXPECT_EQ(d("1,234.56").to_string(), "1234.56");
    EXPECT_EQ(Decimal::parse("1.234,56", true)->to_string(), "1234.56");
    EXPECT_EQ(Decimal::parse("-0,5", true)->to_string(), "-0.5");
    EXPECT_FALSE(Decimal::parse("1e5"));
    EXPECT_FALSE(Decimal::parse(""));
    EXPECT_FALSE(Decimal::parse("-"));
    EXPECT_FALSE(Decimal::parse("1.2.3"));
    EXPECT_FALSE(Decimal::parse("99999999999999999999"));
}

TEST(Decimal, GuessesTheDecimalSeparator) {
    EXPECT_EQ(Decimal::parse_auto("12,50")->to_string(), "12.50");
    EXPECT_EQ(Decimal::parse_auto("1.234,56")->to_string(), "1234.56");
    EXPECT_EQ(Decimal::parse_auto("1,234.56")->to_string(), "1234.56");
    EXPECT_EQ(Decimal::parse_auto("1,234")->to_string(), "1234");
}

TEST(Decimal, ArithmeticIsExact) {
    EXPECT_EQ(d("0.1") + d("0.2"), d("0.3"));
    EXPECT_EQ((d("19.99") * d("3")).to_string(), "59.97");
    EXPECT_EQ(d("1.50"), d("1.5"));
    EXPECT_LT(d("-0.01"), d("0"));
    EXPECT_EQ(Decimal::divide(d("10"), d("3"), 2).to_string(), "3.33");
    EXPECT_EQ(Decimal::divide(d("-2"), d("3"), 2).to_string(), "-0.67");
    EXPECT_THROW(Decimal::divide(d("1"), d("0"), 2), std::domain_error);
}

TEST(Decimal, RoundingModes) {
    EXPECT_EQ(d("2.345").rescale(2, Rounding::half_up).to_string(), "2.35");
    EXPECT_EQ(d("-2.345").rescale(2, Rounding::half_up).to_string(), "-2.35");
    EXPECT_EQ(d("2.345").rescale(2, Rounding::half_even).to_string(), "2.34");
    EXPECT_EQ(d("2.355").rescale(2, Rounding::half_even).to_string(), "2.36");
    EXPECT_EQ(d("2.349").rescale(2, Rounding::down).to_string(), "2.34");
    EXPECT_EQ(d("2.341").rescale(2, Rounding::up).to_string(), "2.35");
    EXPECT_EQ(d("2.5").rescale(4).to_string(), "2.5000");
}

TEST(Decimal, OverflowThrowsInsteadOfWrapping) {
    Decimal big(std::numeric_limits<std::int64_t>::max(), 0);
    EXPECT_THROW(big + Decimal::from_int(1), std::overflow_error);
    EXPECT_THROW(big * Decimal::from_int(2), std::overflow_error);
}

TEST(DecimalProperty, ParsePrintRoundTripAndSumsAreExact) {
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::int64_t> units(-10'000'000, 10'000'000);
    std::uniform_int_distribution<int> scales(0, 4);
    for (int i = 0; i < 2000; ++i) {
        Decimal x(units(rng), scales(rng));
        EXPECT_EQ(Decimal::parse(x.to_string()).value(), x);
        EXPECT_EQ(Decimal::parse(x.to_string()).value().to_string(), x.to_string());
    }
    // Summing cents as Decimals equals summing the integers.
    std::int64_t cents = 0;
    Decimal total;
    for (int i = 0; i < 10'000; ++i) {
        const std::int64_t c = units(rng) % 100'000;
        cents += c;
        total += Decimal(c, 2);
    }
    EXPECT_EQ(total, Decimal(cents, 2));
}

TEST(Money, RoundsToCurrencyPrecisionOnlyWhenAsked) {
    Money m{d("10.005"), "USD"};
    EXPECT_EQ(m.amount.to_string(), "10.005");
    EXPECT_EQ(m.rounded().amount.to_string(), "10.01");
    EXPECT_EQ((Money{d("1234.5"), "JPY"}).rounded().amount.to_string(), "1235");
    EXPECT_EQ((Money{d("1.2345"), "KWD"}).rounded().amount.to_string(), "1.235");
    EXPECT_THROW((Money{d("1"), "USD"} + Money{d("1"), "EUR"}), std::invalid_argument);
    EXPECT_EQ((Money{d("1.10"), "EUR"} + Money{d("2.2"), "EUR"}).to_string(), "3.30 EUR");
}

}  // namespace
}  // namespace clarity::model
