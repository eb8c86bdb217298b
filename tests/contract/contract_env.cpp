#include "contract_env.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <iostream>
#include <stdexcept>

namespace clarity::contract {

namespace {

std::optional<LiveServer>& live_slot() {
    static std::optional<LiveServer> server;
    return server;
}

std::vector<std::int64_t> ids_none() { return {}; }

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

void set_live_server(LiveServer server) { live_slot() = std::move(server); }
const std::optional<LiveServer>& live_server() { return live_slot(); }

std::string target_name(const Target& t) {
    std::string p;
    switch (t.protocol) {
        case Protocol::json_rpc:
            p = "JsonRpc";
            break;
        case Protocol::xml_rpc:
            p = "XmlRpc";
            break;
        case Protocol::json2:
            p = "Json2";
            break;
        case Protocol::auto_select:
            p = "Auto";
            break;
    }
    return std::string(t.live ? "Live" : "Fake") + std::to_string(t.major) + "_" + p;
}

std::vector<Target> targets() {
    std::vector<Target> out;
    auto add = [&out](int major, bool live) {
        out.push_back(Target{major, Protocol::json_rpc, live});
        out.push_back(Target{major, Protocol::xml_rpc, live});
        if (major >= 19) out.push_back(Target{major, Protocol::json2, live});
    };
    if (const auto& live = live_server()) {
        add(live->major, true);
    } else {
        for (int major = 16; major <= 19; ++major) add(major, false);
    }
    return out;
}

const std::string& run_prefix() {
    static const std::string prefix = [] {
        std::time_t now = std::time(nullptr);
        std::tm tm{};
        gmtime_r(&now, &tm);
        char buf[32];
        std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &tm);
        return "cct-" + std::string(buf) + "-" + std::to_string(::getpid() % 100000) + "-";
    }();
    return prefix;
}

std::string test_database_reason(const std::string& database) {
    const std::string db = lower(database);
    for (const char* word :
         {"test", "staging", "stage", "demo", "sandbox", "scratch", "throwaway"}) {
        if (db.find(word) != std::string::npos)
            return std::string("its name contains '") + word + "'";
    }
    // Short markers only as whole words ("odoo-dev", "shop_qa"), not inside other words.
    std::string token;
    for (std::size_t i = 0; i <= db.size(); ++i) {
        if (i < db.size() && std::isalpha(static_cast<unsigned char>(db[i]))) {
            token += db[i];
            continue;
        }
        for (const char* word : {"dev", "qa", "uat", "ci", "tmp", "temp"}) {
            if (token == word) return "its name has the word '" + token + "'";
        }
        token.clear();
    }
    return {};
}

Session::Session(const Target& target) : target_(target), major_(target.major) {
    http_ = net::make_http_client(ctx_.get_executor(), net::HttpClientOptions{});
    if (target.live) {
        const LiveServer& live = *live_server();
        options_.url = live.url;
        options_.database = live.database;
        options_.username = live.user;
        options_.api_key = Secret(live.api_key);
        options_.timeout = std::chrono::milliseconds{120'000};  // a real confirm can take seconds
    } else {
        fakes::odoo::FakeOdooOptions f;
        f.major = target.major;
        server_ = std::make_unique<fakes::odoo::FakeOdooServer>(f);
        options_.url = server_->base_url();
        options_.database = f.database;
        options_.username = f.admin_login;
        options_.api_key = Secret(f.admin_api_key);
    }
    options_.protocol = target.protocol;
    options_.retry_delay = std::chrono::milliseconds{50};
    client_ = std::make_unique<odoo::OdooClient>(*http_, options_);
}

Session::~Session() = default;

std::unique_ptr<odoo::OdooClient> Session::client_with_key(const std::string& api_key) {
    odoo::OdooOptions o = options_;
    o.api_key = Secret(api_key);
    return std::make_unique<odoo::OdooClient>(*http_, o);
}

std::string Session::name(const std::string& what) const {
    return run_prefix() + target_name(target_) + "-" + what;
}

std::vector<std::int64_t> Session::create(const std::string& model, std::vector<Struct> vals_list) {
    auto r = run(client_->create(model, std::move(vals_list), client_->write_context()));
    if (!r) throw std::runtime_error("creating " + model + ": " + r.error().describe());
    for (auto id : *r) track(model, id);
    return *r;
}

std::int64_t Session::create_one(const std::string& model, Struct vals) {
    std::vector<Struct> one;
    one.push_back(std::move(vals));
    return create(model, std::move(one)).at(0);
}

void Session::track(const std::string& model, std::int64_t id) { created_.emplace_back(model, id); }

std::int64_t Session::product(const std::string& what, double price) {
    Struct vals{{"name", name(what)}, {"default_code", name(what)}, {"list_price", price}};
    // Consumable: no quants and no stock valuation, so a live database's stock is not touched.
    vals.insert_or_assign(major_ <= 17 ? "detailed_type" : "type", "consu");
    return create_one("product.product", std::move(vals));
}

std::int64_t Session::partner(const std::string& what) {
    return create_one("res.partner", Struct{{"name", name(what)}});
}

std::int64_t Session::sale_order(std::int64_t partner,
                                 std::vector<std::pair<std::int64_t, double>> lines) {
    Array commands;
    for (const auto& [product, qty] : lines) {
        commands.push_back(Array{0, 0, Struct{{"product_id", product}, {"product_uom_qty", qty}}});
    }
    return create_one("sale.order", Struct{{"partner_id", partner},
                                           {"client_order_ref", name("order")},
                                           {"order_line", std::move(commands)}});
}

std::vector<std::string> Session::cleanup() {
    std::vector<std::string> left;
    Struct all{{"active_test", false}};
    for (auto it = created_.rbegin(); it != created_.rend(); ++it) {
        const auto& [model, id] = *it;
        std::vector<std::int64_t> ids{id};
        auto exists =
            run(client_->search_count(model, odoo::Domain{}.where("id", "=", Value(id)), all));
        if (exists && *exists == 0) continue;  // the test removed it, or a cascade did
        if (model == "sale.order") {
            // Cancel (16-18 without the wizard), then remove its transfers that are not done.
            auto order = run(client_->read(model, ids, {"state", "picking_ids"}));
            if (order && !order->empty()) {
                const Value& o = (*order)[0];
                if (o["state"] != Value("draft") && o["state"] != Value("cancel")) {
                    (void)run(client_->call_action(model, "action_cancel", ids,
                                                   Struct{{"disable_cancel_warning", true}}));
                }
                auto picks = run(client_->read(
                    "stock.picking", o["picking_ids"].as_ids().value_or(ids_none()), {"state"}));
                for (const auto& p : picks ? *picks : std::vector<Value>{}) {
                    if (p["state"] == Value("done")) continue;
                    std::vector<std::int64_t> pid{p["id"].as_int().value_or(0)};
                    (void)run(client_->call(
                        odoo::Call{.model = "stock.picking", .method = "unlink", .ids = pid}));
                }
            }
        }
        auto gone = run(client_->call(odoo::Call{.model = model, .method = "unlink", .ids = ids}));
        if (gone) continue;
        if (model == "res.partner" || model == "product.product") {
            // Odoo keeps records that done transfers refer to: archive them instead.
            auto archived = run(client_->write(model, ids, Struct{{"active", false}}));
            if (archived) continue;
        }
        left.push_back(model + "(" + std::to_string(id) + "): " + gone.error().message);
    }
    created_.clear();
    return left;
}

std::vector<std::string> sweep_run_records() {
    const auto& live = live_server();
    if (!live) return {};
    Session s(Target{live->major, Protocol::json_rpc, true});
    const Value like(run_prefix() + "%");
    struct Kind {
        const char* model;
        const char* field;
    };
    // Tracked parents first: cleanup() removes newest first (orders, then partners, products).
    for (const Kind& k : {Kind{"product.product", "default_code"}, Kind{"res.partner", "name"},
                          Kind{"sale.order", "client_order_ref"}}) {
        auto found = s.run(s.client().search_read(
            k.model, odoo::Domain{}.where(k.field, "=like", like), {.fields = {"id"}}));
        if (!found) return {std::string("searching ") + k.model + ": " + found.error().message};
        for (const auto& r : *found) s.track(k.model, r["id"].as_int().value_or(0));
    }
    return s.cleanup();
}

}  // namespace clarity::contract
