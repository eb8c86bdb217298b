#include "config_loader.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "clarity/flows/order_import.hpp"
#include "config_schema.hpp"
#include "settings.hpp"
#include "support/temp_dir.hpp"
#include "support/test_env.hpp"

namespace clarity::app {
namespace {

using core::ConfigError;
using core::ConfigKey;
using core::ConfigSpec;
using core::ConfigType;

// A small spec exercising every type, independent of the real root schema.
ConfigSpec test_spec() {
    ConfigSpec inner;
    inner.add({.name = "url", .type = ConfigType::string, .required = true});
    inner.add({.name = "key", .type = ConfigType::secret});
    ConfigSpec item;
    item.add({.name = "name", .type = ConfigType::string, .required = true});
    item.add({.name = "weight", .type = ConfigType::integer, .default_value = "1"});
    ConfigSpec spec;
    spec.add({.name = "workers", .type = ConfigType::integer, .default_value = "4"});
    spec.add({.name = "enabled", .type = ConfigType::boolean, .default_value = "true"});
    spec.add({.name = "poll", .type = ConfigType::duration, .default_value = "10m"});
    spec.add({.name = "fee", .type = ConfigType::decimal, .default_value = "0.15"});
    spec.add(
        {.name = "mode", .type = ConfigType::string, .default_value = "a", .allowed = {"a", "b"}});
    spec.add({.name = "tags", .type = ConfigType::string_list, .default_value = "[x, y]"});
    spec.add({.name = "status_map", .type = ConfigType::string_map});
    spec.add_section("server", "server", inner);
    spec.add_section_list("items", "items", item);
    return spec;
}

std::string error_of(const std::string& yaml, const ConfigSpec& spec = test_spec()) {
    try {
        load_config_text(yaml, "c.yaml", spec);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(ConfigLoader, ReadsEveryTypeAndAppliesDefaults) {
    auto node = load_config_text(
        "workers: 8\n"
        "enabled: no\n"
        "fee: \"-1.50\"\n"
        "mode: b\n"
        "status_map: {Shipped: done, Pending: draft}\n"
        "server:\n"
        "  url: http://x\n"
        "  key: s3cr3t\n"
        "items:\n"
        "  - name: one\n"
        "  - name: two\n"
        "    weight: 5\n",
        "c.yaml", test_spec());
    EXPECT_EQ(node.get_int("workers"), 8);
    EXPECT_FALSE(node.get_bool("enabled"));
    EXPECT_EQ(node.get_duration("poll"), std::chrono::minutes(10));
    EXPECT_EQ(node.get_decimal("fee"), "-1.50");
    EXPECT_EQ(node.get_string("mode"), "b");
    EXPECT_EQ(node.get_string_list("tags"), (std::vector<std::string>{"x", "y"}));
    EXPECT_EQ(node.get_string_map("status_map").at("Shipped"), "done");
    EXPECT_EQ(node.section("server").get_string("url"), "http://x");
    EXPECT_EQ(node.section("server").get_secret("key").reveal(), "s3cr3t");
    auto items = node.sections("items");
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[0].get_int("weight"), 1);
    EXPECT_EQ(items[1].get_int("weight"), 5);
    EXPECT_EQ(items[1].path(), "items[1]");
}

TEST(ConfigLoader, AbsentSectionGetsDefaultsButStillNeedsItsRequiredKeys) {
    ConfigSpec inner;
    inner.add({.name = "level", .type = ConfigType::string, .default_value = "info"});
    ConfigSpec spec;
    spec.add_section("log", "log", inner);
    auto node = load_config_text("", "c.yaml", spec);
    EXPECT_EQ(node.section("log").get_string("level"), "info");
    EXPECT_EQ(error_of("workers: 2\n"), "c.yaml:1:1: server.url: missing required key");
}

TEST(ConfigLoader, RejectsUnknownKeyWithPositionAndSuggestion) {
    EXPECT_EQ(error_of("server:\n  url: http://x\n  urll: y\n"),
              "c.yaml:3:3: server.urll: unknown key (did you mean 'url'?)");
    EXPECT_EQ(error_of("server: {url: u}\nzzz: 1\n"),
              "c.yaml:2:1: zzz: unknown key (expected one of: workers, enabled, poll, fee, mode, "
              "tags, status_map, server, items)");
}

TEST(ConfigLoader, RejectsWrongTypes) {
    const std::string server = "server: {url: u}\n";
    EXPECT_EQ(error_of(server + "workers: many\n"),
              "c.yaml:2:10: workers: 'many' is not an integer");
    EXPECT_EQ(error_of(server + "enabled: maybe\n"),
              "c.yaml:2:10: enabled: 'maybe' is not a boolean (true or false)");
    EXPECT_EQ(error_of(server + "poll: soon\n"),
              "c.yaml:2:7: poll: 'soon' is not a duration (e.g. 250ms, 30s, 10m, 2h, 1d)");
    EXPECT_EQ(error_of(server + "fee: 1,5\n"),
              "c.yaml:2:6: fee: '1,5' is not a decimal number (e.g. 0.01)");
    EXPECT_EQ(error_of(server + "mode: c\n"),
              "c.yaml:2:7: mode: 'c' is not allowed (expected one of: a, b)");
    EXPECT_EQ(error_of(server + "tags: x\n"),
              "c.yaml:2:7: tags: expected a list of strings, got a scalar");
    EXPECT_EQ(error_of(server + "tags: [a, [b]]\n"),
              "c.yaml:2:11: tags[1]: expected a string, got a list");
    EXPECT_EQ(error_of("server: [1]\n"), "c.yaml:1:9: server: expected a mapping, got a list");
    EXPECT_EQ(error_of(server + "items: {name: x}\n"),
              "c.yaml:2:8: items: expected a list of mappings, got a mapping");
    EXPECT_EQ(error_of(server + "workers:\n"),
              "c.yaml:2:1: workers: has no value (expected an integer)");
}

TEST(ConfigLoader, RejectsMissingRequiredKeyInListEntry) {
    EXPECT_EQ(error_of("server: {url: u}\nitems:\n  - weight: 2\n"),
              "c.yaml:3:5: items[0].name: missing required key");
}

TEST(ConfigLoader, RejectsDuplicateKeysAndNames) {
    EXPECT_EQ(error_of("server: {url: u}\nworkers: 1\nworkers: 2\n"),
              "c.yaml:3:1: workers: duplicate key");
    EXPECT_EQ(error_of("server: {url: u}\nitems:\n  - name: a\n  - name: a\n"),
              "c.yaml:4:11: items[1].name: duplicate name 'a'");
}

TEST(ConfigLoader, RejectsMalformedYamlWithPosition) {
    const std::string e = error_of("server:\n  url: [unclosed\n");
    EXPECT_TRUE(e.starts_with("c.yaml:")) << e;
    EXPECT_NE(e.find("invalid YAML"), std::string::npos) << e;
    EXPECT_EQ(error_of("- a\n- b\n"), "c.yaml:1:1: the file must be a mapping of keys, got a list");
}

TEST(ConfigLoader, ReportsUnreadableFile) {
    try {
        load_config("/nonexistent/clarity.yaml", test_spec());
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "/nonexistent/clarity.yaml: cannot read the configuration file: No such file or "
                  "directory");
    }
}

TEST(ConfigLoader, ResolvesSecretsFromEnvironmentAndFiles) {
    test::TempDir dir;
    { std::ofstream(dir / "key") << "from-file\n"; }
    ::setenv("CLARITY_TEST_SECRET", "from-env", 1);
    auto a = load_config_text("server: {url: u, key: \"${CLARITY_TEST_SECRET}\"}\n", "c.yaml",
                              test_spec());
    EXPECT_EQ(a.section("server").get_secret("key").reveal(), "from-env");
    auto b = load_config_text("server: {url: u, key: \"file:" + (dir / "key").string() + "\"}\n",
                              "c.yaml", test_spec());
    EXPECT_EQ(b.section("server").get_secret("key").reveal(), "from-file");
    ::unsetenv("CLARITY_TEST_SECRET");
}

TEST(ConfigLoader, SecretErrorsNameTheSourceNotTheValue) {
    ::unsetenv("CLARITY_TEST_UNSET");
    EXPECT_EQ(error_of("server: {url: u, key: \"${CLARITY_TEST_UNSET}\"}\n"),
              "c.yaml:1:23: server.key: environment variable CLARITY_TEST_UNSET is not set");
    EXPECT_EQ(error_of("server: {url: u, key: \"file:/nonexistent/key\"}\n"),
              "c.yaml:1:23: server.key: cannot read secret file /nonexistent/key: No such file or "
              "directory");
    EXPECT_EQ(error_of("server: {url: u, key: [hunter2]}\n"),
              "c.yaml:1:23: server.key: expected a secret (${ENV_VAR}, file:/path or a literal), "
              "got a list");
}

// Issue #18: `file:/dev/zero` was read until the process was killed and a FIFO blocked forever.
TEST(ConfigLoader, SecretFilesMustBeSmallRegularFiles) {
    test::TempDir dir;
    const auto fifo = (dir / "key.fifo").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    { std::ofstream(dir / "big.key") << std::string(64 * 1024 + 1, 'k'); }
    { std::ofstream(dir / "max.key") << std::string(64 * 1024, 'k'); }
    const auto secret_error = [](const std::string& path) {
        return error_of("server: {url: u, key: \"file:" + path + "\"}\n");
    };
    const std::string where = "c.yaml:1:23: server.key: cannot read secret file ";
    EXPECT_EQ(secret_error("/dev/zero"),
              where + "/dev/zero: it is a character device, not a regular file");
    EXPECT_EQ(secret_error("/dev/urandom"),
              where + "/dev/urandom: it is a character device, not a regular file");
    EXPECT_EQ(secret_error(fifo), where + fifo + ": it is a FIFO (named pipe), not a regular file");
    EXPECT_EQ(secret_error(dir.path().string()),
              where + dir.path().string() + ": it is a directory, not a regular file");
    EXPECT_EQ(secret_error((dir / "big.key").string()),
              where + (dir / "big.key").string() + ": it is 65537 bytes, over the limit of 64 KiB");
    auto ok =
        load_config_text("server: {url: u, key: \"file:" + (dir / "max.key").string() + "\"}\n",
                         "c.yaml", test_spec());
    EXPECT_EQ(ok.section("server").get_secret("key").reveal().size(), 64u * 1024);
}

TEST(ConfigLoader, ConfigFileOverTheLimitIsRefusedBeforeReading) {
    test::TempDir dir;
    const auto file = dir / "c.yaml";
    { std::ofstream(file) << "server: {url: u}\n"; }
    std::filesystem::resize_file(file, 50'000'000);
    try {
        load_config(file, test_spec());
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()),
                  file.string() +
                      ": cannot read the configuration file: it is 50000000 bytes, over the limit "
                      "of 4 MiB");
    }
}

