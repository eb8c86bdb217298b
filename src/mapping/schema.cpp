#include "clarity/mapping/schema.hpp"

namespace clarity::mapping {

StaticOdooSchema& StaticOdooSchema::add(const std::string& model,
                                        const std::string& name,
                                        OdooField field) {
    models_[model][name] = std::move(field);
    return *this;
}

StaticOdooSchema& StaticOdooSchema::add_fields_get(const std::string& model,
                                                   const model::Value& result) {
    auto& fields = models_[model];
    for (std::size_t i = 0; i < result.keys().size(); ++i) {
        const model::Value& f = result.items()[i];
        OdooField field;
        auto text = [&](std::string_view key) -> std::string {
            const model::Value* v = f.find(key);
            return v != nullptr && v->is_string() ? v->as_string() : std::string();
        };
        auto flag = [&](std::string_view key) {
            const model::Value* v = f.find(key);
            return v != nullptr && v->is_bool() && v->as_bool();
        };
        field.type = text("type");
        field.relation = text("relation");
        field.required = flag("required");
        field.readonly = flag("readonly");
        if (const model::Value* sel = f.find("selection"); sel != nullptr && sel->is_array()) {
            for (const auto& pair : sel->items()) {
                if (pair.is_array() && !pair.items().empty()) {
                    field.selection.push_back(pair.items()[0].to_text());
                }
            }
        }
        fields[result.keys()[i]] = std::move(field);
    }
    return *this;
}

bool StaticOdooSchema::has_model(std::string_view model) const {
    return models_.find(model) != models_.end();
}

const OdooField* StaticOdooSchema::field(std::string_view model, std::string_view name) const {
    auto m = models_.find(model);
    if (m == models_.end()) return nullptr;
    auto f = m->second.find(name);
    return f == m->second.end() ? nullptr : &f->second;
}

}  // namespace clarity::mapping
