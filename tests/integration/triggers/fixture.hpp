#pragma once
// Shared by the wiring and CLI tests: a fake SP-API (LWA, searchOrders, SQS) and a fake Odoo on
// loopback, and a configuration file pointing the daemon at them.
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "clarity/core/clock.hpp"
#include "odoo/fake_odoo.hpp"
#include "sp_api/fake_sp_api.hpp"
#include "support/temp_dir.hpp"
#include "support/test_env.hpp"

namespace clarity::test {

inline fakes::sp_api::FakeOptions fast_sp_api() {
    fakes::sp_api::FakeOptions fo;
    fo.speed_up = 1000;
    return fo;
}

inline fakes::sp_api::SeedOrder seed_order(std::string id, std::string updated) {
    fakes::sp_api::SeedOrder o;
    o.order_id = std::move(id);
    o.last_updated_time = std::move(updated);
    fakes::sp_api::SeedItem item;
    item.order_item_id = o.order_id + "-1";
    item.seller_sku = "SKU-A";
    item.asin = "B000000001";
    item.title = "Mug";
    o.items = {item};
    return o;
}

/// The model's ORDER_CHANGE example for the fake's seller (the daemon refuses other sellers).
inline std::string order_change(const std::string& notification_id,
                                const std::string& order_id,
                                const std::string& time) {
    auto s = nlohmann::json::parse(read_file(
        data_dir() / "sp-api/schemas/notifications/OrderChangeNotification.json"));
    auto n = s["examples"][0];
    n["Payload"]["OrderChangeNotification"]["SellerId"] = fakes::sp_api::FakeOptions{}.seller_id;
    n["NotificationMetadata"]["NotificationId"] = notification_id;
    n["Payload"]["OrderChangeNotification"]["AmazonOrderId"] = order_id;
    n["Payload"]["OrderChangeNotification"]["OrderChangeTrigger"]["TimeOfOrderChange"] = time;
    return n.dump();
}

struct ConfigParts {
    bool flow_enabled = false;
    std::string triggers = "{initial_lookback: 3650d, sweep_interval: 1h}";
    std::string extra_template_field;  ///< e.g. "  x_not_there: {from: order.amazon_order_id}\n"
};

/// Writes DIR/config.yaml (and DIR/order_import.yaml) for the fakes; returns the config path.
inline std::filesystem::path write_config(const TempDir& dir,
                                          const fakes::sp_api::FakeSpApi& amazon,
                                          const std::string& odoo_url,
                                          const ConfigParts& parts = {}) {
    {
        std::ofstream t(dir / "order_import.yaml");
        t << "flow: order_import\nsource: order\ntarget: sale.order\nfields:\n"
             "  client_order_ref: {from: order.amazon_order_id, required: true}\n"
          << parts.extra_template_field;
    }
    const auto& o = amazon.options();
    std::ofstream f(dir / "config.yaml");
    f << "store: {path: " << (dir / "store.db").string() << "}\n"
      << "admin: {listen: \"127.0.0.1:0\"}\n"
      << "log: {level: warn}\n"
      << "daemon: {shutdown_timeout: 5s}\n"
      << "engine: {poll_interval: 100ms}\n"
      << "connections:\n"
      << "  - name: eu\n"
      << "    odoo: {url: \"" << odoo_url << "\", database: clarity, username: admin, "
      << "api_key: 0123456789abcdef0123456789abcdef01234567, protocol: json-rpc}\n"
      << "    amazon:\n"
      << "      region: na\n"
      << "      seller_id: " << o.seller_id << "\n"
      << "      marketplaces: [ATVPDKIKX0DER]\n"
      << "      lwa_client_id: " << o.client_id << "\n"
      << "      lwa_client_secret: " << o.client_secret << "\n"
      << "      refresh_token: \"" << o.refresh_token << "\"\n"
      << "      endpoint: \"" << amazon.base_url() << "\"\n"
      << "      lwa_endpoint: \"" << amazon.lwa_url() << "\"\n"
      << "      rate_scale: 1000\n"
      << "      timeout: 5s\n"
      << "      sqs: {queue_url: \"" << amazon.queue_url() << "\", endpoint: \"" << amazon.sqs_url()
      << "\", region: us-east-1, access_key_id: " << o.aws_access_key_id
      << ", secret_access_key: " << o.aws_secret_access_key << ", wait_time: 0s}\n"
      << "    mapping: {templates: {order_import: " << (dir / "order_import.yaml").string()
      << "}}\n"
      << "    flows: {order_import: {enabled: " << (parts.flow_enabled ? "true" : "false") << "}}\n"
      << "    triggers: {orders: " << parts.triggers << "}\n";
    return dir / "config.yaml";
}

}  // namespace clarity::test
