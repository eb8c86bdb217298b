#include "clarity/amazon/settlement_finances.hpp"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

#include "clarity/amazon/settlement_report.hpp"
#include "clarity/core/json_text.hpp"

namespace clarity::amazon {

namespace {

using json = nlohmann::json;
using model::Decimal;
using model::FinancialEvent;

// Builds a DOM in which every floating-point number is kept as its source text (a JSON string),
// so currency amounts are read exactly by Decimal::parse instead of through a double.
class ExactDomBuilder : public nlohmann::json_sax<json> {
  public:
    explicit ExactDomBuilder(json& root) : root_(root) {}

    bool null() override { return put(json(nullptr)); }
    bool boolean(bool v) override { return put(json(v)); }
    bool number_integer(number_integer_t v) override { return put(json(v)); }
    bool number_unsigned(number_unsigned_t v) override { return put(json(v)); }
    bool number_float(number_float_t /*v*/, const string_t& s) override { return put(json(s)); }
    bool string(string_t& v) override { return put(json(std::move(v))); }
    bool binary(binary_t& v) override { return put(json::binary(std::move(v))); }
    bool start_object(std::size_t /*n*/) override { return open(json::object()); }
    bool key(string_t& k) override {
        key_ = std::move(k);
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t /*n*/) override { return open(json::array()); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t position,
                     const std::string& /*token*/,
                     const nlohmann::detail::exception& ex) override {
        error_ = "not valid JSON at byte " + std::to_string(position) + ": " + ex.what();
        return false;
    }
    const std::string& error() const { return error_; }

  private:
    json* put(json v, bool& ok) {
        ok = true;
        if (stack_.empty()) {
            root_ = std::move(v);
            return &root_;
        }
        json& parent = *stack_.back();
        if (parent.is_array()) {
            parent.push_back(std::move(v));
            return &parent.back();
        }
        json& slot = parent[key_];
        slot = std::move(v);
        return &slot;
    }
    bool put(json v) {
        bool ok = false;
        put(std::move(v), ok);
        return ok;
    }
    bool open(json v) {
        bool ok = false;
        stack_.push_back(put(std::move(v), ok));
        return ok;
    }
    bool close() {
        stack_.pop_back();
        return true;
    }

