#include <gtest/gtest.h>

#include <random>

#include "clarity/model/decimal.hpp"

namespace clarity::model {
namespace {

/// "1234567.89" → "1.234.567,89" (the EU report style).
std::string eu_format(const Decimal& d) {
    std::string s = d.to_string();
    const bool neg = s[0] == '-';
    if (neg) s.erase(0, 1);
    const auto dot = s.find('.');
    std::string whole = s.substr(0, dot);
    std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
    std::string grouped;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) grouped += '.';
        grouped += whole[i];
    }
    return (neg ? "-" : "") + grouped + (frac.empty() ? "" : "," + frac);
}

TEST(DecimalProperty, EuropeanDecimalCommaTextRoundTrips) {
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::int64_t> units(-1'000'000'000, 1'000'000'000);
    for (int i = 0; i < 2000; ++i) {
        const Decimal x(units(rng), 2);
        const std::string text = eu_format(x);
        ASSERT_EQ(Decimal::parse(text, true).value(), x) << text;
        ASSERT_EQ(Decimal::parse_auto(text).value(), x) << text;
    }
}

TEST(DecimalProperty, UnitPriceTimesQuantityGivesTheLineTotalBack) {
    // The v0 decoder derives unit prices as ItemPrice / QuantityOrdered with 6 extra digits.
    std::mt19937_64 rng(11);
    std::uniform_int_distribution<std::int64_t> cents(1, 10'000'000);
    std::uniform_int_distribution<std::int64_t> qty(1, 50);
    for (int i = 0; i < 2000; ++i) {
        const Decimal total(cents(rng), 2);
        const Decimal q = Decimal::from_int(qty(rng));
        const Decimal unit = Decimal::divide(total, q, 8);
        const Decimal back = unit * q;
        Decimal diff = back - total;
        if (diff.is_negative()) diff = -diff;
        ASSERT_LE(diff, Decimal(50, 8) * q) << total.to_string() << " / " << q.to_string();
        if (Decimal::divide(total, q, 2) * q == total) {
            ASSERT_EQ(back, total);
        }
    }
}

}  // namespace
}  // namespace clarity::model
