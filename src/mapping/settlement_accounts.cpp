#include "clarity/mapping/settlement_accounts.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "clarity/core/file_read.hpp"
#include "clarity/core/yaml_text.hpp"
#include "clarity/model/financial.hpp"

namespace clarity::mapping {

namespace {

// Keep identical to config/mapping/settlement_accounts.yaml (a unit test compares them).
constexpr std::string_view kDefaultYaml = R"yaml(bank:
  account: "101402"
  label: "Amazon settlement transfer"
suspense:
  account: "499999"
  label: "Amazon settlement suspense (unmapped)"
rules:
  - {amount_type: ItemPrice, amount_description: Principal, account: "400100", label: "Amazon sales"}
  - {amount_type: ItemPrice, amount_description: Tax, account: "251000", label: "Sales tax payable"}
  - {amount_type: ItemPrice, amount_description: Shipping, account: "400200", label: "Shipping revenue"}
  - {amount_type: ItemPrice, amount_description: ShippingTax, account: "251000", label: "Sales tax payable"}
  - {amount_type: ItemPrice, amount_description: GiftWrap, account: "400300", label: "Gift wrap revenue"}
  - {amount_type: ItemPrice, amount_description: GiftWrapTax, account: "251000", label: "Sales tax payable"}
  - {amount_description: ShippingCharge, account: "400200", label: "Shipping revenue"}
  - {amount_description: ShippingTax, account: "251000", label: "Sales tax payable"}
  - {amount_type: ItemWithheldTax, account: "251100", label: "Marketplace facilitator tax withheld"}
  - {amount_type: Promotion, account: "400900", label: "Amazon promotions"}
  - {amount_type: ItemFees, amount_description: Commission, account: "620100", label: "Amazon commission"}
  - {amount_type: ItemFees, amount_description: RefundCommission, account: "620100", label: "Amazon commission"}
  - {amount_type: ItemFees, amount_description: FBAPerUnitFulfillmentFee, account: "620200", label: "FBA fulfilment fees"}
  - {amount_type: ItemFees, amount_description: FBAPerOrderFulfillmentFee, account: "620200", label: "FBA fulfilment fees"}
  - {amount_type: ItemFees, amount_description: FBAWeightBasedFee, account: "620200", label: "FBA fulfilment fees"}
  - {amount_type: ItemFees, account: "620900", label: "Other Amazon selling fees"}
  - {amount_type: other-transaction, amount_description: Current Reserve Amount, account: "102500", label: "Amazon reserve"}
  - {amount_type: other-transaction, amount_description: Previous Reserve Amount Balance, account: "102500", label: "Amazon reserve"}
  - {transaction_type: ServiceFee, account: "620300", label: "Amazon service fees"}
  - {transaction_type: Adjustment, account: "400800", label: "Amazon adjustments and reimbursements"}
)yaml";

bool is_wild(std::string_view s) { return s.empty() || s == "*"; }

std::string where(std::string_view origin, const YAML::Node& node) {
    const auto mark = node.Mark();
    if (mark.line < 0) return std::string(origin);
    return std::string(origin) + ":" + std::to_string(mark.line + 1);
}

std::string scalar(const YAML::Node& node, const char* key, std::string_view origin) {
    const auto v = node[key];
    if (!v) return {};
    if (!v.IsScalar()) {
        throw AccountMapError(where(origin, v) + ": '" + key + "' must be a text value");
    }
    return v.as<std::string>();
}

AccountTarget read_target(const YAML::Node& node, std::string_view origin, std::string_view what) {
    if (!node || !node.IsMap()) {
        throw AccountMapError(std::string(origin) + ": '" + std::string(what) +
                              "' must be a mapping with at least 'account'");
    }
    AccountTarget t;
    t.account = scalar(node, "account", origin);
    t.label = scalar(node, "label", origin);
    t.tax = scalar(node, "tax", origin);
    t.analytic_tag = scalar(node, "analytic_tag", origin);
    if (t.account.empty()) {
        throw AccountMapError(where(origin, node) + ": " + std::string(what) +
                              " has no 'account' (the account code to book to)");
    }
    return t;
}

}  // namespace

int AccountRule::specificity() const noexcept {
    return static_cast<int>(!is_wild(transaction_type)) + !is_wild(amount_type) +
           !is_wild(amount_description);
}

bool AccountRule::matches(std::string_view tt,
                          std::string_view at,
                          std::string_view ad) const noexcept {
    return (is_wild(transaction_type) || model::iequals(transaction_type, tt)) &&
           (is_wild(amount_type) || model::iequals(amount_type, at)) &&
           (is_wild(amount_description) || model::iequals(amount_description, ad));
}

const AccountRule* SettlementAccountMap::find(std::string_view tt,
                                              std::string_view at,
                                              std::string_view ad) const noexcept {
    const AccountRule* best = nullptr;
    for (const auto& rule : rules) {
        if (rule.matches(tt, at, ad) &&
            (best == nullptr || rule.specificity() > best->specificity())) {
            best = &rule;
        }
    }
    return best;
}

