#include "clarity/amazon/sqs_consumer.hpp"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/use_awaitable.hpp>

#include "clarity/core/log.hpp"
#include "json_util.hpp"

// AWS JSON protocol for SQS: NOTES.md §6.3 (POST /, Content-Type application/x-amz-json-1.0,
// X-Amz-Target AmazonSQS.<Action>, SigV4 service "sqs").

namespace clarity::amazon {

namespace asio = boost::asio;
using detail::json;

namespace {

std::string md5_hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_md5(), nullptr);
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) {
        hex.push_back(kDigits[out[i] >> 4]);
        hex.push_back(kDigits[out[i] & 0x0f]);
    }
    return hex;
}

Error classify_sqs(const net::HttpResponse& r, const std::string& action) {
    auto j = detail::parse_json(r.body);
    std::string type = j.is_object() ? detail::str(j, "__type") : "";
    std::string message = j.is_object() ? detail::str(j, "message") : "";
    if (message.empty() && j.is_object()) message = detail::str(j, "Message");
    auto hash = type.find('#');
    std::string code = hash == std::string::npos ? type : type.substr(hash + 1);
    Error e;
    e.http_status = r.status;
    e.context = "sqs " + action;
    e.request_id = std::string(r.header("x-amzn-RequestId").value_or(""));
    std::string what = code.empty() ? "HTTP " + std::to_string(r.status) : code;
    if (!message.empty()) what += ": " + message;
    if (code == "InvalidSignatureException" || code == "SignatureDoesNotMatch" ||
        code == "InvalidClientTokenId" || code == "ExpiredToken" ||
        code == "UnrecognizedClientException" || code == "AccessDenied" ||
        code == "AccessDeniedException" || r.status == 403 || r.status == 401) {
        e.kind = ErrorKind::auth;
        e.message = "SQS refused the credentials (" + what +
                    "); check sqs access_key_id/secret_access_key/session_token and the queue "
                    "policy";
    } else if (r.status == 429 || code == "RequestThrottled" || code == "ThrottlingException") {
        e.kind = ErrorKind::rate_limited;
        e.message = "SQS throttled " + action + " (" + what + ")";
    } else if (r.status >= 500) {
        e.kind = ErrorKind::transient;
        e.message = "SQS is unavailable (" + what + ")";
    } else {
        e.kind = ErrorKind::permanent;
        e.message = "SQS rejected " + action + " (" + what + ")";
        if (code.find("QueueDoesNotExist") != std::string::npos) {
            e.message += "; check sqs.queue_url and sqs.region";
        }
    }
    return e;
}

}  // namespace

SqsEndpoint SqsEndpoint::from_options(const AmazonOptions& o) {
    SqsEndpoint e;
    e.base_url = o.sqs_base_url();
    e.region = o.sqs_region();
    e.queue_url = o.sqs.queue_url;
    e.credentials = {o.sqs.access_key_id, o.sqs.secret_access_key, o.sqs.session_token};
    e.max_messages = o.sqs.max_messages;
    e.wait_time = o.sqs.wait_time;
    e.visibility_timeout = o.sqs.visibility_timeout;
    return e;
}

SqsClient::SqsClient(net::HttpClient& http, const Clock& clock, SqsEndpoint endpoint)
    : http_(http), clock_(clock), endpoint_(std::move(endpoint)) {
    while (!endpoint_.base_url.empty() && endpoint_.base_url.back() == '/') {
        endpoint_.base_url.pop_back();
    }
}

asio::awaitable<Result<std::string>> SqsClient::post(std::string action, std::string body) {
    net::HttpRequest req;
    req.method = "POST";
    req.url = endpoint_.base_url + "/";
    req.headers = {{"Content-Type", "application/x-amz-json-1.0"},
                   {"X-Amz-Target", "AmazonSQS." + action}};
    req.body = std::move(body);
    req.timeout = endpoint_.wait_time + std::chrono::seconds(10);
    req.idempotent = true;
    sign_request(req, endpoint_.credentials,
                 {endpoint_.region, "sqs", clock_.now(), true, false, false});
    auto resp = co_await http_.send(std::move(req));
    if (!resp) co_return resp.error();
    if (resp->status != 200) co_return classify_sqs(*resp, action);
    co_return std::move(resp->body);
}

