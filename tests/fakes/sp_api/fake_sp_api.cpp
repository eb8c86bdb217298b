#include "sp_api/fake_sp_api.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <nlohmann/json.hpp>
#include <regex>

#include "clarity/amazon/fba_inventory_api.hpp"
#include "clarity/amazon/feeds_api.hpp"
#include "clarity/amazon/finances_api.hpp"
#include "clarity/amazon/fulfillment_outbound_api.hpp"
#include "clarity/amazon/listings_items_api.hpp"
#include "clarity/amazon/operations.hpp"
#include "clarity/amazon/reports_api.hpp"
#include "clarity/amazon/sigv4.hpp"
#include "clarity/model/decimal.hpp"
#include "http/gzip_deflate.hpp"
#include "sp_api/fake_sp_api_sandbox.hpp"

// Shapes follow ../shared/reference/sp-api/models (NOTES.md §11 "fake-server design"): bodies of
// 2021+ APIs bare, v0 APIs inside {payload}, errors as {"errors":[{code,message,details}]}, 429
// QuotaExceeded without x-amzn-RateLimit-Limit.

namespace clarity::fakes::sp_api {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

std::string url_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out.push_back(
                static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
            i += 2;
        } else if (s[i] == '+') {
            out.push_back(' ');
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

std::map<std::string, std::string> parse_params(std::string_view q) {
    std::map<std::string, std::string> out;
    std::size_t pos = 0;
    while (pos < q.size()) {
        auto amp = q.find('&', pos);
        if (amp == std::string_view::npos) amp = q.size();
        auto part = q.substr(pos, amp - pos);
        auto eq = part.find('=');
        if (eq != std::string_view::npos) {
            out[url_decode(part.substr(0, eq))] = url_decode(part.substr(eq + 1));
        }
        pos = amp + 1;
    }
    return out;
}

std::vector<std::string> csv(const std::string& s) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= s.size() && !s.empty()) {
        auto c = s.find(',', pos);
        if (c == std::string::npos) c = s.size();
        out.push_back(s.substr(pos, c - pos));
        pos = c + 1;
    }
    return out;
}

Response error(int status,
               const std::string& code,
               const std::string& message,
               const std::string& details = "") {
    auto r = Response::json(
        status, json{{"errors",
                      json::array({{{"code", code}, {"message", message}, {"details", details}}})}}
                    .dump());
    return r;
}

json money26(const std::string& amount, const std::string& currency) {
    return {{"amount", amount}, {"currencyCode", currency}};
}

json money_v0(const std::string& amount, const std::string& currency) {
    return {{"Amount", amount}, {"CurrencyCode", currency}};
}

/// v0 ItemPrice is the line total, unit price × quantity (NOTES.md §3.2).
std::string line_total(const std::string& unit, std::int64_t quantity) {
    auto d = model::Decimal::parse(unit);
    if (!d) return unit;
    return (*d * model::Decimal::from_int(quantity)).to_string();
}

std::string add_decimal(const std::string& a, const std::string& b) {
    auto x = model::Decimal::parse(a), y = model::Decimal::parse(b);
    if (!x || !y) return a;
    return (*x + *y).to_string();
}

std::string v0_status(const std::string& s) {
    static const std::map<std::string, std::string> m = {
        {"PENDING", "Pending"},
        {"UNSHIPPED", "Unshipped"},
        {"PARTIALLY_SHIPPED", "PartiallyShipped"},
        {"SHIPPED", "Shipped"},
        {"CANCELLED", "Canceled"},
        {"UNFULFILLABLE", "Unfulfillable"},
        {"PENDING_AVAILABILITY", "PendingAvailability"}};
    auto it = m.find(s);
    return it == m.end() ? s : it->second;
}

