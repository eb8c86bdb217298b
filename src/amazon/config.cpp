#include "clarity/amazon/config.hpp"

#include <cmath>
#include <cstdlib>

namespace clarity::amazon {

using core::ConfigKey;
using core::ConfigType;

std::string AmazonOptions::sp_api_base_url() const {
    if (!endpoint.empty()) return endpoint;
    const auto& e = region_endpoints(region);
    return std::string(sandbox ? e.sandbox : e.production);
}

std::string AmazonOptions::lwa_token_url() const {
    return lwa_endpoint.empty() ? std::string(kLwaTokenUrl) : lwa_endpoint;
}

std::string AmazonOptions::sqs_region() const {
    return sqs.region.empty() ? std::string(region_endpoints(region).aws_region) : sqs.region;
}

std::string AmazonOptions::sqs_base_url() const {
    if (sqs.queue_url.empty()) return {};
    return sqs.endpoint.empty() ? sqs_endpoint(sqs_region()) : sqs.endpoint;
}

core::ConfigSpec amazon_config_spec() {
    core::ConfigSpec sqs;
    sqs.add({.name = "queue_url",
             .type = ConfigType::string,
             .description = "URL of the Standard SQS queue that receives SP-API notifications"});
    sqs.add({.name = "region",
             .type = ConfigType::string,
             .description = "AWS region of the queue (default: the SP-API region's AWS region, "
                            "or AWS_REGION)"});
    sqs.add({.name = "endpoint",
             .type = ConfigType::string,
             .description = "SQS base URL override (tests, local stacks)"});
    sqs.add({.name = "access_key_id",
             .type = ConfigType::string,
             .description = "AWS access key id (default: AWS_ACCESS_KEY_ID)"});
    sqs.add({.name = "secret_access_key",
             .type = ConfigType::secret,
             .description = "AWS secret access key (default: AWS_SECRET_ACCESS_KEY)"});
    sqs.add({.name = "session_token",
             .type = ConfigType::secret,
             .description = "AWS session token for temporary credentials (AWS_SESSION_TOKEN)"});
    sqs.add({.name = "max_messages",
             .type = ConfigType::integer,
             .description = "messages per ReceiveMessage (1-10)",
             .default_value = "10"});
    sqs.add({.name = "wait_time",
             .type = ConfigType::duration,
             .description = "long-poll wait (0-20 s)",
             .default_value = "20s"});
    sqs.add({.name = "visibility_timeout",
             .type = ConfigType::duration,
             .description = "how long a received message stays hidden",
             .default_value = "120s"});

    core::ConfigSpec spec;
    spec.add({.name = "region",
              .type = ConfigType::string,
              .description = "SP-API region of the seller account",
              .default_value = "na",
              .allowed = {"na", "eu", "fe"}});
    spec.add({.name = "sandbox",
              .type = ConfigType::boolean,
              .description = "use the SP-API sandbox endpoints",
              .default_value = "false"});
    spec.add({.name = "seller_id",
              .type = ConfigType::string,
              .description = "selling partner id (merchant token)",
              .required = true});
    spec.add({.name = "marketplaces",
              .type = ConfigType::string_list,
              .description = "marketplace ids or country codes (ATVPDKIKX0DER, DE, ...)",
              .required = true});
    spec.add({.name = "lwa_client_id",
              .type = ConfigType::string,
              .description = "LWA client id of the application",
              .required = true});
    spec.add({.name = "lwa_client_secret",
              .type = ConfigType::secret,
              .description = "LWA client secret",
              .required = true});
    spec.add({.name = "refresh_token",
              .type = ConfigType::secret,
              .description = "the seller's LWA refresh token (Atzr|...)",
              .required = true});
    spec.add({.name = "endpoint",
              .type = ConfigType::string,
              .description = "SP-API base URL override (default: the region's production or "
                             "sandbox URL)"});
    spec.add({.name = "lwa_endpoint",
              .type = ConfigType::string,
              .description = "LWA token URL override"});
    spec.add({.name = "orders_api",
              .type = ConfigType::string,
              .description = "Orders API version: 2026-01-01, or v0 (fallback until 27 Mar 2027)",
              .default_value = "2026-01-01",
              .allowed = {"2026-01-01", "v0"}});
    spec.add({.name = "max_attempts",
              .type = ConfigType::integer,
              .description = "attempts per SP-API call (first try included)",
              .default_value = "5"});
    spec.add({.name = "timeout",
              .type = ConfigType::duration,
              .description = "deadline of one HTTP request",
              .default_value = "30s"});
    spec.add({.name = "rate_scale",
              .type = ConfigType::decimal,
              .description = "multiplies the published rate limits (for fakes; keep 1)",
              .default_value = "1"});
    spec.add_section("sqs", "SQS queue of SP-API notifications (optional)", sqs);
    return spec;
}

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v == nullptr ? std::string{} : std::string(v);
}

}  // namespace

