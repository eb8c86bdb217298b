#pragma once
// The SQLite implementation of store::Store (internal; open it through store::open_store).
#include <memory>

#include "clarity/store/options.hpp"

namespace clarity::store::sqlite {

/// Throws StoreOpenError.
std::unique_ptr<Store> open_sqlite_store(const StoreOptions& options, StoreDeps deps);

}  // namespace clarity::store::sqlite
