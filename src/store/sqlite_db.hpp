#pragma once
// Internal RAII wrapper over the sqlite3 C API (after SQLiteCpp): Db owns a connection and a cache
// of prepared statements, Stmt binds and steps, Transaction begins on construction and rolls back
// on scope exit unless committed. Failures throw SqliteFailure; the store converts them to
// clarity::Error values at its public boundary.
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace clarity::store::sqlite {

class SqliteFailure : public std::runtime_error {
  public:
    SqliteFailure(int code, std::string message)
        : std::runtime_error(std::move(message)), code_(code) {}
    /// Extended result code.
    int code() const noexcept { return code_; }
    int primary() const noexcept { return code_ & 0xff; }

  private:
    int code_;
};

class Stmt {
  public:
    Stmt(sqlite3* db, std::string_view sql);
    ~Stmt();
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    Stmt& bind(int index, std::int64_t value);
    Stmt& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Stmt& bind(int index, std::string_view value);
    Stmt& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
    Stmt& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Stmt& bind(int index, double value);
    Stmt& bind_null(int index);
    Stmt& bind(int index, std::optional<std::int64_t> value) {
        return value ? bind(index, *value) : bind_null(index);
    }

    /// True when a row is available, false when done. Throws SqliteFailure.
    bool step();
    /// Steps to completion (for statements without rows).
    void run();
    /// Resets and clears bindings (done automatically by Use).
    void reset() noexcept;

    std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
    int int32(int col) const { return sqlite3_column_int(stmt_, col); }
    double real(int col) const { return sqlite3_column_double(stmt_, col); }
    bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
    std::string text(int col) const;
    std::optional<std::int64_t> opt_int64(int col) const {
        return is_null(col) ? std::nullopt : std::optional<std::int64_t>(int64(col));
    }

  private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

/// Resets a cached statement when the scope ends.
class Use {
  public:
    explicit Use(Stmt& s) : s_(s) {}
    ~Use() { s_.reset(); }
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
    Stmt* operator->() { return &s_; }
    Stmt& operator*() { return s_; }

  private:
    Stmt& s_;
};

enum class OpenMode { read_write, read_only };

class Db {
  public:
    /// Opens `path`. Throws SqliteFailure.
    Db(const std::string& path, OpenMode mode);
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    sqlite3* handle() const noexcept { return db_; }
    /// Runs one or more statements without results. Throws SqliteFailure.
    void exec(std::string_view sql);
    /// Single integer result of a query (e.g. a PRAGMA). Throws SqliteFailure.
    std::int64_t query_int(std::string_view sql);
    std::string query_text(std::string_view sql);
    /// A statement prepared once per connection, keyed by the address of the SQL literal.
    Stmt& cached(const char* sql);
    std::int64_t changes() const noexcept { return sqlite3_changes64(db_); }
    std::int64_t last_insert_rowid() const noexcept { return sqlite3_last_insert_rowid(db_); }
    bool in_transaction() const noexcept { return sqlite3_get_autocommit(db_) == 0; }
    void busy_timeout(std::chrono::milliseconds timeout);

  private:
    sqlite3* db_ = nullptr;
    std::unordered_map<const char*, std::unique_ptr<Stmt>> cache_;
};

/// Throws SqliteFailure for `rc` with the connection's message.
[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what);

enum class Behavior { deferred, immediate, exclusive };

/// Begins on construction; rolls back on destruction unless commit() succeeded. Never throws
/// from the destructor.
class Transaction {
  public:
    explicit Transaction(Db& db, Behavior behavior = Behavior::immediate);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

  private:
    Db& db_;
    bool done_ = false;
};

}  // namespace clarity::store::sqlite
