#pragma once
/// \file
/// SP-API notifications through the seller's SQS queue: a minimal SQS client (AWS JSON protocol:
/// AmazonSQS.ReceiveMessage / DeleteMessage / ChangeMessageVisibility, SigV4-signed) and a
/// consumer that decodes each message and hands it to a handler. A message is deleted only after
/// its handler succeeded (ack after effect): the daemon's handler enqueues the job durably, and
/// reports an already-enqueued message (redelivery) as success, so it ends deleted too.
/// An unknown notification type is counted and deleted; a malformed body goes to the malformed
/// handler (kept for inspection) or, without one, stays in the queue for its redrive policy.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/amazon/config.hpp"
#include "clarity/amazon/notifications.hpp"
#include "clarity/amazon/sigv4.hpp"
#include "clarity/core/clock.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/core/result.hpp"
#include "clarity/net/http.hpp"

namespace clarity::amazon {

struct SqsMessage {
    std::string message_id, receipt_handle, body, md5_of_body;
    int receive_count = 0;  ///< ApproximateReceiveCount
};

/// The messages of an AmazonSQS.ReceiveMessage answer (AWS JSON protocol). A body that is not a
/// JSON object is a transient error (a reply cut short; the next poll asks again).
Result<std::vector<SqsMessage>> decode_receive_message(std::string_view body);

/// Where and as whom to talk to SQS.
struct SqsEndpoint {
    std::string base_url;   ///< https://sqs.us-east-1.amazonaws.com (or a fake's URL)
    std::string region;     ///< signing region
    std::string queue_url;  ///< sent in every request body
    AwsCredentials credentials;
    int max_messages = 10;
    std::chrono::seconds wait_time{20};
    std::chrono::seconds visibility_timeout{120};

    static SqsEndpoint from_options(const AmazonOptions& options);
};

/// Thread-safe (stateless apart from its configuration).
class SqsClient {
  public:
    SqsClient(net::HttpClient& http, const Clock& clock, SqsEndpoint endpoint);

    /// One long poll. Errors: auth (bad keys / signature), permanent (queue missing), transient.
    boost::asio::awaitable<Result<std::vector<SqsMessage>>> receive();
    boost::asio::awaitable<Result<void>> delete_message(std::string receipt_handle);
    boost::asio::awaitable<Result<void>> change_visibility(std::string receipt_handle,
                                                           std::chrono::seconds timeout);
    const SqsEndpoint& endpoint() const noexcept { return endpoint_; }

  private:
    boost::asio::awaitable<Result<std::string>> post(std::string target, std::string body);

    net::HttpClient& http_;
    const Clock& clock_;
    SqsEndpoint endpoint_;
};

/// Handles one decoded notification; success means "durably taken over" (or already was).
using NotificationHandler = std::function<boost::asio::awaitable<Result<void>>(Notification)>;
/// Keeps a malformed body for inspection (e.g. as a dead letter); success deletes the message.
using MalformedHandler = std::function<boost::asio::awaitable<Result<void>>(
    std::string body, std::string reason, std::string message_id)>;

struct PollStats {
    int received = 0, handled = 0, unknown = 0, malformed = 0, failed = 0, deleted = 0;
};

class SqsConsumer {
  public:
    SqsConsumer(SqsClient& sqs,
                core::MetricsRegistry& metrics,
                NotificationHandler handler,
                MalformedHandler malformed = {});

    /// Receives one batch and processes it. (The daemon's loop around it, with its backoff after
    /// a failed receive, is in src/app/wiring.cpp.)
    boost::asio::awaitable<Result<PollStats>> poll_once();

  private:
    SqsClient& sqs_;
    core::MetricsRegistry& metrics_;
    NotificationHandler handler_;
    MalformedHandler malformed_;
};

}  // namespace clarity::amazon
