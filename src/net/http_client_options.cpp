// Configuration of the HTTP client: the `http:` config section, proxy URLs and the proxy
// environment variables (read here, at construction, never deep inside a request).
#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "clarity/net/http_client.hpp"
#include "clarity/net/url.hpp"

namespace clarity::net {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> out;
    while (!text.empty()) {
        auto comma = text.find(',');
        auto item = trim(text.substr(0, comma));
        if (!item.empty()) out.push_back(item);
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

}  // namespace

Result<ProxyEndpoint> parse_proxy_url(std::string_view url) {
    std::string text(url);
    if (text.find("://") == std::string::npos) text = "http://" + text;  // "host:port", as curl
    if (lower(text).rfind("https://", 0) == 0) {
        return make_error(ErrorKind::permanent,
                          "proxy URLs must start with http:// (TLS to the proxy itself is not "
                          "supported; HTTPS requests still go through it encrypted with CONNECT)");
    }
    auto parsed = parse_url(text);
    if (!parsed) {
        return make_error(ErrorKind::permanent,
                          "malformed proxy URL (expected http://[user:pass@]host:port)");
    }
    ProxyEndpoint p;
    p.host = parsed->host;
    // A proxy URL without a port means 80 (scheme default), as curl does.
    p.port = parsed->port;
    if (!parsed->userinfo.empty()) {
        auto colon = parsed->userinfo.find(':');
        p.username = parsed->userinfo.substr(0, colon);
        if (colon != std::string::npos) p.password = Secret(parsed->userinfo.substr(colon + 1));
    }
    return p;
}

ProxyOptions proxy_options_from_environment(const std::function<const char*(const char*)>& getenv) {
    auto get = [&](const char* lower_name, const char* upper_name) -> std::string {
        auto read = [&](const char* n) -> const char* {
            return getenv ? getenv(n) : std::getenv(n);
        };
        if (const char* v = read(lower_name); v && *v) return v;
        if (const char* v = read(upper_name); v && *v) return v;
        return {};
    };
    ProxyOptions out;
    auto load = [&](const std::string& value, const char* name) -> std::optional<ProxyEndpoint> {
        if (value.empty()) return std::nullopt;
        auto p = parse_proxy_url(value);
        if (!p) throw core::ConfigError(std::string(name) + ": " + p.error().message);
        return *p;
    };
    out.https = load(get("https_proxy", "HTTPS_PROXY"), "HTTPS_PROXY");
    // The daemon is no CGI program, so the upper-case HTTP_PROXY is safe to honour (httpoxy).
    out.http = load(get("http_proxy", "HTTP_PROXY"), "HTTP_PROXY");
    out.no_proxy = split_list(get("no_proxy", "NO_PROXY"));
    return out;
}

bool matches_no_proxy(const std::vector<std::string>& no_proxy,
                      std::string_view host,
                      std::uint16_t port) {
    const std::string h = lower(host);
    for (const auto& raw : no_proxy) {
        std::string entry = lower(trim(raw));
        if (entry.empty()) continue;
        if (entry == "*") return true;
        // Optional ":port" (not for bare IPv6 literals, which contain several colons).
        if (auto colon = entry.rfind(':'); colon != std::string::npos && entry.find(':') == colon) {
            if (entry.substr(colon + 1) != std::to_string(port)) continue;
            entry.resize(colon);
        }
        if (!entry.empty() && entry.front() == '[' && entry.back() == ']') {
            entry = entry.substr(1, entry.size() - 2);
        }
        if (entry.front() == '.') entry.erase(0, 1);
        if (h == entry) return true;
        if (h.size() > entry.size() &&
            h.compare(h.size() - entry.size(), entry.size(), entry) == 0 &&
            h[h.size() - entry.size() - 1] == '.') {
            return true;
        }
    }
    return false;
}

core::ConfigSpec http_client_config_spec() {
    using core::ConfigType;
    core::ConfigSpec proxy;
    proxy.add({.name = "url",
               .type = ConfigType::string,
               .description = "HTTP proxy for all outbound requests, http://host:port "
                              "(HTTPS goes through it with CONNECT). Empty = none."});
    proxy.add({.name = "username",
               .type = ConfigType::string,
               .description = "Proxy basic-auth user name."});
    proxy.add({.name = "password",
               .type = ConfigType::secret,
               .description = "Proxy basic-auth password (${ENV} or file:/path)."});
    proxy.add({.name = "no_proxy",
               .type = ConfigType::string_list,
               .description = "Hosts reached directly: example.com (with subdomains), "
                              ".example.com, 10.0.0.5, host:port, or *."});
    proxy.add({.name = "from_environment",
               .type = ConfigType::boolean,
               .description = "When no url is set, use HTTPS_PROXY / HTTP_PROXY / NO_PROXY.",
               .default_value = "true"});

    core::ConfigSpec spec;
    spec.add({.name = "connect_timeout",
              .type = ConfigType::duration,
              .description = "TCP connect timeout (also to the proxy).",
              .default_value = "10s"});
    spec.add({.name = "handshake_timeout",
              .type = ConfigType::duration,
              .description = "TLS handshake timeout.",
              .default_value = "10s"});
    spec.add({.name = "request_timeout",
              .type = ConfigType::duration,
              .description = "Default deadline of a whole request (connect, send, receive).",
              .default_value = "60s"});
    spec.add({.name = "idle_timeout",
              .type = ConfigType::duration,
              .description = "Idle pooled connections older than this are not reused.",
              .default_value = "50s"});
    spec.add({.name = "max_connections_per_host",
              .type = ConfigType::integer,
              .description = "Connection pool size per (scheme, host, port).",
              .default_value = "8"});
    spec.add({.name = "max_body_bytes",
              .type = ConfigType::integer,
              .description = "Largest accepted (decoded) response body, in bytes.",
              .default_value = "67108864"});
    spec.add({.name = "verify_peer",
              .type = ConfigType::boolean,
              .description = "Verify the server certificate and host name. Never disable in "
                             "production.",
              .default_value = "true"});
    spec.add({.name = "ca_file",
              .type = ConfigType::string,
              .description = "PEM file of CA certificates to trust instead of the system store."});
    spec.add({.name = "allow_insecure_http",
              .type = ConfigType::boolean,
              .description = "Allow plain http:// to hosts other than loopback (tests, "
                             "sandboxes).",
              .default_value = "false"});
    spec.add({.name = "max_redirects",
              .type = ConfigType::integer,
              .description = "Redirect hops for requests that ask to follow redirects.",
              .default_value = "5"});
    spec.add({.name = "user_agent",
              .type = ConfigType::string,
              .description = "User-Agent header.",
              .default_value = "clarity-connect"});
    spec.add_section("proxy", "Outbound HTTP proxy.", proxy);
    return spec;
}

HttpClientOptions http_client_options_from_config(const core::ConfigNode& node) {
    HttpClientOptions o;
    if (node.has("connect_timeout")) o.connect_timeout = node.get_duration("connect_timeout");
    if (node.has("handshake_timeout")) o.handshake_timeout = node.get_duration("handshake_timeout");
    if (node.has("request_timeout")) o.request_timeout = node.get_duration("request_timeout");
    if (node.has("idle_timeout")) o.idle_timeout = node.get_duration("idle_timeout");
    auto positive = [&](const char* key, std::int64_t v) {
        if (v <= 0) {
            node.fail(key, "must be a positive integer");
        }
        return static_cast<std::size_t>(v);
    };
    if (node.has("max_connections_per_host")) {
        o.max_connections_per_host =
            positive("max_connections_per_host", node.get_int("max_connections_per_host"));
    }
    if (node.has("max_body_bytes")) {
        o.max_body_bytes = positive("max_body_bytes", node.get_int("max_body_bytes"));
    }
    if (node.has("verify_peer")) o.verify_peer = node.get_bool("verify_peer");
    if (node.has("ca_file")) o.ca_file = node.get_string("ca_file");
    if (node.has("allow_insecure_http"))
        o.allow_insecure_http = node.get_bool("allow_insecure_http");
    if (node.has("max_redirects"))
        o.max_redirects = static_cast<int>(node.get_int("max_redirects"));
    if (node.has("user_agent")) o.user_agent = node.get_string("user_agent");

    bool from_env = true;
    if (node.has("proxy")) {
        auto p = node.section("proxy");
        if (p.has("from_environment")) from_env = p.get_bool("from_environment");
        if (p.has("url") && !p.get_string("url").empty()) {
            auto endpoint = parse_proxy_url(p.get_string("url"));
            if (!endpoint) {
                p.fail("url", endpoint.error().message);
            }
            if (p.has("username")) endpoint->username = p.get_string("username");
            if (p.has("password")) endpoint->password = p.get_secret("password");
            o.proxy.https = *endpoint;
            o.proxy.http = *endpoint;
            from_env = false;
        }
        if (p.has("no_proxy")) o.proxy.no_proxy = p.get_string_list("no_proxy");
    }
    if (from_env) {
        auto env = proxy_options_from_environment();
        o.proxy.https = env.https;
        o.proxy.http = env.http;
        o.proxy.no_proxy.insert(o.proxy.no_proxy.end(), env.no_proxy.begin(), env.no_proxy.end());
    }
    return o;
}

}  // namespace clarity::net