std::string iso(Clock::time_point t) {
    std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

struct Bucket {
    double rate = 1, burst = 1, tokens = 1;
    std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
};

struct SqsEntry {
    std::string id, body, receipt;
    Clock::time_point visible_at{};
    int receives = 0;
};

struct Feed {
    std::string id, type, input_document, result_document;
    Clock::time_point created{};
};

struct FakeSpApi::State {
    const Clock* clock;
    FakeOptions opt;
    std::string base;  // filled after the server starts
    mutable std::mutex mutex;
    std::map<std::string, Clock::time_point> tokens;  // access token -> expiry
    std::set<std::string> grantless_tokens;
    std::set<std::string> rdt_tokens;
    std::uint64_t next_id = 1;
    std::vector<SeedOrder> orders;
    std::vector<SeedInventory> inventory;
    std::map<std::string, Clock::time_point> inventory_tokens;  // nextToken -> expiry
    struct ReportDoc {
        std::string id, type, content, created;
        bool gzip;
    };
    std::vector<ReportDoc> reports;
    std::deque<std::string> financial_pages;
    std::map<std::string, std::pair<std::string, std::string>> documents;  // id -> (ctype, body)
    std::map<std::string, Feed> feeds;
    std::map<std::string, std::int64_t> listing_qty;
    std::map<std::string, json> mcf_orders;
    std::vector<json> destinations;
    std::map<std::string, json> subscriptions;
    std::vector<std::string> shipment_confirmations;
    std::vector<Clock::time_point> shipment_confirmation_times;  // the Clock's now at receipt
    std::deque<SqsEntry> queue;
    std::size_t deleted = 0;
    std::map<std::string, Bucket> buckets;
    std::map<std::string, int> calls, throttled;
    std::map<std::string, std::map<int, Fault>> faults;  // op -> call number -> fault
    std::string last_user_agent;
    std::shared_ptr<const SandboxExamples> sandbox;  // sandbox mode (fake_sp_api_sandbox.cpp)

    struct ScheduledChange {
        std::string order_id;
        std::optional<SeedOrder> create;  ///< set for the creation of a scheduled order
        TimelineStep step;
    };
    std::multimap<Clock::time_point, ScheduledChange> scheduled;
    std::map<std::string, Clock::time_point> last_change;  // order id -> last applied change

    std::string id(const std::string& prefix) { return prefix + std::to_string(next_id++); }

    // ORDER_CHANGE exactly as schemas/notifications/OrderChangeNotification.json.
    std::string order_change_notification(const SeedOrder& o, const std::string& when) {
        json items = json::array();
        std::int64_t shipped_total = 0, unshipped_total = 0;
        for (const auto& i : o.items) {
            const std::int64_t shipped = i.quantity_shipped >= 0
                                             ? i.quantity_shipped
                                             : (o.status == "SHIPPED" ? i.quantity : 0);
            shipped_total += shipped;
            unshipped_total += i.quantity - shipped;
            items.push_back({{"OrderItemId", i.order_item_id},
                             {"SellerSKU", i.seller_sku},
                             {"SupplySourceId", ""},
                             {"OrderItemStatus", v0_status(o.status)},
                             {"Quantity", i.quantity},
                             {"QuantityShipped", shipped},
                             {"IsBuyerRequestedCancel", false}});
        }
        const std::string nid = id("fake-notification-");
        json n{{"NotificationVersion", "1.0"},
               {"NotificationType", "ORDER_CHANGE"},
               {"PayloadVersion", "1.0"},
               {"EventTime", when},
               {"Payload",
                {{"OrderChangeNotification",
                  {{"NotificationLevel", "OrderLevel"},
                   {"SellerId", opt.seller_id},
                   {"AmazonOrderId", o.order_id},
                   {"OrderChangeType", "OrderStatusChange"},
                   {"OrderChangeTrigger",
                    {{"TimeOfOrderChange", o.last_updated_time},
                     {"ChangeReason", "Order status changed to " + v0_status(o.status)}}},
                   {"Summary",
                    {{"MarketplaceId", o.marketplace_id},
                     {"OrderStatus", v0_status(o.status)},
                     {"PurchaseDate", o.created_time},
                     {"DestinationPostalCode", o.postal_code},
                     {"FulfillmentType", o.fulfilled_by == "AMAZON" ? "AFN" : "MFN"},
                     {"OrderType", o.order_type},
                     {"NumberOfItemsShipped", shipped_total},
                     {"NumberOfItemsUnshipped", unshipped_total},
                     {"OrderItems", items}}}}}}},
               {"NotificationMetadata",
                {{"ApplicationId", "amzn1.sellerapps.app.fake"},
                 {"SubscriptionId", "fake-subscription-order-change"},
                 {"PublishTime", when},
                 {"NotificationId", nid}}}};
        return n.dump();
    }

    void notify(const SeedOrder& o, int count, const std::string& when) {
        if (count <= 0) return;
        // A duplicate is the same notification delivered twice (same NotificationId).
        const std::string body = order_change_notification(o, when);
        for (int k = 0; k < count; ++k) queue.push_back({id("msg-"), body, "", {}, 0});
    }

    // Applies every scheduled change due at `now` (the caller holds the mutex).
    std::size_t apply_due(Clock::time_point now) {
        std::size_t applied = 0;
        while (!scheduled.empty() && scheduled.begin()->first <= now) {
            auto node = scheduled.extract(scheduled.begin());
            auto& change = node.mapped();
            // Whole seconds, strictly increasing per order: the change time is an idempotency
            // key for the triggers (flows/order_jobs.hpp), so two changes never share one.
            Clock::time_point t = std::chrono::floor<std::chrono::seconds>(node.key());
            auto last = last_change.find(change.order_id);
            if (last != last_change.end() && t <= last->second) {
                t = last->second + std::chrono::seconds(1);
            }
            last_change[change.order_id] = t;
            const std::string when = iso(t);
            ++applied;
            if (change.create) {
                change.create->created_time = when;
                change.create->last_updated_time = when;
                orders.push_back(std::move(*change.create));
                notify(orders.back(), change.step.notifications, when);
                continue;
            }
            auto* o = const_cast<SeedOrder*>(find_order(change.order_id));
            if (o == nullptr) continue;
            const auto& st = change.step;
            if (!st.status.empty()) o->status = st.status;
            for (const auto& [item_id, qty] : st.shipped) {
                for (auto& i : o->items) {
                    if (i.order_item_id == item_id) i.quantity_shipped = qty;
                }
            }
            if (st.package) {
                auto p = *st.package;
                if (p.ship_time.empty()) p.ship_time = when;
                o->packages.push_back(std::move(p));
            }
            o->last_updated_time = when;
            notify(*o, st.notifications, when);
        }
        return applied;
    }

    // POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA: cancels each listed order Amazon lets the seller
    // cancel (merchant-fulfilled, not shipped) and answers the flat-file processing report
    // (MWS-style: a summary, then a tab-separated table of the refused rows).
    std::string cancel_orders(const std::string& tsv, const std::string& when) {
        int processed = 0;
        std::string rows;
        std::size_t pos = tsv.find('\n');  // skip the header
        while (pos != std::string::npos && pos + 1 < tsv.size()) {
            const auto next = tsv.find('\n', pos + 1);
            const std::string line =
                tsv.substr(pos + 1, next == std::string::npos ? next : next - pos - 1);
            pos = next;
            if (line.empty()) continue;
            ++processed;
            const std::string order_id = line.substr(0, line.find('\t'));
            auto* o = const_cast<SeedOrder*>(find_order(order_id));
            std::string why;
            if (o == nullptr) {
                why = "18028\tError\tThe order ID you submitted is not valid.";
            } else if (o->fulfilled_by != "MERCHANT") {
                why =
                    "18089\tError\tThe order is fulfilled by Amazon and cannot be cancelled by the "
                    "seller.";
            } else if (o->status == "SHIPPED" || o->status == "PARTIALLY_SHIPPED") {
                why = "18091\tError\tThe order has shipped and cannot be cancelled.";
            } else if (o->status != "CANCELLED") {
                o->status = "CANCELLED";
                for (auto& i : o->items) i.cancelled = true;
                o->last_updated_time = when;
            }
            if (!why.empty())
                rows += std::to_string(processed) + "\t" + order_id + "\t\t" + why + "\n";
        }
        int failed = 0;
        for (char c : rows) failed += c == '\n' ? 1 : 0;
        return "Feed Processing Summary:\n\tNumber of records processed\t\t" +
               std::to_string(processed) + "\n\tNumber of records successful\t\t" +
               std::to_string(processed - failed) +
               "\n\noriginal-record-number\torder-id\tamazon-order-item-code\terror-code\t"
               "error-type\terror-message\n" +
               rows;
    }

    // Returns true when a token is available.
    bool take(const std::string& op, double rate, int burst) {
        auto [it, inserted] = buckets.try_emplace(op);
        auto& b = it->second;
        auto now = std::chrono::steady_clock::now();
        if (inserted) {
            b.rate = rate;
            b.burst = burst;
            b.tokens = burst;
            b.last = now;
        }
        b.tokens = std::min(
            b.burst, b.tokens + std::chrono::duration<double>(now - b.last).count() * b.rate);
        b.last = now;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return true;
        }
        return false;
    }

    std::optional<Fault> fault_for(const std::string& op) {
        int n = ++calls[op];
        auto it = faults.find(op);
        if (it != faults.end()) {
            auto f = it->second.find(n);
            if (f != it->second.end()) return f->second;
        }
        return std::nullopt;
    }

    json order26(const SeedOrder& o, const std::set<std::string>& inc) const {
        json items = json::array();
        for (const auto& i : o.items) {
            json it{{"orderItemId", i.order_item_id},
                    {"quantityOrdered", i.quantity},
                    {"product",
                     {{"asin", i.asin},
                      {"sellerSku", i.seller_sku},
                      {"title", i.title},
                      {"condition", {{"conditionType", "NEW"}}},
                      {"price", {{"unitPrice", money26(i.unit_price, o.currency)}}}}}};
            if (!i.customized_url.empty()) {
                it["product"]["customization"] = {{"customizedUrl", i.customized_url}};
            }
            if (inc.count("PROCEEDS")) {
                // ITEM is the line's total (unit price × quantity), as the model describes it.
                json tax{{"type", "TAX"}, {"subtotal", money26(i.item_tax, o.currency)}};
                const bool with_tax = o.tax_breakdown;
                if (!i.shipping_tax.empty() || !i.gift_wrap_tax.empty() ||
                    !i.promotion_discount_tax.empty()) {
                    // Tax on the item, its shipping, its gift wrap and (negative) on its
                    // promotion: the subtotal is their sum, the detailed breakdowns tell them
                    // apart (ItemProceedsDetailedBreakdown subtypes).
                    std::string total = i.item_tax;
                    json details = json::array(
                        {{{"subtype", "ITEM"}, {"value", money26(i.item_tax, o.currency)}}});
                    auto detail = [&](const char* subtype, const std::string& value) {
                        if (value.empty()) return;
                        total = add_decimal(total, value);
                        details.push_back(
                            {{"subtype", subtype}, {"value", money26(value, o.currency)}});
                    };
                    detail("SHIPPING", i.shipping_tax);
                    detail("GIFT_WRAP", i.gift_wrap_tax);
                    if (!i.promotion_discount_tax.empty())
                        detail("DISCOUNT", "-" + i.promotion_discount_tax);
                    tax["subtotal"] = money26(total, o.currency);
                    tax["detailedBreakdowns"] = std::move(details);
                }
                json br = json::array(
                    {{{"type", "ITEM"},
                      {"subtotal", money26(line_total(i.unit_price, i.quantity), o.currency)}}});
                if (with_tax) br.push_back(std::move(tax));
                if (!i.shipping_price.empty()) {
                    br.push_back({{"type", "SHIPPING"},
                                  {"subtotal", money26(i.shipping_price, o.currency)}});
                }
                if (!i.gift_wrap_price.empty()) {
                    br.push_back({{"type", "GIFT_WRAP"},
                                  {"subtotal", money26(i.gift_wrap_price, o.currency)}});
                }
                if (!i.promotion_discount.empty()) {
                    br.push_back({{"type", "DISCOUNT"},
                                  {"subtotal", money26("-" + i.promotion_discount, o.currency)}});
                }
                it["proceeds"] = {{"breakdowns", br}};
            }
            if (inc.count("PROMOTION") && !i.promotion_ids.empty()) {
                json b = json::array();
                for (const auto& p : i.promotion_ids) b.push_back({{"promotionId", p}});
                it["promotion"] = {{"breakdowns", b}};
            }
            if (inc.count("CANCELLATION") && i.cancelled) {
                it["cancellation"] = {
                    {"cancellationExecution",
                     {{"cancelledBy", "SELLER"}, {"cancelReason", "NO_INVENTORY"}}}};
            } else if (inc.count("CANCELLATION") && !i.buyer_cancel_reason.empty()) {
                it["cancellation"] = {
                    {"cancellationRequest",
                     {{"requester", "BUYER"}, {"cancelReason", i.buyer_cancel_reason}}}};
            }
            if (inc.count("FULFILLMENT")) {
                const std::int64_t shipped = i.quantity_shipped >= 0
                                                 ? i.quantity_shipped
                                                 : (o.status == "SHIPPED" ? i.quantity : 0);
                json f{{"quantityFulfilled", shipped},
                       {"quantityUnfulfilled", i.quantity - shipped}};
                if (!i.gift_message.empty()) {
                    f["packing"] = {
                        {"giftOption",
                         {{"giftMessage", i.gift_message}, {"giftWrapLevel", i.gift_wrap_level}}}};
                }
                it["fulfillment"] = f;
            }
            items.push_back(std::move(it));
        }
        json j{{"orderId", o.order_id},
               {"createdTime", o.created_time},
               {"lastUpdatedTime", o.last_updated_time},
               {"salesChannel", {{"channelName", "AMAZON"}, {"marketplaceId", o.marketplace_id}}},
               {"orderItems", items}};
        if (!o.programs.empty()) j["programs"] = o.programs;
        if (inc.count("PACKAGES") && !o.packages.empty()) {
            json pk = json::array();
            for (const auto& p : o.packages) {
                json items = json::array();
                for (const auto& [id, qty] : p.items)
                    items.push_back({{"orderItemId", id}, {"quantity", qty}});
                pk.push_back({{"packageReferenceId", p.package_reference_id},
                              {"createdTime", p.ship_time},
                              {"packageStatus", {{"status", p.status}}},
                              {"carrier", p.carrier},
                              {"shipTime", p.ship_time},
                              {"trackingNumber", p.tracking_number},
                              {"packageItems", items}});
            }
            j["packages"] = pk;
        }
        if (inc.count("BUYER"))
            j["buyer"] = {{"buyerName", o.buyer_name}, {"buyerEmail", o.buyer_email}};
        if (inc.count("RECIPIENT")) {
            j["recipient"] = {{"deliveryAddress",
                               {{"name", o.address_name},
                                {"addressLine1", o.address_line1},
                                {"city", o.city},
                                {"stateOrRegion", o.state},
                                {"postalCode", o.postal_code},
                                {"countryCode", o.country_code}}}};
        }
        if (inc.count("FULFILLMENT")) {
            j["fulfillment"] = {{"fulfillmentStatus", o.status}, {"fulfilledBy", o.fulfilled_by}};
        }
        if (inc.count("PACKAGES") && o.packages.empty() && !o.tracking_number.empty()) {
            j["packages"] = json::array({{{"packageReferenceId", "1"},
                                          {"carrier", o.carrier},
                                          {"trackingNumber", o.tracking_number},
                                          {"shipTime", o.last_updated_time},
                                          {"packageStatus", {{"status", "SHIPPED"}}}}});
        }
        if (inc.count("PROCEEDS")) {
            j["proceeds"] = {{"grandTotal", money26(grand_total(o), o.currency)}};
        }
        return j;
    }

    /// What the buyer pays: the items, shipping and gift wrap less the promotions, plus their
    /// taxes unless the prices include them. Exact on two decimals via cents.
    static std::string grand_total(const SeedOrder& o) {
        std::int64_t cents = 0;
        auto to_cents = [](const std::string& d) {
            auto dot = d.find('.');
            std::int64_t whole = std::stoll(d.substr(0, dot));
            std::int64_t frac =
                dot == std::string::npos ? 0 : std::stoll((d.substr(dot + 1) + "00").substr(0, 2));
            return whole * 100 + (d[0] == '-' ? -frac : frac);
        };
        const int taxes = o.prices_include_tax ? 0 : 1;
        for (const auto& i : o.items) {
            cents += to_cents(i.unit_price) * i.quantity + taxes * to_cents(i.item_tax);
            if (!i.shipping_price.empty()) cents += to_cents(i.shipping_price);
            if (!i.shipping_tax.empty()) cents += taxes * to_cents(i.shipping_tax);
            if (!i.promotion_discount.empty()) cents -= to_cents(i.promotion_discount);
            if (!i.promotion_discount_tax.empty())
                cents -= taxes * to_cents(i.promotion_discount_tax);
            if (!i.gift_wrap_price.empty()) cents += to_cents(i.gift_wrap_price);
            if (!i.gift_wrap_tax.empty()) cents += taxes * to_cents(i.gift_wrap_tax);
        }
        char buf[32];
        std::snprintf(buf, sizeof buf, "%s%lld.%02lld", cents < 0 ? "-" : "",
                      static_cast<long long>(std::llabs(cents) / 100),
                      static_cast<long long>(std::llabs(cents) % 100));
        return buf;
    }

    json order_v0(const SeedOrder& o, bool pii) const {
        json j{{"AmazonOrderId", o.order_id},
               {"PurchaseDate", o.created_time},
               {"LastUpdateDate", o.last_updated_time},
               {"OrderStatus", v0_status(o.status)},
               {"FulfillmentChannel", o.fulfilled_by == "AMAZON" ? "AFN" : "MFN"},
               {"MarketplaceId", o.marketplace_id},
               {"NumberOfItemsShipped", 0},
               {"NumberOfItemsUnshipped", static_cast<int>(o.items.size())}};
        // OrderTotal: absent on Pending orders (ordersV0.json Order.OrderTotal).
        if (o.status != "PENDING") j["OrderTotal"] = money_v0(grand_total(o), o.currency);
        if (pii) {
            j["BuyerInfo"] = {{"BuyerEmail", o.buyer_email}, {"BuyerName", o.buyer_name}};
            j["ShippingAddress"] = {{"Name", o.address_name},
                                    {"AddressLine1", o.address_line1},
                                    {"City", o.city},
                                    {"StateOrRegion", o.state},
                                    {"PostalCode", o.postal_code},
                                    {"CountryCode", o.country_code}};
        }
        return j;
    }

    const SeedOrder* find_order(const std::string& id) const {
        for (const auto& o : orders) {
            if (o.order_id == id) return &o;
        }
        return nullptr;
    }
};

