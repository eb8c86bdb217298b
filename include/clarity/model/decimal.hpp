#pragma once
/// \file
/// Exact decimal numbers for money and quantities: a signed 64-bit integer of units and a scale
/// (number of digits after the point, 0..12). Arithmetic never goes through floating point;
/// overflow throws std::overflow_error rather than wrapping.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clarity::model {

enum class Rounding {
    half_up,    ///< 0.5 away from zero (Odoo's default HALF-UP)
    half_even,  ///< banker's rounding
    down,       ///< toward zero
    up,         ///< away from zero
};

class Decimal {
  public:
    static constexpr int kMaxScale = 12;

    constexpr Decimal() = default;
    /// units / 10^scale, e.g. Decimal(1999, 2) == 19.99. Throws std::out_of_range for a scale
    /// outside 0..kMaxScale. Inline: per-row hot loops build one per amount and sum.
    Decimal(std::int64_t units, int scale) : units_(units), scale_(scale) {
        if (scale < 0 || scale > kMaxScale) throw_scale_out_of_range();
    }
    static Decimal from_int(std::int64_t v) { return Decimal(v, 0); }

    /// Parses "12", "-0.5", "1234.56", "+3". With decimal_comma, "1.234,56" and "-0,5" are read
    /// (periods are then thousands separators); without it, commas are thousands separators.
    /// Rejects exponents, empty text, more than kMaxScale fraction digits and values past int64.
    static std::optional<Decimal> parse(std::string_view text, bool decimal_comma = false);
    /// Like parse(), guessing the separator: a comma followed by 1–2 final digits, or the last of
    /// both separators being a comma, means a decimal comma ("12,50", "1.234,56").
    static std::optional<Decimal> parse_auto(std::string_view text);

    std::int64_t units() const noexcept { return units_; }
    int scale() const noexcept { return scale_; }
    bool is_zero() const noexcept { return units_ == 0; }
    bool is_negative() const noexcept { return units_ < 0; }
    int signum() const noexcept { return (units_ > 0) - (units_ < 0); }

    /// Same value at another scale; rounds with `mode` when the scale shrinks.
    Decimal rescale(int new_scale, Rounding mode = Rounding::half_up) const;
    /// Drops trailing fraction zeros (1.500 -> 1.5).
    Decimal normalized() const;

    /// Canonical text: "-1234.50" (no thousands separators, scale digits kept).
    std::string to_string() const;

    Decimal operator-() const;
    friend Decimal operator+(const Decimal& a, const Decimal& b);
    friend Decimal operator-(const Decimal& a, const Decimal& b);
    /// Exact product (scale = a.scale + b.scale; rescaled down only if above kMaxScale).
    friend Decimal operator*(const Decimal& a, const Decimal& b);
    Decimal& operator+=(const Decimal& o) { return *this = *this + o; }
    Decimal& operator-=(const Decimal& o) { return *this = *this - o; }

    /// Quotient rounded to `scale` digits with `mode`. Throws std::domain_error on zero divisor.
    static Decimal divide(const Decimal& a,
                          const Decimal& b,
                          int scale,
                          Rounding mode = Rounding::half_up);

    /// Value comparison independent of scale (1.50 == 1.5).
    friend bool operator==(const Decimal& a, const Decimal& b);
    friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);

  private:
    [[noreturn]] static void throw_scale_out_of_range();

    std::int64_t units_ = 0;
    int scale_ = 0;
};

}  // namespace clarity::model
