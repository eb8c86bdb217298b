#pragma once
/// \file
/// Structs and codecs of the other SP-API operations the daemon uses: FBA Inventory v1, Listings
/// Items 2021-08-01, Feeds and Reports 2021-06-30, Finances v0 and 2024-06-19, Fulfillment
/// Outbound 2020-07-01. Decoded from the models in ../shared/reference/sp-api/models (NOTES.md
/// §5, §7–§10). Decoders tolerate unknown fields; malformed JSON is a `permanent` error.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/core/result.hpp"
#include "clarity/model/money.hpp"

namespace clarity::amazon {

// ---- FBA Inventory v1 (payload wrapper, pagination at the top level)
// -----------------------------

struct InventorySummariesRequest {
    std::string marketplace_id;  ///< granularityId and marketplaceIds (one)
    bool details = true;
    std::optional<std::string> start_date_time;
    std::vector<std::string> seller_skus;   ///< <= 50
    std::optional<std::string> next_token;  ///< expires after 30 s
};

struct InventorySummary {
    std::string asin, fn_sku, seller_sku, condition, last_updated_time, product_name;
    std::int64_t total_quantity = 0;
    std::int64_t fulfillable = 0, inbound_working = 0, inbound_shipped = 0, inbound_receiving = 0;
    std::int64_t reserved_total = 0, pending_customer_order = 0, researching = 0,
                 unfulfillable_total = 0;
};

struct InventoryPage {
    std::vector<InventorySummary> summaries;
    std::optional<std::string> next_token;
};

Result<InventoryPage> decode_inventory_summaries(std::string_view body);
std::string encode_inventory_query(const InventorySummariesRequest& request);

// ---- Listings Items 2021-08-01 -----------------------------------------------------------------

struct ListingsSummary {
    std::string marketplace_id, asin, product_type, condition_type, item_name;
    std::vector<std::string> status;  ///< BUYABLE, DISCOVERABLE
};

struct ListingsIssue {
    std::string code, message, severity;  ///< severity ERROR | WARNING | INFO
    std::vector<std::string> attribute_names;
};

struct ListingsItem {
    std::string sku;
    std::vector<ListingsSummary> summaries;
    std::vector<ListingsIssue> issues;
    std::string attributes_json;  ///< the `attributes` object as JSON text (schema per type)
    /// Merchant-fulfilled quantity from attributes.fulfillment_availability (DEFAULT channel).
    std::optional<std::int64_t> fulfillment_quantity;
};

struct ListingsPatch {
    std::string op = "merge";  ///< add | replace | merge | delete
    std::string path;          ///< "/attributes/fulfillment_availability"
    std::string value_json;    ///< JSON array text
};

/// `productType` is required even for a quantity-only patch (NOTES.md §7).
struct ListingsPatchRequest {
    std::string product_type;
    std::vector<std::string> marketplace_ids;
    std::vector<ListingsPatch> patches;
    bool validation_preview = false;         ///< mode=VALIDATION_PREVIEW
    std::vector<std::string> included_data;  ///< includedData: issues, identifiers (default issues)

