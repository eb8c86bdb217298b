#include "clarity/mapping/settlement_reconciliation.hpp"

#include <tuple>

namespace clarity::mapping {

using model::Decimal;

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

using Key = std::tuple<std::string, std::string, std::string, std::string>;  // order, tt, at, ad

struct Side {
    Decimal sum;
    std::string transaction_type;  // as first seen, for display
    std::string amount_type;
    std::string amount_description;
    bool present = false;
};

Key key_of(const model::FinancialEvent& e) {
    return {e.order_id, lower(e.transaction_type), lower(e.amount_type),
            lower(e.amount_description)};
}

bool in_period(const model::SettlementSummary& s, const model::FinancialEvent& e) {
    if (!e.group_id.empty() && e.group_id == s.settlement_id) return true;
    if (e.posted_at.empty()) return true;
    if (!s.start_at.empty() && e.posted_at < s.start_at) return false;
    if (!s.end_at.empty() && e.posted_at > s.end_at) return false;
    return true;
}

}  // namespace

void SettlementOrderIndex::add(const model::FinancialEvent& e) {
    add(e.order_id, e.transaction_type, e.amount_type, e.amount_description, e.amount.amount);
}

void SettlementOrderIndex::add(std::string_view order_id,
                               std::string_view transaction_type,
                               std::string_view amount_type,
                               std::string_view amount_description,
                               const model::Decimal& amount) {
    if (order_id.empty()) return;
    auto it = orders_.find(order_id);
    if (it == orders_.end()) {
        it = orders_.emplace(std::string(order_id), OrderPayment{}).first;
        it->second.order_id = order_id;
    }
    auto& o = it->second;
    o.net += amount;
    component_.assign(transaction_type);
    component_.push_back('/');
    component_.append(amount_type);
    component_.push_back('/');
    component_.append(amount_description);
    auto c = o.components.find(component_);
    if (c == o.components.end()) c = o.components.emplace(component_, Decimal{}).first;
    c->second += amount;
    ++o.rows;
}

std::vector<OrderPayment> SettlementOrderIndex::orders() const {
    std::vector<OrderPayment> out;
    out.reserve(orders_.size());
    for (const auto& [id, o] : orders_) out.push_back(o);
    return out;
}

std::string_view to_string(DifferenceKind kind) noexcept {
    switch (kind) {
        case DifferenceKind::missing_in_events:
            return "missing_in_events";
        case DifferenceKind::missing_in_settlement:
            return "missing_in_settlement";
        case DifferenceKind::amount_differs:
            return "amount_differs";
    }
    return "unknown";
}

std::vector<ReconciliationDifference> compare_settlement_with_events(
    const model::SettlementSummary& summary,
    const std::vector<model::FinancialEvent>& settlement_rows,
    const std::vector<model::FinancialEvent>& events) {
    std::map<Key, std::pair<Side, Side>> table;
    auto put = [](Side& side, const model::FinancialEvent& e) {
        if (!side.present) {
            side.transaction_type = e.transaction_type;
            side.amount_type = e.amount_type;
            side.amount_description = e.amount_description;
            side.present = true;
        }
        side.sum += e.amount.amount;
    };
    for (const auto& r : settlement_rows) put(table[key_of(r)].first, r);
    for (const auto& e : events) {
        if (in_period(summary, e)) put(table[key_of(e)].second, e);
    }
    std::vector<ReconciliationDifference> out;
    for (const auto& [key, sides] : table) {
        const auto& [s, ev] = sides;
        ReconciliationDifference d;
        d.order_id = std::get<0>(key);
        const Side& shown = s.present ? s : ev;
        d.transaction_type = shown.transaction_type;
        d.amount_type = shown.amount_type;
        d.amount_description = shown.amount_description;
        d.settlement_amount = s.sum;
        d.events_amount = ev.sum;
        if (s.present && !ev.present) {
            d.kind = DifferenceKind::missing_in_events;
        } else if (!s.present && ev.present) {
            d.kind = DifferenceKind::missing_in_settlement;
        } else if (s.sum != ev.sum) {
            d.kind = DifferenceKind::amount_differs;
        } else {
            continue;
        }
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace clarity::mapping
