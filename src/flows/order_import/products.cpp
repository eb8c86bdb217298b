#include "common/odoo_values.hpp"
#include "order_import/steps.hpp"

// The Odoo records the template looks up: products by Internal Reference (SKU, alias, service
// products) in one call, the other look-ups through the stable-data cache.

namespace clarity::flows::order_import {

namespace asio = boost::asio;
using odoo::Domain;

namespace {

bool is_product_lookup(const mapping::LookupRequest& l) {
    return l.model == "product.product" && l.field == "default_code";
}

/// The dead letter of SKUs Odoo has no (active) product for: what to create, unarchive or map.
std::string unknown_products_message(const OrderRun& run,
                                     const std::vector<std::string>& unknown,
                                     const std::set<std::string>& archived) {
    std::string msg = run.subject() + ":";
    for (const auto& sku : unknown) {
        std::string asin;
        for (const auto& line : run.order.lines) {
            if (line.sku == sku) asin = line.asin;
        }
        if (archived.count(sku) != 0) {
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
    return msg + " " + replay_hint(*run.ctx) + ".";
}

}  // namespace

asio::awaitable<Result<void>> find_products_by_sku(OrderRun* run) {
    Impl& impl = *run->impl;
    ProductLookup& products = run->products;
    for (const auto& line : run->order.lines) products.item(line.sku, both(line.sku, line.asin));
    for (const auto& l : run->mapped.lookups) {
        if (is_product_lookup(l)) products.want_sku(text_of(l.key));
    }
    for (const auto& code : impl.services.charges()) products.want(code);
    if (impl.opt.add_adjustment_line) products.want(impl.services.adjustment_code());
    co_return co_await products.load(impl.product_reads);
}

asio::awaitable<Result<void>> resolve_template_lookups(OrderRun* run) {
    Impl& impl = *run->impl;
    auto& mapped = run->mapped;
    std::vector<std::optional<std::int64_t>> answers(mapped.lookups.size());
    std::vector<std::string> unknown;
    for (std::size_t i = 0; i < mapped.lookups.size(); ++i) {
        const auto& l = mapped.lookups[i];
        if (is_product_lookup(l)) {
            const std::string key = text_of(l.key);
            answers[i] = run->products.id(key);
            if (!answers[i]) unknown.push_back(key);
            continue;
        }
        Domain d;
        d.where(std::string(l.field), "=", to_odoo(l.key));
        for (const auto& [f, v] : l.also) d.where(std::string(f), "=", to_odoo(v));
        auto r = co_await cached_id(impl.deps.odoo, std::string(l.model), std::move(d));
        if (!r) co_return r.error();
        answers[i] = *r;
    }
    if (!unknown.empty()) {
        auto archived = co_await archived_products(impl.deps.odoo, unknown);
        if (!archived) co_return archived.error();
        bool any_archived = false;
        for (const auto& sku : unknown) any_archived = any_archived || archived->count(sku) != 0;
        co_return run->dead_letter(any_archived ? "archived_product" : "unknown_sku",
                                   unknown_products_message(*run, unknown, *archived));
    }
    mapped.resolve(answers);
    if (!mapped.errors.empty()) {
        std::string msg = run->subject() + ": the mapping template '" +
                          impl.deps.order_template->file() + "' could not map it:";
        for (const auto& e : mapped.errors) msg += " " + e + ";";
        msg += " fix the template or the data in Odoo, " + replay_hint(*run->ctx) + ".";
        co_return run->dead_letter("mapping", std::move(msg));
    }
    co_return Result<void>{};
}

}  // namespace clarity::flows::order_import
