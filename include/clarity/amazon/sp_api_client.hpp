#pragma once
/// \file
/// The SP-API client of one seller account. Every operation goes through one non-virtual call
/// path, `call()`: a rate-limit token per (seller, operation) before sending, the LWA access token
/// (or a Restricted Data Token) in x-amz-access-token, the user agent, the rate updated from
/// x-amzn-RateLimit-Limit, a 429 drains the bucket and retries after the refill, transient errors
/// retried with full-jitter backoff within `max_attempts`, one LWA refresh and retry on an expired
/// token, errors classified once (api_error.hpp) with the request id kept, metrics per operation.
/// The typed operations only build the request and decode the response.
/// No SigV4 on SP-API calls (not required since 2 Oct 2023, NOTES.md §1.2).

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clarity/amazon/config.hpp"
#include "clarity/amazon/fba_inventory_api.hpp"
#include "clarity/amazon/feeds_api.hpp"
#include "clarity/amazon/finances_api.hpp"
#include "clarity/amazon/fulfillment_outbound_api.hpp"
#include "clarity/amazon/listings_items_api.hpp"
#include "clarity/amazon/lwa.hpp"
#include "clarity/amazon/notifications_api.hpp"
#include "clarity/amazon/operations.hpp"
#include "clarity/amazon/orders.hpp"
#include "clarity/amazon/quota.hpp"
#include "clarity/amazon/reports_api.hpp"
#include "clarity/core/clock.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/core/random.hpp"
#include "clarity/net/http.hpp"

namespace clarity::amazon {

/// One SP-API request as the typed operations describe it.
struct SpApiCall {
    Operation op;
    std::string path;                             ///< expanded, percent-encoded path
    std::string query;                            ///< without '?'
    std::string body;                             ///< JSON; empty for none
    std::optional<Secret> restricted_data_token;  ///< sent instead of the LWA token
    std::string required_role;                    ///< named in a 403 message
};

/// A paginated sweep's outcome: everything fetched so far, and where to resume after an error.
template <class T>
struct Sweep {
    std::vector<T> items;
    int pages = 0;
    std::optional<std::string> resume_token;  ///< set with `error`: the page that failed
    std::optional<Error> error;
};

class SpApiClient {
  public:
    SpApiClient(net::HttpClient& http,
                LwaTokenSource& lwa,
                QuotaLimiter& quota,
                const Clock& clock,
                Random& random,
                core::MetricsRegistry& metrics,
                AmazonOptions options);
    ~SpApiClient();
    SpApiClient(const SpApiClient&) = delete;
    SpApiClient& operator=(const SpApiClient&) = delete;

    /// The call path (see the file comment). 2xx responses are values; anything else an Error.
    boost::asio::awaitable<Result<net::HttpResponse>> call(SpApiCall call);

    const AmazonOptions& options() const noexcept { return options_; }

    // Orders 2026-01-01
    boost::asio::awaitable<Result<SearchOrdersPage>> search_orders(SearchOrdersRequest request);
    /// Every page of a search; a 429 or token expiry between pages is absorbed by call(), so no
    /// page is lost or repeated; an error stops the sweep with the token of the failed page.
    boost::asio::awaitable<Sweep<Order>> search_all_orders(SearchOrdersRequest request,
                                                           int max_pages = 1000);
    boost::asio::awaitable<Result<Order>> get_order(std::string order_id,
                                                    std::vector<std::string> included_data);

    // Orders v0 (+ Restricted Data Token for buyer and address data)
    boost::asio::awaitable<Result<GetOrdersPageV0>> get_orders_v0(GetOrdersRequestV0 request,
                                                                  bool with_pii);
    boost::asio::awaitable<Result<GetOrderItemsPageV0>> get_order_items_v0(std::string order_id,
                                                                           bool with_pii);
    /// One order by id: getOrder (v0) and every page of getOrderItems, both 0.5/s burst 30 in
    /// buckets of their own. With PII, one Restricted Data Token names both paths (a token may
    /// list up to 50 resources), so an order costs one createRestrictedDataToken (1/s burst 10).
    boost::asio::awaitable<Result<OrderWithItemsV0>> get_order_with_items_v0(std::string order_id,
                                                                             bool with_pii);
    boost::asio::awaitable<Result<void>> confirm_shipment(std::string order_id,
                                                          ConfirmShipmentRequest request);
    boost::asio::awaitable<Result<RestrictedDataToken>> create_restricted_data_token(
        std::vector<RestrictedResource> resources);

