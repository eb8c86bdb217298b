#pragma once
/// \file
/// AWS Signature Version 4 (header and presigned-query forms) for the AWS services the daemon calls
/// itself (SQS). SP-API calls are not signed (not required since Oct 2023, NOTES.md §1.2).
/// Checked against both suites in ../shared/vectors/aws-sigv4/.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "clarity/core/clock.hpp"
#include "clarity/core/secret.hpp"
#include "clarity/net/http.hpp"

namespace clarity::amazon {

/// AWS credentials: an IAM user's key pair, or temporary STS credentials with a session token.
struct AwsCredentials {
    std::string access_key_id;
    Secret secret_access_key;
    Secret session_token;  ///< empty when the credentials are not temporary
};

/// What and how to sign.
struct SigV4Params {
    std::string region;   ///< e.g. "us-east-1"
    std::string service;  ///< e.g. "sqs"
    Clock::time_point time;
    bool normalize_path = true;       ///< remove dot segments and empty segments (all but S3)
    bool sign_body = false;           ///< add and sign x-amz-content-sha256
    bool omit_session_token = false;  ///< add X-Amz-Security-Token after signing (unsigned)
};

/// A request as it appears on the wire: `target` is the raw request-target (path?query).
struct SignableRequest {
    std::string method;
    std::string target;
    net::Headers headers;  ///< must include Host
    std::string body;
};

/// The intermediate and final values of a signature (the vectors check each one).
struct SigV4Signature {
    std::string canonical_request;
    std::string string_to_sign;
    std::string signature;       ///< lower-case hex
    std::string authorization;   ///< value of the Authorization header (header form only)
    net::Headers added_headers;  ///< headers to add to the request (date, token, sha256, auth)
    std::string signed_query;    ///< presigned form: the full query string, signature included
};

/// Signs with the Authorization header. Adds X-Amz-Date unless the request has it.
SigV4Signature sign_headers(const SignableRequest& request,
                            const AwsCredentials& credentials,
                            const SigV4Params& params);

/// Presigns: the signature travels in the query string (`X-Amz-Signature`), valid `expires`.
SigV4Signature presign_query(const SignableRequest& request,
                             const AwsCredentials& credentials,
                             const SigV4Params& params,
                             std::chrono::seconds expires);

/// Signs an absolute-URL HttpRequest in place (adds Host when missing, X-Amz-Date,
/// X-Amz-Security-Token and Authorization).
void sign_request(net::HttpRequest& request,
                  const AwsCredentials& credentials,
                  const SigV4Params& params);

/// Outcome of verifying a received request (used by the fake SQS, and usable by any receiver).
struct SigV4Verification {
    bool valid = false;
    std::string reason;  ///< why it failed, for the 403 body
    std::string access_key_id;
};

/// Verifies the Authorization header of a received request against `secret` for the key id it
/// names, recomputing the signature over the headers it lists. `now` bounds the clock skew (15
/// min).
SigV4Verification verify_headers(const SignableRequest& request,
                                 std::string_view expected_access_key_id,
                                 const Secret& secret,
                                 std::string_view region,
                                 std::string_view service,
                                 Clock::time_point now);

/// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);
/// 20150830T123600Z
std::string amz_date(Clock::time_point t);

}  // namespace clarity::amazon