AmazonOptions from_config(const core::ConfigNode& node) {
    AmazonOptions o;
    auto region = parse_region(node.has("region") ? node.get_string("region") : "na");
    if (!region) node.fail("region", "expected na, eu or fe");
    o.region = *region;
    o.sandbox = node.has("sandbox") && node.get_bool("sandbox");
    o.seller_id = node.get_string("seller_id");
    const auto marketplaces = node.get_string_list("marketplaces");
    for (std::size_t i = 0; i < marketplaces.size(); ++i) {
        const auto& m = marketplaces[i];
        const std::string item = "marketplaces[" + std::to_string(i) + "]";
        const auto* mp = find_marketplace(m);
        if (mp == nullptr) {
            node.fail(item, "unknown marketplace '" + m +
                                "' (an Amazon marketplace id such as A1PA6795UKMFR9, or a country "
                                "code such as DE)");
        }
        if (mp->region != o.region) {
            node.fail(item, m + " belongs to region " + std::string(to_string(mp->region)) +
                                ", not " + std::string(to_string(o.region)));
        }
        o.marketplace_ids.emplace_back(mp->id);
    }
    o.lwa_client_id = node.get_string("lwa_client_id");
    o.lwa_client_secret = node.get_secret("lwa_client_secret");
    o.refresh_token = node.get_secret("refresh_token");
    if (node.has("endpoint")) o.endpoint = node.get_string("endpoint");
    if (node.has("lwa_endpoint")) o.lwa_endpoint = node.get_string("lwa_endpoint");
    if (node.has("orders_api") && node.get_string("orders_api") == "v0") {
        o.orders_api = OrdersApiVersion::v0;
    }
    if (node.has("max_attempts")) o.max_attempts = static_cast<int>(node.get_int("max_attempts"));
    if (node.has("timeout")) o.timeout = node.get_duration("timeout");
    if (node.has("rate_scale")) {
        // The rate limiter divides by it: zero, a negative or an overflowing value cannot run.
        const auto text = node.get_decimal("rate_scale");
        try {
            o.rate_scale = std::stod(text);
        } catch (const std::exception&) {
            node.fail("rate_scale", "'" + text + "' is out of range");
        }
        if (!(o.rate_scale > 0) || !std::isfinite(o.rate_scale)) {
            node.fail("rate_scale", "must be greater than 0");
        }
    }
    if (o.max_attempts < 1) node.fail("max_attempts", "must be >= 1");
    if (node.has("sqs")) {
        auto s = node.section("sqs");
        if (s.has("queue_url")) o.sqs.queue_url = s.get_string("queue_url");
        o.sqs.region = s.has("region") ? s.get_string("region") : env("AWS_REGION");
        if (s.has("endpoint")) o.sqs.endpoint = s.get_string("endpoint");
        o.sqs.access_key_id =
            s.has("access_key_id") ? s.get_string("access_key_id") : env("AWS_ACCESS_KEY_ID");
        o.sqs.secret_access_key = s.has("secret_access_key") ? s.get_secret("secret_access_key")
                                                             : Secret(env("AWS_SECRET_ACCESS_KEY"));
        o.sqs.session_token = s.has("session_token") ? s.get_secret("session_token")
                                                     : Secret(env("AWS_SESSION_TOKEN"));
        if (s.has("max_messages")) o.sqs.max_messages = static_cast<int>(s.get_int("max_messages"));
        if (s.has("wait_time")) {
            o.sqs.wait_time =
                std::chrono::duration_cast<std::chrono::seconds>(s.get_duration("wait_time"));
        }
        if (s.has("visibility_timeout")) {
            o.sqs.visibility_timeout = std::chrono::duration_cast<std::chrono::seconds>(
                s.get_duration("visibility_timeout"));
        }
        if (o.sqs.max_messages < 1 || o.sqs.max_messages > 10) {
            s.fail("max_messages", "must be 1-10 (SQS limit)");
        }
        if (o.sqs.wait_time.count() < 0 || o.sqs.wait_time.count() > 20) {
            s.fail("wait_time", "must be 0-20 s (SQS long poll)");
        }
        if (!o.sqs.queue_url.empty() &&
            (o.sqs.access_key_id.empty() || o.sqs.secret_access_key.empty())) {
            s.fail("queue_url",
                   "queue_url is set but no AWS access key; set access_key_id and "
                   "secret_access_key or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
        }
    }
    return o;
}

}  // namespace clarity::amazon
