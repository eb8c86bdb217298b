#include "sqlite_db.hpp"

namespace clarity::store::sqlite {

void fail(sqlite3* db, int rc, std::string_view what) {
    std::string message(what);
    message += ": ";
    message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    int code = rc;
    if (db != nullptr && (rc & 0xff) == (sqlite3_extended_errcode(db) & 0xff)) {
        code = sqlite3_extended_errcode(db);
    }
    throw SqliteFailure(code, std::move(message));
}

Stmt::Stmt(sqlite3* db, std::string_view sql) : db_(db) {
    const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK) fail(db, rc, "prepare");
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

Stmt& Stmt::bind(int index, std::int64_t value) {
    const int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}

Stmt& Stmt::bind(int index, double value) {
    const int rc = sqlite3_bind_double(stmt_, index, value);
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}

Stmt& Stmt::bind(int index, std::string_view value) {
    const int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                       SQLITE_UTF8);
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}

Stmt& Stmt::bind_null(int index) {
    const int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}

bool Stmt::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, rc, "step");
}

void Stmt::run() {
    while (step()) {
    }
}

void Stmt::reset() noexcept {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::string Stmt::text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    const int n = sqlite3_column_bytes(stmt_, col);
    return p == nullptr ? std::string{} : std::string(reinterpret_cast<const char*>(p), n);
}

Db::Db(const std::string& path, OpenMode mode) {
    const int flags = (mode == OpenMode::read_only ? SQLITE_OPEN_READONLY
                                                   : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                      SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw SqliteFailure(rc, "open: " + message);
    }
    sqlite3_extended_result_codes(db_, 1);
}

Db::~Db() {
    cache_.clear();
    sqlite3_close_v2(db_);
}

void Db::exec(std::string_view sql) {
    std::string text(sql);
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) fail(db_, rc, "exec");
}

std::int64_t Db::query_int(std::string_view sql) {
    Stmt s(db_, sql);
    if (!s.step()) return 0;
    return s.int64(0);
}

std::string Db::query_text(std::string_view sql) {
    Stmt s(db_, sql);
    if (!s.step()) return {};
    return s.text(0);
}

Stmt& Db::cached(const char* sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return *it->second;
    auto stmt = std::make_unique<Stmt>(db_, sql);
    auto& ref = *stmt;
    cache_.emplace(sql, std::move(stmt));
    return ref;
}

void Db::busy_timeout(std::chrono::milliseconds timeout) {
    sqlite3_busy_timeout(db_, static_cast<int>(timeout.count()));
}

Transaction::Transaction(Db& db, Behavior behavior) : db_(db) {
    switch (behavior) {
        case Behavior::deferred:
            db_.exec("BEGIN DEFERRED");
            break;
        case Behavior::immediate:
            db_.exec("BEGIN IMMEDIATE");
            break;
        case Behavior::exclusive:
            db_.exec("BEGIN EXCLUSIVE");
            break;
    }
}

Transaction::~Transaction() {
    // SQLite rolls back by itself after some errors (e.g. SQLITE_FULL); only roll back what is
    // open.
    if (!done_ && db_.in_transaction()) {
        sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace clarity::store::sqlite
