#include "clarity/model/money.hpp"

#include <array>
#include <stdexcept>

namespace clarity::model {

int currency_precision(std::string_view currency) noexcept {
    // ISO 4217 minor units for the currencies that differ from 2.
    static constexpr std::array<std::pair<std::string_view, int>, 17> kExceptions{{
        {"JPY", 0},
        {"KRW", 0},
        {"CLP", 0},
        {"ISK", 0},
        {"VND", 0},
        {"PYG", 0},
        {"UGX", 0},
        {"XAF", 0},
        {"XOF", 0},
        {"HUF", 2},
        {"BHD", 3},
        {"KWD", 3},
        {"OMR", 3},
        {"JOD", 3},
        {"TND", 3},
        {"LYD", 3},
        {"IQD", 3},
    }};
    for (const auto& [code, digits] : kExceptions) {
        if (code == currency) return digits;
    }
    return 2;
}

Money Money::rounded(Rounding mode) const {
    return Money{amount.rescale(currency_precision(currency), mode), currency};
}

std::string Money::to_string() const { return amount.to_string() + " " + currency; }

namespace {
void same_currency(const Money& a, const Money& b) {
    if (a.currency != b.currency) {
        throw std::invalid_argument("money: cannot combine " + a.currency + " and " + b.currency);
    }
}
}  // namespace

Money operator+(const Money& a, const Money& b) {
    same_currency(a, b);
    return Money{a.amount + b.amount, a.currency};
}

Money operator-(const Money& a, const Money& b) {
    same_currency(a, b);
    return Money{a.amount - b.amount, a.currency};
}

}  // namespace clarity::model
