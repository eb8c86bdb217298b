#include "settings.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "builtin_flows.hpp"
#include "clarity/amazon/config.hpp"
#include "clarity/amazon/endpoints.hpp"
#include "clarity/flows/fulfillment_status.hpp"
#include "clarity/flows/order_import.hpp"
#include "clarity/mapping/template.hpp"
#include "clarity/net/http_client.hpp"
#include "clarity/odoo/client.hpp"
#include "config_loader.hpp"
#include "config_schema.hpp"
#include "install_dirs.hpp"

namespace clarity::app {

Settings read_settings(const core::ConfigNode& root) {
    Settings s;
    s.root = root;
    s.log = core::log_options_from_config(root.section("log"));
    s.admin = net::http_server_options_from_config(root.section("admin"));
    const auto daemon = root.section("daemon");
    s.daemon.shutdown_timeout = daemon.get_duration("shutdown_timeout");
    if (daemon.has("watchdog_interval")) {
        s.daemon.watchdog_interval = daemon.get_duration("watchdog_interval");
        if (*s.daemon.watchdog_interval <= std::chrono::milliseconds::zero()) {
            daemon.fail("watchdog_interval", "must be greater than 0");
        }
    }
    s.store = store::store_options_from_config(root.section("store"));
    s.engine = flows::engine_options_from_config(root.section("engine"));
    const auto engine = root.section("engine");
    auto known_flow = [&engine](const std::string& key, const std::string& flow) {
        if (builtin_flows().find(flow) != nullptr) return;
        std::string names;
        for (const auto& e : builtin_flows().entries())
            names += (names.empty() ? "" : ", ") + e.name;
        engine.fail(key + "." + flow, "no flow named '" + flow + "' (flows: " + names + ")");
    };
    for (const auto& [flow, n] : s.engine.flow_concurrency) known_flow("flow_concurrency", flow);
    for (const auto& [flow, n] : s.engine.flow_cohort) known_flow("flow_cohort", flow);
    for (const auto& [flow, d] : s.engine.flow_deadline) {
        known_flow("flow_deadline", flow);
        if (d >= s.store.lease) {
            engine.fail("flow_deadline." + flow,
                        "must be below store.lease (" +
                            std::to_string(s.store.lease.count() / 1000) +
                            "s): a run outliving its lease could be claimed twice");
        }
    }
    s.mapping = mapping::mapping_options_from_config(root.section("mapping"));
    s.settlement = mapping::settlement_options_from_config(root.section("settlement"));
    // MERGE: per connection, odoo/amazon/flows options are read here (from_config) so that
    // `config check` reports their errors without connecting anywhere.
    s.connections = root.sections("connections");
    s.http = net::http_client_options_from_config(root.section("http"));
    s.circuit_breaker = net::circuit_breaker_options_from_config(root.section("circuit_breaker"));
    for (const auto& connection : s.connections) {
        // Read (and so validate) each connector's options offline, for `config check`.
        ConnectionSettings c;
        c.node = connection;
        c.name = connection.get_string("name");
        for (const auto& other : s.connection_settings) {
            if (other.name == c.name) {
                connection.fail("name", "'" + c.name + "' is used by another connection");
            }
        }
        c.odoo = odoo::from_config(connection.section("odoo"));
        c.amazon = amazon::from_config(connection.section("amazon"));
        // Connections of one seller in one region share one SP-API quota (one limiter), which
        // has one speed.
        for (const auto& other : s.connection_settings) {
            if (other.amazon.seller_id == c.amazon.seller_id &&
                other.amazon.region == c.amazon.region &&
                other.amazon.rate_scale != c.amazon.rate_scale) {
                connection.section("amazon").fail(
                    "rate_scale", "differs from connection '" + other.name +
                                      "', which shares seller " + c.amazon.seller_id +
                                      " in region " +
                                      std::string(amazon::to_string(c.amazon.region)) +
                                      " (one SP-API quota); give both the same rate_scale");
            }
        }
        c.mapping = mapping::merge_options(
            s.mapping, mapping::mapping_options_from_config(connection.section("mapping")));
        c.order_triggers = flows::order_trigger_options_from_config(
            connection.section("triggers").section("orders"));
        c.odoo_watch =
            flows::odoo_watch_options_from_config(connection.section("triggers").section("odoo"));
        const auto flows = connection.section("flows");
        for (const auto& entry : builtin_flows().entries()) {
            if (flows.has(entry.name) && flows.section(entry.name).get_bool("enabled")) {
                c.enabled_flows.push_back(entry.name);
            }
        }
        // The order import's own keys (tax map, pricelists, ...), as `run` reads them.
        if (c.flow_enabled(flows::kOrderImportFlow)) {
            (void)flows::order_import_options_from_config(
                flows.section(std::string(flows::kOrderImportFlow)));
        }
        if (c.flow_enabled(flows::kFulfillmentStatusFlow)) {
            (void)flows::fulfillment_status_options_from_config(
                flows.section(std::string(flows::kFulfillmentStatusFlow)));
        }
        s.connection_settings.push_back(std::move(c));
        for (const auto& flow : flows.keys()) {
            const auto retry = flows.section(flow).section("retry");
            if (retry.keys().empty()) continue;
            // Keys left out keep store.retry's values.
            s.store.retry_by_flow[flow] = core::backoff_from_config(retry, s.store.default_retry);
        }
    }
    return s;
}

Settings load_settings(const std::filesystem::path& file) {
    Settings s = read_settings(load_config(file, root_config_spec()));
    s.base_dir = std::filesystem::absolute(file).parent_path();
    s.installed_template_dirs = installed_template_dirs();
    return s;
}

namespace {

namespace fs = std::filesystem;

// The database, its -wal and -shm files and the daemon's lock file all live in the store's
// directory: creating (and at once removing) a file there is the one test that tells whether
// `run` can, for any user (root passes access(2) where a read-only file system still refuses).
void check_store_path(const Settings& s) {
    const auto node = s.root.section("store");
    const std::string& path = s.store.path;
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (fs::is_directory(status)) {
        node.fail("path", "'" + path + "' is a directory; name the database file in it (e.g. " +
                              (fs::path(path) / "clarity.db").string() + ")");
    }
    if (fs::exists(status)) {
        if (!fs::is_regular_file(status)) node.fail("path", "'" + path + "' is not a regular file");
        const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) {
            const int e = errno;
            node.fail("path", "cannot open '" + path + "' for writing: " + std::strerror(e));
        }
        ::close(fd);
    }
    const fs::path file(path);
    const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
    const fs::path probe = dir / (".clarity-connect-check-" + std::to_string(::getpid()));
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        const int e = errno;
        node.fail("path", "cannot create files in '" + dir.string() +
                              "' (the database, its -wal and -shm files and the lock file live "
                              "there): " +
                              std::strerror(e));
    }
    ::close(fd);
    ::unlink(probe.c_str());
}

