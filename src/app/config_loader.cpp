#include "config_loader.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <set>

#include "clarity/core/file_read.hpp"
#include "clarity/core/yaml_text.hpp"

namespace clarity::app {

namespace {

using core::ConfigError;
using core::ConfigKey;
using core::ConfigNode;
using core::ConfigType;

// Validation walks the YAML tree and the spec side by side; `Where` carries what a message needs.
struct Where {
    const std::string& source;
    std::string path;  // dotted key path, "connections[0].odoo.url"

    std::string child(std::string_view key) const {
        return path.empty() ? std::string(key) : path + "." + std::string(key);
    }
};

std::string position(const std::string& source, const YAML::Mark& mark) {
    if (mark.is_null()) return source;
    return source + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

[[noreturn]] void fail(const std::string& source,
                       const YAML::Mark& mark,
                       const std::string& path,
                       const std::string& reason) {
    throw ConfigError(position(source, mark) + ": " + (path.empty() ? "" : path + ": ") + reason);
}

std::string_view kind_of(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Null:
            return "nothing";
        case YAML::NodeType::Scalar:
            return "a scalar";
        case YAML::NodeType::Sequence:
            return "a list";
        case YAML::NodeType::Map:
            return "a mapping";
        case YAML::NodeType::Undefined:
            break;
    }
    return "nothing";
}

std::string expected_text(ConfigType type) {
    switch (type) {
        case ConfigType::string:
            return "a string";
        case ConfigType::integer:
            return "an integer";
        case ConfigType::boolean:
            return "a boolean (true or false)";
        case ConfigType::duration:
            return "a duration (e.g. 250ms, 30s, 10m, 2h, 1d)";
        case ConfigType::decimal:
            return "a decimal number (e.g. 0.01)";
        case ConfigType::secret:
            return "a secret (${ENV_VAR}, file:/path or a literal)";
        case ConfigType::string_list:
            return "a list of strings";
        case ConfigType::string_map:
            return "a mapping of strings to strings";
        case ConfigType::string_tree:
            return "a mapping of strings to strings or to mappings of strings";
        case ConfigType::section:
            return "a mapping";
        case ConfigType::section_list:
            return "a list of mappings";
    }
    return "a value";
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

std::string unknown_key_reason(std::string_view key, const std::vector<ConfigKey>& keys) {
    std::string reason = "unknown key";
    const ConfigKey* best = nullptr;
    std::size_t best_distance = 3;  // suggest only close spellings
    for (const auto& k : keys) {
        std::size_t d = edit_distance(key, k.name);
        if (d < best_distance) {
            best_distance = d;
            best = &k;
        }
    }
    if (best != nullptr) return reason + " (did you mean '" + best->name + "'?)";
    if (keys.empty()) return reason + " (this section takes no keys)";
    reason += " (expected one of: ";
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i > 0) reason += ", ";
        reason += keys[i].name;
    }
    return reason + ")";
}

bool is_decimal(std::string_view t) {
    std::size_t i = 0;
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
    std::size_t digits = 0;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i, ++digits;
    if (i < t.size() && t[i] == '.') {
        ++i;
        std::size_t frac = 0;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i, ++frac;
        if (frac == 0) return false;
    }
    return digits > 0 && i == t.size();
}

bool is_env_name(std::string_view name) {
    if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_';
    });
}

// The first `${NAME}` in `text` at or after `from`: its start, or npos.
std::size_t find_variable(std::string_view text, std::size_t from = 0) {
    for (auto at = text.find("${", from); at != std::string_view::npos;
         at = text.find("${", at + 2)) {
        const auto end = text.find('}', at + 2);
        if (end != std::string_view::npos && is_env_name(text.substr(at + 2, end - at - 2))) {
            return at;
        }
    }
    return std::string_view::npos;
}

