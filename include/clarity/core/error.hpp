#pragma once
/// \file
/// Run-time errors as values: every connector and store operation that can fail returns
/// `Result<T>` whose error is an `Error` with a kind. Callers decide retry or dead-letter from the
/// kind alone, never from the message text.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace clarity {

/// How an error should be handled. Classified once, at the boundary that saw it.
enum class ErrorKind {
    transient,     ///< network failure, 5xx, 408, timeout, lock: retry with backoff
    rate_limited,  ///< 429 / QuotaExceeded: retry after the limiter allows
    auth,          ///< bad or expired credentials: report, do not retry in a loop
    permanent,     ///< validation error, unknown SKU, other 4xx: dead-letter with a message
    conflict,      ///< concurrent update / duplicate: re-read and decide
    /// The service is known to be down (its circuit breaker is open): nothing was sent. Retry
    /// after `retry_after`; a job waits without using up an attempt.
    unavailable,
};

/// Stable lower-case name of a kind ("transient", "rate_limited", ...), used in logs and metrics.
std::string_view to_string(ErrorKind kind) noexcept;

/// Parses the name produced by to_string(); nullopt for anything else.
std::optional<ErrorKind> parse_error_kind(std::string_view name) noexcept;

/// True for the kinds a job runner retries (transient, rate_limited, conflict, unavailable).
bool is_retryable(ErrorKind kind) noexcept;

/// An error value. `message` must be actionable by a person and must never contain a secret.
struct Error {
    ErrorKind kind = ErrorKind::permanent;
    std::string message;
    std::optional<int> http_status;
    std::optional<std::chrono::seconds> retry_after;
    std::string context;     ///< where: operation, model, URL without query (no secrets)
    std::string request_id;  ///< the server's request id when it gave one

    /// One line: "<kind>: <message> [context] (HTTP 503, request id abc)".
    std::string describe() const;
};

/// Shorthands for constructing errors.
Error make_error(ErrorKind kind, std::string message, std::string context = {});

}  // namespace clarity
