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

}  // namespace clarity::amazon