// Issue #18: nesting 10,000 deep said only "invalid YAML: bad file", a NUL byte "unknown escape
// character". A million levels, flow and block, are refused quickly with the limit.
TEST(ConfigLoader, DeepYamlNamesTheLimitAndThePlace) {
    const std::string reason =
        "invalid YAML: YAML nested deeper than 500 levels, the limit of the YAML parser; no "
        "configuration needs that many";
    EXPECT_EQ(error_of("tags: " + std::string(10'000, '[') + std::string(10'000, ']') + "\n"),
              "c.yaml:1:507: " + reason);
    EXPECT_EQ(error_of("status_map:\n  x: " + std::string(1'000'000, '{')),
              "c.yaml:2:506: " + reason);
    std::string block = "tags:\n";
    for (int i = 0; i < 1'000'000; ++i) block += "- ";
    const auto e = error_of(block + "x\n");
    EXPECT_TRUE(e.starts_with("c.yaml:2:")) << e;
    EXPECT_TRUE(e.ends_with(": " + reason)) << e;
    // Brackets in quoted scalars and comments do not count.
    const std::string quoted = "\"" + std::string(600, '[') + "\"";
    auto node = load_config_text("server: {url: " + quoted + "} # " + std::string(600, '{') +
                                     "\nstatus_map: {a: 'it''s [[[['}\n",
                                 "c.yaml", test_spec());
    EXPECT_EQ(node.section("server").get_string("url"), std::string(600, '['));
}

TEST(ConfigLoader, NulByteIsReportedAsSuch) {
    EXPECT_EQ(error_of(std::string("server: {url: u}\nworkers: 1\0\n", 29)),
              "c.yaml:2:11: invalid YAML: the file contains a NUL byte, which YAML text cannot "
              "hold (a binary file, or one saved in UTF-16?)");
    EXPECT_EQ(error_of(std::string("server: {url: \"a\0b\"}\n", 21)),
              "c.yaml:1:17: invalid YAML: the file contains a NUL byte, which YAML text cannot "
              "hold (a binary file, or one saved in UTF-16?)");
}

// Issue #18: `${NAME}` inside a longer secret is substituted, and an unset one is an error rather
// than text kept as written; a plain string takes no `${...}` at all.
TEST(ConfigLoader, VariablesInsideSecretsAreSubstitutedOrRefused) {
    ::setenv("CLARITY_TEST_PART", "mid", 1);
    ::unsetenv("CLARITY_TEST_UNSET");
    auto a = load_config_text("server: {url: u, key: \"abc${CLARITY_TEST_PART}def$x${}\"}\n",
                              "c.yaml", test_spec());
    EXPECT_EQ(a.section("server").get_secret("key").reveal(), "abcmiddef$x${}");
    EXPECT_EQ(error_of("server: {url: u, key: \"abc${CLARITY_TEST_UNSET}def\"}\n"),
              "c.yaml:1:23: server.key: environment variable CLARITY_TEST_UNSET is not set");
    EXPECT_EQ(error_of("server: {url: \"https://${CLARITY_TEST_PART}/\"}\n"),
              "c.yaml:1:15: server.url: 'https://${CLARITY_TEST_PART}/' is not substituted: "
              "environment variables are read in secrets only; write the value itself");
    ::unsetenv("CLARITY_TEST_PART");
}

TEST(ConfigLoader, RefusesASecondDocument) {
    EXPECT_EQ(error_of("server: {url: u}\n---\nworkers: 3\n"),
              "c.yaml:3:1: a second YAML document starts here; the file must hold one (remove the "
              "'---' line and what follows it, or merge the two)");
    EXPECT_EQ(error_of("---\nserver: {url: u}\n...\n"), "(no error)");
}

// Checks made after loading (ConfigNode::fail) name the position of the value they refuse: a
// scalar, a list item, a map entry; a key left to its default names its section.
TEST(ConfigLoader, NodesKnowWhereEachValueWasWritten) {
    const auto node = load_config_text(
        "workers: 2\ntags: [a, b]\nstatus_map: {x: y}\nitems:\n  - {name: n}\nserver: {url: u}\n",
        "c.yaml", test_spec());
    EXPECT_EQ(node.where("workers"), "c.yaml:1:10: workers");
    EXPECT_EQ(node.where("tags[1]"), "c.yaml:2:11: tags[1]");
    EXPECT_EQ(node.where("status_map.x"), "c.yaml:3:14: status_map.x");
    EXPECT_EQ(node.where("poll"), "c.yaml:1:1: poll");  // a default: its section, the file
    const auto item = node.sections("items").at(0);
    EXPECT_EQ(item.where("name"), "c.yaml:5:12: items[0].name");
    EXPECT_EQ(item.where("weight"), "c.yaml:5:5: items[0].weight");
    try {
        item.fail("weight", "must be odd");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(), "c.yaml:5:5: items[0].weight: must be odd");
    }
}

