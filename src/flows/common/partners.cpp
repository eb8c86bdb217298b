#include "common/partners.hpp"

#include "common/coalescer.hpp"
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
LoadedRow loaded_id(const odoo::LoadResult& r) {
    if (!r.ok() || r.ids.empty() || !r.ids[0]) {
        return LoadedRow{0, r.messages.empty() ? "no id returned" : r.messages.front()};
    }
    return LoadedRow{*r.ids[0], {}};
}

const std::vector<std::string>& customer_fields() {
    static const std::vector<std::string> f{"id", "name", "email"};
    return f;
}

const std::vector<std::string>& address_fields() {
    static const std::vector<std::string> f{"id",     "parent_id/.id",  "type",        "name",
                                            "street", "street2",        "city",        "zip",
                                            "phone",  "country_id/.id", "state_id/.id"};
    return f;
}

/// One `load` of many res.partner rows (column 0: the external id), each row's id in order. Two
/// rows of one external id (two orders of one buyer) go as one row, the last one's content. Odoo
/// refuses the whole call when it refuses a row (nothing kept; messages, or a permanent error):
/// then each row goes alone, so that only the refused one fails, with Odoo's message.
asio::awaitable<std::vector<Result<LoadedRow>>> load_rows(odoo::OdooClient* odoo,
                                                          const std::vector<std::string>* fields,
                                                          std::vector<Array> rows) {
    std::vector<Array> unique;
    std::vector<std::size_t> slot(rows.size());
    std::map<std::string, std::size_t> by_xmlid;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto [it, added] = by_xmlid.emplace(
            rows[i].empty() ? "" : rows[i][0].as_string().value_or(""), unique.size());
        if (added) {
            unique.push_back(std::move(rows[i]));
        } else {
            unique[it->second] = std::move(rows[i]);
        }
        slot[i] = it->second;
    }
    const auto ctx = odoo->write_context();
    std::vector<Result<LoadedRow>> each;
    {
        std::vector<std::string> names = *fields;  // named: g++ 12, temporaries in co_await
        std::vector<Array> all = unique;
        auto r = co_await odoo->load("res.partner", std::move(names), std::move(all), ctx);
        if (!r) {
            // A permanent error of a batch may be one row's: each row alone (below).
            if (r.error().kind != ErrorKind::permanent || unique.size() == 1) {
                each.assign(unique.size(), r.error());
            }
        } else if (r->ok() && r->ids.size() == unique.size()) {
            for (const auto& id : r->ids) {
                each.emplace_back(id ? LoadedRow{*id, {}} : LoadedRow{0, "no id returned"});
            }
        } else if (unique.size() == 1) {
            each.push_back(loaded_id(*r));
        }
    }
    if (each.empty()) {  // a refused batch: each row alone
        for (auto& row : unique) {
            std::vector<std::string> names = *fields;
            std::vector<Array> one(1, std::move(row));
            auto r = co_await odoo->load("res.partner", std::move(names), std::move(one), ctx);
            if (!r) {
                each.push_back(r.error());
            } else {
                each.push_back(loaded_id(*r));
            }
        }
    }
    std::vector<Result<LoadedRow>> out;
    out.reserve(slot.size());
    for (auto s : slot) out.push_back(each[s]);
    co_return out;
}

constexpr std::size_t kMaxRows = 20;  ///< rows per `load` at most

}  // namespace

PartnerUpsert::PartnerUpsert(odoo::OdooClient& odoo,
                             std::string xmlid_module,
                             std::size_t cache_size)
    : odoo_(odoo), module_(std::move(xmlid_module)), cache_size_(cache_size) {
    odoo::OdooClient* o = &odoo_;
    customers_ = std::make_unique<Coalescer<Array, LoadedRow>>(
        "upserting customers in Odoo",
        [o](std::vector<Array> rows) { return load_rows(o, &customer_fields(), std::move(rows)); },
        kMaxRows);
    addresses_ = std::make_unique<Coalescer<Array, LoadedRow>>(
        "upserting delivery addresses in Odoo",
        [o](std::vector<Array> rows) { return load_rows(o, &address_fields(), std::move(rows)); },
        kMaxRows);
}

PartnerUpsert::~PartnerUpsert() = default;

asio::awaitable<Result<PartnerIds>> PartnerUpsert::upsert(Customer customer,
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
    PartnerIds ids;
    {
        const std::string xmlid = module_ + ".amazon_buyer_" + stable_hash(customer.key);
        Array row{OValue(xmlid), OValue(customer.name),
                  customer.email.empty() ? OValue(false) : OValue(customer.email)};
        auto load = customers_->submit(std::move(row));  // named: g++ 12, co_await
        auto id = co_await std::move(load);
        if (!id) co_return id.error();
        if (!id->refused.empty()) {
            co_return refusals.dead->odoo_refused(
                id->refused,
                {*refusals.job, refusals.subject, "the customer '" + customer.name + "'",
                 "Fix the data or the Odoo rule"});
        }
        ids.customer = id->id;
    }
    ids.shipping = ids.customer;
    if (ship_to) {
        const std::string xmlid =
            module_ + ".amazon_ship_" + stable_hash(customer.key + "\x1f" + ship_key);
        auto load = addresses_->submit(  // named: g++ 12, co_await
            address_row(xmlid, ids.customer, customer.name, *ship_to, place));
        auto id = co_await std::move(load);
        if (!id) co_return id.error();
        if (!id->refused.empty()) {
            co_return refusals.dead->odoo_refused(
                id->refused, {*refusals.job, refusals.subject, "the delivery address",
                              "Fix the address data or the Odoo rule"});
        }
        ids.shipping = id->id;
    }
    if (cache_size_ > 0) {
        std::lock_guard lock(mu_);
        if (cache_.size() >= cache_size_) cache_.clear();
        cache_.emplace(cache_key, ids);
    }
    co_return ids;
}

}  // namespace clarity::flows
