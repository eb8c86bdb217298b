// Configuration of one Odoo connection: spec, reading and validation.
#include <algorithm>

#include "clarity/odoo/client.hpp"

namespace clarity::odoo {

using core::ConfigError;
using core::ConfigKey;
using core::ConfigType;

core::ConfigSpec odoo_config_spec() {
    core::ConfigSpec spec;
    spec.add({.name = "url",
              .type = ConfigType::string,
              .description = "Base URL of the Odoo server, e.g. https://erp.example.com",
              .required = true});
    spec.add({.name = "database",
              .type = ConfigType::string,
              .description = "Odoo database name (sent as X-Odoo-Database on JSON-2)",
              .required = true});
    spec.add({.name = "username",
              .type = ConfigType::string,
              .description = "Login of the integration user",
              .required = true});
    spec.add({.name = "api_key",
              .type = ConfigType::secret,
              .description = "API key of the integration user (preferred; required for json-2)"});
    spec.add({.name = "password",
              .type = ConfigType::secret,
              .description = "Password, used only when api_key is not set (not for json-2)"});
    spec.add({.name = "protocol",
              .type = ConfigType::string,
              .description = "json-rpc, xml-rpc, json-2, or auto (JSON-2 on Odoo 19+ with an API "
                             "key, JSON-RPC before)",
              .default_value = "auto",
              .allowed = {"auto", "json-rpc", "xml-rpc", "json-2"}});
    spec.add({.name = "max_in_flight",
              .type = ConfigType::integer,
              .description = "At most this many calls to this Odoo at once (Odoo has few workers)",
              .default_value = "4"});
    spec.add({.name = "timeout",
              .type = ConfigType::duration,
              .description = "Deadline of one call (connect, send, wait, receive)",
              .default_value = "30s"});
    spec.add({.name = "allow_insecure_http",
              .type = ConfigType::boolean,
              .description = "Permit http:// to a host other than loopback (credentials travel "
                             "in clear text)",
              .default_value = "false"});
    spec.add({.name = "cache_ttl",
              .type = ConfigType::duration,
              .description = "Expiry of cached stable data (countries, states, currencies, taxes, "
                             "units of measure, journals)",
              .default_value = "1h"});
    spec.add({.name = "product_cache_ttl",
              .type = ConfigType::duration,
              .description = "Expiry of cached product look-ups by SKU or barcode",
              .default_value = "5m"});
    spec.add({.name = "read_retries",
              .type = ConfigType::integer,
              .description = "Extra tries of a read-only call after a transient error",
              .default_value = "2"});
    spec.add({.name = "retry_delay",
              .type = ConfigType::duration,
              .description = "Backoff base of read-only call retries: the first retry waits up "
                             "to this long (full jitter), the ceiling doubles each try up to 30s",
              .default_value = "200ms"});
    spec.add({.name = "auth_failure_cooldown",
              .type = ConfigType::duration,
              .description = "After Odoo rejects the credentials, fail calls at once for this "
                             "long instead of asking again",
              .default_value = "60s"});
    spec.add({.name = "tracking_disable",
              .type = ConfigType::boolean,
              .description = "Send tracking_disable and mail_create_nolog in write contexts "
                             "(faster, no chatter entries)",
              .default_value = "true"});
    spec.add({.name = "lang",
              .type = ConfigType::string,
              .description = "Context language",
              .default_value = "en_US"});
    spec.add({.name = "models",
              .type = ConfigType::string_list,
              .description = "Extra models whose fields are read (fields_get) and checked at "
                             "start-up"});
    return spec;
}

namespace {

std::string host_of(std::string_view url) {
    auto scheme = url.find("://");
    std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
    if (!rest.empty() && rest.front() == '[') {
        return std::string(rest.substr(1, rest.find(']') - 1));
    }
    return std::string(rest.substr(0, rest.find(':')));
}

bool is_loopback(const std::string& host) {
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace

void validate(const OdooOptions& o) {
    const bool https = o.url.rfind("https://", 0) == 0;
    const bool http = o.url.rfind("http://", 0) == 0;
    if (!https && !http) {
        throw ConfigError("odoo.url: '" + o.url + "' must start with https:// (or http://)");
    }
    if (host_of(o.url).empty()) throw ConfigError("odoo.url: '" + o.url + "' has no host");
    if (http && !is_loopback(host_of(o.url)) && !o.allow_insecure_http) {
        throw ConfigError("odoo.url: '" + o.url +
                          "' is plain http to a remote host, so the API key would travel in "
                          "clear text; use https:// or set odoo.allow_insecure_http: true");
    }
    if (o.database.empty()) throw ConfigError("odoo.database: must not be empty");
    if (o.username.empty()) throw ConfigError("odoo.username: must not be empty");
    if (o.api_key.empty() && o.password.empty()) {
        throw ConfigError("odoo: set api_key (preferred) or password");
    }
    if (o.protocol == Protocol::json2 && o.api_key.empty()) {
        throw ConfigError(
            "odoo.protocol: json-2 authenticates with an API key only; set "
            "odoo.api_key");
    }
    if (o.max_in_flight < 1) throw ConfigError("odoo.max_in_flight: must be at least 1");
    if (o.read_retries < 0) throw ConfigError("odoo.read_retries: must not be negative");
    if (o.timeout.count() <= 0) throw ConfigError("odoo.timeout: must be positive");
    if (o.retry_delay.count() <= 0) throw ConfigError("odoo.retry_delay: must be positive");
}

core::BackoffPolicy read_retry_policy(const OdooOptions& o) {
    using namespace std::chrono_literals;
    return core::BackoffPolicy{.base = o.retry_delay,
                               .cap = std::max<std::chrono::milliseconds>(30s, o.retry_delay),
                               .max_attempts = 1 + std::max(0, o.read_retries)};
}

OdooOptions from_config(const core::ConfigNode& node) {
    OdooOptions o;
    o.url = node.get_string("url");
    o.database = node.get_string("database");
    o.username = node.get_string("username");
    if (node.has("api_key")) o.api_key = node.get_secret("api_key");
    if (node.has("password")) o.password = node.get_secret("password");
    if (node.has("protocol")) {
        auto p = parse_protocol(node.get_string("protocol"));
        if (!p) {
            node.fail("protocol", "'" + node.get_string("protocol") +
                                      "' is not one of auto, json-rpc, xml-rpc, json-2");
        }
        o.protocol = *p;
    }
    if (node.has("max_in_flight"))
        o.max_in_flight = static_cast<int>(node.get_int("max_in_flight"));
    if (node.has("timeout")) o.timeout = node.get_duration("timeout");
    if (node.has("allow_insecure_http"))
        o.allow_insecure_http = node.get_bool("allow_insecure_http");
    if (node.has("cache_ttl")) o.cache_ttl = node.get_duration("cache_ttl");
    if (node.has("product_cache_ttl")) o.product_cache_ttl = node.get_duration("product_cache_ttl");
    if (node.has("read_retries")) o.read_retries = static_cast<int>(node.get_int("read_retries"));
    if (node.has("retry_delay")) o.retry_delay = node.get_duration("retry_delay");
    if (node.has("auth_failure_cooldown")) {
        o.auth_failure_cooldown = node.get_duration("auth_failure_cooldown");
    }
    if (node.has("tracking_disable")) o.tracking_disable = node.get_bool("tracking_disable");
    if (node.has("lang")) o.lang = node.get_string("lang");
    if (node.has("models")) o.models = node.get_string_list("models");
    try {
        validate(o);
    } catch (const ConfigError& e) {
        // validate() names the key as "odoo.KEY: reason" (or "odoo: reason"): say where it was
        // written instead.
        const std::string_view message = e.what();
        const auto colon = message.find(": ");
        std::string key;
        if (message.starts_with("odoo.") && colon != std::string_view::npos) {
            key = std::string(message.substr(5, colon - 5));
        }
        node.fail(key, std::string(colon == std::string_view::npos ? message
                                                                   : message.substr(colon + 2)));
    }
    return o;
}

}  // namespace clarity::odoo
