#pragma once
// Loads x-amzn-api-sandbox static responses from the SP-API models in tests/data/sp-api.
#include <map>
#include <memory>
#include <string>

#include "clarity/mapping/json.hpp"
#include "clarity/model/value.hpp"
#include "support/test_env.hpp"

namespace clarity::test {

inline const model::Value& orders_model(const std::string& file) {
    static std::map<std::string, model::Value> cache;
    auto it = cache.find(file);
    if (it == cache.end()) {
        const auto text =
            read_file(data_dir() / "sp-api/models/orders-api-model" / file);
        it = cache.emplace(file, mapping::parse_json(text).value()).first;
    }
    return it->second;
}

/// The `index`-th static sandbox response of `method path` with HTTP `code`.
inline std::shared_ptr<const model::Value> sandbox_response(const std::string& file,
                                                            const std::string& path,
                                                            const std::string& method,
                                                            const std::string& code,
                                                            int index) {
    const model::Value& m = orders_model(file);
    const model::Value* op = m.find("paths")->find(path)->find(method);
    const model::Value* stat =
        op->find("responses")->find(code)->find("x-amzn-api-sandbox")->find("static");
    return std::make_shared<const model::Value>(*stat->items().at(index).find("response"));
}

inline std::shared_ptr<const model::Value> v2026_get_order(int index) {
    return sandbox_response("orders_2026-01-01.json", "/orders/2026-01-01/orders/{orderId}", "get",
                            "200", index);
}

inline std::shared_ptr<const model::Value> v0(const std::string& path) {
    return sandbox_response("ordersV0.json", path, "get", "200", 0);
}

}  // namespace clarity::test