    // FBA Inventory
    boost::asio::awaitable<Result<InventoryPage>> get_inventory_summaries(
        InventorySummariesRequest request);

    // Listings Items 2021-08-01
    boost::asio::awaitable<Result<ListingsItem>> get_listings_item(
        std::string sku, std::vector<std::string> included);
    boost::asio::awaitable<Result<ListingsSubmission>> patch_listings_item(
        std::string sku, ListingsPatchRequest request);

    // Feeds 2021-06-30
    boost::asio::awaitable<Result<FeedDocumentUpload>> create_feed_document(
        std::string content_type);
    /// PUT to the presigned URL with exactly the content type given at creation; no SP-API token.
    boost::asio::awaitable<Result<void>> upload_feed_document(FeedDocumentUpload document,
                                                              std::string content);
    boost::asio::awaitable<Result<std::string>> create_feed(std::string feed_type,
                                                            std::string input_feed_document_id);
    boost::asio::awaitable<Result<FeedStatus>> get_feed(std::string feed_id);
    boost::asio::awaitable<Result<DocumentLocation>> get_feed_document(std::string document_id);
    /// Downloads a result document (gunzipped when flagged) and parses the JSON_LISTINGS_FEED
    /// processing report.
    boost::asio::awaitable<Result<ListingsFeedReport>> download_processing_report(
        DocumentLocation location);

    // Reports 2021-06-30
    boost::asio::awaitable<Result<ReportsPage>> get_reports(ReportsRequest request);
    boost::asio::awaitable<Result<Report>> get_report(std::string report_id);
    boost::asio::awaitable<Result<DocumentLocation>> get_report_document(std::string document_id);
    /// Downloads a document as Amazon stores it (no auth headers), streamed to `destination`
    /// (`destination` + ".gz" when flagged GZIP). finish_document() (reports_api.hpp) makes the
    /// text of it, off the I/O thread.
    boost::asio::awaitable<Result<DownloadedDocument>> download_document(
        DocumentLocation location, std::filesystem::path destination);

    // Finances
    boost::asio::awaitable<Result<FinancialEventGroupsPage>> list_financial_event_groups(
        FinancialEventGroupsRequest request);
    boost::asio::awaitable<Result<FinancialEventsPage>> list_financial_events(
        FinancialEventsRequest request);
    boost::asio::awaitable<Result<TransactionsPage>> list_transactions(TransactionsRequest request);

    // Fulfillment Outbound 2020-07-01
    boost::asio::awaitable<Result<std::vector<FulfillmentPreview>>> get_fulfillment_preview(
        FulfillmentPreviewRequest request);
    boost::asio::awaitable<Result<void>> create_fulfillment_order(
        CreateFulfillmentOrderRequest request);
    boost::asio::awaitable<Result<FulfillmentOrderDetails>> get_fulfillment_order(
        std::string seller_fulfillment_order_id);
    boost::asio::awaitable<Result<PackageTracking>> get_package_tracking_details(
        std::int64_t package_number);
    boost::asio::awaitable<Result<void>> cancel_fulfillment_order(
        std::string seller_fulfillment_order_id);

    // Notifications v1
    boost::asio::awaitable<Result<std::vector<Destination>>> get_destinations();
    boost::asio::awaitable<Result<Destination>> create_destination(std::string name,
                                                                   std::string sqs_arn);
    boost::asio::awaitable<Result<Subscription>> get_subscription(std::string notification_type);
    boost::asio::awaitable<Result<Subscription>> create_subscription(
        CreateSubscriptionRequest request);
    boost::asio::awaitable<Result<void>> delete_subscription_by_id(std::string notification_type,
                                                                   std::string subscription_id);

    struct Instruments;

  private:
    boost::asio::awaitable<Result<Secret>> access_token(const OperationInfo& info);

    net::HttpClient& http_;
    LwaTokenSource& lwa_;
    QuotaLimiter& quota_;
    const Clock& clock_;
    Random& random_;
    core::MetricsRegistry& metrics_;
    AmazonOptions options_;
    std::string base_url_;
};

/// "clarity-connect/0.1.0 (Language=C++/20; Platform=Linux)" (NOTES.md §1.2).
std::string user_agent();

/// Percent-encodes one path segment (order ids, SKUs).
std::string encode_path_segment(std::string_view segment);

}  // namespace clarity::amazon
