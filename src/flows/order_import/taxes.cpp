#include <algorithm>

#include "clarity/amazon/marketplace_pricing.hpp"
#include "clarity/odoo/schema.hpp"
#include "common/coalescer.hpp"
#include "common/odoo_values.hpp"
#include "order_import/steps.hpp"

// Currencies, pricelists and taxes: chosen and checked once at start-up (prepare()), then per
// order from what prepare() read.

namespace clarity::flows::order_import {

namespace asio = boost::asio;
using odoo::Array;
using odoo::Domain;
using odoo::SearchOptions;
using OValue = odoo::Value;

std::string tax_setting(const std::string& key, const std::string& country) {
    return "flows.order_import.taxes." + key + (country.empty() ? std::string{} : "." + country);
}

namespace {

Error permanent(std::string message) {
    return make_error(ErrorKind::permanent, std::move(message), "flows.order_import");
}

/// The pricelist of `marketplace`'s orders in `currency`: the one configured under `pricelists`,
/// else the one active pricelist in that currency, else (none, and the currency is the
/// company's) Odoo's default. Permanent Error naming the marketplace, the currency and the fix.
Result<std::optional<PricelistInfo>> pricelist_for_marketplace(
    const std::vector<PricelistInfo>& active,
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

/// The companies: the first one's currency, and whether any rounds taxes globally.
struct Companies {
    std::string currency;
    bool rounds_globally = false;
};

asio::awaitable<Result<Companies>> read_companies(std::shared_ptr<Impl> impl) {
    SearchOptions cso;
    cso.fields = {"id", "name", "currency_id", "tax_calculation_rounding_method"};
    cso.order = "id asc";
    auto companies = co_await impl->deps.odoo.search_read("res.company", Domain{}, std::move(cso));
    if (!companies) co_return companies.error();
    Companies out;
    for (const auto& c : *companies) {
        if (out.currency.empty()) out.currency = m2o_name(c["currency_id"]);
        out.rounds_globally =
            out.rounds_globally ||
            c["tax_calculation_rounding_method"].as_string().value_or("") == "round_globally";
    }
    co_return out;
}

using PricelistChoice = std::map<std::pair<std::string, std::string>, std::optional<PricelistInfo>>;

/// The pricelist of each of the connection's marketplaces and of those named under `pricelists`,
/// in the marketplace's currency; what cannot be chosen goes to `problems`.
PricelistChoice choose_pricelists(const Impl& impl,
                                  const std::vector<PricelistInfo>& pricelists,
                                  const std::string& company_currency,
                                  std::vector<std::string>& problems) {
    std::vector<std::string> markets = impl.deps.amazon.options().marketplace_ids;
    for (const auto& [m, name] : impl.opt.pricelists) {
        if (m != "default" && std::find(markets.begin(), markets.end(), m) == markets.end())
            markets.push_back(m);
    }
    PricelistChoice chosen;
    for (const auto& m : markets) {
        const auto* pricing = amazon::marketplace_pricing(m);
        if (pricing == nullptr) continue;
        const std::string currency(pricing->currency);
        auto p = pricelist_for_marketplace(pricelists, impl.opt, m, currency, company_currency);
        if (!p) {
            problems.push_back(p.error().message);
        } else {
            chosen[{m, currency}] = *p;
        }
    }
    return chosen;
}

/// Each tax named under `taxes` exists and fits the prices of the marketplaces it serves; what
/// does not goes to `problems`.
void check_mapped_taxes(const Impl& impl,
                        const std::map<std::string, TaxInfo>& taxes,
                        std::vector<std::string>& problems) {
    const auto& opt = impl.opt;
    for (const auto& [key, choice] : opt.taxes) {
        std::vector<std::string> served;
        if (key != "default") {
            served.push_back(key);
        } else {
            for (const auto& m : impl.deps.amazon.options().marketplace_ids) {
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

/// The sale taxes named under `taxes` (account.tax search_read), checked.
asio::awaitable<Result<std::map<std::string, TaxInfo>>> read_mapped_taxes(
    std::shared_ptr<Impl> impl, std::vector<std::string>* problems) {
    std::map<std::string, TaxInfo> taxes;
    Array names;
    for (const auto& [key, choice] : impl->opt.taxes) {
        if (!choice.tax.empty()) names.emplace_back(choice.tax);
        for (const auto& [country, tax] : choice.by_country) names.emplace_back(tax);
    }
    if (names.empty()) co_return taxes;
    Domain d;
    d.where("name", "in", OValue(names));
    d.where("type_tax_use", "=", "sale");
    SearchOptions so;
    so.fields = {"id", "name", "price_include"};
    so.order = "id asc";
    auto rows = co_await impl->deps.odoo.search_read("account.tax", std::move(d), std::move(so));
    if (!rows) co_return rows.error();
    for (const auto& r : *rows) {
        TaxInfo t{r["id"].as_int().value_or(0), r["name"].as_string().value_or(""),
                  r["price_include"].truthy()};
        taxes.emplace(t.name, t);  // several of one name (companies): the oldest
    }
    check_mapped_taxes(*impl, taxes, *problems);
    co_return taxes;
}

}  // namespace

/// prepare(): companies (currency, tax rounding), pricelists per marketplace and currency, and
/// every mapped tax, checked against the marketplaces' pricing (read_for_prepare). All problems
/// in one message.
asio::awaitable<Result<void>> prepare_flow(std::shared_ptr<Impl> impl) {
    {
        std::lock_guard lock(impl->mu);
        if (impl->prepared) co_return Result<void>{};
    }
    // Once for all the jobs that find it not done at the same time (a cohort at start-up).
    auto once = impl->prepares->submit(0);  // named: g++ 12, co_await
    auto done = co_await std::move(once);
    if (!done) co_return done.error();
    co_return Result<void>{};
}

asio::awaitable<Result<void>> read_for_prepare(std::shared_ptr<Impl> impl) {
    {
        std::lock_guard lock(impl->mu);
        if (impl->prepared) co_return Result<void>{};
    }
    auto companies = co_await read_companies(impl);
    if (!companies) co_return companies.error();
    auto pricelists = co_await read_pricelists(impl);
    if (!pricelists) co_return pricelists.error();
    std::vector<std::string> problems;
    PricelistChoice chosen = choose_pricelists(*impl, *pricelists, companies->currency, problems);
    auto taxes = co_await read_mapped_taxes(impl, &problems);
    if (!taxes) co_return taxes.error();
    if (!problems.empty()) {
        std::string all;
        for (const auto& p : problems) all += (all.empty() ? "" : "; ") + p;
        co_return permanent("flows.order_import: " + all);
    }
    std::lock_guard lock(impl->mu);
    impl->company_currency = companies->currency;
    impl->rounds_globally = companies->rounds_globally;
    impl->tax_by_name = std::move(*taxes);
    for (auto& [k, v] : chosen) impl->pricelist_for[k] = std::move(v);
    impl->prepared = true;
    co_return Result<void>{};
}

namespace {

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
    auto chosen = pricelist_for_marketplace(*pricelists, impl->opt, order->marketplace_id, currency,
                                            company_currency);
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

}  // namespace

asio::awaitable<Result<void>> choose_pricelist(OrderRun* run) {
    auto major = co_await odoo_major(run->impl);
    if (!major) co_return major.error();
    run->major = *major;
    auto prepared = co_await prepare_flow(run->impl);
    if (!prepared) {
        if (prepared.error().kind != ErrorKind::permanent) co_return prepared.error();
        co_return run->dead_letter(
            "configuration",
            run->subject() + ": " + prepared.error().message + ", " + replay_hint(*run->ctx) + ".");
    }
    auto pricelist = co_await order_pricelist(run->impl, &run->order);
    if (!pricelist) {
        if (pricelist.error().kind != ErrorKind::permanent) co_return pricelist.error();
        co_return run->dead_letter("pricelist", run->subject() + " (" + run->order.currency +
                                                    "): " + pricelist.error().message + ", " +
                                                    replay_hint(*run->ctx) + ".");
    }
    run->pricelist = *pricelist;
    run->tax_field = odoo::field_name(odoo::FieldMeaning::sale_line_taxes, run->major).field;
    co_return Result<void>{};
}

bool charged(const OrderRun& run, const std::optional<model::Decimal>& amazon_tax) {
    return amazon_tax ? !amazon_tax->is_zero() : run.vat_inclusive;
}

std::optional<model::Decimal> figure(const std::optional<model::Money>& m) {
    return m ? std::optional<model::Decimal>{m->amount} : std::optional<model::Decimal>{};
}

asio::awaitable<Result<void>> choose_tax(OrderRun* run) {
    Impl& impl = *run->impl;
    const auto* pricing = amazon::marketplace_pricing(run->order.marketplace_id);
    run->vat_inclusive = pricing != nullptr && pricing->prices_include_tax;
    run->services = service_lines(impl.services, run->order);
    for (const auto& l : run->order.lines)
        run->needs_tax = run->needs_tax || charged(*run, figure(l.item_tax));
    for (const auto& l : run->services)
        run->needs_tax = run->needs_tax || charged(*run, l.amazon_tax);
    if (impl.opt.taxes.empty() || !run->needs_tax) co_return Result<void>{};
    auto t = order_tax(impl, run->order);
    if (!t) {
        co_return run->dead_letter("tax_mapping", run->subject() + ": " + t.error().message + ", " +
                                                      replay_hint(*run->ctx) + ".");
    }
    if (!*t) {
        co_return run->dead_letter(
            "tax_mapping",
            run->subject() + ": " +
                (run->vat_inclusive ? std::string("its prices include VAT")
                                    : std::string("it carries tax")) +
                " but marketplace " + amazon::describe_marketplace(run->order.marketplace_id) +
                " has no tax mapping — add it under flows.order_import.taxes (marketplace id → "
                "Odoo tax name, or ship-to country → tax name), " +
                replay_hint(*run->ctx) + ".");
    }
    run->tax = **t;
    co_return Result<void>{};
}

}  // namespace clarity::flows::order_import
