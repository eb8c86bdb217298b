#include "config_schema.hpp"

#include "builtin_flows.hpp"
#include "clarity/amazon/config.hpp"
#include "clarity/core/log.hpp"
#include "clarity/flows/engine.hpp"
#include "clarity/flows/odoo_watch.hpp"
#include "clarity/flows/order_triggers.hpp"
#include "clarity/mapping/options.hpp"
#include "clarity/mapping/settlement_accounts.hpp"
#include "clarity/net/circuit_breaker.hpp"
#include "clarity/net/http_client.hpp"
#include "clarity/net/http_server.hpp"
#include "clarity/odoo/client.hpp"
#include "clarity/store/options.hpp"

namespace clarity::app {

using core::ConfigSpec;
using core::ConfigType;

// The flows section: one subsection per flow of the catalogue (builtin_flows.cpp) with the keys
// every flow has (enabled, retry) plus the flow's own keys.
ConfigSpec flows_config_spec(const flows::FlowRegistry& registry) {
    ConfigSpec spec;
    for (const auto& entry : registry.entries()) {
        ConfigSpec flow;
        flow.add({.name = "enabled",
                  .type = ConfigType::boolean,
                  .description = "Run this flow for the connection.",
                  .default_value = "false"});
        // Per-flow retry keys have no defaults of their own: a key left out keeps store.retry's.
        ConfigSpec retry;
        const ConfigSpec store_retry = store::retry_policy_spec();
        for (auto key : store_retry.keys()) {
            key.description += " Default: the same key of store.retry.";
            key.default_value.reset();
            key.required = false;
            retry.add(std::move(key));
        }
        flow.add_section("retry", "Backoff and attempt limit of this flow's jobs.", retry);
        for (const auto& key : entry.spec.keys()) flow.add(key);
        spec.add_section(entry.name, entry.description, flow);
    }
    return spec;
}

namespace {
ConfigSpec triggers_config_spec() {
    ConfigSpec spec;
    spec.add_section("orders",
                     "What enqueues order_import jobs: ORDER_CHANGE notifications from SQS and "
                     "the polling sweep (docs/triggers.md).",
                     flows::order_triggers_config_spec());
    spec.add_section("odoo",
                     "What tells the daemon that Odoo changed, for the flows that act on Odoo "
                     "records (fulfillment_status: deliveries): the watcher and the webhook "
                     "(docs/triggers.md, \"Odoo changes\").",
                     flows::odoo_watch_config_spec());
    return spec;
}
}  // namespace

ConfigSpec daemon_config_spec() {
    ConfigSpec spec;
    spec.add({.name = "shutdown_timeout",
              .type = ConfigType::duration,
              .description = "On SIGTERM or SIGINT the daemon stops accepting work and gives "
                             "in-flight work this long to finish before it exits.",
              .default_value = "30s"});
    spec.add({.name = "watchdog_interval",
              .type = ConfigType::duration,
              .description = "How often to send WATCHDOG=1 to systemd when NOTIFY_SOCKET is set. "
                             "Unset: half of the unit's WatchdogSec (no pings when the unit has "
                             "none)."});
    return spec;
}

ConfigSpec connection_config_spec() {
    ConfigSpec spec;
    spec.add({.name = "name",
              .type = ConfigType::string,
              .description = "Short unique name of the integration pair (used in logs, metrics "
                             "and the store), e.g. eu or us-main.",
              .required = true});
    spec.add_section("odoo", "The Odoo database of this connection.", odoo::odoo_config_spec(),
                     /*required=*/true);
    spec.add_section("amazon", "The Amazon seller account of this connection.",
                     amazon::amazon_config_spec(), /*required=*/true);
    spec.add_section("mapping", "Mapping template overrides for this connection.",
                     mapping::mapping_config_spec());
    spec.add_section("flows", "Which flows run for this connection, and their settings.",
                     flows_config_spec(builtin_flows()));
    spec.add_section("triggers", "What enqueues work for this connection's flows.",
                     triggers_config_spec());
    return spec;
}

ConfigSpec root_config_spec() {
    ConfigSpec spec;
    spec.add_section("store", "The durable store (SQLite).", store::store_config_spec());
    spec.add_section("engine", "The workflow engine that runs the flows' jobs.",
                     flows::engine_config_spec());
    spec.add_section("mapping", "Mapping templates (defaults for every connection).",
                     mapping::mapping_config_spec());
    spec.add_section("settlement", "Settlement report parsing and the account map.",
                     mapping::settlement_config_spec());
    spec.add_section("admin", "The admin HTTP server: health probes, metrics, admin API.",
                     net::http_server_config_spec());
    spec.add_section("log", "Logging.", core::log_config_spec());
    spec.add_section("daemon", "Process-wide run settings.", daemon_config_spec());
    spec.add_section("http", "Outgoing HTTP(S) to Odoo and Amazon: pool, timeouts, TLS, proxy.",
                     net::http_client_config_spec());
    spec.add_section("circuit_breaker",
                     "One circuit breaker per connection and service (amazon, odoo, sqs): "
                     "while a service is down its calls are refused at once and jobs wait "
                     "without using up attempts (docs/network.md).",
                     net::circuit_breaker_config_spec());
    spec.add_section_list("connections",
                          "Integration pairs: one Odoo database and one Amazon seller account "
                          "each.",
                          connection_config_spec(), /*required=*/true);
    return spec;
}

namespace {

std::string type_text(const core::ConfigKey& key) {
    switch (key.type) {
        case ConfigType::secret:
            return "secret";
        default:
            return std::string(core::to_string(key.type));
    }
}

std::string escape_cell(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n')
            out += ' ';
        else
            out += c;
    }
    return out;
}

std::string join(const std::string& path, const std::string& name) {
    return path.empty() ? name : path + "." + name;
}

void render_section(const std::string& path,
                    const std::string& description,
                    const std::vector<core::ConfigKey>& keys,
                    std::string& out) {
    if (!path.empty()) out += "\n## `" + path + "`\n\n" + description + "\n";
    bool any_value = false;
    for (const auto& key : keys) {
        if (key.type == ConfigType::section || key.type == ConfigType::section_list) continue;
        if (!any_value) {
            out += "\n| key | type | default | description |\n|---|---|---|---|\n";
            any_value = true;
        }
        std::string def = key.required        ? "**required**"
                          : key.default_value ? "`" + *key.default_value + "`"
                                              : "unset";
        if (key.default_value && key.default_value->empty()) def = "`\"\"`";
        std::string desc = key.description;
        if (!key.allowed.empty()) {
            desc += " One of: ";
            for (std::size_t i = 0; i < key.allowed.size(); ++i) {
                desc += (i > 0 ? ", `" : "`") + key.allowed[i] + "`";
            }
            desc += ".";
        }
        out += "| `" + key.name + "` | " + type_text(key) + " | " + escape_cell(def) + " | " +
               escape_cell(desc) + " |\n";
    }
    for (const auto& key : keys) {
        if (key.type == ConfigType::section) {
            std::string desc = key.description + (key.required ? " Required." : "");
            render_section(join(path, key.name), desc, key.children, out);
        } else if (key.type == ConfigType::section_list) {
            std::string desc = key.description + " A list; each entry has the keys below." +
                               (key.required ? " At least one entry is required." : "");
            render_section(join(path, key.name) + "[]", desc, key.children, out);
        }
    }
}

}  // namespace

