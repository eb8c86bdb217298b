#pragma once
/// \file
/// A generic, ordered value tree for raw payloads (an SP-API order as it arrived, an Odoo record's
/// values). It lets the mapping engine address any attribute by path without exposing a JSON
/// library in public headers. Standard library only.
///
/// Thread-safety: a const Value may be read from several threads; mutation is not synchronized.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clarity/model/decimal.hpp"

namespace clarity::model {

/// The deepest nesting of arrays and objects that a parser of outside data (JSON from SP-API,
/// Odoo and SQS, XML-RPC, mapping inputs) accepts: far beyond any real document, and shallow
/// enough for the recursive walks over a tree (printing, comparing, copying) to stay small on
/// the stack. Deeper input is refused with a message naming this limit.
inline constexpr std::size_t kMaxNestingDepth = 512;

class Value {
  public:
    enum class Kind : std::uint8_t { null, boolean, integer, decimal, string, array, object };

    Value() = default;
    Value(std::nullptr_t) {}
    Value(bool b) : kind_(Kind::boolean), bool_(b) {}
    Value(int v) : kind_(Kind::integer), int_(v) {}
    Value(std::int64_t v) : kind_(Kind::integer), int_(v) {}
    Value(Decimal d) : kind_(Kind::decimal), dec_(d) {}
    Value(std::string s) : kind_(Kind::string), str_(std::move(s)) {}
    Value(std::string_view s) : kind_(Kind::string), str_(s) {}
    Value(const char* s) : kind_(Kind::string), str_(s) {}

    Value(const Value&) = default;
    Value(Value&&) noexcept = default;
    Value& operator=(const Value&) = default;
    Value& operator=(Value&&) noexcept = default;
    /// Iterative: a tree of any depth is destroyed with a constant amount of stack.
    ~Value();

    static Value array() {
        Value v;
        v.kind_ = Kind::array;
        return v;
    }
    static Value object() {
        Value v;
        v.kind_ = Kind::object;
        return v;
    }

    Kind kind() const noexcept { return kind_; }
    bool is_null() const noexcept { return kind_ == Kind::null; }
    bool is_bool() const noexcept { return kind_ == Kind::boolean; }
    bool is_int() const noexcept { return kind_ == Kind::integer; }
    bool is_decimal() const noexcept { return kind_ == Kind::decimal; }
    bool is_number() const noexcept { return is_int() || is_decimal(); }
    bool is_string() const noexcept { return kind_ == Kind::string; }
    bool is_array() const noexcept { return kind_ == Kind::array; }
    bool is_object() const noexcept { return kind_ == Kind::object; }

    /// Typed access; calling the wrong accessor is a programmer error (std::logic_error).
    bool as_bool() const;
    std::int64_t as_int() const;
    /// A decimal or an integer as a Decimal.
    Decimal as_decimal() const;
    const std::string& as_string() const;

    /// Array elements or object member values, in order; empty for scalars.
    const std::vector<Value>& items() const noexcept { return items_; }
    std::vector<Value>& items() noexcept { return items_; }
    /// Object keys, parallel to items(); empty for non-objects.
    const std::vector<std::string>& keys() const noexcept { return keys_; }
    std::size_t size() const noexcept { return items_.size(); }

    /// Appends to an array (turns a null into an array). Returns the new element.
    Value& push_back(Value v);
    /// Sets an object member, keeping first-insertion order (turns a null into an object).
    Value& set(std::string key, Value v);
    /// The member named `key`, or nullptr (also for non-objects). Linear: objects are small.
    const Value* find(std::string_view key) const noexcept;
    Value* find(std::string_view key) noexcept;
    /// Element `index` of an array, or nullptr.
    const Value* at(std::size_t index) const noexcept;

    /// Follows a dotted path: "ShippingAddress.City", "orderItems[0].product.sellerSku",
    /// "proceeds.grandTotal.amount". Returns nullptr when any step is missing.
    const Value* find_path(std::string_view path) const noexcept;

    /// Text of a scalar (strings as-is, numbers canonical, booleans "true"/"false", null "").
    /// Arrays and objects give their compact JSON-like text.
    std::string to_text() const;

    friend bool operator==(const Value& a, const Value& b);

  private:
    Kind kind_ = Kind::null;
    bool bool_ = false;
    std::int64_t int_ = 0;
    Decimal dec_;
    std::string str_;
    std::vector<std::string> keys_;
    std::vector<Value> items_;

    void destroy_nested() noexcept;
};

/// One parsed step of a value path: a member name or an array index.
struct PathStep {
    std::string key;          ///< member name; empty when this step is an index
    std::int64_t index = -1;  ///< array index, or -1
};

/// Splits "a.b[2].c" into steps. Returns false on malformed text ("a..b", "a[x]", "a[").
bool parse_path(std::string_view path, std::vector<PathStep>& out);

/// Follows pre-parsed steps (the mapper compiles paths once).
const Value* find_path(const Value& root, const std::vector<PathStep>& steps) noexcept;

}  // namespace clarity::model
