#pragma once
/// \file
/// Configuration of one Amazon seller account (one `amazon:` section of an integration pair).
/// Every base URL (SP-API, LWA, SQS) can be overridden for tests and sandboxes.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "clarity/amazon/endpoints.hpp"
#include "clarity/core/config.hpp"
#include "clarity/core/secret.hpp"

namespace clarity::amazon {

enum class OrdersApiVersion { v2026_01_01, v0 };

struct SqsOptions {
    std::string queue_url;  ///< https://sqs.<region>.amazonaws.com/<account>/<queue>; empty = off
    std::string region;     ///< AWS region of the queue (default: the SP-API region's)
    std::string endpoint;   ///< base URL override (default https://sqs.<region>.amazonaws.com)
    std::string access_key_id;
    Secret secret_access_key;
    Secret session_token;
    int max_messages = 10;
    std::chrono::seconds wait_time{20};
    std::chrono::seconds visibility_timeout{120};
};

struct AmazonOptions {
    Region region = Region::na;
    bool sandbox = false;
    std::string seller_id;  ///< selling partner id (merchant token), used in Listings paths
    std::vector<std::string> marketplace_ids;
    std::string lwa_client_id;
    Secret lwa_client_secret;
    Secret refresh_token;
    std::string endpoint;      ///< SP-API base URL; empty = region default (production/sandbox)
    std::string lwa_endpoint;  ///< LWA token URL; empty = https://api.amazon.com/auth/o2/token
    OrdersApiVersion orders_api = OrdersApiVersion::v2026_01_01;
    int max_attempts = 5;                      ///< per call: first try + retries
    std::chrono::milliseconds timeout{30000};  ///< per HTTP request
    double rate_scale = 1.0;                   ///< multiplies published rates (fakes only)
    SqsOptions sqs;

    /// The SP-API base URL in effect.
    std::string sp_api_base_url() const;
    /// The LWA token URL in effect.
    std::string lwa_token_url() const;
    /// The SQS endpoint in effect (empty when no queue is configured).
    std::string sqs_base_url() const;
    /// The AWS region of the SQS queue in effect.
    std::string sqs_region() const;
};

/// Keys of the `amazon` section.
core::ConfigSpec amazon_config_spec();
/// Reads a validated section. AWS keys fall back to AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
/// AWS_SESSION_TOKEN / AWS_REGION when absent. Throws core::ConfigError on inconsistent values
/// (unknown marketplace, marketplace outside the region).
AmazonOptions from_config(const core::ConfigNode& node);

}  // namespace clarity::amazon
