// The version table. Facts: ../shared/reference/odoo/NOTES.md §4 (checked in source for 16/17,
// with fields_get on live 18 and 19).
#include "clarity/odoo/schema.hpp"

#include <algorithm>

namespace clarity::odoo {

Result<ServerVersion> parse_server_version(const Value& result) {
    ServerVersion v;
    const Value& info = result["server_version_info"];
    const auto* arr = info.as_array();
    if (arr == nullptr || arr->empty() || !(*arr)[0].as_int()) {
        return make_error(ErrorKind::permanent,
                          "the server's common.version has no server_version_info; is the URL an "
                          "Odoo server?",
                          "odoo common.version");
    }
    v.major = static_cast<int>(*(*arr)[0].as_int());
    if (arr->size() > 1 && (*arr)[1].as_int()) v.minor = static_cast<int>(*(*arr)[1].as_int());
    v.server_version = result["server_version"].as_string().value_or("");
    v.serie = result["server_serie"].as_string().value_or("");
    return v;
}

namespace {

int clamp_major(int major) { return std::clamp(major, kMinSupportedMajor, kMaxKnownMajor); }

}  // namespace

FieldName field_name(FieldMeaning meaning, int major) {
    int m = clamp_major(major);
    switch (meaning) {
        case FieldMeaning::sale_line_taxes:
            return {"sale.order.line", m >= 19 ? "tax_ids" : "tax_id"};
        case FieldMeaning::sale_line_uom:
            return {"sale.order.line", m >= 19 ? "product_uom_id" : "product_uom"};
        case FieldMeaning::product_kind:
            return {"product.template", m >= 18 ? "type" : "detailed_type"};
        case FieldMeaning::product_storable:
            return {"product.template", m >= 18 ? "is_storable" : "detailed_type"};
        case FieldMeaning::payment_memo:
            return {"account.payment", m >= 18 ? "memo" : "ref"};
        case FieldMeaning::user_groups:
            return {"res.users", m >= 19 ? "group_ids" : "groups_id"};
        case FieldMeaning::picking_tracking_ref:
            return {"stock.picking", "carrier_tracking_ref"};
        case FieldMeaning::move_done_quantity:
            return {"stock.move", m >= 17 ? "quantity" : "quantity_done"};
    }
    return {};
}

std::vector<std::string> field_spellings(FieldMeaning meaning) {
    std::vector<std::string> out;
    for (int m = kMinSupportedMajor; m <= kMaxKnownMajor; ++m) {
        auto f = field_name(meaning, m).field;
        if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    }
    return out;
}

std::string_view to_string(FieldMeaning meaning) noexcept {
    switch (meaning) {
        case FieldMeaning::sale_line_taxes:
            return "sale line taxes";
        case FieldMeaning::sale_line_uom:
            return "sale line unit of measure";
        case FieldMeaning::product_kind:
            return "product type";
        case FieldMeaning::product_storable:
            return "storable product flag";
        case FieldMeaning::payment_memo:
            return "payment memo";
        case FieldMeaning::user_groups:
            return "user groups";
        case FieldMeaning::picking_tracking_ref:
            return "picking tracking reference";
        case FieldMeaning::move_done_quantity:
            return "done quantity of a stock move";
    }
    return "?";
}

Struct storable_product_values(int major) {
    if (clamp_major(major) >= 18) return Struct{{"type", "consu"}, {"is_storable", true}};
    return Struct{{"detailed_type", "product"}};
}

bool is_storable(const Value& record, int major) {
    if (clamp_major(major) >= 18) return record["is_storable"] == Value(true);
    return record["detailed_type"] == Value("product");
}

std::vector<std::string> storable_read_fields(int major) {
    if (clamp_major(major) >= 18) return {"type", "is_storable"};
    return {"detailed_type"};
}

std::string_view sale_state_value(SaleState state, int major) {
    switch (state) {
        case SaleState::draft:
            return "draft";
        case SaleState::sent:
            return "sent";
        case SaleState::sale:
            return "sale";
        // 17+ has no 'done': a locked order is state 'sale' with locked=True.
        case SaleState::done:
            return clamp_major(major) <= 16 ? "done" : "sale";
        case SaleState::cancel:
            return "cancel";
    }
    return "draft";
}

std::optional<SaleState> parse_sale_state(std::string_view value) {
    if (value == "draft") return SaleState::draft;
    if (value == "sent") return SaleState::sent;
    if (value == "sale") return SaleState::sale;
    if (value == "done") return SaleState::done;
    if (value == "cancel") return SaleState::cancel;
    return std::nullopt;
}

std::optional<PaymentState> parse_payment_state(std::string_view value, int major) {
    if (value == "draft") return PaymentState::draft;
    if (clamp_major(major) >= 18) {
        if (value == "in_process") return PaymentState::posted;
        if (value == "paid") return PaymentState::paid;
        if (value == "canceled") return PaymentState::cancelled;
        if (value == "rejected") return PaymentState::rejected;
        return std::nullopt;
    }
    if (value == "posted") return PaymentState::posted;
    if (value == "cancel") return PaymentState::cancelled;
    return std::nullopt;
}

std::vector<std::string> posted_payment_states(int major) {
    if (clamp_major(major) >= 18) return {"in_process", "paid"};
    return {"posted"};
}

std::optional<PickingState> parse_picking_state(std::string_view value) {
    if (value == "draft") return PickingState::draft;
    if (value == "waiting") return PickingState::waiting;
    if (value == "confirmed") return PickingState::confirmed;
    if (value == "assigned") return PickingState::assigned;
    if (value == "done") return PickingState::done;
    if (value == "cancel") return PickingState::cancel;
    return std::nullopt;
}

const FieldInfo* ModelFields::find(std::string_view field) const {
    auto it = fields.find(field);
    return it == fields.end() ? nullptr : &it->second;
}

Result<ModelFields> parse_fields_get(std::string_view model, const Value& result) {
    const auto* obj = result.as_struct();
    if (obj == nullptr) {
        return make_error(ErrorKind::permanent,
                          "fields_get of '" + std::string(model) + "' did not return a dict",
                          "odoo " + std::string(model) + ".fields_get");
    }
    ModelFields mf;
    mf.model = std::string(model);
    for (const auto& [name, attrs] : *obj) {
        FieldInfo fi;
        fi.name = name;
        fi.type = attrs["type"].as_string().value_or("");
        fi.relation = attrs["relation"].as_string().value_or("");
        fi.required = attrs["required"] == Value(true);
        fi.readonly = attrs["readonly"] == Value(true);
        fi.string = attrs["string"].as_string().value_or("");
        if (const auto* sel = attrs["selection"].as_array()) {
            for (const auto& pair : *sel) {
                const auto* p = pair.as_array();
                if (p != nullptr && p->size() == 2) {
                    fi.selection.emplace_back((*p)[0].as_string().value_or(""),
                                              (*p)[1].as_string().value_or(""));
                }
            }
        }
        mf.fields.emplace(name, std::move(fi));
    }
    return mf;
}

const ModelFields* OdooSchema::model(std::string_view name) const {
    auto it = models.find(name);
    return it == models.end() ? nullptr : &it->second;
}

Result<FieldName> OdooSchema::resolve(FieldMeaning meaning) const {
    FieldName preferred = field_name(meaning, version.major);
    const ModelFields* mf = model(preferred.model);
    if (mf == nullptr || mf->has(preferred.field)) return preferred;
    for (const auto& spelling : field_spellings(meaning)) {
        if (mf->has(spelling)) return FieldName{preferred.model, spelling};
    }
    if (auto r = require(preferred.model, preferred.field); !r) return r.error();
    return preferred;
}

Result<void> OdooSchema::require(std::string_view model_name, std::string_view field) const {
    std::string where = "Odoo " + (version.server_version.empty() ? std::to_string(version.major)
                                                                  : version.server_version);
    const ModelFields* mf = model(model_name);
    if (mf == nullptr) {
        return make_error(ErrorKind::permanent,
                          where + " has no model '" + std::string(model_name) +
                              "' (install the module that provides it, or remove it from the "
                              "mapping)",
                          "odoo startup");
    }
    if (!mf->has(field)) {
        return make_error(ErrorKind::permanent,
                          where + ": model '" + std::string(model_name) + "' has no field '" +
                              std::string(field) +
                              "' that the mapping needs (install the module that adds it, e.g. "
                              "stock_delivery for carrier_tracking_ref, or fix the mapping)",
                          "odoo startup");
    }
    return {};
}

}  // namespace clarity::odoo
