#include "common/products.hpp"

#include <algorithm>

namespace clarity::flows {

void ProductLookup::item(const std::string& sku, const std::vector<std::string>& identifiers) {
    auto& cands = alias_codes_[sku];
    for (const auto& k : identifiers) {
        if (auto it = aliases_->find(k); it != aliases_->end()) cands.push_back(it->second);
    }
}

void ProductLookup::want_sku(const std::string& sku) {
    want(sku);
    if (auto it = alias_codes_.find(sku); it != alias_codes_.end()) {
        for (const auto& c : it->second) want(c);
    }
}

void ProductLookup::want(const std::string& code) {
    if (!code.empty() && std::find(codes_.begin(), codes_.end(), code) == codes_.end())
        codes_.push_back(code);
}

boost::asio::awaitable<Result<void>> ProductLookup::load(odoo::OdooClient& odoo) {
    if (codes_.empty()) co_return Result<void>{};
    std::vector<std::string> fields{"id", "default_code"};
    auto found = co_await odoo.products_by("default_code", codes_, std::move(fields));
    if (!found) co_return found.error();
    for (const auto& [code, rec] : *found) {
        if (auto id = rec["id"].as_int()) by_code_.emplace(code, *id);
    }
    co_return Result<void>{};
}

std::optional<std::int64_t> ProductLookup::id(const std::string& code) const {
    if (auto it = by_code_.find(code); it != by_code_.end()) return it->second;
    if (auto a = alias_codes_.find(code); a != alias_codes_.end()) {
        for (const auto& c : a->second) {
            if (auto it = by_code_.find(c); it != by_code_.end()) return it->second;
        }
    }
    return std::nullopt;
}

boost::asio::awaitable<Result<std::set<std::string>>> archived_products(
    odoo::OdooClient& odoo, std::vector<std::string> codes) {
    std::set<std::string> out;
    odoo::Array keys;
    for (auto& c : codes) keys.emplace_back(c);
    odoo::Domain d;
    d.where("default_code", "in", keys);
    d.where("active", "=", false);
    odoo::SearchOptions so;
    so.fields = {"id", "default_code"};
    odoo::Struct ctx{{"active_test", false}};
    auto rows =
        co_await odoo.search_read("product.product", std::move(d), std::move(so), std::move(ctx));
    if (!rows) co_return rows.error();
    for (const auto& r : *rows) {
        if (auto c = r["default_code"].as_string()) out.insert(*c);
    }
    co_return out;
}

}  // namespace clarity::flows
