#pragma once
// The order import's insides, shared by the files of src/flows/order_import/: the flow's state
// (OrderImportFlow::Impl), one job's run (OrderRun), and the steps of a job in the order job.cpp
// runs them. Each step is named after what it asks Amazon or Odoo; the files:
//   job.cpp           the job: the steps in order
//   amazon_order.cpp  get_order_from_amazon, skip_by_status
//   sale_order.cpp    find_sale_order, create_or_update_sale_order
//   status.cpp        cancel_existing_sale_order, confirm_or_cancel_sale_order
//   products.cpp      find_products_by_sku, resolve_template_lookups
//   taxes.cpp         choose_pricelist, choose_tax, and prepare() (pricelists and taxes at start)
//   partners.cpp      find_ship_to_country_and_state, upsert_customer_and_address
//   values.cpp        build_sale_order_values, add_service_lines
//   totals.cpp        check_taxes_against_amazon, check_total_against_amazon
//   links.cpp         link_order_items
//   cancel_request.cpp flag_buyer_cancel_request
//   fba_delivery.cpp  validate_fba_delivery
//   batches.cpp       the Odoo calls batched across jobs (coalescers)
//   flow.cpp          the Flow interface (run, prepare, check_odoo); config.cpp its settings
// What other flows will share lives in src/flows/common/.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "clarity/core/log.hpp"
#include "clarity/flows/order_import.hpp"
#include "clarity/flows/order_jobs.hpp"
#include "clarity/mapping/mapper.hpp"
#include "clarity/model/order.hpp"
#include "clarity/model/timestamp.hpp"
#include "common/dead_letter.hpp"
#include "common/partners.hpp"
#include "common/products.hpp"
#include "common/service_lines.hpp"