asio::awaitable<Result<std::vector<SqsMessage>>> SqsClient::receive() {
    json body{{"QueueUrl", endpoint_.queue_url},
              {"MaxNumberOfMessages", endpoint_.max_messages},
              {"WaitTimeSeconds", endpoint_.wait_time.count()},
              {"VisibilityTimeout", endpoint_.visibility_timeout.count()},
              {"MessageSystemAttributeNames", {"ApproximateReceiveCount"}}};
    std::string action = "ReceiveMessage";
    std::string payload = body.dump();
    auto resp = co_await post(std::move(action), std::move(payload));
    if (!resp) co_return resp.error();
    co_return decode_receive_message(*resp);
}

asio::awaitable<Result<void>> SqsClient::delete_message(std::string receipt_handle) {
    json body{{"QueueUrl", endpoint_.queue_url}, {"ReceiptHandle", receipt_handle}};
    std::string action = "DeleteMessage";
    std::string payload = body.dump();
    auto resp = co_await post(std::move(action), std::move(payload));
    if (!resp) co_return resp.error();
    co_return Result<void>{};
}

asio::awaitable<Result<void>> SqsClient::change_visibility(std::string receipt_handle,
                                                           std::chrono::seconds timeout) {
    json body{{"QueueUrl", endpoint_.queue_url},
              {"ReceiptHandle", receipt_handle},
              {"VisibilityTimeout", timeout.count()}};
    std::string action = "ChangeMessageVisibility";
    std::string payload = body.dump();
    auto resp = co_await post(std::move(action), std::move(payload));
    if (!resp) co_return resp.error();
    co_return Result<void>{};
}

SqsConsumer::SqsConsumer(SqsClient& sqs,
                         core::MetricsRegistry& metrics,
                         NotificationHandler handler,
                         MalformedHandler malformed)
    : sqs_(sqs),
      metrics_(metrics),
      handler_(std::move(handler)),
      malformed_(std::move(malformed)) {}

asio::awaitable<Result<PollStats>> SqsConsumer::poll_once() {
    auto log = core::logger("amazon.sqs");
    auto count = [&](const std::string& outcome, const std::string& type) {
        metrics_
            .counter("clarity_amazon_notifications_total", "SQS notifications by outcome and type",
                     {{"outcome", outcome}, {"type", type}})
            .inc();
    };
    PollStats stats;
    auto batch = co_await sqs_.receive();
    if (!batch) co_return batch.error();
    for (auto& msg : *batch) {
        ++stats.received;
        bool remove = false;
        if (!msg.md5_of_body.empty() && md5_hex(msg.body) != msg.md5_of_body) {
            // Corrupted in transit: leave it, SQS redelivers after the visibility timeout.
            ++stats.failed;
            count("md5_mismatch", "");
            log->warn("SQS message {} body does not match MD5OfBody; left for redelivery",
                      msg.message_id);
            continue;
        }
        auto decoded = decode_notification(msg.body);
        const auto type = decoded.notification_type.empty() ? "unknown" : decoded.notification_type;
        if (decoded.status == DecodeStatus::unknown_type) {
            ++stats.unknown;
            count("unknown_type", type);
            log->info("skipping notification type {} (message {})", type, msg.message_id);
            remove = true;
        } else if (decoded.status == DecodeStatus::malformed) {
            ++stats.malformed;
            count("malformed", type);
            log->warn("malformed notification in message {}: {}", msg.message_id, decoded.reason);
            if (malformed_) {
                std::string body = msg.body, reason = decoded.reason, id = msg.message_id;
                auto kept = co_await malformed_(std::move(body), std::move(reason), std::move(id));
                remove = kept.has_value();
            }
        } else {
            Notification note = std::move(*decoded.notification);
            auto handled = co_await handler_(std::move(note));
            if (handled) {
                ++stats.handled;
                count("handled", type);
                remove = true;
            } else {
                ++stats.failed;
                count("handler_failed", type);
                log->warn("handler failed for message {} ({}): {}", msg.message_id, type,
                          handled.error().describe());
                // Hide it for a while that grows with the receive count, then it comes back.
                auto backoff =
                    std::chrono::seconds(std::min(900, 30 * std::max(1, msg.receive_count)));
                std::string handle = msg.receipt_handle;
                auto changed = co_await sqs_.change_visibility(std::move(handle), backoff);
                if (!changed)
                    log->warn("ChangeMessageVisibility failed: {}", changed.error().describe());
            }
        }
        if (remove) {
            std::string handle = msg.receipt_handle;
            auto deleted = co_await sqs_.delete_message(std::move(handle));
            if (deleted) {
                ++stats.deleted;
            } else {
                // The handler's effect is durable and idempotent: redelivery is harmless.
                log->warn("DeleteMessage failed for {}: {}", msg.message_id,
                          deleted.error().describe());
            }
        }
    }
    co_return stats;
}

}  // namespace clarity::amazon
