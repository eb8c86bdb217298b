// libFuzzer target: the XML-RPC decoder (Odoo's /xmlrpc/2 replies; calls for the fake's side).
// Never a crash, hang or unbounded recursion; a decoded reply re-encodes to a stable text.
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
    if (reply.has_value() != in_place.has_value()) std::abort();  // two paths, one answer
    if (reply && !reply->fault) {
        const std::string once = encode_xmlrpc_response(reply->result);
        auto again = decode_xmlrpc_response(once);
        if (!again || again->fault) std::abort();
        if (encode_xmlrpc_response(again->result) != once) std::abort();
    }
    (void)decode_xmlrpc_call(text);
    return 0;
}