TEST(ConfigLoader, DumpShowsStringsThroughTheGivenFilter) {
    auto spec = test_spec();
    auto node = load_config_text("server: {url: \"https://u:p@h/\"}\ntags: [\"s://a@b\"]\n",
                                 "c.yaml", spec);
    const std::string dumped =
        dump_config(node, spec, [](const std::string& v) { return "<" + v + ">"; });
    EXPECT_NE(dumped.find("url: <https://u:p@h/>"), std::string::npos) << dumped;
    EXPECT_NE(dumped.find("- <s://a@b>"), std::string::npos) << dumped;
}

TEST(ConfigLoader, DumpMasksSecrets) {
    auto spec = test_spec();
    auto node = load_config_text("server: {url: u, key: hunter2}\n", "c.yaml", spec);
    const std::string dumped = dump_config(node, spec);
    EXPECT_EQ(dumped.find("hunter2"), std::string::npos) << dumped;
    EXPECT_NE(dumped.find("key: \"***\""), std::string::npos) << dumped;
    EXPECT_NE(dumped.find("workers: 4"), std::string::npos) << dumped;
}

// A string_tree holds strings or mappings of strings, one level deep (e.g. a tax map by
// marketplace, then by ship-to country); the print shows both forms.
TEST(ConfigLoader, StringTreeTakesStringsOrMappingsOfStrings) {
    ConfigSpec spec;
    spec.add({.name = "taxes", .type = ConfigType::string_tree});
    auto node = load_config_text(
        "taxes:\n"
        "  A1PA6795UKMFR9: {FR: \"FR VAT 20% incl\", default: \"DE VAT 19% incl\"}\n"
        "  A1F83G8C2ARO7P: \"UK VAT 20% incl\"\n",
        "c.yaml", spec);
    const auto tree = node.get_string_tree("taxes");
    ASSERT_EQ(tree.size(), 2u);
    EXPECT_FALSE(tree.at("A1F83G8C2ARO7P").is_map);
    EXPECT_EQ(tree.at("A1F83G8C2ARO7P").text, "UK VAT 20% incl");
    EXPECT_TRUE(tree.at("A1PA6795UKMFR9").is_map);
    EXPECT_EQ(tree.at("A1PA6795UKMFR9").map.at("FR"), "FR VAT 20% incl");
    EXPECT_EQ(tree.at("A1PA6795UKMFR9").map.at("default"), "DE VAT 19% incl");
    EXPECT_EQ(dump_config(node, spec),
              "taxes:\n  A1F83G8C2ARO7P: UK VAT 20% incl\n  A1PA6795UKMFR9:\n    FR: FR VAT 20% "
              "incl\n    default: DE VAT 19% incl\n");

    EXPECT_EQ(error_of("taxes: x\n", spec),
              "c.yaml:1:8: taxes: expected a mapping of strings to strings or to mappings of "
              "strings, got a scalar");
    EXPECT_EQ(error_of("taxes: {a: [x]}\n", spec),
              "c.yaml:1:12: taxes.a: expected a string or a mapping of strings, got a list");
    EXPECT_EQ(error_of("taxes: {a: {FR: {b: c}}}\n", spec),
              "c.yaml:1:17: taxes.a.FR: expected a string, got a mapping");
    EXPECT_EQ(error_of("taxes: {a: {FR: x, FR: y}}\n", spec),
              "c.yaml:1:20: taxes.a.FR: duplicate key");
}