SettlementAccountMap SettlementAccountMap::from_yaml(std::string_view yaml,
                                                     std::string_view origin) {
    if (auto problem = core::check_yaml_text(yaml)) {
        throw AccountMapError(std::string(origin) + ":" + std::to_string(problem->line) + ":" +
                              std::to_string(problem->column) +
                              ": not valid YAML: " + problem->reason);
    }
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml));
    } catch (const YAML::DeepRecursion& e) {
        throw AccountMapError(std::string(origin) + ":" + std::to_string(e.mark.line + 1) +
                              ": not valid YAML: " + core::yaml_depth_reason());
    } catch (const YAML::Exception& e) {
        throw AccountMapError(std::string(origin) + ":" + std::to_string(e.mark.line + 1) +
                              ": not valid YAML: " + e.msg);
    }
    if (!root.IsMap()) {
        throw AccountMapError(std::string(origin) +
                              ": an account map is a mapping with bank, suspense and rules");
    }
    static const std::vector<std::string> kTopKeys{"bank", "suspense", "rules"};
    for (const auto& kv : root) {
        const auto key = kv.first.as<std::string>();
        if (std::find(kTopKeys.begin(), kTopKeys.end(), key) == kTopKeys.end()) {
            throw AccountMapError(where(origin, kv.first) + ": unknown key '" + key +
                                  "' (expected bank, suspense, rules)");
        }
    }
    SettlementAccountMap map;
    map.bank = read_target(root["bank"], origin, "bank");
    map.suspense = read_target(root["suspense"], origin, "suspense");
    const auto rules = root["rules"];
    if (rules && !rules.IsSequence()) {
        throw AccountMapError(where(origin, rules) + ": 'rules' must be a list");
    }
    static const std::vector<std::string> kRuleKeys{
        "transaction_type", "amount_type",    "amount_description", "account", "label", "tax",
        "analytic_tag",     "refund_account", "refund_label"};
    std::size_t i = 0;
    for (const auto& node : rules) {
        const std::string what = "rule " + std::to_string(++i);
        if (!node.IsMap())
            throw AccountMapError(where(origin, node) + ": " + what + " must be a mapping");
        for (const auto& kv : node) {
            const auto key = kv.first.as<std::string>();
            if (std::find(kRuleKeys.begin(), kRuleKeys.end(), key) == kRuleKeys.end()) {
                throw AccountMapError(where(origin, kv.first) + ": " + what + ": unknown key '" +
                                      key + "'");
            }
        }
        AccountRule rule;
        rule.transaction_type = scalar(node, "transaction_type", origin);
        rule.amount_type = scalar(node, "amount_type", origin);
        rule.amount_description = scalar(node, "amount_description", origin);
        if (rule.transaction_type.empty()) rule.transaction_type = "*";
        if (rule.amount_type.empty()) rule.amount_type = "*";
        if (rule.amount_description.empty()) rule.amount_description = "*";
        rule.target = read_target(node, origin, what);
        const auto refund_account = scalar(node, "refund_account", origin);
        if (!refund_account.empty()) {
            AccountTarget r = rule.target;
            r.account = refund_account;
            const auto refund_label = scalar(node, "refund_label", origin);
            if (!refund_label.empty()) r.label = refund_label;
            rule.refund_target = r;
        }
        if (rule.specificity() == 0) {
            throw AccountMapError(where(origin, node) + ": " + what +
                                  " matches everything; unmapped amounts belong in 'suspense'");
        }
        map.rules.push_back(std::move(rule));
    }
    return map;
}

SettlementAccountMap SettlementAccountMap::load(const std::filesystem::path& path) {
    auto text = core::read_regular_file(path, core::kMaxConfigFileBytes);
    if (!text) {
        throw AccountMapError("cannot read account map " + path.string() + ": " +
                              text.error().message +
                              "; check the path (settlement.account_map / --map)");
    }
    return from_yaml(*text, path.string());
}

SettlementAccountMap SettlementAccountMap::builtin_default() {
    return from_yaml(kDefaultYaml, "built-in settlement account map");
}

std::string_view SettlementAccountMap::builtin_default_yaml() noexcept { return kDefaultYaml; }

SettlementAccountMap SettlementOptions::load_account_map() const {
    if (account_map.empty()) return SettlementAccountMap::builtin_default();
    return SettlementAccountMap::load(account_map);
}

core::ConfigSpec settlement_config_spec() {
    core::ConfigSpec spec;
    spec.add({.name = "account_map",
              .type = core::ConfigType::string,
              .description = "Account map YAML for settlement journal lines (empty: built-in "
                             "default, as config/mapping/settlement_accounts.yaml)",
              .default_value = "\"\"",
              .required = false,
              .allowed = {},
              .children = {}});
    spec.add({.name = "decimal",
              .type = core::ConfigType::string,
              .description = "Decimal separator of settlement amounts",
              .default_value = "automatic",
              .required = false,
              .allowed = {"automatic", "point", "comma"},
              .children = {}});
    spec.add({.name = "slash_dates",
              .type = core::ConfigType::string,
              .description = "Reading of ambiguous slash dates (09/06/25) in settlement reports",
              .default_value = "automatic",
              .required = false,
              .allowed = {"automatic", "month_first", "day_first"},
              .children = {}});
    return spec;
}

SettlementOptions settlement_options_from_config(const core::ConfigNode& node) {
    SettlementOptions o;
    if (node.has("account_map")) o.account_map = node.get_string("account_map");
    if (node.has("decimal")) o.decimal = node.get_string("decimal");
    if (node.has("slash_dates")) o.slash_dates = node.get_string("slash_dates");
    return o;
}

}  // namespace clarity::mapping
