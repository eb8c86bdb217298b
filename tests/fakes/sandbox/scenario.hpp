#pragma once
/// \file
/// The sandbox scenario: a deterministic (seeded) stream of Amazon orders that change over time,
/// the Odoo data they need, and the outcome the order import must reach for each order — shared
/// by the `clarity-sandbox` executable, `make demo` and the end-to-end tests.
///
/// `generate` is pure (same options, same scenario). `seed_amazon` schedules the orders on a
/// FakeSpApi (creation and every later change at their times), `seed_odoo` creates the products,
/// the FBA warehouse and the Studio custom fields on a FakeOdoo, and `check` compares what the
/// fake Odoo holds with the expected outcomes.
/// Thread-safety: the functions take the fakes' own locks; a Scenario is immutable once built.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "clarity/core/clock.hpp"
#include "odoo/fake_odoo.hpp"
#include "sp_api/fake_sp_api.hpp"

namespace clarity::fakes::sandbox {

struct ScenarioOptions {
    int orders = 50;          ///< seeded orders (the unknown-SKU order included)
    std::uint64_t seed = 1;   ///< RNG seed: same seed, same scenario
    Clock::time_point start;  ///< when the first order is created (fake-SP-API clock)
    /// Scenario time is divided by `speed` (real time = scenario time / speed). At speed 1 orders
    /// are created over `creation_span` and each changes a few minutes after the previous change.
    double speed = 1.0;
    std::chrono::seconds creation_span{std::chrono::minutes(10)};
    std::chrono::seconds step_gap{std::chrono::minutes(3)};  ///< mean time between two changes
    bool unknown_sku = true;  ///< one order has a line whose SKU Odoo does not know
    /// Every Nth order's notifications are delivered twice (0 = never).
    int duplicate_every = 7;
    /// Notifications on the fake SQS queue (false: only the polling sweep finds the changes).
    bool notifications = true;
    /// European orders among the amazon.com ones: every Nth order comes from amazon.co.uk,
    /// else amazon.fr, else amazon.de (0 = none; the unknown-SKU order stays on amazon.com).
    /// They are VAT-inclusive, in GBP or EUR, shipped within Europe (every third amazon.de order
    /// to France, with French VAT under the one-stop shop); every other one comes without
    /// Amazon's TAX breakdown (as the Orders API 2026-01-01 may answer).
    int uk_every = 0;
    int fr_every = 0;
    int de_every = 0;
};

/// A product of the seller's catalogue (Odoo product.product with default_code = sku).
struct Product {
    std::string sku, asin, name;
    std::int64_t list_price_cents = 0;
};

/// One line as it must end up in Odoo.
struct ExpectedLine {
    std::string order_item_id, sku;
    std::int64_t quantity = 0;
    std::int64_t unit_price_cents = 0;  ///< price_unit, to the cent
    /// Amazon's item tax: 15 % of the line, rounded half up, on amazon.com; the VAT within the
    /// gross line price elsewhere.
    std::int64_t tax_cents = 0;
    std::int64_t discount_cents = 0;  ///< promotion discount of the line (0 = none)
    std::int64_t shipping_cents = 0;  ///< shipping charged for the line (0 = none)
    std::string gift_message;         ///< x_studio_gift_message ("" = unset)
    std::string personalization;      ///< x_studio_personalization (the customized URL)
    std::int64_t shipped = 0;         ///< units Amazon shipped in the end
};

/// One order's expected outcome.
struct ExpectedOrder {
    std::string order_id;
    bool afn = false;                 ///< fulfilled by Amazon (warehouse AMZ), else MFN (WH)
    std::string amazon_final_status;  ///< SHIPPED, UNSHIPPED, CANCELLED
    std::string odoo_state;           ///< sale.order state at the end: "sale" or "cancel"
    /// A cancelled order the daemon never saw before its cancellation has no sale.order (the
    /// flow does not create cancelled orders); one it saw must end in state cancel.
    bool may_be_absent = false;
    bool unknown_sku = false;  ///< dead-lettered until the product exists and it is replayed
    std::string order_type = "standard";  ///< x_studio_amazon_order_type
    std::string partner_name, street, city, zip, state_code, country_code, email;
    std::vector<ExpectedLine> lines;
    std::vector<std::string> tracking_numbers;  ///< AFN shipped: pickings done with these
    std::int64_t grand_total_cents = 0;         ///< Amazon's grand total
    std::string marketplace_id = "ATVPDKIKX0DER";
    std::string currency = "USD";      ///< the sale order's currency (its pricelist's)
    bool vat_inclusive = false;        ///< prices include the tax (VAT)
    std::int64_t tax_total_cents = 0;  ///< every tax Amazon charged (items, shipping, promotions)
    Clock::time_point final_at;        ///< when the last change happens
};

/// An order's life on the fake SP-API.
struct ScheduledOrder {
    sp_api::SeedOrder initial;
    Clock::time_point created_at;
    std::vector<sp_api::TimelineStep> steps;
    int create_notifications = 1;
};

struct Scenario {
    ScenarioOptions options;
    std::vector<Product> products;  ///< seeded in Odoo
    Product unknown_product;        ///< sold on Amazon, not in Odoo until the operator adds it
    std::vector<ScheduledOrder> orders;
    std::vector<ExpectedOrder> expected;  ///< same order as `orders`
    Clock::time_point last_change;        ///< when the last order reaches its final status

