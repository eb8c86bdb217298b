#include "clarity/model/financial.hpp"

namespace clarity::model {

namespace {
char lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
}  // namespace

std::string_view to_string(FinancialSource source) noexcept {
    switch (source) {
        case FinancialSource::settlement_report:
            return "settlement_report";
        case FinancialSource::finances_v0:
            return "finances_v0";
        case FinancialSource::finances_2024:
            return "finances_2024";
    }
    return "unknown";
}

Money Settlement::rows_total() const {
    Money sum{Decimal{}, summary.total.currency};
    for (const auto& row : rows) sum.amount += row.amount.amount;
    return sum;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

bool is_refund_transaction(std::string_view transaction_type) noexcept {
    constexpr std::string_view kRefund = "refund";
    if (transaction_type.size() < kRefund.size()) return false;
    for (std::size_t i = 0; i + kRefund.size() <= transaction_type.size(); ++i) {
        if (iequals(transaction_type.substr(i, kRefund.size()), kRefund)) return true;
    }
    return false;
}

}  // namespace clarity::model
