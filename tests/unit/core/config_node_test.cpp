#include <gtest/gtest.h>

#include "clarity/core/config.hpp"

namespace clarity::core {
namespace {

TEST(ParseDuration, AcceptsUnits) {
    using namespace std::chrono_literals;
    EXPECT_EQ(parse_duration("250ms"), 250ms);
    EXPECT_EQ(parse_duration("30s"), 30s);
    EXPECT_EQ(parse_duration("45"), 45s);
    EXPECT_EQ(parse_duration("10m"), 10min);
    EXPECT_EQ(parse_duration("2h"), 2h);
    EXPECT_EQ(parse_duration("30d"), std::chrono::hours(720));
    EXPECT_THROW(parse_duration("ten minutes"), ConfigError);
    EXPECT_THROW(parse_duration("5 w"), ConfigError);
    EXPECT_THROW(parse_duration(""), ConfigError);
}

TEST(ParseDuration, RefusesWhatWouldOverflowInsteadOfWrapping) {
    // Found by fuzz_config (store.lease: 1024819115206086200m): minutes → milliseconds overflowed.
    using namespace std::chrono_literals;
    EXPECT_EQ(parse_duration("36500d"), std::chrono::hours(24 * 36500));
    for (const char* text : {"1024819115206086200m", "36501d", "9223372036854775807ms",
                             "9223372036854775807s", "153722867280912931m", "2562047788015216h"}) {
        try {
            parse_duration(text);
            ADD_FAILURE() << text << " was accepted";
        } catch (const ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find("too long a duration"), std::string::npos)
                << e.what();
        }
    }
}

TEST(ParseBool, AcceptsYamlSpellings) {
    EXPECT_TRUE(parse_bool("TRUE"));
    EXPECT_TRUE(parse_bool("yes"));
    EXPECT_FALSE(parse_bool("off"));
    EXPECT_THROW(parse_bool("maybe"), ConfigError);
}

TEST(ParseInt, RejectsTrailingText) {
    EXPECT_EQ(parse_int("-42"), -42);
    EXPECT_EQ(parse_int("+7"), 7);
    EXPECT_THROW(parse_int("12abc"), ConfigError);
    EXPECT_THROW(parse_int(""), ConfigError);
}

TEST(ConfigNode, ReadsTypedValuesAndNestedSections) {
    ConfigNode odoo("connections[0].odoo");
    odoo.set("url", "http://127.0.0.1:8069").set_secret("api_key", Secret("k3y"));
    ConfigNode conn("connections[0]");
    conn.set("name", "eu").set_section("odoo", odoo).set_list("marketplaces", {"A1PA6795UKMFR9"});
    ConfigNode root;
    root.set("workers", "4").set("poll", "10m").add_to_section_list("connections", conn);

    EXPECT_EQ(root.get_int("workers"), 4);
    EXPECT_EQ(root.get_duration("poll"), std::chrono::minutes(10));
    auto conns = root.sections("connections");
    ASSERT_EQ(conns.size(), 1u);
    EXPECT_EQ(conns[0].get_string("name"), "eu");
    EXPECT_EQ(conns[0].get_string_list("marketplaces").at(0), "A1PA6795UKMFR9");
    EXPECT_EQ(conns[0].section("odoo").get_secret("api_key").reveal(), "k3y");
    EXPECT_EQ(conns[0].section("odoo").path(), "connections[0].odoo");
    EXPECT_TRUE(root.has("poll"));
    EXPECT_FALSE(root.has("absent"));
    EXPECT_THROW(root.get_string("absent"), std::logic_error);
}

TEST(ConfigNode, BadTypedValueNamesThePath) {
    ConfigNode n("store");
    n.set("retention", "forever");
    try {
        (void)n.get_duration("retention");
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("store.retention"), std::string::npos);
    }
}

TEST(ConfigSpec, RejectsDuplicateKeys) {
    ConfigSpec spec;
    spec.add({.name = "path", .type = ConfigType::string, .description = "db file"});
    EXPECT_THROW(spec.add({.name = "path"}), std::logic_error);
    ASSERT_NE(spec.find("path"), nullptr);
    EXPECT_EQ(spec.find("path")->description, "db file");
}

}  // namespace
}  // namespace clarity::core
