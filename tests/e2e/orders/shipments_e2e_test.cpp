// End to end (issue #19 point 6): the clarity-connect binary as a child process imports 200
// merchant-fulfilled orders from the fake SP-API into the fake Odoo; the test then validates their
// deliveries in the fake Odoo in random order as a warehouse would (some partial with a backorder
// validated later, some packed in two boxes with a tracking number each), SIGKILLs the daemon
// several times meanwhile and starts it again. The fake Odoo posts every change of a delivery to
// the daemon's webhook as Odoo's automation rule does; the watcher polls too. Then an order
// cancelled in Odoo before shipping is cancelled on Amazon (cancel_on_amazon), once. Every package must
// reach Amazon exactly once with the right items and quantities. Then a webhook storm: the same
// delivery's webhook 50 times at once is one confirmation.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "clarity/model/timestamp.hpp"
#include "daemon_process.hpp"
#include "sandbox/daemon_config.hpp"
#include "sandbox/scenario.hpp"
#include "support/temp_dir.hpp"
#include "support/test_env.hpp"

namespace clarity::e2e {
namespace {

namespace fs = std::filesystem;
namespace sb = fakes::sandbox;
using namespace std::chrono_literals;
using json = nlohmann::json;
using odoo::Struct;
using odoo::Value;

constexpr int kOrders = 200;
constexpr const char* kSecret = "e2eHookSecret0123456789abcdef";

std::string binary() { return (test::binary_dir() / "src/app/clarity-connect").string(); }

/// POST as Odoo's webhook action does (python-requests, JSON); the status, 0 when refused.
int post(std::uint16_t port, const std::string& target, const std::string& body) {
    return loopback_request(
               port, "POST", target,
               "User-Agent: python-requests/2.31\r\nContent-Type: application/json\r\n", body)
        .status;
}

struct Shipment {
    std::string order_id;
    std::map<std::string, std::int64_t> items;  ///< orderItemId → quantity
};

struct World {
    World() : amazon(SystemClock::instance(), amazon_options()) {
        sb::ScenarioOptions so;
        so.orders = 1;
        so.start = SystemClock::instance().now() + 1h;  // its own order never appears
        scenario = sb::generate(so);
        sb::seed_odoo(scenario, odoo.odoo());
        ups = odoo.odoo().create("delivery.carrier", Struct{{"name", "UPS"}});
        // 200 merchant-fulfilled orders of 1 to 3 lines, bought ten minutes ago, unshipped.
        std::mt19937 rng(19);
        const auto bought = std::chrono::time_point_cast<std::chrono::seconds>(
            SystemClock::instance().now() - 10min);
        for (int i = 0; i < kOrders; ++i) {
            fakes::sp_api::SeedOrder o;
            char id[32];
            std::snprintf(id, sizeof id, "113-%07d-%07d", 4000000 + i, 1000 + i);
            o.order_id = id;
            o.status = "UNSHIPPED";
            o.created_time = model::format_iso8601(bought);
            o.last_updated_time = o.created_time;
            o.state = "CA";
            o.postal_code = "94105";
            o.city = "San Francisco";
            const int lines = 1 + static_cast<int>(rng() % 3);
            for (int l = 0; l < lines; ++l) {
                const auto& p = scenario.products[(i + l) % scenario.products.size()];
                fakes::sp_api::SeedItem it;
                it.order_item_id = o.order_id.substr(4, 7) + std::to_string(l + 1);
                it.seller_sku = p.sku;
                it.asin = p.asin;
                it.title = p.name;
                it.quantity = 1 + static_cast<int>(rng() % 3);
                it.unit_price = "10.00";
                it.item_tax = std::to_string(it.quantity) + ".50";  // 15 % of the line
                if (it.quantity == 2) it.item_tax = "3.00";
                if (it.quantity == 3) it.item_tax = "4.50";
                o.items.push_back(std::move(it));
            }
            amazon.add_order(o);
            orders[o.order_id] = o;
        }
        admin_port = free_loopback_port();
        sb::DaemonConfigOptions dc;
        dc.store_path = (dir / "clarity.db").string();
        dc.mapping_dir = fs::absolute(test::source_dir() / "config/mapping").string();
        dc.rate_scale = amazon.options().speed_up;
        dc.sqs = false;
        dc.sweep_interval = "2s";
        dc.admin_listen = "127.0.0.1:" + std::to_string(admin_port);
        dc.store_extra = "  retry:\n    base: 100ms\n    cap: 2s\n    max_attempts: 60\n";
        dc.flows_extra =
            "      fulfillment_status:\n        enabled: true\n        tracking_recheck: 1s\n"
            "        cancel_on_amazon: true\n        cancel_check_interval: 1s\n";
        dc.triggers_extra = std::string("      odoo:\n        interval: 500ms\n") +
                            "        overlap: 30s\n        webhook_secret: " + kSecret + "\n";
        config = (dir / "clarity-connect.yaml").string();
        std::ofstream(config) << sb::daemon_config(dc, amazon, odoo.base_url(), odoo_options);
        log = (dir / "daemon.log").string();
        EXPECT_EQ(run({binary(), "config", "check", "-c", config}, log), 0) << read_file(log);
        // Odoo's automation rule: every change of a delivery is posted to the daemon's webhook
        // (lost while the daemon is down, as with Odoo: the watcher catches up).
        fake().add_webhook("stock.picking", "http://127.0.0.1:" + std::to_string(admin_port) +
                                                "/hooks/odoo/sandbox?secret=" + kSecret);
    }

