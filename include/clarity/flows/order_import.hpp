#pragma once
/// \file
/// The order_import flow: one job per Amazon order change (see order_jobs.hpp). A run reads the
/// order anew (Orders 2026-01-01 getOrder, or v0 getOrders + getOrderItems with a Restricted
/// Data Token), converts it to the canonical order, maps it with the connection's template,
/// resolves products in bulk, finds or creates the customer and the delivery address, then
/// creates the sale.order with its lines in one call — in the Amazon order's currency (its
/// pricelist), every line with its taxes set explicitly — or updates the one that exists — and
/// follows Amazon's status: Pending → quotation (or skipped), Unshipped/Shipped → confirmed with
/// Amazon's purchase date as date_order, Canceled → cancelled. When an Amazon-fulfilled order
/// has shipped, the Odoo delivery is validated for the shipped quantities (partial shipments
/// with or without backorder) and carries the carrier and tracking numbers Amazon reported.
///
/// Idempotent: the sale order is found by `client_order_ref` (= the Amazon order id) before
/// anything is created, partners are upserted with `load` under stable external ids, actions
/// run only from the state that needs them; a crash at any point and a rerun never doubles a
/// record. Errors: `permanent` (dead letter) with a message naming the order, the SKU or field
/// and what to do; Odoo/Amazon `transient`/`rate_limited`/`auth` errors are passed on as they
/// are, so the engine retries. docs/orders.md lists every message.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/amazon/sp_api_client.hpp"
#include "clarity/core/clock.hpp"
#include "clarity/core/config.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/flows/flow.hpp"
#include "clarity/mapping/template.hpp"
#include "clarity/odoo/client.hpp"

namespace clarity::store {
class AsyncStore;
}  // namespace clarity::store

