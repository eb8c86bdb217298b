#include "clarity/model/decimal.hpp"

#include <limits>
#include <stdexcept>

namespace clarity::model {

namespace {
using i128 = __int128;

i128 pow10(int n) {
    i128 p = 1;
    for (int i = 0; i < n; ++i) p *= 10;
    return p;
}

std::int64_t narrow(i128 v) {
    if (v > std::numeric_limits<std::int64_t>::max() ||
        v < std::numeric_limits<std::int64_t>::min()) {
        throw std::overflow_error("decimal overflow");
    }
    return static_cast<std::int64_t>(v);
}

// Divides n by d (d > 0) rounding with mode.
i128 div_round(i128 n, i128 d, Rounding mode) {
    i128 q = n / d;
    i128 r = n % d;
    if (r == 0) return q;
    const int sign = n < 0 ? -1 : 1;
    const i128 abs_r = r < 0 ? -r : r;
    bool away = false;
    switch (mode) {
        case Rounding::down:
            away = false;
            break;
        case Rounding::up:
            away = true;
            break;
        case Rounding::half_up:
            away = abs_r * 2 >= d;
            break;
        case Rounding::half_even: {
            const i128 twice = abs_r * 2;
            away = twice > d || (twice == d && (q % 2 != 0));
            break;
        }
    }
    return away ? q + sign : q;
}
}  // namespace

void Decimal::throw_scale_out_of_range() { throw std::out_of_range("decimal scale out of range"); }

std::optional<Decimal> Decimal::parse(std::string_view text, bool decimal_comma) {
    const char point = decimal_comma ? ',' : '.';
    const char group = decimal_comma ? '.' : ',';
    std::size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
        negative = text[i] == '-';
        ++i;
    }
    i128 units = 0;
    int scale = 0;
    bool seen_point = false;
    bool any_digit = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c >= '0' && c <= '9') {
            units = units * 10 + (c - '0');
            if (units > std::numeric_limits<std::int64_t>::max()) return std::nullopt;
            if (seen_point && ++scale > kMaxScale) return std::nullopt;
            any_digit = true;
        } else if (c == point && !seen_point) {
            seen_point = true;
        } else if (c == group && !seen_point && any_digit) {
            continue;
        } else {
            return std::nullopt;
        }
    }
    if (!any_digit) return std::nullopt;
    return Decimal(static_cast<std::int64_t>(negative ? -units : units), scale);
}

std::optional<Decimal> Decimal::parse_auto(std::string_view text) {
    const auto comma = text.rfind(',');
    const auto dot = text.rfind('.');
    bool decimal_comma = false;
    if (comma != std::string_view::npos) {
        if (dot != std::string_view::npos) {
            decimal_comma = comma > dot;
        } else {
            const auto digits_after = text.size() - comma - 1;
            decimal_comma = digits_after >= 1 && digits_after <= 2;
        }
    }
    return parse(text, decimal_comma);
}

Decimal Decimal::rescale(int new_scale, Rounding mode) const {
    if (new_scale < 0 || new_scale > kMaxScale)
        throw std::out_of_range("decimal scale out of range");
    if (new_scale >= scale_) {
        return Decimal(narrow(static_cast<i128>(units_) * pow10(new_scale - scale_)), new_scale);
    }
    return Decimal(narrow(div_round(units_, pow10(scale_ - new_scale), mode)), new_scale);
}

Decimal Decimal::normalized() const {
    std::int64_t u = units_;
    int s = scale_;
    while (s > 0 && u % 10 == 0) {
        u /= 10;
        --s;
    }
    return Decimal(u, s);
}

std::string Decimal::to_string() const {
    const bool neg = units_ < 0;
    i128 abs = units_;
    if (neg) abs = -abs;
    std::string digits;
    do {
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(abs % 10)));
        abs /= 10;
    } while (abs != 0);
    if (scale_ > 0) {
        if (static_cast<int>(digits.size()) <= scale_) {
            digits.insert(0, static_cast<std::size_t>(scale_ + 1 - digits.size()), '0');
        }
        digits.insert(digits.end() - scale_, '.');
    }
    return neg ? "-" + digits : digits;
}

Decimal Decimal::operator-() const { return Decimal(narrow(-static_cast<i128>(units_)), scale_); }

Decimal operator+(const Decimal& a, const Decimal& b) {
    const int s = std::max(a.scale_, b.scale_);
    const i128 x = static_cast<i128>(a.units_) * pow10(s - a.scale_);
    const i128 y = static_cast<i128>(b.units_) * pow10(s - b.scale_);
    return Decimal(narrow(x + y), s);
}

Decimal operator-(const Decimal& a, const Decimal& b) { return a + (-b); }

Decimal operator*(const Decimal& a, const Decimal& b) {
    i128 p = static_cast<i128>(a.units_) * b.units_;
    int s = a.scale_ + b.scale_;
    if (s > Decimal::kMaxScale) {
        p = div_round(p, pow10(s - Decimal::kMaxScale), Rounding::half_even);
        s = Decimal::kMaxScale;
    }
    return Decimal(narrow(p), s);
}

Decimal Decimal::divide(const Decimal& a, const Decimal& b, int scale, Rounding mode) {
    if (b.units_ == 0) throw std::domain_error("decimal division by zero");
    if (scale < 0 || scale > kMaxScale) throw std::out_of_range("decimal scale out of range");
    // a/b at `scale` = a.units * 10^(scale + b.scale - a.scale) / b.units
    const int shift = scale + b.scale_ - a.scale_;
    i128 n = a.units_;
    i128 d = b.units_;
    if (shift >= 0) {
        n *= pow10(shift);
    } else {
        d *= pow10(-shift);
    }
    if (d < 0) {
        n = -n;
        d = -d;
    }
    return Decimal(narrow(div_round(n, d, mode)), scale);
}

bool operator==(const Decimal& a, const Decimal& b) { return (a <=> b) == 0; }

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
    const int s = std::max(a.scale_, b.scale_);
    const i128 x = static_cast<i128>(a.units_) * pow10(s - a.scale_);
    const i128 y = static_cast<i128>(b.units_) * pow10(s - b.scale_);
    return x <=> y;
}

}  // namespace clarity::model
