#include "sandbox/scenario.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>

// The orders follow the shapes the fake SP-API serves (Orders 2026-01-01, see
// ../shared/reference/sp-api/models/orders-api-model/orders_2026-01-01.json); the Odoo side follows
// config/mapping/order_import.yaml (products by default_code, warehouses by code WH/AMZ, Studio
// fields x_studio_amazon_order_type, x_studio_gift_message, x_studio_personalization).

namespace clarity::fakes::sandbox {

namespace {

// SplitMix64: tiny, portable and the same on every platform (std distributions are not).
class Rng {
  public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    /// Uniform in [lo, hi].
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
    }
    /// True with probability percent/100.
    bool chance(int percent) { return between(0, 99) < percent; }

  private:
    std::uint64_t state_;
};

struct Place {
    const char* city;
    const char* state;
    const char* zip;
};
constexpr std::array<Place, 6> kPlaces{{{"Los Angeles", "CA", "90012"},
                                        {"San Francisco", "CA", "94103"},
                                        {"San Diego", "CA", "92101"},
                                        {"New York", "NY", "10001"},
                                        {"Buffalo", "NY", "14202"},
                                        {"Albany", "NY", "12207"}}};
constexpr std::array<const char*, 12> kFirst{"Ada",     "Grace",    "Alan",   "Linus",
                                             "Barbara", "Ken",      "Edsger", "Frances",
                                             "Dennis",  "Margaret", "John",   "Radia"};
constexpr std::array<const char*, 10> kLast{"Lovelace", "Hopper",   "Turing",   "Torvalds",
                                            "Liskov",   "Thompson", "Dijkstra", "Allen",
                                            "Ritchie",  "Hamilton"};
constexpr std::array<const char*, 8> kGoods{"Mug",      "Notebook", "Desk Lamp",     "Water Bottle",
                                            "Backpack", "Tea Set",  "Cutting Board", "Candle"};
constexpr std::array<const char*, 5> kColours{"Blue", "Green", "Red", "Black", "Oak"};
constexpr std::array<const char*, 4> kGiftMessages{"Happy birthday!", "Congratulations, Sam",
                                                   "Merry Christmas from all of us",
                                                   "Thank you for everything"};
constexpr int kProducts = 40;

/// Tax of a line: 15% of the line total, rounded half up to the cent (Odoo's 15% sales tax).
std::int64_t tax_of(std::int64_t line_cents) { return (line_cents * 15 + 50) / 100; }

/// The VAT within a gross amount at `rate` percent, rounded half up (what Amazon reports on
/// VAT-inclusive marketplaces).
std::int64_t vat_in(std::int64_t gross_cents, std::int64_t rate) {
    const std::int64_t d = 2 * (100 + rate);
    const std::int64_t n = 2 * gross_cents * rate + (gross_cents < 0 ? -(100 + rate) : 100 + rate);
    return n / d;
}

/// A European marketplace of the scenario (amazon/marketplace_pricing.hpp).
struct EuMarket {
    const char* marketplace_id;
    const char* currency;
    std::int64_t vat;  ///< standard VAT rate of the marketplace's country, percent
};
constexpr EuMarket kUk{"A1F83G8C2ARO7P", "GBP", 20};
constexpr EuMarket kFr{"A13V1IB3VIYZZH", "EUR", 20};
constexpr EuMarket kDe{"A1PA6795UKMFR9", "EUR", 19};

struct EuPlace {
    const char* country;
    const char* city;
    const char* region;  ///< StateOrRegion as buyers type it
    const char* zip;
    const char* state_code;  ///< the Odoo state it resolves to ("" = none)
};
// Greater Manchester spans several of Odoo's GB counties and France has no states in Odoo: both
// are imported without a state.
constexpr std::array<EuPlace, 4> kUkPlaces{
    {{"GB", "London", "Greater London", "SW1A 1AA", "Q1"},
     {"GB", "Birmingham", "West Midlands", "B1 1AA", "X3"},
     {"GB", "Canterbury", "Kent", "CT1 1AA", "O5"},
     {"GB", "Manchester", "Greater Manchester", "M1 1AE", ""}}};
constexpr std::array<EuPlace, 3> kDePlaces{
    {{"DE", "München", "Bayern", "80331", "DE-BY"},
     {"DE", "Berlin", "Berlin", "10115", "DE-BE"},
     {"DE", "Köln", "Nordrhein-Westfalen", "50667", "DE-NW"}}};
constexpr std::array<EuPlace, 2> kFrPlaces{
    {{"FR", "Paris", "Île-de-France", "75001", ""}, {"FR", "Lyon", "", "69001", ""}}};

std::string order_id(std::uint64_t seed, int index) {
    char buf[32];
    std::snprintf(
        buf, sizeof buf, "%03d-%07d-%07d", 111 + static_cast<int>(seed % 800), 1000000 + index,
        static_cast<int>((seed * 7919 + static_cast<std::uint64_t>(index) * 104729) % 10000000));
    return buf;
}

Clock::time_point at(const ScenarioOptions& o, double scenario_seconds) {
    return o.start + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(scenario_seconds / o.speed));
}

}  // namespace