FakeSpApi::FakeSpApi(const Clock& clock, FakeOptions options)
    : options_(std::move(options)), state_(std::make_shared<State>()) {
    state_->clock = &clock;
    state_->opt = options_;
    if (!options_.sandbox_reference.empty())
        state_->sandbox = std::make_shared<const SandboxExamples>(options_.sandbox_reference);
    auto state = state_;
    server_ = std::make_unique<http::FakeHttpServer>([state](const Request& req) -> Response {
        auto& s = *state;
        std::unique_lock lock(s.mutex);
        const auto now = s.clock->now();
        s.apply_due(now);
        const std::string path = req.path();
        const auto qpos = req.target.find('?');
        auto params = parse_params(qpos == std::string::npos ? "" : req.target.substr(qpos + 1));
        std::optional<Fault::Kind> damage;  // a *_body fault of this call
        auto finish = [&](const std::string& op, Response r) {
            r.headers.emplace_back("x-amzn-RequestId", "fake-" + std::to_string(s.next_id++));
            (void)op;
            if (damage && r.status >= 200 && r.status < 300) {
                switch (*damage) {
                    case Fault::Kind::truncated_body:
                        r.body.resize(r.body.size() / 2);
                        r.chunked = false;
                        break;
                    case Fault::Kind::cut_mid_body:
                        r.fault = http::Fault::close_mid_response;
                        break;
                    default:
                        r.fault = http::Fault::reset_mid_response;
                        break;
                }
            }
            return r;
        };
        auto apply_fault = [&](const std::string& op, Response& out) -> bool {
            auto f = s.fault_for(op);
            if (!f) return false;
            switch (f->kind) {
                case Fault::Kind::status:
                    out = f->status == 429
                              ? error(429, "QuotaExceeded",
                                      "You exceeded your quota for the requested resource.")
                              : error(f->status,
                                      f->status == 503 ? "ServiceUnavailable" : "InternalFailure",
                                      "We encountered an internal error. Please try again.");
                    if (f->status == 429) ++s.throttled[op];
                    return true;
                case Fault::Kind::drop_connection:
                    out = Response::text(200, "");
                    out.fault = http::Fault::close_before_response;
                    return true;
                case Fault::Kind::malformed_body:
                    out = Response::json(200, "{\"orders\": [ {\"orderId\": ");
                    return true;
                case Fault::Kind::latency:
                    out.delay = f->latency;
                    return false;
                case Fault::Kind::expire_tokens:
                    for (auto& [t, exp] : s.tokens) exp = std::min(exp, now);
                    return false;
                case Fault::Kind::truncated_body:
                case Fault::Kind::cut_mid_body:
                case Fault::Kind::reset_mid_body:
                    damage = f->kind;
                    return false;
            }
            return false;
        };

        // ---- LWA ----
        if (req.method == "POST" && path == "/auth/o2/token") {
            Response faulted;
            if (apply_fault("LWA", faulted)) return faulted;
            auto form = parse_params(req.body);
            if (form["client_id"] != s.opt.client_id ||
                form["client_secret"] != s.opt.client_secret) {
                return Response::json(
                    401,
                    R"({"error_description":"Client authentication failed","error":"invalid_client"})");
            }
            std::string token;
            if (form["grant_type"] == "refresh_token") {
                if (form["refresh_token"] != s.opt.refresh_token) {
                    return Response::json(
                        400,
                        R"({"error_description":"The request has an invalid grant parameter : refresh_token","error":"invalid_grant"})");
                }
                token = s.id("Atza|fake-");
            } else if (form["grant_type"] == "client_credentials") {
                if (form["scope"] != "sellingpartnerapi::notifications") {
                    return Response::json(
                        400, R"({"error_description":"invalid scope","error":"invalid_scope"})");
                }
                token = s.id("Atc|fake-grantless-");
                s.grantless_tokens.insert(token);
            } else {
                return Response::json(400, R"({"error":"unsupported_grant_type"})");
            }
            s.tokens[token] = now + s.opt.token_lifetime;
            return Response::json(200, json{{"access_token", token},
                                            {"token_type", "bearer"},
                                            {"expires_in", 3600},
                                            {"refresh_token", s.opt.refresh_token}}
                                           .dump());
        }

        // ---- presigned S3 documents ----
        if (path.rfind("/s3/", 0) == 0) {
            if (!params.count("X-Amz-Signature"))
                return Response::text(403, "<Error><Code>AccessDenied</Code></Error>",
                                      "application/xml");
            auto id = path.substr(path.rfind('/') + 1);
            if (req.method == "PUT") {
                auto it = s.documents.find(id);
                if (it == s.documents.end()) return Response::text(404, "NoSuchKey");
                auto ct = req.header("content-type").value_or("");
                if (ct != it->second.first) {
                    return Response::text(
                        403,
                        "<Error><Code>SignatureDoesNotMatch</Code><Message>Content-Type differs "
                        "from the presigned one</Message></Error>",
                        "application/xml");
                }
                it->second.second = req.body;
                return Response::text(200, "");
            }
            auto it = s.documents.find(id);
            if (it == s.documents.end()) return Response::text(404, "NoSuchKey");
            return Response::text(200, it->second.second, "application/octet-stream");
        }

        // ---- SQS (JSON protocol) ----
        if (req.method == "POST" && path == "/" && req.header("x-amz-target")) {
            auto target = *req.header("x-amz-target");
            auto action = target.substr(target.find('.') + 1);
            Response faulted;
            if (apply_fault("SQS." + action, faulted)) return faulted;
            amazon::SignableRequest signable{req.method, req.target, {}, req.body};
            for (const auto& h : req.headers) signable.headers.push_back(h);
            auto v = amazon::verify_headers(signable, s.opt.aws_access_key_id,
                                            Secret(s.opt.aws_secret_access_key), s.opt.aws_region,
                                            "sqs", now);
            if (!v.valid) {
                auto r = Response::text(
                    403,
                    json{{"__type", "com.amazon.coral.service#InvalidSignatureException"},
                         {"message", v.reason}}
                        .dump(),
                    "application/x-amz-json-1.0");
                return r;
            }
            auto body = json::parse(req.body, nullptr, false);
            if (body.is_discarded() ||
                body.value("QueueUrl", "") != s.base + "/000000000000/sp-notifications") {
                return Response::text(400,
                                      json{{"__type", "com.amazonaws.sqs#QueueDoesNotExist"},
                                           {"message", "The specified queue does not exist."}}
                                          .dump(),
                                      "application/x-amz-json-1.0");
            }
            if (action == "ReceiveMessage") {
                int max = body.value("MaxNumberOfMessages", 1);
                int vis = body.value("VisibilityTimeout", 30);
                json msgs = json::array();
                for (auto& m : s.queue) {
                    if (static_cast<int>(msgs.size()) >= max) break;
                    if (m.visible_at > now) continue;
                    m.visible_at = now + std::chrono::seconds(vis);
                    ++m.receives;
                    m.receipt = s.id("rh-") + "-" + m.id;
                    std::array<unsigned char, 64> d{};
                    (void)d;
                    msgs.push_back({{"MessageId", m.id},
                                    {"ReceiptHandle", m.receipt},
                                    {"Body", m.body},
                                    {"Attributes",
                                     {{"ApproximateReceiveCount", std::to_string(m.receives)}}}});
                }
                json out = json::object();
                if (!msgs.empty()) out["Messages"] = msgs;
                return Response::text(200, out.dump(), "application/x-amz-json-1.0");
            }
            auto handle = body.value("ReceiptHandle", "");
            auto it = std::find_if(s.queue.begin(), s.queue.end(), [&](const SqsEntry& e) {
                return e.receipt == handle && !handle.empty();
            });
            if (it == s.queue.end()) {
                return Response::text(400,
                                      json{{"__type", "com.amazonaws.sqs#ReceiptHandleIsInvalid"},
                                           {"message", "The input receipt handle is invalid."}}
                                          .dump(),
                                      "application/x-amz-json-1.0");
            }
            if (action == "DeleteMessage") {
                s.queue.erase(it);
                ++s.deleted;
                return Response::text(200, "{}", "application/x-amz-json-1.0");
            }
            if (action == "ChangeMessageVisibility") {
                it->visible_at = now + std::chrono::seconds(body.value("VisibilityTimeout", 0));
                return Response::text(200, "{}", "application/x-amz-json-1.0");
            }
            return Response::text(400, json{{"__type", "com.amazonaws.sqs#InvalidAction"}}.dump(),
                                  "application/x-amz-json-1.0");
        }

        // ---- SP-API: route to an operation ----
        const amazon::OperationInfo* info = nullptr;
        std::smatch m;
        std::vector<std::string> path_params;
        for (const auto& op : amazon::all_operations()) {
            if (op.method != req.method) continue;
            std::string pattern =
                std::regex_replace(std::string(op.path), std::regex(R"(\{[^}]+\})"), "([^/]+)");
            std::regex re("^" + pattern + "$");
            if (std::regex_match(path, m, re)) {
                info = &op;
                for (std::size_t i = 1; i < m.size(); ++i)
                    path_params.push_back(url_decode(m[i].str()));
                break;
            }
        }
        if (info == nullptr)
            return error(404, "NotFound", "Resource not found: " + req.method + " " + path);
        const std::string op(info->name);
        s.last_user_agent = req.header("user-agent").value_or("");

        Response faulted;
        if (apply_fault(op, faulted)) return finish(op, faulted);
        const auto delay = faulted.delay;

        // Access token
        auto token = req.header("x-amz-access-token").value_or("");
        const bool is_rdt = s.rdt_tokens.count(token) > 0;
        auto tok = s.tokens.find(token);
        if (!is_rdt) {
            if (tok == s.tokens.end()) {
                return finish(
                    op, error(403, "Unauthorized", "Access to requested resource is denied.",
                              "The access token you provided is revoked, malformed or invalid."));
            }
            if (tok->second <= now) {
                return finish(op,
                              error(403, "Unauthorized", "Access to requested resource is denied.",
                                    "The access token you provided has expired."));
            }
            if (info->grantless != (s.grantless_tokens.count(token) > 0)) {
                return finish(
                    op, error(403, "Unauthorized", "Access to requested resource is denied.",
                              info->grantless ? "This operation needs a grantless token."
                                              : "A grantless token cannot call this operation."));
            }
        }

        // Usage plan
        const double rate = info->rate * s.opt.speed_up;
        if (s.opt.enforce_quota && !s.take(op, rate, info->burst)) {
            ++s.throttled[op];
            return finish(op, error(429, "QuotaExceeded",
                                    "You exceeded your quota for the requested resource."));
        }
        auto ok = [&](int status, const json& body) {
            auto r = Response::json(status, body.is_null() ? "" : body.dump());
            char buf[32];
            std::snprintf(buf, sizeof buf, "%g", rate);
            r.headers.emplace_back("x-amzn-RateLimit-Limit", buf);
            r.delay = delay;
            return finish(op, r);
        };
        auto bad = [&](const std::string& msg) {
            return finish(op, error(400, "InvalidInput", "Invalid Input", msg));
        };
        if (s.sandbox) {
            if (auto ex = s.sandbox->answer(*info, path_params, params, req.body)) {
                if (ex->status >= 300) return finish(op, Response::json(ex->status, ex->body));
                auto r = ok(ex->status, json());
                r.body = ex->body;
                return r;
            }
        }
        const json body = req.body.empty() ? json() : json::parse(req.body, nullptr, false);
        using amazon::Operation;

        switch (info->op) {
            case Operation::search_orders: {
                std::string token_param = params["paginationToken"];
                std::size_t offset = 0;
                if (!token_param.empty()) {
                    if (token_param.rfind("page-", 0) != 0) return bad("invalid paginationToken");
                    offset = std::stoul(token_param.substr(5));
                } else {
                    bool created = params.count("createdAfter"),
                         updated = params.count("lastUpdatedAfter");
                    if (created == updated)
                        return bad("Exactly one of createdAfter or lastUpdatedAfter is required");
                }
                if (!params.count("marketplaceIds")) return bad("marketplaceIds is required");
                auto markets = csv(params["marketplaceIds"]);
                auto statuses = csv(params["fulfillmentStatuses"]);
                auto inc_v = csv(params["includedData"]);
                std::set<std::string> inc(inc_v.begin(), inc_v.end());
                std::size_t page = params.count("maxResultsPerPage")
                                       ? std::stoul(params["maxResultsPerPage"])
                                       : 100;
                std::vector<const SeedOrder*> hits;
                for (const auto& o : s.orders) {
                    if (std::find(markets.begin(), markets.end(), o.marketplace_id) ==
                        markets.end())
                        continue;
                    if (!statuses.empty() &&
                        std::find(statuses.begin(), statuses.end(), o.status) == statuses.end())
                        continue;
                    if (params.count("fulfilledBy") && params["fulfilledBy"] != o.fulfilled_by)
                        continue;
                    if (params.count("lastUpdatedAfter") &&
                        o.last_updated_time < params["lastUpdatedAfter"])
                        continue;
                    if (params.count("createdAfter") && o.created_time < params["createdAfter"])
                        continue;
                    hits.push_back(&o);
                }
                json out{{"orders", json::array()}};
                for (std::size_t i = offset; i < hits.size() && i < offset + page; ++i)
                    out["orders"].push_back(s.order26(*hits[i], inc));
                if (offset + page < hits.size())
                    out["pagination"] = {{"nextToken", "page-" + std::to_string(offset + page)}};
                out["lastUpdatedBefore"] = iso(now - std::chrono::minutes(2));
                return ok(200, out);
            }
            case Operation::get_order: {
                const auto* o = s.find_order(path_params[0]);
                if (o == nullptr)
                    return finish(op, error(404, "NotFound", "Order not found", path_params[0]));
                auto inc_v = csv(params["includedData"]);
                return ok(200, json{{"order", s.order26(*o, std::set<std::string>(inc_v.begin(),
                                                                                  inc_v.end()))}});
            }
            case Operation::get_orders_v0: {
                if (!params.count("MarketplaceIds")) return bad("MarketplaceIds is required");
                bool pii = is_rdt;
                // ordersV0.json: AmazonOrderIds, at most 50, narrows the answer to those ids.
                const auto wanted = csv(params["AmazonOrderIds"]);
                if (wanted.size() > 50) return bad("AmazonOrderIds accepts at most 50 ids");
                json orders = json::array();
                for (const auto& o : s.orders) {
                    if (!wanted.empty() &&
                        std::find(wanted.begin(), wanted.end(), o.order_id) == wanted.end())
                        continue;
                    if (params.count("LastUpdatedAfter") &&
                        o.last_updated_time < params["LastUpdatedAfter"])
                        continue;
                    if (params.count("CreatedAfter") && o.created_time < params["CreatedAfter"])
                        continue;
                    orders.push_back(s.order_v0(o, pii));
                }
                return ok(200, json{{"payload", {{"Orders", orders}}}});
            }
            case Operation::get_order_v0: {
                const auto* o = s.find_order(path_params[0]);
                if (o == nullptr) return finish(op, error(404, "NotFound", "Order not found"));
                return ok(200, json{{"payload", s.order_v0(*o, is_rdt)}});
            }
            case Operation::get_order_items_v0: {
                const auto* o = s.find_order(path_params[0]);
                if (o == nullptr) return finish(op, error(404, "NotFound", "Order not found"));
                json items = json::array();
                for (const auto& i : o->items) {
                    json it{
                        {"ASIN", i.asin},
                        {"OrderItemId", i.order_item_id},
                        {"SellerSKU", i.seller_sku},
                        {"Title", i.title},
                        {"QuantityOrdered", i.quantity},
                        {"QuantityShipped", 0},
                        {"ItemPrice", money_v0(line_total(i.unit_price, i.quantity), o->currency)},
                        {"ItemTax", money_v0(i.item_tax, o->currency)},
                        {"IsGift", i.gift_message.empty() ? "false" : "true"}};
                    if (!i.buyer_cancel_reason.empty()) {
                        it["BuyerRequestedCancel"] = {{"IsBuyerRequestedCancel", "true"},
                                                      {"BuyerCancelReason", i.buyer_cancel_reason}};
                    }
                    if (!i.promotion_ids.empty()) it["PromotionIds"] = i.promotion_ids;
                    if (!i.shipping_price.empty())
                        it["ShippingPrice"] = money_v0(i.shipping_price, o->currency);
                    if (!i.shipping_tax.empty())
                        it["ShippingTax"] = money_v0(i.shipping_tax, o->currency);
                    if (!i.promotion_discount.empty())
                        it["PromotionDiscount"] = money_v0(i.promotion_discount, o->currency);
                    if (!i.promotion_discount_tax.empty()) {
                        it["PromotionDiscountTax"] =
                            money_v0(i.promotion_discount_tax, o->currency);
                    }
                    if (is_rdt) {
                        it["BuyerInfo"] = {{"GiftMessageText", i.gift_message},
                                           {"GiftWrapLevel", i.gift_wrap_level}};
                        if (!i.gift_wrap_price.empty()) {
                            it["BuyerInfo"]["GiftWrapPrice"] =
                                money_v0(i.gift_wrap_price, o->currency);
                        }
                        if (!i.gift_wrap_tax.empty()) {
                            it["BuyerInfo"]["GiftWrapTax"] = money_v0(i.gift_wrap_tax, o->currency);
                        }
                        if (!i.customized_url.empty())
                            it["BuyerInfo"]["BuyerCustomizedInfo"] = {
                                {"CustomizedURL", i.customized_url}};
                    }
                    items.push_back(it);
                }
                return ok(200, json{{"payload",
                                     {{"AmazonOrderId", o->order_id}, {"OrderItems", items}}}});
            }
            case Operation::confirm_shipment: {
                auto* o = const_cast<SeedOrder*>(s.find_order(path_params[0]));
                if (o == nullptr) return finish(op, error(404, "NotFound", "Order not found"));
                if (body.is_discarded() || !body.contains("packageDetail") ||
                    !body.contains("marketplaceId"))
                    return bad("packageDetail and marketplaceId are required");
                const auto& pd = body["packageDetail"];
                for (const char* k : {"packageReferenceId", "carrierCode", "trackingNumber",
                                      "shipDate", "orderItems"}) {
                    if (!pd.contains(k))
                        return bad(std::string("packageDetail.") + k + " is required");
                }
                if (o->fulfilled_by != "MERCHANT")
                    return bad("confirmShipment applies to merchant-fulfilled orders only");
                const auto ref = pd["packageReferenceId"].is_string()
                                     ? pd["packageReferenceId"].get<std::string>()
                                     : std::string();
                if (ref.empty() || ref[0] == '0' ||
                    !std::all_of(ref.begin(), ref.end(), ::isdigit)) {
                    return bad("PackageReferenceId: is invalid, must be a positive numeric value.");
                }
                // Amazon keeps the packages it was told about; a package reference used again,
                // or items already shipped in full, is refused (what a rerun after a lost answer
                // meets).
                const char* kFulfilled =
                    "Failed to create package due to not finding a matching package or order "
                    "already fulfilled.";
                for (const auto& p : o->packages) {
                    if (p.package_reference_id == ref) return bad(kFulfilled);
                }
                SeedPackage pkg{ref, pd.value("carrierCode", ""), pd.value("trackingNumber", ""),
                                pd.value("shipDate", iso(now))};
                for (const auto& it : pd["orderItems"]) {
                    const std::string item_id = it.value("orderItemId", "");
                    const std::int64_t qty = it.value("quantity", std::int64_t{0});
                    auto item =
                        std::find_if(o->items.begin(), o->items.end(),
                                     [&](const SeedItem& i) { return i.order_item_id == item_id; });
                    if (item == o->items.end()) {
                        return bad("OrderItemId " + item_id +
                                   " is invalid, please obtain the value through the "
                                   "getOrderItems API or Manage Orders page");
                    }
                    const std::int64_t shipped = item->quantity_shipped >= 0
                                                     ? item->quantity_shipped
                                                 : o->status == "SHIPPED" ? item->quantity
                                                                          : 0;
                    if (qty < 1) return bad("quantity must be a positive number");
                    if (shipped + qty > item->quantity) return bad(kFulfilled);
                    pkg.items.emplace_back(item_id, qty);
                }
                for (const auto& [item_id, qty] : pkg.items) {
                    for (auto& i : o->items) {
                        if (i.order_item_id != item_id) continue;
                        const std::int64_t shipped = i.quantity_shipped >= 0  ? i.quantity_shipped
                                                     : o->status == "SHIPPED" ? i.quantity
                                                                              : 0;
                        i.quantity_shipped = shipped + qty;
                    }
                }
                bool all = true;
                for (const auto& i : o->items)
                    all = all && (i.cancelled || i.quantity_shipped >= i.quantity);
                o->packages.push_back(std::move(pkg));
                s.shipment_confirmations.push_back(req.body);
                s.shipment_confirmation_times.push_back(now);
                o->status = all ? "SHIPPED" : "PARTIALLY_SHIPPED";
                o->last_updated_time = iso(now);
                auto r = ok(204, json());
                r.body.clear();
                return r;
            }
            case Operation::create_restricted_data_token: {
                if (body.is_discarded() || !body.contains("restrictedResources"))
                    return bad("restrictedResources is required");
                for (const auto& r : body["restrictedResources"]) {
                    auto elements = r.value("dataElements", json::array());
                    for (const auto& e : elements) {
                        std::string role = e == "shippingAddress" ? "Direct-to-Consumer Delivery"
                                                                  : "Tax Invoicing";
                        if (!s.opt.roles.count(role)) {
                            return finish(
                                op, error(403, "Unauthorized",
                                          "Access to requested resource is denied.",
                                          "The application is not authorized for the role " + role +
                                              " (Restricted)."));
                        }
                    }
                }
                auto t = s.id("Atz.sprdt|fake-");
                s.rdt_tokens.insert(t);
                return ok(200, json{{"restrictedDataToken", t}, {"expiresIn", 3600}});
            }
            case Operation::get_inventory_summaries: {
                if (params["granularityType"] != "Marketplace" || params["granularityId"].empty())
                    return bad("granularityType/granularityId required");
                std::size_t offset = 0;
                if (params.count("nextToken")) {
                    auto it = s.inventory_tokens.find(params["nextToken"]);
                    if (it == s.inventory_tokens.end() || it->second <= now)
                        return bad("The nextToken has expired.");
                    offset =
                        std::stoul(params["nextToken"].substr(params["nextToken"].rfind('-') + 1));
                }
                auto skus = csv(params["sellerSkus"]);
                std::vector<const SeedInventory*> hits;
                for (const auto& i : s.inventory) {
                    if (!skus.empty() &&
                        std::find(skus.begin(), skus.end(), i.seller_sku) == skus.end())
                        continue;
                    hits.push_back(&i);
                }
                json sums = json::array();
                const std::size_t page = 2;  // small pages so tests paginate
                for (std::size_t i = offset; i < hits.size() && i < offset + page; ++i) {
                    const auto& v = *hits[i];
                    sums.push_back(
                        {{"asin", v.asin},
                         {"fnSku", v.fn_sku},
                         {"sellerSku", v.seller_sku},
                         {"condition", "NewItem"},
                         {"totalQuantity", v.fulfillable + v.inbound + v.reserved},
                         {"lastUpdatedTime", iso(now)},
                         {"inventoryDetails",
                          {{"fulfillableQuantity", v.fulfillable},
                           {"inboundWorkingQuantity", v.inbound},
                           {"reservedQuantity", {{"totalReservedQuantity", v.reserved}}}}}});
                }
                json out{{"payload",
                          {{"granularity",
                            {{"granularityType", "Marketplace"},
                             {"granularityId", params["granularityId"]}}},
                           {"inventorySummaries", sums}}}};
                if (offset + page < hits.size()) {
                    auto t = s.id("inv-") + "-" + std::to_string(offset + page);
                    s.inventory_tokens[t] = now + std::chrono::seconds(30);
                    out["pagination"] = {{"nextToken", t}};
                }
                return ok(200, out);
            }
            case Operation::get_listings_item: {
                if (path_params[0] != s.opt.seller_id)
                    return finish(
                        op, error(403, "Unauthorized", "Access to requested resource is denied.",
                                  "sellerId does not match the token"));
                auto sku = path_params[1];
                if (sku == "BadSKU")
                    return finish(op, error(400, "BAD_REQUEST", "Invalid input", "Invalid input"));
                json out{{"sku", sku},
                         {"summaries", json::array({{{"marketplaceId", params["marketplaceIds"]},
                                                     {"asin", "B000FAKE"},
                                                     {"productType", "PRODUCT"},
                                                     {"conditionType", "new_new"},
                                                     {"status", {"BUYABLE"}},
                                                     {"itemName", sku}}})}};
                if (s.listing_qty.count(sku))
                    out["attributes"] = {{"fulfillment_availability",
                                          json::array({{{"fulfillment_channel_code", "DEFAULT"},
                                                        {"quantity", s.listing_qty[sku]}}})}};
                return ok(200, out);
            }
            case Operation::patch_listings_item: {
                auto sku = path_params[1];
                if (body.is_discarded() || !body.contains("productType") ||
                    !body.contains("patches")) {
                    return finish(op, error(400, "InvalidInput", "Invalid Input",
                                            "productType and patches are required"));
                }
                if (params["mode"] != "VALIDATION_PREVIEW") {
                    for (const auto& p : body["patches"]) {
                        if (p.value("path", "") == "/attributes/fulfillment_availability") {
                            for (const auto& v : p["value"]) {
                                if (v.value("fulfillment_channel_code", "") == "DEFAULT")
                                    s.listing_qty[sku] = v.value("quantity", 0);
                            }
                        }
                    }
                }
                return ok(200, json{{"sku", sku},
                                    {"status",
                                     params["mode"] == "VALIDATION_PREVIEW" ? "VALID" : "ACCEPTED"},
                                    {"submissionId", s.id("sub-")},
                                    {"issues", json::array()}});
            }
            case Operation::create_feed_document: {
                if (body.is_discarded() || !body.contains("contentType"))
                    return bad("contentType is required");
                auto id = s.id("feed-doc-");
                s.documents[id] = {body["contentType"].get<std::string>(), ""};
                return ok(
                    201,
                    json{{"feedDocumentId", id},
                         {"url", s.base + "/s3/feeds/" + id +
                                     "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=fake"}});
            }
            case Operation::create_feed: {
                if (body.is_discarded() || !body.contains("feedType") ||
                    !body.contains("inputFeedDocumentId"))
                    return bad("feedType and inputFeedDocumentId are required");
                auto doc = body["inputFeedDocumentId"].get<std::string>();
                if (!s.documents.count(doc)) return bad("unknown inputFeedDocumentId");
                Feed f{s.id("feed-"), body["feedType"], doc, "", now};
                s.feeds[f.id] = f;
                return ok(202, json{{"feedId", f.id}});
            }
            case Operation::get_feed: {
                auto it = s.feeds.find(path_params[0]);
                if (it == s.feeds.end())
                    return finish(op, error(404, "NotFound", "Feed not found"));
                auto& f = it->second;
                json out{{"feedId", f.id}, {"feedType", f.type}, {"createdTime", iso(f.created)}};
                if (now - f.created < s.opt.feed_processing_time) {
                    out["processingStatus"] = now - f.created < s.opt.feed_processing_time / 2
                                                  ? "IN_QUEUE"
                                                  : "IN_PROGRESS";
                } else {
                    if (f.result_document.empty() && f.type == amazon::kOrderAcknowledgementFeed) {
                        // Seller cancellations, applied now; the flat-file processing report
                        // names each row Amazon refused.
                        f.result_document = s.id("feed-result-");
                        s.documents[f.result_document] = {
                            "text/plain", fakes::http::gzip(s.cancel_orders(
                                              s.documents[f.input_document].second, iso(now)))};
                    }
                    if (f.result_document.empty()) {
                        // Processing report: one message per input message, errors for quantity <
                        // 0.
                        auto in = json::parse(s.documents[f.input_document].second, nullptr, false);
                        int processed = 0, invalid = 0;
                        json issues = json::array();
                        if (!in.is_discarded()) {
                            for (const auto& msg : in.value("messages", json::array())) {
                                ++processed;
                                if (!msg.contains("productType") &&
                                    msg.value("operationType", "") != "DELETE") {
                                    ++invalid;
                                    issues.push_back({{"messageId", msg.value("messageId", 0)},
                                                      {"sku", msg.value("sku", "")},
                                                      {"code", "4000001"},
                                                      {"severity", "ERROR"},
                                                      {"message", "productType is required"}});
                                }
                            }
                        }
                        json report{
                            {"header",
                             {{"sellerId", s.opt.seller_id}, {"version", "2.0"}, {"feedId", f.id}}},
                            {"issues", issues},
                            {"summary",
                             {{"errors", invalid},
                              {"warnings", 0},
                              {"messagesProcessed", processed},
                              {"messagesAccepted", processed - invalid},
                              {"messagesInvalid", invalid}}}};
                        f.result_document = s.id("feed-result-");
                        s.documents[f.result_document] = {"application/json",
                                                          fakes::http::gzip(report.dump())};
                    }
                    out["processingStatus"] = "DONE";
                    out["processingEndTime"] = iso(now);
                    out["resultFeedDocumentId"] = f.result_document;
                }
                return ok(200, out);
            }
            case Operation::get_feed_document: {
                if (!s.documents.count(path_params[0]))
                    return finish(op, error(404, "NotFound", "Document not found"));
                return ok(200, json{{"feedDocumentId", path_params[0]},
                                    {"url", s.base + "/s3/feeds/" + path_params[0] +
                                                "?X-Amz-Signature=fake"},
                                    {"compressionAlgorithm", "GZIP"}});
            }
            case Operation::get_reports: {
                if (params.count("nextToken") && params.size() > 1)
                    return bad("nextToken must be sent alone");
                auto types = csv(params["reportTypes"]);
                json reports = json::array();
                for (const auto& r : s.reports) {
                    if (!types.empty() &&
                        std::find(types.begin(), types.end(), r.type) == types.end())
                        continue;
                    reports.push_back({{"reportId", r.id},
                                       {"reportType", r.type},
                                       {"processingStatus", "DONE"},
                                       {"createdTime", r.created},
                                       {"reportDocumentId", "doc-" + r.id}});
                }
                return ok(200, json{{"reports", reports}});
            }
            case Operation::get_report: {
                for (const auto& r : s.reports) {
                    if (r.id == path_params[0])
                        return ok(200, json{{"reportId", r.id},
                                            {"reportType", r.type},
                                            {"processingStatus", "DONE"},
                                            {"createdTime", r.created},
                                            {"reportDocumentId", "doc-" + r.id}});
                }
                return bad("Invalid input");
            }
            case Operation::get_report_document: {
                for (const auto& r : s.reports) {
                    if ("doc-" + r.id == path_params[0]) {
                        s.documents[path_params[0]] = {
                            "text/tab-separated-values",
                            r.gzip ? fakes::http::gzip(r.content) : r.content};
                        json out{{"reportDocumentId", path_params[0]},
                                 {"url", s.base + "/s3/reports/" + path_params[0] +
                                             "?X-Amz-Signature=fake"}};
                        if (r.gzip) out["compressionAlgorithm"] = "GZIP";
                        return ok(200, out);
                    }
                }
                return bad("Invalid input");
            }
            case Operation::list_financial_event_groups:
                return ok(200, json{{"payload",
                                     {{"FinancialEventGroupList",
                                       json::array({{{"FinancialEventGroupId", "G1"},
                                                     {"ProcessingStatus", "Closed"},
                                                     {"FundTransferStatus", "Succeeded"},
                                                     {"OriginalTotal",
                                                      {{"CurrencyCode", "USD"},
                                                       {"CurrencyAmount", 123.45}}}}})}}}});
            case Operation::list_financial_events:
            case Operation::list_financial_events_by_group_id: {
                if (s.financial_pages.empty())
                    return ok(200, json{{"payload", {{"FinancialEvents", json::object()}}}});
                auto page = s.financial_pages.front();
                s.financial_pages.pop_front();
                return ok(200, json::parse(page));
            }
            case Operation::list_transactions:
                return ok(200, json{{"payload", {{"transactions", json::array()}}}});
            case Operation::get_fulfillment_preview: {
                if (body.is_discarded() || !body.contains("address") || !body.contains("items"))
                    return bad("address and items are required");
                json previews = json::array();
                for (const char* speed : {"Standard", "Expedited"}) {
                    previews.push_back(
                        {{"shippingSpeedCategory", speed},
                         {"isFulfillable", true},
                         {"isCODCapable", false},
                         {"estimatedFees",
                          json::array(
                              {{{"name", "FBAPerUnitFulfillmentFee"},
                                {"amount", {{"currencyCode", "USD"}, {"value", "3.22"}}}}})}});
                }
                return ok(200, json{{"payload", {{"fulfillmentPreviews", previews}}}});
            }
            case Operation::create_fulfillment_order: {
                if (body.is_discarded()) return bad("malformed body");
                for (const char* k : {"sellerFulfillmentOrderId", "displayableOrderId",
                                      "displayableOrderDate", "displayableOrderComment",
                                      "shippingSpeedCategory", "destinationAddress", "items"}) {
                    if (!body.contains(k)) return bad(std::string(k) + " is required");
                }
                auto id = body["sellerFulfillmentOrderId"].get<std::string>();
                if (!s.mcf_orders.count(id)) {  // idempotent on the seller's id
                    json o = body;
                    o["fulfillmentOrderStatus"] = "Received";
                    o["receivedDate"] = iso(now);
                    o["statusUpdatedDate"] = iso(now);
                    s.mcf_orders[id] = o;
                }
                return ok(200, json::object());
            }
            case Operation::get_fulfillment_order: {
                auto it = s.mcf_orders.find(path_params[0]);
                if (it == s.mcf_orders.end())
                    return finish(op, error(400, "InvalidInput", "Invalid Input",
                                            "Requested order not found"));
                json items = json::array();
                for (const auto& i : it->second["items"]) {
                    items.push_back(
                        {{"sellerSku", i["sellerSku"]},
                         {"sellerFulfillmentOrderItemId", i["sellerFulfillmentOrderItemId"]},
                         {"quantity", i["quantity"]},
                         {"cancelledQuantity", 0},
                         {"unfulfillableQuantity", 0}});
                }
                json fo = it->second;
                fo.erase("items");
                json shipments = json::array();
                if (fo["fulfillmentOrderStatus"] == "Complete") {
                    shipments.push_back({{"amazonShipmentId", "AMZSHIP1"},
                                         {"fulfillmentCenterId", "PHX7"},
                                         {"fulfillmentShipmentStatus", "SHIPPED"},
                                         {"fulfillmentShipmentPackage",
                                          json::array({{{"packageNumber", 1},
                                                        {"carrierCode", "UPS"},
                                                        {"trackingNumber", "1Z999"}}})}});
                }
                return ok(200, json{{"payload",
                                     {{"fulfillmentOrder", fo},
                                      {"fulfillmentOrderItems", items},
                                      {"fulfillmentShipments", shipments}}}});
            }
            case Operation::get_package_tracking_details:
                return ok(200, json{{"payload",
                                     {{"packageNumber", std::stoll(params["packageNumber"].empty()
                                                                       ? "0"
                                                                       : params["packageNumber"])},
                                      {"trackingNumber", "1Z999"},
                                      {"carrierCode", "UPS"},
                                      {"currentStatus", "IN_TRANSIT"},
                                      {"trackingEvents",
                                       json::array({{{"eventDate", iso(now)},
                                                     {"eventCode", "EVENT_101"},
                                                     {"eventDescription",
                                                      "Carrier picked up the package."}}})}}}});
            case Operation::cancel_fulfillment_order: {
                auto it = s.mcf_orders.find(path_params[0]);
                if (it == s.mcf_orders.end()) return bad("Requested order not found");
                if (it->second["fulfillmentOrderStatus"] == "Complete")
                    return bad("The order has shipped and cannot be cancelled");
                it->second["fulfillmentOrderStatus"] = "Cancelled";
                return ok(200, json::object());
            }
            case Operation::get_destinations:
                return ok(200, json{{"payload", s.destinations}});
            case Operation::create_destination: {
                if (body.is_discarded() || !body.contains("name") ||
                    !body.contains("resourceSpecification"))
                    return bad("name and resourceSpecification are required");
                json d{{"destinationId", s.id("dest-")},
                       {"name", body["name"]},
                       {"resource", body["resourceSpecification"]}};
                s.destinations.push_back(d);
                return ok(200, json{{"payload", d}});
            }
            case Operation::get_subscription: {
                auto it = s.subscriptions.find(path_params[0]);
                if (it == s.subscriptions.end())
                    return finish(op, error(404, "NotFound", "Subscription not found"));
                return ok(200, json{{"payload", it->second}});
            }
            case Operation::create_subscription: {
                if (body.is_discarded() || !body.contains("destinationId"))
                    return bad("destinationId is required");
                if (s.subscriptions.count(path_params[0]))
                    return finish(op, error(409, "Conflict", "Subscription already exists",
                                            s.subscriptions[path_params[0]]["subscriptionId"]));
                json sub{{"subscriptionId", s.id("sub-")},
                         {"payloadVersion", body.value("payloadVersion", "1.0")},
                         {"destinationId", body["destinationId"]}};
                s.subscriptions[path_params[0]] = sub;
                return ok(200, json{{"payload", sub}});
            }
            case Operation::delete_subscription_by_id:
                s.subscriptions.erase(path_params[0]);
                return ok(200, json::object());
        }
        return error(500, "InternalFailure", "fake: unhandled operation " + op);
    });
    state_->base = server_->base_url();
}

