// The pieces the flows share (src/flows/common/): dead letters, product look-ups, service lines,
// the totals check and the customer of an Amazon buyer.
#include <gtest/gtest.h>

#include "clarity/core/metrics.hpp"
#include "clarity/model/order.hpp"
#include "common/dead_letter.hpp"
#include "common/partners.hpp"
#include "common/products.hpp"
#include "common/service_lines.hpp"
#include "common/totals.hpp"

namespace clarity::flows {
namespace {

model::Money usd(std::int64_t cents) { return model::Money{model::Decimal(cents, 2), "USD"}; }

TEST(FlowsCommon, OdooRefusalIsADeadLetterWithOdoosWordsTheFixAndTheReplay) {
    core::MetricsRegistry metrics;
    DeadLetters dead(metrics, "eu", "clarity_orders_failed_total", "help", "flows.order_import");
    JobContext ctx;
    ctx.job.id = 42;
    const Error refused{ErrorKind::permanent, "ValidationError: no VAT"};
    const Error e = dead.odoo_refused(refused, {ctx, "order 1-2-3", "the sale order", "Fix it"});
    EXPECT_EQ(e.kind, ErrorKind::permanent);
    EXPECT_EQ(e.message,
              "order 1-2-3: Odoo refused the sale order: ValidationError: no VAT. Fix it, then run "
              "`clarity-connect queue replay 42`.");
    EXPECT_EQ(e.context, "flows.order_import");
    auto& failed = metrics.counter("clarity_orders_failed_total", "help",
                                   {{"connection", "eu"}, {"reason", "odoo_refused"}});
    EXPECT_EQ(failed.value(), 1);

    // Not a refusal: passed on as it is, for the engine to retry; nothing counted.
    const Error down{ErrorKind::transient, "connection refused"};
    const Error t = dead.odoo_refused(down, {ctx, "order 1-2-3", "the sale order", "Fix it"});
    EXPECT_EQ(t.kind, ErrorKind::transient);
    EXPECT_EQ(t.message, "connection refused");
    EXPECT_EQ(failed.value(), 1);
}

TEST(FlowsCommon, AnActionOdooAcceptedButDidNotDoIsADeadLetter) {
    core::MetricsRegistry metrics;
    DeadLetters dead(metrics, "eu", "clarity_orders_failed_total", "help", "flows.order_import");
    JobContext ctx;
    ctx.job.id = 7;
    OdooUnchanged u{ctx,
                    "order 1-2-3",
                    "action_confirm",
                    "sale order 9",
                    "order",
                    "draft",
                    "confirmed",
                    "Confirm it in Odoo (Sales > Orders) to see what stops it, fix that"};
    EXPECT_EQ(dead.odoo_unchanged(u).message,
              "order 1-2-3: Odoo accepted action_confirm on sale order 9 but the order is in state "
              "'draft' afterwards, not confirmed. Confirm it in Odoo (Sales > Orders) to see what "
              "stops it, fix that, then run `clarity-connect queue replay 7`.");
    u.state.clear();
    EXPECT_NE(dead.odoo_unchanged(u).message.find("but the order is gone afterwards"),
              std::string::npos);
    EXPECT_EQ(metrics
                  .counter("clarity_orders_failed_total", "help",
                           {{"connection", "eu"}, {"reason", "odoo_unchanged"}})
                  .value(),
              2);
}

TEST(FlowsCommon, ProductLookupAsksEachCodeOnceWithTheAliasesOfItsItems) {
    const std::map<std::string, std::string> aliases{{"B0ASIN0001", "CODE-A"}, {"SKU-2", "CODE-B"}};
    ProductLookup products(aliases);
    products.item("SKU-1", {"SKU-1", "B0ASIN0001"});
    products.item("SKU-2", {"SKU-2", "B0ASIN0002"});
    products.want_sku("SKU-1");
    products.want_sku("SKU-2");
    products.want_sku("SKU-1");
    products.want("");
    products.want("SHIP");
    EXPECT_EQ(products.codes(),
              (std::vector<std::string>{"SKU-1", "CODE-A", "SKU-2", "CODE-B", "SHIP"}));
    EXPECT_FALSE(products.id("SKU-1"));  // nothing loaded
}

TEST(FlowsCommon, ServiceLinesFollowAmazonsItemsAndCharges) {
    model::Order order;
    model::OrderLine a;
    a.sku = "A";
    a.shipping_price = usd(500);
    a.shipping_discount = usd(100);
    a.shipping_tax = usd(41);
    a.gift_wrap_price = usd(299);
    model::OrderLine b;
    b.sku = "B";
    b.shipping_price = usd(300);
    b.shipping_discount = usd(300);
    b.shipping_discount_tax = usd(25);  // taxed on its own: a line of its own
    b.promotion_discount = usd(150);
    b.promotion_discount_tax = usd(12);
    order.lines = {a, b};
    ServiceProducts products{"SHIP", "PROMO", "WRAP", ""};
    const auto lines = service_lines(products, order);
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_EQ(lines[0].name, "Amazon shipping: A");
    EXPECT_EQ(lines[0].amount, model::Decimal(400, 2));
    EXPECT_EQ(lines[0].amazon_tax, model::Decimal(41, 2));
    EXPECT_EQ(lines[1].name, "Amazon shipping: B");
    EXPECT_EQ(lines[1].amount, model::Decimal(300, 2));
    EXPECT_EQ(lines[2].name, "Amazon shipping discount: B");
    EXPECT_EQ(lines[2].amount, model::Decimal(-300, 2));
    EXPECT_EQ(lines[2].amazon_tax, model::Decimal(-25, 2));
    EXPECT_EQ(lines[3].product, "WRAP");
    EXPECT_FALSE(lines[3].amazon_tax);
    EXPECT_EQ(lines[4].name, "Amazon promotion: B");
    EXPECT_EQ(lines[4].amount, model::Decimal(-150, 2));

    EXPECT_EQ(products.adjustment_code(), "PROMO");
    EXPECT_EQ((ServiceProducts{"SHIP", "", "WRAP", ""}).adjustment_code(), "SHIP");
    EXPECT_EQ((ServiceProducts{"SHIP", "", "", "ROUND"}).adjustment_code(), "ROUND");
    EXPECT_TRUE(service_lines(ServiceProducts{}, order).empty());
}

TEST(FlowsCommon, TaxDifferencesPerLineAndForTheOrder) {
    std::vector<TaxCheckLine> lines{{"Item A", model::Decimal(190, 2), true},
                                    {"Amazon shipping: A", model::Decimal(50, 2), true}};
    EXPECT_EQ(tax_differences(lines, std::vector<double>{1.90, 0.50}, 2.40, 2, false), "");
    EXPECT_EQ(tax_differences(lines, std::vector<double>{1.90, 0.49}, 2.39, 2, false),
              "line 2 'Amazon shipping: A': Odoo 0.49, Amazon 0.50; order tax: Odoo 2.39, "
              "Amazon 2.40");
    // Rounding globally: no per-line check, a cent per taxed line tolerated on the order.
    EXPECT_EQ(tax_differences(lines, std::nullopt, 2.38, 2, true), "");
    EXPECT_EQ(tax_differences(lines, std::nullopt, 2.37, 2, true),
              "order tax: Odoo 2.37, Amazon 2.40");
    // A taxed line without Amazon's figure: no check of the order's tax.
    lines.push_back({"Gift wrap", std::nullopt, true});
    EXPECT_EQ(tax_differences(lines, std::nullopt, 9.99, 2, false), "");
}

TEST(FlowsCommon, TotalCheckAtTheCurrencysPrecision) {
    const TotalCheck c = check_total(usd(10000), 99.99);
    EXPECT_EQ(c.precision, 2);
    EXPECT_EQ(c.odoo, model::Decimal(9999, 2));
    EXPECT_EQ(c.difference, model::Decimal(1, 2));
    const TotalCheck yen = check_total(model::Money{model::Decimal(1500, 0), "JPY"}, 1500.0);
    EXPECT_EQ(yen.precision, 0);
    EXPECT_TRUE(yen.difference.is_zero());
}

TEST(FlowsCommon, TheCustomerOfABuyerHasAStableKey) {
    model::Party buyer;
    buyer.email = "Buyer@Marketplace.Amazon.com";
    model::Address ship;
    ship.name = "Jane DOE";
    ship.postal_code = "10115";
    ship.country_code = "DE";
    auto by_email = amazon_customer(buyer, ship, "1-2-3");
    EXPECT_EQ(by_email.key, "email:buyer@marketplace.amazon.com");
    EXPECT_EQ(by_email.name, "Jane DOE");
    auto by_address = amazon_customer(model::Party{}, ship, "1-2-3");
    EXPECT_EQ(by_address.key, "addr:jane doe|10115|DE");
    auto by_order = amazon_customer(model::Party{}, std::nullopt, "1-2-3");
    EXPECT_EQ(by_order.key, "order:1-2-3");
    EXPECT_EQ(by_order.name, "Amazon customer 1-2-3");
}

}  // namespace
}  // namespace clarity::flows
