#include "clarity/flows/order_import.hpp"

// g++ 12 reports a false -Wmismatched-new-delete on Asio's awaitable frames at -O2 (the frame's
// aligned allocation paired with its own operator delete is Asio's and correct; the same
// suppression as src/amazon/CMakeLists.txt, kept to this file).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "clarity/amazon/canonical.hpp"
#include "clarity/amazon/endpoints.hpp"
#include "clarity/amazon/fulfilled_shipments.hpp"
#include "clarity/amazon/marketplace_pricing.hpp"
#include "clarity/core/log.hpp"
#include "clarity/flows/order_jobs.hpp"
#include "clarity/mapping/address.hpp"
#include "clarity/mapping/mapper.hpp"
#include "clarity/model/timestamp.hpp"
#include "clarity/odoo/schema.hpp"
#include "clarity/store/async_store.hpp"
#include "common/coalescer.hpp"
#include "common/dead_letter.hpp"

// Odoo facts used here: ../shared/reference/odoo/NOTES.md §4 — action_confirm resets date_order
// (written again after confirming), button_validate may answer with the SMS, immediate-transfer
// or backorder wizard (avoided with skip_sms / skip_immediate / skip_backorder +
// picking_ids_not_to_backorder), `load` upserts by external id and reports problems in
// `messages`. Amazon facts: ../shared/reference/sp-api/NOTES.md §3 and §12.

