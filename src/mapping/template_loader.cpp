// Loads mapping templates (YAML) and compiles them into detail::Program. Every problem found is
// collected with its file:line:column; the template is rejected as a whole (TemplateError).
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "clarity/core/file_read.hpp"
#include "clarity/core/yaml_text.hpp"
#include "clarity/mapping/template.hpp"
#include "program.hpp"

namespace clarity::mapping {

namespace {

using detail::Conversion;
using detail::Entity;
using detail::FieldOp;
using detail::Program;
using detail::RawRoot;
using detail::Source;
using detail::ValueType;
using model::Value;

std::string join(const std::vector<std::string>& v, std::string_view sep = "\n") {
    std::string out;
    for (const auto& s : v) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

/// A YAML node with the file it came from (templates may extend other files).
struct Located {
    YAML::Node node;
    std::string file;
};

struct NamedField {
    std::string name;
    Located spec;
    Located key;  // the key node, for the line of the field name
};

struct Merged {
    std::map<std::string, Located> scalars;  // flow, source, target, lines.target, ...
    std::vector<NamedField> record, lines, outputs;
    bool has_lines = false;
    Located lines_node;
};

class Loader {
  public:
    std::vector<std::string> problems;

    std::string where(const YAML::Node& n, const std::string& file) const {
        const auto m = n.Mark();
        if (m.line < 0) return file;
        return file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
    }
    void problem(const YAML::Node& n, const std::string& file, const std::string& text) {
        problems.push_back(where(n, file) + ": " + text);
    }

    bool parse(std::string_view yaml, const std::string& file, YAML::Node& out) {
        const auto yaml_error = [&](std::size_t line, std::size_t column, const std::string& why) {
            problems.push_back(file + ":" + std::to_string(line) + ":" + std::to_string(column) +
                               ": YAML error: " + why);
            return false;
        };
        if (auto problem = core::check_yaml_text(yaml)) {
            return yaml_error(problem->line, problem->column, problem->reason);
        }
        try {
            out = YAML::Load(std::string(yaml));
        } catch (const YAML::DeepRecursion& e) {
            return yaml_error(e.mark.line + 1, e.mark.column + 1, core::yaml_depth_reason());
        } catch (const YAML::ParserException& e) {
            return yaml_error(e.mark.line + 1, e.mark.column + 1, e.msg);
        }
        if (!out.IsMap()) {
            problems.push_back(file + ":1:1: a mapping template must be a YAML mapping");
            return false;
        }
        return true;
    }

    void merge_fields(std::vector<NamedField>& into,
                      const YAML::Node& fields,
                      const std::string& file) {
        if (!fields.IsMap()) {
            problem(fields, file, "'fields' must be a mapping of target field to its source");
            return;
        }
        std::vector<std::string> seen;
        for (const auto& kv : fields) {
            const std::string name = kv.first.Scalar();
            if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
                problem(kv.first, file, "duplicate field '" + name + "'");
                continue;
            }
            seen.push_back(name);
            auto it = std::find_if(into.begin(), into.end(),
                                   [&](const NamedField& f) { return f.name == name; });
            if (kv.second.IsNull()) {  // `field: ~` in an override removes the field
                if (it != into.end()) into.erase(it);
                continue;
            }
            NamedField nf{name, {kv.second, file}, {kv.first, file}};
            if (it != into.end()) {
                *it = std::move(nf);
            } else {
                into.push_back(std::move(nf));
            }
        }
    }

    void load_into(Merged& m, std::string_view yaml, const std::string& file, int depth) {
        YAML::Node root;
        if (!parse(yaml, file, root)) return;
        static const std::vector<std::string> kKeys = {
            "flow",  "source",  "target",       "extends",        "description",  "fields",
            "lines", "outputs", "product_type", "marketplace_id", "language_tag", "source_model"};
        if (const auto ext = root["extends"]) {
            if (depth > 8) {
                problem(ext, file, "'extends' nests more than 8 levels (a cycle?)");
                return;
            }
            const auto base = std::filesystem::path(file).parent_path() / ext.Scalar();
            auto text = core::read_regular_file(base, core::kMaxConfigFileBytes);
            if (!text) {
                problem(ext, file,
                        "cannot read extended template '" + base.string() +
                            "': " + text.error().message);
                return;
            }
            load_into(m, *text, base.string(), depth + 1);
        }
        for (const auto& kv : root) {
            const std::string key = kv.first.Scalar();
            if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
                problem(kv.first, file,
                        "unknown key '" + key + "' (expected one of: " + join(kKeys, ", ") + ")");
                continue;
            }
            if (key == "fields") {
                merge_fields(m.record, kv.second, file);
            } else if (key == "outputs") {
                merge_fields(m.outputs, kv.second, file);
            } else if (key == "lines") {
                m.has_lines = true;
                m.lines_node = {kv.second, file};
                if (!kv.second.IsMap()) {
                    problem(kv.second, file,
                            "'lines' must be a mapping with 'target' and 'fields'");
                    continue;
                }
                for (const auto& lk : kv.second) {
                    const std::string lkey = lk.first.Scalar();
                    if (lkey == "fields") {
                        merge_fields(m.lines, lk.second, file);
                    } else if (lkey == "target") {
                        m.scalars["lines.target"] = {lk.second, file};
                    } else {
                        problem(lk.first, file,
                                "unknown key '" + lkey + "' in lines (expected target, fields)");
                    }
                }
            } else if (key != "extends" && key != "description") {
                if (!kv.second.IsScalar()) {
                    problem(kv.second, file, "'" + key + "' must be a single value");
                    continue;
                }
                m.scalars[key] = {kv.second, file};
            }
        }
    }

