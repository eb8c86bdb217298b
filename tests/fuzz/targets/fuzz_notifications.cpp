// libFuzzer target: what arrives through the seller's SQS queue — the ReceiveMessage answer and
// each message body as an SP-API notification. Decoding never throws or crashes, and a message
// always gets an idempotency key.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "clarity/amazon/notifications.hpp"
#include "clarity/amazon/sqs_consumer.hpp"

using namespace clarity::amazon;

namespace {
void notification(std::string_view body) {
    auto decoded = decode_notification(body);
    if (decoded.status == DecodeStatus::decoded && !decoded.notification) std::abort();
    if (notification_key(decoded, body).empty()) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto messages = decode_receive_message(text)) {
        for (const auto& m : *messages) notification(m.body);
    }
    notification(text);
    return 0;
}
