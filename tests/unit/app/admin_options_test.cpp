#include <gtest/gtest.h>

#include "admin_routes.hpp"
#include "clarity/net/http_server.hpp"
#include "config_loader.hpp"

namespace clarity::app {
namespace {

net::HttpServerOptions admin_options(const std::string& yaml) {
    core::ConfigSpec spec;
    spec.add_section("admin", "admin", net::http_server_config_spec());
    return net::http_server_options_from_config(
        load_config_text(yaml, "c.yaml", spec).section("admin"));
}

std::string admin_error(const std::string& yaml) {
    try {
        admin_options(yaml);
    } catch (const core::ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(AdminOptions, DefaultsAreLoopbackWithLimits) {
    const auto o = admin_options("");
    EXPECT_EQ(o.host, "127.0.0.1");
    EXPECT_EQ(o.port, 8080);
    EXPECT_FALSE(o.token.has_value());
    EXPECT_EQ(o.max_header_bytes, 8192u);
    EXPECT_EQ(o.max_body_bytes, 1048576u);
    EXPECT_EQ(o.request_timeout, std::chrono::seconds(10));
    EXPECT_EQ(o.max_connections, 64u);
}

TEST(AdminOptions, ReadsIpv6ListenAndToken) {
    const auto o =
        admin_options("admin: {listen: \"[::1]:9100\", token: abc, request_timeout: 250ms}\n");
    EXPECT_EQ(o.host, "::1");
    EXPECT_EQ(o.port, 9100);
    ASSERT_TRUE(o.token.has_value());
    EXPECT_EQ(o.token->reveal(), "abc");
    EXPECT_EQ(o.request_timeout, std::chrono::milliseconds(250));
}

TEST(AdminOptions, RejectsMalformedListenAndNonPositiveLimits) {
    EXPECT_EQ(admin_error("admin: {listen: localhost}\n"),
              "c.yaml:1:17: admin.listen: 'localhost' is not host:port");
    EXPECT_EQ(admin_error("admin: {listen: \"host:99999\"}\n"),
              "c.yaml:1:17: admin.listen: 'host:99999' has no valid port (0-65535)");
    EXPECT_EQ(admin_error("admin: {listen: \"host:http\"}\n"),
              "c.yaml:1:17: admin.listen: 'host:http' has no valid port (0-65535)");
    EXPECT_EQ(admin_error("admin: {max_connections: 0}\n"),
              "c.yaml:1:26: admin.max_connections: must be greater than 0");
}

TEST(Readiness, ReadyOnlyWhenEveryCheckPasses) {
    Readiness r;
    EXPECT_TRUE(r.evaluate().ready);
    r.add("store", [] { return std::optional<std::string>{}; });
    r.add("odoo[eu]", [] { return std::optional<std::string>{"timeout"}; });
    r.add("amazon[eu]", []() -> std::optional<std::string> { throw std::runtime_error("boom"); });
    const auto report = r.evaluate();
    EXPECT_FALSE(report.ready);
    EXPECT_EQ(report.text,
              "ok store\nfail odoo[eu]: timeout\nfail amazon[eu]: check failed: boom\n");
}

}  // namespace
}  // namespace clarity::app
