#pragma once
// Internal state of the fake Odoo (shared by fake_odoo.cpp, fake_odoo_orm.cpp, fake_odoo_http.cpp).
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "odoo/fake_odoo.hpp"

namespace clarity::fakes::odoo {

/// An Odoo exception raised inside the fake: `name` is the dotted class name.
struct OdooRaise {
    std::string name;
    std::string message;
};
/// Arguments that do not bind to the method's signature (TypeError on JSON-RPC, 422 on JSON-2).
struct BindError {
    std::string message;
};
/// JSON-2 only: unknown model or method (404).
struct NotFoundError {
    std::string message;
};

inline constexpr const char* kAccessDenied = "odoo.exceptions.AccessDenied";
inline constexpr const char* kAccessError = "odoo.exceptions.AccessError";
inline constexpr const char* kUserError = "odoo.exceptions.UserError";
inline constexpr const char* kValidationError = "odoo.exceptions.ValidationError";
inline constexpr const char* kMissingError = "odoo.exceptions.MissingError";
inline constexpr const char* kValueError = "builtins.ValueError";
inline constexpr const char* kAttributeError = "builtins.AttributeError";
inline constexpr const char* kTypeError = "builtins.TypeError";

struct FieldDef {
    std::string name;
    std::string type;
    std::string label;
    std::string relation;
    std::string inverse;  ///< one2many: the many2one on `relation`
    bool required = false;
    bool readonly = false;
    bool computed = false;
    std::vector<std::pair<std::string, std::string>> selection;
    Value def;  ///< default (nil = none)
    int min_major = 0;
    int max_major = 99;
    bool relational() const {
        return type == "many2one" || type == "one2many" || type == "many2many";
    }
};

struct ModelDef {
    std::string name;
    std::string description;
    std::vector<FieldDef> fields;
    const FieldDef* find(std::string_view field, int major) const;
    std::vector<const FieldDef*> visible(int major) const;
};

struct User {
    std::int64_t uid = 0;
    std::string login;
    std::string password;
    std::set<std::string> denied;
};

std::int64_t to_id_value(const Value& v);

struct FakeOdoo::State {
    explicit State(FakeOdooOptions o);

    /// add_webhook's rules, the POSTs due once the current call answers, and failures.
    struct Webhook {
        std::string model, url;
        std::vector<std::string> fields;
        int action_id = 0;
    };
    std::vector<Webhook> webhooks;
    std::vector<std::pair<std::string, std::string>> webhook_outbox;  ///< url, body
    std::size_t webhook_failures = 0;
    /// Queues the webhook POSTs of the rules on `model` for records `ids` (those that exist).
    void queue_webhooks(const std::string& model, const std::vector<std::int64_t>& ids);

    FakeOdooOptions opt;
    int major;
    std::map<std::string, ModelDef> defs;
    using Table = std::map<std::int64_t, Struct>;
    std::map<std::string, Table> tables;
    std::map<std::string, std::int64_t> next_ids;
    std::map<std::int64_t, User> users;
    std::map<std::string, std::int64_t> keys;
    std::vector<CallRecord> log;
    std::int64_t requests = 0;
    std::map<std::int64_t, FaultSpec> faults;  ///< by absolute request number
    std::optional<FaultSpec> outage;           ///< every request while set
    std::size_t outage_requests = 0;
    /// By call content (fail_next_call), in the order given; each used once.
    std::vector<std::pair<std::function<bool(const CallRecord&)>, FaultSpec>> call_faults;
    std::chrono::milliseconds latency{0};
    /// Records the last call created, changed or returned (the cost model's unit).
    std::int64_t last_call_records = 0;
    /// When each worker of the cost model is free again.
    std::vector<std::chrono::steady_clock::time_point> worker_free;
    std::int64_t uid = 2;  ///< user of the call being executed
    Struct ctx;            ///< context of the call being executed
    std::int64_t sequence = 0;
    mutable std::mutex mu;

    /// Undo journal of the write call in progress (fake_odoo_http.cpp `run`): each row's value
    /// before its first change in the call (nullopt: the row did not exist). Every change to
    /// `tables` goes through touch() or row_mut(), so a failed call rolls back only the rows it
    /// touched instead of copying the whole database per call (which made a 500-order import
    /// quadratic). FakeOdooOptions::verify_journal checks that no change bypasses it.
    std::map<std::string, std::map<std::int64_t, std::optional<Struct>>> undo;
    bool journaling = false;
    void touch(const std::string& model, std::int64_t id);
    /// The row to change, journaled first.
    Struct& row_mut(const std::string& model, std::int64_t id) {
        touch(model, id);
        return tables[model].at(id);
    }
    /// Restores every journaled row and clears the journal.
    void roll_back();

