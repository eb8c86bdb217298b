#pragma once
/// \file
/// Feeds API 2021-06-30 (createFeedDocument, createFeed, getFeed, getFeedDocument) and the
/// JSON_LISTINGS_FEED processing report: structs and codecs. No payload wrapper.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/amazon/reports_api.hpp"
#include "clarity/core/result.hpp"

namespace clarity::amazon {

struct FeedDocumentUpload {
    std::string feed_document_id;
    std::string url;           ///< presigned, expires in 5 min
    std::string content_type;  ///< must be sent unchanged with the PUT
};

struct FeedStatus {
    std::string feed_id, feed_type, processing_status;  ///< IN_QUEUE..DONE|FATAL|CANCELLED
    std::string result_feed_document_id, created_time, processing_end_time;
};

struct ListingsFeedIssue {
    std::int64_t message_id = 0;
    std::string sku, code, severity, message;
};

/// JSON_LISTINGS_FEED processing report (schemas/feeds/listings-feed-processing-report-schema-v2).
struct ListingsFeedReport {
    std::string feed_id, report_status;
    std::int64_t errors = 0, warnings = 0, messages_processed = 0, messages_accepted = 0,
                 messages_invalid = 0;
    std::vector<ListingsFeedIssue> issues;
};

Result<FeedDocumentUpload> decode_feed_document_upload(std::string_view body,
                                                       std::string content_type);
Result<std::string> decode_create_feed(std::string_view body);
Result<FeedStatus> decode_feed(std::string_view body);
Result<ListingsFeedReport> decode_listings_feed_report(std::string_view body);

// ---- POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA (seller cancellations) ---------------------------

inline constexpr const char* kOrderAcknowledgementFeed =
    "POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA";
inline constexpr const char* kOrderAcknowledgementContentType =
    "text/tab-separated-values; charset=UTF-8";

/// One order the seller cancels (the whole order: no item code).
struct OrderCancellation {
    std::string order_id;
    std::string reason_code;  ///< NoInventory, ShippingAddressUndeliverable, BuyerCanceled, ...
};
/// The reason codes of the order acknowledgement feed's cancellation-reason-code.
const std::vector<std::string>& cancellation_reason_codes();
/// The feed's tab-separated document: header `order-id cancellation-reason-code
/// amazon-order-item-code`, one row per order.
std::string encode_order_cancellations(const std::vector<OrderCancellation>& orders);

/// One row of a flat-file feed's processing report that names an error or a warning.
struct FlatFileFeedProblem {
    std::string record;               ///< original-record-number
    std::string order_id;             ///< order-id (empty when the report has no such column)
    std::string code, type, message;  ///< error-code, error-type (Error|Warning), error-message
};
/// The problem rows of a flat-file feed's processing report: the tab-separated table whose
/// header names `error-message` (the lines before it, "Feed Processing Summary", are skipped).
/// Tolerant of column order and extra columns; no such table: no problem. Never fails.
std::vector<FlatFileFeedProblem> decode_flat_file_processing_report(std::string_view text);

}  // namespace clarity::amazon
