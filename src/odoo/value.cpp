#include "clarity/odoo/value.hpp"

#include <charconv>
#include <cmath>
#include <new>

namespace clarity::odoo {

namespace detail {

namespace {

constexpr std::size_t kGranule = 16;
constexpr std::size_t kClasses = 16;            // blocks of 16..256 bytes
constexpr std::size_t kMaxFreePerClass = 8192;  // beyond this, blocks go back to operator new

struct FreeBlock {
    FreeBlock* next;
};

struct NodePool {
    FreeBlock* heads[kClasses] = {};
    std::size_t counts[kClasses] = {};
    ~NodePool() {
        alive = false;
        for (auto* head : heads) {
            while (head != nullptr) {
                FreeBlock* next = head->next;
                ::operator delete(head);
                head = next;
            }
        }
    }
    static thread_local bool alive;
};

thread_local bool NodePool::alive = true;
thread_local NodePool pool;

}  // namespace

#if defined(__SANITIZE_ADDRESS__)
// Under AddressSanitizer every node goes to operator new/delete, so a use after free of a record
// is still caught.
constexpr bool kPooled = false;
#else
constexpr bool kPooled = true;
#endif

void* node_allocate(std::size_t bytes) {
    if constexpr (!kPooled) return ::operator new(bytes);
    std::size_t c = (bytes + kGranule - 1) / kGranule;
    if (c == 0 || c > kClasses || !NodePool::alive) return ::operator new(c* kGranule);
    auto& p = pool;
    if (FreeBlock* b = p.heads[c - 1]) {
        p.heads[c - 1] = b->next;
        --p.counts[c - 1];
        return b;
    }
    return ::operator new(c* kGranule);
}

void node_deallocate(void* ptr, std::size_t bytes) noexcept {
    if constexpr (!kPooled) {
        ::operator delete(ptr);
        return;
    }
    std::size_t c = (bytes + kGranule - 1) / kGranule;
    if (c == 0 || c > kClasses || !NodePool::alive) {
        ::operator delete(ptr);
        return;
    }
    auto& p = pool;
    if (p.counts[c - 1] >= kMaxFreePerClass) {
        ::operator delete(ptr);
        return;
    }
    auto* b = static_cast<FreeBlock*>(ptr);
    b->next = p.heads[c - 1];
    p.heads[c - 1] = b;
    ++p.counts[c - 1];
}

}  // namespace detail

namespace {
/// An array or struct with at least one element.
bool has_children(const Value& v) noexcept {
    if (const auto* a = v.as_array()) return !a->empty();
    if (const auto* s = v.as_struct()) return !s->empty();
    return false;
}
}  // namespace

Value::~Value() {
    // Scalars and empty containers: nothing nested to unwind.
    if (has_children(*this)) destroy_nested();
}

// A deep tree destroyed member by member would recurse once per level (a hostile reply nesting
// arrays 100,000 deep would overflow the stack). Every child that has children of its own is
// moved onto an explicit stack instead, and emptied the same way before it is destroyed, so no
// destructor below this one ever sees a nested child. Records of scalars (the usual reply) take
// the first loop only.
void Value::destroy_nested() noexcept {
    std::vector<Value> pending;
    const auto take_nested = [&pending](Value& v) {
        if (auto* a = v.as_array()) {
            for (auto& child : *a) {
                if (has_children(child)) pending.push_back(std::move(child));
            }
            a->clear();
        } else if (auto* s = v.as_struct()) {
            for (auto& [key, child] : *s) {
                if (has_children(child)) pending.push_back(std::move(child));
            }
            s->clear();
        }
    };
    take_nested(*this);
    while (!pending.empty()) {
        Value v = std::move(pending.back());
        pending.pop_back();
        take_nested(v);
    }
}

bool Value::truthy() const noexcept {
    return std::visit(
        [](const auto& v) -> bool {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, Nil>) {
                return false;
            } else if constexpr (std::is_same_v<T, bool>) {
                return v;
            } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>) {
                return v != 0;
            } else if constexpr (std::is_same_v<T, DateTime>) {
                return true;
            } else if constexpr (std::is_same_v<T, Binary>) {
                return !v.bytes.empty();
            } else {
                return !v.empty();
            }
        },
        v_);
}