    /// The merge patch that sets merchant-fulfilled quantity (fulfillment_channel_code DEFAULT).
    static ListingsPatchRequest quantity(std::string product_type,
                                         std::vector<std::string> marketplace_ids,
                                         std::int64_t quantity);
};

struct ListingsSubmission {
    std::string sku, status, submission_id;  ///< status ACCEPTED | INVALID | VALID
    std::vector<ListingsIssue> issues;
};

Result<ListingsItem> decode_listings_item(std::string_view body);
Result<ListingsSubmission> decode_listings_submission(std::string_view body);
std::string encode_listings_patch(const ListingsPatchRequest& request);

// ---- Feeds and Reports 2021-06-30 (no payload wrapper)
// -------------------------------------------

struct FeedDocumentUpload {
    std::string feed_document_id;
    std::string url;           ///< presigned, expires in 5 min
    std::string content_type;  ///< must be sent unchanged with the PUT
};

struct FeedStatus {
    std::string feed_id, feed_type, processing_status;  ///< IN_QUEUE..DONE|FATAL|CANCELLED
    std::string result_feed_document_id, created_time, processing_end_time;
};

/// A document to download (feed result or report).
struct DocumentLocation {
    std::string document_id, url;
    std::string compression_algorithm;  ///< "GZIP" or empty
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

struct ReportsRequest {
    std::vector<std::string> report_types;  ///< <= 10
    std::vector<std::string> processing_statuses;
    std::vector<std::string> marketplace_ids;
    std::optional<std::string> created_since, created_until;
    std::optional<int> page_size;
    std::optional<std::string> next_token;  ///< when set, it is sent alone (model rule)
};

struct Report {
    std::string report_id, report_type, processing_status, report_document_id, created_time,
        data_start_time, data_end_time, processing_end_time;
    std::vector<std::string> marketplace_ids;
};

struct ReportsPage {
    std::vector<Report> reports;
    std::optional<std::string> next_token;
};

Result<FeedDocumentUpload> decode_feed_document_upload(std::string_view body,
                                                       std::string content_type);
Result<std::string> decode_create_feed(std::string_view body);
Result<FeedStatus> decode_feed(std::string_view body);
Result<DocumentLocation> decode_document_location(std::string_view body, std::string_view id_field);
Result<ListingsFeedReport> decode_listings_feed_report(std::string_view body);
Result<ReportsPage> decode_reports(std::string_view body);
Result<Report> decode_report(std::string_view body);
std::string encode_reports_query(const ReportsRequest& request);

/// Gunzips `data`; a permanent error when it is not valid gzip.
Result<std::string> gunzip(std::string_view data);
/// Gzips `data` (the fake serves compressed documents with it).
std::string gzip(std::string_view data);

// ---- Finances
// ------------------------------------------------------------------------------------

struct FinancialEventGroupsRequest {
    std::optional<std::string> started_after, started_before;
    std::optional<int> max_results_per_page;
    std::optional<std::string> next_token;
};

struct FinancialEventGroup {
    std::string group_id, processing_status, fund_transfer_status, fund_transfer_date, trace_id,
        group_start, group_end;
    std::optional<model::Money> original_total, converted_total, beginning_balance;
};

struct FinancialEventGroupsPage {
    std::vector<FinancialEventGroup> groups;
    std::optional<std::string> next_token;
};

struct FinancialEventsRequest {
    std::optional<std::string> posted_after, posted_before;
    std::optional<std::string> event_group_id;  ///< use listFinancialEventsByGroupId
    std::optional<int> max_results_per_page;
    std::optional<std::string> next_token;
};

struct ChargeOrFee {
    std::string type;  ///< ChargeType / FeeType (fee types are not enumerated: keep any)
    model::Money amount;
};

struct ShipmentItemEvent {
    std::string seller_sku, order_item_id, order_adjustment_item_id;
    std::int64_t quantity_shipped = 0;
    std::vector<ChargeOrFee> charges, fees, promotions, taxes_withheld;
};

/// ShipmentEventList and RefundEventList entries (same shape; refunds use the adjustment lists).
struct ShipmentEvent {
    std::string amazon_order_id, seller_order_id, marketplace_name, posted_date;
    bool is_refund = false;
    std::vector<ShipmentItemEvent> items;
};

struct FinancialEventsPage {
    std::vector<ShipmentEvent> shipment_events;  ///< shipments then refunds
    std::vector<std::string> other_lists;        ///< names of other non-empty lists (not decoded)
    std::optional<std::string> next_token;
};

struct TransactionsRequest {
    std::string posted_after;
    std::optional<std::string> posted_before, marketplace_id, transaction_status;
    std::optional<std::string> next_token;
};

struct Transaction {
    std::string transaction_id, transaction_type, transaction_status, description, posted_date;
    std::optional<model::Money> total_amount;
    std::vector<std::pair<std::string, std::string>> related_identifiers;
};

struct TransactionsPage {
    std::vector<Transaction> transactions;
    std::optional<std::string> next_token;
};

Result<FinancialEventGroupsPage> decode_financial_event_groups(std::string_view body);
Result<FinancialEventsPage> decode_financial_events(std::string_view body);
Result<TransactionsPage> decode_transactions(std::string_view body);

// ---- Fulfillment Outbound 2020-07-01 (payload wrapper; money {currencyCode, value})
// ---------------

struct McfAddress {
    std::string name, address_line1, address_line2, address_line3, city, district_or_county,
        state_or_region, postal_code, country_code, phone;
};

struct McfItem {
    std::string seller_sku, seller_fulfillment_order_item_id;
    std::int64_t quantity = 0;
    std::string gift_message, displayable_comment;
    std::optional<model::Money> per_unit_declared_value;
};

struct FulfillmentPreviewRequest {
    std::string marketplace_id;
    McfAddress address;
    std::vector<McfItem> items;
    std::vector<std::string> shipping_speed_categories;
};

struct FulfillmentPreview {
    std::string shipping_speed_category;
    bool is_fulfillable = false;
    std::vector<ChargeOrFee> estimated_fees;
    std::vector<std::string> unfulfillable_reasons;
};

struct CreateFulfillmentOrderRequest {
    std::string marketplace_id;
    std::string seller_fulfillment_order_id;  ///< idempotency key: reuse it on retries
    std::string displayable_order_id, displayable_order_date, displayable_order_comment;
    std::string shipping_speed_category = "Standard";
    McfAddress destination_address;
    std::vector<McfItem> items;
    std::string fulfillment_action;  ///< Ship | Hold (empty = Amazon default)
    std::string fulfillment_policy;  ///< FillOrKill | FillAll | FillAllAvailable
    std::vector<std::string> notification_emails;
};

struct McfPackage {
    std::int64_t package_number = 0;
    std::string carrier_code, tracking_number, estimated_arrival_date;
};

struct McfShipment {
    std::string amazon_shipment_id, fulfillment_center_id, status, shipping_date;
    std::vector<McfPackage> packages;
};

struct FulfillmentOrderDetails {
    std::string seller_fulfillment_order_id, displayable_order_id, status, status_updated_date,
        received_date, shipping_speed_category;
    struct Item {
        std::string seller_sku, seller_fulfillment_order_item_id;
        std::int64_t quantity = 0, cancelled_quantity = 0, unfulfillable_quantity = 0;
    };
    std::vector<Item> items;
    std::vector<McfShipment> shipments;
};

struct PackageTracking {
    std::int64_t package_number = 0;
    std::string tracking_number, carrier_code, current_status, ship_date, estimated_arrival_date,
        customer_tracking_link;
    struct Event {
        std::string date, code, description;
    };
    std::vector<Event> events;
};

std::string encode_fulfillment_preview(const FulfillmentPreviewRequest& request);
std::string encode_create_fulfillment_order(const CreateFulfillmentOrderRequest& request);
Result<std::vector<FulfillmentPreview>> decode_fulfillment_preview(std::string_view body);
Result<FulfillmentOrderDetails> decode_fulfillment_order(std::string_view body);
Result<PackageTracking> decode_package_tracking(std::string_view body);

}  // namespace clarity::amazon