// Every `${NAME}` in `text` replaced by the variable's value ("${A}", "abc${A}def", "${A}:${B}");
// an unset or empty variable is an error, never kept as written.
std::string substitute_variables(const std::string& text,
                                 const std::string& source,
                                 const YAML::Mark& mark,
                                 const std::string& path) {
    std::string out;
    std::size_t done = 0;
    for (auto at = find_variable(text); at != std::string::npos; at = find_variable(text, done)) {
        const auto end = text.find('}', at);
        const std::string var = text.substr(at + 2, end - at - 2);
        const char* value = std::getenv(var.c_str());
        if (value == nullptr)
            fail(source, mark, path, "environment variable " + var + " is not set");
        if (*value == '\0') fail(source, mark, path, "environment variable " + var + " is empty");
        out.append(text, done, at - done);
        out += value;
        done = end + 1;
    }
    out.append(text, done);
    return out;
}

// `${ENV_VAR}` (anywhere in the text), `file:/path` or a literal. Messages name the variable or
// file, never the value.
Secret resolve_secret(const std::string& text,
                      const std::string& source,
                      const YAML::Mark& mark,
                      const std::string& path) {
    if (!text.starts_with("file:") && find_variable(text) != std::string::npos) {
        return Secret(substitute_variables(text, source, mark, path));
    }
    if (text.starts_with("file:")) {
        // Bounded and non-blocking: `file:/dev/zero` or a FIFO must not hang `config check`.
        std::filesystem::path file = text.substr(5);
        auto read = core::read_regular_file(file, core::kMaxSecretFileBytes);
        if (!read) {
            fail(source, mark, path,
                 "cannot read secret file " + file.string() + ": " + read.error().message);
        }
        std::string value = std::move(*read);
        while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
        if (value.empty()) fail(source, mark, path, "secret file " + file.string() + " is empty");
        return Secret(std::move(value));
    }
    return Secret(text);
}

void check_scalar(const ConfigKey& key,
                  const std::string& text,
                  const std::string& source,
                  const YAML::Mark& mark,
                  const std::string& path) {
    if (key.type == ConfigType::string && find_variable(text) != std::string::npos) {
        fail(source, mark, path,
             "'" + text +
                 "' is not substituted: environment variables are read in secrets only; write "
                 "the value itself");
    }
    try {
        switch (key.type) {
            case ConfigType::integer:
                core::parse_int(text);
                break;
            case ConfigType::boolean:
                core::parse_bool(text);
                break;
            case ConfigType::duration:
                core::parse_duration(text);
                break;
            case ConfigType::decimal:
                if (!is_decimal(text)) {
                    throw ConfigError("'" + text + "' is not a decimal number (e.g. 0.01)");
                }
                break;
            default:
                break;
        }
    } catch (const ConfigError& e) {
        fail(source, mark, path, e.what());
    }
    if (!key.allowed.empty() &&
        std::find(key.allowed.begin(), key.allowed.end(), text) == key.allowed.end()) {
        std::string reason = "'" + text + "' is not allowed (expected one of: ";
        for (std::size_t i = 0; i < key.allowed.size(); ++i) {
            if (i > 0) reason += ", ";
            reason += key.allowed[i];
        }
        fail(source, mark, path, reason + ")");
    }
}

ConfigNode build_section(const YAML::Node& map,
                         const YAML::Mark& map_mark,
                         const std::vector<ConfigKey>& keys,
                         const Where& where);

std::string position_text(const std::string& source, const YAML::Mark& mark) {
    return mark.is_null() ? std::string() : position(source, mark);
}

