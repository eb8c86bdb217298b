#pragma once
/// \file
/// The live Odoo schema a template is checked against. The Odoo connector implements
/// OdooSchema from `fields_get` (type, relation, selection per field); StaticOdooSchema holds a
/// fixed set (tests, previews from a saved fields_get answer). Plain types: no I/O here.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/model/value.hpp"

namespace clarity::mapping {

/// One field as `fields_get` describes it.
struct OdooField {
    std::string type;      ///< char, text, html, selection, integer, float, monetary, boolean,
                           ///< date, datetime, many2one, one2many, many2many, binary, ...
    std::string relation;  ///< related model of many2one/one2many/many2many
    std::vector<std::string> selection;  ///< allowed keys of a selection field
    bool required = false;
    bool readonly = false;
};

/// Read-only schema access. Implementations must be safe to call from the thread that checks
/// templates (no concurrency required).
class OdooSchema {
  public:
    virtual ~OdooSchema() = default;
    /// True when the schema knows the model (its fields were fetched).
    virtual bool has_model(std::string_view model) const = 0;
    /// The field, or nullptr when the model has no such field (or the model is unknown).
    virtual const OdooField* field(std::string_view model, std::string_view name) const = 0;
};

/// An in-memory schema.
class StaticOdooSchema final : public OdooSchema {
  public:
    StaticOdooSchema& add(const std::string& model, const std::string& name, OdooField field);
    /// Adds every field of a `fields_get` result object (`{"name": {"type": ..., "relation":
    /// ..., "selection": [["key", "Label"], ...]}}`).
    StaticOdooSchema& add_fields_get(const std::string& model, const model::Value& result);

    bool has_model(std::string_view model) const override;
    const OdooField* field(std::string_view model, std::string_view name) const override;

  private:
    std::map<std::string, std::map<std::string, OdooField, std::less<>>, std::less<>> models_;
};

}  // namespace clarity::mapping
