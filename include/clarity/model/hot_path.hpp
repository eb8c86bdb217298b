#pragma once
/// \file
/// Inline helpers for per-row hot loops (the settlement parser in src/amazon and the aggregation
/// in src/mapping): exact same-scale sums and short-text hashing and equality with word loads
/// instead of byte loops and libc calls (the texts are 3-40 bytes, where those cost more than
/// the rest of a row's work). Standard library only.

#include <cstdint>
#include <cstring>
#include <string_view>

#include "clarity/model/decimal.hpp"

namespace clarity::model::hot {

// acc += v, without the general path's rescaling when both have the same scale (every amount
// of a report has); overflow still throws std::overflow_error from the general path.
inline void add_exact(Decimal& acc, const Decimal& v) {
    std::int64_t sum = 0;
    if (acc.scale() == v.scale() && !__builtin_add_overflow(acc.units(), v.units(), &sum)) {
        acc = Decimal(sum, v.scale());
    } else {
        acc += v;
    }
}

inline std::uint64_t load8(const char* p) noexcept {
    std::uint64_t w = 0;
    std::memcpy(&w, p, 8);
    return w;
}

inline std::uint32_t load4(const char* p) noexcept {
    std::uint32_t w = 0;
    std::memcpy(&w, p, 4);
    return w;
}

// The bytes of p[0..n), 0 < n < 8, packed into a word (overlapping loads; equal texts of equal
// length give equal words).
inline std::uint64_t load_short(const char* p, std::size_t n) noexcept {
    if (n >= 4) return (static_cast<std::uint64_t>(load4(p)) << 32) | load4(p + n - 4);
    return (static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) << 16) |
           (static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8) |
           static_cast<unsigned char>(p[n - 1]);
}

// A fast non-cryptographic hash of a short text, 8 bytes per step.
inline std::uint64_t hash_text(std::string_view s, std::uint64_t h) noexcept {
    constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
    const char* p = s.data();
    const std::size_t n = s.size();
    h = (h ^ n) * kMul;
    if (n < 8) {
        if (n > 0) h = (h ^ load_short(p, n)) * kMul;
        return h ^ (h >> 29);
    }
    std::size_t i = 0;
    for (; i + 8 < n; i += 8) {
        h = (h ^ load8(p + i)) * kMul;
        h ^= h >> 29;
    }
    h = (h ^ load8(p + n - 8)) * kMul;  // the last 8 bytes, overlapping the previous word
    return h ^ (h >> 29);
}

// a == b for short texts, without a libc call.
[[gnu::always_inline]] inline bool same_text(std::string_view a, std::string_view b) noexcept {
    const std::size_t n = a.size();
    if (n != b.size()) return false;
    const char* x = a.data();
    const char* y = b.data();
    if (n < 8) return n == 0 || load_short(x, n) == load_short(y, n);
    for (std::size_t i = 0; i + 8 < n; i += 8) {
        if (load8(x + i) != load8(y + i)) return false;
    }
    return load8(x + n - 8) == load8(y + n - 8);
}

}  // namespace clarity::model::hot
