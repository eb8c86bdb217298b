// `clarity-connect mapping preview` end to end through CLI11, on the shipped templates.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "clarity/mapping/json.hpp"
#include "commands.hpp"
#include "mapping_command.hpp"
#include "sandbox.hpp"
#include "support/temp_dir.hpp"

namespace clarity::app {
namespace {

struct Outcome {
    int code = 0;
    std::string out;
    std::string err;
};

class Preview : public ::testing::Test {
  protected:
    test::TempDir dir;
    std::filesystem::path config_file = dir / "clarity.yaml";
    std::filesystem::path order_file = dir / "order.json";
    core::ConfigNode root{""};

    void SetUp() override {
        std::ofstream(config_file) << "# the test's loader builds the node itself\n";
        std::ofstream(order_file) << mapping::to_json(*test::v2026_get_order(0));
        core::ConfigNode mapping_node{"mapping"};
        mapping_node.set(
            "directory",
            (std::filesystem::path(CLARITY_TEST_SOURCE_DIR) / "config/mapping").string());
        root.set_section("mapping", mapping_node);
    }

    Outcome run(const std::string& args) {
        CLI::App app{"test"};
        std::string loaded;
        add_mapping_commands(app, [this, &loaded](const std::string& path) {
            loaded = path;
            return root;
        });
        std::stringstream out, err;
        auto* old_out = std::cout.rdbuf(out.rdbuf());
        auto* old_err = std::cerr.rdbuf(err.rdbuf());
        Outcome r;
        try {
            app.parse(args, false);
        } catch (const CLI::ParseError& e) {
            r.code = e.get_exit_code();
        }
        std::cout.rdbuf(old_out);
        std::cerr.rdbuf(old_err);
        r.out = out.str();
        r.err = err.str();
        return r;
    }
};

TEST_F(Preview, PrintsTheOdooValuesOfASandboxOrder) {
    auto r = run("mapping preview -c " + config_file.string() + " --flow order_import --input " +
                 order_file.string());
    ASSERT_EQ(r.code, 0) << r.err;
    auto doc = mapping::parse_json(r.out);
    ASSERT_TRUE(doc) << r.out;
    EXPECT_EQ(doc->find_path("target")->as_string(), "sale.order");
    EXPECT_EQ(doc->find_path("values.client_order_ref")->as_string(), "171-9876543-2109876");
    EXPECT_EQ(doc->find_path("values.date_order")->as_string(), "2024-12-24 20:30:00");
    EXPECT_EQ(doc->find_path("values.order_line[0][2].price_unit")->as_decimal(),
              model::Decimal(29990, 2));
    EXPECT_EQ(doc->find_path("values.order_line[0][2].product_id.key")->as_string(),
              "ECHO-DOT-4-BR-PRETO");
    EXPECT_EQ(doc->find_path("outputs.action")->as_string(), "confirm");
    EXPECT_EQ(doc->find_path("lookups[1].model")->as_string(), "product.product");
    EXPECT_EQ(doc->find_path("errors")->size(), 0u);
}

TEST_F(Preview, ConnectionOverrideExtendsTheDefault) {
    std::ofstream(dir / "acme.yaml")
        << "extends: "
        << (std::filesystem::path(CLARITY_TEST_SOURCE_DIR) / "config/mapping/order_import.yaml")
               .string()
        << "\nfields:\n  origin: {template: \"ACME {order.amazon_order_id}\"}\n  warehouse_id: ~\n";
    core::ConfigNode conn{"connections[0]"};
    conn.set("name", "acme");
    core::ConfigNode conn_mapping{"connections[0].mapping"};
    conn_mapping.set_map("templates", {{"order_import", "acme.yaml"}});
    conn.set_section("mapping", conn_mapping);
    root.add_to_section_list("connections", conn);
    auto r = run("mapping preview -c " + config_file.string() +
                 " --flow order_import --connection acme --input " + order_file.string());
    ASSERT_EQ(r.code, 0) << r.err;
    auto doc = mapping::parse_json(r.out).value();
    EXPECT_EQ(doc.find_path("values.origin")->as_string(), "ACME 171-9876543-2109876");
    EXPECT_EQ(doc.find_path("values.warehouse_id"), nullptr);
    EXPECT_EQ(doc.find_path("template")->as_string(), (dir / "acme.yaml").string());
}

// Issue #18's reproducer: '['*50000+']'*50000 segfaulted (exit 139) in ~Value. Now, as a million
// levels, it is a usage error naming the limit, the file and the byte.
TEST_F(Preview, DeeplyNestedInputIsRefusedNamingTheLimit) {
    for (const std::size_t levels : {std::size_t{50'000}, std::size_t{1'000'000}}) {
        std::ofstream(dir / "deep.json") << std::string(levels, '[') << std::string(levels, ']');
        auto r = run("mapping preview -c " + config_file.string() +
                     " --flow order_import --input " + (dir / "deep.json").string());
        EXPECT_EQ(r.code, kExitUsage);
        EXPECT_EQ(r.err, "clarity-connect mapping preview: " + (dir / "deep.json").string() +
                             ": JSON nested deeper than 512 levels (at byte 513); no real "
                             "document is that deep, so it is refused\n");
        EXPECT_TRUE(r.out.empty());
    }
}

TEST_F(Preview, UnknownConnectionIsAUsageError) {
    auto r = run("mapping preview -c " + config_file.string() +
                 " --flow order_import --connection nope --input " + order_file.string());
    EXPECT_EQ(r.code, kExitUsage);
    EXPECT_EQ(r.err,
              "clarity-connect mapping preview: no connection named 'nope' in the configuration\n");
}

TEST_F(Preview, BrokenTemplateNamesFileAndLine) {
    std::ofstream(dir / "bad.yaml") << "flow: order_import\ntarget: sale.order\nfields:\n"
                                       "  client_order_ref: order.amazon_id\n";
    auto r = run("mapping preview --template " + (dir / "bad.yaml").string() +
                 " --flow order_import --input " + order_file.string());
    EXPECT_EQ(r.code, kExitUsage);
    EXPECT_NE(r.err.find((dir / "bad.yaml").string() +
                         ":4:21: field 'client_order_ref': unknown source path 'order.amazon_id'"),
              std::string::npos)
        << r.err;
    EXPECT_TRUE(r.out.empty());
}

TEST_F(Preview, MappingErrorsExitWithOneAndAreListed) {
    std::ofstream(dir / "strict.yaml") << "flow: order_import\ntarget: sale.order\nfields:\n"
                                          "  x: {from: order.seller_order_id, required: true}\n"
                                          "  y: {from: order.replaced_order_id, required: true}\n";
    auto r = run("mapping preview --template " + (dir / "strict.yaml").string() +
                 " --flow order_import --input " + order_file.string());
    EXPECT_EQ(r.code, kExitRuntime);
    auto doc = mapping::parse_json(r.out).value();
    ASSERT_EQ(doc.find("errors")->size(), 1u);
    EXPECT_NE(doc.find("errors")->items()[0].as_string().find("order.replaced_order_id is missing"),
              std::string::npos);
}

TEST_F(Preview, WrongFlowAndBadInputAreUsageErrors) {
    auto r =
        run("mapping preview -c " + config_file.string() + " --flow product_export --input " +
            order_file.string() + " --template " +
            (std::filesystem::path(CLARITY_TEST_SOURCE_DIR) / "config/mapping/order_import.yaml")
                .string());
    EXPECT_EQ(r.code, kExitUsage);
    EXPECT_NE(r.err.find("is for flow 'order_import', not 'product_export'"), std::string::npos);
    std::ofstream(dir / "junk.json") << "{\"x\": ";
    r = run("mapping preview -c " + config_file.string() + " --flow order_import --input " +
            (dir / "junk.json").string());
    EXPECT_EQ(r.code, kExitUsage);
    EXPECT_NE(r.err.find("invalid JSON at byte"), std::string::npos);
}

TEST_F(Preview, ProductExportPreviewWithSchemaCheck) {
    std::ofstream(dir / "product.json")
        << R"({"id":5,"name":"Oak table","default_code":"T-1","description_sale":"Solid\nOak"})";
    std::ofstream(dir / "schema.json")
        << R"({"product.template":{"name":{"type":"char"},"description_sale":{"type":"text"}}})";
    auto r = run("mapping preview -c " + config_file.string() + " --flow product_export --input " +
                 (dir / "product.json").string() + " --schema " + (dir / "schema.json").string());
    ASSERT_EQ(r.code, 0) << r.err;
    auto doc = mapping::parse_json(r.out).value();
    EXPECT_EQ(doc.find_path("values.productType")->as_string(), "PRODUCT");
    EXPECT_EQ(doc.find_path("values.attributes.bullet_point")->size(), 2u);
    ASSERT_EQ(doc.find("notes")->size(), 1u);
    EXPECT_NE(doc.find("notes")->items()[0].as_string().find(
                  "source field 'x_studio_material' does not exist on product.template"),
              std::string::npos);
}

}  // namespace
}  // namespace clarity::app