    /// Equality indexes: the ids of `model` whose stored `field` holds `key` (an id, or a string),
    /// ascending, without scanning the table. Odoo answers such look-ups from a database index; a
    /// scan made the fake's cost per call grow with its record count, which benchmarks of
    /// thousands of orders then charged to the daemon. An index is built on first use and kept by
    /// note_change(): it holds a superset (an id stays under a key its row left) and every read
    /// re-checks the row, so a missed removal never gives a wrong answer.
    std::vector<std::int64_t> ids_where(const std::string& model,
                                        const std::string& field,
                                        const Value& key) const;
    /// The rows a search for `domain` may answer, from an index; nullopt: scan the table.
    std::optional<std::set<std::int64_t>> indexed_candidates(const ModelDef& m,
                                                             const Array& domain) const;
    /// The row `id` of `model` was or is about to be changed: indexes re-read it on their next use.
    void note_change(const std::string& model, std::int64_t id) const;
    /// note_change() for every row the journal holds (the end of a call that changed them).
    void note_journaled_changes() const;
    struct FieldIndex {
        std::unordered_map<std::string, std::set<std::int64_t>> ids_by_key;
        std::vector<std::int64_t> pending;  ///< rows changed since the last read
    };
    mutable std::map<std::pair<std::string, std::string>, FieldIndex> indexes;
    mutable std::map<std::string, std::vector<FieldIndex*>> indexes_of_model;

    void insert_raw(const std::string& model, std::int64_t id, Struct vals);
    /// The table of `model`, empty when it has no records yet.
    const Table& table(const std::string& model) const {
        static const Table kEmpty;
        auto it = tables.find(model);
        return it == tables.end() ? kEmpty : it->second;
    }
    void seed();
    std::string now() const;
    std::string today() const { return now().substr(0, 10); }

    // ORM (fake_odoo_orm.cpp). All raise OdooRaise.
    const ModelDef& model(const std::string& name) const;
    const FieldDef& field(const ModelDef& m, std::string_view name) const;
    void check_access(const std::string& model, std::string_view operation) const;
    bool exists(const std::string& model, std::int64_t id) const;
    [[noreturn]] void missing(const std::string& model, std::int64_t id) const;
    Value execute(const std::string& model,
                  const std::string& method,
                  std::optional<std::vector<std::int64_t>> ids,
                  Struct named);
    std::int64_t create(const std::string& model, Struct vals);
    void write(const std::string& model, const std::vector<std::int64_t>& ids, Struct vals);
    void unlink(const std::string& model, const std::vector<std::int64_t>& ids);
    Array read(const std::string& model,
               const std::vector<std::int64_t>& ids,
               const std::vector<std::string>& fields,
               bool classic);
    std::vector<std::int64_t> search(const std::string& model,
                                     const Array& domain,
                                     std::int64_t offset,
                                     std::int64_t limit,
                                     const std::string& order);
    Value get(const std::string& model, const Struct& row, const FieldDef& f) const;
    /// A sale.order.line's untaxed subtotal and tax, in cents (see get: price_subtotal…).
    std::pair<std::int64_t, std::int64_t> line_amounts(const Struct& line) const;
    /// A sale.order's untaxed amount and tax in cents, under the company's tax rounding method.
    std::pair<std::int64_t, std::int64_t> order_amounts(std::int64_t order) const;
    /// res.company tax_calculation_rounding_method is round_globally.
    bool rounds_globally() const;
    /// A sale order's currency for `vals`: its pricelist's, else the company's.
    std::int64_t order_currency(const Struct& vals) const;
    std::string display_name(const std::string& model, std::int64_t id) const;
    /// `allfields` empty = every field (Odoo answers only the fields named there).
    Value fields_get(const std::string& model,
                     const Array& attributes,
                     const Array& allfields = {}) const;
    Value load(const std::string& model, const Array& fields, const Array& data);
    Value read_group(const std::string& model,
                     const Array& domain,
                     const Array& fields,
                     const Array& groupby);
};

}  // namespace clarity::fakes::odoo
