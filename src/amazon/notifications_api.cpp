#include "clarity/amazon/notifications_api.hpp"

#include "json_util.hpp"

namespace clarity::amazon {
namespace {

using namespace detail;

Destination destination_of(const json& d) {
    Destination out{str(d, "destinationId"), str(d, "name"), {}, {}, {}, {}};
    if (auto* r = member(d, "resource")) {
        if (auto* s = member(*r, "sqs")) out.sqs_arn = str(*s, "arn");
        if (auto* e = member(*r, "eventBridge")) {
            out.event_bridge_region = str(*e, "region");
            out.event_bridge_account_id = str(*e, "accountId");
            out.event_bridge_name = str(*e, "name");
        }
    }
    return out;
}

}  // namespace

Result<std::vector<Destination>> decode_destinations(std::string_view body) {
    auto j = parse_body(body, "getDestinations");
    if (!j) return j.error();
    auto* p = member(j->v, "payload");
    if (p == nullptr || !p->is_array()) return missing_field("getDestinations", "payload");
    std::vector<Destination> out;
    for (const auto& d : *p) out.push_back(destination_of(d));
    return out;
}

Result<Destination> decode_destination(std::string_view body) {
    auto j = parse_body(body, "createDestination");
    if (!j) return j.error();
    auto* p = member(j->v, "payload");
    if (p == nullptr) return missing_field("createDestination", "payload");
    return destination_of(*p);
}

Result<Subscription> decode_subscription(std::string_view body) {
    auto j = parse_body(body, "subscription");
    if (!j) return j.error();
    auto* p = member(j->v, "payload");
    if (p == nullptr) return missing_field("subscription", "payload");
    return Subscription{str(*p, "subscriptionId"), str(*p, "payloadVersion"),
                        str(*p, "destinationId")};
}

std::string encode_create_destination(std::string_view name, std::string_view sqs_arn) {
    return json{{"name", name}, {"resourceSpecification", {{"sqs", {{"arn", sqs_arn}}}}}}.dump();
}

std::string encode_create_subscription(const CreateSubscriptionRequest& r) {
    json body{{"payloadVersion", r.payload_version}, {"destinationId", r.destination_id}};
    if (r.notification_type == "ORDER_CHANGE" &&
        (!r.order_change_types.empty() || !r.marketplace_ids.empty())) {
        json filter{{"eventFilterType", "ORDER_CHANGE"}};
        if (!r.order_change_types.empty()) filter["orderChangeTypes"] = r.order_change_types;
        if (!r.marketplace_ids.empty()) filter["marketplaceIds"] = r.marketplace_ids;
        body["processingDirective"] = {{"eventFilter", filter}};
    }
    return body.dump();
}

}  // namespace clarity::amazon