FakeSpApi::~FakeSpApi() { server_.reset(); }

std::string FakeSpApi::base_url() const { return server_->base_url(); }
std::string FakeSpApi::lwa_url() const { return server_->base_url() + "/auth/o2/token"; }

amazon::AmazonOptions FakeSpApi::client_options(std::vector<std::string> marketplaces) const {
    amazon::AmazonOptions a;
    a.region = amazon::Region::na;
    a.seller_id = options_.seller_id;
    a.marketplace_ids = std::move(marketplaces);
    a.lwa_client_id = options_.client_id;
    a.lwa_client_secret = Secret(options_.client_secret);
    a.refresh_token = Secret(options_.refresh_token);
    a.endpoint = base_url();
    a.lwa_endpoint = lwa_url();
    a.timeout = std::chrono::seconds{5};
    return a;
}

amazon::LwaOptions FakeSpApi::lwa_options(const amazon::AmazonOptions& client) {
    return amazon::LwaOptions{client.lwa_token_url(), client.lwa_client_id,
                              client.lwa_client_secret, std::chrono::seconds{60},
                              std::chrono::milliseconds{5000}};
}
std::string FakeSpApi::sqs_url() const { return server_->base_url(); }
std::string FakeSpApi::queue_url() const {
    return server_->base_url() + "/000000000000/sp-notifications";
}