std::optional<bool> Value::as_bool() const noexcept {
    if (const auto* b = std::get_if<bool>(&v_)) return *b;
    return std::nullopt;
}

std::optional<std::int64_t> Value::as_int() const noexcept {
    if (const auto* i = std::get_if<std::int64_t>(&v_)) return *i;
    return std::nullopt;
}

std::optional<double> Value::as_double() const noexcept {
    if (const auto* d = std::get_if<double>(&v_)) return *d;
    if (const auto* i = std::get_if<std::int64_t>(&v_)) return static_cast<double>(*i);
    return std::nullopt;
}

std::optional<std::string> Value::as_string() const {
    if (const auto* s = std::get_if<std::string>(&v_)) return *s;
    return std::nullopt;
}

std::optional<std::int64_t> Value::m2o_id() const noexcept {
    if (const auto* i = std::get_if<std::int64_t>(&v_)) return *i;
    if (const auto* a = std::get_if<Array>(&v_)) {
        if (!a->empty()) return (*a)[0].as_int();
    }
    return std::nullopt;
}

std::optional<std::vector<std::int64_t>> Value::as_ids() const {
    const auto* a = std::get_if<Array>(&v_);
    if (a == nullptr) return std::nullopt;
    std::vector<std::int64_t> out;
    out.reserve(a->size());
    for (const auto& v : *a) {
        auto i = v.as_int();
        if (!i) return std::nullopt;
        out.push_back(*i);
    }
    return out;
}

const Value& Value::operator[](std::string_view key) const noexcept {
    static const Value kNil;
    if (const auto* s = std::get_if<Struct>(&v_)) {
        auto it = s->find(key);
        if (it != s->end()) return it->second;
    }
    return kNil;
}

bool Value::has(std::string_view key) const noexcept {
    const auto* s = std::get_if<Struct>(&v_);
    return s != nullptr && s->find(key) != s->end();
}

namespace {

void repr_to(const Value& value, std::string& out) {
    std::visit(
        [&out](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, Nil>) {
                out += "None";
            } else if constexpr (std::is_same_v<T, bool>) {
                out += v ? "True" : "False";
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                out += std::to_string(v);
            } else if constexpr (std::is_same_v<T, double>) {
                char buf[64];
                auto r = std::to_chars(buf, buf + sizeof buf, v);
                std::string s(buf, r.ptr);
                if (std::isfinite(v) && s.find_first_of(".e") == std::string::npos) s += ".0";
                out += s;
            } else if constexpr (std::is_same_v<T, std::string>) {
                out += '\'';
                for (char c : v) {
                    if (c == '\'' || c == '\\') out += '\\';
                    out += c;
                }
                out += '\'';
            } else if constexpr (std::is_same_v<T, Array>) {
                out += '[';
                bool first = true;
                for (const auto& item : v) {
                    if (!first) out += ", ";
                    first = false;
                    repr_to(item, out);
                }
                out += ']';
            } else if constexpr (std::is_same_v<T, Struct>) {
                out += '{';
                bool first = true;
                for (const auto& [k, item] : v) {
                    if (!first) out += ", ";
                    first = false;
                    out += '\'' + k + "': ";
                    repr_to(item, out);
                }
                out += '}';
            } else if constexpr (std::is_same_v<T, DateTime>) {
                out += "<DateTime '" + v.iso8601 + "'>";
            } else {
                out += "<Binary " + std::to_string(v.bytes.size()) + " bytes>";
            }
        },
        value.variant());
}

}  // namespace

std::string Value::repr() const {
    std::string out;
    repr_to(*this, out);
    return out;
}

Array ids_array(const std::vector<std::int64_t>& ids) {
    Array a;
    a.reserve(ids.size());
    for (auto id : ids) a.emplace_back(id);
    return a;
}

}  // namespace clarity::odoo
