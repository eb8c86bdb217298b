#include "clarity/amazon/api_error.hpp"

#include <algorithm>
#include <cctype>

#include "json_util.hpp"

namespace clarity::amazon {
namespace {

using detail::json;

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool mentions_token_problem(const std::vector<ApiError>& errors) {
    for (const auto& e : errors) {
        auto text = lower(e.message + " " + e.details + " " + e.code);
        if (text.find("expired") != std::string::npos ||
            text.find("access token") != std::string::npos ||
            text.find("invalid token") != std::string::npos || e.code == "InvalidAccessToken" ||
            e.code == "ExpiredToken") {
            return true;
        }
    }
    return false;
}

bool has_code(const std::vector<ApiError>& errors, std::string_view code) {
    return std::any_of(errors.begin(), errors.end(),
                       [&](const ApiError& e) { return e.code == code; });
}

}  // namespace

std::vector<ApiError> parse_api_errors(std::string_view body) {
    std::vector<ApiError> out;
    auto j = detail::parse_json(body);
    if (j.is_discarded() || !j.is_object()) return out;
    for (const auto& e : detail::array_or_empty(j, "errors")) {
        out.push_back(
            {detail::str(e, "code"), detail::str(e, "message"), detail::str(e, "details")});
    }
    return out;
}

std::string request_id_of(const net::HttpResponse& response) {
    if (auto id = response.header("x-amzn-RequestId")) return std::string(*id);
    if (auto id = response.header("x-amz-request-id")) return std::string(*id);
    return {};
}

ClassifiedError classify_sp_api_response(const net::HttpResponse& response,
                                         std::string_view operation,
                                         std::string_view required_role) {
    ClassifiedError out;
    const auto errors = parse_api_errors(response.body);
    const int status = response.status;
    std::string summary;
    for (const auto& e : errors) {
        if (!summary.empty()) summary += "; ";
        summary += e.code + ": " + e.message;
        if (!e.details.empty()) summary += " (" + e.details + ")";
    }
    if (summary.empty()) summary = "no error body";

    Error& err = out.error;
    err.http_status = status;
    err.request_id = request_id_of(response);
    err.context = std::string(operation);
    const std::string op(operation);

    if (status == 429 || has_code(errors, "QuotaExceeded")) {
        err.kind = ErrorKind::rate_limited;
        err.message = op + " throttled by Amazon (" + summary +
                      "); the limiter waits for a token and retries";
    } else if (status == 401 || (status == 403 && mentions_token_problem(errors))) {
        err.kind = ErrorKind::auth;
        err.message = op + " rejected the access token (" + summary +
                      "); the LWA token is refreshed once and the call retried";
        out.action = ResponseAction::refresh_token;
    } else if (status == 403) {
        err.kind = ErrorKind::permanent;
        err.message = op + " denied access (" + summary + "): ";
        if (!required_role.empty()) {
            err.message += "the application lacks the role '" + std::string(required_role) +
                           "' or the seller has not authorised it; add the role in the developer "
                           "profile and have the seller re-authorise the app";
        } else {
            err.message +=
                "the application lacks a required role or Restricted Data Token; check the "
                "roles of the app in the developer profile and re-authorise";
        }
    } else if (status == 408 || status >= 500) {
        err.kind = ErrorKind::transient;
        err.message = op + " failed on Amazon's side (HTTP " + std::to_string(status) + ", " +
                      summary + "); retried with backoff";
    } else if (status == 404) {
        err.kind = ErrorKind::permanent;
        err.message = op + ": not found (" + summary + ")";
    } else {
        err.kind = ErrorKind::permanent;
        err.message = op + " rejected the request (HTTP " + std::to_string(status) + ", " +
                      summary + "); fix the input, retrying will not help";
    }
    return out;
}

}  // namespace clarity::amazon
