#pragma once
// The totals check: what Odoo computed for a written record against what Amazon charged, at the
// currency's precision (exact decimals; Odoo's floats are read at that precision).
#include <optional>
#include <string>
#include <vector>

#include "clarity/model/money.hpp"

namespace clarity::flows {

/// One line of a written order, for the check of Odoo's tax against Amazon's.
struct TaxCheckLine {
    std::string name;                          ///< the line's description (for the message)
    std::optional<model::Decimal> amazon_tax;  ///< Amazon's tax of the line, when it gave one
    bool taxed = false;                        ///< the line carries the mapped tax
};

/// Odoo's tax against Amazon's: per line (`odoo_line_taxes`, in line order) unless Odoo rounds
/// globally (a line's tax is then not rounded on its own), and for the whole order when Amazon
/// gave a figure for every taxed line (with global rounding, up to a cent per taxed line may
/// differ). "line 2 'Amazon shipping: SKU': Odoo 0.49, Amazon 0.50; order tax: Odoo 3.80, Amazon
/// 3.81"; empty when they agree.
std::string tax_differences(const std::vector<TaxCheckLine>& lines,
                            const std::optional<std::vector<double>>& odoo_line_taxes,
                            std::optional<double> odoo_tax,
                            int precision,
                            bool rounds_globally);

/// Amazon's grand total against Odoo's amount_total, at the precision of Amazon's currency.
struct TotalCheck {
    int precision = 2;
    model::Decimal amazon;
    model::Decimal odoo;
    model::Decimal difference;  ///< amazon - odoo: the adjustment a line would add
};
TotalCheck check_total(const model::Money& amazon_total, double odoo_total);

}  // namespace clarity::flows