    static fakes::sp_api::FakeOptions amazon_options() {
        fakes::sp_api::FakeOptions o;
        o.speed_up = 100;  // the published usage plans, 100x
        o.enforce_quota = true;
        o.feed_processing_time = std::chrono::seconds(2);  // Amazon takes minutes
        return o;
    }

    std::unique_ptr<Process> start() {
        return std::make_unique<Process>(std::vector<std::string>{binary(), "run", "-c", config},
                                         log);
    }

    fakes::odoo::FakeOdoo& fake() { return odoo.odoo(); }

    /// Polls the fakes (the daemon is another process: nothing to join) until `done` or `limit`.
    bool wait_for(const std::function<bool()>& done, std::chrono::seconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done()) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(100ms);
        }
        return true;
    }

    std::vector<Struct> open_deliveries() {
        std::vector<Struct> out;
        for (auto& p : fake().records("stock.picking")) {
            if (p["state"] == Value("assigned") && p["sale_id"].m2o_id()) out.push_back(p);
        }
        return out;
    }

    std::vector<Struct> moves_of(std::int64_t picking) {
        std::vector<Struct> out;
        for (auto& m : fake().records("stock.move")) {
            if (m["picking_id"].m2o_id() == picking) out.push_back(std::move(m));
        }
        return out;
    }

    /// The Amazon order of a delivery (the sale order's client_order_ref).
    std::string order_of(const Struct& picking) {
        auto so = fake().record("sale.order", picking.at("sale_id").m2o_id().value_or(0));
        return so ? (*so)["client_order_ref"].as_string().value_or("") : "";
    }

    /// The Amazon item of a move (its sale line's position in the order = the item's).
    std::string item_of(const std::string& order_id, const Struct& move) {
        auto line = fake().record("sale.order.line", move.at("sale_line_id").m2o_id().value_or(0));
        std::vector<std::int64_t> lines;
        for (auto& l : fake().records("sale.order.line")) {
            if (l["order_id"] == (*line)["order_id"]) lines.push_back(l["id"].as_int().value_or(0));
        }
        const auto pos = std::find(lines.begin(), lines.end(), (*line)["id"].as_int().value_or(0)) -
                         lines.begin();
        return orders[order_id].items.at(static_cast<std::size_t>(pos)).order_item_id;
    }

    /// Validates delivery `p` as a warehouse does: `kind` 0 whole, 1 partial (one unit less of
    /// the first line; Odoo leaves a backorder), 2 packed in two boxes with a tracking number
    /// each (deliveries of two lines or more). Records the shipments Amazon must receive.
    void validate(const Struct& p, int kind) {
        const auto id = p.at("id").as_int().value_or(0);
        const std::string order_id = order_of(p);
        auto moves = moves_of(id);
        if (kind == 2 && moves.size() < 2) kind = 0;
        std::vector<std::int64_t> boxes;
        if (kind == 2) {
            boxes = {fake().create("stock.quant.package", Struct{}),
                     fake().create("stock.quant.package", Struct{})};
        }
        std::vector<Shipment> expect(kind == 2 ? 2 : 1, Shipment{order_id, {}});
        for (std::size_t i = 0; i < moves.size(); ++i) {
            double qty = moves[i]["product_uom_qty"].as_double().value_or(0);
            if (kind == 1 && i == 0) qty -= 1;
            fake().write("stock.move", moves[i]["id"].as_int().value_or(0),
                         Struct{{"quantity", qty}, {"picked", true}});
            if (kind == 2) {
                fake().create("stock.move.line",
                              Struct{{"picking_id", id},
                                     {"move_id", moves[i]["id"]},
                                     {"product_id", moves[i]["product_id"].m2o_id().value_or(0)},
                                     {"quantity", qty},
                                     {"result_package_id", boxes[i == 0 ? 0 : 1]}});
            }
            if (qty > 0)
                expect[kind == 2 && i > 0 ? 1 : 0].items[item_of(order_id, moves[i])] += qty;
        }
        const std::string tracking = kind == 2
                                         ? "1ZA" + std::to_string(id) + ",1ZB" + std::to_string(id)
                                         : "1Z" + std::to_string(id);
        fake().write("stock.picking", id,
                     Struct{{"carrier_id", ups}, {"carrier_tracking_ref", tracking}});
        fake().call("stock.picking", "button_validate", {id},
                    Struct{{"skip_sms", true}, {"skip_backorder", true}});
        for (auto& s : expect) {
            if (!s.items.empty()) expected.push_back(std::move(s));
        }
    }

