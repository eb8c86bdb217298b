// Mapping one 10-line canonical order to Odoo values with the default order_import template,
// beside parsing that order's SP-API JSON with nlohmann in the same run. Mapping must cost no
// more than the parse (ratio parse/mapping >= 1.0). Allocations are counted by a replaced
// global operator new.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "clarity/amazon/canonical.hpp"
#include "clarity/mapping/address.hpp"
#include "clarity/mapping/json.hpp"
#include "clarity/mapping/mapper.hpp"
#include "clarity/mapping/template.hpp"

namespace {
std::atomic<long long> g_allocations{0};
}

// The replacement pair allocates with malloc and frees with free; GCC cannot see that they
// match and warns (-Wmismatched-new-delete), so the warning is silenced for these three only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace {

using clock_type = std::chrono::steady_clock;

// An Orders 2026-01-01 order in the shape of the model's searchOrders sandbox example
// (orders_2026-01-01.json), with 10 items.
std::string ten_line_order_json() {
    nlohmann::json order = {
        {"orderId", "250-1234567-8901234"},
        {"orderAliases", {{{"aliasId", "JP-ORDER-2024-001"}, {"aliasType", "SELLER_ORDER_ID"}}}},
        {"createdTime", "2024-12-25T02:30:00Z"},
        {"lastUpdatedTime", "2024-12-25T06:45:00Z"},
        {"programs", {"PRIME"}},
        {"salesChannel",
         {{"channelName", "AMAZON"},
          {"marketplaceId", "A1VC38T7YXB528"},
          {"marketplaceName", "Amazon.co.jp"}}},
        {"buyer",
         {{"buyerName", "John Smith"}, {"buyerEmail", "buyer-email@marketplace.amazon.co.jp"}}},
        {"recipient",
         {{"deliveryAddress",
           {{"name", "John Smith"},
            {"addressLine1", "123 Business Park"},
            {"addressLine2", "Suite 456"},
            {"city", "Tokyo"},
            {"stateOrRegion", "Tokyo-to"},
            {"postalCode", "150-0002"},
            {"countryCode", "JP"},
            {"phone", "03-1234-5678"},
            {"addressType", "RESIDENTIAL"}}}}},
        {"proceeds", {{"grandTotal", {{"amount", "69800"}, {"currencyCode", "JPY"}}}}},
        {"fulfillment",
         {{"fulfillmentStatus", "UNSHIPPED"},
          {"fulfilledBy", "MERCHANT"},
          {"fulfillmentServiceLevel", "STANDARD"}}},
    };
    nlohmann::json items = nlohmann::json::array();
    for (int i = 0; i < 10; ++i) {
        const std::string n = std::to_string(i);
        nlohmann::json item = {
            {"orderItemId", "2501234567890" + n},
            {"quantityOrdered", 1 + i % 3},
            {"product",
             {{"asin", "B08C1W5N8" + n},
              {"title", "Echo Dot (4th generation) smart speaker with Alexa, charcoal " + n},
              {"sellerSku", "ECHO-DOT-4-JP-" + n},
              {"condition", {{"conditionType", "NEW"}, {"conditionSubtype", "NEW"}}},
              {"price", {{"unitPrice", {{"amount", "5980"}, {"currencyCode", "JPY"}}}}}}},
            {"proceeds",
             {{"proceedsTotal", {{"amount", "5980"}, {"currencyCode", "JPY"}}},
              {"breakdowns",
               {{{"type", "ITEM"}, {"subtotal", {{"amount", "5980"}, {"currencyCode", "JPY"}}}}}}}},
            {"promotion", {{"breakdowns", {{{"promotionId", "JP-WINTER-SALE-2024"}}}}}},
            {"fulfillment",
             {{"quantityFulfilled", 0},
              {"quantityUnfulfilled", 1},
              {"packing",
               {{"giftOption",
                 {{"giftMessage", "Happy holidays " + n}, {"giftWrapLevel", "STANDARD"}}}}}}},
        };
        items.push_back(std::move(item));
    }
    order["orderItems"] = std::move(items);
    return order.dump();
}

template <class F>
double ns_per_op(int iterations, F&& f) {
    const auto start = clock_type::now();
    for (int i = 0; i < iterations; ++i) f();
    const auto elapsed = std::chrono::duration<double, std::nano>(clock_type::now() - start);
    return elapsed.count() / iterations;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main() {
    using namespace clarity;
    const std::string json_text = ten_line_order_json();
    auto doc = mapping::parse_json(json_text);
    if (!doc) {
        std::fprintf(stderr, "bench: %s\n", doc.error().message.c_str());
        return 1;
    }
    auto order = amazon::decode_order_document(json_text);
    if (!order) {
        std::fprintf(stderr, "bench: %s\n", order.error().message.c_str());
        return 1;
    }
    if (order->ship_to) mapping::normalize_address(*order->ship_to);
    const auto tmpl = mapping::MappingTemplate::load_file(
        std::filesystem::path(CLARITY_BENCH_SOURCE_DIR) / "config/mapping/order_import.yaml");

    auto map_once = [&] {
        auto r = mapping::map_order(tmpl, *order);
        auto values = r.to_value();
        if (!r.errors.empty() || values.size() == 0) std::abort();
    };
    auto parse_once = [&] {
        auto j = nlohmann::json::parse(json_text);
        if (j.size() == 0) std::abort();
    };

    // Warm up, then count the allocations of one mapping.
    for (int i = 0; i < 200; ++i) {
        map_once();
        parse_once();
    }
    const auto before = g_allocations.load();
    map_once();
    const long long allocs_per_order = g_allocations.load() - before;
    const auto before_parse = g_allocations.load();
    parse_once();
    const long long allocs_per_parse = g_allocations.load() - before_parse;

    constexpr int kRounds = 7;
    constexpr int kIterations = 3000;
    std::vector<double> map_ns, parse_ns;
    for (int round = 0; round < kRounds; ++round) {
        parse_ns.push_back(ns_per_op(kIterations, parse_once));
        map_ns.push_back(ns_per_op(kIterations, map_once));
    }
    const double map_med = median(map_ns);
    const double parse_med = median(parse_ns);
    std::printf("order_json_bytes: %zu bytes\n", json_text.size());
    std::printf("mapping_order_10_lines: %.0f ns/order\n", map_med);
    std::printf("mapping_orders_per_second: %.0f orders/s\n", 1e9 / map_med);
    std::printf("mapping_allocations_per_order: %lld allocations\n", allocs_per_order);
    std::printf("parse_nlohmann_10_lines: %.0f ns/order\n", parse_med);
    std::printf("parse_allocations_per_order: %lld allocations\n", allocs_per_parse);
    std::printf("ratio mapping_vs_parse: %.2f (target ≥ 1.0)\n", parse_med / map_med);
    return 0;
}
