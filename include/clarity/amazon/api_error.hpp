#pragma once
/// \file
/// Classification of SP-API responses into `clarity::Error` (done once, here, at the boundary).
/// Error bodies are `{"errors":[{code,message,details}]}`, bare (2021+ APIs) or inside a v0
/// `{payload, errors}` wrapper (NOTES.md §2).

#include <string>
#include <string_view>
#include <vector>

#include "clarity/core/error.hpp"
#include "clarity/net/http.hpp"

namespace clarity::amazon {

/// One entry of an SP-API `errors` array.
struct ApiError {
    std::string code;
    std::string message;
    std::string details;
};

/// The `errors` array of a body; empty when the body has none or is not JSON.
std::vector<ApiError> parse_api_errors(std::string_view body);

/// What the call path should do with a non-2xx response.
enum class ResponseAction {
    fail,           ///< return the error (after retries allowed by its kind)
    refresh_token,  ///< the access token expired or was rejected: refresh once, retry once
};

struct ClassifiedError {
    Error error;
    ResponseAction action = ResponseAction::fail;
};

/// Classifies a non-2xx SP-API response of `operation` (its name, for the context):
/// 429 / QuotaExceeded → rate_limited; 401 or 403 `Unauthorized` naming an expired/invalid token →
/// auth + refresh_token; other 403 (missing role or Restricted Data Token) → permanent, naming the
/// role when `required_role` is given; 400 InvalidInput / 404 → permanent; 408 and 5xx → transient.
/// The x-amzn-RequestId header is kept in `error.request_id`.
ClassifiedError classify_sp_api_response(const net::HttpResponse& response,
                                         std::string_view operation,
                                         std::string_view required_role = {});

/// The request id of a response (x-amzn-RequestId, or x-amz-request-id), empty when absent.
std::string request_id_of(const net::HttpResponse& response);

}  // namespace clarity::amazon
