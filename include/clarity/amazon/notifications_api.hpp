#pragma once
/// \file
/// Notifications API v1 structs: destinations (grantless) and subscriptions (seller token).
/// Responses are wrapped in `payload` (models/notifications-api-model/notifications.json).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/core/result.hpp"

namespace clarity::amazon {

struct Destination {
    std::string destination_id, name;
    std::string sqs_arn;  ///< resource.sqs.arn (empty for EventBridge)
    std::string event_bridge_region, event_bridge_account_id, event_bridge_name;
};

struct Subscription {
    std::string subscription_id, payload_version, destination_id;
};

struct CreateSubscriptionRequest {
    std::string notification_type;  ///< ORDER_CHANGE, ...
    std::string payload_version = "1.0";
    std::string destination_id;
    /// ORDER_CHANGE event filter (optional): orderChangeTypes and marketplaceIds.
    std::vector<std::string> order_change_types;
    std::vector<std::string> marketplace_ids;
};

Result<std::vector<Destination>> decode_destinations(std::string_view body);
Result<Destination> decode_destination(std::string_view body);
Result<Subscription> decode_subscription(std::string_view body);
std::string encode_create_destination(std::string_view name, std::string_view sqs_arn);
std::string encode_create_subscription(const CreateSubscriptionRequest& request);

}  // namespace clarity::amazon
