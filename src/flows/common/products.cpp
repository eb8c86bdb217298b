#include "common/products.hpp"

#include <algorithm>

#include "common/coalescer.hpp"

namespace clarity::flows {

namespace {

using Ids = std::map<std::string, std::int64_t>;
constexpr std::size_t kMaxJobs = 20;  ///< jobs' requests per read at most

/// One read for the codes of many requests; each request gets the ids of its own codes.
boost::asio::awaitable<std::vector<Result<Ids>>> read_products(
    odoo::OdooClient* odoo, std::vector<std::vector<std::string>> requests) {
    std::vector<std::string> all;
    for (const auto& r : requests) {
        for (const auto& c : r) {
            if (std::find(all.begin(), all.end(), c) == all.end()) all.push_back(c);
        }
    }
    std::vector<std::string> fields{"id", "default_code"};
    std::string key_field = "default_code";
    auto found =
        co_await odoo->products_by(std::move(key_field), std::move(all), std::move(fields));
    std::vector<Result<Ids>> out;
    if (!found) {
        out.assign(requests.size(), found.error());
        co_return out;
    }
    for (const auto& r : requests) {
        Ids ids;
        for (const auto& c : r) {
            auto it = found->find(c);
            if (it == found->end()) continue;
            if (auto id = it->second["id"].as_int()) ids.emplace(c, *id);
        }
        out.emplace_back(std::move(ids));
    }
    co_return out;
}

}  // namespace

ProductReads::ProductReads(odoo::OdooClient& odoo) {
    odoo::OdooClient* o = &odoo;
    reads_ = std::make_unique<Coalescer<std::vector<std::string>, Ids>>(
        "reading products from Odoo",
        [o](std::vector<std::vector<std::string>> r) { return read_products(o, std::move(r)); },
        kMaxJobs);
}

ProductReads::~ProductReads() = default;

boost::asio::awaitable<Result<Ids>> ProductReads::ids(std::vector<std::string> codes) {
    auto call = reads_->submit(std::move(codes));  // named: g++ 12, co_await
    co_return co_await std::move(call);
}

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

boost::asio::awaitable<Result<void>> ProductLookup::load(ProductReads& reads) {
    if (codes_.empty()) co_return Result<void>{};
    auto found = co_await reads.ids(codes_);
    if (!found) co_return found.error();
    for (const auto& [code, id] : *found) by_code_.emplace(code, id);
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