namespace clarity::flows {

namespace asio = boost::asio;
using odoo::Array;
using odoo::Domain;
using odoo::SearchOptions;
using odoo::Struct;
using OValue = odoo::Value;

namespace {

constexpr std::string_view kOrderRefField = "client_order_ref";

// ---- small helpers -----------------------------------------------------------------------------

OValue to_odoo(const model::Value& v) {
    using K = model::Value::Kind;
    switch (v.kind()) {
        case K::null:
            return false;
        case K::boolean:
            return v.as_bool();
        case K::integer:
            return static_cast<long long>(v.as_int());
        case K::decimal:
            return std::strtod(v.as_decimal().to_string().c_str(), nullptr);
        case K::string:
            return v.as_string();
        case K::array: {
            Array a;
            a.reserve(v.size());
            for (const auto& e : v.items()) a.push_back(to_odoo(e));
            return a;
        }
        case K::object: {
            Struct s;
            for (std::size_t i = 0; i < v.size(); ++i)
                s.insert_or_assign(v.keys()[i], to_odoo(v.items()[i]));
            return s;
        }
    }
    return false;
}

double to_double(const model::Decimal& d) { return std::strtod(d.to_string().c_str(), nullptr); }

/// Odoo float → exact decimal at `scale` (Odoo rounds monetary fields to the currency).
model::Decimal from_double(double v, int scale) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", scale, v);
    return model::Decimal::parse(buf).value_or(model::Decimal{});
}

/// 64-bit FNV-1a as 16 hex digits: stable keys for external ids (not a security hash).
std::string stable_hash(std::string_view text) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool any_nonzero(const std::optional<model::Money>& m) { return m && !m->amount.is_zero(); }

// Built outside the coroutines: g++ 12 rejects braced lists of std::string lvalues in coroutine
// frames ("array used as initializer").
std::vector<std::string> move_fields(const std::string& qty_field) {
    std::vector<std::string> f{"id", "picking_id", "product_id", "product_uom_qty", "state"};
    f.push_back(qty_field);
    return f;
}

std::vector<std::string> both(const std::string& a, const std::string& b) {
    std::vector<std::string> v;
    v.push_back(a);
    v.push_back(b);
    return v;
}

/// The product of the adjustment (rounding) line: adjustment_product, else the first configured
/// of discount_product, shipping_product, gift_wrap_product; empty when none is configured.
std::string adjustment_code(const OrderImportOptions& o) {
    for (const std::string* c :
         {&o.adjustment_product, &o.discount_product, &o.shipping_product, &o.gift_wrap_product}) {
        if (!c->empty()) return *c;
    }
    return {};
}

std::vector<std::string> service_products(const OrderImportOptions& o, bool with_adjustment) {
    std::vector<std::string> v;
    v.push_back(o.shipping_product);
    v.push_back(o.discount_product);
    v.push_back(o.gift_wrap_product);
    if (with_adjustment && o.add_adjustment_line) v.push_back(adjustment_code(o));
    return v;
}

Struct struct1(std::string key, OValue value) {
    Struct s;
    s.emplace(std::move(key), std::move(value));
    return s;
}

/// An x2many command [op, id, values].
Array command(int op, std::int64_t id, OValue values) {
    Array a;
    a.emplace_back(op);
    a.emplace_back(static_cast<long long>(id));
    a.push_back(std::move(values));
    return a;
}

std::vector<std::int64_t> one_id(std::int64_t id) { return std::vector<std::int64_t>(1, id); }

Array ids1(std::int64_t id) {
    Array a;
    a.emplace_back(static_cast<long long>(id));
    return a;
}

std::string text_of(const model::Value& v) { return v.is_null() ? std::string{} : v.to_text(); }

/// The tax ids of a sale line, sorted: from a read ([ids]) or from the commands the flow writes
/// ([[6, 0, [ids]]]).
std::vector<std::int64_t> tax_ids_of(const OValue& v) {
    std::vector<std::int64_t> out;
    if (const auto* a = v.as_array()) {
        for (const auto& e : *a) {
            if (auto i = e.as_int()) {
                out.push_back(*i);
            } else if (const auto* cmd = e.as_array(); cmd && cmd->size() == 3) {
                if ((*cmd)[0].as_int() == 6) {
                    out.clear();
                    if (const auto* ids = (*cmd)[2].as_array()) {
                        for (const auto& x : *ids) {
                            if (auto i = x.as_int()) out.push_back(*i);
                        }
                    }
                }
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

const model::Value* output(const mapping::MappingResult& r, std::string_view name) {
    return r.outputs.find(name);
}

Error permanent(std::string message) {
    return make_error(ErrorKind::permanent, std::move(message), "flows.order_import");
}

struct PartnerIds {
    std::int64_t customer = 0;
    std::int64_t shipping = 0;
};

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
};

/// A sale order as Odoo answers it after a change: what the flow checks its actions against.
struct OrderState {
    std::string state;  ///< empty: the order is gone
    std::optional<double> amount_total;
    std::optional<double> amount_tax;
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

/// The name of a many2one value [id, "name"] ("" when there is none).
std::string m2o_name(const OValue& v) {
    const auto* a = v.as_array();
    if (a == nullptr || a->size() < 2) return {};
    return (*a)[1].as_string().value_or("");
}

}  // namespace

// ---- configuration -----------------------------------------------------------------------------

core::ConfigSpec order_import_config_spec() {
    using core::ConfigType;
    core::ConfigSpec s;
    s.add({.name = "api",
           .type = ConfigType::string,
           .description = "Orders API the job reads: 2026-01-01 (getOrder with includedData) or "
                          "v0 (getOrders + getOrderItems, Restricted Data Token for PII).",
           .default_value = "2026-01-01",
           .allowed = {"2026-01-01", "v0"}});
    s.add({.name = "included_data",
           .type = ConfigType::string_list,
           .description = "getOrder includedData. Empty: BUYER, RECIPIENT, PROCEEDS, PROMOTION, "
                          "CANCELLATION, FULFILLMENT, PACKAGES, TAX."});
    s.add({.name = "v0_pii",
           .type = ConfigType::boolean,
           .description = "v0 only: fetch buyer and address data with a Restricted Data Token.",
           .default_value = "true"});
    s.add({.name = "import_pending",
           .type = ConfigType::boolean,
           .description = "Create Pending orders as quotations (false: skip them until Unshipped).",
           .default_value = "true"});
    s.add({.name = "import_canceled",
           .type = ConfigType::boolean,
           .description = "Create orders Amazon reports as Canceled before they were imported "
                          "(as cancelled sale orders); false skips them.",
           .default_value = "false"});
    s.add({.name = "xmlid_module",
           .type = ConfigType::string,
           .description = "Module part of the external ids of the customers and delivery "
                          "addresses the flow upserts.",
           .default_value = "clarity_amazon"});
    s.add({.name = "unmatched_state",
           .type = ConfigType::string,
           .description = "A ship-to state/region Odoo does not have: empty (import without a "
                          "state, warn and count) or error (dead-letter the order). States are "
                          "never created.",
           .default_value = "empty",
           .allowed = {"empty", "error"}});
    s.add({.name = "product_aliases",
           .type = ConfigType::string_map,
           .description = "ASIN, FNSKU or SellerSKU → Internal Reference of the Odoo product, for "
                          "SKUs that are not Internal References."});
    s.add({.name = "shipping_product",
           .type = ConfigType::string,
           .description = "Internal Reference of the service product for shipping charges: one "
                          "line per Amazon item that carries shipping (minus its shipping "
                          "discount). Empty: no shipping lines.",
           .default_value = ""});
    s.add({.name = "discount_product",
           .type = ConfigType::string,
           .description = "Internal Reference of the product for promotion discounts: one "
                          "negative line per Amazon item that carries one. Empty: no discount "
                          "lines.",
           .default_value = ""});
    s.add({.name = "gift_wrap_product",
           .type = ConfigType::string,
           .description = "Internal Reference of the product for gift-wrap charges: one line per "
                          "gift-wrapped Amazon item. Empty: none.",
           .default_value = ""});
    s.add({.name = "adjustment_product",
           .type = ConfigType::string,
           .description = "Internal Reference of the product of the adjustment (rounding) line. "
                          "Empty: the discount, shipping or gift-wrap product (the first one "
                          "configured).",
           .default_value = ""});
    s.add({.name = "taxes",
           .type = ConfigType::string_tree,
           .description = "Marketplace id (or `default`) → name of the Odoo sale tax, or a "
                          "mapping of ship-to country code (or `default`) → tax name, e.g. "
                          "`{A1PA6795UKMFR9: {FR: \"FR VAT 20% incl\", default: \"DE VAT 19% "
                          "incl\"}}`. Every line's taxes are set explicitly: the mapped tax or "
                          "none, never the product's default taxes. Marketplaces with "
                          "VAT-inclusive prices (Europe, UK, ...) need taxes included in the "
                          "price and carry them on every line Amazon does not report as "
                          "untaxed; amazon.com and amazon.ca need taxes added on top and carry "
                          "them on the lines Amazon charged tax on. Checked against Odoo at "
                          "start-up. When set, an order needing a tax its marketplace or ship-to "
                          "country has no entry for is dead-lettered."});
    s.add({.name = "pricelists",
           .type = ConfigType::string_map,
           .description = "Marketplace id → name of the Odoo pricelist of its orders (the "
                          "pricelist sets the sale order's currency). A marketplace left out "
                          "uses the one active pricelist in its currency; with none or several "
                          "the daemon refuses to start (none in the company's currency: Odoo's "
                          "default pricelist)."});
    s.add({.name = "cancel_email",
           .type = ConfigType::boolean,
           .description = "Cancelling a confirmed sale order sends the customer Odoo's "
                          "cancellation e-mail (the sale.order.cancel wizard's Send and cancel; "
                          "Odoo 16-18 only). false: cancelled without an e-mail.",
           .default_value = "false"});
    s.add({.name = "check_totals",
           .type = ConfigType::boolean,
           .description = "Compare Odoo's amount_total with Amazon's grand total after each "
                          "write, and Odoo's tax with the tax Amazon reports (per line and for "
                          "the order).",
           .default_value = "true"});
    s.add({.name = "add_adjustment_line",
           .type = ConfigType::boolean,
           .description = "When Odoo's total differs from Amazon's (e.g. a company rounding "
                          "taxes globally), add an untaxed line of adjustment_product for the "
                          "difference so the sale order's total is Amazon's (false: metric and "
                          "warning only).",
           .default_value = "true"});
    s.add({.name = "validate_afn_deliveries",
           .type = ConfigType::boolean,
           .description = "When an Amazon-fulfilled order has shipped, validate its Odoo delivery "
                          "for the shipped quantities.",
           .default_value = "true"});
    s.add({.name = "create_backorder",
           .type = ConfigType::boolean,
           .description = "Partial shipment: keep a backorder for the rest (false: close the "
                          "delivery without one).",
           .default_value = "true"});
    s.add({.name = "afn_tracking_report",
           .type = ConfigType::boolean,
           .description = "Read FBA tracking numbers from the newest "
                          "GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL report (Amazon gives none "
                          "for AFN orders in the Orders API). The report must be scheduled or "
                          "requested on Amazon's side.",
           .default_value = "true"});
    s.add({.name = "afn_tracking_report_max_age",
           .type = ConfigType::duration,
           .description = "How long a read shipments report serves before a newer one is looked "
                          "for (getReports has a very low quota).",
           .default_value = "30m"});
    s.add({.name = "report_dir",
           .type = ConfigType::string,
           .description = "Directory for downloaded report documents (deleted after reading); "
                          "empty: the system temp directory.",
           .default_value = ""});
    s.add({.name = "partner_cache_size",
           .type = ConfigType::integer,
           .description = "Customers remembered in memory by their stable key (0: upsert every "
                          "time).",
           .default_value = "10000"});
    return s;
}

namespace {

/// A marketplace key of `taxes`/`pricelists` as a marketplace id: an id or the marketplace's
/// country code ("DE"); `default` where allowed.
std::string marketplace_key(const std::string& key, const std::string& where, bool allow_default) {
    if (allow_default && key == "default") return key;
    const auto* m = amazon::find_marketplace(key);
    if (m == nullptr) {
        throw core::ConfigError(where + ": '" + key + "' is not an Amazon marketplace id (e.g. " +
                                "A1PA6795UKMFR9 for amazon.de)" +
                                (allow_default ? " nor `default`" : ""));
    }
    return std::string(m->id);
}

/// A ship-to country key: an ISO 3166-1 alpha-2 code (UK is read as GB) or `default`.
std::string country_key(const std::string& key, const std::string& where) {
    if (key == "default") return key;
    std::string code = key;
    for (auto& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (code == "UK") code = "GB";
    if (code.size() != 2 || !std::isalpha(static_cast<unsigned char>(code[0])) ||
        !std::isalpha(static_cast<unsigned char>(code[1]))) {
        throw core::ConfigError(where + ": '" + key +
                                "' is not a ship-to country code (two letters, e.g. FR) nor "
                                "`default`");
    }
    return code;
}

std::map<std::string, TaxChoice> tax_choices_from_config(const core::ConfigNode& node) {
    std::map<std::string, TaxChoice> out;
    for (const auto& [key, value] : node.get_string_tree("taxes")) {
        const std::string where = node.where("taxes." + key);
        TaxChoice choice;
        if (value.is_map) {
            if (value.map.empty()) throw core::ConfigError(where + ": no tax named");
            for (const auto& [country, tax] : value.map) {
                const std::string at = node.where("taxes." + key + "." + country);
                if (tax.empty()) throw core::ConfigError(at + ": the tax name is empty");
                if (!choice.by_country.emplace(country_key(country, at), tax).second) {
                    throw core::ConfigError(at + ": the country is named twice");
                }
            }
        } else {
            if (value.text.empty()) throw core::ConfigError(where + ": the tax name is empty");
            choice.tax = value.text;
        }
        if (!out.emplace(marketplace_key(key, where, true), std::move(choice)).second) {
            throw core::ConfigError(where +
                                    ": the marketplace is named twice (id and country "
                                    "code)");
        }
    }
    return out;
}

}  // namespace

OrderImportOptions order_import_options_from_config(const core::ConfigNode& node) {
    OrderImportOptions o;
    o.api = node.get_string("api");
    if (node.has("included_data")) o.included_data = node.get_string_list("included_data");
    o.v0_pii = node.get_bool("v0_pii");
    o.import_pending = node.get_bool("import_pending");
    o.import_canceled = node.get_bool("import_canceled");
    o.xmlid_module = node.get_string("xmlid_module");
    o.unmatched_state = node.get_string("unmatched_state") == "error" ? UnmatchedState::fail
                                                                      : UnmatchedState::leave_empty;
    if (node.has("product_aliases")) o.product_aliases = node.get_string_map("product_aliases");
    o.shipping_product = node.get_string("shipping_product");
    o.discount_product = node.get_string("discount_product");
    o.gift_wrap_product = node.get_string("gift_wrap_product");
    o.adjustment_product = node.get_string("adjustment_product");
    if (node.has("taxes")) o.taxes = tax_choices_from_config(node);
    if (node.has("pricelists")) {
        for (const auto& [key, name] : node.get_string_map("pricelists")) {
            const std::string where = node.where("pricelists." + key);
            if (name.empty()) throw core::ConfigError(where + ": the pricelist name is empty");
            if (!o.pricelists.emplace(marketplace_key(key, where, false), name).second) {
                throw core::ConfigError(where +
                                        ": the marketplace is named twice (id and country code)");
            }
        }
    }
    o.check_totals = node.get_bool("check_totals");
    o.cancel_email = node.get_bool("cancel_email");
    o.add_adjustment_line = node.get_bool("add_adjustment_line");
    o.validate_afn_deliveries = node.get_bool("validate_afn_deliveries");
    o.create_backorder = node.get_bool("create_backorder");
    o.afn_tracking_report = node.get_bool("afn_tracking_report");
    o.afn_tracking_report_max_age = node.get_duration("afn_tracking_report_max_age");
    o.report_dir = node.get_string("report_dir");
    const auto cache = node.get_int("partner_cache_size");
    if (cache < 0) node.fail("partner_cache_size", "must be >= 0");
    o.partner_cache_size = static_cast<std::size_t>(cache);
    if (o.xmlid_module.empty() ||
        o.xmlid_module.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") !=
            std::string::npos) {
        node.fail("xmlid_module", "use lower-case letters, digits and '_' only");
    }
    return o;
}

// ---- the flow ----------------------------------------------------------------------------------

struct OrderImportFlow::Impl {
    OrderImportDeps deps;
    OrderImportOptions opt;
    core::Log log{"flows.order_import"};
    std::mutex mu;
    std::map<std::string, PartnerIds> partners;  ///< by stable content key
    int major = 0;                               ///< Odoo major version, read once
    /// FBA tracking from the shipments report: order id → "CARRIER NUMBER, ...".
    std::map<std::string, std::string> afn_tracking;
    std::string afn_report_id;
    std::optional<Clock::time_point> afn_report_checked;
    // The Odoo calls every order makes, batched across the jobs running at once (coalescer.hpp):
    // finding orders by Amazon id, confirming, writing Amazon's date back, reading the totals.
    std::unique_ptr<Coalescer<std::string, std::optional<ExistingOrder>>> finds;
    std::unique_ptr<Coalescer<std::int64_t, bool>> confirms;
    std::unique_ptr<Coalescer<DateWrite, OrderState>> dates;
    std::unique_ptr<Coalescer<std::int64_t, std::optional<Amounts>>> totals;
    /// When this store began importing orders (cursor orders.new_since): orders bought after it
    /// that the store has no mapping for were never created by anyone but this store.
    std::optional<model::Timestamp> new_since;
    // What prepare() read from Odoo (under mu).
    bool prepared = false;
    std::string company_currency;                ///< the first company's currency (ISO code)
    bool rounds_globally = false;                ///< a company rounds taxes globally
    std::map<std::string, TaxInfo> tax_by_name;  ///< every tax named under `taxes`
    /// The pricelist chosen for (marketplace id, currency); nullopt = Odoo's default.
    std::map<std::pair<std::string, std::string>, std::optional<PricelistInfo>> pricelist_for;

    /// Dead letters, counted in clarity_orders_failed_total{connection,reason}.
    DeadLetters dead_letter;

    Impl(OrderImportDeps d, OrderImportOptions o)
        : deps(std::move(d)),
          opt(std::move(o)),
          dead_letter(deps.metrics,
                      opt.connection,
                      "clarity_orders_failed_total",
                      "Orders dead-lettered by the import, by reason (a person must act).",
                      "flows.order_import") {}

    core::Counter& counter(const std::string& name,
                           const std::string& help,
                           core::Labels extra = {}) {
        core::Labels labels{{"connection", opt.connection}};
        for (auto& l : extra) labels.push_back(std::move(l));
        return deps.metrics.counter(name, help, labels);
    }
    void skipped(const std::string& reason) {
        counter("clarity_orders_skipped_total",
                "Order jobs that changed nothing in Odoo, by reason.", {{"reason", reason}})
            .inc();
    }
};

namespace {
void make_coalescers(OrderImportFlow::Impl& impl);
}  // namespace

OrderImportFlow::OrderImportFlow(OrderImportDeps deps, OrderImportOptions options) {
    if (!deps.order_template)
        throw std::invalid_argument("OrderImportFlow needs an order template");
    impl_ = std::make_shared<Impl>(std::move(deps), std::move(options));
    make_coalescers(*impl_);
}

OrderImportFlow::~OrderImportFlow() = default;

std::string_view OrderImportFlow::name() const { return kOrderImportFlow; }

namespace {

using Impl = OrderImportFlow::Impl;

/// The Odoo major version (field spellings); read once.
asio::awaitable<Result<int>> odoo_major(std::shared_ptr<Impl> impl) {
    {
        std::lock_guard lock(impl->mu);
        if (impl->major != 0) co_return impl->major;
    }
    int major = impl->deps.odoo.schema().version.major;
    if (major == 0) {
        auto v = co_await impl->deps.odoo.version();
        if (!v) co_return v.error();
        major = v->major;
    }
    std::lock_guard lock(impl->mu);
    impl->major = major;
    co_return major;
}

asio::awaitable<Result<model::Order>> fetch_order(std::shared_ptr<Impl> impl,
                                                  std::string order_id,
                                                  std::string marketplace_id) {
    if (impl->opt.api == "v0") {
        // getOrder per order, not getOrders for its id: getOrderItems (0.5/s, burst 30) is needed
        // per order anyway, and getOrder has the same plan in a bucket of its own, so the import
        // runs at getOrderItems' pace; getOrders (0.0167/s) would bound it after 20 calls unless
        // ~50 jobs waited at once (docs/orders.md, "Orders API v0").
        (void)marketplace_id;  // getOrder needs none
        auto fetched =
            co_await impl->deps.amazon.get_order_with_items_v0(order_id, impl->opt.v0_pii);
        if (!fetched) co_return fetched.error();
        co_return amazon::to_canonical(fetched->order, fetched->items);
    }
    std::vector<std::string> included = impl->opt.included_data;
    if (included.empty()) included = amazon::default_order_included_data();
    auto order = co_await impl->deps.amazon.get_order(order_id, std::move(included));
    if (!order) co_return order.error();
    auto canonical = amazon::to_canonical(*order);
    if (!canonical) co_return canonical.error();
    co_return std::move(*canonical);
}

/// Orders by Amazon order id, many in one search_read (the oldest sale.order of each id).
asio::awaitable<std::vector<Result<std::optional<ExistingOrder>>>> find_orders_batch(
    Impl* impl, std::vector<std::string> amazon_ids) {
    const std::string ref_field(kOrderRefField);
    Domain d;
    if (amazon_ids.size() == 1) {
        d.where(ref_field, "=", amazon_ids[0]);
    } else {
        Array refs;
        for (const auto& id : amazon_ids) refs.emplace_back(id);
        d.where(ref_field, "in", OValue(std::move(refs)));
    }
    SearchOptions so;
    so.fields = {"id",         "state",        "partner_id", "partner_shipping_id",
                 "date_order", "pricelist_id", ref_field};
    so.order = "id asc";
    auto rows = co_await impl->deps.odoo.search_read("sale.order", std::move(d), std::move(so));
    std::vector<Result<std::optional<ExistingOrder>>> out;
    if (!rows) {
        out.assign(amazon_ids.size(), rows.error());
        co_return out;
    }
    std::map<std::string, ExistingOrder> oldest;
    for (const auto& row : *rows) {
        auto ref = row[ref_field.c_str()].as_string();
        if (!ref) continue;
        ExistingOrder e;
        e.id = row["id"].as_int().value_or(0);
        e.state = row["state"].as_string().value_or("");
        e.partner = row["partner_id"].m2o_id().value_or(0);
        e.shipping = row["partner_shipping_id"].m2o_id().value_or(0);
        e.date_order = row["date_order"].as_string().value_or("");
        e.pricelist = row["pricelist_id"].m2o_id().value_or(0);
        oldest.emplace(*ref, std::move(e));  // rows come by id: the first one stays
    }
    for (const auto& id : amazon_ids) {
        auto it = oldest.find(id);
        out.emplace_back(it == oldest.end() ? std::optional<ExistingOrder>{}
                                            : std::optional<ExistingOrder>{it->second});
    }
    co_return out;
}

/// An action's reply: done, the call's error, or — a window action instead of the work —
/// a permanent error naming the wizard (an action is never taken as done on its word alone; the
/// flow also reads the resulting state, see OrderState).
Result<bool> action_outcome(const Result<odoo::ActionResult>& r, const std::string& what) {
    if (!r) return r.error();
    if (r->needs_wizard()) {
        return Error{ErrorKind::permanent, "Odoo answered " + what + " with the wizard '" +
                                               r->wizard->res_model + "' instead of doing it"};
    }
    return true;
}

/// action_confirm on many quotations in one call. The call is one transaction: when Odoo refuses
/// it (or answers with a wizard), nothing was confirmed, and each is tried alone so that the
/// refusal names its order.
asio::awaitable<std::vector<Result<bool>>> confirm_batch(Impl* impl,
                                                         std::vector<std::int64_t> ids) {
    auto& odoo = impl->deps.odoo;
    auto r = co_await odoo.call_action("sale.order", "action_confirm", ids, odoo.write_context());
    auto first = action_outcome(r, "action_confirm");
    std::vector<Result<bool>> out;
    if (first || ids.size() == 1 || first.error().kind != ErrorKind::permanent) {
        out.assign(ids.size(), first);
        co_return out;
    }
    for (auto id : ids) {
        std::vector<std::int64_t> single(1, id);
        auto one = co_await odoo.call_action("sale.order", "action_confirm", std::move(single),
                                             odoo.write_context());
        out.push_back(action_outcome(one, "action_confirm"));
    }
    co_return out;
}

std::vector<std::string> state_fields() {
    std::vector<std::string> f;
    f.emplace_back("id");
    f.emplace_back("state");
    f.emplace_back("amount_total");
    f.emplace_back("amount_tax");
    return f;
}

/// The OrderState of `id` among rows read back (empty state: Odoo did not return it).
OrderState state_of(const std::vector<OValue>& rows, std::int64_t id) {
    OrderState s;
    for (const auto& row : rows) {
        if (row["id"].as_int() != id) continue;
        s.state = row["state"].as_string().value_or("");
        s.amount_total = row["amount_total"].as_double();
        s.amount_tax = row["amount_tax"].as_double();
    }
    return s;
}

/// date_order of many sale orders in one call, and their state and total read back in the same
/// batch (the proof that action_confirm confirmed them): `load` with the database id column
/// `.id` updates each row's record with its own value (a write would give all the same value),
/// then one `read`. The context's tz is UTC because load reads datetimes in the context's time
/// zone (Odoo stores UTC). One order alone is a `web_save` on 17+ (the write and the read in one
/// call), a write and a read on 16.
asio::awaitable<std::vector<Result<OrderState>>> dates_batch(Impl* impl,
                                                             std::vector<DateWrite> writes) {
    auto& odoo = impl->deps.odoo;
    std::vector<Result<OrderState>> out;
    std::vector<std::int64_t> ids;
    for (const auto& w : writes) ids.push_back(w.id);
    int major = 0;
    {
        std::lock_guard lock(impl->mu);
        major = impl->major;  // read by run_job before any order is written
    }
    if (writes.size() == 1) {
        Struct vals;
        vals.insert_or_assign("date_order", OValue(writes[0].date_order));
        if (major >= 17) {
            std::vector<std::string> fields = state_fields();  // named: g++ 12, co_await
            auto saved = co_await odoo.web_save("sale.order", ids, std::move(vals),
                                                std::move(fields), odoo.write_context());
            if (!saved) {
                out.push_back(saved.error());
            } else {
                out.push_back(state_of(*saved, ids[0]));
            }
            co_return out;
        }
        auto w = co_await odoo.write("sale.order", ids, std::move(vals), odoo.write_context());
        if (!w) {
            out.push_back(w.error());
            co_return out;
        }
        std::vector<std::string> fields = state_fields();  // named: g++ 12, co_await
        auto rows = co_await odoo.read("sale.order", ids, std::move(fields));
        if (!rows) {
            out.push_back(rows.error());
        } else {
            out.push_back(state_of(*rows, ids[0]));
        }
        co_return out;
    }
    std::vector<Array> rows;
    for (const auto& w : writes) {
        rows.push_back(Array{OValue(static_cast<long long>(w.id)), OValue(w.date_order)});
    }
    Struct ctx = odoo.write_context();
    ctx.insert_or_assign("tz", OValue("UTC"));
    std::vector<std::string> fields;  // named: g++ 12 miscompiles temporaries in co_await
    fields.emplace_back(".id");
    fields.emplace_back("date_order");
    auto r = co_await odoo.load("sale.order", std::move(fields), std::move(rows), std::move(ctx));
    if (!r) {
        out.assign(writes.size(), r.error());
        co_return out;
    }
    if (!r->ok()) {
        std::string all;
        for (const auto& m : r->messages) all += (all.empty() ? "" : "; ") + m;
        out.assign(writes.size(),
                   Error{ErrorKind::permanent, "Odoo refused to set the order dates: " + all});
        co_return out;
    }
    std::vector<std::string> read_fields = state_fields();  // named: g++ 12, co_await
    auto read_back = co_await odoo.read("sale.order", ids, std::move(read_fields));
    if (!read_back) {
        out.assign(writes.size(), read_back.error());
        co_return out;
    }
    for (auto id : ids) out.push_back(state_of(*read_back, id));
    co_return out;
}

/// amount_total and amount_tax of many sale orders in one read (nullopt: the order is gone).
asio::awaitable<std::vector<Result<std::optional<Amounts>>>> totals_batch(
    Impl* impl, std::vector<std::int64_t> ids) {
    std::vector<std::string> fields;  // named: g++ 12 miscompiles temporaries in co_await
    fields.emplace_back("id");
    fields.emplace_back("amount_total");
    fields.emplace_back("amount_tax");
    auto rows = co_await impl->deps.odoo.read("sale.order", ids, std::move(fields));
    std::vector<Result<std::optional<Amounts>>> out;
    if (!rows) {
        out.assign(ids.size(), rows.error());
        co_return out;
    }
    std::map<std::int64_t, Amounts> by_id;
    for (const auto& row : *rows) {
        if (auto id = row["id"].as_int()) {
            by_id[*id] = Amounts{row["amount_total"].as_double().value_or(0),
                                 row["amount_tax"].as_double().value_or(0)};
        }
    }
    for (auto id : ids) {
        auto it = by_id.find(id);
        out.emplace_back(it == by_id.end() ? std::optional<Amounts>{}
                                           : std::optional<Amounts>{it->second});
    }
    co_return out;
}

constexpr std::size_t kMaxBatch = 20;

void make_coalescers(Impl& impl) {
    Impl* p = &impl;  // the coalescers live in (and die with) the Impl
    impl.finds = std::make_unique<Coalescer<std::string, std::optional<ExistingOrder>>>(
        "finding orders in Odoo",
        [p](std::vector<std::string> ids) { return find_orders_batch(p, std::move(ids)); },
        kMaxBatch);
    impl.confirms = std::make_unique<Coalescer<std::int64_t, bool>>(
        "confirming orders in Odoo",
        [p](std::vector<std::int64_t> ids) { return confirm_batch(p, std::move(ids)); }, kMaxBatch);
    impl.dates = std::make_unique<Coalescer<DateWrite, OrderState>>(
        "writing order dates to Odoo",
        [p](std::vector<DateWrite> w) { return dates_batch(p, std::move(w)); }, kMaxBatch);
    impl.totals = std::make_unique<Coalescer<std::int64_t, std::optional<Amounts>>>(
        "reading order totals from Odoo",
        [p](std::vector<std::int64_t> ids) { return totals_batch(p, std::move(ids)); }, kMaxBatch);
}

constexpr const char* kNewSinceCursor = "orders.new_since";
constexpr const char* kOrderKind = "amazon_order";

/// True when `order` cannot exist in Odoo yet, so the search for it can be skipped: this is the
/// job's first attempt (a retry may follow a create whose answer was lost), the store has no
/// mapping for the order (written the moment Odoo answers a create, so also after a run that
/// created the order and then failed), and Amazon's purchase date is after the store began
/// importing (older orders may have come from a previous store or another importer).
asio::awaitable<bool> known_new(std::shared_ptr<Impl> impl,
                                JobContext* ctx,
                                const model::Order* order) {
    store::AsyncStore* st = impl->deps.store;
    if (st == nullptr || ctx->job.attempt != 1) co_return false;
    if (!impl->new_since) {
        const std::string connection = ctx->job.connection;
        const std::string now = model::format_iso8601(
            std::chrono::time_point_cast<std::chrono::seconds>(impl->deps.clock.now()));
        std::function<Result<std::string>(store::Store&)> fn =
            [connection, now](store::Store& s) -> Result<std::string> {
            auto have = s.cursor(connection, kNewSinceCursor);
            if (!have) return have.error();
            if (*have) return **have;
            auto set = s.set_cursor(connection, kNewSinceCursor, now);
            if (!set) return set.error();
            return now;
        };
        auto since = co_await st->call(std::move(fn));
        if (!since) co_return false;
        auto parsed = model::parse_timestamp(*since);
        if (!parsed) co_return false;
        impl->new_since = *parsed;
    }
    if (order->purchase_date <= *impl->new_since) co_return false;
    const std::string connection = ctx->job.connection;
    const std::string id = order->amazon_order_id;
    std::function<Result<std::optional<store::IdMapping>>(store::Store&)> lookup =
        [connection, id](store::Store& s) {
            return s.find_by_external(connection, kOrderKind, id);
        };
    auto mapping = co_await st->call(std::move(lookup));
    co_return mapping && !*mapping;
}

/// Writes the order's mapping at once (not only with the job's ack), so that no later run takes
/// an order this store created for a new one.
asio::awaitable<Result<void>> remember_order(std::shared_ptr<Impl> impl, store::IdMapping mapping) {
    store::AsyncStore* st = impl->deps.store;
    if (st == nullptr) co_return Result<void>{};
    std::function<Result<void>(store::Store&)> fn = [mapping](store::Store& s) {
        return s.put_id(mapping);
    };
    co_return co_await st->call(std::move(fn));
}

asio::awaitable<Result<std::optional<ExistingOrder>>> find_order(std::shared_ptr<Impl> impl,
                                                                 std::string amazon_id) {
    // Named: g++ 12 double-frees temporaries with destructors inside co_await.
    auto found = impl->finds->submit(std::move(amazon_id));
    co_return co_await std::move(found);
}

/// id of the first record of `model` matching `domain` through the stable-data cache.
asio::awaitable<Result<std::optional<std::int64_t>>> cached_id(std::shared_ptr<Impl> impl,
                                                               std::string model,
                                                               Domain domain) {
    SearchOptions so;
    so.fields = {"id"};
    so.limit = 1;
    so.order = "id asc";
    auto rows = co_await impl->deps.odoo.search_read_cached(std::move(model), std::move(domain),
                                                            std::move(so));
    if (!rows) co_return rows.error();
    if (rows->empty()) co_return std::optional<std::int64_t>{};
    co_return (*rows)[0]["id"].as_int();
}

/// What the product resolution found: id per Internal Reference asked for.
struct Products {
    std::map<std::string, std::int64_t> by_code;
};

asio::awaitable<Result<Products>> load_products(std::shared_ptr<Impl> impl,
                                                std::vector<std::string> codes) {
    Products out;
    if (codes.empty()) co_return out;
    std::vector<std::string> fields{"id", "default_code"};
    auto found =
        co_await impl->deps.odoo.products_by("default_code", std::move(codes), std::move(fields));
    if (!found) co_return found.error();
    for (const auto& [code, rec] : *found) {
        if (auto id = rec["id"].as_int()) out.by_code.emplace(code, *id);
    }
    co_return out;
}

/// Internal References among `codes` that exist but are archived.
asio::awaitable<Result<std::set<std::string>>> archived_products(std::shared_ptr<Impl> impl,
                                                                 std::vector<std::string> codes) {
    std::set<std::string> out;
    Array keys;
    for (auto& c : codes) keys.emplace_back(c);
    Domain d;
    d.where("default_code", "in", keys);
    d.where("active", "=", false);
    SearchOptions so;
    so.fields = {"id", "default_code"};
    Struct ctx{{"active_test", false}};
    auto rows = co_await impl->deps.odoo.search_read("product.product", std::move(d), std::move(so),
                                                     std::move(ctx));
    if (!rows) co_return rows.error();
    for (const auto& r : *rows) {
        if (auto c = r["default_code"].as_string()) out.insert(*c);
    }
    co_return out;
}

/// Upserts the customer and the delivery address under stable external ids (one `load` each,
/// skipped when the same content was written before by this process).
asio::awaitable<Result<PartnerIds>> upsert_partners(std::shared_ptr<Impl> impl,
                                                    JobContext* ctx,
                                                    model::Order* order) {
    const auto& o = *order;
    std::string customer_key =
        !o.buyer.email.empty()
            ? "email:" + lower(o.buyer.email)
            : (o.ship_to ? "addr:" + lower(o.ship_to->name) + "|" + o.ship_to->postal_code + "|" +
                               o.ship_to->country_code
                         : "order:" + o.amazon_order_id);
    std::string customer_name =
        !o.buyer.name.empty()
            ? o.buyer.name
            : (o.ship_to && !o.ship_to->name.empty() ? o.ship_to->name
                                                     : "Amazon customer " + o.amazon_order_id);

    // Country and state ids (never created: an unmatched state is reported).
    std::optional<std::int64_t> country_id, state_id;
    if (o.ship_to) {
        const auto& n = o.ship_to->normalized;
        if (!n.country_code.empty()) {
            Domain d;
            d.where("code", "=", n.country_code);
            auto c = co_await cached_id(impl, "res.country", std::move(d));
            if (!c) co_return c.error();
            country_id = *c;
        }
        if (country_id && !n.state_code.empty()) {
            Domain d;
            d.where("code", "=", n.state_code);
            d.where("country_id", "=", *country_id);
            auto s = co_await cached_id(impl, "res.country.state", std::move(d));
            if (!s) co_return s.error();
            state_id = *s;
        }
        // Region text only counts as unmatched where Odoo has states for the country (it has
        // none for France, for instance): otherwise there is nothing it could match.
        bool country_has_states = false;
        if (country_id && !o.ship_to->state_or_region.empty() && !state_id) {
            Domain d;
            d.where("country_id", "=", *country_id);
            auto any = co_await cached_id(impl, "res.country.state", std::move(d));
            if (!any) co_return any.error();
            country_has_states = any->has_value();
        }
        if (!o.ship_to->state_or_region.empty() && !state_id &&
            (country_has_states || !country_id)) {
            std::string finding = "ship-to state/region '" + o.ship_to->state_or_region +
                                  "' of country '" + o.ship_to->country_code +
                                  "' matches no res.country.state in Odoo";
            if (impl->opt.unmatched_state == UnmatchedState::fail) {
                co_return impl->dead_letter(
                    "unmatched_state",
                    "order " + o.amazon_order_id + ": " + finding +
                        ". Add the state in Odoo (Contacts > Configuration > States) "
                        "or correct the address, " +
                        replay_hint(*ctx) + ".");
            }
            impl->counter("clarity_order_unmatched_state_total",
                          "Orders imported without a state because Odoo has no matching one.")
                .inc();
            impl->log
                .with({std::to_string(ctx->job.id),
                       ctx->job.flow,
                       ctx->job.connection,
                       ctx->job.entity_key,
                       {}})
                .warn("{}; imported without a state", finding);
        }
    }
    std::string ship_key;
    if (o.ship_to) {
        const auto& a = *o.ship_to;
        ship_key = a.name + "|" + a.company + "|" + a.line1 + "|" + a.line2 + "|" + a.line3 + "|" +
                   a.city + "|" + a.postal_code + "|" + a.country_code + "|" + a.state_or_region +
                   "|" + a.phone;
    }
    const std::string cache_key = customer_key + "\x1f" + customer_name + "\x1f" + o.buyer.email +
                                  "\x1f" + ship_key + "\x1f" +
                                  std::to_string(country_id.value_or(0)) + "/" +
                                  std::to_string(state_id.value_or(0));
    if (impl->opt.partner_cache_size > 0) {
        std::lock_guard lock(impl->mu);
        if (auto it = impl->partners.find(cache_key); it != impl->partners.end()) {
            co_return it->second;
        }
    }
    const std::string& module = impl->opt.xmlid_module;
    const std::string customer_xmlid = module + ".amazon_buyer_" + stable_hash(customer_key);
    auto ctx_w = impl->deps.odoo.write_context();
    PartnerIds ids;
    {
        std::vector<std::string> fields{"id", "name", "email"};
        Array row{OValue(customer_xmlid), OValue(customer_name),
                  o.buyer.email.empty() ? OValue(false) : OValue(o.buyer.email)};
        std::vector<Array> rows{std::move(row)};
        auto r =
            co_await impl->deps.odoo.load("res.partner", std::move(fields), std::move(rows), ctx_w);
        if (!r) co_return r.error();
        if (!r->ok() || r->ids.empty() || !r->ids[0]) {
            std::string why = r->messages.empty() ? "no id returned" : r->messages.front();
            co_return impl->dead_letter.odoo_refused(
                why, {*ctx, "order " + o.amazon_order_id, "the customer '" + customer_name + "'",
                      "Fix the data or the Odoo rule"});
        }
        ids.customer = *r->ids[0];
    }
    ids.shipping = ids.customer;
    if (o.ship_to) {
        const auto& a = *o.ship_to;
        const auto& n = a.normalized;
        std::string street2 = a.line2;
        if (!a.line3.empty()) street2 += street2.empty() ? a.line3 : ", " + a.line3;
        const std::string xmlid =
            module + ".amazon_ship_" + stable_hash(customer_key + "\x1f" + ship_key);
        std::vector<std::string> fields{"id",     "parent_id/.id",  "type",        "name",
                                        "street", "street2",        "city",        "zip",
                                        "phone",  "country_id/.id", "state_id/.id"};
        auto text = [](const std::string& s) { return s.empty() ? OValue(false) : OValue(s); };
        Array row{OValue(xmlid),
                  OValue(static_cast<long long>(ids.customer)),
                  OValue("delivery"),
                  OValue(a.name.empty() ? customer_name : a.name),
                  text(a.line1),
                  text(street2),
                  text(a.city),
                  text(n.postal_code.empty() ? a.postal_code : n.postal_code),
                  text(n.phone.empty() ? a.phone : n.phone),
                  country_id ? OValue(static_cast<long long>(*country_id)) : OValue(false),
                  state_id ? OValue(static_cast<long long>(*state_id)) : OValue(false)};
        std::vector<Array> rows{std::move(row)};
        auto r =
            co_await impl->deps.odoo.load("res.partner", std::move(fields), std::move(rows), ctx_w);
        if (!r) co_return r.error();
        if (!r->ok() || r->ids.empty() || !r->ids[0]) {
            std::string why = r->messages.empty() ? "no id returned" : r->messages.front();
            co_return impl->dead_letter.odoo_refused(
                why, {*ctx, "order " + o.amazon_order_id, "the delivery address",
                      "Fix the address data or the Odoo rule"});
        }
        ids.shipping = *r->ids[0];
    }
    if (impl->opt.partner_cache_size > 0) {
        std::lock_guard lock(impl->mu);
        if (impl->partners.size() >= impl->opt.partner_cache_size) impl->partners.clear();
        impl->partners.emplace(cache_key, ids);
    }
    co_return ids;
}

/// FBA tracking of `order_id` from the newest shipments report, read again when the one in memory
/// is older than afn_tracking_report_max_age. Best effort: an Amazon error is logged and gives no
/// tracking (the delivery is still validated; a later job of the order fills the tracking in).
asio::awaitable<std::string> afn_tracking(std::shared_ptr<Impl> impl, std::string order_id) {
    const auto now = impl->deps.clock.now();
    {
        std::lock_guard lock(impl->mu);
        if (auto it = impl->afn_tracking.find(order_id); it != impl->afn_tracking.end()) {
            co_return it->second;
        }
        if (impl->afn_report_checked &&
            now - *impl->afn_report_checked < impl->opt.afn_tracking_report_max_age) {
            co_return std::string{};
        }
        impl->afn_report_checked = now;  // one look per max_age, even when it fails
    }
    amazon::ReportsRequest request;
    request.report_types.emplace_back(amazon::kFulfilledShipmentsReport);
    request.processing_statuses.emplace_back("DONE");
    request.page_size = 10;
    auto page = co_await impl->deps.amazon.get_reports(std::move(request));
    if (!page) {
        impl->log.warn(
            "listing {} reports failed ({}); FBA tracking numbers wait for the next look",
            amazon::kFulfilledShipmentsReport, page.error().message);
        co_return std::string{};
    }
    const amazon::Report* newest = nullptr;
    for (const auto& r : page->reports) {
        if (r.report_type != amazon::kFulfilledShipmentsReport || r.report_document_id.empty())
            continue;
        if (newest == nullptr || r.created_time > newest->created_time) newest = &r;
    }
    if (newest == nullptr) co_return std::string{};
    const std::string report_id = newest->report_id;
    const std::string document_id = newest->report_document_id;
    {
        std::lock_guard lock(impl->mu);
        if (report_id == impl->afn_report_id) co_return std::string{};
    }
    auto location = co_await impl->deps.amazon.get_report_document(document_id);
    if (!location) {
        impl->log.warn("reading report {} failed: {}", report_id, location.error().message);
        co_return std::string{};
    }
    std::error_code ec;
    std::filesystem::path dir = impl->opt.report_dir.empty()
                                    ? std::filesystem::temp_directory_path(ec)
                                    : std::filesystem::path(impl->opt.report_dir);
    const auto file = dir / ("clarity-shipments-" + report_id + ".tsv");
    auto size = co_await impl->deps.amazon.download_document(*location, file);
    if (!size) {
        impl->log.warn("downloading report {} failed: {}", report_id, size.error().message);
        std::filesystem::remove(file, ec);
        co_return std::string{};
    }
    // Reading and parsing the file is blocking work: it runs on the store's worker thread, not on
    // the I/O thread that every connection's calls share.
    auto read_and_parse = [file] {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream buf;
        buf << in.rdbuf();
        auto parsed = amazon::parse_fulfilled_shipments(buf.str());
        std::error_code ignored;
        std::filesystem::remove(file, ignored);
        return parsed;
    };
    using Parsed = std::map<std::string, std::string>;
    Parsed parsed;
    if (impl->deps.store != nullptr) {
        parsed = co_await impl->deps.store->call(std::function<Parsed(store::Store&)>(
            [&read_and_parse](store::Store&) { return read_and_parse(); }));
    } else {
        parsed = read_and_parse();
    }
    std::lock_guard lock(impl->mu);
    impl->afn_tracking = std::move(parsed);
    impl->afn_report_id = report_id;
    auto it = impl->afn_tracking.find(order_id);
    co_return it == impl->afn_tracking.end() ? std::string{} : it->second;
}

/// Cancels sale order `sale_id` and proves it. 16–18 answer action_cancel on a confirmed order
/// with the action of the sale.order.cancel wizard (which e-mails the customer) instead of
/// cancelling, unless the context carries disable_cancel_warning — what the wizard's own
/// "Cancel" button passes (sale/wizard/sale_order_cancel.py); 19 has no wizard and cancels
/// directly. So the call carries that key (no e-mail), and one read afterwards checks the state:
/// a wizard answer or an order not cancelled afterwards is a dead letter, never a success. With
/// cancel_email, the call goes without the key and the wizard is answered with its "Send and
/// cancel" (on 19 and for quotations Odoo cancels at once and sends nothing).
asio::awaitable<Result<void>> cancel_sale_order(std::shared_ptr<Impl> impl,
                                                std::string amazon_id,
                                                std::int64_t sale_id) {
    auto& odoo = impl->deps.odoo;
    const bool email = impl->opt.cancel_email;
    Struct cctx = odoo.write_context();
    if (!email) cctx.insert_or_assign("disable_cancel_warning", true);
    auto r =
        co_await odoo.call_action("sale.order", "action_cancel", one_id(sale_id), std::move(cctx));
    const std::string so = "sale order " + std::to_string(sale_id);
    if (!r) {
        if (r.error().kind == ErrorKind::permanent) {
            co_return impl->dead_letter(
                "odoo_refused",
                "order " + amazon_id + ": Amazon cancelled it but Odoo refused to cancel " + so +
                    ": " + r.error().message + ". Cancel or return it in Odoo by hand.");
        }
        co_return r.error();
    }
    if (r->needs_wizard() && email && r->wizard->res_model == "sale.order.cancel") {
        // cancel_email: the wizard's "Send and cancel", created with the context of the action
        // that opened it (its default_* keys name the order and the e-mail template).
        Struct wctx = odoo.write_context();
        wctx.erase("tracking_disable");
        for (const auto& [k, v] : r->wizard->context) wctx.insert_or_assign(k, v);
        Struct wvals;
        wvals.insert_or_assign("order_id", static_cast<long long>(sale_id));
        auto wizard =
            co_await odoo.create("sale.order.cancel", std::vector<Struct>(1, wvals), wctx);
        Result<odoo::ActionResult> sent = Error{ErrorKind::permanent, "no wizard created"};
        if (!wizard) {
            sent = wizard.error();
        } else if (!wizard->empty()) {
            auto send = odoo.call_action("sale.order.cancel", "action_send_mail_and_cancel",
                                         *wizard, std::move(wctx));
            sent = co_await std::move(send);  // named: g++ 12, co_await
        }
        auto done = action_outcome(sent, "the cancellation wizard's action_send_mail_and_cancel");
        if (!done) {
            if (done.error().kind != ErrorKind::permanent) co_return done.error();
            co_return impl->dead_letter(
                "odoo_refused", "order " + amazon_id +
                                    ": Amazon cancelled it but Odoo's "
                                    "cancellation e-mail wizard failed for " +
                                    so + ": " + done.error().message +
                                    ". Cancel the order in Odoo by hand (nothing to replay).");
        }
    } else if (r->needs_wizard()) {
        co_return impl->dead_letter(
            "odoo_unchanged", "order " + amazon_id + ": Amazon cancelled it but Odoo answered " +
                                  "action_cancel on " + so + " with the wizard '" +
                                  r->wizard->res_model +
                                  "' instead of cancelling it (an Odoo module asks for a "
                                  "confirmation). Cancel the order in Odoo by hand (nothing to "
                                  "replay).");
    }
    std::vector<std::string> fields = state_fields();  // named: g++ 12, co_await
    auto rows = co_await odoo.read("sale.order", one_id(sale_id), std::move(fields));
    if (!rows) co_return rows.error();
    const OrderState after = state_of(*rows, sale_id);
    if (after.state != "cancel") {
        co_return impl->dead_letter(
            "odoo_unchanged",
            "order " + amazon_id + ": Amazon cancelled it and Odoo accepted action_cancel on " +
                so + ", but the order is " +
                (after.state.empty() ? std::string("gone")
                                     : "still in state '" + after.state + "'") +
                " afterwards. Cancel it in Odoo by hand (Sales > Orders) to see what keeps it; "
                "nothing to replay.");
    }
    impl->counter("clarity_orders_cancelled_total",
                  "Odoo sale orders cancelled because Amazon cancelled the order.")
        .inc();
    co_return Result<void>{};
}

// ---- currencies, pricelists and taxes ----------------------------------------------------------

/// "flows.order_import.taxes.A1PA6795UKMFR9.FR": where a tax name is configured.
std::string tax_setting(const std::string& key, const std::string& country) {
    return "flows.order_import.taxes." + key + (country.empty() ? std::string{} : "." + country);
}

/// The pricelist of `marketplace`'s orders in `currency`: the one configured under `pricelists`,
/// else the one active pricelist in that currency, else (none, and the currency is the
/// company's) Odoo's default. Permanent Error naming the marketplace, the currency and the fix.
Result<std::optional<PricelistInfo>> choose_pricelist(const std::vector<PricelistInfo>& active,
                                                      const OrderImportOptions& opt,
                                                      const std::string& marketplace,
                                                      const std::string& currency,
                                                      const std::string& company_currency) {
    const std::string where = amazon::describe_marketplace(marketplace);
    if (auto it = opt.pricelists.find(marketplace); it != opt.pricelists.end()) {
        for (const auto& p : active) {
            if (p.name != it->second) continue;
            if (p.currency != currency) {
                return permanent("the pricelist \"" + p.name + "\" named for " + where +
                                 " under flows.order_import.pricelists is in " + p.currency +
                                 ", but the orders of " + where + " are in " + currency +
                                 ": name a pricelist in " + currency + " there");
            }
            return std::optional<PricelistInfo>{p};
        }
        return permanent("the pricelist \"" + it->second + "\" named for " + where +
                         " under flows.order_import.pricelists does not exist in Odoo or is "
                         "archived: create it with currency " +
                         currency + " (Sales > Products > Pricelists) or correct the name");
    }
    std::vector<const PricelistInfo*> in_currency;
    for (const auto& p : active) {
        if (p.currency == currency) in_currency.push_back(&p);
    }
    if (in_currency.size() == 1) return std::optional<PricelistInfo>{*in_currency.front()};
    if (in_currency.empty()) {
        if (currency == company_currency) return std::optional<PricelistInfo>{};
        return permanent(
            "no active pricelist in " + currency + " for " + where +
            ": its orders would be booked in the company's currency " + company_currency +
            ". Create a pricelist in " + currency +
            " in Odoo (Sales > Products > Pricelists; activate the currency first under "
            "Accounting > Configuration > Currencies if needed) or name one under "
            "flows.order_import.pricelists (" +
            marketplace + ": \"<pricelist name>\")");
    }
    std::string names;
    for (const auto* p : in_currency) names += (names.empty() ? "\"" : ", \"") + p->name + "\"";
    return permanent("several active pricelists in " + currency + " (" + names + ") could serve " +
                     where + ": choose one under flows.order_import.pricelists (" + marketplace +
                     ": \"" + in_currency.front()->name + "\")");
}

/// A mapped tax against its marketplace's prices: included in the price exactly where the
/// marketplace's prices include VAT. Empty when it fits.
std::string tax_fit_problem(const TaxInfo& tax,
                            const std::string& marketplace,
                            const std::string& setting) {
    const auto* pricing = amazon::marketplace_pricing(marketplace);
    if (pricing == nullptr || pricing->prices_include_tax == tax.price_include) return {};
    const std::string where = amazon::describe_marketplace(marketplace);
    if (pricing->prices_include_tax) {
        return where + " sells at prices that include VAT, but its tax \"" + tax.name + "\" (" +
               setting +
               ") is not included in the price in Odoo, so Odoo would add it on top of Amazon's "
               "gross prices: map a tax with \"Included in Price\" set (Odoo 18 and later: "
               "Included in Price = Tax Included) or set that on this tax";
    }
    return where + " adds tax on top of its prices, but its tax \"" + tax.name + "\" (" + setting +
           ") is included in the price in Odoo, so Odoo would take it out of Amazon's net prices: "
           "map a tax without \"Included in Price\"";
}

/// The active pricelists with their currency.
asio::awaitable<Result<std::vector<PricelistInfo>>> read_pricelists(std::shared_ptr<Impl> impl) {
    SearchOptions so;
    so.fields = {"id", "name", "currency_id"};
    so.order = "id asc";
    auto rows = co_await impl->deps.odoo.search_read("product.pricelist", Domain{}, std::move(so));
    if (!rows) co_return rows.error();
    std::vector<PricelistInfo> out;
    for (const auto& r : *rows) {
        out.push_back(PricelistInfo{r["id"].as_int().value_or(0),
                                    r["name"].as_string().value_or(""),
                                    m2o_name(r["currency_id"])});
    }
    co_return out;
}

/// prepare(): companies (currency, tax rounding), pricelists per marketplace and currency, and
/// every mapped tax, checked against the marketplaces' pricing. All problems in one message.
asio::awaitable<Result<void>> prepare_flow(std::shared_ptr<Impl> impl) {
    {
        std::lock_guard lock(impl->mu);
        if (impl->prepared) co_return Result<void>{};
    }
    auto& odoo = impl->deps.odoo;
    const auto& opt = impl->opt;
    SearchOptions cso;
    cso.fields = {"id", "name", "currency_id", "tax_calculation_rounding_method"};
    cso.order = "id asc";
    auto companies = co_await odoo.search_read("res.company", Domain{}, std::move(cso));
    if (!companies) co_return companies.error();
    std::string company_currency;
    bool global = false;
    for (const auto& c : *companies) {
        if (company_currency.empty()) company_currency = m2o_name(c["currency_id"]);
        global = global ||
                 c["tax_calculation_rounding_method"].as_string().value_or("") == "round_globally";
    }
    auto pricelists = co_await read_pricelists(impl);
    if (!pricelists) co_return pricelists.error();

    std::vector<std::string> problems;
    // The connection's marketplaces and those named under `pricelists`.
    std::vector<std::string> markets = impl->deps.amazon.options().marketplace_ids;
    auto add_market = [&markets](const std::string& m) {
        if (m != "default" && std::find(markets.begin(), markets.end(), m) == markets.end())
            markets.push_back(m);
    };
    for (const auto& [m, name] : opt.pricelists) add_market(m);

    std::map<std::pair<std::string, std::string>, std::optional<PricelistInfo>> chosen;
    for (const auto& m : markets) {
        const auto* pricing = amazon::marketplace_pricing(m);
        if (pricing == nullptr) continue;
        const std::string currency(pricing->currency);
        auto p = choose_pricelist(*pricelists, opt, m, currency, company_currency);
        if (!p) {
            problems.push_back(p.error().message);
        } else {
            chosen[{m, currency}] = *p;
        }
    }

    std::map<std::string, TaxInfo> taxes;
    Array names;
    for (const auto& [key, choice] : opt.taxes) {
        if (!choice.tax.empty()) names.emplace_back(choice.tax);
        for (const auto& [country, tax] : choice.by_country) names.emplace_back(tax);
    }
    if (!names.empty()) {
        Domain d;
        d.where("name", "in", OValue(names));
        d.where("type_tax_use", "=", "sale");
        SearchOptions so;
        so.fields = {"id", "name", "price_include"};
        so.order = "id asc";
        auto rows = co_await odoo.search_read("account.tax", std::move(d), std::move(so));
        if (!rows) co_return rows.error();
        for (const auto& r : *rows) {
            TaxInfo t{r["id"].as_int().value_or(0), r["name"].as_string().value_or(""),
                      r["price_include"].truthy()};
            taxes.emplace(t.name, t);  // several of one name (companies): the oldest
        }
        // Each named tax exists and fits the prices of the marketplaces it serves.
        for (const auto& [key, choice] : opt.taxes) {
            std::vector<std::string> served;
            if (key != "default") {
                served.push_back(key);
            } else {
                for (const auto& m : impl->deps.amazon.options().marketplace_ids) {
                    if (opt.taxes.count(m) == 0) served.push_back(m);
                }
            }
            std::vector<std::pair<std::string, std::string>> named;  // (country, tax)
            if (!choice.tax.empty()) named.emplace_back("", choice.tax);
            for (const auto& [country, tax] : choice.by_country) named.emplace_back(country, tax);
            for (const auto& [country, tax] : named) {
                const std::string setting = tax_setting(key, country);
                auto it = taxes.find(tax);
                if (it == taxes.end()) {
                    problems.push_back("the sale tax \"" + tax + "\" (" + setting +
                                       ") does not exist in Odoo, is archived or is not a sale "
                                       "tax: create it (Invoicing > Configuration > Taxes, Tax "
                                       "Type: Sales) or correct the name");
                    continue;
                }
                for (const auto& m : served) {
                    if (auto p = tax_fit_problem(it->second, m, setting); !p.empty())
                        problems.push_back(p);
                }
            }
        }
    }
    if (!problems.empty()) {
        std::string all;
        for (const auto& p : problems) all += (all.empty() ? "" : "; ") + p;
        co_return permanent("flows.order_import: " + all);
    }
    std::lock_guard lock(impl->mu);
    impl->company_currency = company_currency;
    impl->rounds_globally = global;
    impl->tax_by_name = std::move(taxes);
    for (auto& [k, v] : chosen) impl->pricelist_for[k] = std::move(v);
    impl->prepared = true;
    co_return Result<void>{};
}

/// The pricelist of `order` (nullopt: Odoo's default): prepare()'s choice for its marketplace
/// and currency, or — a currency or marketplace first seen now — chosen from Odoo's pricelists
/// as prepare() would. A permanent Error is prepare()'s message.
asio::awaitable<Result<std::optional<std::int64_t>>> order_pricelist(std::shared_ptr<Impl> impl,
                                                                     const model::Order* order) {
    const auto* pricing = amazon::marketplace_pricing(order->marketplace_id);
    std::string currency = order->currency;
    if (currency.empty() && pricing != nullptr) currency = std::string(pricing->currency);
    if (currency.empty()) co_return std::optional<std::int64_t>{};  // Odoo's default
    const std::pair<std::string, std::string> key{order->marketplace_id, currency};
    std::string company_currency;
    {
        std::lock_guard lock(impl->mu);
        if (auto it = impl->pricelist_for.find(key); it != impl->pricelist_for.end()) {
            co_return it->second ? std::optional<std::int64_t>{it->second->id}
                                 : std::optional<std::int64_t>{};
        }
        company_currency = impl->company_currency;
    }
    auto pricelists = co_await read_pricelists(impl);
    if (!pricelists) co_return pricelists.error();
    auto chosen =
        choose_pricelist(*pricelists, impl->opt, order->marketplace_id, currency, company_currency);
    if (!chosen) co_return chosen.error();
    std::lock_guard lock(impl->mu);
    impl->pricelist_for[key] = *chosen;
    co_return *chosen ? std::optional<std::int64_t>{(*chosen)->id} : std::optional<std::int64_t>{};
}

/// The mapped tax of `order` (its marketplace's entry or `default`, by ship-to country when the
/// entry has countries): nullopt when `taxes` has no entry for it. Permanent Error (message
/// without the order id) when the entry has no tax for the ship-to country or the tax does not
/// fit the marketplace's prices.
Result<std::optional<TaxInfo>> order_tax(Impl& impl, const model::Order& order) {
    const auto& taxes = impl.opt.taxes;
    std::string key = order.marketplace_id;
    auto it = taxes.find(key);
    if (it == taxes.end()) {
        key = "default";
        it = taxes.find(key);
    }
    if (it == taxes.end()) return std::optional<TaxInfo>{};
    std::string name = it->second.tax;
    std::string country;
    if (!it->second.by_country.empty()) {
        if (order.ship_to) {
            country = order.ship_to->normalized.country_code.empty()
                          ? order.ship_to->country_code
                          : order.ship_to->normalized.country_code;
        }
        auto c = it->second.by_country.find(country);
        if (c == it->second.by_country.end()) c = it->second.by_country.find("default");
        if (c == it->second.by_country.end()) {
            return permanent(
                "ship-to country '" + country + "' has no tax under " + tax_setting(key, "") +
                " and there is no `default` there: add " +
                (country.empty() ? std::string("a default") : country + " (or a default)") +
                " to it");
        }
        country = c->first;
        name = c->second;
    }
    const std::string setting = tax_setting(key, country);
    std::lock_guard lock(impl.mu);
    auto t = impl.tax_by_name.find(name);
    if (t == impl.tax_by_name.end()) {
        return permanent("the sale tax \"" + name + "\" (" + setting +
                         ") does not exist in Odoo, is archived or is not a sale tax: create it "
                         "(Invoicing > Configuration > Taxes, Tax Type: Sales) or correct the "
                         "name");
    }
    if (auto p = tax_fit_problem(t->second, order.marketplace_id, setting); !p.empty()) {
        return permanent(p);
    }
    return std::optional<TaxInfo>{t->second};
}

/// One service line to write: product code, description, price (quantity 1), and the tax Amazon
/// reported on that charge (signed like the line; nullopt when Amazon gave none).
struct ServiceLine {
    std::string product;
    std::string name;
    model::Decimal amount;
    std::optional<model::Decimal> amazon_tax;
};

/// The service lines of `order`, per Amazon item and charge: shipping lines (for each item),
/// then gift-wrap lines, then promotion lines. Products not configured give no line.
std::vector<ServiceLine> service_lines(const OrderImportOptions& opt, const model::Order& order) {
    std::vector<ServiceLine> out;
    auto amount = [](const std::optional<model::Money>& m) {
        return m ? m->amount : model::Decimal{};
    };
    auto tax = [](const std::optional<model::Money>& m, bool negate) {
        if (!m) return std::optional<model::Decimal>{};
        return std::optional<model::Decimal>{negate ? -m->amount : m->amount};
    };
    auto add = [&out](const std::string& code, std::string name, model::Decimal value,
                      std::optional<model::Decimal> amazon_tax) {
        if (code.empty() || value.is_zero()) return;
        out.push_back(ServiceLine{code, std::move(name), std::move(value), std::move(amazon_tax)});
    };
    for (const auto& l : order.lines) {
        const bool discount_taxed_alone = any_nonzero(l.shipping_discount_tax);
        model::Decimal shipping = amount(l.shipping_price);
        if (!discount_taxed_alone) shipping -= amount(l.shipping_discount);
        add(opt.shipping_product, "Amazon shipping: " + l.sku, shipping,
            tax(l.shipping_tax, false));
        if (discount_taxed_alone) {
            add(opt.shipping_product, "Amazon shipping discount: " + l.sku,
                -amount(l.shipping_discount), tax(l.shipping_discount_tax, true));
        }
    }
    for (const auto& l : order.lines) {
        add(opt.gift_wrap_product, "Amazon gift wrap: " + l.sku, amount(l.gift_wrap_price),
            tax(l.gift_wrap_tax, false));
    }
    for (const auto& l : order.lines) {
        add(opt.discount_product, "Amazon promotion: " + l.sku, -amount(l.promotion_discount),
            tax(l.promotion_discount_tax, true));
    }
    return out;
}

Struct service_line(std::int64_t product, std::string name, const model::Decimal& price) {
    return Struct{{"product_id", static_cast<long long>(product)},
                  {"name", std::move(name)},
                  {"product_uom_qty", 1.0},
                  {"price_unit", to_double(price)}};
}

/// Validates the open delivery of an Amazon-fulfilled order for what Amazon has shipped so far.
/// `shipped` = cumulative shipped quantity per product id. Idempotent: quantities already done
/// are subtracted, so a rerun after a crash validates nothing twice.
asio::awaitable<Result<bool>> validate_delivery(std::shared_ptr<Impl> impl,
                                                JobContext* ctx,
                                                std::string amazon_id,
                                                std::int64_t sale_id,
                                                std::map<std::int64_t, double> shipped,
                                                std::string tracking) {
    auto& odoo = impl->deps.odoo;
    auto major = co_await odoo_major(impl);
    if (!major) co_return major.error();
    const bool v17 = *major >= 17;
    const std::string qty_field = v17 ? "quantity" : "quantity_done";

    Domain pd;
    pd.where("sale_id", "=", static_cast<long long>(sale_id));
    SearchOptions pso;
    pso.fields = {"id", "state"};
    // Only asked for when there is tracking: the field needs Odoo's stock_delivery module.
    if (!tracking.empty()) pso.fields.emplace_back("carrier_tracking_ref");
    pso.order = "id asc";
    auto pickings = co_await odoo.search_read("stock.picking", std::move(pd), std::move(pso));
    if (!pickings) co_return pickings.error();
    Array picking_ids;
    std::map<std::int64_t, std::string> picking_state;
    std::vector<std::int64_t> done_without_tracking;
    for (const auto& p : *pickings) {
        auto id = p["id"].as_int().value_or(0);
        picking_ids.emplace_back(static_cast<long long>(id));
        picking_state[id] = p["state"].as_string().value_or("");
        if (!tracking.empty() && picking_state[id] == "done" &&
            p["carrier_tracking_ref"].as_string().value_or("").empty()) {
            done_without_tracking.push_back(id);
        }
    }
    if (picking_ids.empty()) co_return false;
    Domain md;
    md.where("picking_id", "in", picking_ids);
    SearchOptions mso;
    mso.fields = move_fields(qty_field);
    mso.order = "id asc";
    auto moves = co_await odoo.search_read("stock.move", std::move(md), std::move(mso));
    if (!moves) co_return moves.error();

    std::map<std::int64_t, double> to_ship = shipped;
    for (const auto& m : *moves) {
        if (m["state"].as_string().value_or("") != "done") continue;
        auto product = m["product_id"].m2o_id().value_or(0);
        to_ship[product] -= m[qty_field].as_double().value_or(0);
    }
    bool any = false;
    for (const auto& [product, q] : to_ship) any = any || q > 1e-9;
    if (!any) {
        // Already delivered; the tracking may have arrived after the validation (FBA report).
        if (!done_without_tracking.empty()) {
            auto w = co_await odoo.write("stock.picking", std::move(done_without_tracking),
                                         struct1("carrier_tracking_ref", tracking),
                                         odoo.write_context());
            if (!w) co_return w.error();
        }
        co_return false;
    }

    // The open picking holding the moves (the original delivery or its backorder).
    std::optional<std::int64_t> open;
    for (const auto& [id, state] : picking_state) {
        if (state != "done" && state != "cancel" && !open) open = id;
    }
    if (!open) {
        co_return impl->dead_letter(
            "delivery", "order " + amazon_id +
                            ": Amazon reports shipped quantities but the "
                            "Odoo sale order has no open delivery to validate. Check the "
                            "order's transfers in Odoo, " +
                            replay_hint(*ctx) + ".");
    }
    Array commands;
    bool partial = false;
    for (const auto& m : *moves) {
        if (m["picking_id"].m2o_id().value_or(0) != *open) continue;
        if (m["state"].as_string().value_or("") == "cancel") continue;
        auto product = m["product_id"].m2o_id().value_or(0);
        double demand = m["product_uom_qty"].as_double().value_or(0);
        double& left = to_ship[product];
        double q = std::max(0.0, std::min(left, demand));
        left -= q;
        if (q + 1e-9 < demand) partial = true;
        Struct vals = struct1(qty_field, q);
        if (v17) vals.insert_or_assign("picked", q > 0);
        commands.emplace_back(command(1, m["id"].as_int().value_or(0), std::move(vals)));
    }
    Struct pick_vals = struct1("move_ids", std::move(commands));
    if (!tracking.empty()) pick_vals.insert_or_assign("carrier_tracking_ref", tracking);
    auto written = co_await odoo.write("stock.picking", one_id(*open), std::move(pick_vals),
                                       odoo.write_context());
    if (!written) co_return written.error();

    Struct vctx = odoo.write_context();
    vctx.insert_or_assign("skip_sms", true);
    if (partial) {
        vctx.insert_or_assign("skip_backorder", true);
        if (!impl->opt.create_backorder) {
            vctx.insert_or_assign("picking_ids_not_to_backorder", ids1(*open));
        }
    }
    for (int round = 0; round < 3; ++round) {
        auto r = co_await odoo.call_action("stock.picking", "button_validate", one_id(*open), vctx);
        if (!r) co_return r.error();
        if (!r->needs_wizard()) {
            // True is Odoo's word, not proof: the delivery must be done now.
            std::vector<std::string> fields = both("id", "state");  // named: g++ 12, co_await
            auto after = co_await odoo.read("stock.picking", one_id(*open), std::move(fields));
            if (!after) co_return after.error();
            std::string now_state;
            for (const auto& p : *after) now_state = p["state"].as_string().value_or("");
            if (now_state != "done") {
                co_return impl->dead_letter(
                    "odoo_unchanged",
                    "order " + amazon_id + ": Odoo accepted button_validate on delivery " +
                        std::to_string(*open) + " but the delivery is " +
                        (now_state.empty() ? std::string("gone") : "in state '" + now_state + "'") +
                        " afterwards, not done. Validate it in Odoo (Inventory > Transfers) to see "
                        "what stops it, fix that, " +
                        replay_hint(*ctx) + ".");
            }
            impl->counter("clarity_order_deliveries_validated_total",
                          "Odoo deliveries validated for Amazon-fulfilled shipments.")
                .inc();
            co_return true;
        }
        const std::string& wizard = r->wizard->res_model;
        if (wizard == "confirm.stock.sms") {
            vctx.insert_or_assign("skip_sms", true);
        } else if (wizard == "stock.immediate.transfer") {
            vctx.insert_or_assign("skip_immediate", true);
        } else if (wizard == "stock.backorder.confirmation") {
            vctx.insert_or_assign("skip_backorder", true);
            if (!impl->opt.create_backorder) {
                vctx.insert_or_assign("picking_ids_not_to_backorder", ids1(*open));
            }
        } else {
            co_return impl->dead_letter(
                "delivery", "order " + amazon_id +
                                ": validating the Odoo delivery opened the "
                                "wizard '" +
                                wizard +
                                "', which the connector cannot answer. "
                                "Validate the delivery in Odoo by hand (nothing to replay).");
        }
    }
    co_return impl->dead_letter("delivery",
                                "order " + amazon_id +
                                    ": Odoo kept asking for wizards when validating the "
                                    "delivery. Validate it in Odoo by hand (nothing to replay).");
}

asio::awaitable<Result<void>> run_job(std::shared_ptr<Impl> impl, JobContext* ctx) {
    auto& odoo = impl->deps.odoo;
    auto job = parse_order_job(ctx->job.payload);
    if (!job) co_return job.error();
    const std::string& id = job->amazon_order_id;
    const core::Log log = impl->log.with(
        {std::to_string(ctx->job.id), ctx->job.flow, ctx->job.connection, ctx->job.entity_key, {}});

    auto fetched = co_await fetch_order(impl, id, job->marketplace_id);
    if (!fetched) co_return fetched.error();
    model::Order order = std::move(*fetched);
    if (order.ship_to) mapping::normalize_address(*order.ship_to);

    mapping::MappingResult mapped = mapping::map_order(*impl->deps.order_template, order);
    const model::Value* action_v = output(mapped, "action");
    const std::string action = action_v ? text_of(*action_v) : std::string("skip");

    if (action == "skip") {
        impl->skipped("status");
        log.info("order {}: status '{}' is not imported; nothing to do", id, order.status_text);
        co_return Result<void>{};
    }
    if (action == "wait" && !impl->opt.import_pending) {
        impl->skipped("pending");
        log.info("order {} is {}; waiting until Amazon confirms it", id, order.status_text);
        co_return Result<void>{};
    }
    Result<std::optional<ExistingOrder>> existing = std::optional<ExistingOrder>{};
    auto check_new = known_new(impl, ctx, &order);  // named: g++ 12, co_await
    const bool is_new = co_await std::move(check_new);
    if (!is_new) {
        auto found = co_await find_order(impl, id);
        existing = std::move(found);
    }
    if (!existing) co_return existing.error();
    if (action == "cancel") {
        if (*existing) {
            auto& e = **existing;
            if (e.state == "cancel") {
                impl->skipped("unchanged");
                co_return Result<void>{};
            }
            auto cancelled = co_await cancel_sale_order(impl, id, e.id);
            if (!cancelled) co_return cancelled.error();
            log.info("order {}: cancelled sale order {} (state checked)", id, e.id);
            co_return Result<void>{};
        }
        if (!impl->opt.import_canceled) {
            impl->skipped("canceled");
            log.info("order {} was cancelled before it was imported; nothing to do", id);
            co_return Result<void>{};
        }
    }

    // ---- products: one bulk look-up by Internal Reference, aliases through the table ----------
    std::vector<std::string> codes;
    auto want = [&](const std::string& c) {
        if (!c.empty() && std::find(codes.begin(), codes.end(), c) == codes.end())
            codes.push_back(c);
    };
    std::map<std::string, std::vector<std::string>> alias_codes;  // sku → candidate codes
    for (const auto& line : order.lines) {
        auto& cands = alias_codes[line.sku];
        for (const auto& k : both(line.sku, line.asin)) {
            if (auto it = impl->opt.product_aliases.find(k);
                it != impl->opt.product_aliases.end()) {
                cands.push_back(it->second);
            }
        }
    }
    for (const auto& l : mapped.lookups) {
        if (l.model == "product.product" && l.field == "default_code") {
            const std::string key = text_of(l.key);
            want(key);
            for (const auto& c : alias_codes[key]) want(c);
        }
    }
    for (const auto& p : service_products(impl->opt, true)) want(p);
    auto products = co_await load_products(impl, codes);
    if (!products) co_return products.error();
    auto product_id = [&](const std::string& code) -> std::optional<std::int64_t> {
        if (auto it = products->by_code.find(code); it != products->by_code.end())
            return it->second;
        for (const auto& c : alias_codes[code]) {
            if (auto it = products->by_code.find(c); it != products->by_code.end())
                return it->second;
        }
        return std::nullopt;
    };

    std::vector<std::optional<std::int64_t>> answers(mapped.lookups.size());
    std::vector<std::string> unknown;
    for (std::size_t i = 0; i < mapped.lookups.size(); ++i) {
        const auto& l = mapped.lookups[i];
        const std::string key = text_of(l.key);
        if (l.model == "product.product" && l.field == "default_code") {
            answers[i] = product_id(key);
            if (!answers[i]) unknown.push_back(key);
            continue;
        }
        Domain d;
        d.where(std::string(l.field), "=", to_odoo(l.key));
        for (const auto& [f, v] : l.also) d.where(std::string(f), "=", to_odoo(v));
        auto r = co_await cached_id(impl, std::string(l.model), std::move(d));
        if (!r) co_return r.error();
        answers[i] = *r;
    }
    if (!unknown.empty()) {
        auto archived = co_await archived_products(impl, unknown);
        if (!archived) co_return archived.error();
        std::string msg = "order " + id + ":";
        bool any_archived = false;
        for (const auto& sku : unknown) {
            std::string asin;
            for (const auto& line : order.lines) {
                if (line.sku == sku) asin = line.asin;
            }
            if (archived->count(sku) != 0) {
                any_archived = true;
                msg += " product with Internal Reference '" + sku +
                       "' is archived — unarchive it in Odoo (Sales > Products) or map the SKU to "
                       "another product under flows.order_import.product_aliases;";
            } else {
                msg += " unknown SKU '" + sku + "'" + (asin.empty() ? "" : " (ASIN " + asin + ")") +
                       " — create a product with Internal Reference '" + sku + "' in Odoo" +
                       (asin.empty() ? ""
                                     : " or map ASIN " + asin +
                                           " to an existing Internal "
                                           "Reference under flows.order_import.product_aliases") +
                       ";";
            }
        }
        msg += " " + replay_hint(*ctx) + ".";
        co_return impl->dead_letter(any_archived ? "archived_product" : "unknown_sku",
                                    std::move(msg));
    }
    mapped.resolve(answers);
    if (!mapped.errors.empty()) {
        std::string msg = "order " + id + ": the mapping template '" +
                          impl->deps.order_template->file() + "' could not map it:";
        for (const auto& e : mapped.errors) msg += " " + e + ";";
        msg += " fix the template or the data in Odoo, " + replay_hint(*ctx) + ".";
        co_return impl->dead_letter("mapping", std::move(msg));
    }

    // ---- currency and pricelist, taxes (what prepare() read from Odoo) ----------------------
    auto major = co_await odoo_major(impl);
    if (!major) co_return major.error();
    {
        auto prepared = co_await prepare_flow(impl);
        if (!prepared) {
            if (prepared.error().kind != ErrorKind::permanent) co_return prepared.error();
            co_return impl->dead_letter(
                "configuration",
                "order " + id + ": " + prepared.error().message + ", " + replay_hint(*ctx) + ".");
        }
    }
    auto pricelist = co_await order_pricelist(impl, &order);
    if (!pricelist) {
        if (pricelist.error().kind != ErrorKind::permanent) co_return pricelist.error();
        co_return impl->dead_letter("pricelist", "order " + id + " (" + order.currency +
                                                     "): " + pricelist.error().message + ", " +
                                                     replay_hint(*ctx) + ".");
    }
    // Prices that include VAT (amazon/marketplace_pricing.hpp) carry the mapped tax on every line
    // Amazon does not report as untaxed (the 2026-01-01 API may report no tax at all); prices
    // with tax on top carry it on the lines Amazon charged tax on.
    const auto* pricing = amazon::marketplace_pricing(order.marketplace_id);
    const bool vat_inclusive = pricing != nullptr && pricing->prices_include_tax;
    auto charged = [vat_inclusive](const std::optional<model::Decimal>& amazon_tax) {
        return amazon_tax ? !amazon_tax->is_zero() : vat_inclusive;
    };
    auto figure = [](const std::optional<model::Money>& m) {
        return m ? std::optional<model::Decimal>{m->amount} : std::optional<model::Decimal>{};
    };
    const std::vector<ServiceLine> services = service_lines(impl->opt, order);
    bool needs_tax = false;
    for (const auto& l : order.lines) needs_tax = needs_tax || charged(figure(l.item_tax));
    for (const auto& l : services) needs_tax = needs_tax || charged(l.amazon_tax);
    std::optional<TaxInfo> tax;
    if (!impl->opt.taxes.empty() && needs_tax) {
        auto t = order_tax(*impl, order);
        if (!t) {
            co_return impl->dead_letter("tax_mapping", "order " + id + ": " + t.error().message +
                                                           ", " + replay_hint(*ctx) + ".");
        }
        if (!*t) {
            co_return impl->dead_letter(
                "tax_mapping",
                "order " + id + ": " +
                    (vat_inclusive ? std::string("its prices include VAT")
                                   : std::string("it carries tax")) +
                    " but marketplace " + amazon::describe_marketplace(order.marketplace_id) +
                    " has no tax mapping — add it under flows.order_import.taxes (marketplace id → "
                    "Odoo tax name, or ship-to country → tax name), " +
                    replay_hint(*ctx) + ".");
        }
        tax = **t;
    }
    const std::string tax_field =
        odoo::field_name(odoo::FieldMeaning::sale_line_taxes, *major).field;

    // ---- customer and delivery address ------------------------------------------------------
    auto partners = co_await upsert_partners(impl, ctx, &order);
    if (!partners) co_return partners.error();

    // ---- sale.order values -------------------------------------------------------------------
    OValue values = to_odoo(mapped.to_value());
    Struct vals = values.as_struct() ? *values.as_struct() : Struct{};
    vals.insert_or_assign("partner_id", static_cast<long long>(partners->customer));
    vals.insert_or_assign("partner_invoice_id", static_cast<long long>(partners->customer));
    vals.insert_or_assign("partner_shipping_id", static_cast<long long>(partners->shipping));
    if (*pricelist) vals.insert_or_assign("pricelist_id", static_cast<long long>(**pricelist));
    Array lines;
    if (auto it = vals.find(mapped.lines_field); it != vals.end() && it->second.as_array()) {
        lines = *it->second.as_array();
    }
    // Every line's taxes are set, the mapped tax or none: a line without the key would take its
    // product's default taxes in Odoo (sale.order.line _compute_tax_id) on top of Amazon's price.
    auto with_taxes = [&](Struct line, bool taxed) {
        Array ids;
        if (taxed && tax) ids.emplace_back(static_cast<long long>(tax->id));
        line.insert_or_assign(tax_field, Array{Array{6, 0, std::move(ids)}});
        return line;
    };
    // Amazon's tax of each line, where it gave one (for the check against Odoo's after the
    // write), and whether the line carries the mapped tax.
    std::vector<std::optional<model::Decimal>> amazon_taxes;
    std::vector<bool> taxed_lines;
    // The template makes one line per Amazon line (in order): each carries the tax when Amazon
    // taxed that item (a tax-exempt item in a taxed order stays untaxed). A template that makes
    // another number of lines gets the tax on every line.
    const bool one_per_item = lines.size() == order.lines.size();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto* c = lines[i].as_array();
        const bool taxed = one_per_item ? charged(figure(order.lines[i].item_tax)) : needs_tax;
        amazon_taxes.push_back(one_per_item ? figure(order.lines[i].item_tax)
                                            : std::optional<model::Decimal>{});
        taxed_lines.push_back(taxed && tax.has_value());
        if (c == nullptr || c->size() != 3 || !(*c)[2].as_struct()) continue;
        (*c)[2] = with_taxes(*(*c)[2].as_struct(), taxed);
    }
    // Service lines (shipping, gift wrap, promotions) follow Amazon's items: one line per item
    // that carries the charge, never a sum. Amazon computes and rounds tax per item and charge,
    // so one line each lets Odoo's per-line rounding give Amazon's cents (a summed line of two
    // 2.99 wraps taxed 8.25 % gives 0.49 where Amazon charged 0.25 + 0.25). A line carries the
    // tax when Amazon charged tax on that charge of that item (or, VAT-inclusive, did not say
    // it charged none). A shipping discount is netted into its item's shipping line unless
    // Amazon taxed the discount on its own (ShippingDiscountTax), in which case it is a negative
    // line of its own, taxed.
    for (const auto& item : services) {
        if (auto pid = product_id(item.product)) {
            const bool taxed = charged(item.amazon_tax);
            lines.emplace_back(
                Array{0, 0, with_taxes(service_line(*pid, item.name, item.amount), taxed)});
            amazon_taxes.push_back(item.amazon_tax);
            taxed_lines.push_back(taxed && tax.has_value());
        }
    }
    for (const std::string& code : service_products(impl->opt, false)) {
        if (!code.empty() && !product_id(code)) {
            co_return impl->dead_letter(
                "unknown_sku", "order " + id + ": the service product with Internal Reference '" +
                                   code +
                                   "' configured under flows.order_import does not exist in "
                                   "Odoo — create it, " +
                                   replay_hint(*ctx) + ".");
        }
    }
    const std::string lines_field(mapped.lines_field.empty() ? "order_line" : mapped.lines_field);
    vals.insert_or_assign(lines_field, lines);

    std::int64_t sale_id = 0;
    std::string state;
    bool wrote = false;
    std::optional<double> total_from_create;        ///< 17+: web_save answers amount_total
    std::optional<double> tax_from_create;          ///< and amount_tax
    std::optional<std::vector<double>> line_taxes;  ///< and each line's price_tax, by id
    // Odoo's tax is checked against Amazon's where a line carries the mapped tax and Amazon gave
    // its tax figures (check_totals).
    bool check_tax = false;
    for (std::size_t i = 0; i < taxed_lines.size(); ++i) {
        check_tax = check_tax || (taxed_lines[i] && amazon_taxes[i].has_value());
    }
    check_tax = check_tax && impl->opt.check_totals;
    if (!*existing) {
        Result<std::vector<std::int64_t>> created = std::vector<std::int64_t>{};
        if (*major >= 17 && impl->opt.check_totals) {
            std::vector<std::string> fields;  // named: g++ 12 and temporaries in co_await
            fields.emplace_back("amount_total");
            fields.emplace_back("amount_tax");
            if (check_tax) fields.emplace_back(lines_field + "/price_tax");
            std::vector<std::int64_t> no_ids;
            auto save = odoo.web_save("sale.order", std::move(no_ids), vals, std::move(fields),
                                      odoo.write_context());
            auto saved = co_await std::move(save);
            if (!saved) {
                created = saved.error();
            } else if (saved->empty() || !(*saved)[0]["id"].as_int()) {
                created = Error{ErrorKind::permanent, "web_save returned no record"};
            } else {
                const OValue& row = (*saved)[0];
                created = std::vector<std::int64_t>(1, *row["id"].as_int());
                total_from_create = row["amount_total"].as_double();
                tax_from_create = row["amount_tax"].as_double();
                if (const auto* read_lines = row[lines_field].as_array(); read_lines && check_tax) {
                    std::vector<double> taxes;
                    for (const auto& l : *read_lines)
                        taxes.push_back(l["price_tax"].as_double().value_or(0));
                    line_taxes = std::move(taxes);
                }
            }
        } else {
            auto plain = co_await odoo.create("sale.order", std::vector<Struct>(1, vals),
                                              odoo.write_context());
            created = std::move(plain);
        }
        if (!created) {
            co_return impl->dead_letter.odoo_refused(
                created.error(), {*ctx, "order " + id, "the sale order",
                                  "Fix the mapping template or the Odoo data it names"});
        }
        sale_id = created->at(0);
        state = "draft";
        wrote = true;
        store::IdMapping mapping{ctx->job.connection, kOrderKind, id, "sale.order", sale_id};
        auto remember = remember_order(impl, std::move(mapping));  // named: g++ 12, co_await
        auto remembered = co_await std::move(remember);
        if (!remembered) co_return remembered.error();
        impl->counter("clarity_orders_imported_total", "Amazon orders created as Odoo sale orders.")
            .inc();
        log.info("order {}: created sale order {}", id, sale_id);
    } else {
        sale_id = (*existing)->id;
        state = (*existing)->state;
        if (state == "draft" || state == "sent") {
            // A quotation follows Amazon: lines are replaced when products, quantities or prices
            // changed (e.g. a Pending order's prices arrive).
            Domain d;
            d.where("order_id", "=", static_cast<long long>(sale_id));
            SearchOptions so;
            so.fields = {"product_id", "product_uom_qty", "price_unit", tax_field};
            so.order = "id asc";
            auto current =
                co_await odoo.search_read("sale.order.line", std::move(d), std::move(so));
            if (!current) co_return current.error();
            // A Pending order may lack buyer data that arrives later: the partners follow too,
            // and so do the pricelist and the taxes (a replay after the tax map was fixed).
            bool same = current->size() == lines.size() &&
                        (*existing)->partner == partners->customer &&
                        (*existing)->shipping == partners->shipping &&
                        (*existing)->pricelist == pricelist->value_or((*existing)->pricelist);
            for (std::size_t i = 0; same && i < lines.size(); ++i) {
                const auto* c = lines[i].as_array();
                const Struct* want_line = c && c->size() == 3 ? (*c)[2].as_struct() : nullptr;
                if (want_line == nullptr) {
                    same = false;
                    break;
                }
                const auto& have = (*current)[i];
                auto get = [&](const char* f) {
                    auto it = want_line->find(f);
                    return it == want_line->end() ? OValue{} : it->second;
                };
                same = have["product_id"].m2o_id() == get("product_id").as_int() &&
                       std::abs(have["product_uom_qty"].as_double().value_or(0) -
                                get("product_uom_qty").as_double().value_or(0)) < 1e-9 &&
                       std::abs(have["price_unit"].as_double().value_or(0) -
                                get("price_unit").as_double().value_or(0)) < 1e-9 &&
                       tax_ids_of(have[tax_field]) == tax_ids_of(get(tax_field.c_str()));
            }
            if (!same) {
                Struct update = vals;
                update.erase("date_order");
                Array replace;
                replace.push_back(command(5, 0, 0));
                for (auto& l : lines) replace.push_back(l);
                update.insert_or_assign(lines_field, std::move(replace));
                auto w = co_await odoo.write("sale.order", one_id(sale_id), std::move(update),
                                             odoo.write_context());
                if (!w) {
                    co_return impl->dead_letter.odoo_refused(
                        w.error(),
                        {*ctx, "order " + id, "the update of sale order " + std::to_string(sale_id),
                         "Fix the data it names"});
                }
                wrote = true;
                impl->counter("clarity_orders_updated_total",
                              "Odoo quotations updated after the Amazon order changed.")
                    .inc();
                log.info("order {}: updated quotation {}", id, sale_id);
            }
        }
    }
    ctx->id_mappings.push_back({ctx->job.connection, kOrderKind, id, "sale.order", sale_id});

    // ---- status -------------------------------------------------------------------------------
    const std::string date_order = model::format_odoo_datetime(order.purchase_date);
    std::optional<double> total_after_confirm;  ///< read back with the date
    std::optional<double> tax_after_confirm;
    if (action == "confirm" && (state == "draft" || state == "sent")) {
        auto r = co_await impl->confirms->submit(sale_id);
        if (!r) {
            co_return impl->dead_letter.odoo_refused(
                r.error(), {*ctx, "order " + id, "to confirm sale order " + std::to_string(sale_id),
                            "Fix what it names"});
        }
        // action_confirm set date_order to now; Amazon's purchase date is the order date. The
        // same batch reads the state back: the proof that the order was confirmed.
        DateWrite dw{sale_id, date_order};  // named: see find_order
        auto write_date = impl->dates->submit(std::move(dw));
        auto w = co_await std::move(write_date);
        if (!w) co_return w.error();
        if (w->state != "sale" && w->state != "done") {
            co_return impl->dead_letter(
                "odoo_unchanged",
                "order " + id + ": Odoo accepted action_confirm on sale order " +
                    std::to_string(sale_id) + " but the order is " +
                    (w->state.empty() ? std::string("gone") : "in state '" + w->state + "'") +
                    " afterwards, not confirmed. Confirm it in Odoo (Sales > Orders) to see what "
                    "stops it, fix that, " +
                    replay_hint(*ctx) + ".");
        }
        total_after_confirm = w->amount_total;
        tax_after_confirm = w->amount_tax;
        state = "sale";
        wrote = true;
        impl->counter("clarity_orders_confirmed_total",
                      "Odoo sale orders confirmed for Amazon orders.")
            .inc();
        log.info("order {}: confirmed sale order {}", id, sale_id);
    } else if (action == "cancel" && state != "cancel") {
        auto cancelled = co_await cancel_sale_order(impl, id, sale_id);
        if (!cancelled) co_return cancelled.error();
        state = "cancel";
        wrote = true;
    } else if (action == "confirm" && state == "sale" && *existing &&
               (*existing)->date_order != date_order) {
        // An earlier run confirmed the order but stopped (crash, lost reply) before writing
        // Amazon's date back: finish that now.
        DateWrite dw{sale_id, date_order};  // named: see find_order
        auto write_date = impl->dates->submit(std::move(dw));
        auto w = co_await std::move(write_date);
        if (!w) co_return w.error();
        log.info("order {}: set the date of sale order {} to Amazon's purchase date", id, sale_id);
    }

    // ---- taxes against Amazon's ---------------------------------------------------------------
    std::optional<Amounts> amounts_read;  ///< read here when no reply carried them
    if (wrote && check_tax && state != "cancel") {
        std::optional<double> odoo_tax = tax_after_confirm ? tax_after_confirm : tax_from_create;
        if (!odoo_tax) {
            auto read = co_await impl->totals->submit(sale_id);
            if (!read) co_return read.error();
            if (*read) {
                amounts_read = **read;
                odoo_tax = (*read)->tax;
            }
        }
        bool globally = false;
        {
            std::lock_guard lock(impl->mu);
            globally = impl->rounds_globally;
        }
        // Per line only where Odoo rounds per line (with global rounding a line's tax is not
        // rounded on its own, so it cannot equal Amazon's per item).
        if (!line_taxes && !globally) {
            Domain d;
            d.where("order_id", "=", static_cast<long long>(sale_id));
            SearchOptions so;
            so.fields = {"id", "price_tax"};
            so.order = "id asc";
            auto rows = co_await odoo.search_read("sale.order.line", std::move(d), std::move(so));
            if (!rows) co_return rows.error();
            std::vector<double> taxes;
            for (const auto& r : *rows) taxes.push_back(r["price_tax"].as_double().value_or(0));
            line_taxes = std::move(taxes);
        }
        const std::string currency = order.currency.empty() && pricing != nullptr
                                         ? std::string(pricing->currency)
                                         : order.currency;
        const int precision = model::currency_precision(currency);
        std::string differences;
        if (line_taxes && !globally && line_taxes->size() >= lines.size()) {
            for (std::size_t i = 0; i < lines.size(); ++i) {
                if (!amazon_taxes[i]) continue;
                const model::Decimal want = amazon_taxes[i]->rescale(precision);
                const model::Decimal have = from_double((*line_taxes)[i], precision);
                if (want == have) continue;
                const auto* c = lines[i].as_array();
                const Struct* l = c && c->size() == 3 ? (*c)[2].as_struct() : nullptr;
                std::string name;
                if (l != nullptr) {
                    if (auto n = l->find("name"); n != l->end())
                        name = n->second.as_string().value_or("");
                }
                differences += (differences.empty() ? "" : "; ") + std::string("line ") +
                               std::to_string(i + 1) + (name.empty() ? "" : " '" + name + "'") +
                               ": Odoo " + have.to_string() + ", Amazon " + want.to_string();
            }
        }
        // The order's tax, when Amazon gave a figure for every taxed line.
        bool all_known = true;
        model::Decimal amazon_total_tax = model::Decimal{}.rescale(precision);
        int taxed_count = 0;
        for (std::size_t i = 0; i < amazon_taxes.size(); ++i) {
            if (taxed_lines[i]) ++taxed_count;
            if (amazon_taxes[i]) {
                amazon_total_tax += amazon_taxes[i]->rescale(precision);
            } else if (taxed_lines[i]) {
                all_known = false;
            }
        }
        if (all_known && odoo_tax) {
            const model::Decimal have = from_double(*odoo_tax, precision);
            model::Decimal diff = have - amazon_total_tax;
            if (diff.is_negative()) diff = -diff;
            // Global rounding rounds the order's tax once: up to a cent per line may differ from
            // Amazon's per-item rounding (the start-up warning says so); more is a wrong tax.
            const model::Decimal tolerance(globally ? taxed_count : 0, precision);
            if (diff > tolerance) {
                differences += (differences.empty() ? "" : "; ") + std::string("order tax: Odoo ") +
                               have.to_string() + ", Amazon " + amazon_total_tax.to_string();
            }
        }
        if (!differences.empty()) {
            impl->counter("clarity_order_tax_mismatch_total",
                          "Orders whose Odoo tax (per line or in total) differed from the tax "
                          "Amazon reported.")
                .inc();
            log.warn(
                "order {}: Odoo's tax differs from Amazon's ({} {}, tax '{}'): {}. The "
                "mapped tax does not reproduce what Amazon charged (another rate: a reduced "
                "rate, or the ship-to country's VAT under the one-stop shop); check "
                "flows.order_import.taxes and correct the sale order's taxes in Odoo",
                id, amazon::describe_marketplace(order.marketplace_id), currency,
                tax ? tax->name : std::string{}, differences);
        }
    }

    // ---- totals -------------------------------------------------------------------------------
    if (wrote && impl->opt.check_totals && order.order_total && state != "cancel") {
        const int precision = model::currency_precision(order.order_total->currency);
        std::optional<double> odoo_amount =
            total_after_confirm ? total_after_confirm : total_from_create;
        if (!odoo_amount && amounts_read) odoo_amount = amounts_read->total;
        if (!odoo_amount) {
            auto read = co_await impl->totals->submit(sale_id);
            if (!read) co_return read.error();
            if (*read) odoo_amount = (*read)->total;
        }
        if (odoo_amount) {
            const model::Decimal odoo_total = from_double(*odoo_amount, precision);
            const model::Decimal amazon_total = order.order_total->amount.rescale(precision);
            const model::Decimal diff = amazon_total - odoo_total;
            if (!diff.is_zero()) {
                impl->counter("clarity_order_total_mismatch_total",
                              "Orders whose Odoo total differed from Amazon's grand total "
                              "after the write (before any adjustment line).")
                    .inc();
                const std::string code =
                    impl->opt.add_adjustment_line ? adjustment_code(impl->opt) : std::string{};
                log.warn("order {}: Odoo total {} differs from Amazon's {} {} by {}{}", id,
                         odoo_total.to_string(), amazon_total.to_string(),
                         order.order_total->currency, diff.to_string(),
                         code.empty() ? "; no adjustment line (add_adjustment_line is off or no "
                                        "service product is configured): the sale order keeps "
                                        "Odoo's total"
                                      : "; adding an adjustment line of " + diff.to_string());
                if (!code.empty()) {
                    auto pid = product_id(code);
                    if (!pid) {
                        co_return impl->dead_letter(
                            "unknown_sku", "order " + id +
                                               ": the adjustment product with Internal "
                                               "Reference '" +
                                               code + "' does not exist in Odoo — create it, " +
                                               replay_hint(*ctx) + ".");
                    }
                    // Untaxed whatever the product's default taxes: the line is the difference.
                    Struct adj = service_line(*pid, "Amazon total adjustment", diff);
                    adj.insert_or_assign(tax_field, Array{Array{6, 0, Array{}}});
                    Array add;
                    add.push_back(command(0, 0, std::move(adj)));
                    std::optional<double> adjusted;
                    if (*major >= 17) {
                        std::vector<std::string> fields = both("id", "amount_total");
                        auto saved = co_await odoo.web_save(
                            "sale.order", one_id(sale_id), struct1(lines_field, std::move(add)),
                            std::move(fields), odoo.write_context());
                        if (!saved) co_return saved.error();
                        for (const auto& row : *saved) adjusted = row["amount_total"].as_double();
                    } else {
                        auto w = co_await odoo.write("sale.order", one_id(sale_id),
                                                     struct1(lines_field, std::move(add)),
                                                     odoo.write_context());
                        if (!w) co_return w.error();
                        auto read = co_await impl->totals->submit(sale_id);
                        if (!read) co_return read.error();
                        if (*read) adjusted = (*read)->total;
                    }
                    const model::Decimal now_total = from_double(adjusted.value_or(0), precision);
                    if (!adjusted || now_total != amazon_total) {
                        co_return impl->dead_letter(
                            "total_mismatch",
                            "order " + id + ": sale order " + std::to_string(sale_id) +
                                " still totals " + now_total.to_string() +
                                " after an adjustment "
                                "line of " +
                                diff.to_string() + " (Amazon's total is " +
                                amazon_total.to_string() +
                                "). Check that the adjustment product '" + code +
                                "' is a plain service without taxes or pricelist rules, "
                                "correct the order in Odoo by hand; nothing to replay.");
                    }
                    impl->counter("clarity_order_adjustment_lines_total",
                                  "Adjustment lines added so a sale order totals Amazon's grand "
                                  "total.")
                        .inc();
                }
            }
        }
    }

    // ---- fulfilment back: Amazon-fulfilled shipments validate the Odoo delivery ----------------
    const bool shipped = order.status == model::OrderStatus::shipped ||
                         order.status == model::OrderStatus::partially_shipped;
    if (impl->opt.validate_afn_deliveries && shipped && state == "sale" &&
        order.fulfillment_channel == model::FulfillmentChannel::afn) {
        std::map<std::int64_t, double> qty;
        for (const auto& line : order.lines) {
            if (line.quantity_shipped <= 0) continue;
            if (auto pid = product_id(line.sku))
                qty[*pid] += static_cast<double>(line.quantity_shipped);
        }
        std::string tracking;
        for (const auto& shipment : order.shipments) {
            for (const auto& number : shipment.tracking_numbers) {
                if (number.empty()) continue;
                const std::string entry =
                    (shipment.carrier_code.empty() ? std::string{} : shipment.carrier_code + " ") +
                    number;
                if (tracking.find(entry) == std::string::npos) {
                    tracking += (tracking.empty() ? "" : ", ") + entry;
                }
            }
        }
        if (tracking.empty() && impl->opt.afn_tracking_report) {
            tracking = co_await afn_tracking(impl, id);
        }
        if (!qty.empty()) {
            auto v = co_await validate_delivery(impl, ctx, id, sale_id, std::move(qty),
                                                std::move(tracking));
            if (!v) co_return v.error();
            if (*v) log.info("order {}: validated the delivery of sale order {}", id, sale_id);
        }
    }
    if (!wrote) impl->skipped("unchanged");
    co_return Result<void>{};
}

}  // namespace

asio::awaitable<Result<void>> OrderImportFlow::run(JobContext& context) {
    return run_job(impl_, &context);
}

namespace {

/// The connection check of the order import: Odoo's tax rounding per company. Amazon rounds tax
/// per item; with one line per item and charge, a company rounding per line gives Amazon's cents
/// by construction, one rounding globally cannot (NOTES.md §9: the default of a new Odoo 19
/// database), so the daemon says so before the first order and what it does about it.
asio::awaitable<Result<std::vector<std::string>>> check_rounding(std::shared_ptr<Impl> impl) {
    std::vector<std::string> out;
    const std::string code =
        impl->opt.add_adjustment_line ? adjustment_code(impl->opt) : std::string{};
    const std::string consequence =
        code.empty()
            ? "an order whose total differs from Amazon's is only logged and counted "
              "(clarity_order_total_mismatch_total); set flows.order_import.adjustment_product "
              "to a service product (and keep add_adjustment_line: true) so that the daemon "
              "adds an adjustment line for the difference"
            : "the daemon adds an untaxed adjustment line of '" + code +
                  "' for the difference to each order it affects, so the order totals Amazon's "
                  "(flows.order_import.add_adjustment_line)";
    if (impl->opt.check_totals && impl->opt.add_adjustment_line && code.empty()) {
        out.push_back(
            "flows.order_import: add_adjustment_line is on but no adjustment_product (nor a "
            "discount, shipping or gift-wrap product) is configured: a sale order whose total "
            "differs from Amazon's is logged and counted but keeps Odoo's total");
    }
    SearchOptions so;
    so.fields = {"id", "name", "tax_calculation_rounding_method"};
    so.order = "id asc";
    auto rows = co_await impl->deps.odoo.search_read("res.company", Domain{}, std::move(so));
    if (!rows) {
        if (rows.error().kind != ErrorKind::permanent) co_return rows.error();
        out.push_back("flows.order_import: cannot read the companies' tax rounding method (" +
                      rows.error().message +
                      "); a company rounding taxes globally gives totals that differ from "
                      "Amazon's by a cent: " +
                      consequence);
        co_return out;
    }
    for (const auto& row : *rows) {
        if (row["tax_calculation_rounding_method"].as_string().value_or("") != "round_globally")
            continue;
        out.push_back("Odoo company '" + row["name"].as_string().value_or("?") +
                      "' rounds taxes globally (Invoicing/Accounting settings, Taxes: Rounding "
                      "Method 'Round Globally') while Amazon rounds per item: Odoo cannot give "
                      "Amazon's tax cents on every order, so " +
                      consequence +
                      ". Set the rounding method to 'Round per Line' for totals equal to "
                      "Amazon's without adjustment lines.");
    }
    co_return out;
}

}  // namespace

asio::awaitable<Result<void>> OrderImportFlow::prepare() { return prepare_flow(impl_); }

namespace {

/// check_odoo(): the rounding findings, and the marketplaces whose prices include VAT but whose
/// lines would carry no tax (no entry under `taxes`, nor a default).
asio::awaitable<Result<std::vector<std::string>>> check_connection(std::shared_ptr<Impl> impl) {
    auto out = co_await check_rounding(impl);
    if (!out) co_return out;
    const auto& taxes = impl->opt.taxes;
    for (const auto& m : impl->deps.amazon.options().marketplace_ids) {
        const auto* pricing = amazon::marketplace_pricing(m);
        if (pricing == nullptr || !pricing->prices_include_tax) continue;
        if (taxes.count(m) != 0 || taxes.count("default") != 0) continue;
        out->push_back("flows.order_import: " + amazon::describe_marketplace(m) +
                       " sells at prices that include VAT but flows.order_import.taxes names no "
                       "tax for it: its sale orders carry Amazon's gross prices without VAT in "
                       "Odoo. Map a price-included tax (" +
                       m +
                       ": \"<tax name>\", or by ship-to country) unless the seller charges "
                       "no VAT there");
    }
    co_return out;
}

}  // namespace

asio::awaitable<Result<std::vector<std::string>>> OrderImportFlow::check_odoo() {
    return check_connection(impl_);
}

}  // namespace clarity::flows
