#pragma once
// Versioned schema migrations of the SQLite store. The version lives in PRAGMA user_version.
#include <span>
#include <string_view>

#include "sqlite_db.hpp"

namespace clarity::store::sqlite {

struct Migration {
    int version;
    std::string_view name;
    std::string_view sql;
};

/// Every migration, in version order.
std::span<const Migration> migrations();
/// The schema version this build writes.
int latest_schema_version();

/// Applies the missing migrations in one IMMEDIATE transaction. Throws std::runtime_error with an
/// actionable message when the database comes from a newer version; SqliteFailure on I/O errors.
void migrate(Db& db, const std::string& path);

/// Checks, without writing, that the schema is exactly the latest version (read-only opens).
void require_latest(Db& db, const std::string& path);

// Job states as stored (JobState order).
inline constexpr int kReady = 0;
inline constexpr int kLeased = 1;
inline constexpr int kWaiting = 2;
inline constexpr int kDone = 3;
inline constexpr int kDead = 4;

}  // namespace clarity::store::sqlite