    // ---- compilation -----------------------------------------------------------------------

    Entity entity = Entity::order;

    /// A YAML scalar as a Value: quoted scalars are text; plain ones may be numbers, booleans
    /// or null.
    static Value literal(const YAML::Node& n) {
        if (n.IsNull()) return Value();
        const std::string& s = n.Scalar();
        if (n.Tag() == "!") return Value(s);
        if (s == "true" || s == "True" || s == "TRUE") return Value(true);
        if (s == "false" || s == "False" || s == "FALSE") return Value(false);
        if (!s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-')) {
            bool integral = s.find('.') == std::string::npos;
            if (auto d = model::Decimal::parse(s); d && s.find(',') == std::string::npos) {
                if (integral && s.size() < 19 && (s.size() == 1 || s[0] != '0')) {
                    return Value(d->units());
                }
                if (!integral) return Value(*d);
            }
        }
        return Value(s);
    }

    bool compile_path(const std::string& text,
                      bool in_lines,
                      Source& out,
                      const YAML::Node& n,
                      const std::string& file,
                      const std::string& field) {
        out.text = text;
        struct RawPrefix {
            std::string_view prefix;
            RawRoot root;
            Entity entity;
            bool per_line;
        };
        static constexpr RawPrefix kRaw[] = {
            {"order.raw.", RawRoot::order_raw, Entity::order, false},
            {"line.raw.", RawRoot::line_raw, Entity::order, true},
            {"product.attributes.", RawRoot::product_attributes, Entity::product, false},
        };
        for (const auto& r : kRaw) {
            if (text.starts_with(r.prefix) && r.entity == entity) {
                if (r.per_line && !in_lines) {
                    problem(
                        n, file,
                        "field '" + field + "': '" + text + "' can only be used inside 'lines'");
                    return false;
                }
                if (!model::parse_path(text.substr(r.prefix.size()), out.steps)) {
                    problem(n, file, "field '" + field + "': malformed path '" + text + "'");
                    return false;
                }
                out.kind = Source::Kind::raw;
                out.root = r.root;
                out.type = ValueType::any;
                return true;
            }
        }
        const auto& registry = detail::paths(entity);
        for (const auto& p : registry) {
            if (p.path == text) {
                if (p.per_line && !in_lines) {
                    problem(
                        n, file,
                        "field '" + field + "': '" + text + "' can only be used inside 'lines'");
                    return false;
                }
                out.kind = Source::Kind::path;
                out.getter = p.fn;
                out.type = p.type;
                return true;
            }
        }
        std::string best;
        std::size_t best_d = 4;
        for (const auto& p : registry) {
            const auto d = edit_distance(p.path, text);
            if (d < best_d) {
                best_d = d;
                best = std::string(p.path);
            }
        }
        std::string msg = "field '" + field + "': unknown source path '" + text + "'";
        if (!best.empty()) msg += " (did you mean '" + best + "'?)";
        if (entity == Entity::order) {
            msg += "; raw Amazon fields are reached with order.raw.<path> or line.raw.<path>";
        } else if (entity == Entity::product) {
            msg += "; Odoo fields are reached with product.attributes.<field>";
        }
        problem(n, file, msg);
        return false;
    }

