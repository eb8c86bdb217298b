#pragma once
/// \file
/// A secret value (password, API key, token). It prints as `***` through every formatter, so a
/// secret cannot reach a log line or an error message by accident; `reveal()` is the one,
/// greppable, way to read it (to put it on the wire).

#include <ostream>
#include <string>
#include <utility>

#include <fmt/format.h>

namespace clarity {

class Secret {
public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}
    const std::string& reveal() const noexcept { return value_; }
    bool empty() const noexcept { return value_.empty(); }
    friend bool operator==(const Secret&, const Secret&) = default;
    static constexpr const char* kMask = "***";

private:
    std::string value_;
};

inline std::ostream& operator<<(std::ostream& os, const Secret&) { return os << Secret::kMask; }

}  // namespace clarity

template <>
struct fmt::formatter<clarity::Secret> : fmt::formatter<std::string_view> {
    template <class Ctx>
    auto format(const clarity::Secret&, Ctx& ctx) const {
        return fmt::formatter<std::string_view>::format(clarity::Secret::kMask, ctx);
    }
};
