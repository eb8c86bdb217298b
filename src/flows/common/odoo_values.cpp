#include "common/odoo_values.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace clarity::flows {

using odoo::Array;
using odoo::Struct;
using OValue = odoo::Value;

OValue to_odoo(const model::Value& v) {
    using K = model::Value::Kind;
    switch (v.kind()) {
        case K::null:
            return false;
        case K::boolean:
            return v.as_bool();
        case K::integer:
            return static_cast<long long>(v.as_int());
        case K::decimal:
            return std::strtod(v.as_decimal().to_string().c_str(), nullptr);
        case K::string:
            return v.as_string();
        case K::array: {
            Array a;
            a.reserve(v.size());
            for (const auto& e : v.items()) a.push_back(to_odoo(e));
            return a;
        }
        case K::object: {
            Struct s;
            for (std::size_t i = 0; i < v.size(); ++i)
                s.insert_or_assign(v.keys()[i], to_odoo(v.items()[i]));
            return s;
        }
    }
    return false;
}

double to_double(const model::Decimal& d) { return std::strtod(d.to_string().c_str(), nullptr); }

model::Decimal from_double(double v, int scale) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", scale, v);
    return model::Decimal::parse(buf).value_or(model::Decimal{});
}

std::string stable_hash(std::string_view text) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::vector<std::string> both(const std::string& a, const std::string& b) {
    std::vector<std::string> v;
    v.push_back(a);
    v.push_back(b);
    return v;
}

Struct struct1(std::string key, OValue value) {
    Struct s;
    s.emplace(std::move(key), std::move(value));
    return s;
}

Array command(int op, std::int64_t id, OValue values) {
    Array a;
    a.emplace_back(op);
    a.emplace_back(static_cast<long long>(id));
    a.push_back(std::move(values));
    return a;
}

std::vector<std::int64_t> one_id(std::int64_t id) { return std::vector<std::int64_t>(1, id); }

Array ids1(std::int64_t id) {
    Array a;
    a.emplace_back(static_cast<long long>(id));
    return a;
}

std::string text_of(const model::Value& v) { return v.is_null() ? std::string{} : v.to_text(); }

std::vector<std::int64_t> tax_ids_of(const OValue& v) {
    std::vector<std::int64_t> out;
    if (const auto* a = v.as_array()) {
        for (const auto& e : *a) {
            if (auto i = e.as_int()) {
                out.push_back(*i);
            } else if (const auto* cmd = e.as_array(); cmd && cmd->size() == 3) {
                if ((*cmd)[0].as_int() == 6) {
                    out.clear();
                    if (const auto* ids = (*cmd)[2].as_array()) {
                        for (const auto& x : *ids) {
                            if (auto i = x.as_int()) out.push_back(*i);
                        }
                    }
                }
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string m2o_name(const OValue& v) {
    const auto* a = v.as_array();
    if (a == nullptr || a->size() < 2) return {};
    return (*a)[1].as_string().value_or("");
}

Result<bool> action_outcome(const Result<odoo::ActionResult>& r, const std::string& what) {
    if (!r) return r.error();
    if (r->needs_wizard()) {
        return Error{ErrorKind::permanent, "Odoo answered " + what + " with the wizard '" +
                                               r->wizard->res_model + "' instead of doing it"};
    }
    return true;
}

boost::asio::awaitable<Result<std::optional<std::int64_t>>> cached_id(odoo::OdooClient& odoo,
                                                                      std::string model,
                                                                      odoo::Domain domain) {
    odoo::SearchOptions so;
    so.fields = {"id"};
    so.limit = 1;
    so.order = "id asc";
    auto rows =
        co_await odoo.search_read_cached(std::move(model), std::move(domain), std::move(so));
    if (!rows) co_return rows.error();
    if (rows->empty()) co_return std::optional<std::int64_t>{};
    co_return (*rows)[0]["id"].as_int();
}

}  // namespace clarity::flows