    std::vector<json> confirmations() {
        std::vector<json> out;
        for (const auto& b : amazon.shipment_confirmations()) out.push_back(json::parse(b));
        return out;
    }

    test::TempDir dir;
    fakes::odoo::FakeOdooOptions odoo_options = [] {
        fakes::odoo::FakeOdooOptions o;
        o.verify_journal = false;
        return o;
    }();
    fakes::odoo::FakeOdooServer odoo{odoo_options};
    fakes::sp_api::FakeSpApi amazon;
    sb::Scenario scenario;
    std::map<std::string, fakes::sp_api::SeedOrder> orders;
    std::vector<Shipment> expected;
    std::int64_t ups = 0;
    std::uint16_t admin_port = 0;
    std::string config, log;
};

TEST(ShipmentsEndToEnd, TwoHundredOrdersShippedInRandomOrderWithSigkillsAreConfirmedExactlyOnce) {
    World w;
    auto daemon = w.start();
    ASSERT_TRUE(w.wait_for([&] { return w.open_deliveries().size() == kOrders; }, 90s))
        << w.open_deliveries().size() << " deliveries\n"
        << read_file(w.log);

    // Every delivery in random order: one in five partial (its backorder validated later), one
    // in four of the others packed in two boxes; a SIGKILL and a restart every 40 validations.
    auto open = w.open_deliveries();
    std::mt19937 rng(42);
    std::shuffle(open.begin(), open.end(), rng);
    int kills = 0;
    for (std::size_t i = 0; i < open.size(); ++i) {
        w.validate(open[i], i % 5 == 0 ? 1 : i % 4 == 0 ? 2 : 0);
        if (i % 40 == 39) {
            daemon->signal(SIGKILL);
            EXPECT_EQ(daemon->wait(10s), 128 + SIGKILL);
            ++kills;
            daemon = w.start();
        }
    }
    for (const auto& back : w.open_deliveries()) w.validate(back, 0);  // the backorders
    EXPECT_EQ(kills, 5);
    EXPECT_TRUE(w.open_deliveries().empty());

    const std::size_t want = w.expected.size();
    ASSERT_TRUE(w.wait_for([&] { return w.confirmations().size() >= want; }, 120s))
        << w.confirmations().size() << " of " << want << " confirmations\n"
        << read_file(w.log);
    std::this_thread::sleep_for(2s);  // anything more would be a double (asserted below)

    // Each package exactly once, with its items and quantities.
    auto sent = w.confirmations();
    EXPECT_EQ(sent.size(), want);
    std::set<std::pair<std::string, std::string>> refs;
    std::multiset<std::string> got, expect;
    std::map<std::string, std::map<std::string, std::int64_t>> shipped;
    for (const auto& c : sent) {
        const auto& pd = c["packageDetail"];
        // The order id is in the URL, not the body: find it by its items.
        std::map<std::string, std::int64_t> items;
        for (const auto& it : pd["orderItems"])
            items[it["orderItemId"]] += it["quantity"].get<std::int64_t>();
        std::string order;
        for (const auto& [id, o] : w.orders) {
            for (const auto& i : o.items) {
                if (items.count(i.order_item_id)) order = id;
            }
        }
        EXPECT_TRUE(refs.insert({order, pd["packageReferenceId"]}).second)
            << "package " << pd["packageReferenceId"] << " of " << order << " confirmed twice";
        got.insert(order + json(items).dump());
        for (const auto& [i, q] : items) shipped[order][i] += q;
    }
    for (const auto& s : w.expected) expect.insert(s.order_id + json(s.items).dump());
    EXPECT_TRUE(got == expect) << "confirmations differ from the packages shipped";
    for (const auto& [id, o] : w.orders) {
        for (const auto& i : o.items) {
            EXPECT_EQ(shipped[id][i.order_item_id], i.quantity) << id << " " << i.order_item_id;
        }
        EXPECT_EQ(w.amazon.order(id)->status, "SHIPPED") << id;
    }

    // A seller cancels an order in Odoo before shipping it (cancel_on_amazon): cancelled on
    // Amazon through the order acknowledgement feed, once.
    fakes::sp_api::SeedOrder dropped = w.orders.begin()->second;
    dropped.order_id = "113-4999998-0009998";
    for (auto& i : dropped.items) i.order_item_id = "9998" + i.order_item_id.substr(4);
    dropped.created_time = model::format_iso8601(
        std::chrono::time_point_cast<std::chrono::seconds>(SystemClock::instance().now() - 5s));
    dropped.last_updated_time = dropped.created_time;
    w.amazon.add_order(dropped);
    ASSERT_TRUE(w.wait_for([&] { return w.open_deliveries().size() == 1; }, 60s));
    const auto sale = w.open_deliveries().at(0).at("sale_id").m2o_id().value_or(0);
    w.fake().call("sale.order", "action_cancel", {sale}, Struct{{"disable_cancel_warning", true}});
    ASSERT_TRUE(
        w.wait_for([&] { return w.amazon.order(dropped.order_id)->status == "CANCELLED"; }, 60s))
        << read_file(w.log);
    EXPECT_EQ(w.amazon.feed_contents("POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA").size(), 1u);

    // A webhook storm: Odoo's automation rule fires 50 times for one delivery at once.
    fakes::sp_api::SeedOrder extra = w.orders.begin()->second;
    extra.order_id = "113-4999999-0009999";
    for (auto& i : extra.items) i.order_item_id = "9999" + i.order_item_id.substr(4);
    // Bought now, so the next sweep finds it.
    extra.created_time = model::format_iso8601(
        std::chrono::time_point_cast<std::chrono::seconds>(SystemClock::instance().now() - 5s));
    extra.last_updated_time = extra.created_time;
    w.amazon.add_order(extra);
    w.orders[extra.order_id] = extra;
    ASSERT_TRUE(w.wait_for([&] { return w.open_deliveries().size() == 1; }, 60s));
    const auto storm = w.open_deliveries().at(0);
    const std::size_t before = w.confirmations().size();
    w.validate(storm, 0);
    const auto after = w.fake().record("stock.picking", storm.at("id").as_int().value_or(0));
    const std::string body = json{{"_action", "Notify daemon(#454)"},
                                  {"_id", storm.at("id").as_int().value_or(0)},
                                  {"_model", "stock.picking"},
                                  {"id", storm.at("id").as_int().value_or(0)},
                                  {"state", "done"},
                                  {"write_date", after->at("write_date").as_string().value_or("")}}
                                 .dump();
    std::vector<std::thread> hooks;
    std::atomic<int> accepted{0};
    for (int i = 0; i < 50; ++i) {
        hooks.emplace_back([&] {
            if (post(w.admin_port, std::string("/hooks/odoo/sandbox?secret=") + kSecret, body) ==
                202)
                ++accepted;
        });
    }
    for (auto& t : hooks) t.join();
    EXPECT_EQ(accepted.load(), 50);
    // What else reaches the endpoint: a wrong secret, a body that is no Odoo webhook, a model no
    // flow watches, a connection with no webhook; nothing of it is queued.
    const std::string hook = std::string("/hooks/odoo/sandbox?secret=") + kSecret;
    EXPECT_EQ(post(w.admin_port, "/hooks/odoo/sandbox?secret=wrong", body), 401);
    EXPECT_EQ(post(w.admin_port, "/hooks/odoo/sandbox", body), 401);
    EXPECT_EQ(post(w.admin_port, hook, "{not json"), 400);
    EXPECT_EQ(post(w.admin_port, hook, R"({"_model":"res.partner","_id":7})"), 400);
    EXPECT_EQ(post(w.admin_port, std::string("/hooks/odoo/other?secret=") + kSecret, body), 404);
    EXPECT_EQ(post(w.admin_port, hook, std::string(2 * 1024 * 1024, ' ')), 413);
    ASSERT_TRUE(w.wait_for([&] { return w.confirmations().size() == before + 1; }, 30s));
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(w.confirmations().size(), before + 1) << "one confirmation for the storm";
    daemon->signal(SIGTERM);
    EXPECT_EQ(daemon->wait(20s), 0) << read_file(w.log);
    // The webhook secret came in URLs all along: never in the daemon's log.
    EXPECT_EQ(read_file(w.log).find(kSecret), std::string::npos);
}

}  // namespace
}  // namespace clarity::e2e