// `from_file`: the value was written in the file (not a default), so its positions are recorded
// for the checks components make after loading (ConfigNode::where).
void set_value(ConfigNode& out,
               const ConfigKey& key,
               const YAML::Node& value,
               const Where& where,
               bool from_file) {
    const std::string path = where.child(key.name);
    const YAML::Mark mark = value.Mark();
    const auto record = [&](std::string entry, const YAML::Mark& at) {
        if (from_file && !at.is_null())
            out.set_position(std::move(entry), position(where.source, at));
    };
    const auto wrong_type = [&] {
        fail(where.source, mark, path,
             "expected " + expected_text(key.type) + ", got " + std::string(kind_of(value)));
    };
    switch (key.type) {
        case ConfigType::string:
        case ConfigType::integer:
        case ConfigType::boolean:
        case ConfigType::duration:
        case ConfigType::decimal:
            if (!value.IsScalar()) wrong_type();
            check_scalar(key, value.Scalar(), where.source, mark, path);
            out.set(key.name, value.Scalar());
            return;
        case ConfigType::secret:
            if (!value.IsScalar() || value.Scalar().empty()) wrong_type();
            out.set_secret(key.name, resolve_secret(value.Scalar(), where.source, mark, path));
            return;
        case ConfigType::string_list: {
            if (!value.IsSequence()) wrong_type();
            std::vector<std::string> items;
            for (std::size_t i = 0; i < value.size(); ++i) {
                const YAML::Node item = value[i];
                if (!item.IsScalar()) {
                    fail(where.source, item.Mark(), path + "[" + std::to_string(i) + "]",
                         "expected a string, got " + std::string(kind_of(item)));
                }
                items.push_back(item.Scalar());
                record(key.name + "[" + std::to_string(i) + "]", item.Mark());
            }
            out.set_list(key.name, std::move(items));
            return;
        }
        case ConfigType::string_map: {
            if (!value.IsMap()) wrong_type();
            std::map<std::string, std::string> items;
            for (const auto& kv : value) {
                const std::string k = kv.first.Scalar();
                if (!kv.second.IsScalar()) {
                    fail(where.source, kv.second.Mark(), path + "." + k,
                         "expected a string, got " + std::string(kind_of(kv.second)));
                }
                if (!items.emplace(k, kv.second.Scalar()).second) {
                    fail(where.source, kv.first.Mark(), path + "." + k, "duplicate key");
                }
                record(key.name + "." + k, kv.first.Mark());
            }
            out.set_map(key.name, std::move(items));
            return;
        }
        case ConfigType::string_tree: {
            if (!value.IsMap()) wrong_type();
            core::StringTree items;
            // One level of strings, or of mappings of strings: {a: x, b: {c: y, default: z}}.
            for (const auto& kv : value) {
                const std::string k = kv.first.Scalar();
                core::StringTreeValue item;
                if (kv.second.IsMap()) {
                    item.is_map = true;
                    for (const auto& inner : kv.second) {
                        const std::string ik = inner.first.Scalar();
                        if (!inner.second.IsScalar()) {
                            fail(where.source, inner.second.Mark(), path + "." + k + "." + ik,
                                 "expected a string, got " + std::string(kind_of(inner.second)));
                        }
                        if (!item.map.emplace(ik, inner.second.Scalar()).second) {
                            fail(where.source, inner.first.Mark(), path + "." + k + "." + ik,
                                 "duplicate key");
                        }
                        record(key.name + "." + k + "." + ik, inner.first.Mark());
                    }
                } else if (kv.second.IsScalar()) {
                    item.text = kv.second.Scalar();
                } else {
                    fail(where.source, kv.second.Mark(), path + "." + k,
                         "expected a string or a mapping of strings, got " +
                             std::string(kind_of(kv.second)));
                }
                if (!items.emplace(k, std::move(item)).second) {
                    fail(where.source, kv.first.Mark(), path + "." + k, "duplicate key");
                }
                record(key.name + "." + k, kv.first.Mark());
            }
            out.set_tree(key.name, std::move(items));
            return;
        }
        case ConfigType::section:
            if (!value.IsMap() && !value.IsNull()) wrong_type();
            out.set_section(key.name,
                            build_section(value, mark, key.children, Where{where.source, path}));
            return;
        case ConfigType::section_list: {
            if (!value.IsSequence()) wrong_type();
            if (key.required && value.size() == 0) {
                fail(where.source, mark, path, "needs at least one entry");
            }
            const bool named = std::any_of(key.children.begin(), key.children.end(),
                                           [](const ConfigKey& k) { return k.name == "name"; });
            std::set<std::string> names;
            for (std::size_t i = 0; i < value.size(); ++i) {
                const YAML::Node item = value[i];
                const std::string item_path = path + "[" + std::to_string(i) + "]";
                if (!item.IsMap()) {
                    fail(where.source, item.Mark(), item_path,
                         "expected a mapping, got " + std::string(kind_of(item)));
                }
                ConfigNode child =
                    build_section(item, item.Mark(), key.children, Where{where.source, item_path});
                if (named && child.has("name") && !names.insert(child.get_string("name")).second) {
                    fail(where.source, item["name"].Mark(), item_path + ".name",
                         "duplicate name '" + child.get_string("name") + "'");
                }
                record(key.name + "[" + std::to_string(i) + "]", item.Mark());
                out.add_to_section_list(key.name, std::move(child));
            }
            return;
        }
    }
}

