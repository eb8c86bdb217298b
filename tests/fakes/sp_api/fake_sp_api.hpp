#pragma once
/// \file
/// A fake Selling Partner API on a real loopback socket, for integration tests, benches and (later)
/// a sandbox executable: LWA (/auth/o2/token), the SP-API operations the connector uses with the
/// models' shapes and error bodies, a fake SQS queue (AWS JSON protocol, SigV4 verified) and
/// presigned document URLs (/s3/...). Built on clarity_fake_http; independent of src/amazon's
/// client code (it uses only the connector's SigV4 verifier and gzip helper).
///
/// Time: token lifetimes, pagination-token expiry, feed processing and SQS visibility follow the
/// injected Clock (advance a ManualClock in tests). Usage-plan buckets follow real time, scaled by
/// `speed_up`, so a bench can run the published limits faster.
/// Thread-safety: every member may be called from any thread.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "clarity/amazon/config.hpp"
#include "clarity/amazon/lwa.hpp"
#include "clarity/core/clock.hpp"
#include "http/fake_http_server.hpp"

namespace clarity::fakes::sp_api {

struct SeedItem {
    std::string order_item_id, seller_sku, asin, title;
    std::int64_t quantity = 1;
    std::string unit_price = "10.00";  ///< decimal text
    std::string item_tax = "0.00";
    std::string gift_message, gift_wrap_level, customized_url;
    std::vector<std::string> promotion_ids;
    std::string promotion_discount;  ///< decimal text, empty = none
    bool cancelled = false;
    /// The buyer asked to cancel the item (a cancellation request, v0 BuyerRequestedCancel) with
    /// this reason; empty: no request.
    std::string buyer_cancel_reason;
    /// Units Amazon reports as fulfilled; -1 = all when the order is SHIPPED, else none.
    std::int64_t quantity_shipped = -1;
    std::string shipping_price;  ///< decimal text (PROCEEDS SHIPPING), empty = none
    std::string shipping_tax;    ///< decimal text, added to the TAX breakdown when set
    /// Gift wrap (PROCEEDS GIFT_WRAP; v0 BuyerInfo GiftWrapPrice/GiftWrapTax) and the tax Amazon
    /// took off with the promotion (TAX detail DISCOUNT, negative; v0 PromotionDiscountTax),
    /// decimal text, empty = none.
    std::string gift_wrap_price, gift_wrap_tax;
    std::string promotion_discount_tax;
};

/// One shipped package (Orders 2026-01-01 OrderPackage, served with includedData=PACKAGES).
struct SeedPackage {
    std::string package_reference_id, carrier, tracking_number, ship_time;
    std::string status = "SHIPPED";                           ///< PackageStatus.status
    std::vector<std::pair<std::string, std::int64_t>> items;  ///< orderItemId, quantity
};

struct SeedOrder {
    std::string order_id;
    std::string status = "UNSHIPPED";       ///< v2026 fulfillmentStatus (CANCELLED, SHIPPED, ...)
    std::string fulfilled_by = "MERCHANT";  ///< MERCHANT (MFN) or AMAZON (AFN)
    std::string marketplace_id = "ATVPDKIKX0DER";
    std::string currency = "USD";
    std::string created_time = "2026-11-01T10:00:00Z";
    std::string last_updated_time = "2026-11-01T10:05:00Z";
    std::string buyer_name = "Jane Buyer", buyer_email = "jane@marketplace.amazon.com";
    std::string address_name = "Jane Buyer", address_line1 = "1 Main St", city = "Seattle",
                state = "WA", postal_code = "98101", country_code = "US";
    std::vector<SeedItem> items;
    std::vector<std::string> programs;
    /// One package (served with includedData=PACKAGES) when tracking_number is set and
    /// `packages` is empty.
    std::string carrier, tracking_number;
    std::vector<SeedPackage> packages;         ///< every package (timelines add them as they ship)
    std::string order_type = "StandardOrder";  ///< ORDER_CHANGE Summary.OrderType
    /// The prices include the tax (VAT-inclusive marketplaces: EU, UK, ...): item_tax and the
    /// other taxes are the VAT within the prices, and the grand total (2026 proceeds
    /// grandTotal, v0 OrderTotal) does not add them.
    bool prices_include_tax = false;
    /// Orders 2026-01-01: send each item's TAX proceeds breakdown (false: none, as Amazon may
    /// answer for VAT-inclusive marketplaces).
    bool tax_breakdown = true;
};

/// One change of an order's timeline (see FakeSpApi::schedule_order).
struct TimelineStep {
    Clock::time_point at{};  ///< fake-clock time the change happens
    std::string status;      ///< new fulfillmentStatus; empty = unchanged
    /// Cumulative units shipped per orderItemId after this step.
    std::vector<std::pair<std::string, std::int64_t>> shipped;
    std::optional<SeedPackage> package;  ///< a package handed to the carrier at this step
    /// ORDER_CHANGE notifications put on the fake SQS queue (0 = none, 2 = a duplicate too).
    int notifications = 1;
};

struct SeedInventory {
    std::string seller_sku, asin, fn_sku;
    std::int64_t fulfillable = 0, inbound = 0, reserved = 0;
};

struct FakeOptions {
    std::string client_id = "amzn1.application-oa2-client.fake";
    std::string client_secret = "fake-client-secret";
    std::string refresh_token = "Atzr|fake-refresh";
    std::string seller_id = "A1FAKESELLER";
    std::chrono::seconds token_lifetime{3600};  ///< fake-clock lifetime of access tokens
    double speed_up = 1.0;                      ///< multiplies every usage-plan rate
    bool enforce_quota = true;
    /// Restricted roles the app holds (PII): "Direct-to-Consumer Delivery", "Tax Invoicing".
    std::set<std::string> roles = {"Direct-to-Consumer Delivery", "Tax Invoicing"};
    std::string aws_access_key_id = "AKIDFAKE";
    std::string aws_secret_access_key = "fake-aws-secret";
    std::string aws_region = "us-east-1";
    std::chrono::seconds feed_processing_time{60};  ///< fake time until a feed is DONE
    /// Sandbox mode when set: the folder holding models/ (shared/reference/sp-api). Operations
    /// with x-amzn-api-sandbox static examples answer from them (fake_sp_api_sandbox.hpp); the
    /// others keep the fake's own behaviour. LWA, quota and faults apply as usual.
    std::filesystem::path sandbox_reference;
};

/// Scripted faults, by operation name (the model's operationId, "LWA" or "SQS.<Action>").
struct Fault {
    /// expire_tokens: every access token issued so far expires just before this call is handled.
    /// The *_body kinds run the operation, then damage its 2xx answer: truncated_body sends the
    /// first half of the body with a Content-Length that matches it (only the JSON shows the
    /// cut), cut_mid_body sends the head (full Content-Length) and half the body then closes,
    /// reset_mid_body does the same then resets the connection (TCP RST).
    enum class Kind {
        status,
        drop_connection,
        malformed_body,
        latency,
        expire_tokens,
        truncated_body,
        cut_mid_body,
        reset_mid_body
    } kind = Kind::status;
    int status = 500;  ///< for Kind::status (429 sends the QuotaExceeded body)
    std::chrono::milliseconds latency{0};
};

class FakeSpApi {
  public:
    explicit FakeSpApi(const Clock& clock, FakeOptions options = {});
    ~FakeSpApi();
    FakeSpApi(const FakeSpApi&) = delete;
    FakeSpApi& operator=(const FakeSpApi&) = delete;