void FakeSpApi::add_order(SeedOrder order) {
    std::lock_guard lock(state_->mutex);
    state_->orders.push_back(std::move(order));
}

void FakeSpApi::set_order_status(const std::string& id, std::string status, std::string updated) {
    std::lock_guard lock(state_->mutex);
    for (auto& o : state_->orders) {
        if (o.order_id == id) {
            o.status = std::move(status);
            o.last_updated_time = std::move(updated);
        }
    }
}

void FakeSpApi::update_order(const std::string& id, const std::function<void(SeedOrder&)>& change) {
    std::lock_guard lock(state_->mutex);
    for (auto& o : state_->orders) {
        if (o.order_id == id) change(o);
    }
}

void FakeSpApi::add_inventory(SeedInventory inv) {
    std::lock_guard lock(state_->mutex);
    state_->inventory.push_back(std::move(inv));
}

void FakeSpApi::add_report(
    std::string id, std::string type, std::string content, bool gz, std::string created) {
    std::lock_guard lock(state_->mutex);
    state_->reports.push_back(
        {std::move(id), std::move(type), std::move(content), std::move(created), gz});
}

void FakeSpApi::add_financial_events_page(std::string body) {
    std::lock_guard lock(state_->mutex);
    state_->financial_pages.push_back(std::move(body));
}

