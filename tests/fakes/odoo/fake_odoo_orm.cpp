// The fake's ORM operations and business methods. Messages are Odoo's, from the captures.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

#include "odoo/fake_odoo_state.hpp"

namespace clarity::fakes::odoo {

namespace {

using Ids = std::vector<std::int64_t>;

[[noreturn]] void raise(std::string name, std::string message) {
    throw OdooRaise{std::move(name), std::move(message)};
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

int compare(const Value& a, const Value& b) {
    if (a.is_number() && b.is_number()) {
        double x = *a.as_double(), y = *b.as_double();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (a.is_string() && b.is_string()) {
        auto x = *a.as_string(), y = *b.as_string();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (a.is_bool() && b.is_bool()) return int(*a.as_bool()) - int(*b.as_bool());
    return a == b ? 0 : (a.is_empty() ? -1 : 1);
}

bool equal(const Value& a, const Value& b) {
    if (a.is_empty() && b.is_empty()) return true;
    if (a.is_number() && b.is_number()) return compare(a, b) == 0;
    return a == b;
}

std::int64_t to_id(const Value& v) {
    if (auto i = v.m2o_id()) return *i;
    return 0;
}

Ids ids_of(const Value& v) {
    if (auto ids = v.as_ids()) return *ids;
    if (auto i = v.as_int()) return {*i};
    return {};
}

/// Cents, for exact balance checks of debit/credit doubles.
std::int64_t cents(const Value& v) {
    return static_cast<std::int64_t>(std::llround(v.as_double().value_or(0.0) * 100.0));
}

}  // namespace

const ModelDef& FakeOdoo::State::model(const std::string& name) const {
    auto it = defs.find(name);
    if (it == defs.end()) raise(kUserError, "Object " + name + " doesn't exist");
    return it->second;
}

const FieldDef& FakeOdoo::State::field(const ModelDef& m, std::string_view name) const {
    if (const auto* f = m.find(name, major)) return *f;
    // 18: "Invalid field 'x' on model 'm'"; 19: "Invalid field 'x' in 'm'" (NOTES.md §1).
    if (major >= 19)
        raise(kValueError, "Invalid field '" + std::string(name) + "' in '" + m.name + "'");
    raise(kValueError, "Invalid field '" + std::string(name) + "' on model '" + m.name + "'");
}

void FakeOdoo::State::check_access(const std::string& model_name,
                                   std::string_view operation) const {
    auto u = users.find(uid);
    if (u == users.end() || u->second.denied.count(model_name) == 0) return;
    const ModelDef& m = model(model_name);
    raise(kAccessError,
          "You are not allowed to " + std::string(operation) + " '" + m.description + "' (" +
              model_name +
              ") records.\n\nThis operation is allowed for the following groups:\n\t- " +
              (major >= 19 ? "Accounting/Invoicing" : "Invoicing/Invoicing") +
              "\n\nContact your administrator to request access if necessary.");
}

bool FakeOdoo::State::exists(const std::string& model_name, std::int64_t id) const {
    auto t = tables.find(model_name);
    return t != tables.end() && t->second.count(id) != 0;
}

void FakeOdoo::State::missing(const std::string& model_name, std::int64_t id) const {
    raise(kMissingError, "Record does not exist or has been deleted.\n(Record: " + model_name +
                             "(" + std::to_string(id) + ",), User: " + std::to_string(uid) + ")");
}

std::string FakeOdoo::State::display_name(const std::string& model_name, std::int64_t id) const {
    auto t = tables.find(model_name);
    if (t == tables.end()) return "";
    auto r = t->second.find(id);
    if (r == t->second.end()) return "";
    const Struct& row = r->second;
    auto str = [&row](const char* k) {
        auto it = row.find(k);
        return it == row.end() ? std::string() : it->second.as_string().value_or("");
    };
    if (model_name == "product.product" || model_name == "product.template") {
        std::string code = str("default_code");
        return code.empty() ? str("name") : "[" + code + "] " + str("name");
    }
    if (model_name == "res.partner") {
        auto p = row.find("parent_id");
        if (p != row.end() && p->second.as_int()) {
            return display_name("res.partner", *p->second.as_int()) + ", " + str("name");
        }
    }
    if (model_name == "res.country.state") {
        auto c = row.find("country_id");
        std::string code;
        if (c != row.end() && c->second.as_int()) {
            code = Value(tables.at("res.country").at(*c->second.as_int()))["code"]
                       .as_string()
                       .value_or("");
        }
        return str("name") + " (" + code + ")";
    }
    if (model_name == "stock.location") return str("complete_name");
    if (model_name == "ir.model.data") return str("module") + "." + str("name");
    if (model_name == "account.payment" || model_name == "account.move") {
        std::string n = str("name");
        return n.empty() ? "Draft" : n;
    }
    if (model_name == "res.currency" || model_name == "account.journal" ||
        model_name == "account.account") {
        if (model_name == "account.account") return str("code") + " " + str("name");
        return str("name");
    }
    return str("name");
}

namespace {

/// n / d (d > 0) rounded half away from zero (Odoo's float_round, HALF-UP, on exact cents).
std::int64_t div_round(__int128 n, __int128 d) {
    const __int128 q = n / d, r = n % d;
    if (2 * (r < 0 ? -r : r) >= d) return static_cast<std::int64_t>(n < 0 ? q - 1 : q + 1);
    return static_cast<std::int64_t>(q);
}

/// A tax rate in percent as ten-thousandths of a percent (19 → 190000, 8.25 → 82500).
std::int64_t rate_e4(double percent) { return std::llround(percent * 10000); }

/// The percent taxes of a line: those included in the price and those added on top, by id.
struct LineTaxes {
    std::vector<std::pair<std::int64_t, std::int64_t>> included, excluded;  ///< (tax id, rate_e4)
    std::int64_t included_rate() const {
        std::int64_t r = 0;
        for (const auto& [id, rate] : included) r += rate;
        return r;
    }
};

}  // namespace

std::pair<std::int64_t, std::int64_t> FakeOdoo::State::line_amounts(const Struct& line) const {
    // Odoo's sale line amounts, rounded per line: the gross base (quantity × price less the
    // discount) to the cent; a tax included in the price is taken out of it, rounded half up
    // (account.tax: the included amount is base × rate / (100 + rate)), so the line's total stays
    // the gross price; a tax added on top is rounded on the untaxed amount.
    auto num = [&line](const char* k) {
        auto it = line.find(k);
        return it == line.end() ? 0.0 : it->second.as_double().value_or(0);
    };
    const double base = num("product_uom_qty") * num("price_unit") * (1 - num("discount") / 100);
    LineTaxes taxes;
    if (auto it = line.find(major >= 19 ? "tax_ids" : "tax_id"); it != line.end()) {
        for (auto tid : ids_of(it->second)) {
            auto t = table("account.tax").find(tid);
            if (t == table("account.tax").end()) continue;
            const auto rate = rate_e4(t->second.at("amount").as_double().value_or(0));
            (t->second.at("price_include").truthy() ? taxes.included : taxes.excluded)
                .emplace_back(tid, rate);
        }
    }
    const std::int64_t gross = std::llround(base * 100);
    const std::int64_t inc = taxes.included_rate();
    const std::int64_t included_tax =
        inc == 0 ? 0 : div_round(static_cast<__int128>(gross) * inc, 1'000'000 + inc);
    const std::int64_t subtotal = gross - included_tax;
    std::int64_t tax = included_tax;
    for (const auto& [id, rate] : taxes.excluded) {
        tax += div_round(static_cast<__int128>(subtotal) * rate, 1'000'000);
    }
    return {subtotal, tax};
}

bool FakeOdoo::State::rounds_globally() const {
    const auto& companies = table("res.company");
    if (companies.empty()) return major >= 19;
    auto it = companies.begin()->second.find("tax_calculation_rounding_method");
    return it != companies.begin()->second.end() && it->second == Value("round_globally");
}

std::int64_t FakeOdoo::State::order_currency(const Struct& vals) const {
    if (auto p = vals.find("pricelist_id"); p != vals.end()) {
        if (auto id = p->second.m2o_id()) {
            auto row = table("product.pricelist").find(*id);
            if (row != table("product.pricelist").end())
                return to_id(row->second.at("currency_id"));
        }
    }
    const auto& companies = table("res.company");
    return companies.empty() ? 1 : to_id(companies.begin()->second.at("currency_id"));
}

std::pair<std::int64_t, std::int64_t> FakeOdoo::State::order_amounts(std::int64_t order) const {
    // round_per_line: the sum of the lines' rounded amounts. round_globally: every tax is summed
    // unrounded over the order's lines and rounded once per tax (account.tax
    // _round_tax_details_tax_amounts), so the lines' price_tax need not add up to amount_tax; a
    // tax included in the price keeps the order's total at the gross prices (the untaxed amount
    // absorbs the rounding).
    std::int64_t subtotal = 0, tax = 0;
    const auto& lines = table("sale.order.line");
    const auto line_ids = ids_where("sale.order.line", "order_id", Value(order));
    if (!rounds_globally()) {
        for (auto lid : line_ids) {
            const Struct& line = lines.at(lid);
            auto [s, t] = line_amounts(line);
            subtotal += s;
            tax += t;
        }
        return {subtotal, tax};
    }
    // Unrounded tax per tax id, in millionths of a cent.
    std::map<std::int64_t, std::int64_t> unrounded;
    std::int64_t gross_total = 0;
    for (auto lid : line_ids) {
        const Struct& line = lines.at(lid);
        auto num = [&line](const char* k) {
            auto it = line.find(k);
            return it == line.end() ? 0.0 : it->second.as_double().value_or(0);
        };
        const std::int64_t gross = std::llround(num("product_uom_qty") * num("price_unit") *
                                                (1 - num("discount") / 100) * 100);
        LineTaxes taxes;
        if (auto it = line.find(major >= 19 ? "tax_ids" : "tax_id"); it != line.end()) {
            for (auto tid : ids_of(it->second)) {
                auto t = table("account.tax").find(tid);
                if (t == table("account.tax").end()) continue;
                const auto rate = rate_e4(t->second.at("amount").as_double().value_or(0));
                (t->second.at("price_include").truthy() ? taxes.included : taxes.excluded)
                    .emplace_back(tid, rate);
            }
        }
        const std::int64_t inc = taxes.included_rate();
        // Unrounded untaxed amount (millionths of a cent) of a gross price with included taxes.
        const std::int64_t base_e6 =
            inc == 0
                ? gross * 1'000'000
                : div_round(static_cast<__int128>(gross) * 1'000'000 * 1'000'000, 1'000'000 + inc);
        for (const auto& [tid, rate] : taxes.included) {
            unrounded[tid] += div_round(static_cast<__int128>(base_e6) * rate, 1'000'000);
        }
        for (const auto& [tid, rate] : taxes.excluded) {
            unrounded[tid] += div_round(static_cast<__int128>(base_e6) * rate, 1'000'000);
        }
        gross_total += gross;
    }
    std::int64_t included_tax = 0;
    for (const auto& [tid, e6] : unrounded) {
        const std::int64_t rounded = div_round(e6, 1'000'000);
        tax += rounded;
        auto row = table("account.tax").find(tid);
        if (row != table("account.tax").end() && row->second.at("price_include").truthy()) {
            included_tax += rounded;
        }
    }
    // Taxes added on top leave the untaxed amount at the gross prices.
    subtotal = gross_total - included_tax;
    return {subtotal, tax};
}

Value FakeOdoo::State::get(const std::string& model_name,
                           const Struct& row,
                           const FieldDef& f) const {
    std::int64_t id = row.at("id").as_int().value_or(0);
    if (f.name == "display_name") return display_name(model_name, id);
    if (f.type == "one2many") {
        Array ids;
        for (auto rid : ids_where(f.relation, f.inverse, Value(id))) ids.emplace_back(rid);
        return ids;
    }
    if (f.computed) {
        if (f.name == "commercial_partner_id") {
            std::int64_t cur = id;
            for (int guard = 0; guard < 50; ++guard) {
                const auto& r = table("res.partner").at(cur);
                auto p = r.find("parent_id");
                if (p == r.end() || !p->second.as_int()) break;
                cur = *p->second.as_int();
            }
            return cur;
        }
        if (f.name == "has_packages") {
            for (auto lid : ids_where("stock.move.line", "picking_id", Value(id))) {
                const Struct& line = table("stock.move.line").at(lid);
                auto pkg = line.find("result_package_id");
                if (pkg != line.end() && to_id(pkg->second) != 0) return true;
            }
            return false;
        }
        if (f.name == "available_quantity") {
            return row.at("quantity").as_double().value_or(0) -
                   row.at("reserved_quantity").as_double().value_or(0);
        }
        if (f.name == "qty_available" || f.name == "virtual_available") {
            double q = 0;
            for (auto qid : ids_where("stock.quant", "product_id", Value(id))) {
                const Struct& quant = table("stock.quant").at(qid);
                auto loc = table("stock.location").find(to_id(quant.at("location_id")));
                if (loc != table("stock.location").end() &&
                    loc->second.at("usage") == Value("internal")) {
                    q += quant.at("quantity").as_double().value_or(0);
                }
            }
            return q;
        }
        if (model_name == "sale.order.line" &&
            (f.name == "price_subtotal" || f.name == "price_tax" || f.name == "price_total")) {
            auto [subtotal, tax] = line_amounts(row);
            std::int64_t c = f.name == "price_subtotal" ? subtotal
                             : f.name == "price_tax"    ? tax
                                                        : subtotal + tax;
            return static_cast<double>(c) / 100.0;
        }
        if (model_name == "sale.order" &&
            (f.name == "amount_total" || f.name == "amount_untaxed" || f.name == "amount_tax")) {
            auto [subtotal, tax] = order_amounts(id);
            std::int64_t c = f.name == "amount_untaxed" ? subtotal
                             : f.name == "amount_tax"   ? tax
                                                        : subtotal + tax;
            return static_cast<double>(c) / 100.0;
        }
        if (f.name == "amount_total" && model_name == "account.move") {
            std::int64_t debit = 0;
            for (auto lid : ids_where("account.move.line", "move_id", Value(id))) {
                debit += cents(table("account.move.line").at(lid).at("debit"));
            }
            return static_cast<double>(debit) / 100.0;
        }
        if (f.name == "complete_name") {
            return row.at("module").as_string().value_or("") + "." +
                   row.at("name").as_string().value_or("");
        }
        if (f.name == "type") {  // 16/17 product type computed from detailed_type
            auto it = row.find("detailed_type");
            return it == row.end() ? Value("consu") : it->second;
        }
    }
    auto it = row.find(f.name);
    if (it != row.end() && !it->second.is_nil()) return it->second;
    if (f.type == "float" || f.type == "monetary") return 0.0;
    if (f.type == "integer" || f.type == "many2one_reference") return 0;
    if (f.type == "many2many") return Array{};
    return false;
}

// ---- domains ----------------------------------------------------------------------------------

namespace {

struct DomainEval {
    const FakeOdoo::State& s;
    const std::string& model_name;

    [[noreturn]] void bad_leaf(const Value& leaf, const std::string& field) const {
        const char* word = s.major >= 19 ? "condition" : "leaf";
        std::string repr = leaf.repr();
        if (!repr.empty() && repr.front() == '[')
            repr = "(" + repr.substr(1, repr.size() - 2) + ")";
        raise(kValueError,
              "Invalid field " + model_name + "." + field + " in " + word + " " + repr);
    }

    /// Values of `path` on `row` (a list when the path crosses x2many fields).
    std::vector<Value> resolve(const std::string& model,
                               const Struct& row,
                               std::string_view path,
                               const Value& leaf) const {
        auto dot = path.find('.');
        std::string head(path.substr(0, dot));
        const ModelDef& m = s.defs.at(model);
        const FieldDef* f = m.find(head, s.major);
        if (f == nullptr) bad_leaf(leaf, head);
        Value v = s.get(model, row, *f);
        if (dot == std::string_view::npos) {
            if (f->type == "many2one") return {v.m2o_id() ? Value(*v.m2o_id()) : Value(false)};
            return {v};
        }
        if (!f->relational()) bad_leaf(leaf, std::string(path));
        std::vector<Value> out;
        for (auto rid :
             ids_of(f->type == "many2one" ? (v.m2o_id() ? Value(*v.m2o_id()) : Value()) : v)) {
            const auto& t = s.tables.at(f->relation);
            auto r = t.find(rid);
            if (r == t.end()) continue;
            auto sub = resolve(f->relation, r->second, path.substr(dot + 1), leaf);
            out.insert(out.end(), sub.begin(), sub.end());
        }
        if (out.empty()) out.push_back(Value(false));
        return out;
    }

    bool match_one(const Value& v, const std::string& op, const Value& target) const {
        if (op == "=") return equal(v, target);
        if (op == "!=") return !equal(v, target);
        if (op == "in" || op == "not in") {
            bool found = false;
            if (const auto* list = target.as_array()) {
                for (const auto& t : *list) found = found || equal(v, t);
            } else {
                found = equal(v, target);
            }
            if (const auto* many = v.as_array()) {  // x2many: any overlap
                found = false;
                for (const auto& item : *many) {
                    if (const auto* list = target.as_array()) {
                        for (const auto& t : *list) found = found || equal(item, t);
                    }
                }
            }
            return op == "in" ? found : !found;
        }
        if (op == "ilike" || op == "not ilike" || op == "like" || op == "not like" ||
            op == "=ilike" || op == "=like") {
            bool ci = op.find("ilike") != std::string::npos;
            std::string hay = v.as_string().value_or("");
            std::string needle = target.as_string().value_or("");
            if (ci) {
                hay = lower(hay);
                needle = lower(needle);
            }
            bool found;
            if (op[0] == '=') {
                found = hay == needle;  // '%' patterns beyond equality are not needed here
            } else {
                found = !target.is_empty() ? hay.find(needle) != std::string::npos : true;
                if (v.is_empty() && !needle.empty()) found = false;
            }
            return op.rfind("not", 0) == 0 ? !found : found;
        }
        if (op == "<" || op == "<=" || op == ">" || op == ">=") {
            if (v.is_empty()) return false;
            int c = compare(v, target);
            if (op == "<") return c < 0;
            if (op == "<=") return c <= 0;
            if (op == ">") return c > 0;
            return c >= 0;
        }
        raise(kValueError, "Invalid operator '" + op + "'");
    }

    bool leaf(const Struct& row, const Value& term) const {
        const auto* t = term.as_array();
        if (t == nullptr || t->size() != 3 || !(*t)[0].is_string() || !(*t)[1].is_string()) {
            raise(kValueError, "Invalid leaf " + term.repr());
        }
        std::string path = *(*t)[0].as_string();
        std::string op = lower(*(*t)[1].as_string());
        auto values = resolve(model_name, row, path, term);
        bool negative = op == "!=" || op == "not in" || op == "not ilike" || op == "not like";
        if (negative) {
            for (const auto& v : values) {
                if (!match_one(v, op, (*t)[2])) return false;
            }
            return true;
        }
        for (const auto& v : values) {
            if (match_one(v, op, (*t)[2])) return true;
        }
        return false;
    }

    bool term(const Struct& row, const Array& d, std::size_t& i) const {
        if (i >= d.size()) raise(kValueError, "Invalid domain: missing operand");
        const Value& t = d[i++];
        if (auto op = t.as_string()) {
            if (*op == "!") return !term(row, d, i);
            if (*op == "&" || *op == "|") {
                bool a = term(row, d, i);
                bool b = term(row, d, i);
                return *op == "&" ? (a && b) : (a || b);
            }
            raise(kValueError, "Invalid domain operator " + t.repr());
        }
        return leaf(row, t);
    }

    bool match(const Struct& row, const Array& d) const {
        std::size_t i = 0;
        bool result = true;
        while (i < d.size()) result = term(row, d, i) && result;
        return result;
    }
};

}  // namespace

std::optional<std::set<std::int64_t>> FakeOdoo::State::indexed_candidates(
    const ModelDef& m, const Array& domain) const {
    // Only a plain conjunction of leaves, one of which is `field = value` or `field in [values]`
    // on a stored many2one (by id) or char/selection field (by string): the rows it names are a
    // superset of the answer, which the whole domain then filters.
    for (const auto& t : domain) {
        if (t.is_string()) return std::nullopt;  // '|', '!' or '&': scan
    }
    for (const auto& t : domain) {
        const auto* leaf = t.as_array();
        if (leaf == nullptr || leaf->size() != 3) continue;
        const auto name = (*leaf)[0].as_string();
        const auto op = (*leaf)[1].as_string();
        if (!name || !op || (*op != "=" && *op != "in")) continue;
        const FieldDef* f = m.find(*name, major);
        if (f == nullptr || f->computed) continue;
        const bool by_id = f->type == "many2one";
        if (!by_id && f->type != "char" && f->type != "selection") continue;
        Array values;
        if (*op == "in") {
            const auto* list = (*leaf)[2].as_array();
            if (list == nullptr) continue;
            values = *list;
        } else {
            values.push_back((*leaf)[2]);
        }
        bool usable = true;
        for (const auto& v : values) {
            usable = usable && (by_id ? v.is_int() : v.is_string() && !v.is_empty());
        }
        if (!usable) continue;
        std::set<std::int64_t> out;
        for (const auto& v : values) {
            for (auto id : ids_where(m.name, *name, v)) out.insert(id);
        }
        return out;
    }
    return std::nullopt;
}

std::vector<std::int64_t> FakeOdoo::State::search(const std::string& model_name,
                                                  const Array& domain,
                                                  std::int64_t offset,
                                                  std::int64_t limit,
                                                  const std::string& order) {
    const ModelDef& m = model(model_name);
    check_access(model_name, "access");
    DomainEval eval{*this, model_name};
    bool has_active = m.find("active", major) != nullptr;
    bool active_test = !(ctx.count("active_test") != 0 && ctx.at("active_test") == Value(false));
    bool domain_mentions_active = false;
    for (const auto& t : domain) {
        if (const auto* a = t.as_array(); a && !a->empty() && (*a)[0] == Value("active")) {
            domain_mentions_active = true;
        }
    }
    std::vector<const Struct*> rows;
    auto consider = [&](const Struct& row) {
        if (has_active && active_test && !domain_mentions_active) {
            auto it = row.find("active");
            if (it != row.end() && it->second == Value(false)) return;
        }
        if (eval.match(row, domain)) rows.push_back(&row);
    };
    if (auto candidates = indexed_candidates(m, domain)) {
        const Table& t = table(model_name);
        for (auto id : *candidates) consider(t.at(id));
    } else {
        for (const auto& [id, row] : tables[model_name]) consider(row);
    }
    // order: "field [asc|desc], ..." (default id)
    std::vector<std::pair<const FieldDef*, bool>> keys;
    std::stringstream ss(order.empty() ? std::string("id") : order);
    std::string part;
    while (std::getline(ss, part, ',')) {
        std::stringstream ps(part);
        std::string name, dir;
        ps >> name >> dir;
        if (name.empty()) continue;
        keys.emplace_back(&field(m, name), lower(dir) == "desc");
    }
    std::stable_sort(rows.begin(), rows.end(), [&](const Struct* a, const Struct* b) {
        for (const auto& [f, desc] : keys) {
            Value va = get(model_name, *a, *f), vb = get(model_name, *b, *f);
            if (f->type == "many2one") {
                va = Value(to_id(va));
                vb = Value(to_id(vb));
            }
            int c = compare(va, vb);
            if (c != 0) return desc ? c > 0 : c < 0;
        }
        return false;
    });
    Ids out;
    for (std::size_t i = static_cast<std::size_t>(std::max<std::int64_t>(0, offset));
         i < rows.size() && (limit <= 0 || static_cast<std::int64_t>(out.size()) < limit); ++i) {
        out.push_back(rows[i]->at("id").as_int().value_or(0));
    }
    return out;
}

Array FakeOdoo::State::read(const std::string& model_name,
                            const Ids& ids,
                            const std::vector<std::string>& fields,
                            bool classic) {
    const ModelDef& m = model(model_name);
    check_access(model_name, "access");
    std::vector<const FieldDef*> fs;
    if (fields.empty()) {
        fs = m.visible(major);
    } else {
        fs.push_back(m.find("id", major));
        for (const auto& name : fields) {
            if (name == "id") continue;
            if (major >= 19 && m.find(name, major) == nullptr) {
                // 19 reads with "on", writes with "in" (orm/models.py _fetch_field / write).
                raise(kValueError, "Invalid field '" + name + "' on '" + m.name + "'");
            }
            fs.push_back(&field(m, name));
        }
    }
    Array out;
    const auto& table = tables[model_name];
    for (auto id : ids) {
        auto r = table.find(id);
        if (r == table.end()) continue;  // missing ids are silently dropped (NOTES.md §1)
        Struct rec;
        for (const FieldDef* f : fs) {
            Value v = get(model_name, r->second, *f);
            if (f->type == "many2one" && classic) {
                if (auto rid = v.m2o_id(); rid && *rid != 0) {
                    v = Array{Value(*rid), Value(display_name(f->relation, *rid))};
                } else {
                    v = false;
                }
            }
            rec.insert_or_assign(f->name, std::move(v));
        }
        out.emplace_back(std::move(rec));
    }
    return out;
}

Value FakeOdoo::State::fields_get(const std::string& model_name,
                                  const Array& attributes,
                                  const Array& allfields) const {
    const ModelDef& m = model(model_name);
    std::set<std::string> attrs;
    for (const auto& a : attributes) attrs.insert(a.as_string().value_or(""));
    auto want = [&attrs](const char* a) { return attrs.empty() || attrs.count(a) != 0; };
    std::set<std::string> only;  // Odoo skips names that are not fields
    for (const auto& a : allfields) only.insert(a.as_string().value_or(""));
    Struct out;
    for (const FieldDef* f : m.visible(major)) {
        if (!only.empty() && only.count(f->name) == 0) continue;
        Struct d;
        if (want("type")) d.emplace("type", f->type);
        if (want("string")) d.emplace("string", f->label);
        if (want("required")) d.emplace("required", f->required);
        if (want("readonly")) d.emplace("readonly", f->readonly);
        if (want("relation") && f->relational()) d.emplace("relation", f->relation);
        if (want("selection") && f->type == "selection") {
            Array sel;
            for (const auto& [k, label] : f->selection) sel.emplace_back(Array{k, label});
            d.emplace("selection", std::move(sel));
        }
        out.emplace(f->name, std::move(d));
    }
    return out;
}

// ---- create / write ---------------------------------------------------------------------------

namespace {

/// Converts and checks one value for storage; x2many values are returned untouched.
Value convert(const FakeOdoo::State& s, const ModelDef& m, const FieldDef& f, const Value& v) {
    if (f.type == "one2many" || f.type == "many2many") return v;
    if (v.is_empty()) return false;
    if (f.type == "many2one") {
        auto id = v.m2o_id();
        if (!id) raise(kValueError, "Wrong value for " + m.name + "." + f.name + ": " + v.repr());
        if (s.defs.count(f.relation) != 0 && !s.exists(f.relation, *id)) s.missing(f.relation, *id);
        return *id;
    }
    if (f.type == "selection") {
        auto str = v.as_string().value_or("");
        for (const auto& [k, label] : f.selection) {
            if (k == str) return v;
        }
        raise(kValueError, "Wrong value for " + m.name + "." + f.name + ": " + v.repr());
    }
    if (f.type == "float" || f.type == "monetary") {
        if (auto d = v.as_double()) return *d;
        raise(kValueError, "Wrong value for " + m.name + "." + f.name + ": " + v.repr());
    }
    if (f.type == "integer" || f.type == "many2one_reference") {
        if (auto i = v.as_int()) return *i;
        raise(kValueError, "Wrong value for " + m.name + "." + f.name + ": " + v.repr());
    }
    if (f.type == "boolean") return v.truthy();
    if (v.is_string()) return v;
    if (v.is_datetime()) {  // XML-RPC dateTime.iso8601 "20250115T10:30:00" → "2025-01-15 10:30:00"
        std::string t = std::get_if<clarity::odoo::DateTime>(&v.variant())->iso8601;
        if (t.size() >= 17 && t.find('-') == std::string::npos) {
            return t.substr(0, 4) + "-" + t.substr(4, 2) + "-" + t.substr(6, 2) + " " +
                   t.substr(9, 8);
        }
        return t;
    }
    raise(kValueError, "Wrong value for " + m.name + "." + f.name + ": " + v.repr());
}

[[noreturn]] void required_missing(const FakeOdoo::State& s, const ModelDef& m, const FieldDef& f) {
    if (s.major >= 19) {
        raise(kValidationError,
              "The operation cannot be completed: Missing required value for the field '" +
                  f.label + "' (" + f.name + ").\nModel: '" + m.description + "' (" + m.name +
                  ")\n- create/update: a mandatory field is not set\n- delete: another model "
                  "requires the record being deleted, you can archive it instead\n");
    }
    raise(kValidationError,
          "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- "
          "Delete: another model requires the record being deleted. If possible, archive it "
          "instead.\n\nModel: " +
              m.description + " (" + m.name + ")\nField: " + f.label + " (" + f.name + ")\n");
}

}  // namespace

std::int64_t FakeOdoo::State::create(const std::string& model_name, Struct vals) {
    const ModelDef& m = model(model_name);
    check_access(model_name, "create");
    bool inventory_mode = ctx.count("inventory_mode") != 0 && ctx.at("inventory_mode").truthy();

    // Model defaults computed from other values.
    if (model_name == "sale.order") {
        if (vals.count("partner_id") != 0) {
            vals.emplace("partner_invoice_id", vals.at("partner_id"));
            vals.emplace("partner_shipping_id", vals.at("partner_id"));
        }
        vals.emplace("date_order", now());
        vals.insert_or_assign("currency_id", order_currency(vals));
    }
    if (model_name == "sale.order.line" && vals.count("product_id") != 0 &&
        vals.at("product_id").m2o_id()) {
        auto pid = *vals.at("product_id").m2o_id();
        if (!exists("product.product", pid)) missing("product.product", pid);
        const Struct& p = tables["product.product"].at(pid);
        vals.emplace("name", display_name("product.product", pid));
        vals.emplace("price_unit", p.at("list_price"));
        vals.emplace(major >= 19 ? "product_uom_id" : "product_uom", p.at("uom_id"));
        // Taxes left out are the product's customer taxes (sale.order.line _compute_tax_id).
        if (auto t = p.find("taxes_id"); t != p.end() && !ids_of(t->second).empty()) {
            Array set{Value(6), Value(0), t->second};
            vals.emplace(major >= 19 ? "tax_ids" : "tax_id", Array{Value(std::move(set))});
        }
    }
    if (model_name == "account.move" || model_name == "account.payment") {
        vals.emplace("date", today());
    }
    if (model_name == "sale.order.cancel") {
        // Defaults from the context of the action that opened the wizard (default_*), and the
        // template's subject and body rendered for the order.
        if (auto it = ctx.find("default_order_id"); it != ctx.end())
            vals.emplace("order_id", it->second);
        if (auto it = ctx.find("default_template_id"); it != ctx.end()) {
            vals.emplace("template_id", it->second);
        }
        if (vals.count("order_id") != 0 && vals.count("template_id") != 0) {
            const auto order = to_id(vals.at("order_id"));
            if (!exists("sale.order", order)) missing("sale.order", order);
            vals.emplace("subject",
                         "Order " + display_name("sale.order", order) + " has been cancelled");
            vals.emplace("body", "<p>Your order has been cancelled.</p>");
        }
    }
    if (model_name == "stock.quant" && inventory_mode) {
        // Inventory mode updates the quant of (product, location) when there is one.
        auto pid = vals.count("product_id") ? to_id(vals.at("product_id")) : 0;
        auto lid = vals.count("location_id") ? to_id(vals.at("location_id")) : 0;
        for (auto& [qid, q] : tables["stock.quant"]) {
            if (to_id(q.at("product_id")) == pid && to_id(q.at("location_id")) == lid) {
                if (vals.count("inventory_quantity") != 0) {
                    touch("stock.quant", qid);
                    q.insert_or_assign("inventory_quantity",
                                       vals.at("inventory_quantity").as_double().value_or(0));
                }
                return qid;
            }
        }
        vals.insert_or_assign("quantity", 0.0);
    }
    if (model_name == "product.product" && vals.count("product_tmpl_id") == 0) {
        Struct tmpl;
        for (const auto& [k, v] : vals) {
            if (defs.at("product.template").find(k, major) != nullptr) tmpl.emplace(k, v);
        }
        tmpl.emplace("__no_variant", true);
        auto tid = create("product.template", std::move(tmpl));
        vals.insert_or_assign("product_tmpl_id", tid);
    }
    bool make_variant = model_name == "product.template" && vals.count("__no_variant") == 0;
    vals.erase("__no_variant");

    Struct row;
    std::vector<std::pair<const FieldDef*, Value>> x2many;
    for (auto& [k, v] : vals) {
        const FieldDef& f = field(m, k);
        if (f.computed) continue;
        if (f.type == "one2many" || f.type == "many2many") {
            x2many.emplace_back(&f, v);
            continue;
        }
        row.insert_or_assign(k, convert(*this, m, f, v));
    }
    for (const FieldDef* f : m.visible(major)) {
        if (f->computed || row.count(f->name) != 0 || f->def.is_nil()) continue;
        row.emplace(f->name, f->def);
    }
    for (const FieldDef* f : m.visible(major)) {
        if (!f->required || f->computed || f->type == "one2many") continue;
        auto it = row.find(f->name);
        if (it == row.end() || it->second.is_empty() || it->second == Value("")) {
            required_missing(*this, m, *f);
        }
    }
    // Constraints before insert.
    if (model_name == "product.product" || model_name == "product.template") {
        auto b = row.find("barcode");
        if (b != row.end() && b->second.is_string() && model_name == "product.product") {
            for (const auto& [pid, p] : tables["product.product"]) {
                auto pb = p.find("barcode");
                if (pb != p.end() && pb->second == b->second) {
                    raise(kValidationError, "Barcode(s) already assigned:\n\n- Barcode \"" +
                                                *b->second.as_string() +
                                                "\" already assigned to product(s): " +
                                                display_name("product.product", pid));
                }
            }
        }
    }
    if (model_name == "ir.model.data") {
        for (auto xid : ids_where("ir.model.data", "name", row.at("name"))) {
            const Struct& x = table("ir.model.data").at(xid);
            if (x.at("module") == row.at("module") && x.at("name") == row.at("name")) {
                raise(kValidationError,
                      "The operation cannot be completed: duplicate key value violates unique "
                      "constraint \"ir_model_data_module_name_uniq_index\"\nDETAIL:  Key (module, "
                      "name)=(" +
                          *row.at("module").as_string() + ", " + *row.at("name").as_string() +
                          ") already exists.\n");
            }
        }
    }
    std::int64_t id = std::max<std::int64_t>(1, next_ids[model_name]);
    if (model_name == "sale.order") {
        char buf[40];
        std::snprintf(buf, sizeof buf, "S%05lld", static_cast<long long>(id));
        row.insert_or_assign("name", std::string(buf));
    }
    if (model_name == "stock.quant.package" && row.count("name") == 0) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "PACK%07lld", static_cast<long long>(id));
        row.insert_or_assign("name", std::string(buf));
    }
    if (model_name == "stock.picking" && row.count("name") == 0) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "WH/OUT/%05lld", static_cast<long long>(id));
        row.insert_or_assign("name", std::string(buf));
    }
    insert_raw(model_name, id, std::move(row));
    for (auto& [f, v] : x2many) {
        Struct one;
        one.emplace(f->name, v);
        write(model_name, {id}, std::move(one));
    }
    if (make_variant) {
        Struct var;
        var.emplace("product_tmpl_id", id);
        for (const auto& [k, v] : tables["product.template"].at(id)) {
            if (k != "id" && k != "create_date" && k != "write_date" &&
                defs.at("product.product").find(k, major) != nullptr &&
                defs.at("product.product").find(k, major)->type != "one2many") {
                var.emplace(k, v);
            }
        }
        create("product.product", std::move(var));
    }
    if (model_name == "account.move") {
        std::int64_t debit = 0, credit = 0;
        for (const auto& [lid, line] : tables["account.move.line"]) {
            if (line.at("move_id").as_int() == id) {
                debit += cents(line.at("debit"));
                credit += cents(line.at("credit"));
            }
        }
        // Unbalanced lines fail at create, not at posting (NOTES.md §4 account.move).
        if (debit != credit) raise(kUserError, "The entry is not balanced.");
    }
    return id;
}

