// clarity-sandbox: the fake SP-API (with LWA and SQS) and the fake Odoo on loopback, seeded with a
// deterministic stream of Amazon orders that change over time, plus a ready daemon configuration
// pointing at them and GET /sandbox/status comparing Odoo with the expected outcomes.
// docs/sandbox.md describes the flags, the status fields and what is seeded.
#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "sandbox/daemon_config.hpp"
#include "sandbox/scenario.hpp"

namespace {

namespace fs = std::filesystem;
using clarity::fakes::http::FakeHttpServer;
using clarity::fakes::http::Request;
using clarity::fakes::http::Response;
namespace sb = clarity::fakes::sandbox;

std::atomic<bool> g_stop{false};

extern "C" void on_signal(int /*signal*/) { g_stop.store(true); }

struct Flags {
    int orders = 50;
    std::uint64_t seed = 1;
    double speed = 60;
    std::string config_out = "sandbox/clarity-connect.yaml";
    std::string port_file;
    std::string store = "sandbox/clarity.db";
    std::string mapping_dir = "config/mapping";
    std::string admin_listen = "127.0.0.1:0";
    std::string admin_token = "sandbox-admin-token";
    int odoo_version = 18;
    bool quota = true;
    bool notifications = true;
    bool ship = true;  // validate some MFN deliveries in the fake Odoo (the warehouse)
    double delay = 2;  // seconds before the first order appears
    int uk_every = 0, fr_every = 0, de_every = 0;  // European orders (scenario.hpp)
};

void write_file(const std::string& path, const std::string& content) {
    const fs::path p(path);
    if (p.has_parent_path()) fs::create_directories(p.parent_path());
    const fs::path tmp = p.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << content;
        if (!out) throw std::runtime_error("cannot write " + tmp.string());
    }
    fs::rename(tmp, p);  // readers never see a half-written file
}

}  // namespace

