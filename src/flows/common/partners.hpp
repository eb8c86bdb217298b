#pragma once
// Customers and delivery addresses in Odoo (res.partner). Each is upserted with `load` under a
// stable external id derived from its content ("<module>.amazon_buyer_<hash>",
// "<module>.amazon_ship_<hash>"), so a rerun finds the same records and never doubles one.
// Countries and states are looked up (through the stable-data cache), never created.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "clarity/core/result.hpp"
#include "clarity/model/address.hpp"
#include "clarity/odoo/client.hpp"
#include "common/dead_letter.hpp"

namespace clarity::flows {

struct PartnerIds {
    std::int64_t customer = 0;
    std::int64_t shipping = 0;  ///< the delivery address (the customer when there is none)
};

/// Where an address lies in Odoo.
struct AddressPlace {
    std::optional<std::int64_t> country;  ///< res.country by the normalized country code
    std::optional<std::int64_t> state;    ///< res.country.state by the normalized state code
    /// "ship-to state/region 'X' of country 'Y' matches no res.country.state in Odoo" when the
    /// address names a state Odoo does not have (for a country that has states in Odoo, or an
    /// unknown country); empty otherwise.
    std::string unmatched;
};

/// res.country and res.country.state of `address` (at most three cached search_reads).
boost::asio::awaitable<Result<AddressPlace>> find_address_place(odoo::OdooClient* odoo,
                                                                model::Address address);

/// The customer record of an Amazon buyer.
struct Customer {
    /// Stable: "email:<e-mail>", else "addr:<name>|<postal code>|<country>" of the ship-to
    /// address, else "order:<Amazon order id>".
    std::string key;
    std::string name;  ///< the buyer's, else the ship-to name, else "Amazon customer <order id>"
    std::string email;
};
Customer amazon_customer(const model::Party& buyer,
                         const std::optional<model::Address>& ship_to,
                         const std::string& amazon_order_id);

template <class Req, class Res>
class Coalescer;  // common/coalescer.hpp

/// What `load` did with one row: its record's id, or Odoo's reason for refusing it.
struct LoadedRow {
    std::int64_t id = 0;
    std::string refused;  ///< Odoo's message; empty when loaded
};

/// Upserts customers and their delivery addresses (one `load` each), skipping both when this
/// process wrote the same content before (a cache of `cache_size` entries; 0 = always upsert).
/// The loads of the jobs running at once go out together (common/coalescer.hpp): one `load` of
/// many customers, then one of their addresses. Odoo's `load` is one transaction: when it
/// refuses a row nothing is kept, so a refused batch is sent again one row per call and only the
/// job whose row Odoo refuses fails, with Odoo's message.
class PartnerUpsert {
  public:
    PartnerUpsert(odoo::OdooClient& odoo, std::string xmlid_module, std::size_t cache_size);
    ~PartnerUpsert();

    /// What Odoo refuses becomes a dead letter of `job` ("<subject>: Odoo refused the customer
    /// 'X': ...").
    struct Refusals {
        const DeadLetters* dead;
        const JobContext* job;
        std::string subject;
    };
    boost::asio::awaitable<Result<PartnerIds>> upsert(Customer customer,
                                                      std::optional<model::Address> ship_to,
                                                      AddressPlace place,
                                                      Refusals refusals);

  private:
    odoo::OdooClient& odoo_;
    std::string module_;
    std::size_t cache_size_;
    std::mutex mu_;
    std::map<std::string, PartnerIds> cache_;  ///< by content key
    /// One `load` row (column 0: the external id) → the record's id; customers, addresses.
    std::unique_ptr<Coalescer<odoo::Array, LoadedRow>> customers_, addresses_;
};

}  // namespace clarity::flows
