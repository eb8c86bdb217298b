#include "clarity/amazon/sp_api_client.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <fstream>

#include "clarity/amazon/api_error.hpp"
#include "clarity/core/backoff.hpp"
#include "clarity/core/gzip.hpp"
#include "clarity/core/log.hpp"
#include "clarity/core/version.hpp"
#include "json_util.hpp"
#include "query.hpp"

namespace clarity::amazon {

namespace asio = boost::asio;

namespace {

/// A feed processing report is held in memory to decode it; real ones are a few kilobytes.
constexpr std::uint64_t kMaxFeedReportBytes = 64ull << 20;

constexpr std::string_view kNotificationsScope = "sellingpartnerapi::notifications";
// Retries of one call after a transient failure (amazon.max_attempts tries in all): full jitter,
// the first retry within 0.5 s, the ceiling doubling up to 30 s.
constexpr std::chrono::milliseconds kRetryBase{500};
constexpr std::chrono::milliseconds kRetryCap{30'000};

asio::awaitable<void> sleep_for(std::chrono::nanoseconds d) {
    if (d <= std::chrono::nanoseconds::zero()) co_return;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(d);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

std::optional<double> parse_rate(std::string_view text) {
    // x-amzn-RateLimit-Limit is a decimal requests-per-second value ("0.0167", "5.0").
    try {
        std::size_t used = 0;
        double v = std::stod(std::string(text), &used);
        if (used == 0 || !(v > 0)) return std::nullopt;
        return v;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

bool may_resend(const OperationInfo& info) {
    if (info.method != "POST") return true;
    // POSTs that are safe to repeat: reads, and writes keyed by the caller's own id.
    switch (info.op) {
        case Operation::confirm_shipment:
        case Operation::create_restricted_data_token:
        case Operation::get_fulfillment_preview:
        case Operation::create_fulfillment_order:
        case Operation::create_subscription:
            return true;
        default:
            return false;
    }
}

// Expands {name} in a path template with the percent-encoded value. (Plain parameters rather
// than a braced list: g++ 12 rejects initializer lists inside co_await expressions.)
std::string fill(std::string_view tmpl,
                 std::string_view name,
                 const std::string& value,
                 std::string_view name2 = {},
                 const std::string& value2 = {}) {
    std::string out(tmpl);
    auto put = [&](std::string_view n, const std::string& v) {
        auto key = "{" + std::string(n) + "}";
        auto pos = out.find(key);
        if (pos != std::string::npos) out.replace(pos, key.size(), encode_path_segment(v));
    };
    put(name, value);
    if (!name2.empty()) put(name2, value2);
    return out;
}

Result<void> ok() { return {}; }

}  // namespace

std::string user_agent() {
    return std::string(kProductName) + "/" + kVersion + " (Language=C++/20; Platform=Linux)";
}

std::string encode_path_segment(std::string_view segment) {
    return detail::percent_encode(segment);
}

struct SpApiClient::Instruments {};

SpApiClient::SpApiClient(net::HttpClient& http,
                         LwaTokenSource& lwa,
                         QuotaLimiter& quota,
                         const Clock& clock,
                         Random& random,
                         core::MetricsRegistry& metrics,
                         AmazonOptions options)
    : http_(http),
      lwa_(lwa),
      quota_(quota),
      clock_(clock),
      random_(random),
      metrics_(metrics),
      options_(std::move(options)),
      base_url_(options_.sp_api_base_url()) {
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

SpApiClient::~SpApiClient() = default;

asio::awaitable<Result<Secret>> SpApiClient::access_token(const OperationInfo& info) {
    if (info.grantless) {
        std::string scope(kNotificationsScope);
        co_return co_await lwa_.grantless_token(std::move(scope));
    }
    Secret refresh = options_.refresh_token;
    co_return co_await lwa_.seller_token(std::move(refresh));
}

asio::awaitable<Result<net::HttpResponse>> SpApiClient::call(SpApiCall c) {
    const auto& info = operation_info(c.op);
    const std::string op_name(info.name);
    const core::Labels labels{{"operation", op_name}};
    auto log = core::logger("amazon.sp_api");
    auto& latency = metrics_.histogram("clarity_amazon_request_seconds",
                                       "SP-API request latency by operation", labels);
    auto count = [&](std::string_view outcome) {
        metrics_
            .counter("clarity_amazon_requests_total", "SP-API requests by operation and outcome",
                     {{"operation", op_name}, {"outcome", std::string(outcome)}})
            .inc();
    };
    const std::string& seller = options_.seller_id;
    bool refreshed = false;
    int attempt = 0;
    std::optional<Error> last_error;
    const core::BackoffPolicy retry{kRetryBase, kRetryCap, options_.max_attempts};

    while (retry.may_retry(attempt)) {
        ++attempt;
        {
            std::chrono::nanoseconds wait = quota_.reserve(seller, c.op);
            co_await sleep_for(wait);
        }

        Secret token;
        if (c.restricted_data_token) {
            token = *c.restricted_data_token;
        } else {
            auto t = co_await access_token(info);
            if (!t) {
                count(t.error().kind == ErrorKind::unavailable ? "circuit_open" : "auth_error");
                auto e = t.error();
                e.context = op_name + ": " + e.context;
                co_return e;
            }
            token = *t;
        }

        net::HttpRequest req;
        req.method = std::string(info.method);
        req.url = base_url_ + c.path + (c.query.empty() ? "" : "?" + c.query);
        req.headers = {{"x-amz-access-token", token.reveal()},
                       {"user-agent", user_agent()},
                       {"accept", "application/json"}};
        if (!c.body.empty() || info.method == "POST" || info.method == "PUT" ||
            info.method == "PATCH") {
            req.headers.emplace_back("content-type", "application/json");
        }
        req.body = c.body;
        req.timeout = options_.timeout;
        req.idempotent = may_resend(info);
        // A transient failure of this try is tried again below: a circuit breaker in front of
        // the HTTP client counts the call's failure once, at its last try.
        req.retried_by_caller = may_resend(info) && retry.may_retry(attempt);

        const auto started = clock_.steady_now();
        auto resp = co_await http_.send(std::move(req));
        latency.observe(std::chrono::duration<double>(clock_.steady_now() - started).count());
        if (resp) quota_.on_response(seller, c.op);

        if (!resp && resp.error().kind == ErrorKind::unavailable) {
            // Amazon's circuit is open: nothing was sent. Return at once (the job waits for
            // retry_after) instead of spending this call's retries on a refusal.
            quota_.give_back(seller, c.op);
            count("circuit_open");
            auto e = resp.error();
            e.context = op_name + " " + c.path + " (" + e.context + ")";
            co_return e;
        }
        if (!resp) {
            last_error = resp.error();
            last_error->context = op_name + " " + c.path;
            count("transport_error");
            log->warn("{} attempt {} failed: {}", op_name, attempt, last_error->describe());
            if (!is_retryable(last_error->kind) || !may_resend(info)) co_return *last_error;
            if (retry.may_retry(attempt)) co_await sleep_for(retry.delay(attempt, random_));
            continue;
        }

        if (auto limit = resp->header("x-amzn-RateLimit-Limit")) {
            if (auto rate = parse_rate(*limit)) {
                quota_.set_rate(seller, c.op, *rate);
                metrics_.gauge("clarity_amazon_rate_limit", "Rate (rps) Amazon reported", labels)
                    .set(*rate);
            }
        }

        if (resp->status >= 200 && resp->status < 300 && !resp->body.empty() &&
            !detail::json::accept(resp->body)) {
            // Cut short or damaged on the way (the length matched what arrived, e.g. a proxy
            // closing a body without Content-Length): Amazon did answer, but not this.
            last_error = make_error(ErrorKind::transient,
                                    op_name + " answered HTTP " + std::to_string(resp->status) +
                                        " with a body that is not complete JSON (" +
                                        std::to_string(resp->body.size()) +
                                        " bytes, cut short or damaged on the way)",
                                    op_name + " " + c.path);
            last_error->http_status = resp->status;
            last_error->request_id = request_id_of(*resp);
            count("incomplete_body");
            log->warn("{} attempt {} failed: {}", op_name, attempt, last_error->describe());
            if (!may_resend(info)) co_return *last_error;
            if (retry.may_retry(attempt)) co_await sleep_for(retry.delay(attempt, random_));
            continue;
        }
        if (resp->status >= 200 && resp->status < 300) {
            count("ok");
            log->debug("{} {} -> {} ({})", op_name, c.path, resp->status, request_id_of(*resp));
            co_return std::move(*resp);
        }

        auto classified = classify_sp_api_response(*resp, op_name, c.required_role);
        last_error = classified.error;
        if (classified.action == ResponseAction::refresh_token && !refreshed &&
            !c.restricted_data_token) {
            refreshed = true;
            --attempt;  // the refresh retry is not a budgeted attempt
            count("token_refresh");
            log->info("{}: access token rejected (request id {}), refreshing once", op_name,
                      last_error->request_id);
            lwa_.invalidate(token);
            continue;
        }
        if (last_error->kind == ErrorKind::rate_limited) {
            count("throttled");
            metrics_.counter("clarity_amazon_throttled_total", "429 QuotaExceeded answers", labels)
                .inc();
            quota_.drain(seller, c.op);  // the next reserve() waits one refill period
            log->info("{} throttled (request id {}), waiting for the bucket", op_name,
                      last_error->request_id);
            continue;
        }
        if (last_error->kind == ErrorKind::transient) {
            count("transient_error");
            if (retry.may_retry(attempt)) co_await sleep_for(retry.delay(attempt, random_));
            continue;
        }
        count(to_string(last_error->kind));
        log->warn("{} failed: {}", op_name, last_error->describe());
        co_return *last_error;
    }
    count("gave_up");
    if (!last_error) last_error = make_error(ErrorKind::transient, "no attempt made", op_name);
    last_error->message +=
        " (gave up after " + std::to_string(options_.max_attempts) + " attempts)";
    co_return *last_error;
}

// ---- Orders 2026-01-01
// ---------------------------------------------------------------------------

asio::awaitable<Result<SearchOrdersPage>> SpApiClient::search_orders(SearchOrdersRequest r) {
    if (r.marketplace_ids.empty()) r.marketplace_ids = options_.marketplace_ids;
    SpApiCall call_spec{Operation::search_orders,
                        "/orders/2026-01-01/orders",
                        encode_search_orders_query(r),
                        {},
                        {},
                        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_search_orders(resp->body);
}

asio::awaitable<Sweep<Order>> SpApiClient::search_all_orders(SearchOrdersRequest r, int max_pages) {
    Sweep<Order> sweep;
    while (sweep.pages < max_pages) {
        SearchOrdersRequest page_request = r;
        auto page = co_await search_orders(std::move(page_request));
        if (!page) {
            sweep.error = page.error();
            sweep.resume_token = r.pagination_token;
            co_return sweep;
        }
        ++sweep.pages;
        for (auto& o : page->orders) sweep.items.push_back(std::move(o));
        if (!page->next_token) break;
        r.pagination_token = page->next_token;
    }
    co_return sweep;
}

asio::awaitable<Result<Order>> SpApiClient::get_order(std::string order_id,
                                                      std::vector<std::string> included) {
    detail::QueryBuilder q;
    q.add_csv("includedData", included);
    SpApiCall call_spec{Operation::get_order,
                        fill(operation_info(Operation::get_order).path, "orderId", order_id),
                        q.str(),
                        {},
                        {},
                        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_get_order(resp->body);
}

// ---- Orders v0
// -----------------------------------------------------------------------------------

asio::awaitable<Result<RestrictedDataToken>> SpApiClient::create_restricted_data_token(
    std::vector<RestrictedResource> resources) {
    SpApiCall call_spec{Operation::create_restricted_data_token,
                        "/tokens/2021-03-01/restrictedDataToken",
                        {},
                        encode_rdt_request(resources),
                        {},
                        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_rdt_response(resp->body);
}

asio::awaitable<Result<GetOrdersPageV0>> SpApiClient::get_orders_v0(GetOrdersRequestV0 r,
                                                                    bool with_pii) {
    if (r.marketplace_ids.empty()) r.marketplace_ids = options_.marketplace_ids;
    SpApiCall c{
        Operation::get_orders_v0, "/orders/v0/orders", encode_get_orders_v0_query(r), {}, {}, {}};
    if (with_pii) {
        std::vector<RestrictedResource> resources{
            {"GET", "/orders/v0/orders", {"buyerInfo", "shippingAddress"}}};
        auto rdt = co_await create_restricted_data_token(std::move(resources));
        if (!rdt) co_return rdt.error();
        c.restricted_data_token = Secret(rdt->token);
        c.required_role = "Direct-to-Consumer Delivery (Restricted)";
    }
    auto resp = co_await call(std::move(c));
    if (!resp) co_return resp.error();
    co_return decode_get_orders_v0(resp->body);
}

asio::awaitable<Result<GetOrderItemsPageV0>> SpApiClient::get_order_items_v0(std::string order_id,
                                                                             bool with_pii) {
    auto path = fill(operation_info(Operation::get_order_items_v0).path, "orderId", order_id);
    SpApiCall c{Operation::get_order_items_v0, path, {}, {}, {}, {}};
    if (with_pii) {
        std::vector<RestrictedResource> resources{{"GET", path, {"buyerInfo"}}};
        auto rdt = co_await create_restricted_data_token(std::move(resources));
        if (!rdt) co_return rdt.error();
        c.restricted_data_token = Secret(rdt->token);
        c.required_role = "Tax Invoicing (Restricted)";
    }
    auto resp = co_await call(std::move(c));
    if (!resp) co_return resp.error();
    co_return decode_get_order_items_v0(resp->body);
}

asio::awaitable<Result<OrderWithItemsV0>> SpApiClient::get_order_with_items_v0(std::string order_id,
                                                                               bool with_pii) {
    const auto order_path = fill(operation_info(Operation::get_order_v0).path, "orderId", order_id);
    const auto items_path =
        fill(operation_info(Operation::get_order_items_v0).path, "orderId", order_id);
    std::optional<Secret> rdt;
    if (with_pii) {
        std::vector<RestrictedResource> resources{
            {"GET", order_path, {"buyerInfo", "shippingAddress"}},
            {"GET", items_path, {"buyerInfo"}}};
        auto token = co_await create_restricted_data_token(std::move(resources));
        if (!token) co_return token.error();
        rdt = Secret(token->token);
    }
    SpApiCall order_call{Operation::get_order_v0, order_path, {}, {}, rdt, {}};
    if (with_pii) order_call.required_role = "Direct-to-Consumer Delivery (Restricted)";
    auto order_resp = co_await call(std::move(order_call));
    if (!order_resp) co_return order_resp.error();
    auto order = decode_get_order_v0(order_resp->body);
    if (!order) co_return order.error();
    OrderWithItemsV0 out{std::move(*order), {}};
    std::optional<std::string> next;
    // getOrderItems pages with NextToken (large orders); the bound only stops a looping server.
    for (int page = 0; page < 100; ++page) {
        detail::QueryBuilder q;
        q.add_opt("NextToken", next);
        SpApiCall items_call{Operation::get_order_items_v0, items_path, q.str(), {}, rdt, {}};
        if (with_pii) items_call.required_role = "Tax Invoicing (Restricted)";
        auto resp = co_await call(std::move(items_call));
        if (!resp) co_return resp.error();
        auto items = decode_get_order_items_v0(resp->body);
        if (!items) co_return items.error();
        for (auto& i : items->items) out.items.push_back(std::move(i));
        if (!items->next_token) break;
        next = std::move(items->next_token);
    }
    co_return out;
}

asio::awaitable<Result<void>> SpApiClient::confirm_shipment(std::string order_id,
                                                            ConfirmShipmentRequest r) {
    if (r.marketplace_id.empty() && !options_.marketplace_ids.empty()) {
        r.marketplace_id = options_.marketplace_ids.front();
    }
    SpApiCall call_spec{Operation::confirm_shipment,
                        fill(operation_info(Operation::confirm_shipment).path, "orderId", order_id),
                        {},
                        encode_confirm_shipment(r),
                        {},
                        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return ok();
}

// ---- FBA Inventory
// -------------------------------------------------------------------------------

asio::awaitable<Result<InventoryPage>> SpApiClient::get_inventory_summaries(
    InventorySummariesRequest r) {
    if (r.marketplace_id.empty() && !options_.marketplace_ids.empty()) {
        r.marketplace_id = options_.marketplace_ids.front();
    }
    SpApiCall call_spec{Operation::get_inventory_summaries,
                        "/fba/inventory/v1/summaries",
                        encode_inventory_query(r),
                        {},
                        {},
                        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_inventory_summaries(resp->body);
}

// ---- Listings
// ------------------------------------------------------------------------------------

asio::awaitable<Result<ListingsItem>> SpApiClient::get_listings_item(
    std::string sku, std::vector<std::string> included) {
    detail::QueryBuilder q;
    q.add_csv("marketplaceIds", options_.marketplace_ids);
    q.add_csv("includedData", included);
    SpApiCall call_spec{Operation::get_listings_item,
                        fill(operation_info(Operation::get_listings_item).path, "sellerId",
                             options_.seller_id, "sku", sku),
                        q.str(),
                        {},
                        {},
                        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_listings_item(resp->body);
}

asio::awaitable<Result<ListingsSubmission>> SpApiClient::patch_listings_item(
    std::string sku, ListingsPatchRequest r) {
    if (r.product_type.empty()) {
        co_return make_error(ErrorKind::permanent,
                             "patchListingsItem for SKU " + sku +
                                 " needs a productType (required even for quantity-only patches)",
                             "patchListingsItem");
    }
    if (r.marketplace_ids.empty()) r.marketplace_ids = options_.marketplace_ids;
    detail::QueryBuilder q;
    q.add_csv("marketplaceIds", r.marketplace_ids);
    q.add_csv("includedData", r.included_data);
    if (r.validation_preview) q.add("mode", "VALIDATION_PREVIEW");
    SpApiCall call_spec{Operation::patch_listings_item,
                        fill(operation_info(Operation::patch_listings_item).path, "sellerId",
                             options_.seller_id, "sku", sku),
                        q.str(),
                        encode_listings_patch(r),
                        {},
                        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_listings_submission(resp->body);
}

// ---- Feeds
// ---------------------------------------------------------------------------------------

asio::awaitable<Result<FeedDocumentUpload>> SpApiClient::create_feed_document(
    std::string content_type) {
    auto body = std::string(R"({"contentType":)") + "\"" + content_type + "\"}";
    SpApiCall call_spec{
        Operation::create_feed_document, "/feeds/2021-06-30/documents", {}, body, {}, {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_feed_document_upload(resp->body, content_type);
}

asio::awaitable<Result<void>> SpApiClient::upload_feed_document(FeedDocumentUpload document,
                                                                std::string content) {
    net::HttpRequest req;
    req.method = "PUT";
    req.url = document.url;
    req.headers = {{"content-type", document.content_type}};
    req.body = std::move(content);
    req.timeout = options_.timeout;
    auto resp = co_await http_.send(std::move(req));
    if (!resp) co_return resp.error();
    if (resp->status < 200 || resp->status >= 300) {
        co_return classify_sp_api_response(*resp, "uploadFeedDocument").error;
    }
    co_return ok();
}

asio::awaitable<Result<std::string>> SpApiClient::create_feed(std::string feed_type,
                                                              std::string input_document_id) {
    std::string ids;
    for (const auto& m : options_.marketplace_ids) {
        ids += (ids.empty() ? "\"" : ",\"") + m + "\"";
    }
    auto body = R"({"feedType":")" + feed_type + R"(","marketplaceIds":[)" + ids +
                R"(],"inputFeedDocumentId":")" + input_document_id + "\"}";
    SpApiCall call_spec{Operation::create_feed, "/feeds/2021-06-30/feeds", {}, body, {}, {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_create_feed(resp->body);
}

asio::awaitable<Result<FeedStatus>> SpApiClient::get_feed(std::string feed_id) {
    SpApiCall call_spec{Operation::get_feed,
                        fill(operation_info(Operation::get_feed).path, "feedId", feed_id),
                        {},
                        {},
                        {},
                        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_feed(resp->body);
}

asio::awaitable<Result<DocumentLocation>> SpApiClient::get_feed_document(std::string id) {
    SpApiCall call_spec{
        Operation::get_feed_document,
        fill(operation_info(Operation::get_feed_document).path, "feedDocumentId", id),
        {},
        {},
        {},
        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_document_location(resp->body, "feedDocumentId");
}

asio::awaitable<Result<ListingsFeedReport>> SpApiClient::download_processing_report(
    DocumentLocation location) {
    net::HttpRequest req;
    req.method = "GET";
    req.url = location.url;
    req.timeout = options_.timeout;
    auto resp = co_await http_.send(std::move(req));
    if (!resp) co_return resp.error();
    if (resp->status != 200) {
        co_return classify_sp_api_response(*resp, "downloadFeedDocument").error;
    }
    std::string content = std::move(resp->body);
    if (location.compression_algorithm == "GZIP") {
        auto plain = core::gunzip(content, kMaxFeedReportBytes, "the feed processing report");
        if (!plain) co_return plain.error();
        content = std::move(*plain);
    }
    co_return decode_listings_feed_report(content);
}

// ---- Reports
// -------------------------------------------------------------------------------------

asio::awaitable<Result<ReportsPage>> SpApiClient::get_reports(ReportsRequest r) {
    SpApiCall call_spec{
        Operation::get_reports, "/reports/2021-06-30/reports", encode_reports_query(r), {}, {}, {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_reports(resp->body);
}

asio::awaitable<Result<Report>> SpApiClient::get_report(std::string report_id) {
    SpApiCall call_spec{Operation::get_report,
                        fill(operation_info(Operation::get_report).path, "reportId", report_id),
                        {},
                        {},
                        {},
                        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_report(resp->body);
}

asio::awaitable<Result<DocumentLocation>> SpApiClient::get_report_document(std::string id) {
    SpApiCall call_spec{
        Operation::get_report_document,
        fill(operation_info(Operation::get_report_document).path, "reportDocumentId", id),
        {},
        {},
        {},
        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_document_location(resp->body, "reportDocumentId");
}

asio::awaitable<Result<DownloadedDocument>> SpApiClient::download_document(
    DocumentLocation location, std::filesystem::path destination) {
    net::HttpRequest req;
    req.method = "GET";
    req.url = location.url;
    req.timeout = options_.timeout;
    DownloadedDocument out;
    out.gzip = location.compression_algorithm == "GZIP";
    out.file = destination;
    if (out.gzip) out.file += ".gz";
    req.body_file = out.file;
    auto resp = co_await http_.send(std::move(req));
    if (!resp) co_return resp.error();
    if (resp->status != 200) {
        co_return classify_sp_api_response(*resp, "downloadDocument").error;
    }
    std::error_code ec;
    if (!std::filesystem::exists(out.file, ec)) {
        // The client kept the body in memory (no streaming support): write it ourselves.
        std::ofstream file(out.file, std::ios::binary);
        file.write(resp->body.data(), static_cast<std::streamsize>(resp->body.size()));
    }
    co_return out;
}

// ---- Finances
// ------------------------------------------------------------------------------------

asio::awaitable<Result<FinancialEventGroupsPage>> SpApiClient::list_financial_event_groups(
    FinancialEventGroupsRequest r) {
    detail::QueryBuilder q;
    if (r.max_results_per_page) q.add("MaxResultsPerPage", std::to_string(*r.max_results_per_page));
    q.add_opt("FinancialEventGroupStartedBefore", r.started_before);
    q.add_opt("FinancialEventGroupStartedAfter", r.started_after);
    q.add_opt("NextToken", r.next_token);
    SpApiCall call_spec{Operation::list_financial_event_groups,
                        "/finances/v0/financialEventGroups",
                        q.str(),
                        {},
                        {},
                        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_financial_event_groups(resp->body);
}

asio::awaitable<Result<FinancialEventsPage>> SpApiClient::list_financial_events(
    FinancialEventsRequest r) {
    detail::QueryBuilder q;
    if (r.max_results_per_page) q.add("MaxResultsPerPage", std::to_string(*r.max_results_per_page));
    q.add_opt("PostedAfter", r.posted_after);
    q.add_opt("PostedBefore", r.posted_before);
    q.add_opt("NextToken", r.next_token);
    SpApiCall c{
        Operation::list_financial_events, "/finances/v0/financialEvents", q.str(), {}, {}, {}};
    if (r.event_group_id) {
        c.op = Operation::list_financial_events_by_group_id;
        c.path = fill(operation_info(c.op).path, "eventGroupId", *r.event_group_id);
    }
    auto resp = co_await call(std::move(c));
    if (!resp) co_return resp.error();
    co_return decode_financial_events(resp->body);
}

asio::awaitable<Result<TransactionsPage>> SpApiClient::list_transactions(TransactionsRequest r) {
    detail::QueryBuilder q;
    q.add("postedAfter", r.posted_after);
    q.add_opt("postedBefore", r.posted_before);
    q.add_opt("marketplaceId", r.marketplace_id);
    q.add_opt("transactionStatus", r.transaction_status);
    q.add_opt("nextToken", r.next_token);
    SpApiCall call_spec{
        Operation::list_transactions, "/finances/2024-06-19/transactions", q.str(), {}, {}, {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_transactions(resp->body);
}

// ---- Fulfillment Outbound
// ------------------------------------------------------------------------

asio::awaitable<Result<std::vector<FulfillmentPreview>>> SpApiClient::get_fulfillment_preview(
    FulfillmentPreviewRequest r) {
    if (r.marketplace_id.empty() && !options_.marketplace_ids.empty()) {
        r.marketplace_id = options_.marketplace_ids.front();
    }
    SpApiCall call_spec{Operation::get_fulfillment_preview,
                        std::string(operation_info(Operation::get_fulfillment_preview).path),
                        {},
                        encode_fulfillment_preview(r),
                        {},
                        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_fulfillment_preview(resp->body);
}

asio::awaitable<Result<void>> SpApiClient::create_fulfillment_order(
    CreateFulfillmentOrderRequest r) {
    if (r.marketplace_id.empty() && !options_.marketplace_ids.empty()) {
        r.marketplace_id = options_.marketplace_ids.front();
    }
    SpApiCall call_spec{Operation::create_fulfillment_order,
                        std::string(operation_info(Operation::create_fulfillment_order).path),
                        {},
                        encode_create_fulfillment_order(r),
                        {},
                        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return ok();
}

asio::awaitable<Result<FulfillmentOrderDetails>> SpApiClient::get_fulfillment_order(
    std::string id) {
    SpApiCall call_spec{
        Operation::get_fulfillment_order,
        fill(operation_info(Operation::get_fulfillment_order).path, "sellerFulfillmentOrderId", id),
        {},
        {},
        {},
        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_fulfillment_order(resp->body);
}

asio::awaitable<Result<PackageTracking>> SpApiClient::get_package_tracking_details(
    std::int64_t package_number) {
    SpApiCall call_spec{Operation::get_package_tracking_details,
                        "/fba/outbound/2020-07-01/tracking",
                        "packageNumber=" + std::to_string(package_number),
                        {},
                        {},
                        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_package_tracking(resp->body);
}

asio::awaitable<Result<void>> SpApiClient::cancel_fulfillment_order(std::string id) {
    SpApiCall call_spec{Operation::cancel_fulfillment_order,
                        fill(operation_info(Operation::cancel_fulfillment_order).path,
                             "sellerFulfillmentOrderId", id),
                        {},
                        {},
                        {},
                        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return ok();
}

// ---- Notifications
// -------------------------------------------------------------------------------

asio::awaitable<Result<std::vector<Destination>>> SpApiClient::get_destinations() {
    SpApiCall call_spec{
        Operation::get_destinations, "/notifications/v1/destinations", {}, {}, {}, {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_destinations(resp->body);
}

asio::awaitable<Result<Destination>> SpApiClient::create_destination(std::string name,
                                                                     std::string sqs_arn) {
    SpApiCall call_spec{Operation::create_destination,
                        "/notifications/v1/destinations",
                        {},
                        encode_create_destination(name, sqs_arn),
                        {},
                        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_destination(resp->body);
}

asio::awaitable<Result<Subscription>> SpApiClient::get_subscription(std::string type) {
    SpApiCall call_spec{
        Operation::get_subscription,
        fill(operation_info(Operation::get_subscription).path, "notificationType", type),
        {},
        {},
        {},
        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_subscription(resp->body);
}

asio::awaitable<Result<Subscription>> SpApiClient::create_subscription(
    CreateSubscriptionRequest r) {
    SpApiCall call_spec{Operation::create_subscription,
                        fill(operation_info(Operation::create_subscription).path,
                             "notificationType", r.notification_type),
                        {},
                        encode_create_subscription(r),
                        {},
                        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return decode_subscription(resp->body);
}

asio::awaitable<Result<void>> SpApiClient::delete_subscription_by_id(std::string type,
                                                                     std::string id) {
    SpApiCall call_spec{Operation::delete_subscription_by_id,
                        fill(operation_info(Operation::delete_subscription_by_id).path,
                             "notificationType", type, "subscriptionId", id),
                        {},
                        {},
                        {},
                        {}};
    auto resp = co_await call(std::move(call_spec));
    if (!resp) co_return resp.error();
    co_return ok();
}

}  // namespace clarity::amazon