void FakeSpApi::enqueue_message(std::string body) {
    std::lock_guard lock(state_->mutex);
    state_->queue.push_back({state_->id("msg-"), std::move(body), "", {}, 0});
}

std::size_t FakeSpApi::queue_visible() const {
    std::lock_guard lock(state_->mutex);
    auto now = state_->clock->now();
    return static_cast<std::size_t>(
        std::count_if(state_->queue.begin(), state_->queue.end(),
                      [&](const SqsEntry& e) { return e.visible_at <= now; }));
}

std::size_t FakeSpApi::queue_in_flight() const {
    std::lock_guard lock(state_->mutex);
    auto now = state_->clock->now();
    return static_cast<std::size_t>(
        std::count_if(state_->queue.begin(), state_->queue.end(),
                      [&](const SqsEntry& e) { return e.visible_at > now; }));
}

std::size_t FakeSpApi::queue_total() const {
    std::lock_guard lock(state_->mutex);
    return state_->queue.size();
}

std::size_t FakeSpApi::deleted_messages() const {
    std::lock_guard lock(state_->mutex);
    return state_->deleted;
}

void FakeSpApi::fail_nth(const std::string& operation, int nth, Fault fault) {
    std::lock_guard lock(state_->mutex);
    state_->faults[operation][state_->calls[operation] + nth] = fault;
}

