// Feeds API 2021-06-30 codecs: see clarity/amazon/feeds_api.hpp.
#include "clarity/amazon/feeds_api.hpp"

#include "json_util.hpp"
#include "query.hpp"

namespace clarity::amazon {

using namespace detail;

Result<FeedDocumentUpload> decode_feed_document_upload(std::string_view body,
                                                       std::string content_type) {
    auto j = parse_body(body, "createFeedDocument");
    if (!j) return j.error();
    FeedDocumentUpload d{str(j->v, "feedDocumentId"), str(j->v, "url"), std::move(content_type)};
    if (d.feed_document_id.empty()) return missing_field("createFeedDocument", "feedDocumentId");
    if (d.url.empty()) return missing_field("createFeedDocument", "url");
    return d;
}

Result<std::string> decode_create_feed(std::string_view body) {
    auto j = parse_body(body, "createFeed");
    if (!j) return j.error();
    auto id = str(j->v, "feedId");
    if (id.empty()) return missing_field("createFeed", "feedId");
    return id;
}

Result<FeedStatus> decode_feed(std::string_view body) {
    auto j = parse_body(body, "getFeed");
    if (!j) return j.error();
    FeedStatus f{str(j->v, "feedId"),           str(j->v, "feedType"),
                 str(j->v, "processingStatus"), str(j->v, "resultFeedDocumentId"),
                 str(j->v, "createdTime"),      str(j->v, "processingEndTime")};
    if (f.feed_id.empty()) return missing_field("getFeed", "feedId");
    return f;
}

Result<ListingsFeedReport> decode_listings_feed_report(std::string_view body) {
    auto j = parse_body(body, "listings feed processing report");
    if (!j) return j.error();
    ListingsFeedReport r;
    if (auto* h = member(j->v, "header")) {
        r.feed_id = str(*h, "feedId");
        r.report_status = str(*h, "status");
    }
    if (auto* s = member(j->v, "summary")) {
        r.errors = integer(*s, "errors");
        r.warnings = integer(*s, "warnings");
        r.messages_processed = integer(*s, "messagesProcessed");
        r.messages_accepted = integer(*s, "messagesAccepted");
        r.messages_invalid = integer(*s, "messagesInvalid");
    }
    for (const auto& i : array_or_empty(j->v, "issues")) {
        r.issues.push_back({integer(i, "messageId"), str(i, "sku"), str(i, "code"),
                            str(i, "severity"), str(i, "message")});
    }
    return r;
}

const std::vector<std::string>& cancellation_reason_codes() {
    static const std::vector<std::string> codes{"NoInventory",
                                                "ShippingAddressUndeliverable",
                                                "CustomerExchange",
                                                "BuyerCanceled",
                                                "GeneralAdjustment",
                                                "CarrierCreditDecision",
                                                "RiskAssessmentInformationNotValid",
                                                "CarrierCoverageFailure",
                                                "CustomerReturn",
                                                "MerchandiseNotReceived"};
    return codes;
}

std::string encode_order_cancellations(const std::vector<OrderCancellation>& orders) {
    std::string out = "order-id\tcancellation-reason-code\tamazon-order-item-code\n";
    for (const auto& o : orders) out += o.order_id + "\t" + o.reason_code + "\t\n";
    return out;
}

namespace {

std::vector<std::string> split_tabs(std::string_view line) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        const auto tab = line.find('\t', start);
        out.emplace_back(
            line.substr(start, tab == std::string_view::npos ? line.npos : tab - start));
        if (tab == std::string_view::npos) break;
        start = tab + 1;
    }
    return out;
}

}  // namespace

std::vector<FlatFileFeedProblem> decode_flat_file_processing_report(std::string_view text) {
    std::vector<FlatFileFeedProblem> out;
    std::vector<std::string> header;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (header.empty()) {
            if (line.find("error-message") != std::string_view::npos) header = split_tabs(line);
            continue;
        }
        if (line.empty()) continue;
        const auto cells = split_tabs(line);
        auto cell = [&](std::string_view name) -> std::string {
            for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) {
                if (header[i] == name) return cells[i];
            }
            return {};
        };
        out.push_back({cell("original-record-number"), cell("order-id"), cell("error-code"),
                       cell("error-type"), cell("error-message")});
    }
    return out;
}

}  // namespace clarity::amazon