namespace clarity::flows {

template <class Req, class Res>
class Coalescer;  // common/coalescer.hpp

namespace order_import {

inline constexpr std::string_view kOrderRefField = "client_order_ref";
inline constexpr const char* kOrderKind = "amazon_order";  ///< id map kind of Amazon orders
inline constexpr const char* kNewSinceCursor = "orders.new_since";
/// Orders per batched Odoo call at most, and the jobs run step by step together (the cohort).
inline constexpr std::size_t kMaxBatch = 20;

/// A sale.order found by its Amazon order id.
struct ExistingOrder {
    std::int64_t id = 0;
    std::string state;
    std::int64_t partner = 0;
    std::int64_t shipping = 0;
    std::string date_order;  ///< "YYYY-MM-DD HH:MM:SS" (UTC)
    std::int64_t pricelist = 0;
};

/// One sale.order's date_order to set (after action_confirm reset it to now).
struct DateWrite {
    std::int64_t id = 0;
    std::string date_order;
    /// Also read each line's price_tax back (the tax check), through `lines_field` (17+: in the
    /// same call as the state).
    bool line_taxes = false;
    std::string lines_field;
};

/// A sale.order to create: one job's values.
struct NewOrder {
    odoo::Struct vals;
    bool web_save = false;    ///< 17+ with check_totals: alone, web_save answers the amounts
    bool line_taxes = false;  ///< read each line's price_tax back (the tax check)
    /// The order is confirmed next on 17+: the confirmation's read brings the line taxes, so a
    /// batched create does not read them.
    bool taxes_at_confirm = false;
    std::string lines_field;  ///< sale.order's lines field
};

/// A sale.order created, with what Odoo answered about it.
struct CreatedOrder {
    std::int64_t id = 0;
    std::optional<double> amount_total;  ///< web_save only
    std::optional<double> amount_tax;
    std::optional<std::vector<double>> line_taxes;  ///< each line's price_tax, by line id
};

/// A sale order as Odoo answers it after a change: what the flow checks its actions against.
struct OrderState {
    std::string state;  ///< empty: the order is gone
    std::optional<double> amount_total;
    std::optional<double> amount_tax;
    std::optional<std::vector<double>> line_taxes;  ///< when asked for (DateWrite::line_taxes)
    std::vector<std::int64_t> line_ids;             ///< the lines, when read
};

/// A sale order's amounts as Odoo computed them.
struct Amounts {
    double total = 0;
    double tax = 0;
};

/// A mapped account.tax as Odoo has it (read at start-up).
struct TaxInfo {
    std::int64_t id = 0;
    std::string name;
    bool price_include = false;
};

/// An active product.pricelist.
struct PricelistInfo {
    std::int64_t id = 0;
    std::string name;
    std::string currency;  ///< ISO code (res.currency name)
};

}  // namespace order_import

struct OrderImportFlow::Impl {
    OrderImportDeps deps;
    OrderImportOptions opt;
    ServiceProducts services;  ///< from opt
    core::Log log{"flows.order_import"};
    /// Dead letters, counted in clarity_orders_failed_total{connection,reason}.
    DeadLetters dead_letter;
    PartnerUpsert partners;
    ProductReads product_reads;
    std::mutex mu;  ///< guards what follows
    int major = 0;  ///< Odoo major version, read once
    /// FBA tracking from the shipments report: order id → "CARRIER NUMBER, ...".
    std::map<std::string, std::string> afn_tracking;
    std::string afn_report_id;
    std::optional<Clock::time_point> afn_report_checked;
    // The Odoo calls every order makes, batched across the jobs running at once (batches.cpp):
    // finding orders by Amazon id, confirming, writing Amazon's date back, reading the totals,
    // creating orders.
    std::unique_ptr<Coalescer<std::string, std::optional<order_import::ExistingOrder>>> finds;
    std::unique_ptr<Coalescer<std::int64_t, bool>> confirms;
    std::unique_ptr<Coalescer<order_import::DateWrite, order_import::OrderState>> dates;
    std::unique_ptr<Coalescer<std::int64_t, std::optional<order_import::Amounts>>> totals;
    std::unique_ptr<Coalescer<order_import::NewOrder, order_import::CreatedOrder>> creates;
    /// prepare() once for the jobs that find it not done at the same time.
    std::unique_ptr<Coalescer<int, bool>> prepares;
    /// When this store began importing orders (cursor orders.new_since): orders bought after it
    /// that the store has no mapping for were never created by anyone but this store.
    std::optional<model::Timestamp> new_since;
    // What prepare() read from Odoo (under mu).
    bool prepared = false;
    std::string company_currency;  ///< the first company's currency (ISO code)
    bool rounds_globally = false;  ///< a company rounds taxes globally
    std::map<std::string, order_import::TaxInfo> tax_by_name;  ///< every tax named under `taxes`
    /// The pricelist chosen for (marketplace id, currency); nullopt = Odoo's default.
    std::map<std::pair<std::string, std::string>, std::optional<order_import::PricelistInfo>>
        pricelist_for;

    Impl(OrderImportDeps d, OrderImportOptions o);
    ~Impl();

    core::Counter& counter(const std::string& name,
                           const std::string& help,
                           core::Labels extra = {});
    void skipped(const std::string& reason);
};

namespace order_import {

using Impl = OrderImportFlow::Impl;

/// One job's run: what the steps read and fill in, in the order they run.
struct OrderRun {
    OrderRun(std::shared_ptr<Impl> i, JobContext* c, OrderJob job);

    std::shared_ptr<Impl> impl;
    JobContext* ctx;
    OrderJob job;
    const std::string& id;  ///< the Amazon order id (job.amazon_order_id)
    core::Log log;          ///< carries the job's fields
    bool done = false;      ///< a step finished the job (nothing to do, or cancelled)