std::string cents_text(std::int64_t cents) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%lld.%02lld", cents < 0 ? "-" : "",
                  static_cast<long long>(std::llabs(cents) / 100),
                  static_cast<long long>(std::llabs(cents) % 100));
    return buf;
}

const ExpectedOrder* Scenario::find(const std::string& id) const {
    for (const auto& e : expected) {
        if (e.order_id == id) return &e;
    }
    return nullptr;
}

Scenario generate(const ScenarioOptions& options) {
    if (options.orders < 1) throw std::invalid_argument("sandbox: orders must be at least 1");
    if (!(options.speed > 0)) throw std::invalid_argument("sandbox: speed must be positive");
    Scenario sc;
    sc.options = options;
    Rng rng(options.seed);

    for (int p = 0; p < kProducts; ++p) {
        Product pr;
        char sku[32], asin[16];
        std::snprintf(sku, sizeof sku, "CC-%03d", p + 1);
        std::snprintf(asin, sizeof asin, "B0CC%06d", p + 1);
        pr.sku = sku;
        pr.asin = asin;
        pr.name = std::string(kColours[static_cast<std::size_t>(p) % kColours.size()]) + " " +
                  kGoods[static_cast<std::size_t>(p) % kGoods.size()];
        pr.list_price_cents = rng.between(399, 8999);
        sc.products.push_back(pr);
    }
    sc.unknown_product = {"CC-NEW-001", "B0CCNEW001", "Limited Edition Mug", 2499};

    const int unknown_index = options.unknown_sku ? options.orders / 2 : -1;
    int european = 0;  // European orders so far
    const double gap = static_cast<double>(options.step_gap.count());
    const double span = static_cast<double>(options.creation_span.count());
    sc.last_change = options.start;

    for (int i = 0; i < options.orders; ++i) {
        ScheduledOrder so;
        ExpectedOrder ex;
        auto& o = so.initial;
        o.order_id = order_id(options.seed, i);
        ex.order_id = o.order_id;
        const bool unknown = i == unknown_index;
        ex.unknown_sku = unknown;
        auto every = [i](int n) { return n > 0 && i % n == n - 1; };
        const EuMarket* eu = nullptr;
        if (!unknown) {
            if (every(options.uk_every)) {
                eu = &kUk;
            } else if (every(options.fr_every)) {
                eu = &kFr;
            } else if (every(options.de_every)) {
                eu = &kDe;
            }
        }
        ex.afn = !unknown && rng.chance(45);
        o.fulfilled_by = ex.afn ? "AMAZON" : "MERCHANT";
        if (ex.afn) o.programs = {"DELIVERY_BY_AMAZON"};
        const auto& place = kPlaces[static_cast<std::size_t>(rng.between(0, kPlaces.size() - 1))];
        const std::string name =
            std::string(kFirst[static_cast<std::size_t>(rng.between(0, kFirst.size() - 1))]) + " " +
            kLast[static_cast<std::size_t>(rng.between(0, kLast.size() - 1))];
        o.buyer_name = name;
        o.buyer_email = "buyer" + std::to_string(i + 1) + "@marketplace.amazon.com";
        o.address_name = name;
        o.address_line1 = std::to_string(rng.between(1, 999)) + " Market St";
        o.city = place.city;
        o.state = place.state;
        o.postal_code = place.zip;
        o.country_code = "US";
        ex.state_code = o.state;
        std::int64_t vat = 0;  // the VAT rate of a European order, percent
        if (eu != nullptr) {
            ++european;
            o.marketplace_id = eu->marketplace_id;
            o.currency = eu->currency;
            o.prices_include_tax = true;
            o.tax_breakdown = european % 2 == 0;
            vat = eu->vat;
            const EuPlace* ep = nullptr;
            if (eu == &kUk) {
                ep = &kUkPlaces[static_cast<std::size_t>(rng.between(0, kUkPlaces.size() - 1))];
            } else if (eu == &kFr) {
                ep = &kFrPlaces[static_cast<std::size_t>(rng.between(0, kFrPlaces.size() - 1))];
            } else if (european % 3 == 0) {
                // amazon.de shipped to France: French VAT (EU one-stop shop).
                ep = &kFrPlaces[static_cast<std::size_t>(rng.between(0, kFrPlaces.size() - 1))];
                vat = kFr.vat;
            } else {
                ep = &kDePlaces[static_cast<std::size_t>(rng.between(0, kDePlaces.size() - 1))];
            }
            o.city = ep->city;
            o.state = ep->region;
            o.postal_code = ep->zip;
            o.country_code = ep->country;
            o.address_line1 = std::to_string(rng.between(1, 99)) + " High Street";
            ex.state_code = ep->state_code;
        }
        ex.marketplace_id = o.marketplace_id;
        ex.currency = o.currency;
        ex.vat_inclusive = o.prices_include_tax;
        ex.partner_name = name;
        ex.street = o.address_line1;
        ex.city = o.city;
        ex.zip = o.postal_code;
        ex.country_code = o.country_code;
        ex.email = o.buyer_email;

        const int n_lines = static_cast<int>(rng.between(1, 4));
        std::vector<int> used;
        for (int l = 0; l < n_lines; ++l) {
            int p;
            do {
                p = static_cast<int>(rng.between(0, kProducts - 1));
            } while (std::find(used.begin(), used.end(), p) != used.end());
            used.push_back(p);
            const Product& pr = (unknown && l == n_lines - 1)
                                    ? sc.unknown_product
                                    : sc.products[static_cast<std::size_t>(p)];
            sp_api::SeedItem it;
            ExpectedLine el;
            it.order_item_id = std::to_string(10000000000000LL + i * 10LL + l);
            it.seller_sku = pr.sku;
            it.asin = pr.asin;
            it.title = pr.name;
            it.quantity = rng.between(1, 3);
            // Amazon's price may differ from Odoo's list price: the order's price wins.
            const std::int64_t unit =
                rng.chance(20) ? pr.list_price_cents - rng.between(1, 199) : pr.list_price_cents;
            it.unit_price = cents_text(unit);
            const std::int64_t tax =
                eu != nullptr ? vat_in(unit * it.quantity, vat) : tax_of(unit * it.quantity);
            it.item_tax = cents_text(tax);
            el.order_item_id = it.order_item_id;
            el.sku = pr.sku;
            el.quantity = it.quantity;
            el.unit_price_cents = unit;
            el.tax_cents = tax;
            if (rng.chance(15)) {
                it.gift_message = kGiftMessages[static_cast<std::size_t>(
                    rng.between(0, kGiftMessages.size() - 1))];
                it.gift_wrap_level = "Classic";
                el.gift_message = it.gift_message;
            }
            if (rng.chance(10)) {
                it.customized_url =
                    "https://zme-caps.amazon.com/t/" + o.order_id + "/" + std::to_string(l + 1);
                el.personalization = it.customized_url;
            }
            std::int64_t charge_taxes = 0;  // VAT within shipping and promotion (Europe)
            if (rng.chance(12)) {
                const std::int64_t discount = (unit * it.quantity) / 10;  // 10% off
                it.promotion_ids = {"PROMO-" + std::to_string(rng.between(100, 999))};
                it.promotion_discount = cents_text(discount);
                el.discount_cents = discount;
                if (eu != nullptr) {
                    it.promotion_discount_tax = cents_text(vat_in(discount, vat));
                    charge_taxes -= vat_in(discount, vat);
                }
            }
            if (!ex.afn && l == 0 && rng.chance(30)) {
                it.shipping_price = "4.99";
                el.shipping_cents = 499;
                if (eu != nullptr) {
                    it.shipping_tax = cents_text(vat_in(499, vat));
                    charge_taxes += vat_in(499, vat);
                }
            }
            // Amazon's grand total: VAT-inclusive prices already hold their tax.
            ex.grand_total_cents += unit * it.quantity + (eu != nullptr ? 0 : tax) +
                                    el.shipping_cents - el.discount_cents;
            ex.tax_total_cents += tax + charge_taxes;
            o.items.push_back(std::move(it));
            ex.lines.push_back(std::move(el));
        }

        // Timeline (scenario seconds from the start).
        double t = span * static_cast<double>(i) / static_cast<double>(options.orders);
        so.created_at = at(options, t);
        const bool duplicate = options.duplicate_every > 0 && i % options.duplicate_every == 3;
        const int notes = options.notifications ? (duplicate ? 2 : 1) : 0;
        so.create_notifications = notes;
        auto step = [&](std::string status) {
            t += gap * (0.5 + static_cast<double>(rng.between(0, 100)) / 100.0);
            sp_api::TimelineStep s;
            s.at = at(options, t);
            s.status = std::move(status);
            s.notifications = notes;
            return s;
        };
        const bool starts_pending = !unknown && rng.chance(70);
        o.status = starts_pending ? "PENDING" : "UNSHIPPED";
        if (starts_pending) so.steps.push_back(step("UNSHIPPED"));
        const bool cancelled = !unknown && rng.chance(8);
        if (cancelled) {
            so.steps.push_back(step("CANCELLED"));
            ex.amazon_final_status = "CANCELLED";
            ex.odoo_state = "cancel";
            ex.may_be_absent = true;
        } else if (ex.afn) {
            const bool partial = rng.chance(35) && (o.items.size() > 1 || o.items[0].quantity > 1);
            int pkg = 0;
            auto package = [&](sp_api::TimelineStep& s,
                               std::vector<std::pair<std::string, std::int64_t>> items) {
                sp_api::SeedPackage p;
                p.package_reference_id = std::to_string(++pkg);
                p.carrier = "AMZN_US";
                char tn[32];
                std::snprintf(tn, sizeof tn, "TBA%09d%d", 100000000 + i, pkg);
                p.tracking_number = tn;
                p.items = std::move(items);
                s.package = p;
                ex.tracking_numbers.push_back(tn);
            };
            if (partial) {
                // First package: the first line (one unit less when it is the only line).
                auto s = step("PARTIALLY_SHIPPED");
                const auto& first = o.items[0];
                const std::int64_t q = o.items.size() > 1 ? first.quantity : first.quantity - 1;
                s.shipped = {{first.order_item_id, q}};
                package(s, {{first.order_item_id, q}});
                so.steps.push_back(std::move(s));
                auto s2 = step("SHIPPED");
                std::vector<std::pair<std::string, std::int64_t>> rest;
                for (const auto& it : o.items) {
                    s2.shipped.emplace_back(it.order_item_id, it.quantity);
                    const std::int64_t before = &it == &o.items[0] ? q : 0;
                    if (it.quantity > before)
                        rest.emplace_back(it.order_item_id, it.quantity - before);
                }
                package(s2, rest);
                so.steps.push_back(std::move(s2));
            } else {
                auto s = step("SHIPPED");
                std::vector<std::pair<std::string, std::int64_t>> all;
                for (const auto& it : o.items) {
                    s.shipped.emplace_back(it.order_item_id, it.quantity);
                    all.emplace_back(it.order_item_id, it.quantity);
                }
                package(s, all);
                so.steps.push_back(std::move(s));
            }
            for (auto& l : ex.lines) l.shipped = l.quantity;
            ex.amazon_final_status = "SHIPPED";
            ex.odoo_state = "sale";
        } else {
            ex.amazon_final_status = "UNSHIPPED";
            ex.odoo_state = "sale";
        }
        ex.final_at = so.steps.empty() ? so.created_at : so.steps.back().at;
        sc.last_change = std::max(sc.last_change, ex.final_at);
        sc.orders.push_back(std::move(so));
        sc.expected.push_back(std::move(ex));
    }
    return sc;
}

