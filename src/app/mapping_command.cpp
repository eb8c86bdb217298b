#include "mapping_command.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "clarity/amazon/canonical.hpp"
#include "clarity/core/file_read.hpp"
#include "clarity/mapping/address.hpp"
#include "clarity/mapping/json.hpp"
#include "clarity/mapping/mapper.hpp"
#include "clarity/mapping/odoo_decode.hpp"
#include "clarity/mapping/options.hpp"
#include "clarity/mapping/schema.hpp"
#include "clarity/mapping/template.hpp"
#include "commands.hpp"
#include "install_dirs.hpp"
#include "terminal_output.hpp"

namespace clarity::app {

namespace {

struct PreviewArgs {
    std::string config;
    std::string flow;
    std::string input;
    std::string connection;
    std::string template_file;
    std::string schema;
};

[[noreturn]] void fail_preview(int code, const std::string& message) {
    std::cerr << "clarity-connect mapping preview: " << safe(message) << "\n";
    throw CLI::RuntimeError(code);
}

std::string read_text(const std::string& path, const char* what) {
    auto text = core::read_regular_file(path, core::kMaxDocumentFileBytes);
    if (!text) {
        fail_preview(kExitUsage, std::string("cannot read ") + what + " '" + path +
                                     "': " + text.error().message);
    }
    return std::move(*text);
}

mapping::MappingOptions options_of(const core::ConfigNode& root, const std::string& connection) {
    mapping::MappingOptions options;
    if (root.has("mapping")) {
        options = mapping::mapping_options_from_config(root.section("mapping"));
    }
    if (connection.empty()) return options;
    for (const auto& conn : root.sections("connections")) {
        if (conn.has("name") && conn.get_string("name") == connection) {
            if (conn.has("mapping")) {
                options = mapping::merge_options(
                    options, mapping::mapping_options_from_config(conn.section("mapping")));
            }
            return options;
        }
    }
    fail_preview(kExitUsage, "no connection named '" + connection + "' in the configuration");
}

model::Value lookups_value(const mapping::MappingResult& r) {
    model::Value list = model::Value::array();
    for (const auto& l : r.lookups) {
        model::Value v = model::Value::object();
        v.set("model", model::Value(l.model));
        v.set("by", model::Value(l.field));
        v.set("key", l.key);
        list.push_back(std::move(v));
    }
    return list;
}

model::Value strings(const std::vector<std::string>& items) {
    model::Value list = model::Value::array();
    for (const auto& s : items) list.push_back(model::Value(s));
    return list;
}

void run_preview(const PreviewArgs& args,
                 const std::function<core::ConfigNode(const std::string&)>& load_config) {
    std::filesystem::path template_file;
    if (!args.template_file.empty()) {
        template_file = args.template_file;
    } else {
        core::ConfigNode root;
        try {
            root = load_config(args.config);
        } catch (const std::exception& e) {
            fail_preview(kExitUsage, e.what());
        }
        const auto base = std::filesystem::absolute(args.config).parent_path();
        try {
            template_file = options_of(root, args.connection)
                                .template_for(args.flow, base, installed_template_dirs());
        } catch (const mapping::TemplateError& e) {
            fail_preview(kExitUsage, e.what());
        }
    }

    std::optional<mapping::MappingTemplate> tmpl;
    try {
        tmpl = mapping::MappingTemplate::load_file(template_file);
    } catch (const mapping::TemplateError& e) {
        fail_preview(kExitUsage, "invalid mapping template:\n" + std::string(e.what()));
    }
    if (tmpl->flow() != args.flow) {
        fail_preview(kExitUsage, "template " + tmpl->file() + " is for flow '" + tmpl->flow() +
                                     "', not '" + args.flow + "'");
    }

    const std::string input_text = read_text(args.input, "input");
    auto input = mapping::parse_json(input_text);
    if (!input) fail_preview(kExitUsage, args.input + ": " + input.error().message);
    auto doc = std::make_shared<const model::Value>(std::move(*input));

    model::Value out = model::Value::object();
    out.set("flow", model::Value(args.flow));
    out.set("template", model::Value(tmpl->file()));
    out.set("target", model::Value(tmpl->target()));
    std::vector<std::string> notes;
    mapping::MappingResult result;
    if (tmpl->source() == "order") {
        // The connector's own decoder: what the order_import flow maps is what preview shows.
        auto order = amazon::decode_order_document(input_text);
        if (!order) fail_preview(kExitUsage, args.input + ": " + order.error().message);
        if (order->ship_to) {
            mapping::normalize_address(*order->ship_to);
            for (const auto& p : order->ship_to->normalized.problems)
                notes.push_back("address: " + p);
        }
        result = mapping::map_order(*tmpl, *order);
        out.set("values", result.to_value());
    } else if (tmpl->source() == "product") {
        auto product = mapping::decode_odoo_product(*doc);
        if (!product) fail_preview(kExitUsage, args.input + ": " + product.error().message);
        result = mapping::map_product(*tmpl, *product);
        out.set("values", tmpl->target() == "amazon.listing" ? mapping::to_listing_body(result)
                                                             : result.to_value());
    } else {
        fail_preview(kExitUsage,
                     "preview supports order and product templates, not '" + tmpl->source() + "'");
    }
    model::Value outputs = model::Value::object();
    for (const auto& [k, v] : result.outputs.fields) outputs.set(std::string(k), v);
    out.set("outputs", std::move(outputs));
    out.set("lookups", lookups_value(result));
    if (!args.schema.empty()) {
        auto schema_doc = mapping::parse_json(read_text(args.schema, "schema"));
        if (!schema_doc || !schema_doc->is_object()) {
            fail_preview(kExitUsage,
                         args.schema + ": expected a JSON object {model: fields_get result}");
        }
        mapping::StaticOdooSchema schema;
        for (std::size_t i = 0; i < schema_doc->keys().size(); ++i) {
            schema.add_fields_get(schema_doc->keys()[i], schema_doc->items()[i]);
        }
        for (const auto& p : tmpl->check_schema(schema)) notes.push_back("schema: " + p);
    }
    out.set("notes", strings(notes));
    out.set("errors", strings(result.errors));
    // JSON escapes C0 controls; DEL and C1 controls from the input become \u escapes too.
    std::cout << core::terminal_safe(mapping::to_json(out, 2), core::TerminalText::json) << "\n";
    if (!result.errors.empty()) throw CLI::RuntimeError(kExitRuntime);
}

}  // namespace

void add_mapping_commands(CLI::App& app,
                          std::function<core::ConfigNode(const std::string&)> load_config) {
    auto* mapping_cmd = app.add_subcommand("mapping", "Inspect and try mapping templates");
    mapping_cmd->require_subcommand(1);
    auto args = std::make_shared<PreviewArgs>();
    auto* preview = mapping_cmd->add_subcommand(
        "preview",
        "Print the values a sample input produces with a flow's template; writes nothing");
    preview->add_option("-c,--config", args->config, "Configuration file")
        ->check(CLI::ExistingFile);
    preview->add_option("--flow", args->flow, "Flow whose template to use (order_import, ...)")
        ->required();
    preview
        ->add_option("--input", args->input,
                     "Sample input: an Amazon order JSON (Orders 2026-01-01 or v0) or an Odoo "
                     "product record")
        ->required()
        ->check(CLI::ExistingFile);
    preview->add_option("--connection", args->connection, "Use this connection's overrides");
    preview->add_option("--template", args->template_file,
                        "Use this template file instead of the configured one");
    preview->add_option("--schema", args->schema,
                        "Also check against a saved schema: JSON {model: fields_get result}");
    preview->callback([args, load_config] {
        if (args->config.empty() && args->template_file.empty()) {
            fail_preview(kExitUsage, "give -c FILE (or --template FILE)");
        }
        run_preview(*args, load_config);
    });
}

}  // namespace clarity::app
