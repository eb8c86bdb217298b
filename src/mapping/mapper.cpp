// Executes a compiled template. The hot path is a loop over FieldOps with function-pointer
// getters; the only allocations are the output values themselves.
#include "clarity/mapping/mapper.hpp"

#include <algorithm>

#include "program.hpp"

namespace clarity::mapping {

namespace {

using detail::Condition;
using detail::Context;
using detail::FieldOp;
using detail::Program;
using detail::RawRoot;
using detail::Source;
using detail::ValueType;
using model::Value;

const Value* raw_root(RawRoot root, const Context& c) {
    switch (root) {
        case RawRoot::order_raw:
            return c.order != nullptr ? c.order->raw.get() : nullptr;
        case RawRoot::line_raw:
            return c.line != nullptr ? c.line->raw.get() : nullptr;
        case RawRoot::product_attributes:
            return c.product != nullptr ? &c.product->attributes : nullptr;
        case RawRoot::none:
            break;
    }
    return nullptr;
}

void append_text(std::string& out, const Value& v, ValueType type) {
    if (type == ValueType::datetime && v.is_int()) {
        out += model::format_iso8601(model::Timestamp{std::chrono::seconds{v.as_int()}});
    } else if (v.is_string()) {
        out += v.as_string();
    } else {
        out += v.to_text();
    }
}

bool eval(const Source& s, const Context& c, Value& out) {
    switch (s.kind) {
        case Source::Kind::none:
            return false;
        case Source::Kind::literal:
            out = s.literal;
            return true;
        case Source::Kind::path:
            return s.getter(c, out);
        case Source::Kind::raw: {
            const Value* root = raw_root(s.root, c);
            if (root == nullptr) return false;
            const Value* v = model::find_path(*root, s.steps);
            if (v == nullptr || v->is_null()) return false;
            out = *v;
            return true;
        }
        case Source::Kind::text_template: {
            std::string text;
            Value part;
            for (const auto& seg : s.segments) {
                text += seg.literal;
                if (!seg.source.empty() && eval(seg.source.front(), c, part)) {
                    append_text(text, part, seg.source.front().type);
                }
            }
            if (text.empty()) return false;
            out = Value(std::move(text));
            return true;
        }
    }
    return false;
}

bool text_equals(const Value& v, const std::string& text) {
    if (v.is_string()) return v.as_string() == text;
    return v.to_text() == text;
}

bool holds(const Condition& cond, const Context& c) {
    Value v;
    const bool present = eval(cond.source, c, v);
    switch (cond.op) {
        case Condition::Op::exists:
            return present == cond.expect;
        case Condition::Op::not_empty: {
            bool non_empty = present;
            if (present && (v.is_string() || v.is_array() || v.is_object())) {
                non_empty = v.is_string() ? !v.as_string().empty() : !v.items().empty();
            }
            if (present && v.is_bool()) non_empty = v.as_bool();
            return non_empty == cond.expect;
        }
        case Condition::Op::equals:
            return present && text_equals(v, cond.values.front());
        case Condition::Op::not_equals:
            return !(present && text_equals(v, cond.values.front()));
        case Condition::Op::in:
            return present && std::any_of(cond.values.begin(), cond.values.end(),
                                          [&](const std::string& t) { return text_equals(v, t); });
    }
    return false;
}

std::string_view currency_of(const Context& c) {
    if (c.order != nullptr) return c.order->currency;
    if (c.product != nullptr && c.product->list_price) return c.product->list_price->currency;
    return {};
}

class Runner {
  public:
    Runner(const Program& p, MappingResult& r) : p_(p), r_(r) {}

    void section(const std::vector<FieldOp>& ops,
                 const Context& c,
                 FieldValues& rec,
                 int section,
                 int line) {
        rec.fields.reserve(ops.size());
        for (std::size_t i = 0; i < ops.size(); ++i) {
            field(ops[i], static_cast<int>(i), c, rec, section, line);
        }
    }

  private:
    const Program& p_;
    MappingResult& r_;

    void error(const FieldOp& op, int line, const std::string& text) {
        std::string msg = op.where + ": field '" + op.name + "'";
        if (line >= 0) msg += " (line " + std::to_string(line + 1) + ")";
        r_.errors.push_back(msg + ": " + text);
    }