    // get_order_from_amazon
    model::Order order;
    mapping::MappingResult mapped;
    std::string action;  ///< the template's outputs.action: skip, wait, create, confirm, cancel
    // find_sale_order
    std::optional<ExistingOrder> existing;
    // find_products_by_sku
    ProductLookup products;
    // choose_pricelist, choose_tax
    int major = 0;                          ///< Odoo major version
    std::optional<std::int64_t> pricelist;  ///< nullopt: Odoo's default
    bool vat_inclusive = false;             ///< the marketplace's prices include VAT
    std::vector<ServiceLine> services;
    bool needs_tax = false;  ///< a line or charge carries tax
    std::optional<TaxInfo> tax;
    std::string tax_field;  ///< sale.order.line's taxes field in this Odoo version
    // find_ship_to_country_and_state, upsert_customer_and_address
    AddressPlace place;
    PartnerIds partners;
    // build_sale_order_values, add_service_lines
    odoo::Struct vals;
    odoo::Array lines;  ///< [0, 0, {...}] commands, template lines then service lines
    std::string lines_field;
    std::vector<std::optional<model::Decimal>> amazon_taxes;  ///< Amazon's tax of each line
    std::vector<bool> taxed_lines;                            ///< each line carries the tax
    bool check_tax = false;  ///< check_totals and a taxed line with Amazon's figure
    // create_or_update_sale_order
    std::int64_t sale_id = 0;
    std::string state;
    bool wrote = false;
    std::optional<double> total_from_create;        ///< 17+: web_save answers amount_total
    std::optional<double> tax_from_create;          ///< and amount_tax
    std::optional<std::vector<double>> line_taxes;  ///< and each line's price_tax, by id
    // confirm_or_cancel_sale_order
    std::optional<double> total_after_confirm;  ///< read back with the date
    std::optional<double> tax_after_confirm;
    std::vector<std::int64_t> line_ids;  ///< the lines, as the confirmation's read gave them
    // check_taxes_against_amazon
    std::optional<Amounts> amounts_read;  ///< read there when no reply carried them

