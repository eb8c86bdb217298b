#include "clarity/amazon/sqs_consumer.hpp"
#include "json_util.hpp"

namespace clarity::amazon {

using detail::json;

Result<std::vector<SqsMessage>> decode_receive_message(std::string_view body) {
    auto j = detail::parse_json(body);
    if (j.is_discarded() || !j.is_object()) {
        return make_error(ErrorKind::transient, "SQS ReceiveMessage answered malformed JSON",
                          "sqs ReceiveMessage");
    }
    std::vector<SqsMessage> out;
    for (const auto& m : detail::array_or_empty(j, "Messages")) {
        SqsMessage msg{detail::str(m, "MessageId"), detail::str(m, "ReceiptHandle"),
                       detail::str(m, "Body"), detail::str(m, "MD5OfBody"), 0};
        if (auto* a = detail::member(m, "Attributes")) {
            msg.receive_count = static_cast<int>(detail::integer(*a, "ApproximateReceiveCount"));
        }
        out.push_back(std::move(msg));
    }
    return out;
}

}  // namespace clarity::amazon