    bool compile_template(const std::string& text,
                          bool in_lines,
                          Source& out,
                          const YAML::Node& n,
                          const std::string& file,
                          const std::string& field) {
        out.kind = Source::Kind::text_template;
        out.type = ValueType::text;
        out.text = text;
        Source::Segment seg;
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
                seg.literal += '{';
                ++i;
            } else if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
                seg.literal += '}';
                ++i;
            } else if (c == '{') {
                const auto close = text.find('}', i);
                if (close == std::string::npos) {
                    problem(n, file,
                            "field '" + field + "': unclosed '{' in template '" + text + "'");
                    return false;
                }
                Source ph;
                std::string path = text.substr(i + 1, close - i - 1);
                path.erase(0, path.find_first_not_of(' '));
                path.erase(path.find_last_not_of(' ') + 1);
                if (!compile_path(path, in_lines, ph, n, file, field)) return false;
                seg.source.push_back(std::move(ph));
                out.segments.push_back(std::move(seg));
                seg = {};
                i = close;
            } else if (c == '}') {
                problem(n, file,
                        "field '" + field + "': unmatched '}' in template '" + text +
                            "' (write '}}' for a literal brace)");
                return false;
            } else {
                seg.literal += c;
            }
        }
        if (!seg.literal.empty()) out.segments.push_back(std::move(seg));
        return true;
    }

    static std::optional<ValueType> parse_type(const std::string& s) {
        static const std::pair<std::string_view, ValueType> kTypes[] = {
            {"text", ValueType::text},         {"string", ValueType::text},
            {"integer", ValueType::integer},   {"int", ValueType::integer},
            {"decimal", ValueType::decimal},   {"boolean", ValueType::boolean},
            {"bool", ValueType::boolean},      {"date", ValueType::date},
            {"datetime", ValueType::datetime},
        };
        for (const auto& [name, t] : kTypes) {
            if (name == s) return t;
        }
        return std::nullopt;
    }

    /// "UTC", "Z", "+09:00", "-05:00", "+0530", "+9".
    static std::optional<std::chrono::minutes> parse_offset(const std::string& s) {
        if (s == "UTC" || s == "Z" || s == "utc") return std::chrono::minutes{0};
        std::string t = s.starts_with("UTC") ? s.substr(3) : s;
        if (t.empty() || (t[0] != '+' && t[0] != '-')) return std::nullopt;
        const int sign = t[0] == '-' ? -1 : 1;
        std::string digits;
        for (std::size_t i = 1; i < t.size(); ++i) {
            if (t[i] == ':') continue;
            if (!std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
            digits += t[i];
        }
        int h = 0, m = 0;
        if (digits.size() == 1 || digits.size() == 2) {
            h = std::stoi(digits);
        } else if (digits.size() == 4) {
            h = std::stoi(digits.substr(0, 2));
            m = std::stoi(digits.substr(2));
        } else {
            return std::nullopt;
        }
        if (h > 14 || m > 59) return std::nullopt;
        return std::chrono::minutes{sign * (h * 60 + m)};
    }

    static bool convertible(ValueType from, ValueType to) {
        if (from == ValueType::any || to == ValueType::any || from == ValueType::text) return true;
        switch (from) {
            case ValueType::integer:
                return to == ValueType::text || to == ValueType::integer ||
                       to == ValueType::decimal || to == ValueType::boolean;
            case ValueType::decimal:
                return to == ValueType::text || to == ValueType::decimal ||
                       to == ValueType::integer;
            case ValueType::boolean:
                return to == ValueType::text || to == ValueType::integer ||
                       to == ValueType::boolean;
            case ValueType::datetime:
            case ValueType::date:
                return to == ValueType::text || to == ValueType::date || to == ValueType::datetime;
            default:
                return true;
        }
    }

    void compile_condition(const YAML::Node& n,
                           const std::string& file,
                           const std::string& field,
                           bool in_lines,
                           FieldOp& op) {
        if (!n.IsMap() || !n["path"]) {
            problem(n, file,
                    "field '" + field +
                        "': 'when' needs 'path' and one of equals, not_equals, in, "
                        "exists, not_empty");
            return;
        }
        detail::Condition c;
        if (!compile_path(n["path"].Scalar(), in_lines, c.source, n["path"], file, field)) return;
        int ops = 0;
        for (const auto& kv : n) {
            const std::string k = kv.first.Scalar();
            if (k == "path") continue;
            ++ops;
            if (k == "equals" || k == "not_equals") {
                c.op = k == "equals" ? detail::Condition::Op::equals
                                     : detail::Condition::Op::not_equals;
                c.values.push_back(literal(kv.second).to_text());
            } else if (k == "in") {
                c.op = detail::Condition::Op::in;
                if (!kv.second.IsSequence()) {
                    problem(kv.second, file, "field '" + field + "': 'in' must be a list");
                    return;
                }
                for (const auto& v : kv.second) c.values.push_back(literal(v).to_text());
            } else if (k == "exists" || k == "not_empty") {
                c.op = k == "exists" ? detail::Condition::Op::exists
                                     : detail::Condition::Op::not_empty;
                const Value b = literal(kv.second);
                if (!b.is_bool()) {
                    problem(kv.second, file,
                            "field '" + field + "': '" + k + "' must be true or false");
                    return;
                }
                c.expect = b.as_bool();
            } else {
                problem(kv.first, file,
                        "field '" + field + "': unknown condition '" + k +
                            "' (expected equals, not_equals, in, exists, not_empty)");
                return;
            }
        }
        if (ops != 1) {
            problem(n, file,
                    "field '" + field +
                        "': 'when' needs exactly one of equals, "
                        "not_equals, in, exists, not_empty");
            return;
        }
        op.when = std::move(c);
    }

    std::optional<FieldOp> compile_field(const NamedField& nf, bool in_lines, bool listing) {
        FieldOp op;
        op.name = nf.name;
        const std::string& file = nf.spec.file;
        const YAML::Node& spec = nf.spec.node;
        op.where = where(nf.key.node, nf.key.file);
        const auto before = problems.size();
        if (spec.IsScalar()) {  // shorthand: `field: order.amazon_order_id`
            if (!compile_path(spec.Scalar(), in_lines, op.source, spec, file, op.name)) {
                return std::nullopt;
            }
        } else if (!spec.IsMap()) {
            problem(spec, file, "field '" + op.name + "' must be a path or a mapping");
            return std::nullopt;
        } else {
            static const std::vector<std::string> kFieldKeys = {
                "from",     "value", "template", "map",      "default", "type", "round",
                "timezone", "split", "when",     "required", "lookup",  "wrap"};
            int sources = 0;
            for (const auto& kv : spec) {
                const std::string k = kv.first.Scalar();
                if (std::find(kFieldKeys.begin(), kFieldKeys.end(), k) == kFieldKeys.end()) {
                    problem(kv.first, file,
                            "field '" + op.name + "': unknown key '" + k +
                                "' (expected one of: " + join(kFieldKeys, ", ") + ")");
                }
                if (k == "from" || k == "value" || k == "template") ++sources;
            }
            if (sources != 1) {
                problem(spec, file,
                        "field '" + op.name + "': give exactly one of 'from', 'value', 'template'");
                return std::nullopt;
            }
            if (const auto n = spec["from"]) {
                compile_path(n.Scalar(), in_lines, op.source, n, file, op.name);
            } else if (const auto v = spec["value"]) {
                op.source.kind = Source::Kind::literal;
                op.source.literal = literal(v);
                op.source.type = ValueType::any;
                op.static_values.push_back(op.source.literal);
            } else if (const auto t = spec["template"]) {
                compile_template(t.Scalar(), in_lines, op.source, t, file, op.name);
            }
            if (const auto t = spec["type"]) {
                if (auto vt = parse_type(t.Scalar())) {
                    op.conv.type = *vt;
                } else {
                    problem(t, file,
                            "field '" + op.name + "': unknown type '" + t.Scalar() +
                                "' (expected text, integer, decimal, boolean, date, "
                                "datetime)");
                }
            }
            if (const auto r = spec["round"]) {
                if (r.Scalar() == "currency") {
                    op.conv.round_currency = true;
                } else {
                    const Value rv = literal(r);
                    if (rv.is_int() && rv.as_int() >= 0 &&
                        rv.as_int() <= model::Decimal::kMaxScale) {
                        op.conv.round = static_cast<int>(rv.as_int());
                    } else {
                        problem(r, file,
                                "field '" + op.name +
                                    "': 'round' must be 'currency' or 0..12 decimal places");
                    }
                }
                if (op.conv.type != ValueType::decimal) {
                    problem(r, file, "field '" + op.name + "': 'round' needs 'type: decimal'");
                }
            }
            if (const auto tz = spec["timezone"]) {
                if (auto off = parse_offset(tz.Scalar())) {
                    op.conv.tz = *off;
                    op.conv.has_tz = true;
                } else {
                    problem(tz, file,
                            "field '" + op.name + "': timezone '" + tz.Scalar() +
                                "' is not supported; use UTC or a fixed offset like "
                                "+09:00 (named zones such as Europe/Berlin change with "
                                "daylight saving time)");
                }
            }
            if (const auto sp = spec["split"]) {
                op.conv.split = sp.Scalar();
                if (op.conv.split.empty()) {
                    problem(sp, file, "field '" + op.name + "': 'split' must not be empty");
                }
                if (op.conv.type == ValueType::any) op.conv.type = ValueType::text;
                if (op.conv.type != ValueType::text) {
                    problem(sp, file, "field '" + op.name + "': 'split' needs 'type: text'");
                }
            }
            if (const auto m = spec["map"]) {
                if (!m.IsMap()) {
                    problem(m, file,
                            "field '" + op.name +
                                "': 'map' must be a mapping of source "
                                "value to target value");
                } else {
                    op.has_map = true;
                    for (const auto& kv : m) {
                        op.map.emplace_back(kv.first.Scalar(), literal(kv.second));
                        op.static_values.push_back(op.map.back().second);
                    }
                }
            }
            if (const auto d = spec["default"]) {
                op.default_value = literal(d);
                op.static_values.push_back(*op.default_value);
            }
            if (const auto w = spec["when"]) compile_condition(w, file, op.name, in_lines, op);
            if (const auto r = spec["required"]) {
                const Value b = literal(r);
                if (!b.is_bool()) {
                    problem(r, file, "field '" + op.name + "': 'required' must be true or false");
                } else {
                    op.required = b.as_bool();
                }
            }
            if (const auto l = spec["lookup"]) {
                if (!l.IsMap() || !l["model"] || !l["by"]) {
                    problem(l, file,
                            "field '" + op.name +
                                "': 'lookup' needs 'model' and 'by' "
                                "(e.g. {model: product.product, by: "
                                "default_code})");
                } else {
                    detail::Lookup lk;
                    lk.model = l["model"].Scalar();
                    lk.by = l["by"].Scalar();
                    if (const auto om = l["on_missing"]) {
                        const std::string s = om.Scalar();
                        if (s == "error") {
                            lk.on_missing = detail::OnMissing::error;
                        } else if (s == "skip") {
                            lk.on_missing = detail::OnMissing::skip;
                        } else if (s == "null") {
                            lk.on_missing = detail::OnMissing::null;
                        } else {
                            problem(om, file,
                                    "field '" + op.name + "': on_missing '" + s +
                                        "' (expected error, skip, null)");
                        }
                    }
                    for (const auto& kv : l) {
                        const std::string k = kv.first.Scalar();
                        if (k != "model" && k != "by" && k != "on_missing" && k != "where") {
                            problem(kv.first, file,
                                    "field '" + op.name + "': unknown lookup key '" + k +
                                        "' (expected model, by, on_missing, where)");
                        }
                    }
                    if (const auto w = l["where"]) {
                        if (!w.IsMap()) {
                            problem(w, file,
                                    "field '" + op.name +
                                        "': lookup 'where' must map Odoo field to source path");
                        } else {
                            for (const auto& kv : w) {
                                Source s;
                                if (compile_path(kv.second.Scalar(), in_lines, s, kv.second, file,
                                                 op.name)) {
                                    lk.where.emplace_back(kv.first.Scalar(), std::move(s));
                                }
                            }
                        }
                    }
                    op.lookup = std::move(lk);
                }
            }
            if (const auto w = spec["wrap"]) {
                const std::string s = w.Scalar();
                if (!listing) {
                    problem(w, file,
                            "field '" + op.name +
                                "': 'wrap' only applies to target "
                                "amazon.listing");
                } else if (s == "language") {
                    op.wrap = detail::Wrap::language;
                } else if (s == "plain") {
                    op.wrap = detail::Wrap::plain;
                } else if (s == "none") {
                    op.wrap = detail::Wrap::none;
                } else {
                    problem(w, file,
                            "field '" + op.name + "': wrap '" + s +
                                "' (expected language, plain, none)");
                }
            }
        }
        // Datetime sources written without a conversion go to Odoo as UTC datetimes.
        if (op.conv.type == ValueType::any && op.source.type == ValueType::datetime &&
            !op.has_map) {
            op.conv.type = ValueType::datetime;
        }
        if (op.source.kind != Source::Kind::none && !op.has_map &&
            !convertible(op.source.type, op.conv.type)) {
            problem(spec, file,
                    "field '" + op.name + "': cannot convert " + op.source.text + " (" +
                        std::string(detail::to_string(op.source.type)) + ") to " +
                        std::string(detail::to_string(op.conv.type)));
        }
        // Literal outputs must survive the conversion now, not on the first order.
        for (const auto& v : op.static_values) {
            if (v.is_null()) continue;
            std::string why;
            if (!detail::convert(v, op.conv, "USD", &why)) {
                problem(spec, file, "field '" + op.name + "': " + why);
            }
        }
        if (problems.size() != before) return std::nullopt;
        if (op.lookup) {
            op.result_type = ValueType::integer;
        } else if (op.conv.type != ValueType::any) {
            op.result_type = op.conv.type;
        } else if (op.has_map || op.source.kind == Source::Kind::literal) {
            ValueType t = ValueType::any;
            bool first = true;
            for (const auto& v : op.static_values) {
                ValueType vt = v.is_string()    ? ValueType::text
                               : v.is_int()     ? ValueType::integer
                               : v.is_decimal() ? ValueType::decimal
                               : v.is_bool()    ? ValueType::boolean
                                                : ValueType::any;
                if (v.is_null()) continue;
                if (first) {
                    t = vt;
                    first = false;
                } else if (t != vt) {
                    t = ValueType::any;
                }
            }
            op.result_type = t;
        } else {
            op.result_type = op.source.type;
        }
        return op;
    }

    std::shared_ptr<Program> compile(Merged& m, const std::string& file) {
        auto p = std::make_shared<Program>();
        p->file = file;
        auto scalar = [&](const std::string& key) -> std::string {
            auto it = m.scalars.find(key);
            return it == m.scalars.end() ? std::string() : it->second.node.Scalar();
        };
        p->flow = scalar("flow");
        p->source = scalar("source");
        p->target = scalar("target");
        p->product_type = scalar("product_type");
        p->marketplace_id = scalar("marketplace_id");
        p->language_tag = scalar("language_tag");
        p->source_model = scalar("source_model");
        if (p->flow.empty()) problems.push_back(file + ":1:1: missing 'flow'");
        if (p->target.empty()) problems.push_back(file + ":1:1: missing 'target'");
        if (auto it = m.scalars.find("target"); it != m.scalars.end()) {
            p->target_where = where(it->second.node, it->second.file);
        }
        if (p->source == "order" || p->source.empty()) {
            entity = Entity::order;
            p->source = "order";
        } else if (p->source == "product") {
            entity = Entity::product;
            if (p->source_model.empty()) p->source_model = "product.template";
        } else if (p->source == "shipment") {
            entity = Entity::shipment;
        } else {
            const auto& loc = m.scalars["source"];
            problem(loc.node, loc.file,
                    "unknown source '" + p->source + "' (expected order, product, shipment)");
        }
        p->entity = entity;
        const bool listing = p->target == "amazon.listing";
        if (listing && p->product_type.empty()) {
            problems.push_back(file + ":1:1: target amazon.listing needs 'product_type'");
        }
        for (const auto& f : m.record) {
            if (auto op = compile_field(f, false, listing)) p->record.push_back(std::move(*op));
        }
        for (const auto& f : m.outputs) {
            if (auto op = compile_field(f, false, false)) p->outputs.push_back(std::move(*op));
        }
        if (m.has_lines) {
            p->lines_field = scalar("lines.target");
            p->lines_where = where(m.lines_node.node, m.lines_node.file);
            if (entity == Entity::product) {
                problem(m.lines_node.node, m.lines_node.file, "product templates have no 'lines'");
            } else if (p->lines_field.empty() && !listing) {
                problem(m.lines_node.node, m.lines_node.file,
                        "'lines' needs 'target' (the one2many field, e.g. order_line)");
            }
            for (const auto& f : m.lines) {
                if (auto op = compile_field(f, true, false)) p->lines.push_back(std::move(*op));
            }
        }
        return p;
    }
};

