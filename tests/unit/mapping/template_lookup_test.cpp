// Where a flow's mapping template comes from when `mapping.directory` is not set: the config's
// folder's mapping/, then config/mapping/ beside it, then the installed directories, in that order.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "clarity/mapping/options.hpp"
#include "clarity/mapping/template.hpp"
#include "support/temp_dir.hpp"

namespace clarity::mapping {
namespace {

namespace fs = std::filesystem;

void touch(const fs::path& file) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << "flow: order_import\n";
}

TEST(TemplateLookup, PrefersTheConfigFoldersMappingThenTheRepositoryLayoutThenTheInstall) {
    test::TempDir dir;
    const auto etc = dir / "etc";
    const auto share = dir / "share" / "mapping";
    fs::create_directories(etc);
    touch(share / "order_import.yaml");
    MappingOptions o;
    EXPECT_EQ(o.template_for("order_import", etc, {share}), share / "order_import.yaml");
    touch(etc / "config" / "mapping" / "order_import.yaml");
    EXPECT_EQ(o.template_for("order_import", etc, {share}),
              etc / "config" / "mapping" / "order_import.yaml");
    touch(etc / "mapping" / "order_import.yaml");
    EXPECT_EQ(o.template_for("order_import", etc, {share}), etc / "mapping" / "order_import.yaml");
    // Per file: a flow whose template only the install has still finds it there.
    touch(share / "partner_import.yaml");
    EXPECT_EQ(o.template_for("partner_import", etc, {share}), share / "partner_import.yaml");
}

TEST(TemplateLookup, AnExplicitDirectoryOrTemplateIsNotSearched) {
    test::TempDir dir;
    const auto share = dir / "share";
    touch(share / "order_import.yaml");
    MappingOptions o;
    o.directory = "custom";
    EXPECT_EQ(o.template_for("order_import", dir.path(), {share}),
              dir / "custom" / "order_import.yaml");
    o.templates["order_import"] = "/abs/orders.yaml";
    EXPECT_EQ(o.template_for("order_import", dir.path(), {share}), fs::path("/abs/orders.yaml"));
}

TEST(TemplateLookup, NoTemplateAnywhereNamesEveryDirectoryLookedIn) {
    test::TempDir dir;
    MappingOptions o;
    try {
        o.template_for("order_import", dir.path(), {dir / "share"});
        FAIL() << "expected a TemplateError";
    } catch (const TemplateError& e) {
        const std::string what = e.what();
        EXPECT_NE(
            what.find("order_import.yaml: no mapping template found (looked in " +
                      (dir / "mapping").string() + ", " + (dir / "config" / "mapping").string() +
                      ", " + (dir / "share").string() + ")"),
            std::string::npos)
            << what;
        EXPECT_NE(what.find("set mapping.directory"), std::string::npos) << what;
    }
}

TEST(TemplateLookup, AConnectionsDirectoryOverridesTheRootsAndAnUnsetOneKeepsIt) {
    MappingOptions root;
    root.directory = "/srv/mapping";
    MappingOptions conn;
    EXPECT_EQ(merge_options(root, conn).directory, "/srv/mapping");
    conn.directory = "acme";
    EXPECT_EQ(merge_options(root, conn).directory, "acme");
}

}  // namespace
}  // namespace clarity::mapping