void set_default(ConfigNode& out,
                 const ConfigKey& key,
                 const YAML::Mark& parent_mark,
                 const Where& where) {
    const std::string path = where.child(key.name);
    if (key.type == ConfigType::section) {
        out.set_section(key.name, build_section(YAML::Node(YAML::NodeType::Map), parent_mark,
                                                key.children, Where{where.source, path}));
        return;
    }
    if (key.required) fail(where.source, parent_mark, path, "missing required key");
    if (!key.default_value) return;
    YAML::Node value;
    try {
        value = YAML::Load(*key.default_value);
    } catch (const YAML::Exception& e) {
        throw std::logic_error("config spec: default of " + path + " is not YAML: " + e.what());
    }
    if (key.type == ConfigType::string || key.type == ConfigType::secret) {
        value = YAML::Node(*key.default_value);  // defaults are text, even "" or "no"
    }
    set_value(out, key, value, where, /*from_file=*/false);
}

ConfigNode build_section(const YAML::Node& map,
                         const YAML::Mark& map_mark,
                         const std::vector<ConfigKey>& keys,
                         const Where& where) {
    ConfigNode out(where.path);
    out.set_own_position(position_text(where.source, map_mark));
    std::set<std::string> seen;
    if (map.IsMap()) {
        for (const auto& kv : map) {
            if (!kv.first.IsScalar()) {
                fail(where.source, kv.first.Mark(), where.path, "keys must be plain strings");
            }
            const std::string name = kv.first.Scalar();
            const auto it = std::find_if(keys.begin(), keys.end(),
                                         [&](const ConfigKey& k) { return k.name == name; });
            if (it == keys.end()) {
                fail(where.source, kv.first.Mark(), where.child(name),
                     unknown_key_reason(name, keys));
            }
            if (!seen.insert(name).second) {
                fail(where.source, kv.first.Mark(), where.child(name), "duplicate key");
            }
            if (kv.second.IsNull() && it->type != ConfigType::section) {
                fail(where.source, kv.first.Mark(), where.child(name),
                     "has no value (expected " + expected_text(it->type) + ")");
            }
            set_value(out, *it, kv.second, where, /*from_file=*/true);
            out.set_position(name, position_text(where.source, kv.second.Mark()));
        }
    }
    for (const auto& key : keys) {
        if (!seen.contains(key.name)) set_default(out, key, map_mark, where);
    }
    return out;
}

// Every string value passes through `show` (config check --print hides URL credentials).
using Show = std::function<std::string(const std::string&)>;

std::vector<std::string> printable(std::vector<std::string> values, const Show& show) {
    for (auto& v : values) v = show(v);
    return values;
}

std::map<std::string, std::string> printable(std::map<std::string, std::string> values,
                                             const Show& show) {
    for (auto& [k, v] : values) v = show(v);
    return values;
}

void dump(const ConfigNode& node,
          const std::vector<ConfigKey>& keys,
          const Show& show,
          YAML::Emitter& out) {
    out << YAML::BeginMap;
    for (const auto& key : keys) {
        if (!node.has(key.name)) continue;
        out << YAML::Key << key.name << YAML::Value;
        switch (key.type) {
            case ConfigType::secret:
                out << Secret::kMask;
                break;
            case ConfigType::string_list:
                out << printable(node.get_string_list(key.name), show);
                break;
            case ConfigType::string_map:
                out << printable(node.get_string_map(key.name), show);
                break;
            case ConfigType::string_tree:
                out << YAML::BeginMap;
                for (const auto& [k, v] : node.get_string_tree(key.name)) {
                    out << YAML::Key << k << YAML::Value;
                    if (v.is_map) {
                        out << printable(v.map, show);
                    } else {
                        out << show(v.text);
                    }
                }
                out << YAML::EndMap;
                break;
            case ConfigType::section:
                dump(node.section(key.name), key.children, show, out);
                break;
            case ConfigType::section_list:
                out << YAML::BeginSeq;
                for (const auto& child : node.sections(key.name))
                    dump(child, key.children, show, out);
                out << YAML::EndSeq;
                break;
            default:
                out << show(node.get_string(key.name));
                break;
        }
    }
    out << YAML::EndMap;
}