bool compatible(ValueType produced, const std::string& odoo_type) {
    if (produced == ValueType::any) return true;
    static const std::pair<std::string_view, std::vector<ValueType>> kAccepts[] = {
        {"char", {ValueType::text}},
        {"text", {ValueType::text}},
        {"html", {ValueType::text}},
        {"selection", {ValueType::text}},
        {"integer", {ValueType::integer}},
        {"float", {ValueType::decimal, ValueType::integer}},
        {"monetary", {ValueType::decimal, ValueType::integer}},
        {"boolean", {ValueType::boolean}},
        {"date", {ValueType::date}},
        {"datetime", {ValueType::datetime}},
        {"many2one", {ValueType::integer}},
    };
    for (const auto& [name, types] : kAccepts) {
        if (name == odoo_type) {
            return std::find(types.begin(), types.end(), produced) != types.end();
        }
    }
    return false;
}

void check_section(const std::vector<FieldOp>& ops,
                   const std::string& model,
                   const OdooSchema& schema,
                   std::vector<std::string>& out) {
    if (!schema.has_model(model)) return;  // reported once by the caller
    for (const auto& op : ops) {
        const OdooField* f = schema.field(model, op.name);
        if (f == nullptr) {
            out.push_back(op.where + ": field '" + op.name + "' does not exist on " + model);
            continue;
        }
        if (op.lookup) {
            if (f->type != "many2one") {
                out.push_back(op.where + ": field '" + op.name + "' on " + model + " is " +
                              f->type + "; a lookup fills a many2one");
            } else if (!f->relation.empty() && f->relation != op.lookup->model) {
                out.push_back(op.where + ": field '" + op.name + "' on " + model + " relates to " +
                              f->relation + " but the lookup searches " + op.lookup->model);
            }
            if (schema.has_model(op.lookup->model) &&
                schema.field(op.lookup->model, op.lookup->by) == nullptr) {
                out.push_back(op.where + ": lookup field '" + op.lookup->by +
                              "' does not exist on " + op.lookup->model);
            }
            continue;
        }
        if (!compatible(op.result_type, f->type)) {
            out.push_back(op.where + ": field '" + op.name + "' on " + model + " is " + f->type +
                          " but the mapping produces " +
                          std::string(detail::to_string(op.result_type)));
            continue;
        }
        if (f->type == "selection" && !f->selection.empty()) {
            for (const auto& v : op.static_values) {
                if (!v.is_string()) continue;
                if (std::find(f->selection.begin(), f->selection.end(), v.as_string()) ==
                    f->selection.end()) {
                    out.push_back(op.where + ": value '" + v.as_string() +
                                  "' is not an allowed selection of " + model + "." + op.name +
                                  " (allowed: " + join(f->selection, ", ") + ")");
                }
            }
        }
    }
}