    /// "order <id>"
    std::string subject() const { return "order " + id; }
    /// A dead letter of this job: counted under `reason`, `message` ends with the replay hint.
    Error dead_letter(std::string_view reason, std::string message) const {
        return impl->dead_letter(reason, std::move(message));
    }
};

using Step = boost::asio::awaitable<Result<void>> (*)(OrderRun* run);

// ---- the steps, in the order of job.cpp -------------------------------------------------------
/// Amazon: getOrder (2026-01-01, includedData) or v0 getOrder + getOrderItems (RDT); then the
/// canonical order is normalized and mapped by the connection's template.
boost::asio::awaitable<Result<void>> get_order_from_amazon(OrderRun* run);
/// No call: the template says skip, or wait while import_pending is off.
boost::asio::awaitable<Result<void>> skip_by_status(OrderRun* run);
/// Store: the id map (an order proven new is not searched); Odoo: sale.order search_read by
/// client_order_ref (batched across jobs).
boost::asio::awaitable<Result<void>> find_sale_order(OrderRun* run);
/// Odoo (Amazon cancelled the order): sale.order action_cancel (+ the cancel wizard) and a read
/// that proves it; or nothing to do.
boost::asio::awaitable<Result<void>> cancel_existing_sale_order(OrderRun* run);
/// Odoo: product.product by default_code for every SKU, alias and service product (one call).
boost::asio::awaitable<Result<void>> find_products_by_sku(OrderRun* run);
/// Odoo: the template's other look-ups (cached search_read each); product.product search_read of
/// archived ones when an SKU is unknown (dead letter).
boost::asio::awaitable<Result<void>> resolve_template_lookups(OrderRun* run);
/// Odoo: the version (once), prepare()'s res.company, product.pricelist and account.tax reads
/// (once), product.pricelist again for a currency first seen.
boost::asio::awaitable<Result<void>> choose_pricelist(OrderRun* run);
/// No call: the mapped tax of the order (prepare() read it).
boost::asio::awaitable<Result<void>> choose_tax(OrderRun* run);
/// Odoo: res.country and res.country.state (cached search_read); res.partner load for the
/// customer and for the delivery address.
boost::asio::awaitable<Result<void>> find_ship_to_country_and_state(OrderRun* run);
boost::asio::awaitable<Result<void>> upsert_customer_and_address(OrderRun* run);
/// No call: the sale.order values and the item lines with their taxes.
boost::asio::awaitable<Result<void>> build_sale_order_values(OrderRun* run);
/// No call: the shipping, gift-wrap and promotion lines.
boost::asio::awaitable<Result<void>> add_service_lines(OrderRun* run);
/// Odoo: sale.order web_save (17+) or create (batched across jobs: one create of many, and a
/// sale.order.line search_read of their taxes), and the id map; or, for a quotation,
/// sale.order.line search_read and a sale.order write when it changed.
boost::asio::awaitable<Result<void>> create_or_update_sale_order(OrderRun* run);
/// Odoo: sale.order action_confirm and the date_order write-back with a read of the state (both
/// batched across jobs); or action_cancel.
boost::asio::awaitable<Result<void>> confirm_or_cancel_sale_order(OrderRun* run);
/// Odoo: sale.order read of amount_tax (batched) and sale.order.line price_tax, when no reply
/// carried them; warns when Odoo's tax differs from Amazon's.
boost::asio::awaitable<Result<void>> check_taxes_against_amazon(OrderRun* run);
/// Odoo: sale.order read of amount_total (batched) when no reply carried it; an adjustment line
/// (web_save or write + read) when it differs from Amazon's.
boost::asio::awaitable<Result<void>> check_total_against_amazon(OrderRun* run);
/// Store (merchant-fulfilled orders): each item line's link to its Amazon order item
/// (common/order_links.hpp), from the confirmation's read; Odoo: sale.order.line search_read only
/// for an order confirmed before its links were recorded.
boost::asio::awaitable<Result<void>> link_order_items(OrderRun* run);
/// Odoo (the template's outputs.buyer_cancel_request, once per order): ir.model (cached) and a
/// mail.activity create on the sale order; a mail.activity search_read first on a rerun.
boost::asio::awaitable<Result<void>> flag_buyer_cancel_request(OrderRun* run);
/// Amazon-fulfilled and shipped: Amazon getReports + getReportDocument (FBA tracking, at most
/// once per afn_tracking_report_max_age); Odoo stock.picking and stock.move search_read,
/// stock.picking write and button_validate, and a read that proves it.
boost::asio::awaitable<Result<void>> validate_fba_delivery(OrderRun* run);

// ---- shared between the files ------------------------------------------------------------------
/// The job (job.cpp).
boost::asio::awaitable<Result<void>> run_job(std::shared_ptr<Impl> impl, JobContext* ctx);
/// The Odoo major version (field spellings); read once (flow.cpp).
boost::asio::awaitable<Result<int>> odoo_major(std::shared_ptr<Impl> impl);
/// The coalescers of `impl` (batches.cpp).
/// The coalescers of `impl` (which they must not keep alive: they hold a weak pointer to it).
void make_coalescers(const std::shared_ptr<Impl>& impl);
/// Cancels sale order `sale_id` and proves it (status.cpp).
boost::asio::awaitable<Result<void>> cancel_sale_order(std::shared_ptr<Impl> impl,
                                                       std::string amazon_id,
                                                       std::int64_t sale_id);
/// prepare(): pricelists per marketplace and the mapped taxes, checked (taxes.cpp).
boost::asio::awaitable<Result<void>> prepare_flow(std::shared_ptr<Impl> impl);
/// prepare_flow's reads and checks, run once for all the jobs waiting for them.
boost::asio::awaitable<Result<void>> read_for_prepare(std::shared_ptr<Impl> impl);
/// "flows.order_import.taxes.A1PA6795UKMFR9.FR": where a tax name is configured.
std::string tax_setting(const std::string& key, const std::string& country);
/// Whether a line carries the mapped tax (taxes.cpp). Prices that include VAT
/// (amazon/marketplace_pricing.hpp) carry it on every line Amazon does not report as untaxed (the
/// 2026-01-01 API may report no tax at all); prices with tax on top carry it on the lines Amazon
/// charged tax on.
bool charged(const OrderRun& run, const std::optional<model::Decimal>& amazon_tax);
/// The amount of an optional Money.
std::optional<model::Decimal> figure(const std::optional<model::Money>& m);
/// id, state, amount_total, amount_tax; and the OrderState of `id` among rows read back.
/// sale.order's state and amounts (and each line's price_tax through `lines_field`, when not
/// empty: web_save / web_read, 17+).
std::vector<std::string> state_fields(const std::string& lines_field = {});
/// `lines_field`: the lines' ids (read) or records (web_read: ids and, `with_taxes`, price_tax).
OrderState state_of(const std::vector<odoo::Value>& rows,
                    std::int64_t id,
                    const std::string& lines_field = {},
                    bool with_taxes = true);

}  // namespace order_import
}  // namespace clarity::flows
