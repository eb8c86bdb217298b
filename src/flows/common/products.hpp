#pragma once
// Odoo products for Amazon's identifiers. A product is found by its Internal Reference
// (product.product default_code) equal to the SellerSKU, or by the Internal Reference that the
// connection's alias table names for the SellerSKU, the ASIN or the FNSKU. All the codes a job
// needs go out in one products_by call (served from the client's product cache where it can).
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "clarity/core/result.hpp"
#include "clarity/odoo/client.hpp"

namespace clarity::flows {

template <class Req, class Res>
class Coalescer;  // common/coalescer.hpp

/// product.product by Internal Reference (default_code) for the jobs running at once: the codes
/// asked for while a read is on its way go out together in the next read (a cohort of jobs
/// asks Odoo once, not once per job), answered from the client's product cache where possible.
class ProductReads {
  public:
    explicit ProductReads(odoo::OdooClient& odoo);
    ~ProductReads();
    /// The product id of each code Odoo has (absent: no such product).
    boost::asio::awaitable<Result<std::map<std::string, std::int64_t>>> ids(
        std::vector<std::string> codes);

  private:
    std::unique_ptr<Coalescer<std::vector<std::string>, std::map<std::string, std::int64_t>>>
        reads_;
};

class ProductLookup {
  public:
    /// `aliases`: ASIN, FNSKU or SellerSKU → Internal Reference; must outlive the look-up.
    explicit ProductLookup(const std::map<std::string, std::string>& aliases)
        : aliases_(&aliases) {}

    /// An Amazon item: `identifiers` (its SellerSKU, ASIN, FNSKU) that the alias table may map
    /// to an Internal Reference for `sku`.
    void item(const std::string& sku, const std::vector<std::string>& identifiers);
    /// Asks for the product of `sku`: its own Internal Reference and its items' aliases.
    void want_sku(const std::string& sku);
    /// Asks for the product of one Internal Reference (a configured service product).
    void want(const std::string& code);
    /// The Internal References asked for, in first-asked order.
    const std::vector<std::string>& codes() const { return codes_; }

    /// product.product by default_code for every code asked for, in one call (shared with the
    /// jobs that ask at the same time).
    boost::asio::awaitable<Result<void>> load(ProductReads& reads);
    /// The product id of `code` (an Internal Reference or an SKU with an alias); nullopt when
    /// Odoo has none (after load()).
    std::optional<std::int64_t> id(const std::string& code) const;

  private:
    const std::map<std::string, std::string>* aliases_;
    std::map<std::string, std::vector<std::string>> alias_codes_;  ///< sku → candidate codes
    std::vector<std::string> codes_;
    std::map<std::string, std::int64_t> by_code_;
};

/// The Internal References among `codes` that exist in Odoo but are archived (one search_read).
boost::asio::awaitable<Result<std::set<std::string>>> archived_products(
    odoo::OdooClient& odoo, std::vector<std::string> codes);

}  // namespace clarity::flows
