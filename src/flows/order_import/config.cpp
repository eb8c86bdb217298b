#include <cctype>

#include "clarity/amazon/endpoints.hpp"
#include "clarity/flows/order_import.hpp"

// connections[].flows.order_import: the keys (documented from these specs) and their reading.

namespace clarity::flows {

namespace {

/// What is read from Amazon and which orders are imported.
void add_order_keys(core::ConfigSpec& s) {
    using core::ConfigType;
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
}

/// Customers, addresses and products.
void add_partner_and_product_keys(core::ConfigSpec& s) {
    using core::ConfigType;
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
}

/// Taxes, pricelists, and how a cancellation is written.
void add_tax_and_pricelist_keys(core::ConfigSpec& s) {
    using core::ConfigType;
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
}

/// The totals check, FBA deliveries and the partner cache.
void add_check_and_delivery_keys(core::ConfigSpec& s) {
    using core::ConfigType;
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
}

}  // namespace

core::ConfigSpec order_import_config_spec() {
    core::ConfigSpec s;
    add_order_keys(s);
    add_partner_and_product_keys(s);
    add_tax_and_pricelist_keys(s);
    add_check_and_delivery_keys(s);
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

}  // namespace clarity::flows