    const ExpectedOrder* find(const std::string& order_id) const;
};

/// Builds the scenario. Throws std::invalid_argument when orders < 1 or speed <= 0.
Scenario generate(const ScenarioOptions& options);

/// Schedules every order (creation and changes) on the fake SP-API: the European ones on
/// `europe` when given (a second fake: the eu region's endpoint), else on `amazon`.
void seed_amazon(const Scenario& scenario,
                 sp_api::FakeSpApi& amazon,
                 sp_api::FakeSpApi* europe = nullptr);

/// Seeds the fake Odoo: the products (not the unknown one; each with the 15 % sale tax as its
/// default customer tax, which no imported line may keep), warehouse AMZ (FBA) next to WH, the
/// Studio fields x_studio_amazon_order_type (sale.order), x_studio_gift_message and
/// x_studio_personalization (sale.order.line), the service products SHIP and PROMO for shipping
/// and promotion lines, and for European orders the pricelists "Amazon EUR" and "Amazon GBP"
/// and the price-included taxes "DE VAT 19% incl", "FR VAT 20% incl" and "UK VAT 20% incl".
/// Idempotent.
void seed_odoo(const Scenario& scenario, odoo::FakeOdoo& odoo);

/// The merchant-fulfilled orders the sandbox's warehouse ships from Odoo (every other MFN order
/// that stays Unshipped on Amazon, from the first): their deliveries are validated in the fake
/// Odoo with carrier "UPS" and a tracking number once the order's last Amazon change has passed,
/// and the daemon's fulfillment_status flow confirms them on Amazon.
bool ships_from_odoo(const Scenario& scenario, const ExpectedOrder& order);
/// Validates, as a warehouse clerk would, the open deliveries of the orders ships_from_odoo()
/// names whose sale order is confirmed and whose last Amazon change is before `now`: the
/// carrier "UPS" (created when missing), tracking number "1ZSBX<delivery id>", every quantity.
/// Returns how many it validated.
int ship_merchant_orders(const Scenario& scenario, odoo::FakeOdoo& odoo, Clock::time_point now);

/// Creates the unknown product in the fake Odoo (what the operator does before `queue replay`).
void add_unknown_product(const Scenario& scenario, odoo::FakeOdoo& odoo);

/// What the fake Odoo holds compared with the expected outcomes.
struct Status {
    int seeded = 0;             ///< orders in the scenario
    int created_on_amazon = 0;  ///< orders whose creation time has passed
    int in_odoo = 0;            ///< expected orders with a sale.order (by client_order_ref)
    int sale_orders = 0;        ///< sale.order records carrying a seeded order id
    int duplicates = 0;         ///< extra sale.orders for one Amazon order
    int confirmed = 0;          ///< state sale
    int cancelled = 0;          ///< state cancel
    int shipped = 0;            ///< AFN orders whose deliveries are done with the tracking numbers
    int final_state = 0;        ///< orders that match their expected outcome completely
    int dead_letter_expected = 0;  ///< orders that must be dead-lettered (unknown SKU) while
                                   ///< the product is missing
    int cancelled_absent = 0;      ///< settled cancelled orders without a sale.order (final)
    int european = 0;         ///< European orders (VAT-inclusive, EUR/GBP) in their final state
    int awaiting_amazon = 0;  ///< orders whose last Amazon change is still to come
    int mfn_to_ship = 0;      ///< MFN orders the sandbox's warehouse ships (ships_from_odoo)
    int mfn_shipped = 0;      ///< of them, with their deliveries done in the fake Odoo
    std::vector<std::string> mismatches;  ///< "order id: what differs" (final-status orders)
};

/// Compares the fake Odoo's records with the expected outcomes at `now` (orders whose last
/// Amazon change lies in the future are not yet expected in their final state). At most
/// `max_mismatches` mismatch lines are kept.
Status check(const Scenario& scenario,
             const odoo::FakeOdoo& odoo,
             Clock::time_point now,
             std::size_t max_mismatches = 20);

/// The status as JSON (GET /sandbox/status).
std::string to_json(const Status& status);

/// "12.50" for 1250.
std::string cents_text(std::int64_t cents);

}  // namespace clarity::fakes::sandbox