std::string render_config_reference(const ConfigSpec& spec) {
    std::string out =
        "# Configuration reference\n"
        "\n"
        "<!-- Generated by `clarity-connect config schema`; do not edit. A unit test fails when "
        "this file differs from the command's output. -->\n"
        "\n"
        "Clarity Connect reads one YAML file (`clarity-connect run -c FILE`); check it offline "
        "with `clarity-connect config check -c FILE`, which refuses everything `run` refuses "
        "before it connects anywhere (values out of range, a store directory it cannot write, a "
        "missing mapping directory or template) and creates nothing. Unknown keys, wrong types, "
        "missing required keys and values out of range are rejected with "
        "`file:line:column: key.path: reason` and exit code 2. The file holds one YAML document. "
        "A commented example is `config/clarity-connect.example.yaml`.\n"
        "\n"
        "Types: *duration* is a number with a unit (`250ms`, `30s`, `10m`, `2h`, `1d`; a bare "
        "number means seconds); *boolean* is `true` or `false`; *decimal* is exact decimal text "
        "(`0.01`); a *secret* is `${ENV_VAR}` (read from the environment; also inside a longer "
        "text, `user-${ENV_VAR}`, and an unset or empty variable is an error), `file:/path` (the "
        "file's content without its trailing newline) or a literal, and prints as `***` in logs, "
        "errors and `config check --print`. Other strings take no `${...}`: one is refused. "
        "`config check --print` shows URLs without their user info (and secret-looking query "
        "values as `***`), as the logs do. Keys marked unset may be left out.\n";
    render_section("", "", spec.keys(), out);
    return out;
}

}  // namespace clarity::app
