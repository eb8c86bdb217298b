#include "flow_harness.hpp"

#include <fstream>

#include "clarity/flows/order_jobs.hpp"
#include "clarity/net/http_client.hpp"
#include "clarity/store/options.hpp"
#include "support/test_env.hpp"

namespace clarity::contract {

namespace {

fakes::sp_api::FakeOptions fast_amazon() {
    fakes::sp_api::FakeOptions fo;
    fo.speed_up = 1000;
    return fo;
}

}  // namespace

FlowHarness::FlowHarness(Session& session, const std::filesystem::path& dir, Clock& clock)
    : amazon_fake(clock, fast_amazon()), session_(session), dir_(dir) {
    http_ = net::make_http_client(session.io().get_executor(), net::HttpClientOptions{});
    amazon::AmazonOptions a = amazon_fake.client_options({"ATVPDKIKX0DER"});
    lwa_.emplace(*http_, clock, fakes::sp_api::FakeSpApi::lwa_options(a), &metrics);
    sp.emplace(*http_, *lwa_, quota, clock, random, metrics, a);
    store::StoreOptions so;
    so.path = (dir / "store.db").string();
    store = store::open_store(so, {clock, random, &metrics});
    async_store = std::make_unique<store::AsyncStore>(*store);
}

std::shared_ptr<const mapping::MappingTemplate> FlowHarness::order_template() const {
    const auto path = dir_ / "order_import.yaml";
    std::ofstream(path) << "extends: "
                        << (test::source_dir() / "config/mapping/order_import.yaml").string()
                        << "\nfields:\n  x_studio_amazon_order_type: ~\n"
                           "lines:\n  fields:\n    x_studio_gift_message: ~\n"
                           "    x_studio_personalization: ~\n";
    return std::make_shared<const mapping::MappingTemplate>(
        mapping::MappingTemplate::load_file(path));
}

void FlowHarness::enqueue_order(const std::string& order_id) {
    refs.push_back(order_id);
    flows::OrderJob j;
    j.amazon_order_id = order_id;
    j.marketplace_id = "ATVPDKIKX0DER";
    j.change_time = "2026-11-01T10:05:00Z";
    j.source = "sweep";
    auto job = flows::make_order_job("us", j);
    if (!job || !store->enqueue(*job)) throw std::runtime_error("cannot enqueue " + order_id);
}

void FlowHarness::track_sale_orders() {
    for (const auto& ref : refs) {
        auto found = session_.run(session_.client().search_read(
            "sale.order", odoo::Domain{}.where("client_order_ref", "=", ref), {.fields = {"id"}}));
        if (!found) continue;
        for (const auto& r : *found) session_.track("sale.order", r["id"].as_int().value_or(0));
    }
}

}  // namespace clarity::contract
