#pragma once
// Small pieces every flow that writes to Odoo uses: canonical values as Odoo values, Odoo floats
// as exact decimals, x2many commands, the id of a record found through the stable-data cache, and
// an action's answer (done, or a wizard instead of the work).
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/core/result.hpp"
#include "clarity/model/money.hpp"
#include "clarity/model/value.hpp"
#include "clarity/odoo/client.hpp"

namespace clarity::flows {

/// A canonical value as an Odoo value (null → false; decimals → float, rounded by Odoo).
odoo::Value to_odoo(const model::Value& v);
double to_double(const model::Decimal& d);
/// Odoo float → exact decimal at `scale` (Odoo rounds monetary fields to the currency).
model::Decimal from_double(double v, int scale);
/// The text of a canonical value ("" for null).
std::string text_of(const model::Value& v);

/// 64-bit FNV-1a as 16 hex digits: stable keys for external ids (not a security hash).
std::string stable_hash(std::string_view text);
std::string lower(std::string s);

odoo::Struct struct1(std::string key, odoo::Value value);
/// An x2many command [op, id, values].
odoo::Array command(int op, std::int64_t id, odoo::Value values);
std::vector<std::int64_t> one_id(std::int64_t id);
odoo::Array ids1(std::int64_t id);
/// Built outside the coroutines: g++ 12 rejects braced lists of std::string lvalues in coroutine
/// frames ("array used as initializer").
std::vector<std::string> both(const std::string& a, const std::string& b);
/// The name of a many2one value [id, "name"] ("" when there is none).
std::string m2o_name(const odoo::Value& v);
/// The tax ids of a sale line, sorted: from a read ([ids]) or from the commands a flow writes
/// ([[6, 0, [ids]]]).
std::vector<std::int64_t> tax_ids_of(const odoo::Value& v);

/// id of the first record of `model` matching `domain`, through the stable-data cache
/// (search_read_cached: countries, states, currencies, ...).
boost::asio::awaitable<Result<std::optional<std::int64_t>>> cached_id(odoo::OdooClient& odoo,
                                                                      std::string model,
                                                                      odoo::Domain domain);

/// An action's reply: done, the call's error, or — a window action instead of the work — a
/// permanent error naming the wizard (an action is never taken as done on its word alone: the
/// flow also reads the resulting state).
Result<bool> action_outcome(const Result<odoo::ActionResult>& r, const std::string& what);

}  // namespace clarity::flows