void FakeSpApi::expire_all_tokens() {
    std::lock_guard lock(state_->mutex);
    auto now = state_->clock->now();
    for (auto& [t, exp] : state_->tokens) exp = std::min(exp, now);
}

int FakeSpApi::calls(const std::string& op) const {
    std::lock_guard lock(state_->mutex);
    auto it = state_->calls.find(op);
    return it == state_->calls.end() ? 0 : it->second;
}

int FakeSpApi::throttled(const std::string& op) const {
    std::lock_guard lock(state_->mutex);
    auto it = state_->throttled.find(op);
    return it == state_->throttled.end() ? 0 : it->second;
}

std::vector<std::string> FakeSpApi::shipment_confirmations() const {
    std::lock_guard lock(state_->mutex);
    return state_->shipment_confirmations;
}

std::vector<Clock::time_point> FakeSpApi::shipment_confirmation_times() const {
    std::lock_guard lock(state_->mutex);
    return state_->shipment_confirmation_times;
}

std::string FakeSpApi::last_user_agent() const {
    std::lock_guard lock(state_->mutex);
    return state_->last_user_agent;
}

std::optional<std::int64_t> FakeSpApi::listing_quantity(const std::string& sku) const {
    std::lock_guard lock(state_->mutex);
    auto it = state_->listing_qty.find(sku);
    if (it == state_->listing_qty.end()) return std::nullopt;
    return it->second;
}

