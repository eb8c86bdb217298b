#include "clarity/core/backoff.hpp"

#include <algorithm>
#include <cstdint>

namespace clarity::core {

using std::chrono::milliseconds;

milliseconds BackoffPolicy::delay(int attempt,
                                  Random& jitter,
                                  std::optional<std::chrono::seconds> retry_after) const {
    const int shift = std::clamp(attempt - 1, 0, 62);
    const std::int64_t b = std::max<std::int64_t>(base.count(), 0);
    const std::int64_t c = std::max<std::int64_t>(cap.count(), 0);
    // base << shift without overflow: once base exceeds cap >> shift, the ceiling is the cap.
    const std::int64_t ceiling = b > (c >> shift) ? c : std::min(c, b << shift);
    milliseconds d{
        static_cast<std::int64_t>(jitter.uniform(0, static_cast<std::uint64_t>(ceiling)))};
    if (retry_after && *retry_after > d) d = std::chrono::duration_cast<milliseconds>(*retry_after);
    return d;
}

std::string format_duration(milliseconds d) {
    const auto ms = d.count();
    struct Unit {
        std::int64_t ms;
        const char* suffix;
    };
    for (const Unit u :
         {Unit{86'400'000, "d"}, Unit{3'600'000, "h"}, Unit{60'000, "m"}, Unit{1000, "s"}}) {
        if (ms != 0 && ms % u.ms == 0) return std::to_string(ms / u.ms) + u.suffix;
    }
    return std::to_string(ms) + "ms";
}

ConfigSpec backoff_config_spec(const BackoffPolicy& defaults,
                               const std::string& attempts_description) {
    ConfigSpec spec;
    spec.add({.name = "base",
              .type = ConfigType::duration,
              .description = "Backoff base: the first retry waits up to this long (full jitter)",
              .default_value = format_duration(defaults.base)});
    spec.add({.name = "cap",
              .type = ConfigType::duration,
              .description = "Longest wait between two attempts",
              .default_value = format_duration(defaults.cap)});
    spec.add({.name = "max_attempts",
              .type = ConfigType::integer,
              .description = attempts_description,
              .default_value = std::to_string(defaults.max_attempts)});
    return spec;
}

void validate(const BackoffPolicy& p, const std::string& where) {
    if (p.base.count() <= 0) throw ConfigError(where + ".base: must be more than 0");
    if (p.cap < p.base) throw ConfigError(where + ".cap: must not be less than base");
    if (p.max_attempts < 1) throw ConfigError(where + ".max_attempts: must be at least 1");
}

BackoffPolicy backoff_from_config(const ConfigNode& node, BackoffPolicy p) {
    if (node.has("base")) p.base = node.get_duration("base");
    if (node.has("cap")) p.cap = node.get_duration("cap");
    if (node.has("max_attempts")) p.max_attempts = static_cast<int>(node.get_int("max_attempts"));
    if (p.base.count() <= 0) node.fail("base", "must be more than 0");
    if (p.cap < p.base) node.fail("cap", "must not be less than base");
    if (p.max_attempts < 1) node.fail("max_attempts", "must be at least 1");
    return p;
}

}  // namespace clarity::core
