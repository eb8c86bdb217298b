#include <gtest/gtest.h>

#include "clarity/odoo/client.hpp"

namespace clarity::odoo {
namespace {

core::ConfigNode node() {
    core::ConfigNode n("connections[0].odoo");
    n.set("url", "https://erp.example.com");
    n.set("database", "prod");
    n.set("username", "amazon-sync");
    n.set_secret("api_key", Secret("0123456789abcdef0123456789abcdef01234567"));
    return n;
}

TEST(OdooConfig, SpecDeclaresEveryKeyAndMarksSecrets) {
    auto spec = odoo_config_spec();
    for (const char* k : {"url", "database", "username", "api_key", "password", "protocol",
                          "max_in_flight", "timeout", "allow_insecure_http", "cache_ttl"}) {
        EXPECT_NE(spec.find(k), nullptr) << k;
    }
    EXPECT_EQ(spec.find("api_key")->type, core::ConfigType::secret);
    EXPECT_EQ(spec.find("password")->type, core::ConfigType::secret);
    EXPECT_EQ(spec.find("max_in_flight")->default_value, "4");
    EXPECT_EQ(spec.find("protocol")->allowed.size(), 4u);
}

TEST(OdooConfig, ReadsOptions) {
    auto n = node();
    n.set("protocol", "json-2");
    n.set("max_in_flight", "2");
    n.set("timeout", "10s");
    auto o = from_config(n);
    EXPECT_EQ(o.protocol, Protocol::json2);
    EXPECT_EQ(o.max_in_flight, 2);
    EXPECT_EQ(o.timeout, std::chrono::seconds{10});
    EXPECT_EQ(o.api_key.reveal().size(), 40u);
}

TEST(OdooConfig, RejectsContradictions) {
    auto plain = node();
    plain.set("url", "http://erp.example.com");
    EXPECT_THROW(from_config(plain), core::ConfigError);
    plain.set("allow_insecure_http", "true");
    EXPECT_NO_THROW(from_config(plain));
    auto local = node();
    local.set("url", "http://127.0.0.1:8069");
    EXPECT_NO_THROW(from_config(local));

    core::ConfigNode pw("odoo");
    pw.set("url", "https://erp.example.com");
    pw.set("database", "prod");
    pw.set("username", "u");
    EXPECT_THROW(from_config(pw), core::ConfigError);  // neither key nor password
    pw.set_secret("password", Secret("pw"));
    EXPECT_NO_THROW(from_config(pw));
    pw.set("protocol", "json-2");
    try {
        from_config(pw);
        FAIL() << "json-2 without a key must be rejected";
    } catch (const core::ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("api_key"), std::string::npos);
    }
}

}  // namespace
}  // namespace clarity::odoo
