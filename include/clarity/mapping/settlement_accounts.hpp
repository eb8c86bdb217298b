#pragma once
/// \file
/// The settlement account map: which ledger account (and label, tax, analytic tag) each settlement
/// amount goes to, keyed by (transaction type, amount type, amount description). Loaded from YAML
/// (config/mapping/settlement_accounts.yaml is the default; see docs/settlement.md). Pure: no I/O
/// beyond reading the map file in load().

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/core/config.hpp"

namespace clarity::mapping {

/// Where an amount is booked.
struct AccountTarget {
    std::string account;       ///< account code in Odoo, e.g. "400100"
    std::string label;         ///< journal line label
    std::string tax;           ///< tax name/code to put on the line ("" = none)
    std::string analytic_tag;  ///< analytic tag/account ("" = none)

    friend bool operator==(const AccountTarget&, const AccountTarget&) = default;
    friend auto operator<=>(const AccountTarget&, const AccountTarget&) = default;
};

/// One rule. A field that is "*" (or absent in YAML) matches anything; matching ignores case.
struct AccountRule {
    std::string transaction_type = "*";
    std::string amount_type = "*";
    std::string amount_description = "*";
    AccountTarget target;
    /// Where refunds of this amount go; nullopt = same account, separate "(refunds)" line.
    std::optional<AccountTarget> refund_target;

    /// Number of non-wildcard fields (more specific rules win).
    int specificity() const noexcept;
    bool matches(std::string_view transaction_type,
                 std::string_view amount_type,
                 std::string_view amount_description) const noexcept;
};

/// Thrown by from_yaml()/load() with a message naming the file, the rule and the problem.
class AccountMapError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class SettlementAccountMap {
  public:
    AccountTarget bank;      ///< the transfer to the seller's bank (settlement total)
    AccountTarget suspense;  ///< amounts no rule matches (reported, never dropped)
    std::vector<AccountRule> rules;

    /// The most specific matching rule (ties: the first in file order); nullptr = suspense.
    const AccountRule* find(std::string_view transaction_type,
                            std::string_view amount_type,
                            std::string_view amount_description) const noexcept;

    /// Parses the YAML text. `origin` names the source in messages. Throws AccountMapError.
    static SettlementAccountMap from_yaml(std::string_view yaml, std::string_view origin = "map");
    /// Reads and parses a file. Throws AccountMapError (unreadable file included).
    static SettlementAccountMap load(const std::filesystem::path& path);
    /// The built-in default, identical to config/mapping/settlement_accounts.yaml.
    static SettlementAccountMap builtin_default();
    /// The YAML text of the built-in default.
    static std::string_view builtin_default_yaml() noexcept;
};

/// Settlement options of the daemon's config (section `settlement`).
struct SettlementOptions {
    std::string account_map;                ///< path of the account map YAML; "" = built-in default
    std::string decimal = "automatic";      ///< automatic | point | comma
    std::string slash_dates = "automatic";  ///< automatic | month_first | day_first

    /// The map named by account_map, or the built-in default. Throws AccountMapError.
    SettlementAccountMap load_account_map() const;
};

/// Keys of the `settlement` config section.
core::ConfigSpec settlement_config_spec();
/// Reads a validated `settlement` section.
SettlementOptions settlement_options_from_config(const core::ConfigNode& node);

}  // namespace clarity::mapping