// mapping.directory and mapping.templates of one `mapping` section (the top one or a
// connection's), resolved against the configuration file's folder as the templates are.
void check_mapping_section(const Settings& s, const core::ConfigNode& node) {
    const auto resolve = [&s](const std::string& p) {
        const fs::path path(p);
        return (path.is_absolute() ? path : s.base_dir / path).lexically_normal();
    };
    std::error_code ec;
    if (node.has("directory")) {
        const auto dir = resolve(node.get_string("directory"));
        if (!fs::is_directory(dir, ec)) {
            node.fail("directory", "'" + dir.string() + "' is not a directory" +
                                       (fs::exists(dir, ec) ? "" : " (it does not exist)"));
        }
    }
    if (node.has("templates")) {
        for (const auto& [flow, file] : node.get_string_map("templates")) {
            const auto path = resolve(file);
            if (!fs::is_regular_file(path, ec)) {
                node.fail("templates." + flow,
                          "'" + path.string() + "' is not a file" +
                              (fs::exists(path, ec) ? "" : " (it does not exist)"));
            }
        }
    }
}

}  // namespace

void check_files(const Settings& settings) {
    check_store_path(settings);
    check_mapping_section(settings, settings.root.section("mapping"));
    for (const auto& connection : settings.connections) {
        check_mapping_section(settings, connection.section("mapping"));
    }
    // The templates `run` loads before it connects anywhere (wiring.cpp): each enabled flow's.
    for (const auto& c : settings.connection_settings) {
        for (const auto& flow : c.enabled_flows) {
            const auto* entry = builtin_flows().find(flow);
            if (entry == nullptr || !entry->make) continue;
            for (const auto& t : entry->templates) {
                (void)mapping::MappingTemplate::load_file(
                    c.mapping.template_for(t, settings.base_dir, settings.installed_template_dirs));
            }
        }
    }
}

bool ConnectionSettings::flow_enabled(std::string_view flow) const {
    for (const auto& f : enabled_flows) {
        if (f == flow) return true;
    }
    return false;
}

bool ConnectionSettings::order_triggers_on() const {
    if (order_triggers.enabled) return *order_triggers.enabled;
    return flow_enabled(flows::kOrderImportFlow);
}

const ConnectionSettings* Settings::connection(std::string_view name) const {
    for (const auto& c : connection_settings) {
        if (c.name == name) return &c;
    }
    return nullptr;
}

}  // namespace clarity::app