void seed_amazon(const Scenario& scenario, sp_api::FakeSpApi& amazon, sp_api::FakeSpApi* europe) {
    for (const auto& o : scenario.orders) {
        auto& target = europe != nullptr && o.initial.prices_include_tax ? *europe : amazon;
        target.schedule_order(o.initial, o.created_at, o.steps, o.create_notifications);
    }
}

namespace {

std::int64_t create_product(odoo::FakeOdoo& odoo, const Product& p) {
    const bool v18 = odoo.version() >= 18;
    // The 15 % sale tax (id 1) as the default customer tax, as Odoo gives new products the
    // company's default sale tax: the import must never leave it on a line.
    odoo::Struct vals{{"name", p.name},
                      {"default_code", p.sku},
                      {"barcode", p.asin},
                      {"list_price", static_cast<double>(p.list_price_cents) / 100.0},
                      {"taxes_id", odoo::Array{odoo::Value(1)}}};
    if (v18) {
        vals.emplace("type", "consu");
        vals.emplace("is_storable", true);
    } else {
        vals.emplace("detailed_type", "product");
    }
    return odoo.create("product.product", std::move(vals));
}

}  // namespace

void seed_odoo(const Scenario& scenario, odoo::FakeOdoo& odoo) {
    odoo.add_custom_field("sale.order", "x_studio_amazon_order_type", "selection",
                          "Amazon Order Type",
                          {{"standard", "Standard"},
                           {"long_lead_time", "Long Lead Time"},
                           {"preorder", "Preorder"},
                           {"backorder", "Backorder"},
                           {"sourcing_on_demand", "Sourcing on Demand"}});
    odoo.add_custom_field("sale.order.line", "x_studio_gift_message", "text", "Gift Message");
    odoo.add_custom_field("sale.order.line", "x_studio_personalization", "text", "Personalization");
    bool has_amz = false;
    for (const auto& w : odoo.records("stock.warehouse")) {
        if (w.at("code") == odoo::Value("AMZ")) has_amz = true;
    }
    if (!has_amz) {
        auto loc = odoo.create(
            "stock.location",
            odoo::Struct{{"name", "Stock"}, {"complete_name", "AMZ/Stock"}, {"usage", "internal"}});
        odoo.create("stock.warehouse",
                    odoo::Struct{{"name", "Amazon FBA"}, {"code", "AMZ"}, {"lot_stock_id", loc}});
    }
    std::set<std::string> existing;
    for (const auto& p : odoo.records("product.product")) {
        if (auto code = p.at("default_code").as_string()) existing.insert(*code);
    }
    for (const auto& p : scenario.products) {
        if (!existing.count(p.sku)) create_product(odoo, p);
    }
    // Service products for the order import's shipping and promotion lines
    // (flows.order_import.shipping_product / discount_product).
    for (const auto& [code, name] : {std::pair<const char*, const char*>{"SHIP", "Amazon shipping"},
                                     {"PROMO", "Amazon promotion"}}) {
        if (existing.count(code)) continue;
        odoo.create("product.product",
                    odoo::Struct{{"name", name},
                                 {"default_code", code},
                                 {odoo.version() >= 18 ? "type" : "detailed_type", "service"},
                                 {"taxes_id", odoo::Array{odoo::Value(1)}}});
    }
    odoo.add_european_base_data();
    // European orders: a pricelist per currency (the sale order's currency) and the
    // price-included VAT the daemon config maps (daemon_config.hpp).
    std::set<std::string> pricelists, taxes;
    for (const auto& p : odoo.records("product.pricelist")) {
        if (auto n = p.at("name").as_string()) pricelists.insert(*n);
    }
    for (const auto& t : odoo.records("account.tax")) {
        if (auto n = t.at("name").as_string()) taxes.insert(*n);
    }
    for (const auto& [name, currency] :
         {std::pair<const char*, int>{"Amazon EUR", 2}, {"Amazon GBP", 3}}) {
        if (!pricelists.count(name)) {
            odoo.create("product.pricelist",
                        odoo::Struct{{"name", name}, {"currency_id", currency}});
        }
    }
    for (const auto& [name, rate] : {std::pair<const char*, double>{"DE VAT 19% incl", 19},
                                     {"FR VAT 20% incl", 20},
                                     {"UK VAT 20% incl", 20}}) {
        if (!taxes.count(name)) {
            odoo.create("account.tax", odoo::Struct{{"name", name},
                                                    {"amount", rate},
                                                    {"type_tax_use", "sale"},
                                                    {"price_include", true}});
        }
    }
}

