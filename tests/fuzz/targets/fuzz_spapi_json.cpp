// libFuzzer target: the SP-API JSON decoders the daemon feeds with Amazon's answers — Orders
// 2026-01-01 and v0 (orders, order items), their canonical conversion, and the Reports metadata
// (report list, report, document location). The first byte picks the decoder, the rest is the body.
#include <cstdint>
#include <string_view>

#include "clarity/amazon/canonical.hpp"
#include "clarity/amazon/fba_inventory_api.hpp"
#include "clarity/amazon/feeds_api.hpp"
#include "clarity/amazon/finances_api.hpp"
#include "clarity/amazon/fulfillment_outbound_api.hpp"
#include "clarity/amazon/listings_items_api.hpp"
#include "clarity/amazon/orders.hpp"
#include "clarity/amazon/reports_api.hpp"

using namespace clarity::amazon;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (data[0] % 8) {
        case 0:
            if (auto page = decode_search_orders(body)) {
                for (const auto& o : page->orders) (void)to_canonical(o);
            }
            break;
        case 1:
            if (auto o = decode_get_order(body)) (void)to_canonical(*o);
            break;
        case 2:
            (void)decode_get_orders_v0(body);
            break;
        case 3:
            if (auto o = decode_get_order_v0(body)) (void)to_canonical(*o, {});
            break;
        case 4:
            (void)decode_get_order_items_v0(body);
            break;
        case 5:
            (void)decode_reports(body);
            (void)decode_report(body);
            break;
        case 6:
            (void)decode_document_location(body, "reportDocumentId");
            break;
        default:
            (void)decode_order_document(body);
            break;
    }
    return 0;
}
