#pragma once
/// \file
/// Mapping templates: YAML files (config/mapping/<flow>.yaml, overridable per connection) that
/// say how canonical entities become Odoo values (or, for product_export, how Odoo product
/// fields become Amazon listing attributes). A template is parsed and validated once and
/// compiled into a flat program; mapping an entity then does no YAML, no parsing of paths and
/// no string-keyed look-ups. See docs/mapping.md for the format and every error message.
///
/// Thread-safety: a loaded MappingTemplate is immutable and may be used from several threads.

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/mapping/schema.hpp"

namespace clarity::mapping {

/// Thrown when a template cannot be loaded. what() lists every problem, one per line, each
/// starting with "file:line:column:".
class TemplateError : public std::runtime_error {
  public:
    explicit TemplateError(std::vector<std::string> problems);
    const std::vector<std::string>& problems() const noexcept { return problems_; }

  private:
    std::vector<std::string> problems_;
};

namespace detail {
struct Program;
}

class MappingTemplate {
  public:
    /// Loads and validates a template file. A file may say `extends: <file>` (relative to its
    /// own directory) to start from another template and override, add or (with `~`) remove
    /// fields. Throws TemplateError.
    static MappingTemplate load_file(const std::filesystem::path& path);
    /// Same from text; `file_name` is used in messages and to resolve `extends`.
    static MappingTemplate load_string(std::string_view yaml, const std::string& file_name);

    const std::string& file() const noexcept;
    const std::string& flow() const noexcept;
    /// "order", "product" or "shipment".
    const std::string& source() const noexcept;
    /// Target: an Odoo model ("sale.order"), "amazon.listing" or "amazon.shipment".
    const std::string& target() const noexcept;
    /// Every Odoo model the template writes to or looks up (fetch their fields_get).
    std::vector<std::string> referenced_models() const;

    /// Checks the template against a live schema: target fields exist, types are compatible,
    /// selection values are allowed, look-ups match the many2one's relation. Returns one message
    /// per problem ("file:line:column: ..."); empty when all is well.
    std::vector<std::string> check_schema(const OdooSchema& schema) const;

    const detail::Program& program() const noexcept { return *program_; }
    std::shared_ptr<const detail::Program> shared_program() const noexcept { return program_; }

  private:
    explicit MappingTemplate(std::shared_ptr<const detail::Program> p) : program_(std::move(p)) {}
    std::shared_ptr<const detail::Program> program_;
};

/// Default template of a flow: <dir>/<flow>.yaml, or the connection's override file when given.
std::filesystem::path template_path(const std::filesystem::path& dir,
                                    const std::string& flow,
                                    const std::string& override_file = {});

}  // namespace clarity::mapping