void add_unknown_product(const Scenario& scenario, odoo::FakeOdoo& odoo) {
    for (const auto& p : odoo.records("product.product")) {
        auto it = p.find("default_code");
        if (it != p.end() && it->second == odoo::Value(scenario.unknown_product.sku)) return;
    }
    create_product(odoo, scenario.unknown_product);
}

bool ships_from_odoo(const Scenario& scenario, const ExpectedOrder& order) {
    if (order.afn || order.unknown_sku || order.amazon_final_status != "UNSHIPPED") return false;
    int n = 0;
    for (const auto& e : scenario.expected) {
        if (e.afn || e.unknown_sku || e.amazon_final_status != "UNSHIPPED") continue;
        if (&e == &order) return n % 2 == 0;
        ++n;
    }
    return false;
}

int ship_merchant_orders(const Scenario& scenario, odoo::FakeOdoo& odoo, Clock::time_point now) {
    std::map<std::string, const ExpectedOrder*> to_ship;
    for (const auto& e : scenario.expected) {
        if (e.final_at <= now && ships_from_odoo(scenario, e)) to_ship[e.order_id] = &e;
    }
    std::map<std::int64_t, bool> confirmed_orders;
    for (const auto& so : odoo.records("sale.order")) {
        auto ref = so.find("client_order_ref");
        if (ref == so.end() || !to_ship.count(ref->second.as_string().value_or(""))) continue;
        if (so.at("state") == odoo::Value("sale"))
            confirmed_orders[so.at("id").as_int().value_or(0)] = true;
    }
    if (confirmed_orders.empty()) return 0;
    std::int64_t ups = 0;
    for (const auto& c : odoo.records("delivery.carrier")) {
        if (c.at("name") == odoo::Value("UPS")) ups = c.at("id").as_int().value_or(0);
    }
    if (ups == 0) ups = odoo.create("delivery.carrier", odoo::Struct{{"name", "UPS"}});
    int shipped = 0;
    const bool v17 = odoo.version() >= 17;
    for (const auto& p : odoo.records("stock.picking")) {
        auto sale = p.find("sale_id");
        if (sale == p.end() || !confirmed_orders.count(sale->second.m2o_id().value_or(0)) ||
            p.at("state") != odoo::Value("assigned")) {
            continue;
        }
        const auto id = p.at("id").as_int().value_or(0);
        for (const auto& m : odoo.records("stock.move")) {
            auto pick = m.find("picking_id");
            if (pick == m.end() || pick->second.m2o_id() != id) continue;
            const auto qty = m.at("product_uom_qty");
            odoo.write("stock.move", m.at("id").as_int().value_or(0),
                       v17 ? odoo::Struct{{"quantity", qty}, {"picked", true}}
                           : odoo::Struct{{"quantity_done", qty}});
        }
        odoo.write("stock.picking", id,
                   odoo::Struct{{"carrier_id", ups},
                                {"carrier_tracking_ref", "1ZSBX" + std::to_string(100000 + id)}});
        odoo.call("stock.picking", "button_validate", {id},
                  odoo::Struct{{"skip_sms", true}, {"skip_immediate", true}});
        ++shipped;
    }
    return shipped;
}

}  // namespace clarity::fakes::sandbox