void FakeOdoo::State::write(const std::string& model_name, const Ids& ids, Struct vals) {
    const ModelDef& m = model(model_name);
    check_access(model_name, "modify");
    for (auto id : ids) {
        if (!exists(model_name, id)) missing(model_name, id);
    }
    if (model_name == "sale.order" && vals.count("pricelist_id") != 0) {
        vals.insert_or_assign("currency_id", order_currency(vals));
    }
    for (auto& [k, v] : vals) {
        const FieldDef& f = field(m, k);
        if (f.computed) continue;
        if (f.type == "one2many" || f.type == "many2many") {
            const auto* cmds = v.as_array();
            if (cmds == nullptr) raise(kValueError, "Wrong value for " + m.name + "." + k);
            for (auto id : ids) {
                for (const auto& c : *cmds) {
                    const auto* cmd = c.as_array();
                    if (cmd == nullptr || cmd->empty()) {
                        // A bare id list on a many2many means "set".
                        if (auto rid = c.as_int(); rid && f.type == "many2many") {
                            Array cur =
                                get(model_name, tables[model_name].at(id), f).as_array()
                                    ? *get(model_name, tables[model_name].at(id), f).as_array()
                                    : Array{};
                            cur.emplace_back(*rid);
                            row_mut(model_name, id).insert_or_assign(k, cur);
                            continue;
                        }
                        raise(kValueError, "Wrong value for " + m.name + "." + k);
                    }
                    auto op = (*cmd)[0].as_int().value_or(-1);
                    std::int64_t rid = cmd->size() > 1 ? (*cmd)[1].as_int().value_or(0) : 0;
                    const Value arg = cmd->size() > 2 ? (*cmd)[2] : Value(false);
                    if (f.type == "one2many") {
                        switch (op) {
                            case 0: {
                                Struct child = arg.as_struct() ? *arg.as_struct() : Struct{};
                                child.insert_or_assign(f.inverse, id);
                                create(f.relation, std::move(child));
                                break;
                            }
                            case 1:
                                write(f.relation, {rid},
                                      arg.as_struct() ? *arg.as_struct() : Struct{});
                                break;
                            case 2:
                            case 3:
                                unlink(f.relation, {rid});
                                break;
                            case 4:
                                write(f.relation, {rid}, Struct{{f.inverse, id}});
                                break;
                            case 5:
                            case 6: {
                                Ids keep = op == 6 ? ids_of(arg) : Ids{};
                                Ids drop;
                                for (const auto& [cid, child] : table(f.relation)) {
                                    if (child.at(f.inverse).as_int() == id &&
                                        std::find(keep.begin(), keep.end(), cid) == keep.end()) {
                                        drop.push_back(cid);
                                    }
                                }
                                for (auto cid : drop) unlink(f.relation, {cid});
                                for (auto kid : keep)
                                    write(f.relation, {kid}, Struct{{f.inverse, id}});
                                break;
                            }
                            default:
                                raise(kValueError, "Invalid command " + c.repr());
                        }
                    } else {
                        Value curv = get(model_name, tables[model_name].at(id), f);
                        Ids cur = ids_of(curv);
                        switch (op) {
                            case 0:
                                cur.push_back(create(
                                    f.relation, arg.as_struct() ? *arg.as_struct() : Struct{}));
                                break;
                            case 1:
                                write(f.relation, {rid},
                                      arg.as_struct() ? *arg.as_struct() : Struct{});
                                break;
                            case 2:
                                unlink(f.relation, {rid});
                                [[fallthrough]];
                            case 3:
                                cur.erase(std::remove(cur.begin(), cur.end(), rid), cur.end());
                                break;
                            case 4:
                                if (!exists(f.relation, rid)) missing(f.relation, rid);
                                if (std::find(cur.begin(), cur.end(), rid) == cur.end())
                                    cur.push_back(rid);
                                break;
                            case 5:
                                cur.clear();
                                break;
                            case 6:
                                cur = ids_of(arg);
                                for (auto x : cur) {
                                    if (!exists(f.relation, x)) missing(f.relation, x);
                                }
                                break;
                            default:
                                raise(kValueError, "Invalid command " + c.repr());
                        }
                        row_mut(model_name, id).insert_or_assign(k, clarity::odoo::ids_array(cur));
                    }
                }
            }
            continue;
        }
        Value stored = convert(*this, m, f, v);
        if (f.required && stored.is_empty()) required_missing(*this, m, f);
        if (model_name == "res.partner" && k == "parent_id" && stored.as_int()) {
            for (auto id : ids) {
                std::int64_t cur = *stored.as_int();
                for (int guard = 0; guard < 100 && cur != 0; ++guard) {
                    if (cur == id)
                        raise(kValidationError, "You cannot create recursive Partner hierarchies.");
                    const Struct& parent = table("res.partner").at(cur);
                    auto up = parent.find("parent_id");
                    cur = up == parent.end() ? 0 : to_id(up->second);
                }
            }
        }
        for (auto id : ids) {
            row_mut(model_name, id).insert_or_assign(k, stored);
            row_mut(model_name, id).insert_or_assign("write_date", now());
        }
    }
}

void FakeOdoo::State::unlink(const std::string& model_name, const Ids& ids) {
    model(model_name);
    check_access(model_name, "delete");
    for (auto id : ids) {
        if (!exists(model_name, id)) missing(model_name, id);
        touch(model_name, id);
        tables[model_name].erase(id);
    }
}

}  // namespace clarity::fakes::odoo