TEST(RootConfig, ExampleFileIsValid) {
    ::setenv("CLARITY_ODOO_API_KEY", "k", 1);
    ::setenv("CLARITY_LWA_CLIENT_SECRET", "s", 1);
    ::setenv("CLARITY_LWA_REFRESH_TOKEN", "r", 1);
    ::setenv("CLARITY_ADMIN_TOKEN", "t", 1);
    ::setenv("CLARITY_AWS_SECRET_ACCESS_KEY", "a", 1);
    auto node =
        load_config(test::source_dir() / "config/clarity-connect.example.yaml", root_config_spec());
    EXPECT_FALSE(node.sections("connections").empty());
    // Every component reads its options from it (what `config check` does).
    const auto settings = read_settings(node);
    ASSERT_EQ(settings.connection_settings.size(), 1u);
    EXPECT_TRUE(settings.connection_settings[0].order_triggers_on());
    EXPECT_EQ(settings.connection_settings[0].order_triggers.sweep_interval,
              std::chrono::minutes(10));
    EXPECT_EQ(node.section("log").get_string("format"), "text");
}

/// The example config with its engine.flow_* lines replaced by `engine_lines`; "" = read fine.
std::string engine_error(const std::string& engine_lines, Settings* out = nullptr) {
    ::setenv("CLARITY_ODOO_API_KEY", "k", 1);
    ::setenv("CLARITY_LWA_CLIENT_SECRET", "s", 1);
    ::setenv("CLARITY_LWA_REFRESH_TOKEN", "r", 1);
    ::setenv("CLARITY_ADMIN_TOKEN", "t", 1);
    ::setenv("CLARITY_AWS_SECRET_ACCESS_KEY", "a", 1);
    std::ifstream in(test::source_dir() / "config/clarity-connect.example.yaml");
    std::string text, line;
    while (std::getline(in, line)) {
        if (line.rfind("  flow_concurrency:", 0) == 0) {
            text += engine_lines;
            continue;
        }
        if (line.rfind("  flow_deadline:", 0) == 0) continue;
        if (line.rfind("  flow_cohort:", 0) == 0) continue;
        text += line + "\n";
    }
    try {
        auto settings = read_settings(load_config_text(text, "c.yaml", root_config_spec()));
        if (out != nullptr) *out = std::move(settings);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

TEST(RootConfig, PerFlowConcurrencyAndDeadline) {
    Settings s;
    ASSERT_EQ(engine_error("  flow_concurrency: {order_import: 2}\n"
                           "  flow_deadline: {order_import: 4m}\n",
                           &s),
              "");
    EXPECT_EQ(s.engine.flow_concurrency.at("order_import"), 2u);
    EXPECT_EQ(s.engine.flow_deadline.at("order_import"), std::chrono::minutes(4));
    // Left out: the engine's defaults (FlowSettings) apply.
    ASSERT_EQ(engine_error("", &s), "");
    EXPECT_TRUE(s.engine.flow_concurrency.empty());
    EXPECT_TRUE(s.engine.flow_deadline.empty());

    EXPECT_EQ(engine_error("  flow_concurrency: {order_import: 0}\n"),
              "c.yaml:27:22: engine.flow_concurrency.order_import: must be at least 1");
    EXPECT_NE(engine_error("  flow_concurrency: {order_imports: 2}\n")
                  .find("engine.flow_concurrency.order_imports: no flow named 'order_imports' "
                        "(flows: order_import, "),
              std::string::npos);
    EXPECT_EQ(engine_error("  flow_deadline: {order_import: 5m}\n"),
              "c.yaml:27:19: engine.flow_deadline.order_import: must be below store.lease (300s): "
              "a run "
              "outliving its lease could be claimed twice");
    ASSERT_EQ(engine_error("  flow_cohort: {order_import: 1}\n", &s), "");
    EXPECT_EQ(s.engine.flow_cohort.at("order_import"), 1u);
    EXPECT_EQ(engine_error("  flow_cohort: {order_import: 0}\n"),
              "c.yaml:27:17: engine.flow_cohort.order_import: must be at least 1");
    EXPECT_NE(engine_error("  flow_cohort: {orders: 20}\n")
                  .find("engine.flow_cohort.orders: no flow named 'orders'"),
              std::string::npos);
    EXPECT_NE(engine_error("  flow_deadline: {order_import: soon}\n")
                  .find("engine.flow_deadline.order_import: "),
              std::string::npos);
}

/// The example config with the order import's tax lines replaced by `lines` (indented 8); ""
/// = read fine, the options read into *out.
std::string order_import_error(const std::string& lines, flows::OrderImportOptions* out = nullptr) {
    ::setenv("CLARITY_ODOO_API_KEY", "k", 1);
    ::setenv("CLARITY_LWA_CLIENT_SECRET", "s", 1);
    ::setenv("CLARITY_LWA_REFRESH_TOKEN", "r", 1);
    ::setenv("CLARITY_ADMIN_TOKEN", "t", 1);
    ::setenv("CLARITY_AWS_SECRET_ACCESS_KEY", "a", 1);
    std::ifstream in(test::source_dir() / "config/clarity-connect.example.yaml");
    std::string text, line;
    bool skipping = false;
    while (std::getline(in, line)) {
        if (line.rfind("        taxes:", 0) == 0) {
            text += lines;
            skipping = true;
            continue;
        }
        if (skipping && line.rfind("          ", 0) == 0) continue;
        skipping = false;
        text += line + "\n";
    }
    try {
        auto root = load_config_text(text, "c.yaml", root_config_spec());
        read_settings(root);  // what `config check` does
        if (out != nullptr) {
            *out = flows::order_import_options_from_config(
                root.sections("connections")[0].section("flows").section("order_import"));
        }
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

// The tax map by marketplace (id or country code) and ship-to country, and the pricelists:
// `config check` reads them as `run` does and names a key that is no marketplace or country.
TEST(RootConfig, OrderImportTaxesAndPricelistsAreReadAndChecked) {
    flows::OrderImportOptions o;
    ASSERT_EQ(order_import_error("        taxes:\n"
                                 "          DE: {fr: \"FR VAT 20% incl\", default: \"DE VAT\"}\n"
                                 "          A1F83G8C2ARO7P: \"UK VAT\"\n"
                                 "          default: \"Other VAT\"\n"
                                 "        pricelists: {FR: \"Amazon EUR\"}\n",
                                 &o),
              "");
    ASSERT_EQ(o.taxes.size(), 3u);
    EXPECT_EQ(o.taxes.at("A1PA6795UKMFR9").by_country.at("FR"), "FR VAT 20% incl");
    EXPECT_EQ(o.taxes.at("A1PA6795UKMFR9").by_country.at("default"), "DE VAT");
    EXPECT_EQ(o.taxes.at("A1F83G8C2ARO7P").tax, "UK VAT");
    EXPECT_EQ(o.taxes.at("default").tax, "Other VAT");
    EXPECT_EQ(o.pricelists.at("A13V1IB3VIYZZH"), "Amazon EUR");

    EXPECT_EQ(order_import_error("        taxes: {AMAZONDE: \"DE VAT\"}\n"),
              "c.yaml:80:17: connections[0].flows.order_import.taxes.AMAZONDE: 'AMAZONDE' is not "
              "an Amazon "
              "marketplace id (e.g. A1PA6795UKMFR9 for amazon.de) nor `default`");
    EXPECT_EQ(order_import_error("        taxes: {DE: {France: \"FR VAT\"}}\n"),
              "c.yaml:80:22: connections[0].flows.order_import.taxes.DE.France: 'France' is not a "
              "ship-to "
              "country code (two letters, e.g. FR) nor `default`");
    EXPECT_EQ(
        order_import_error("        pricelists: {default: \"EUR\"}\n"),
        "c.yaml:80:22: connections[0].flows.order_import.pricelists.default: 'default' is not "
        "an Amazon "
        "marketplace id (e.g. A1PA6795UKMFR9 for amazon.de)");
    EXPECT_EQ(order_import_error("        taxes: {DE: \"\"}\n"),
              "c.yaml:80:17: connections[0].flows.order_import.taxes.DE: the tax name is empty");
}

TEST(RootConfig, RequiresAConnection) {
    EXPECT_EQ(error_of("log: {level: info}\n", root_config_spec()),
              "c.yaml:1:1: connections: missing required key");
    EXPECT_EQ(error_of("connections: []\n", root_config_spec()),
              "c.yaml:1:14: connections: needs at least one entry");
}

}  // namespace
}  // namespace clarity::app
