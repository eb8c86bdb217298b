#pragma once
/// \file
/// The value type of Odoo data on every transport: a plain variant tree. Odoo answers `false`
/// for empty fields (m2o, char, date alike), so "empty" means nil or false; helpers below read
/// that uniformly. Integers are 64-bit, Odoo floats are doubles (money stays text or Decimal in
/// the layers above: convert with `model::Decimal` from `as_number_text()`).

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace clarity::odoo {

class Value;

namespace detail {
/// Small blocks for Struct nodes from a per-thread free list (a search_read reply is hundreds
/// of map nodes, allocated and freed together on every call: this keeps them out of malloc's
/// slow paths). Blocks freed on another thread join that thread's list; larger sizes go to
/// operator new directly.
void* node_allocate(std::size_t bytes);
void node_deallocate(void* p, std::size_t bytes) noexcept;
}  // namespace detail

/// The allocator of Struct's nodes (stateless: every instance is interchangeable).
template <class T>
struct NodeAllocator {
    using value_type = T;
    NodeAllocator() noexcept = default;
    template <class U>
    NodeAllocator(const NodeAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(detail::node_allocate(n * sizeof(T))); }
    void deallocate(T* p, std::size_t n) noexcept { detail::node_deallocate(p, n * sizeof(T)); }
    template <class U>
    friend bool operator==(const NodeAllocator&, const NodeAllocator<U>&) noexcept {
        return true;
    }
};

using Array = std::vector<Value>;
/// An Odoo dict / XML-RPC struct: members by name, iterated in name order.
using Struct =
    std::map<std::string, Value, std::less<>, NodeAllocator<std::pair<const std::string, Value>>>;

/// XML-RPC `<nil/>` / JSON `null` / Python None.
struct Nil {
    friend bool operator==(Nil, Nil) = default;
};
/// XML-RPC `<dateTime.iso8601>` text, e.g. "20260115T10:30:00". Odoo itself sends datetimes as
/// strings "YYYY-MM-DD HH:MM:SS" (UTC); this type exists for the XML-RPC wire type only.
struct DateTime {
    std::string iso8601;
    friend bool operator==(const DateTime&, const DateTime&) = default;
};
/// XML-RPC `<base64>`: the decoded bytes.
struct Binary {
    std::string bytes;
    friend bool operator==(const Binary&, const Binary&) = default;
};

/// A JSON/XML-RPC value. Regular, copyable; equality is deep.
class Value {
  public:
    using Variant =
        std::variant<Nil, bool, std::int64_t, double, std::string, Array, Struct, DateTime, Binary>;

    Value() = default;
    Value(Nil) {}
    Value(std::nullptr_t) {}
    Value(bool b) : v_(b) {}
    Value(int i) : v_(std::int64_t{i}) {}
    Value(long i) : v_(std::int64_t{i}) {}
    Value(long long i) : v_(std::int64_t{i}) {}
    Value(unsigned i) : v_(std::int64_t{i}) {}
    Value(double d) : v_(d) {}
    Value(const char* s) : v_(std::string(s)) {}
    Value(std::string s) : v_(std::move(s)) {}
    Value(std::string_view s) : v_(std::string(s)) {}
    Value(Array a) : v_(std::move(a)) {}
    Value(Struct s) : v_(std::move(s)) {}
    Value(DateTime d) : v_(std::move(d)) {}
    Value(Binary b) : v_(std::move(b)) {}

    Value(const Value&) = default;
    Value(Value&&) noexcept = default;
    Value& operator=(const Value&) = default;
    Value& operator=(Value&&) noexcept = default;
    /// Iterative: a tree of any depth is destroyed with a constant amount of stack.
    ~Value();

    const Variant& variant() const noexcept { return v_; }
    /// Replaces the value by a `T` built in place (decoders fill records without moves).
    template <class T, class... Args>
    T& emplace(Args&&... args) {
        return v_.template emplace<T>(std::forward<Args>(args)...);
    }

    bool is_nil() const noexcept { return std::holds_alternative<Nil>(v_); }
    bool is_bool() const noexcept { return std::holds_alternative<bool>(v_); }
    bool is_int() const noexcept { return std::holds_alternative<std::int64_t>(v_); }
    bool is_double() const noexcept { return std::holds_alternative<double>(v_); }
    bool is_number() const noexcept { return is_int() || is_double(); }
    bool is_string() const noexcept { return std::holds_alternative<std::string>(v_); }
    bool is_array() const noexcept { return std::holds_alternative<Array>(v_); }
    bool is_struct() const noexcept { return std::holds_alternative<Struct>(v_); }
    bool is_datetime() const noexcept { return std::holds_alternative<DateTime>(v_); }
    bool is_binary() const noexcept { return std::holds_alternative<Binary>(v_); }
    /// Odoo's "no value": nil or `false`.
    bool is_empty() const noexcept { return is_nil() || (is_bool() && !std::get<bool>(v_)); }
    /// Python truthiness (used by the fake's domain evaluation).
    bool truthy() const noexcept;

    /// Typed access; nullopt when the value has another type (no conversion, except int→double).
    std::optional<bool> as_bool() const noexcept;
    std::optional<std::int64_t> as_int() const noexcept;
    std::optional<double> as_double() const noexcept;
    /// The string, or nullopt (also for Odoo's `false`).
    std::optional<std::string> as_string() const;
    const Array* as_array() const noexcept { return std::get_if<Array>(&v_); }
    const Struct* as_struct() const noexcept { return std::get_if<Struct>(&v_); }
    Array* as_array() noexcept { return std::get_if<Array>(&v_); }
    Struct* as_struct() noexcept { return std::get_if<Struct>(&v_); }

    /// A many2one as read: `[id, "name"]`, a bare id (read with load=None), or false → nullopt.
    std::optional<std::int64_t> m2o_id() const noexcept;
    /// A list of ints (x2many ids, `create` result); nullopt when not such a list.
    std::optional<std::vector<std::int64_t>> as_ids() const;

    /// Member of a struct; a shared nil value when absent or not a struct.
    const Value& operator[](std::string_view key) const noexcept;
    /// Member present (struct only).
    bool has(std::string_view key) const noexcept;

    /// Python-like repr for messages and logs (strings quoted, `False`, `None`).
    std::string repr() const;

    friend bool operator==(const Value&, const Value&) = default;

  private:
    Variant v_;

    void destroy_nested() noexcept;
};

/// Prints repr() (test diagnostics, logs).
inline std::ostream& operator<<(std::ostream& os, const Value& v) { return os << v.repr(); }

/// Shorthand for building arrays: `arr(1, "x", Struct{...})`.
template <class... T>
Array arr(T&&... items) {
    Array a;
    a.reserve(sizeof...(items));
    (a.emplace_back(std::forward<T>(items)), ...);
    return a;
}

/// An array of ids.
Array ids_array(const std::vector<std::int64_t>& ids);

/// A search domain in Odoo's prefix notation: leaves `[field, op, value]` and the operators
/// "&", "|", "!". Plain data; `Domain::leaf` makes one leaf.
struct Domain {
    Array terms;
    static Value leaf(std::string field, std::string op, Value value) {
        return Array{Value(std::move(field)), Value(std::move(op)), std::move(value)};
    }
    Domain& where(std::string field, std::string op, Value value) {
        terms.push_back(leaf(std::move(field), std::move(op), std::move(value)));
        return *this;
    }
    Value to_value() const { return terms; }
};

}  // namespace clarity::odoo
