// Hostile configuration (issue #18 items 4, 5 and 7): `config check` refuses everything `run`
// refuses (the systemd unit's ExecStartPre relies on it), with `file:line:column` where there is a
// position, and `config check --print` shows no password embedded in a URL.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "hostile.hpp"

namespace clarity::hostile {
namespace {

using ::testing::HasSubstr;

std::string store_yaml(const test::TempDir& dir) {
    return "store: {path: \"" + (dir / "c.db").string() + "\"}\n";
}

// The connection block with one line replaced: `amazon_extra` goes into the amazon mapping,
// `odoo_url` is the Odoo URL.
std::string connection_yaml(const std::string& odoo_url = "https://odoo.example.com",
                            const std::string& amazon_extra = "",
                            const std::string& api_key = "k") {
    return "connections:\n"
           "  - name: eu\n"
           "    odoo: {url: \"" +
           odoo_url + "\", database: db, username: u, api_key: \"" + api_key +
           "\"}\n"
           "    amazon: {region: eu, seller_id: S, lwa_client_id: c, lwa_client_secret: s,\n"
           "             refresh_token: r, marketplaces: [A1PA6795UKMFR9]" +
           amazon_extra + "}\n";
}

int count_lines(const std::string& s) {
    return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

// `config check` exits 2 with `message` on one line, quickly; `run` refuses the same file with
// the same line (so ExecStartPre is a true gate).
void expect_refused_in(const test::TempDir& dir,
                       const std::string& yaml,
                       const std::string& message,
                       const std::map<std::string, std::string>& env = {}) {
    const auto file = write_file(dir, "c.yaml", yaml);
    const auto check = run_cli({"config", "check", "-c", file}, env);
    EXPECT_EQ(check.exit_code, 2) << yaml << "\n" << check.out << check.err;
    EXPECT_THAT(check.err, HasSubstr(message)) << yaml;
    EXPECT_EQ(count_lines(check.err), 1) << check.err;
    EXPECT_TRUE(check.out.empty()) << check.out;
    EXPECT_LT(check.elapsed, 5s);
    const auto run = run_cli({"run", "-c", file}, env, 15s);
    EXPECT_FALSE(run.timed_out) << "run started with a config that check refuses:\n" << yaml;
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_THAT(run.err, HasSubstr(message)) << run.err;
}

void expect_refused(const std::string& yaml,
                    const std::string& message,
                    const std::map<std::string, std::string>& env = {}) {
    test::TempDir dir;
    expect_refused_in(dir, yaml, message, env);
}

TEST(HostileConfig, PrintMasksAPasswordInAUrl) {
    test::TempDir dir;
    const auto file = write_file(
        dir, "c.yaml",
        store_yaml(dir) +
            "http: {proxy: {url: \"http://proxyuser:proxy-secret-1@127.0.0.1:3128\"}}\n" +
            connection_yaml("https://odoouser:odoo-secret-2@odoo.example.com/?token=tok-3"));
    const auto r = run_cli({"config", "check", "-c", file, "--print"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("odoo.example.com"));
    EXPECT_THAT(r.out, HasSubstr("127.0.0.1:3128"));
    for (const char* secret : {"proxy-secret-1", "odoo-secret-2", "tok-3"}) {
        EXPECT_THAT(r.out, ::testing::Not(HasSubstr(secret))) << r.out;
    }
}

TEST(HostileConfig, RateScaleMustBePositive) {
    for (const std::string value : {"-1", "0"}) {
        test::TempDir dir;
        expect_refused(
            store_yaml(dir) + connection_yaml("https://odoo.example.com", ", rate_scale: " + value),
            "c.yaml:6:76: connections[0].amazon.rate_scale: must be greater than 0");
    }
}

TEST(HostileConfig, UndefinedVariableInsideASecretIsRefused) {
    test::TempDir dir;
    expect_refused(store_yaml(dir) + connection_yaml("https://odoo.example.com", "",
                                                     "abc${CLARITY_HOSTILE_MISSING}def"),
                   "c.yaml:4:81: connections[0].odoo.api_key: environment variable "
                   "CLARITY_HOSTILE_MISSING is not set");
}

TEST(HostileConfig, VariableInsideASecretIsSubstituted) {
    test::TempDir dir;
    const auto file =
        write_file(dir, "c.yaml",
                   store_yaml(dir) + connection_yaml("https://odoo.example.com", "",
                                                     "abc${CLARITY_HOSTILE_PART}def"));
    const auto r = run_cli({"config", "check", "-c", file}, {{"CLARITY_HOSTILE_PART", "x"}});
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(HostileConfig, VariableInAPlainStringIsRefused) {
    test::TempDir dir;
    expect_refused(
        store_yaml(dir) + connection_yaml("https://${CLARITY_HOSTILE_HOST}/"),
        "c.yaml:4:17: connections[0].odoo.url: 'https://${CLARITY_HOSTILE_HOST}/' is not "
        "substituted: environment variables are read in secrets only",
        {{"CLARITY_HOSTILE_HOST", "odoo.example.com"}});
}

TEST(HostileConfig, SecondYamlDocumentIsRefused) {
    test::TempDir dir;
    expect_refused(store_yaml(dir) + connection_yaml() + "---\nadmin: {listen: \"0.0.0.0:1\"}\n",
                   "c.yaml:8:1: a second YAML document starts here; the file must hold one");
}

TEST(HostileConfig, MissingMappingDirectoryIsRefused) {
    test::TempDir dir;
    expect_refused_in(dir,
                      store_yaml(dir) + "mapping: {directory: no-such-dir}\n" + connection_yaml(),
                      "c.yaml:2:22: mapping.directory: '" + (dir / "no-such-dir").string() +
                          "' is not a directory (it does not exist)");
    // A template file named in mapping.templates, per connection.
    test::TempDir other;
    expect_refused_in(other,
                      store_yaml(other) + connection_yaml() +
                          "    mapping: {templates: {order_import: my-orders.yaml}}\n",
                      "c.yaml:7:27: connections[0].mapping.templates.order_import: '" +
                          (other / "my-orders.yaml").string() +
                          "' is not a file (it does not exist)");
}

TEST(HostileConfig, UnwritableStorePathIsRefused) {
    test::TempDir dir;
    write_file(dir, "plain-file", "x");
    std::filesystem::create_directory(dir / "a-directory");
    const std::vector<std::pair<std::string, std::string>> cases = {
        {(dir / "no-such-dir" / "c.db").string(), "No such file or directory"},
        {(dir / "plain-file" / "c.db").string(), "Not a directory"},
        {(dir / "a-directory").string(), "is a directory"},
        {"/proc/clarity-hostile.db", "cannot create files in '/proc'"},
    };
    for (const auto& [path, reason] : cases) {
        expect_refused("store: {path: \"" + path + "\"}\n" + connection_yaml(),
                       "c.yaml:1:15: store.path: ");
        test::TempDir d2;
        const auto r = run_cli(
            {"config", "check", "-c",
             write_file(d2, "c.yaml", "store: {path: \"" + path + "\"}\n" + connection_yaml())});
        EXPECT_THAT(r.err, HasSubstr(reason)) << r.err;
        EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
    }
    // The check creates nothing: no database appears where it would be.
    const auto file = write_file(dir, "ok.yaml", store_yaml(dir) + connection_yaml());
    EXPECT_EQ(run_cli({"config", "check", "-c", file}).exit_code, 0);
    EXPECT_FALSE(std::filesystem::exists(dir / "c.db"));
}

TEST(HostileConfig, SemanticErrorsCarryFileLineColumn) {
    test::TempDir dir;
    const std::string store = store_yaml(dir);
    expect_refused("admin: {max_connections: 0}\n" + store + connection_yaml(),
                   "c.yaml:1:26: admin.max_connections: must be greater than 0");
    expect_refused("admin: {listen: \"127.0.0.1:70000\"}\n" + store + connection_yaml(),
                   "c.yaml:1:17: admin.listen: '127.0.0.1:70000' has no valid port (0-65535)");
    expect_refused(store + connection_yaml() + "    triggers: {orders: {sweep_interval: 0s}}\n",
                   "c.yaml:7:41: connections[0].triggers.orders.sweep_interval: must be > 0");
    expect_refused(store +
                       "connections:\n  - name: eu\n"
                       "    odoo: {url: https://odoo.example.com, database: db, username: u, "
                       "api_key: k}\n"
                       "    amazon: {region: eu, seller_id: S, lwa_client_id: c,\n"
                       "             lwa_client_secret: s, refresh_token: r,\n"
                       "             marketplaces: [A1PA6795UKMFR9, XNOTAMARKETPLACE]}\n",
                   "c.yaml:7:45: connections[0].amazon.marketplaces[1]: unknown marketplace "
                   "'XNOTAMARKETPLACE'");
    expect_refused(store + connection_yaml("ftp://odoo.example.com"),
                   "c.yaml:4:17: connections[0].odoo.url: 'ftp://odoo.example.com' must start "
                   "with https:// (or http://)");
}

}  // namespace
}  // namespace clarity::hostile