    std::string base_url() const;  ///< SP-API base (no trailing slash)
    std::string lwa_url() const;   ///< .../auth/o2/token
    /// A client of this fake's seller (region na) in `marketplaces`: its credentials and
    /// endpoints, a 5 s timeout.
    amazon::AmazonOptions client_options(std::vector<std::string> marketplaces = {
                                             "ATVPDKIKX0DER"}) const;
    /// Login with Amazon for `client` (this fake's token endpoint).
    static amazon::LwaOptions lwa_options(const amazon::AmazonOptions& client);
    std::string sqs_url() const;    ///< SQS endpoint (POST /)
    std::string queue_url() const;  ///< the QueueUrl to send
    const FakeOptions& options() const { return options_; }

    // Seeding
    void add_order(SeedOrder order);
    void set_order_status(const std::string& order_id,
                          std::string status,
                          std::string last_updated_time);
    /// Changes a seeded order in place (statuses, shipped quantities, packages, ...).
    void update_order(const std::string& order_id, const std::function<void(SeedOrder&)>& change);
    void add_inventory(SeedInventory inventory);
    /// An order that changes over (fake) time: invisible to every operation until `created_at`,
    /// then created as `initial` (createdTime = lastUpdatedTime = created_at) with
    /// `create_notifications` ORDER_CHANGE messages; each step applies when the Clock passes its
    /// `at` (checked on every request and by `advance`), setting lastUpdatedTime to the step's
    /// time (strictly increasing per order, whole seconds) and queueing its notifications
    /// (schemas/notifications/OrderChangeNotification.json).
    void schedule_order(SeedOrder initial,
                        Clock::time_point created_at,
                        std::vector<TimelineStep> steps,
                        int create_notifications = 1);
    /// Applies every scheduled creation and step that is due at the Clock's now; returns how many.
    std::size_t advance();
    /// Scheduled creations and steps not applied yet.
    std::size_t pending_changes() const;
    /// Current state of an order (nullopt when unknown or not created yet).
    std::optional<SeedOrder> order(const std::string& order_id) const;
    /// A report (e.g. GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2) whose document is `content`,
    /// served gzip-compressed when `gzip` is true.
    void add_report(std::string report_id,
                    std::string report_type,
                    std::string content,
                    bool gzip = true,
                    std::string created_time = "2026-11-01T00:00:00Z");
    /// Raw Finances v0 responses (payload bodies) served in order by listFinancialEvents*.
    void add_financial_events_page(std::string body);

    // SQS
    void enqueue_message(std::string body);
    std::size_t queue_visible() const;    ///< messages that a receive would return now
    std::size_t queue_in_flight() const;  ///< received, not deleted, still invisible
    std::size_t queue_total() const;      ///< not yet deleted
    std::size_t deleted_messages() const;

    // Faults and inspection
    /// The `nth` (1-based, counted from now) call of `operation` gets `fault`.
    void fail_nth(const std::string& operation, int nth, Fault fault);
    /// Revokes every access token issued so far (next SP-API call gets 403 expired).
    void expire_all_tokens();
    /// Count of calls per operation (operationId), including failed ones.
    int calls(const std::string& operation) const;
    int throttled(const std::string& operation) const;
    std::vector<std::string> shipment_confirmations() const;  ///< bodies received
    /// When each of shipment_confirmations() was received (the Clock's now), in the same order.
    std::vector<Clock::time_point> shipment_confirmation_times() const;
    std::string last_user_agent() const;
    std::optional<std::int64_t> listing_quantity(const std::string& sku) const;
    std::string uploaded_feed_content(const std::string& document_id) const;
    /// The uploaded documents of every feed of `feed_type` created so far, oldest first.
    std::vector<std::string> feed_contents(const std::string& feed_type) const;

    struct State;

  private:
    FakeOptions options_;
    std::shared_ptr<State> state_;
    std::unique_ptr<http::FakeHttpServer> server_;
};

}  // namespace clarity::fakes::sp_api
