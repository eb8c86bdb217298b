#include "common/totals.hpp"

#include "common/odoo_values.hpp"

namespace clarity::flows {

std::string tax_differences(const std::vector<TaxCheckLine>& lines,
                            const std::optional<std::vector<double>>& odoo_line_taxes,
                            std::optional<double> odoo_tax,
                            int precision,
                            bool rounds_globally) {
    std::string differences;
    if (odoo_line_taxes && !rounds_globally && odoo_line_taxes->size() >= lines.size()) {
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (!lines[i].amazon_tax) continue;
            const model::Decimal want = lines[i].amazon_tax->rescale(precision);
            const model::Decimal have = from_double((*odoo_line_taxes)[i], precision);
            if (want == have) continue;
            const std::string& name = lines[i].name;
            differences += (differences.empty() ? "" : "; ") + std::string("line ") +
                           std::to_string(i + 1) + (name.empty() ? "" : " '" + name + "'") +
                           ": Odoo " + have.to_string() + ", Amazon " + want.to_string();
        }
    }
    // The order's tax, when Amazon gave a figure for every taxed line.
    bool all_known = true;
    model::Decimal amazon_total_tax = model::Decimal{}.rescale(precision);
    int taxed_count = 0;
    for (const auto& line : lines) {
        if (line.taxed) ++taxed_count;
        if (line.amazon_tax) {
            amazon_total_tax += line.amazon_tax->rescale(precision);
        } else if (line.taxed) {
            all_known = false;
        }
    }
    if (all_known && odoo_tax) {
        const model::Decimal have = from_double(*odoo_tax, precision);
        model::Decimal diff = have - amazon_total_tax;
        if (diff.is_negative()) diff = -diff;
        // Global rounding rounds the order's tax once: up to a cent per line may differ from
        // Amazon's per-item rounding (the start-up warning says so); more is a wrong tax.
        const model::Decimal tolerance(rounds_globally ? taxed_count : 0, precision);
        if (diff > tolerance) {
            differences += (differences.empty() ? "" : "; ") + std::string("order tax: Odoo ") +
                           have.to_string() + ", Amazon " + amazon_total_tax.to_string();
        }
    }
    return differences;
}

TotalCheck check_total(const model::Money& amazon_total, double odoo_total) {
    TotalCheck c;
    c.precision = model::currency_precision(amazon_total.currency);
    c.odoo = from_double(odoo_total, c.precision);
    c.amazon = amazon_total.amount.rescale(c.precision);
    c.difference = c.amazon - c.odoo;
    return c;
}

}  // namespace clarity::flows
