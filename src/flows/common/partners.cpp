#include "common/partners.hpp"

#include "common/odoo_values.hpp"

namespace clarity::flows {

namespace asio = boost::asio;
using odoo::Array;
using odoo::Domain;
using OValue = odoo::Value;

asio::awaitable<Result<AddressPlace>> find_address_place(odoo::OdooClient* odoo,
                                                         model::Address address) {
    AddressPlace place;
    const auto& n = address.normalized;
    if (!n.country_code.empty()) {
        Domain d;
        d.where("code", "=", n.country_code);
        auto c = co_await cached_id(*odoo, "res.country", std::move(d));
        if (!c) co_return c.error();
        place.country = *c;
    }
    if (place.country && !n.state_code.empty()) {
        Domain d;
        d.where("code", "=", n.state_code);
        d.where("country_id", "=", *place.country);
        auto s = co_await cached_id(*odoo, "res.country.state", std::move(d));
        if (!s) co_return s.error();
        place.state = *s;
    }
    // Region text only counts as unmatched where Odoo has states for the country (it has none
    // for France, for instance): otherwise there is nothing it could match.
    bool country_has_states = false;
    if (place.country && !address.state_or_region.empty() && !place.state) {
        Domain d;
        d.where("country_id", "=", *place.country);
        auto any = co_await cached_id(*odoo, "res.country.state", std::move(d));
        if (!any) co_return any.error();
        country_has_states = any->has_value();
    }
    if (!address.state_or_region.empty() && !place.state &&
        (country_has_states || !place.country)) {
        place.unmatched = "ship-to state/region '" + address.state_or_region + "' of country '" +
                          address.country_code + "' matches no res.country.state in Odoo";
    }
    co_return place;
}

Customer amazon_customer(const model::Party& buyer,
                         const std::optional<model::Address>& ship_to,
                         const std::string& amazon_order_id) {
    Customer c;
    c.key = !buyer.email.empty() ? "email:" + lower(buyer.email)
                                 : (ship_to ? "addr:" + lower(ship_to->name) + "|" +
                                                  ship_to->postal_code + "|" + ship_to->country_code
                                            : "order:" + amazon_order_id);
    c.name = !buyer.name.empty()
                 ? buyer.name
                 : (ship_to && !ship_to->name.empty() ? ship_to->name
                                                      : "Amazon customer " + amazon_order_id);
    c.email = buyer.email;
    return c;
}

namespace {

/// The delivery address's content: its key, and its `load` row under `xmlid`.
std::string address_key(const model::Address& a) {
    return a.name + "|" + a.company + "|" + a.line1 + "|" + a.line2 + "|" + a.line3 + "|" + a.city +
           "|" + a.postal_code + "|" + a.country_code + "|" + a.state_or_region + "|" + a.phone;
}

Array address_row(const std::string& xmlid,
                  std::int64_t customer,
                  const std::string& customer_name,
                  const model::Address& a,
                  const AddressPlace& place) {
    const auto& n = a.normalized;
    std::string street2 = a.line2;
    if (!a.line3.empty()) street2 += street2.empty() ? a.line3 : ", " + a.line3;
    auto text = [](const std::string& s) { return s.empty() ? OValue(false) : OValue(s); };
    return Array{OValue(xmlid),
                 OValue(static_cast<long long>(customer)),
                 OValue("delivery"),
                 OValue(a.name.empty() ? customer_name : a.name),
                 text(a.line1),
                 text(street2),
                 text(a.city),
                 text(n.postal_code.empty() ? a.postal_code : n.postal_code),
                 text(n.phone.empty() ? a.phone : n.phone),
                 place.country ? OValue(static_cast<long long>(*place.country)) : OValue(false),
                 place.state ? OValue(static_cast<long long>(*place.state)) : OValue(false)};
}

/// The id `load` gave the one row it was sent, or Odoo's reason for giving none.
Result<std::int64_t> loaded_id(const odoo::LoadResult& r) {
    if (!r.ok() || r.ids.empty() || !r.ids[0]) {
        return Error{ErrorKind::permanent,
                     r.messages.empty() ? "no id returned" : r.messages.front()};
    }
    return *r.ids[0];
}

}  // namespace

asio::awaitable<Result<PartnerIds>> PartnerUpsert::upsert(odoo::OdooClient* odoo,
                                                          Customer customer,
                                                          std::optional<model::Address> ship_to,
                                                          AddressPlace place,
                                                          Refusals refusals) {
    const std::string ship_key = ship_to ? address_key(*ship_to) : std::string{};
    const std::string cache_key = customer.key + "\x1f" + customer.name + "\x1f" + customer.email +
                                  "\x1f" + ship_key + "\x1f" +
                                  std::to_string(place.country.value_or(0)) + "/" +
                                  std::to_string(place.state.value_or(0));
    if (cache_size_ > 0) {
        std::lock_guard lock(mu_);
        if (auto it = cache_.find(cache_key); it != cache_.end()) co_return it->second;
    }
    auto ctx_w = odoo->write_context();
    PartnerIds ids;
    {
        const std::string xmlid = module_ + ".amazon_buyer_" + stable_hash(customer.key);
        std::vector<std::string> fields{"id", "name", "email"};
        Array row{OValue(xmlid), OValue(customer.name),
                  customer.email.empty() ? OValue(false) : OValue(customer.email)};
        std::vector<Array> rows{std::move(row)};
        auto r = co_await odoo->load("res.partner", std::move(fields), std::move(rows), ctx_w);
        if (!r) co_return r.error();
        auto id = loaded_id(*r);
        if (!id) {
            co_return refusals.dead->odoo_refused(
                id.error().message,
                {*refusals.job, refusals.subject, "the customer '" + customer.name + "'",
                 "Fix the data or the Odoo rule"});
        }
        ids.customer = *id;
    }
    ids.shipping = ids.customer;
    if (ship_to) {
        const std::string xmlid =
            module_ + ".amazon_ship_" + stable_hash(customer.key + "\x1f" + ship_key);
        std::vector<std::string> fields{"id",     "parent_id/.id",  "type",        "name",
                                        "street", "street2",        "city",        "zip",
                                        "phone",  "country_id/.id", "state_id/.id"};
        std::vector<Array> rows;
        rows.push_back(address_row(xmlid, ids.customer, customer.name, *ship_to, place));
        auto r = co_await odoo->load("res.partner", std::move(fields), std::move(rows), ctx_w);
        if (!r) co_return r.error();
        auto id = loaded_id(*r);
        if (!id) {
            co_return refusals.dead->odoo_refused(
                id.error().message, {*refusals.job, refusals.subject, "the delivery address",
                                     "Fix the address data or the Odoo rule"});
        }
        ids.shipping = *id;
    }
    if (cache_size_ > 0) {
        std::lock_guard lock(mu_);
        if (cache_.size() >= cache_size_) cache_.clear();
        cache_.emplace(cache_key, ids);
    }
    co_return ids;
}

}  // namespace clarity::flows
