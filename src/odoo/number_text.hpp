#pragma once
// Internal to the Odoo codecs: the exact fast conversion of short plain decimals, shared by the
// JSON parser and the XML-RPC <double> decoder (money and quantities are mostly such numbers).
#include <cstdint>
#include <string_view>

namespace clarity::odoo::detail {

/// A plain decimal ("-12.34", "5.", digits on either side of one '.', no exponent) of at most
/// 15 digits, exactly: its digits and the power of ten are both exact doubles, so one IEEE
/// division rounds correctly (the same double as from_chars). Anything else: false.
inline bool exact_short_decimal(std::string_view text, double& out) {
    static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char* s = text.data();
    const char* e = s + text.size();
    bool negative = s != e && *s == '-';
    if (negative) ++s;
    std::uint64_t m = 0;
    int digits = 0;
    int fraction = -1;
    for (; s != e; ++s) {
        if (*s == '.') {
            if (fraction >= 0) return false;
            fraction = 0;
            continue;
        }
        if (*s < '0' || *s > '9' || ++digits > 15) return false;
        m = m * 10 + static_cast<std::uint64_t>(*s - '0');
        if (fraction >= 0) ++fraction;
    }
    if (fraction < 0 || digits == 0) return false;
    double d = static_cast<double>(m) / kPow10[fraction];
    out = negative ? -d : d;
    return true;
}

}  // namespace clarity::odoo::detail
