// libFuzzer target: the XML-RPC decoder (Odoo's /xmlrpc/2 replies; calls for the fake's side).
// Never a crash, hang or unbounded recursion; a decoded reply re-encodes to text that decodes
// again, and after that first round (which drops what XML cannot carry, e.g. control characters
// in names) encoding is stable.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "clarity/odoo/codec.hpp"

using namespace clarity::odoo;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto reply = decode_xmlrpc_response(text);
    std::string copy(text);
    auto in_place = decode_xmlrpc_response_in_place(copy);
    // The two paths parse with different pugixml flags and may disagree on malformed input (one
    // refuses what the other accepts); the client uses the in-place one, checked below.
    if (in_place && !in_place->fault) {
        const std::string once = encode_xmlrpc_response(in_place->result);
        auto again = decode_xmlrpc_response(once);
        if (!again || again->fault) std::abort();  // our own output must decode
        const std::string twice = encode_xmlrpc_response(again->result);
        auto third = decode_xmlrpc_response(twice);
        if (!third || third->fault) std::abort();
        if (encode_xmlrpc_response(third->result) != twice) std::abort();
    }
    (void)decode_xmlrpc_call(text);
    return 0;
}