std::string FakeSpApi::uploaded_feed_content(const std::string& id) const {
    std::lock_guard lock(state_->mutex);
    auto it = state_->documents.find(id);
    return it == state_->documents.end() ? std::string{} : it->second.second;
}

std::vector<std::string> FakeSpApi::feed_contents(const std::string& feed_type) const {
    std::lock_guard lock(state_->mutex);
    std::vector<std::pair<Clock::time_point, std::string>> found;
    for (const auto& [id, f] : state_->feeds) {
        if (f.type != feed_type) continue;
        auto doc = state_->documents.find(f.input_document);
        found.emplace_back(f.created, doc == state_->documents.end() ? "" : doc->second.second);
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> out;
    for (auto& [t, c] : found) out.push_back(std::move(c));
    return out;
}

void FakeSpApi::schedule_order(SeedOrder initial,
                               Clock::time_point created_at,
                               std::vector<TimelineStep> steps,
                               int create_notifications) {
    std::lock_guard lock(state_->mutex);
    const std::string id = initial.order_id;
    TimelineStep creation;
    creation.notifications = create_notifications;
    state_->scheduled.emplace(created_at, State::ScheduledChange{id, std::move(initial), creation});
    for (auto& step : steps) {
        auto at = std::max(step.at, created_at);
        state_->scheduled.emplace(at, State::ScheduledChange{id, std::nullopt, std::move(step)});
    }
}

std::size_t FakeSpApi::advance() {
    std::lock_guard lock(state_->mutex);
    return state_->apply_due(state_->clock->now());
}

std::size_t FakeSpApi::pending_changes() const {
    std::lock_guard lock(state_->mutex);
    return state_->scheduled.size();
}

std::optional<SeedOrder> FakeSpApi::order(const std::string& order_id) const {
    std::lock_guard lock(state_->mutex);
    const auto* o = state_->find_order(order_id);
    if (o == nullptr) return std::nullopt;
    return *o;
}

}  // namespace clarity::fakes::sp_api
