#include "config_schema.hpp"

#include <gtest/gtest.h>

#include "config_loader.hpp"
#include "support/test_env.hpp"

namespace clarity::app {
namespace {

TEST(ConfigSchema, CommittedReferenceMatchesTheDeclaredKeys) {
    const std::string committed = test::read_file(test::source_dir() / "docs/configuration.md");
    EXPECT_TRUE(committed == render_config_reference(root_config_spec()))
        << "docs/configuration.md is stale; regenerate it with\n"
           "  build/dev/src/app/clarity-connect config schema > docs/configuration.md";
}

TEST(ConfigSchema, ReferenceListsEverySectionAndMarksSecrets) {
    const std::string doc = render_config_reference(root_config_spec());
    for (const char* heading :
         {"## `store`", "## `admin`", "## `log`", "## `daemon`", "## `connections[]`",
          "## `connections[].odoo`", "## `connections[].amazon`"}) {
        EXPECT_NE(doc.find(heading), std::string::npos) << heading;
    }
    EXPECT_NE(doc.find("| `token` | secret | unset |"), std::string::npos);
    EXPECT_NE(doc.find("| `name` | string | **required** |"), std::string::npos);
    EXPECT_NE(doc.find("One of: `text`, `json`."), std::string::npos);
}

TEST(ConfigSchema, EveryDefaultIsValidForItsKey) {
    // Loading a minimal file applies every default through the same checks as user values.
    const std::string minimal =
        "connections:\n"
        "  - name: eu\n"
        "    odoo: {url: https://odoo.example.com, database: db, username: u, api_key: k}\n"
        "    amazon: {region: eu, seller_id: S, lwa_client_id: c, lwa_client_secret: s,\n"
        "             refresh_token: r, marketplaces: [A1PA6795UKMFR9]}\n";
    EXPECT_NO_THROW(load_config_text(minimal, "c.yaml", root_config_spec()));
}

}  // namespace
}  // namespace clarity::app
