#include "clarity/core/log.hpp"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "config_loader.hpp"
#include "config_schema.hpp"

namespace clarity::core {
namespace {

// Captures every finished line; restores the default (stderr, text) afterwards.
class CapturedLog : public ::testing::Test {
  protected:
    std::vector<std::string> lines;
    void use(const std::string& format, const std::string& level = "trace") {
        LogOptions o;
        o.format = format;
        o.level = level;
        o.output = [this](std::string_view line) { lines.emplace_back(line); };
        configure_logging(o);
    }
    void TearDown() override { configure_logging(LogOptions{}); }
    std::string all() const {
        std::string out;
        for (const auto& l : lines) out += l + "\n";
        return out;
    }
};

TEST_F(CapturedLog, JsonLineHasTimeLevelLoggerMessageAndFields) {
    use("json");
    Log log("flows");
    log.with({.job_id = "42",
              .flow = "order_import",
              .connection = "eu",
              .entity_key = "amazon:order:303-1"})
        .info("imported {} lines", 3);
    ASSERT_EQ(lines.size(), 1u);
    const auto j = nlohmann::json::parse(lines[0]);
    EXPECT_EQ(j.at("level"), "info");
    EXPECT_EQ(j.at("logger"), "flows");
    EXPECT_EQ(j.at("message"), "imported 3 lines");
    EXPECT_EQ(j.at("job_id"), "42");
    EXPECT_EQ(j.at("flow"), "order_import");
    EXPECT_EQ(j.at("connection"), "eu");
    EXPECT_EQ(j.at("entity_key"), "amazon:order:303-1");
    const std::string time = j.at("time");
    EXPECT_EQ(time.size(), 24u) << time;  // 2026-11-27T10:34:21.123Z
    EXPECT_EQ(time.back(), 'Z');
}

TEST_F(CapturedLog, JsonLeavesOutAbsentFieldsAndEscapesControlAndInvalidBytes) {
    use("json");
    core::logger("store")->warn("quote \" newline \n bad \xff byte");
    ASSERT_EQ(lines.size(), 1u);
    const auto j = nlohmann::json::parse(lines[0]);  // throws on invalid JSON / UTF-8
    // A stray byte is escaped as \u00XX, so the line stays valid JSON.
    EXPECT_EQ(j.at("message"), "quote \" newline \n bad \xc3\xbf byte");
    EXPECT_EQ(j.at("level"), "warn");
    EXPECT_FALSE(j.contains("job_id"));
    EXPECT_EQ(lines[0].find('\n'), std::string::npos);
}

TEST_F(CapturedLog, TextLineIsOneLineWithFields) {
    use("text");
    Log("amazon.orders[eu]").with({.job_id = "7", .flow = "order_import"}).error("a\nb");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("error [amazon.orders[eu]] a b job_id=7 flow=order_import"),
              std::string::npos)
        << lines[0];
}

TEST_F(CapturedLog, TextLineEscapesTerminalControlsFromOutsideData) {
    use("text");
    // An Odoo message or an order id from outside could move the cursor, recolour or retitle the
    // operator's terminal; in the log they are visible escapes.
    Log("odoo").with({.entity_key = "111-\x1b]0;pwned\x07"}).error("refused: \x1b[2J\x1b[31mred");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].find('\x1b'), std::string::npos) << lines[0];
    EXPECT_EQ(lines[0].find('\x07'), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("refused: \\x1b[2J\\x1b[31mred"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("entity_key=111-\\x1b]0;pwned\\x07"), std::string::npos) << lines[0];
}

TEST_F(CapturedLog, LevelFiltersLines) {
    use("text", "warn");
    Log log("x");
    log.info("hidden");
    log.debug("hidden");
    log.warn("shown");
    EXPECT_EQ(lines.size(), 1u);
    EXPECT_FALSE(log.should_log(LogLevel::info));
}

TEST_F(CapturedLog, FieldsDoNotLeakToLaterLines) {
    use("json");
    Log log("x");
    log.with({.job_id = "1"}).info("with");
    log.info("without");
    core::logger("x")->info("plain");
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_FALSE(nlohmann::json::parse(lines[1]).contains("job_id"));
    EXPECT_FALSE(nlohmann::json::parse(lines[2]).contains("job_id"));
}

TEST(LogConfig, RejectsUnknownLevelAndFormat) {
    EXPECT_THROW(configure_logging({.level = "loud"}), ConfigError);
    EXPECT_THROW(configure_logging({.format = "xml"}), ConfigError);
}

// The secret must not appear in any line, whatever the format and whichever way it is logged:
// as a Secret through Log and through spdlog directly, inside a config dump, and inside the
// error a broken secret reference produces.
class SecretRedaction : public CapturedLog, public ::testing::WithParamInterface<const char*> {};

TEST_P(SecretRedaction, SecretNeverAppearsInAnyLine) {
    use(GetParam());
    const std::string value = "hunter2-very-secret";
    const auto spec = app::root_config_spec();
    const std::string yaml =
        "admin: {token: " + value +
        "}\n"
        "connections:\n"
        "  - name: eu\n"
        "    odoo: {url: https://odoo.example.com, database: db, username: u, api_key: " +
        value +
        "}\n"
        "    amazon: {region: eu, seller_id: S, lwa_client_id: c, lwa_client_secret: " +
        value + ",\n             refresh_token: " + value + ", marketplaces: [A1PA6795UKMFR9]}\n";
    const auto node = app::load_config_text(yaml, "c.yaml", spec);
    const Secret secret = node.section("admin").get_secret("token");
    ASSERT_EQ(secret.reveal(), value);

    Log log("test");
    log.info("token={} key={}", secret,
             node.sections("connections")[0].section("odoo").get_secret("api_key"));
    log.with({.extra = {{"config", app::dump_config(node, spec)}}}).info("effective config");
    core::logger("test")->warn("spdlog direct {}", secret);
    try {
        app::load_config_text("admin: {token: " + value + "}\nconnections: 3\n", "c.yaml", spec);
    } catch (const ConfigError& e) {
        log.error("{}", e.what());
    }
    ASSERT_EQ(lines.size(), 4u);
    const std::string out = all();
    EXPECT_EQ(out.find(value), std::string::npos) << out;
    EXPECT_NE(out.find("***"), std::string::npos) << out;
}

INSTANTIATE_TEST_SUITE_P(Formats, SecretRedaction, ::testing::Values("text", "json"));

}  // namespace
}  // namespace clarity::core
