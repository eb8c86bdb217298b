#include "clarity/amazon/marketplace_pricing.hpp"

#include <array>

// Marketplace ids and domains: Amazon's marketplace-id list
// (https://developer-docs.amazon.com/sp-api/docs/marketplace-ids, NOTES.md §1.4); currencies are
// the ones each marketplace sells in.
//
// Whether prices include the tax. Amazon shows buyers, and sends sellers, the price the buyer pays:
// - EU marketplaces (IE, ES, FR, BE, NL, DE, IT, SE, PL): consumer prices must include VAT
//   (Directive 98/6/EC, art. 2(a): the selling price is the final price including VAT and all
//   other taxes). Amazon's SP-API documentation says so of its order data: "ItemPrice ...
//   Contains the VAT-inclusive price", "ItemTax ... Contains the VAT amount", "the VAT-exclusive
//   amount is the item price minus the item tax"
//   (https://developer-docs.amazon.com/sp-api/docs/option-1-allow-amazon-to-create-invoices-for-you).
// - UK: the Price Marking Order 2004 (SI 2004/102): selling prices include VAT.
// - TR, EG, SA, AE, ZA (VAT), IN and SG (GST), AU (GST: the single-price rule of the Australian
//   Consumer Law, s 48), JP (consumption tax: total-amount display, required since April 2021),
//   MX (IVA: Ley Federal de Protección al Consumidor, art. 7 Bis, total price with taxes) and BR
//   (taxes are part of the price): consumer prices include the tax.
// - US and CA: prices exclude sales tax / GST-HST-PST, which Amazon adds at checkout (and reports
//   separately as ItemTax, ShippingTax, ...).

namespace clarity::amazon {
namespace {

constexpr std::array kPricing = {
    MarketplacePricing{"A2EUQ1WTGCTBG2", "amazon.ca", "CAD", false},
    MarketplacePricing{"ATVPDKIKX0DER", "amazon.com", "USD", false},
    MarketplacePricing{"A1AM78C64UM0Y8", "amazon.com.mx", "MXN", true},
    MarketplacePricing{"A2Q3Y263D00KWC", "amazon.com.br", "BRL", true},
    MarketplacePricing{"A28R8C7NBKEWEA", "amazon.ie", "EUR", true},
    MarketplacePricing{"A1RKKUPIHCS9HS", "amazon.es", "EUR", true},
    MarketplacePricing{"A1F83G8C2ARO7P", "amazon.co.uk", "GBP", true},
    MarketplacePricing{"A13V1IB3VIYZZH", "amazon.fr", "EUR", true},
    MarketplacePricing{"AMEN7PMS3EDWL", "amazon.com.be", "EUR", true},
    MarketplacePricing{"A1805IZSGTT6HS", "amazon.nl", "EUR", true},
    MarketplacePricing{"A1PA6795UKMFR9", "amazon.de", "EUR", true},
    MarketplacePricing{"APJ6JRA9NG5V4", "amazon.it", "EUR", true},
    MarketplacePricing{"A2NODRKZP88ZB9", "amazon.se", "SEK", true},
    MarketplacePricing{"AE08WJ6YKNBMC", "amazon.co.za", "ZAR", true},
    MarketplacePricing{"A1C3SOZRARQ6R3", "amazon.pl", "PLN", true},
    MarketplacePricing{"ARBP9OOSHTCHU", "amazon.eg", "EGP", true},
    MarketplacePricing{"A33AVAJ2PDY3EV", "amazon.com.tr", "TRY", true},
    MarketplacePricing{"A17E79C6D8DWNP", "amazon.sa", "SAR", true},
    MarketplacePricing{"A2VIGQ35RCS4UG", "amazon.ae", "AED", true},
    MarketplacePricing{"A21TJRUUN4KGV", "amazon.in", "INR", true},
    MarketplacePricing{"A19VAU5U5O7RUS", "amazon.sg", "SGD", true},
    MarketplacePricing{"A39IBJ37TRP1C6", "amazon.com.au", "AUD", true},
    MarketplacePricing{"A1VC38T7YXB528", "amazon.co.jp", "JPY", true},
};

}  // namespace

std::span<const MarketplacePricing> all_marketplace_pricing() noexcept { return kPricing; }

const MarketplacePricing* marketplace_pricing(std::string_view marketplace_id) noexcept {
    for (const auto& m : kPricing) {
        if (m.marketplace_id == marketplace_id) return &m;
    }
    return nullptr;
}

std::string describe_marketplace(std::string_view marketplace_id) {
    const auto* m = marketplace_pricing(marketplace_id);
    if (m == nullptr) return std::string(marketplace_id);
    return std::string(m->domain) + " (" + std::string(marketplace_id) + ")";
}

}  // namespace clarity::amazon
