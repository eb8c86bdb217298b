#include "clarity/core/error.hpp"

#include <array>

#include "clarity/core/clock.hpp"
#include "clarity/core/result.hpp"

namespace clarity {

namespace {
constexpr std::array<std::pair<ErrorKind, std::string_view>, 6> kNames{{
    {ErrorKind::transient, "transient"},
    {ErrorKind::rate_limited, "rate_limited"},
    {ErrorKind::auth, "auth"},
    {ErrorKind::permanent, "permanent"},
    {ErrorKind::conflict, "conflict"},
    {ErrorKind::unavailable, "unavailable"},
}};
}  // namespace

std::string_view to_string(ErrorKind kind) noexcept {
    for (const auto& [k, name] : kNames) {
        if (k == kind) return name;
    }
    return "unknown";
}

std::optional<ErrorKind> parse_error_kind(std::string_view name) noexcept {
    for (const auto& [k, n] : kNames) {
        if (n == name) return k;
    }
    return std::nullopt;
}

bool is_retryable(ErrorKind kind) noexcept {
    return kind == ErrorKind::transient || kind == ErrorKind::rate_limited ||
           kind == ErrorKind::conflict || kind == ErrorKind::unavailable;
}

std::string Error::describe() const {
    std::string out{to_string(kind)};
    out += ": ";
    out += message;
    if (!context.empty()) {
        out += " [";
        out += context;
        out += "]";
    }
    if (http_status || !request_id.empty()) {
        out += " (";
        if (http_status) out += "HTTP " + std::to_string(*http_status);
        if (http_status && !request_id.empty()) out += ", ";
        if (!request_id.empty()) out += "request id " + request_id;
        out += ")";
    }
    return out;
}

Error make_error(ErrorKind kind, std::string message, std::string context) {
    Error e;
    e.kind = kind;
    e.message = std::move(message);
    e.context = std::move(context);
    return e;
}

ErrorException::ErrorException(Error error) : error_(std::move(error)), what_(error_.describe()) {}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
    throw ErrorException(e);
}

SystemClock& SystemClock::instance() {
    static SystemClock clock;
    return clock;
}

}  // namespace clarity
