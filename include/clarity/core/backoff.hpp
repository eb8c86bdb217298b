#pragma once
/// \file
/// The one retry-timing policy of the daemon: exponential backoff with full jitter (AWS
/// architecture blog "Exponential Backoff And Jitter"; fluent-bit's backoff_full_jitter), a larger
/// Retry-After winning, and a limit on tries. Jobs (store retries), SP-API call retries, Odoo read
/// retries and the trigger loops (SQS polling, Odoo connect) all take their delays from it, each
/// with its own base, cap and attempts. Pure: the jitter source is injected (`Random`), so tests
/// script it and never sleep.

#include <chrono>
#include <optional>
#include <string>

#include "clarity/core/config.hpp"
#include "clarity/core/random.hpp"

namespace clarity::core {

struct BackoffPolicy {
    std::chrono::milliseconds base{1000};                     ///< first ceiling, growth unit
    std::chrono::milliseconds cap{std::chrono::minutes{15}};  ///< largest ceiling
    int max_attempts = 10;                                    ///< tries in all, the first included

    /// The wait after `attempt` tries failed (1 = the first try failed): uniform over
    /// [0, min(cap, base · 2^(attempt-1))], raised to `retry_after` when that is larger.
    std::chrono::milliseconds delay(int attempt,
                                    Random& jitter,
                                    std::optional<std::chrono::seconds> retry_after = {}) const;
    /// May another try follow `attempts` tries?
    bool may_retry(int attempts) const noexcept { return attempts < max_attempts; }
};

/// Keys base, cap, max_attempts, with `defaults` as their defaults. `attempts_description` says
/// what running out of attempts means for this use ("... before the job becomes a dead letter").
ConfigSpec backoff_config_spec(const BackoffPolicy& defaults,
                               const std::string& attempts_description);
/// Reads a node validated against backoff_config_spec(); keys absent keep `defaults`. Throws
/// ConfigError for base <= 0, cap < base or max_attempts < 1.
BackoffPolicy backoff_from_config(const ConfigNode& node, BackoffPolicy defaults = {});
/// The same checks for a policy built in code (`where` prefixes the message). Throws ConfigError.
void validate(const BackoffPolicy& policy, const std::string& where);

/// "1s", "250ms", "15m": the shortest exact duration text (for config defaults).
std::string format_duration(std::chrono::milliseconds d);

}  // namespace clarity::core