namespace clarity::flows {

struct OrderImportDeps {
    amazon::SpApiClient& amazon;
    odoo::OdooClient& odoo;
    std::shared_ptr<const mapping::MappingTemplate> order_template;
    core::MetricsRegistry& metrics;
    const Clock& clock;
    /// The daemon's store. With it, an order this store has never created and that was bought
    /// after the store began importing is created without first searching Odoo for it (one call
    /// less per new order), and each created order's id mapping is written as soon as Odoo
    /// answers, so a later run finds it. Without it, every run searches Odoo first.
    store::AsyncStore* store = nullptr;
};

/// What to do with an unmatched ship-to state/region (never created in Odoo).
enum class UnmatchedState {
    leave_empty,  ///< `empty`: import with no state, log a warning, count it
    fail,         ///< `error`: dead-letter the order with the finding
};

/// The sale tax of one marketplace (or of `default`): one account.tax name, or names by the
/// ship-to country (ISO code, `default` for the others) — under the EU one-stop shop an
/// amazon.de order shipped to France carries French VAT.
struct TaxChoice {
    std::string tax;                                ///< when by_country is empty
    std::map<std::string, std::string> by_country;  ///< "FR" → "FR VAT 20% incl", "default" → …
};

struct OrderImportOptions {
    /// Connection name: the `connection` label of the metrics.
    std::string connection;
    /// `api`: "2026-01-01" (getOrder with included_data) or "v0" (getOrders + getOrderItems,
    /// with a Restricted Data Token for buyer and address data when `v0_pii`).
    std::string api = "2026-01-01";
    std::vector<std::string> included_data;  ///< empty = amazon::default_order_included_data()
    bool v0_pii = true;
    /// Pending orders: true = created as quotations; false = skipped until they are Unshipped.
    bool import_pending = true;
    /// Canceled orders that were never imported: false = skipped (nothing to cancel).
    bool import_canceled = false;
    /// Odoo xmlid module of the partners the flow upserts ("<module>.amazon_buyer_<hash>").
    std::string xmlid_module = "clarity_amazon";
    UnmatchedState unmatched_state = UnmatchedState::leave_empty;
    /// Product resolution when the SellerSKU is not an Internal Reference: ASIN, FNSKU or
    /// SellerSKU → Internal Reference (default_code).
    std::map<std::string, std::string> product_aliases;
    /// Internal References of service products for extra lines; empty = no such line.
    /// One line per Amazon item that carries the charge, so that Odoo's per-line tax rounding
    /// reproduces Amazon's per-item rounding.
    std::string shipping_product;   ///< shipping charges minus shipping discounts
    std::string discount_product;   ///< promotion discounts (negative lines)
    std::string gift_wrap_product;  ///< gift-wrap charges
    /// The adjustment (rounding) line's product; empty = the first configured of
    /// discount_product, shipping_product, gift_wrap_product.
    std::string adjustment_product;
    /// Sale taxes by marketplace id (or "default"), optionally by ship-to country: the
    /// account.tax put on the lines. Every line's taxes are set explicitly (the mapped tax or
    /// none), never left to the product's default taxes. Marketplaces with VAT-inclusive prices
    /// (amazon/marketplace_pricing.hpp) need taxes included in the price and put them on every
    /// line Amazon does not report as untaxed; the others take taxes added on top and put them
    /// on the lines Amazon charged tax on. When not empty, an order that needs a tax its
    /// marketplace (or ship-to country) has no entry for is dead-lettered.
    std::map<std::string, TaxChoice> taxes;
    /// Pricelist names by marketplace id. A marketplace without one uses the one active
    /// pricelist in its currency (none in the company's currency: Odoo's default); none or
    /// several in another currency refuse the start (prepare()).
    std::map<std::string, std::string> pricelists;
    /// Cancelling a confirmed order e-mails the customer through Odoo's sale.order.cancel wizard
    /// (16–18); false = cancelled without an e-mail (context disable_cancel_warning).
    bool cancel_email = false;
    /// Amazon's grand total against Odoo's amount_total after the write.
    bool check_totals = true;
    /// A total that still differs from Amazon's (a company rounding taxes globally) gets an
    /// untaxed line for the difference, so the sale order's total is Amazon's.
    bool add_adjustment_line = true;
    /// Amazon-fulfilled shipped orders: validate the Odoo delivery.
    bool validate_afn_deliveries = true;
    /// Partial shipment: true = leave a backorder for the rest; false = close without one.
    bool create_backorder = true;
    /// FBA tracking numbers from the newest GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL report
    /// (the Orders API gives none for AFN orders, NOTES.md §12). The report must be requested
    /// or scheduled on Amazon's side; the flow only lists and reads it.
    bool afn_tracking_report = true;
    /// How long a read report serves before the flow looks for a newer one.
    std::chrono::milliseconds afn_tracking_report_max_age{std::chrono::minutes{30}};
    /// Where report documents are downloaded (then deleted); empty = the system temp dir.
    std::string report_dir;
    /// Partners remembered by their stable key (0 = do not remember; every run upserts).
    std::size_t partner_cache_size = 10'000;
};

/// Keys under connections[].flows.order_import (besides the engine's `enabled` and `retry`).
core::ConfigSpec order_import_config_spec();
/// Reads a node validated against order_import_config_spec(); throws core::ConfigError for a
/// bad value (an unknown api, a tax or pricelist key that is no marketplace, ...). Marketplace
/// keys may be ids or the marketplace's country code ("DE"); they are read as ids.
OrderImportOptions order_import_options_from_config(const core::ConfigNode& node);

class OrderImportFlow final : public Flow {
  public:
    /// Every dependency must outlive the flow. Throws std::invalid_argument without a template.
    OrderImportFlow(OrderImportDeps deps, OrderImportOptions options);
    ~OrderImportFlow() override;

    std::string_view name() const override;
    boost::asio::awaitable<Result<void>> run(JobContext& context) override;
    /// Reads the pricelists, currencies, companies and the mapped taxes: chooses the pricelist of
    /// each of the connection's marketplaces and checks that each mapped tax exists and is
    /// included in the price exactly where the marketplace's prices include VAT. Refuses
    /// (permanent Error naming marketplace, currency or tax and the fix) otherwise. Runs once;
    /// a job that finds it not done runs it first.
    boost::asio::awaitable<Result<void>> prepare() override;
    /// Warns when an Odoo company rounds taxes globally (Odoo cannot reproduce Amazon's per-item
    /// tax cents there; adjustment lines make up the difference), when no product is available
    /// for adjustment lines, or when a marketplace with VAT-inclusive prices has no tax mapping
    /// (its lines carry no VAT in Odoo).
    boost::asio::awaitable<Result<std::vector<std::string>>> check_odoo() override;
    /// 20 (the batch size of its Odoo calls): a backlog goes to Odoo in batches of 20 orders.
    std::size_t default_cohort() const override;

    struct Impl;  ///< shared with the run coroutines (order_import.cpp)

  private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace clarity::flows