void check_source_fields(const std::vector<FieldOp>& ops,
                         const std::string& model,
                         const OdooSchema& schema,
                         std::vector<std::string>& out) {
    auto check = [&](const FieldOp& op, const Source& s) {
        if (s.root == RawRoot::product_attributes && !s.steps.empty() &&
            schema.field(model, s.steps.front().key) == nullptr) {
            out.push_back(op.where + ": source field '" + s.steps.front().key +
                          "' does not exist on " + model);
        }
    };
    for (const auto& op : ops) {
        check(op, op.source);
        for (const auto& seg : op.source.segments) {
            for (const auto& s : seg.source) check(op, s);
        }
        if (op.when) check(op, op.when->source);
    }
}

}  // namespace

TemplateError::TemplateError(std::vector<std::string> problems)
    : std::runtime_error(join(problems)), problems_(std::move(problems)) {}

MappingTemplate MappingTemplate::load_string(std::string_view yaml, const std::string& file_name) {
    Loader loader;
    Merged merged;
    loader.load_into(merged, yaml, file_name, 0);
    if (!loader.problems.empty()) throw TemplateError(loader.problems);
    auto program = loader.compile(merged, file_name);
    if (!loader.problems.empty()) throw TemplateError(loader.problems);
    return MappingTemplate(std::move(program));
}