// Where the first node of a second YAML document is, if the text has one. Parses events only
// (no node tree) and stops after that document's first event.
std::optional<YAML::Mark> second_document(std::string_view yaml) {
    struct Events : YAML::EventHandler {
        int documents = 0;
        std::optional<YAML::Mark> first_of_second;
        void note(const YAML::Mark& mark) {
            if (documents == 2 && !first_of_second) first_of_second = mark;
        }
        void OnDocumentStart(const YAML::Mark&) override { ++documents; }
        void OnDocumentEnd() override {}
        void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { note(mark); }
        void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { note(mark); }
        void OnScalar(const YAML::Mark& mark,
                      const std::string&,
                      YAML::anchor_t,
                      const std::string&) override {
            note(mark);
        }
        void OnSequenceStart(const YAML::Mark& mark,
                             const std::string&,
                             YAML::anchor_t,
                             YAML::EmitterStyle::value) override {
            note(mark);
        }
        void OnSequenceEnd() override {}
        void OnMapStart(const YAML::Mark& mark,
                        const std::string&,
                        YAML::anchor_t,
                        YAML::EmitterStyle::value) override {
            note(mark);
        }
        void OnMapEnd() override {}
    };
    std::istringstream in{std::string(yaml)};
    YAML::Parser parser(in);
    Events events;
    if (!parser.HandleNextDocument(events)) return std::nullopt;
    if (!parser.HandleNextDocument(events)) return std::nullopt;
    return events.first_of_second.value_or(YAML::Mark());
}

}  // namespace

core::ConfigNode load_config_text(std::string_view yaml,
                                  const std::string& source_name,
                                  const core::ConfigSpec& root) {
    if (auto problem = core::check_yaml_text(yaml)) {
        YAML::Mark mark;
        mark.line = static_cast<int>(problem->line - 1);
        mark.column = static_cast<int>(problem->column - 1);
        fail(source_name, mark, "", "invalid YAML: " + problem->reason);
    }
    YAML::Node doc;
    try {
        doc = YAML::Load(std::string(yaml));
        // A second document would be ignored silently: refuse it, so what is checked is what runs.
        if (const auto second = second_document(yaml)) {
            fail(source_name, *second, "",
                 "a second YAML document starts here; the file must hold one (remove the '---' "
                 "line and what follows it, or merge the two)");
        }
    } catch (const YAML::DeepRecursion& e) {
        fail(source_name, e.mark, "", "invalid YAML: " + core::yaml_depth_reason());
    } catch (const YAML::Exception& e) {
        fail(source_name, e.mark, "", "invalid YAML: " + e.msg);
    }
    if (!doc.IsMap() && !doc.IsNull()) {
        fail(source_name, doc.Mark(), "",
             "the file must be a mapping of keys, got " + std::string(kind_of(doc)));
    }
    return build_section(doc, YAML::Mark(), root.keys(), Where{source_name, ""});
}

core::ConfigNode load_config(const std::filesystem::path& file, const core::ConfigSpec& root) {
    auto text = core::read_regular_file(file, core::kMaxConfigFileBytes);
    if (!text) {
        throw ConfigError(file.string() +
                          ": cannot read the configuration file: " + text.error().message);
    }
    return load_config_text(*text, file.string(), root);
}

std::string dump_config(const core::ConfigNode& node,
                        const core::ConfigSpec& spec,
                        const std::function<std::string(const std::string&)>& show) {
    YAML::Emitter out;
    dump(node, spec.keys(), show ? show : Show([](const std::string& v) { return v; }), out);
    return std::string(out.c_str()) + "\n";
}

}  // namespace clarity::app
