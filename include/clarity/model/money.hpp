#pragma once
/// \file
/// Money = exact Decimal amount + ISO 4217 currency code. Amounts keep the precision they arrived
/// with; rounding to the currency's precision happens only at the Odoo boundary (`rounded()`).

#include <string>
#include <string_view>

#include "clarity/model/decimal.hpp"

namespace clarity::model {

/// ISO 4217 minor-unit digits for a currency code (JPY 0, KWD 3, most 2). Unknown codes: 2.
int currency_precision(std::string_view currency) noexcept;

struct Money {
    Decimal amount;
    std::string currency;  ///< "USD", "EUR", ...

    /// The amount rounded to the currency's precision (half-up unless told otherwise).
    Money rounded(Rounding mode = Rounding::half_up) const;
    std::string to_string() const;  ///< "19.99 USD"

    /// Throws std::invalid_argument when currencies differ (a programmer error: convert first).
    friend Money operator+(const Money& a, const Money& b);
    friend Money operator-(const Money& a, const Money& b);
    Money operator-() const { return Money{-amount, currency}; }
    friend bool operator==(const Money& a, const Money& b) = default;
};

}  // namespace clarity::model