    void field(
        const FieldOp& op, int index, const Context& c, FieldValues& rec, int section, int line) {
        if (op.when && !holds(*op.when, c)) return;
        Value v;
        bool present = eval(op.source, c, v);
        if (present && op.source.type == ValueType::datetime && v.is_int() &&
            op.conv.type != ValueType::date && op.conv.type != ValueType::datetime) {
            std::string iso;
            append_text(iso, v, ValueType::datetime);
            v = Value(std::move(iso));
        }
        if (present && op.has_map) {
            const Value* mapped = nullptr;
            for (const auto& [key, out] : op.map) {
                if (text_equals(v, key)) {
                    mapped = &out;
                    break;
                }
            }
            if (mapped != nullptr) {
                v = *mapped;
            } else if (op.default_value) {
                v = *op.default_value;
            } else {
                error(op, line,
                      "value '" + v.to_text() + "' of " + op.source.text +
                          " has no entry in 'map' and there is no 'default'");
                return;
            }
        }
        if (!present) {
            if (op.default_value) {
                v = *op.default_value;
            } else {
                if (op.required)
                    error(op, line, "required value " + op.source.text + " is missing");
                return;
            }
        }
        if (op.conv.type != ValueType::any && !v.is_null()) {
            std::string why;
            auto converted = detail::convert(v, op.conv, currency_of(c), &why);
            if (!converted) {
                error(op, line, why + " (from " + op.source.text + ")");
                return;
            }
            v = std::move(*converted);
        }
        if (op.lookup && !v.is_null()) {
            std::vector<std::pair<std::string_view, Value>> also;
            also.reserve(op.lookup->where.size());
            for (const auto& [name, src] : op.lookup->where) {
                Value term;
                if (!eval(src, c, term)) {
                    error(op, line, "lookup term " + name + " (" + src.text + ") is missing");
                    return;
                }
                also.emplace_back(name, std::move(term));
            }
            int index_of = -1;
            for (std::size_t i = 0; i < r_.lookups.size(); ++i) {
                const auto& l = r_.lookups[i];
                if (l.model == op.lookup->model && l.field == op.lookup->by && l.key == v &&
                    l.also == also) {
                    index_of = static_cast<int>(i);
                    break;
                }
            }
            if (index_of < 0) {
                index_of = static_cast<int>(r_.lookups.size());
                r_.lookups.push_back(
                    LookupRequest{op.lookup->model, op.lookup->by, v, op.where, std::move(also)});
            }
            Value placeholder = Value::object();
            placeholder.set("lookup", Value(op.lookup->model));
            placeholder.set("by", Value(op.lookup->by));
            placeholder.set("key", std::move(v));
            v = std::move(placeholder);
            r_.uses.push_back(
                {section, line, static_cast<int>(rec.fields.size()), index, index_of});
        }
        rec.fields.emplace_back(op.name, std::move(v));
    }
};

MappingResult start(const MappingTemplate& t) {
    MappingResult r;
    r.program = t.shared_program();
    r.target = r.program->target;
    r.lines_field = r.program->lines_field;
    return r;
}

const std::vector<FieldOp>& ops_of(const Program& p, int section) {
    return section == 0 ? p.record : section == 1 ? p.lines : p.outputs;
}

}  // namespace

const Value* FieldValues::find(std::string_view name) const noexcept {
    for (const auto& [k, v] : fields) {
        if (k == name) return &v;
    }
    return nullptr;
}

MappingResult map_order(const MappingTemplate& t, const model::Order& order) {
    MappingResult r = start(t);
    const Program& p = *r.program;
    if (p.entity != detail::Entity::order) {
        r.errors.push_back(p.file + ": template source is '" + p.source + "', not order");
        return r;
    }
    Runner run(p, r);
    Context c;
    c.order = &order;
    run.section(p.record, c, r.record, 0, -1);
    if (!p.lines.empty()) {
        r.lines.resize(order.lines.size());
        for (std::size_t i = 0; i < order.lines.size(); ++i) {
            c.line = &order.lines[i];
            run.section(p.lines, c, r.lines[i], 1, static_cast<int>(i));
        }
        c.line = nullptr;
    }
    run.section(p.outputs, c, r.outputs, 2, -1);
    return r;
}

MappingResult map_product(const MappingTemplate& t, const model::Product& product) {
    MappingResult r = start(t);
    const Program& p = *r.program;
    if (p.entity != detail::Entity::product) {
        r.errors.push_back(p.file + ": template source is '" + p.source + "', not product");
        return r;
    }
    Runner run(p, r);
    Context c;
    c.product = &product;
    run.section(p.record, c, r.record, 0, -1);
    run.section(p.outputs, c, r.outputs, 2, -1);
    return r;
}

MappingResult map_shipment(const MappingTemplate& t, const model::Shipment& shipment) {
    MappingResult r = start(t);
    const Program& p = *r.program;
    if (p.entity != detail::Entity::shipment) {
        r.errors.push_back(p.file + ": template source is '" + p.source + "', not shipment");
        return r;
    }
    Runner run(p, r);
    Context c;
    c.shipment = &shipment;
    run.section(p.record, c, r.record, 0, -1);
    if (!p.lines.empty()) {
        r.lines.resize(shipment.lines.size());
        for (std::size_t i = 0; i < shipment.lines.size(); ++i) {
            c.shipment_line = &shipment.lines[i];
            run.section(p.lines, c, r.lines[i], 1, static_cast<int>(i));
        }
    }
    run.section(p.outputs, c, r.outputs, 2, -1);
    return r;
}

void MappingResult::resolve(std::span<const std::optional<std::int64_t>> ids) {
    // Fields to drop (on_missing: skip), removed afterwards so positions stay valid meanwhile.
    std::vector<std::pair<FieldValues*, int>> drop;
    for (const auto& use : uses) {
        FieldValues& rec = use.section == 0   ? record
                           : use.section == 1 ? lines.at(static_cast<std::size_t>(use.line))
                                              : outputs;
        auto& slot = rec.fields.at(static_cast<std::size_t>(use.field)).second;
        const auto& op = ops_of(*program, use.section).at(static_cast<std::size_t>(use.op));
        const auto& req = lookups.at(static_cast<std::size_t>(use.lookup));
        const auto idx = static_cast<std::size_t>(use.lookup);
        if (idx < ids.size() && ids[idx]) {
            slot = Value(*ids[idx]);
            continue;
        }
        switch (op.lookup->on_missing) {
            case detail::OnMissing::error: {
                std::string msg = op.where + ": field '" + op.name + "'";
                if (use.line >= 0) msg += " (line " + std::to_string(use.line + 1) + ")";
                errors.push_back(msg + ": no " + std::string(req.model) + " with " +
                                 std::string(req.field) + " = '" + req.key.to_text() +
                                 "' in Odoo (records are never created by a lookup)");
                break;
            }
            case detail::OnMissing::null:
                slot = Value(false);
                break;
            case detail::OnMissing::skip:
                drop.emplace_back(&rec, use.field);
                break;
        }
    }
    std::sort(drop.begin(), drop.end(),
              [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [rec, field] : drop) rec->fields.erase(rec->fields.begin() + field);
}

Value MappingResult::to_value() const {
    Value out = Value::object();
    for (const auto& [k, v] : record.fields) out.set(std::string(k), v);
    if (!lines_field.empty()) {
        Value commands = Value::array();
        for (const auto& line : lines) {
            Value vals = Value::object();
            for (const auto& [k, v] : line.fields) vals.set(std::string(k), v);
            if (target.starts_with("amazon.")) {  // Amazon bodies take plain arrays
                commands.push_back(std::move(vals));
                continue;
            }
            Value cmd = Value::array();
            cmd.push_back(Value(0));
            cmd.push_back(Value(0));
            cmd.push_back(std::move(vals));
            commands.push_back(std::move(cmd));
        }
        out.set(std::string(lines_field), std::move(commands));
    }
    return out;
}

Value to_listing_body(const MappingResult& result) {
    const Program& p = *result.program;
    Value attributes = Value::object();
    for (std::size_t i = 0; i < result.record.fields.size(); ++i) {
        const auto& [name, v] = result.record.fields[i];
        const FieldOp* op = nullptr;
        for (const auto& candidate : p.record) {
            if (candidate.name == name) op = &candidate;
        }
        if (op != nullptr && op->wrap == detail::Wrap::none) {
            attributes.set(std::string(name), v);
            continue;
        }
        Value list = Value::array();
        auto entry = [&](const Value& value) {
            Value e = Value::object();
            e.set("value", value);
            if (op == nullptr || op->wrap == detail::Wrap::language) {
                e.set("language_tag", Value(p.language_tag));
            }
            e.set("marketplace_id", Value(p.marketplace_id));
            list.push_back(std::move(e));
        };
        if (v.is_array()) {
            for (const auto& item : v.items()) entry(item);
        } else {
            entry(v);
        }
        attributes.set(std::string(name), std::move(list));
    }
    Value body = Value::object();
    body.set("productType", Value(p.product_type));
    body.set("requirements", Value("LISTING"));
    body.set("attributes", std::move(attributes));
    return body;
}

}  // namespace clarity::mapping
