// libFuzzer target: the Odoo JSON codec (JSON-RPC envelopes and JSON-2 bodies are untrusted
// replies). It must never crash, hang or recurse without bound, and what it decodes must encode
// to text that decodes to the same value (encode ∘ decode is stable).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "clarity/odoo/codec.hpp"

using namespace clarity::odoo;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto v = from_json(text)) {
        const std::string once = to_json(*v);
        auto again = from_json(once);
        if (!again) std::abort();  // our own output must parse
        if (to_json(*again) != once) std::abort();
    }
    (void)decode_jsonrpc_reply(text);
    return 0;
}
