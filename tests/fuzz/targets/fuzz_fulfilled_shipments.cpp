// libFuzzer target: the Amazon Fulfilled Shipments report (a flat file Amazon generates). Never a
// crash; every entry it returns is non-empty.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "clarity/amazon/fulfilled_shipments.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto& [order, tracking] : clarity::amazon::parse_fulfilled_shipments(text)) {
        if (tracking.empty()) std::abort();
    }
    return 0;
}