int main(int argc, char** argv) {
    Flags f;
    CLI::App app{"clarity-sandbox: fake SP-API and fake Odoo with a stream of seeded orders",
                 "clarity-sandbox"};
    app.add_option("--orders", f.orders, "orders to seed")->check(CLI::Range(1, 100000));
    app.add_option("--seed", f.seed, "seed of the order generator (same seed, same orders)");
    app.add_option("--speed", f.speed, "time compression: 60 = an hour of orders in a minute")
        ->check(CLI::Range(0.01, 100000.0));
    app.add_option("--config-out", f.config_out, "where to write the daemon configuration");
    app.add_option("--port-file", f.port_file, "where to write the URLs (key=value lines)");
    app.add_option("--store", f.store, "SQLite store path written into the daemon configuration");
    app.add_option(
        "--mapping-dir", f.mapping_dir,
        "mapping templates directory for the daemon (empty: none, the daemon's default look-up)");
    app.add_option("--admin-listen", f.admin_listen, "the daemon's admin listen address");
    app.add_option("--admin-token", f.admin_token, "the daemon's admin token");
    app.add_option("--odoo-version", f.odoo_version, "fake Odoo major version")
        ->check(CLI::Range(16, 19));
    app.add_option("--delay", f.delay, "seconds before the first order appears");
    app.add_option("--de-every", f.de_every,
                   "every Nth order comes from amazon.de (0: none); European orders are served "
                   "by a second fake SP-API (region eu) and a second daemon connection")
        ->check(CLI::Range(0, 100000));
    app.add_option("--fr-every", f.fr_every, "every Nth order comes from amazon.fr (0: none)")
        ->check(CLI::Range(0, 100000));
    app.add_option("--uk-every", f.uk_every, "every Nth order comes from amazon.co.uk (0: none)")
        ->check(CLI::Range(0, 100000));
    app.add_flag("!--no-quota", f.quota, "do not enforce the published SP-API rate limits");
    app.add_flag("!--no-shipping", f.ship,
                 "do not validate merchant-fulfilled deliveries in the fake Odoo (and do not "
                 "enable the daemon's fulfillment_status flow)");
    app.add_flag("!--no-notifications", f.notifications,
                 "no ORDER_CHANGE messages on the fake SQS queue (the sweep must find orders)");
    CLI11_PARSE(app, argc, argv);

    try {
        const auto& clock = clarity::SystemClock::instance();
        clarity::fakes::sp_api::FakeOptions ao;
        ao.speed_up = f.speed;
        ao.enforce_quota = f.quota;
        clarity::fakes::sp_api::FakeSpApi amazon(clock, ao);
        // The eu region's endpoint, for the European orders.
        std::unique_ptr<clarity::fakes::sp_api::FakeSpApi> europe;
        if (f.de_every > 0 || f.fr_every > 0 || f.uk_every > 0) {
            europe = std::make_unique<clarity::fakes::sp_api::FakeSpApi>(clock, ao);
        }
        clarity::fakes::odoo::FakeOdooOptions oo;
        oo.major = f.odoo_version;
        oo.verify_journal = false;  // thousands of records: no full copy per call
        clarity::fakes::odoo::FakeOdooServer odoo(oo);

        sb::ScenarioOptions so;
        so.orders = f.orders;
        so.seed = f.seed;
        so.speed = f.speed;
        so.notifications = f.notifications;
        so.de_every = f.de_every;
        so.fr_every = f.fr_every;
        so.uk_every = f.uk_every;
        so.start = clock.now() + std::chrono::duration_cast<clarity::Clock::duration>(
                                     std::chrono::duration<double>(f.delay));
        const sb::Scenario scenario = sb::generate(so);
        sb::seed_odoo(scenario, odoo.odoo());
        sb::seed_amazon(scenario, amazon, europe.get());

        auto status_handler = [&](const Request& req) -> Response {
            const auto path = req.path();
            if (req.method == "GET" && path == "/sandbox/status") {
                auto st = sb::check(scenario, odoo.odoo(), clock.now());
                auto j = nlohmann::json::parse(sb::to_json(st));
                // Both regions' fakes together.
                auto sum = [&](const auto& of) {
                    return of(amazon) + (europe ? of(*europe) : decltype(of(amazon)){});
                };
                j["amazon"] = {
                    {"get_order_calls", sum([](auto& a) { return a.calls("getOrder"); })},
                    {"search_orders_calls", sum([](auto& a) { return a.calls("searchOrders"); })},
                    {"throttled", sum([](auto& a) {
                         return a.throttled("getOrder") + a.throttled("searchOrders");
                     })},
                    {"queue_waiting", sum([](auto& a) { return a.queue_total(); })},
                    {"shipment_confirmations",
                     sum([](auto& a) { return a.shipment_confirmations().size(); })},
                    {"changes_to_come", sum([](auto& a) { return a.pending_changes(); })}};
                j["unknown_sku"] = scenario.unknown_product.sku;
                return Response::json(200, j.dump());
            }
            if (req.method == "POST" && path == "/sandbox/add-unknown-product") {
                sb::add_unknown_product(scenario, odoo.odoo());
                return Response::json(
                    200, nlohmann::json{{"created", scenario.unknown_product.sku}}.dump());
            }
            if (req.method == "GET" && path == "/sandbox/expected") {
                nlohmann::json out = nlohmann::json::array();
                for (const auto& e : scenario.expected) {
                    out.push_back({{"order_id", e.order_id},
                                   {"fulfillment", e.afn ? "AFN" : "MFN"},
                                   {"amazon_final_status", e.amazon_final_status},
                                   {"odoo_state", e.odoo_state},
                                   {"unknown_sku", e.unknown_sku},
                                   {"lines", e.lines.size()},
                                   {"marketplace_id", e.marketplace_id},
                                   {"currency", e.currency},
                                   {"grand_total", sb::cents_text(e.grand_total_cents)}});
                }
                return Response::json(200, out.dump());
            }
            return Response::json(404, R"({"error":"unknown path; try GET /sandbox/status"})");
        };
        FakeHttpServer status(status_handler);

        sb::DaemonConfigOptions dc;
        dc.store_path = fs::absolute(f.store).string();
        dc.mapping_dir =
            f.mapping_dir.empty() ? std::string{} : fs::absolute(f.mapping_dir).string();
        dc.admin_listen = f.admin_listen;
        dc.admin_token = f.admin_token;
        dc.rate_scale = f.quota ? f.speed : 1000.0;
        dc.europe = europe.get();
        if (f.ship) {
            // Deliveries the warehouse validates are confirmed on Amazon (docs/shipments.md).
            dc.flows_extra =
                "      fulfillment_status:\n        enabled: true\n        tracking_recheck: 5s\n";
            dc.triggers_extra = "      odoo:\n        interval: 1s\n        overlap: 1m\n";
        }
        write_file(f.config_out, sb::daemon_config(dc, amazon, odoo.base_url(), oo));
        if (!f.port_file.empty()) {
            write_file(f.port_file,
                       "status_url=" + status.base_url() + "/sandbox/status\n" + "odoo_url=" +
                           odoo.base_url() + "\n" + "sp_api_url=" + amazon.base_url() + "\n" +
                           (europe ? "sp_api_eu_url=" + europe->base_url() + "\n" : std::string{}) +
                           "config=" + fs::absolute(f.config_out).string() + "\n");
        }
        std::cout << "clarity-sandbox: " << f.orders << " orders (seed " << f.seed << ", speed "
                  << f.speed << "x), the last change in "
                  << std::chrono::duration_cast<std::chrono::seconds>(scenario.last_change -
                                                                      clock.now())
                         .count()
                  << " s\n"
                  << "  fake Odoo " << f.odoo_version << ": " << odoo.base_url() << "\n"
                  << "  fake SP-API, LWA and SQS: " << amazon.base_url() << "\n"
                  << (europe ? "  fake SP-API eu region (European orders): " + europe->base_url() +
                                   "\n"
                             : std::string{})
                  << "  status: " << status.base_url() << "/sandbox/status\n"
                  << "  daemon config: " << f.config_out << std::endl;

        std::signal(SIGINT, on_signal);
        std::signal(SIGTERM, on_signal);
        // The fakes apply due changes on every request; this keeps the queue filling while the
        // daemon is not asking.
        // The warehouse: merchant-fulfilled orders it ships (scenario.hpp ships_from_odoo) get
        // their deliveries validated in the fake Odoo, for the daemon to confirm on Amazon.
        int ticks = 0;
        while (!g_stop.load()) {
            amazon.advance();
            if (europe) europe->advance();
            if (f.ship && ++ticks % 5 == 0) {
                try {
                    sb::ship_merchant_orders(scenario, odoo.odoo(), clock.now());
                } catch (const std::exception& e) {
                    std::cerr << "clarity-sandbox: shipping: " << e.what() << "\n";
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        std::cout << "clarity-sandbox: stopping" << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "clarity-sandbox: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
