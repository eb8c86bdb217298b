#include "clarity/model/value.hpp"

#include <algorithm>
#include <stdexcept>

namespace clarity::model {

Value::~Value() {
    if (!items_.empty()) destroy_nested();
}

// A deep tree destroyed member by member would recurse once per level (a hostile document of
// 50,000 levels overflowed the stack). Instead every child that has children of its own is
// moved onto an explicit stack; each one is then emptied the same way before it is destroyed,
// so no destructor below this one ever sees a nested child.
void Value::destroy_nested() noexcept {
    const auto has_children = [](const Value& v) { return !v.items_.empty(); };
    if (std::none_of(items_.begin(), items_.end(), has_children)) return;
    std::vector<Value> pending;
    const auto take_nested = [&](Value& v) {
        for (auto& child : v.items_) {
            if (has_children(child)) pending.push_back(std::move(child));
        }
        v.items_.clear();
    };
    take_nested(*this);
    while (!pending.empty()) {
        Value v = std::move(pending.back());
        pending.pop_back();
        take_nested(v);
    }
}

bool Value::as_bool() const {
    if (kind_ != Kind::boolean) throw std::logic_error("value: not a boolean");
    return bool_;
}

std::int64_t Value::as_int() const {
    if (kind_ != Kind::integer) throw std::logic_error("value: not an integer");
    return int_;
}

Decimal Value::as_decimal() const {
    if (kind_ == Kind::decimal) return dec_;
    if (kind_ == Kind::integer) return Decimal::from_int(int_);
    throw std::logic_error("value: not a number");
}

const std::string& Value::as_string() const {
    if (kind_ != Kind::string) throw std::logic_error("value: not a string");
    return str_;
}

Value& Value::push_back(Value v) {
    if (kind_ == Kind::null) kind_ = Kind::array;
    if (kind_ != Kind::array) throw std::logic_error("value: push_back on a non-array");
    items_.push_back(std::move(v));
    return items_.back();
}

Value& Value::set(std::string key, Value v) {
    if (kind_ == Kind::null) kind_ = Kind::object;
    if (kind_ != Kind::object) throw std::logic_error("value: set on a non-object");
    if (Value* existing = find(key)) {
        *existing = std::move(v);
        return *existing;
    }
    keys_.push_back(std::move(key));
    items_.push_back(std::move(v));
    return items_.back();
}

const Value* Value::find(std::string_view key) const noexcept {
    for (std::size_t i = 0; i < keys_.size(); ++i) {
        if (keys_[i] == key) return &items_[i];
    }
    return nullptr;
}

Value* Value::find(std::string_view key) noexcept {
    for (std::size_t i = 0; i < keys_.size(); ++i) {
        if (keys_[i] == key) return &items_[i];
    }
    return nullptr;
}

const Value* Value::at(std::size_t index) const noexcept {
    if (kind_ != Kind::array || index >= items_.size()) return nullptr;
    return &items_[index];
}

bool parse_path(std::string_view path, std::vector<PathStep>& out) {
    out.clear();
    if (path.empty()) return false;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '[') {
            const auto close = path.find(']', i);
            if (close == std::string_view::npos || close == i + 1) return false;
            std::int64_t index = 0;
            for (std::size_t k = i + 1; k < close; ++k) {
                if (path[k] < '0' || path[k] > '9' || index > 1'000'000'000) return false;
                index = index * 10 + (path[k] - '0');
            }
            out.push_back(PathStep{{}, index});
            i = close + 1;
            if (i < path.size()) {
                if (path[i] == '.') {
                    ++i;
                    if (i == path.size()) return false;
                } else if (path[i] != '[') {
                    return false;
                }
            }
            continue;
        }
        std::size_t end = i;
        while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
        if (end == i) return false;
        if (path.substr(i, end - i).find(']') != std::string_view::npos) return false;
        out.push_back(PathStep{std::string(path.substr(i, end - i)), -1});
        i = end;
        if (i < path.size() && path[i] == '.') {
            ++i;
            if (i == path.size()) return false;
        }
    }
    return true;
}

const Value* find_path(const Value& root, const std::vector<PathStep>& steps) noexcept {
    const Value* cur = &root;
    for (const auto& step : steps) {
        cur = step.index >= 0 ? cur->at(static_cast<std::size_t>(step.index)) : cur->find(step.key);
        if (cur == nullptr) return nullptr;
    }
    return cur;
}

const Value* Value::find_path(std::string_view path) const noexcept {
    std::vector<PathStep> steps;
    try {
        if (!parse_path(path, steps)) return nullptr;
    } catch (...) {
        return nullptr;
    }
    return model::find_path(*this, steps);
}

namespace {
void quote(std::string& out, const std::string& s) {
    out += '"';
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    out += '"';
}

void write(std::string& out, const Value& v, bool top) {
    switch (v.kind()) {
        case Value::Kind::null:
            if (!top) out += "null";
            break;
        case Value::Kind::boolean:
            out += v.as_bool() ? "true" : "false";
            break;
        case Value::Kind::integer:
            out += std::to_string(v.as_int());
            break;
        case Value::Kind::decimal:
            out += v.as_decimal().to_string();
            break;
        case Value::Kind::string:
            if (top) {
                out += v.as_string();
            } else {
                quote(out, v.as_string());
            }
            break;
        case Value::Kind::array:
            out += '[';
            for (std::size_t i = 0; i < v.items().size(); ++i) {
                if (i) out += ',';
                write(out, v.items()[i], false);
            }
            out += ']';
            break;
        case Value::Kind::object:
            out += '{';
            for (std::size_t i = 0; i < v.items().size(); ++i) {
                if (i) out += ',';
                quote(out, v.keys()[i]);
                out += ':';
                write(out, v.items()[i], false);
            }
            out += '}';
            break;
    }
}
}  // namespace

std::string Value::to_text() const {
    std::string out;
    write(out, *this, true);
    return out;
}

bool operator==(const Value& a, const Value& b) {
    if (a.kind_ != b.kind_) {
        if (a.is_number() && b.is_number()) return a.as_decimal() == b.as_decimal();
        return false;
    }
    switch (a.kind_) {
        case Value::Kind::null:
            return true;
        case Value::Kind::boolean:
            return a.bool_ == b.bool_;
        case Value::Kind::integer:
            return a.int_ == b.int_;
        case Value::Kind::decimal:
            return a.dec_ == b.dec_;
        case Value::Kind::string:
            return a.str_ == b.str_;
        case Value::Kind::array:
        case Value::Kind::object:
            return a.keys_ == b.keys_ && a.items_ == b.items_;
    }
    return false;
}

}  // namespace clarity::model
