#include "clarity/net/http_server.hpp"

namespace clarity::net {

core::ConfigSpec http_server_config_spec() {
    using core::ConfigType;
    core::ConfigSpec spec;
    spec.add({.name = "listen",
              .type = ConfigType::string,
              .description = "Address and port of the admin HTTP server (/healthz, /readyz, "
                             "/metrics), as host:port; [::1]:8080 for IPv6. Port 0 picks a free "
                             "port.",
              .default_value = "127.0.0.1:8080"});
    spec.add({.name = "token",
              .type = ConfigType::secret,
              .description = "Bearer token required for every endpoint except /healthz and "
                             "/readyz (`Authorization: Bearer <token>`). When unset, /metrics is "
                             "open and administrative endpoints are refused (403)."});
    spec.add({.name = "max_header_bytes",
              .type = ConfigType::integer,
              .description = "Largest accepted request header block; larger requests get 413.",
              .default_value = "8192"});
    spec.add({.name = "max_body_bytes",
              .type = ConfigType::integer,
              .description = "Largest accepted request body; larger requests get 413.",
              .default_value = "1048576"});
    spec.add({.name = "request_timeout",
              .type = ConfigType::duration,
              .description = "Time a client has to send one whole request (and to send the next "
                             "one on a kept-alive connection); slower clients are disconnected.",
              .default_value = "10s"});
    spec.add({.name = "max_connections",
              .type = ConfigType::integer,
              .description = "Simultaneous connections; more are answered 503 and closed.",
              .default_value = "64"});
    return spec;
}

namespace {
std::int64_t positive(const core::ConfigNode& node, std::string_view key) {
    const auto v = node.get_int(key);
    if (v <= 0) {
        throw core::ConfigError((node.path().empty() ? "" : node.path() + ".") + std::string(key) +
                                ": must be greater than 0");
    }
    return v;
}
}  // namespace

HttpServerOptions http_server_options_from_config(const core::ConfigNode& node) {
    HttpServerOptions o;
    const std::string listen = node.get_string("listen");
    const std::string where = (node.path().empty() ? "" : node.path() + ".") + "listen";
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) {
        throw core::ConfigError(where + ": '" + listen + "' is not host:port");
    }
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    std::int64_t port = -1;
    try {
        port = core::parse_int(listen.substr(colon + 1));
    } catch (const core::ConfigError&) {
    }
    if (port < 0 || port > 65535) {
        throw core::ConfigError(where + ": '" + listen + "' has no valid port (0-65535)");
    }
    o.host = host;
    o.port = static_cast<std::uint16_t>(port);
    if (node.has("token")) o.token = node.get_secret("token");
    o.max_header_bytes = static_cast<std::size_t>(positive(node, "max_header_bytes"));
    o.max_body_bytes = static_cast<std::size_t>(positive(node, "max_body_bytes"));
    o.request_timeout = node.get_duration("request_timeout");
    o.max_connections = static_cast<std::size_t>(positive(node, "max_connections"));
    return o;
}

}  // namespace clarity::net
