// Finances API codecs: see clarity/amazon/finances_api.hpp.
#include "clarity/amazon/finances_api.hpp"

#include "json_util.hpp"
#include "query.hpp"

namespace clarity::amazon {

using namespace detail;

namespace {

std::optional<model::Money> money_v0(const json& j, std::string_view key) {
    return money(j, key, "CurrencyAmount", "CurrencyCode");
}

std::vector<ChargeOrFee> components(const json& j,
                                    std::string_view list,
                                    std::string_view type,
                                    std::string_view amount) {
    std::vector<ChargeOrFee> out;
    for (const auto& c : array_or_empty(j, list)) {
        if (auto m = money_v0(c, amount)) out.push_back({str(c, type), *m});
    }
    return out;
}

}  // namespace

Result<FinancialEventGroupsPage> decode_financial_event_groups(std::string_view body) {
    auto j = parse_body(body, "listFinancialEventGroups");
    if (!j) return j.error();
    auto* p = member(j->v, "payload");
    if (p == nullptr) return missing_field("listFinancialEventGroups", "payload");
    FinancialEventGroupsPage page;
    for (const auto& g : array_or_empty(*p, "FinancialEventGroupList")) {
        page.groups.push_back({str(g, "FinancialEventGroupId"), str(g, "ProcessingStatus"),
                               str(g, "FundTransferStatus"), str(g, "FundTransferDate"),
                               str(g, "TraceId"), str(g, "FinancialEventGroupStart"),
                               str(g, "FinancialEventGroupEnd"), money_v0(g, "OriginalTotal"),
                               money_v0(g, "ConvertedTotal"), money_v0(g, "BeginningBalance")});
    }
    auto t = str(*p, "NextToken");
    if (!t.empty()) page.next_token = t;
    return page;
}

Result<FinancialEventsPage> decode_financial_events(std::string_view body) {
    auto j = parse_body(body, "listFinancialEvents");
    if (!j) return j.error();
    auto* p = member(j->v, "payload");
    if (p == nullptr) return missing_field("listFinancialEvents", "payload");
    FinancialEventsPage page;
    if (auto* fe = member(*p, "FinancialEvents"); fe != nullptr && fe->is_object()) {
        for (auto it = fe->begin(); it != fe->end(); ++it) {
            const bool shipment = it.key() == "ShipmentEventList";
            const bool refund = it.key() == "RefundEventList";
            if (!shipment && !refund) {
                if (it->is_array() && !it->empty()) page.other_lists.push_back(it.key());
                continue;
            }
            for (const auto& e : array_or_empty(*fe, it.key())) {
                ShipmentEvent ev{str(e, "AmazonOrderId"),
                                 str(e, "SellerOrderId"),
                                 str(e, "MarketplaceName"),
                                 str(e, "PostedDate"),
                                 refund,
                                 {}};
                auto list = refund ? "ShipmentItemAdjustmentList" : "ShipmentItemList";
                for (const auto& i : array_or_empty(e, list)) {
                    ShipmentItemEvent item;
                    item.seller_sku = str(i, "SellerSKU");
                    item.order_item_id = str(i, "OrderItemId");
                    item.order_adjustment_item_id = str(i, "OrderAdjustmentItemId");
                    item.quantity_shipped = integer(i, "QuantityShipped");
                    item.charges =
                        components(i, refund ? "ItemChargeAdjustmentList" : "ItemChargeList",
                                   "ChargeType", "ChargeAmount");
                    item.fees = components(i, refund ? "ItemFeeAdjustmentList" : "ItemFeeList",
                                           "FeeType", "FeeAmount");
                    for (const auto& pr :
                         array_or_empty(i, refund ? "PromotionAdjustmentList" : "PromotionList")) {
                        if (auto m = money_v0(pr, "PromotionAmount")) {
                            item.promotions.push_back({str(pr, "PromotionType"), *m});
                        }
                    }
                    for (const auto& tw : array_or_empty(i, "ItemTaxWithheldList")) {
                        auto c = components(tw, "TaxesWithheld", "ChargeType", "ChargeAmount");
                        item.taxes_withheld.insert(item.taxes_withheld.end(), c.begin(), c.end());
                    }
                    ev.items.push_back(std::move(item));
                }
                page.shipment_events.push_back(std::move(ev));
            }
        }
    }
    auto t = str(*p, "NextToken");
    if (!t.empty()) page.next_token = t;
    return page;
}

Result<TransactionsPage> decode_transactions(std::string_view body) {
    auto j = parse_body(body, "listTransactions");
    if (!j) return j.error();
    auto* p = member(j->v, "payload");
    if (p == nullptr) return missing_field("listTransactions", "payload");
    TransactionsPage page;
    for (const auto& t : array_or_empty(*p, "transactions")) {
        Transaction tx{str(t, "transactionId"),
                       str(t, "transactionType"),
                       str(t, "transactionStatus"),
                       str(t, "description"),
                       str(t, "postedDate"),
                       money(t, "totalAmount", "currencyAmount", "currencyCode"),
                       {}};
        for (const auto& r : array_or_empty(t, "relatedIdentifiers")) {
            tx.related_identifiers.emplace_back(str(r, "relatedIdentifierName"),
                                                str(r, "relatedIdentifierValue"));
        }
        page.transactions.push_back(std::move(tx));
    }
    auto t = str(*p, "nextToken");
    if (!t.empty()) page.next_token = t;
    return page;
}

}  // namespace clarity::amazon
