#include <gtest/gtest.h>

#include <map>

#include "clarity/net/http_client.hpp"

using namespace std::chrono_literals;
using clarity::core::ConfigNode;
using clarity::net::matches_no_proxy;
using clarity::net::parse_proxy_url;
using clarity::net::proxy_options_from_environment;

TEST(HttpClientOptions, SpecDeclaresEveryKeyItReads) {
    auto spec = clarity::net::http_client_config_spec();
    for (const char* key :
         {"connect_timeout", "handshake_timeout", "request_timeout", "idle_timeout",
          "max_connections_per_host", "max_body_bytes", "verify_peer", "ca_file",
          "allow_insecure_http", "max_redirects", "user_agent", "proxy"}) {
        EXPECT_NE(spec.find(key), nullptr) << key;
    }
}

TEST(HttpClientOptions, ReadsAConfigNode) {
    ConfigNode proxy("http.proxy");
    proxy.set("url", "http://proxy.corp:8080");
    proxy.set("username", "svc");
    proxy.set_secret("password", clarity::Secret("pw"));
    proxy.set_list("no_proxy", {"odoo.internal"});
    ConfigNode node("http");
    node.set("connect_timeout", "2s");
    node.set("request_timeout", "90s");
    node.set("max_connections_per_host", "3");
    node.set("allow_insecure_http", "true");
    node.set_section("proxy", proxy);
    auto o = clarity::net::http_client_options_from_config(node);
    EXPECT_EQ(o.connect_timeout, 2s);
    EXPECT_EQ(o.request_timeout, 90s);
    EXPECT_EQ(o.handshake_timeout, 10s);  // default
    EXPECT_EQ(o.max_connections_per_host, 3u);
    EXPECT_TRUE(o.allow_insecure_http);
    EXPECT_TRUE(o.verify_peer);
    ASSERT_TRUE(o.proxy.https);
    EXPECT_EQ(o.proxy.https->host, "proxy.corp");
    EXPECT_EQ(o.proxy.https->port, 8080);
    EXPECT_EQ(o.proxy.https->username, "svc");
    EXPECT_EQ(o.proxy.https->password.reveal(), "pw");
    EXPECT_EQ(o.proxy.no_proxy, std::vector<std::string>{"odoo.internal"});

    ConfigNode bad("http");
    bad.set("max_connections_per_host", "0");
    EXPECT_THROW(clarity::net::http_client_options_from_config(bad), clarity::core::ConfigError);
}

TEST(ProxyOptions, ComeFromTheEnvironment) {
    std::map<std::string, std::string> env{{"HTTPS_PROXY", "http://u:p%40ss@proxy:3128"},
                                           {"http_proxy", "proxy2:8000"},
                                           {"NO_PROXY", "localhost, .internal ,10.0.0.5"}};
    auto getenv = [&](const char* name) -> const char* {
        auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
    };
    auto p = proxy_options_from_environment(getenv);
    ASSERT_TRUE(p.https);
    EXPECT_EQ(p.https->host, "proxy");
    EXPECT_EQ(p.https->username, "u");
    EXPECT_EQ(p.https->password.reveal(), "p@ss");
    ASSERT_TRUE(p.http);
    EXPECT_EQ(p.http->host, "proxy2");
    EXPECT_EQ(p.http->port, 8000);
    EXPECT_EQ(p.no_proxy, (std::vector<std::string>{"localhost", ".internal", "10.0.0.5"}));

    env["HTTPS_PROXY"] = "https://tls-proxy:443";
    EXPECT_THROW(proxy_options_from_environment(getenv), clarity::core::ConfigError);
}

TEST(ProxyOptions, NoProxyMatchesHostsDomainsAndPorts) {
    std::vector<std::string> rules{"odoo.internal", ".corp.example", "10.0.0.5", "api.x:8443"};
    EXPECT_TRUE(matches_no_proxy(rules, "odoo.internal", 443));
    EXPECT_TRUE(matches_no_proxy(rules, "db.odoo.internal", 443));
    EXPECT_FALSE(matches_no_proxy(rules, "notodoo.internal", 443));
    EXPECT_TRUE(matches_no_proxy(rules, "a.corp.example", 443));
    EXPECT_TRUE(matches_no_proxy(rules, "corp.example", 443));
    EXPECT_TRUE(matches_no_proxy(rules, "10.0.0.5", 80));
    EXPECT_TRUE(matches_no_proxy(rules, "api.x", 8443));
    EXPECT_FALSE(matches_no_proxy(rules, "api.x", 443));
    EXPECT_FALSE(matches_no_proxy(rules, "sellingpartnerapi-eu.amazon.com", 443));
    EXPECT_TRUE(matches_no_proxy({"*"}, "anything", 1));
    EXPECT_FALSE(parse_proxy_url("http://"));
}