    json& root_;
    std::vector<json*> stack_;
    std::string key_;
    std::string error_;
};

// Parses into `root`; on failure returns the error.
std::optional<Error> parse_exact(std::string_view text, std::string_view what, json& root) {
    if (auto at = core::json_too_deep_at(text)) {
        return make_error(
            ErrorKind::permanent,
            std::string(what) + " response is refused: " + core::json_depth_message(*at),
            "finances");
    }
    ExactDomBuilder builder(root);
    const bool ok = json::sax_parse(text.begin(), text.end(), &builder);
    if (!ok) {
        return make_error(ErrorKind::permanent,
                          std::string(what) + " response is " +
                              (builder.error().empty() ? "not valid JSON" : builder.error()),
                          "finances");
    }
    return std::nullopt;
}

std::string str(const json& obj, const char* key) {
    if (!obj.is_object()) return {};
    const auto it = obj.find(key);
    if (it == obj.end() || !it->is_string()) return {};
    return it->get<std::string>();
}

const json& member(const json& obj, const char* key) {
    static const json kNull;
    if (!obj.is_object()) return kNull;
    const auto it = obj.find(key);
    return it == obj.end() ? kNull : *it;
}

struct Context {
    std::vector<FinancialEvent>& out;
    std::vector<std::string>& warnings;
};

// Reads {CurrencyCode, CurrencyAmount} (v0) or {currencyCode, currencyAmount} (2024-06-19).
std::optional<model::Money> read_money(const json& cur, Context& ctx, std::string_view where) {
    if (!cur.is_object()) return std::nullopt;
    const json& amount =
        cur.contains("CurrencyAmount") ? cur["CurrencyAmount"] : member(cur, "currencyAmount");
    std::string code = str(cur, "CurrencyCode");
    if (code.empty()) code = str(cur, "currencyCode");
    std::optional<Decimal> value;
    if (amount.is_number_integer()) {
        if (amount.is_number_unsigned() &&
            amount.get<std::uint64_t>() >
                static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            value = std::nullopt;
        } else {
            value = Decimal::from_int(amount.get<std::int64_t>());
        }
    } else if (amount.is_string()) {
        value = Decimal::parse(amount.get<std::string>());
    }
    if (!value) {
        ctx.warnings.push_back(std::string(where) + ": amount " + amount.dump() +
                               " is not an exact decimal; skipped");
        return std::nullopt;
    }
    return model::Money{*value, code};
}

std::string iso(const std::string& text) {
    if (text.empty()) return {};
    auto v = normalize_settlement_date(text, SlashDateOrder::month_first);
    return v ? *v : text;
}

void emit(Context& ctx,
          const FinancialEvent& base,
          std::string amount_type,
          std::string description,
          const json& money,
          std::string_view where) {
    auto m = read_money(money, ctx, where);
    if (!m) return;
    FinancialEvent e = base;
    e.amount_type = std::move(amount_type);
    e.amount_description = std::move(description);
    e.amount = std::move(*m);
    ctx.out.push_back(std::move(e));
}

void charges(Context& ctx,
             const FinancialEvent& base,
             const json& list,
             const char* amount_type,
             std::string_view where) {
    if (!list.is_array()) return;
    for (const auto& c : list) {
        emit(ctx, base, amount_type, str(c, "ChargeType"), member(c, "ChargeAmount"), where);
    }
}

void fees(Context& ctx,
          const FinancialEvent& base,
          const json& list,
          const char* amount_type,
          std::string_view where) {
    if (!list.is_array()) return;
    for (const auto& f : list) {
        emit(ctx, base, amount_type, str(f, "FeeType"), member(f, "FeeAmount"), where);
    }
}

void promotions(Context& ctx,
                const FinancialEvent& base,
                const json& list,
                std::string_view where) {
    if (!list.is_array()) return;
    for (const auto& p : list) {
        emit(ctx, base, "Promotion", str(p, "PromotionType"), member(p, "PromotionAmount"), where);
    }
}

void withheld(Context& ctx, const FinancialEvent& base, const json& list, std::string_view where) {
    if (!list.is_array()) return;
    for (const auto& w : list)
        charges(ctx, base, member(w, "TaxesWithheld"), "ItemWithheldTax", where);
}

// ShipmentEvent shape: shipments, refunds, guarantee claims, chargebacks.
void shipment_event(Context& ctx,
                    const json& ev,
                    const FinancialEvent& proto,
                    std::string_view where) {
    FinancialEvent base = proto;
    base.order_id = str(ev, "AmazonOrderId");
    base.merchant_order_id = str(ev, "SellerOrderId");
    base.marketplace_name = str(ev, "MarketplaceName");
    base.posted_at = iso(str(ev, "PostedDate"));
    charges(ctx, base, member(ev, "OrderChargeList"), "ItemPrice", where);
    charges(ctx, base, member(ev, "OrderChargeAdjustmentList"), "ItemPrice", where);
    fees(ctx, base, member(ev, "ShipmentFeeList"), "ItemFees", where);
    fees(ctx, base, member(ev, "ShipmentFeeAdjustmentList"), "ItemFees", where);
    fees(ctx, base, member(ev, "OrderFeeList"), "ItemFees", where);
    fees(ctx, base, member(ev, "OrderFeeAdjustmentList"), "ItemFees", where);
    if (const auto& dp = member(ev, "DirectPaymentList"); dp.is_array()) {
        for (const auto& p : dp) {
            emit(ctx, base, "DirectPayment", str(p, "DirectPaymentType"),
                 member(p, "DirectPaymentAmount"), where);
        }
    }
    for (const char* list : {"ShipmentItemList", "ShipmentItemAdjustmentList"}) {
        const auto& items = member(ev, list);
        if (!items.is_array()) continue;
        for (const auto& item : items) {
            FinancialEvent ib = base;
            ib.sku = str(item, "SellerSKU");
            ib.order_item_code = str(item, "OrderItemId");
            ib.adjustment_id = str(item, "OrderAdjustmentItemId");
            if (const auto& q = member(item, "QuantityShipped"); q.is_number_integer()) {
                ib.quantity = q.get<std::int64_t>();
            }
            charges(ctx, ib, member(item, "ItemChargeList"), "ItemPrice", where);
            charges(ctx, ib, member(item, "ItemChargeAdjustmentList"), "ItemPrice", where);
            fees(ctx, ib, member(item, "ItemFeeList"), "ItemFees", where);
            fees(ctx, ib, member(item, "ItemFeeAdjustmentList"), "ItemFees", where);
            withheld(ctx, ib, member(item, "ItemTaxWithheldList"), where);
            promotions(ctx, ib, member(item, "PromotionList"), where);
            promotions(ctx, ib, member(item, "PromotionAdjustmentList"), where);
            if (const auto& c = member(item, "CostOfPointsGranted"); c.is_object()) {
                emit(ctx, ib, "ItemPrice", "CostOfPointsGranted", c, where);
            }
            if (const auto& c = member(item, "CostOfPointsReturned"); c.is_object()) {
                emit(ctx, ib, "ItemPrice", "CostOfPointsReturned", c, where);
            }
        }
    }
}

Result<FinancesDecodeResult> decode_v0_events(const json& events,
                                              const json& payload,
                                              std::string_view group_id) {
    FinancesDecodeResult r;
    r.next_token = str(payload, "NextToken");
    Context ctx{r.events, r.warnings};
    FinancialEvent proto;
    proto.source = model::FinancialSource::finances_v0;
    proto.group_id = std::string(group_id);
    // Known lists in the model's order (a JSON object has no order of its own), then the rest.
    static const std::vector<std::string> kOrder{
        "ShipmentEventList",          "ShipmentSettleEventList", "RefundEventList",
        "GuaranteeClaimEventList",    "ChargebackEventList",     "RetrochargeEventList",
        "ProductAdsPaymentEventList", "ServiceFeeEventList",     "AdjustmentEventList"};
    std::vector<std::string> names = kOrder;
    for (const auto& [name, list] : events.items()) {
        if (std::find(kOrder.begin(), kOrder.end(), name) == kOrder.end()) names.push_back(name);
    }
    for (const auto& list_name : names) {
        const json& list = member(events, list_name.c_str());
        if (!list.is_array() || list.empty()) continue;
        const std::string where = "v0 " + list_name;
        if (list_name == "ShipmentEventList" || list_name == "ShipmentSettleEventList") {
            proto.transaction_type = "Order";
            for (const auto& ev : list) shipment_event(ctx, ev, proto, where);
        } else if (list_name == "RefundEventList") {
            proto.transaction_type = "Refund";
            for (const auto& ev : list) shipment_event(ctx, ev, proto, where);
        } else if (list_name == "GuaranteeClaimEventList") {
            proto.transaction_type = "GuaranteeClaim Refund";
            for (const auto& ev : list) shipment_event(ctx, ev, proto, where);
        } else if (list_name == "ChargebackEventList") {
            proto.transaction_type = "Chargeback Refund";
            for (const auto& ev : list) shipment_event(ctx, ev, proto, where);
        } else if (list_name == "ServiceFeeEventList") {
            for (const auto& ev : list) {
                FinancialEvent base = proto;
                base.transaction_type = "ServiceFee";
                base.order_id = str(ev, "AmazonOrderId");
                base.sku = str(ev, "SellerSKU");
                fees(ctx, base, member(ev, "FeeList"), "ServiceFee", where);
            }
        } else if (list_name == "AdjustmentEventList") {
            for (const auto& ev : list) {
                FinancialEvent base = proto;
                base.transaction_type = "Adjustment";
                base.posted_at = iso(str(ev, "PostedDate"));
                emit(ctx, base, "Adjustment", str(ev, "AdjustmentType"),
                     member(ev, "AdjustmentAmount"), where);
            }
        } else if (list_name == "ProductAdsPaymentEventList") {
            for (const auto& ev : list) {
                FinancialEvent base = proto;
                base.transaction_type = "ServiceFee";
                base.posted_at = iso(str(ev, "postedDate"));
                emit(ctx, base, "Cost of Advertising", str(ev, "transactionType"),
                     member(ev, "transactionValue"), where);
            }
        } else if (list_name == "RetrochargeEventList") {
            for (const auto& ev : list) {
                FinancialEvent base = proto;
                base.transaction_type = str(ev, "RetrochargeEventType");
                if (base.transaction_type.empty()) base.transaction_type = "Retrocharge";
                base.order_id = str(ev, "AmazonOrderId");
                base.marketplace_name = str(ev, "MarketplaceName");
                base.posted_at = iso(str(ev, "PostedDate"));
                if (member(ev, "BaseTax").is_object()) {
                    emit(ctx, base, "ItemPrice", "Tax", member(ev, "BaseTax"), where);
                }
                if (member(ev, "ShippingTax").is_object()) {
                    emit(ctx, base, "ItemPrice", "ShippingTax", member(ev, "ShippingTax"), where);
                }
                withheld(ctx, base, member(ev, "RetrochargeTaxWithheldList"), where);
            }
        } else {
            r.warnings.push_back(where + ": " + std::to_string(list.size()) +
                                 " event(s) of this list are not decoded; they will show as "
                                 "differences in the reconciliation");
        }
    }
    return r;
}

void breakdown_leaves(Context& ctx,
                      const FinancialEvent& base,
                      const json& list,
                      const std::string& parent_type,
                      std::string_view where) {
    if (!list.is_array()) return;
    for (const auto& b : list) {
        const std::string type = str(b, "breakdownType");
        const auto& children = member(b, "breakdowns");
        if (children.is_array() && !children.empty()) {
            breakdown_leaves(ctx, base, children, type, where);
        } else {
            emit(ctx, base, parent_type.empty() ? type : parent_type, type,
                 member(b, "breakdownAmount"), where);
        }
    }
}

std::string canonical_transaction_type(const std::string& type) {
    if (model::iequals(type, "Shipment")) return "Order";
    return type;
}

}  // namespace

Result<FinancesDecodeResult> decode_financial_events_v0(std::string_view text,
                                                        std::string_view group_id) {
    json doc;
    if (auto err = parse_exact(text, "financial events (v0)", doc)) return *err;
    const json* root = &doc;
    const json& payload = root->contains("payload") ? root->at("payload") : *root;
    const json* events = &member(payload, "FinancialEvents");
    if (!events->is_object()) {
        if (payload.is_object() && payload.contains("ShipmentEventList")) {
            events = &payload;
        } else {
            return make_error(ErrorKind::permanent,
                              "financial events (v0) response has no payload.FinancialEvents",
                              "finances");
        }
    }
    return decode_v0_events(*events, payload, group_id);
}

Result<FinancesDecodeResult> decode_transactions_2024(std::string_view text) {
    json doc;
    if (auto err = parse_exact(text, "transactions (2024-06-19)", doc)) return *err;
    const json* root = &doc;
    const json& payload = root->contains("payload") ? root->at("payload") : *root;
    const json& txs = member(payload, "transactions");
    if (!txs.is_array()) {
        return make_error(ErrorKind::permanent,
                          "transactions (2024-06-19) response has no payload.transactions list",
                          "finances");
    }
    FinancesDecodeResult r;
    r.next_token = str(payload, "nextToken");
    Context ctx{r.events, r.warnings};
    for (const auto& tx : txs) {
        FinancialEvent base;
        base.source = model::FinancialSource::finances_2024;
        base.transaction_type = canonical_transaction_type(str(tx, "transactionType"));
        base.posted_at = iso(str(tx, "postedDate"));
        base.marketplace_name = str(member(tx, "marketplaceDetails"), "marketplaceName");
        if (const auto& ids = member(tx, "relatedIdentifiers"); ids.is_array()) {
            for (const auto& id : ids) {
                const auto name = str(id, "relatedIdentifierName");
                const auto value = str(id, "relatedIdentifierValue");
                if (name == "ORDER_ID") base.order_id = value;
                if (name == "SHIPMENT_ID") base.shipment_id = value;
                if (name == "SETTLEMENT_ID" ||
                    (name == "FINANCIAL_EVENT_GROUP_ID" && base.group_id.empty())) {
                    base.group_id = value;
                }
            }
        }
        const std::string where = "transaction " + str(tx, "transactionId");
        const std::size_t first = r.events.size();
        const auto& items = member(tx, "items");
        if (items.is_array() && !items.empty()) {
            for (const auto& item : items) {
                FinancialEvent ib = base;
                if (const auto& contexts = member(item, "contexts"); contexts.is_array()) {
                    for (const auto& c : contexts) {
                        if (str(c, "contextType") != "ProductContext") continue;
                        ib.sku = str(c, "sku");
                        if (const auto& q = member(c, "quantityShipped"); q.is_number_integer()) {
                            ib.quantity = q.get<std::int64_t>();
                        }
                        ib.fulfillment_id = str(c, "fulfillmentNetwork");
                    }
                }
                const auto& bds = member(item, "breakdowns");
                if (bds.is_array() && !bds.empty()) {
                    breakdown_leaves(ctx, ib, bds, {}, where);
                } else {
                    emit(ctx, ib, "Total", str(item, "description"), member(item, "totalAmount"),
                         where);
                }
            }
        } else if (const auto& bds = member(tx, "breakdowns"); bds.is_array() && !bds.empty()) {
            breakdown_leaves(ctx, base, bds, {}, where);
        } else {
            emit(ctx, base, "Total", str(tx, "transactionType"), member(tx, "totalAmount"), where);
        }
        // The leaves must add up to the transaction total; say so when they do not.
        if (auto total = read_money(member(tx, "totalAmount"), ctx, where)) {
            Decimal sum;
            for (std::size_t i = first; i < r.events.size(); ++i) sum += r.events[i].amount.amount;
            if (sum != total->amount) {
                r.warnings.push_back(where + ": breakdowns sum to " + sum.to_string() +
                                     " but totalAmount is " + total->amount.to_string());
            }
        }
    }
    return r;
}

Result<FinancesDecodeResult> decode_finances(std::string_view text) {
    const auto v0 = text.find("FinancialEvents");
    const auto v24 = text.find("\"transactions\"");
    if (v24 != std::string_view::npos && (v0 == std::string_view::npos || v24 < v0)) {
        return decode_transactions_2024(text);
    }
    return decode_financial_events_v0(text);
}

}  // namespace clarity::amazon
