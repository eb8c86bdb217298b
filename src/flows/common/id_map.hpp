#pragma once
// "The Odoo record for this Amazon thing": the store's id map (kind + Amazon id → Odoo model + id)
// as the flows use it. A flow writes the mapping the moment Odoo answers a create (not only with
// the job's ack), so that a later run — a retry, a crash, another job of the same entity — finds
// the record instead of creating it again.
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "clarity/core/result.hpp"
#include "clarity/store/store.hpp"

namespace clarity::store {
class AsyncStore;
}  // namespace clarity::store

namespace clarity::flows {

/// The mapping of Amazon thing `amazon_id` of `kind` ("amazon_order") on `connection`; nullopt
/// when the store has none.
boost::asio::awaitable<Result<std::optional<store::IdMapping>>> find_odoo_record(
    store::AsyncStore& store, std::string connection, std::string kind, std::string amazon_id);

/// Writes `mapping` now (without a store: nothing).
boost::asio::awaitable<Result<void>> remember_odoo_record(store::AsyncStore* store,
                                                          store::IdMapping mapping);

/// Cursor `name` of `connection`, set to `value` first when the store has none: when this store
/// began doing something ("orders.new_since").
boost::asio::awaitable<Result<std::string>> cursor_or_set(store::AsyncStore& store,
                                                          std::string connection,
                                                          std::string name,
                                                          std::string value);

}  // namespace clarity::flows