MappingTemplate MappingTemplate::load_file(const std::filesystem::path& path) {
    auto text = core::read_regular_file(path, core::kMaxConfigFileBytes);
    if (!text) {
        throw TemplateError(
            {path.string() + ": cannot read mapping template: " + text.error().message});
    }
    return load_string(*text, path.string());
}

const std::string& MappingTemplate::file() const noexcept { return program_->file; }
const std::string& MappingTemplate::flow() const noexcept { return program_->flow; }
const std::string& MappingTemplate::source() const noexcept { return program_->source; }
const std::string& MappingTemplate::target() const noexcept { return program_->target; }

std::vector<std::string> MappingTemplate::referenced_models() const {
    std::vector<std::string> out;
    auto add = [&](const std::string& m) {
        if (!m.empty() && !m.starts_with("amazon.") &&
            std::find(out.begin(), out.end(), m) == out.end()) {
            out.push_back(m);
        }
    };
    const Program& p = *program_;
    if (p.entity == Entity::product) add(p.source_model);
    add(p.target);
    for (const auto* section : {&p.record, &p.lines, &p.outputs}) {
        for (const auto& op : *section) {
            if (op.lookup) add(op.lookup->model);
        }
    }
    return out;
}

std::vector<std::string> MappingTemplate::check_schema(const OdooSchema& schema) const {
    std::vector<std::string> out;
    const Program& p = *program_;
    if (p.entity == Entity::product) {
        if (!schema.has_model(p.source_model)) {
            out.push_back(p.file + ": model '" + p.source_model +
                          "' is unknown to the Odoo schema");
        } else {
            check_source_fields(p.record, p.source_model, schema, out);
        }
    }
    if (!p.target.starts_with("amazon.")) {
        if (!schema.has_model(p.target)) {
            out.push_back(p.target_where + ": model '" + p.target +
                          "' is unknown to the Odoo schema (is its module installed?)");
        } else {
            check_section(p.record, p.target, schema, out);
            if (!p.lines_field.empty()) {
                const OdooField* lf = schema.field(p.target, p.lines_field);
                if (lf == nullptr || lf->type != "one2many") {
                    out.push_back(p.lines_where + ": lines target '" + p.lines_field +
                                  "' is not a one2many field of " + p.target);
                } else if (!schema.has_model(lf->relation)) {
                    out.push_back(p.lines_where + ": model '" + lf->relation +
                                  "' is unknown to the Odoo schema");
                } else {
                    check_section(p.lines, lf->relation, schema, out);
                }
            }
        }
    }
    for (const auto* section : {&p.record, &p.lines, &p.outputs}) {
        for (const auto& op : *section) {
            if (op.lookup && !schema.has_model(op.lookup->model)) {
                out.push_back(op.where + ": lookup model '" + op.lookup->model +
                              "' is unknown to the Odoo schema");
            }
        }
    }
    return out;
}

std::filesystem::path template_path(const std::filesystem::path& dir,
                                    const std::string& flow,
                                    const std::string& override_file) {
    if (!override_file.empty()) return override_file;
    return dir / (flow + ".yaml");
}

}  // namespace clarity::mapping
