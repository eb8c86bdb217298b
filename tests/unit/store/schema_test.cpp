#include <gtest/gtest.h>

#include <fstream>

#include "store_fixture.hpp"

namespace clarity::store {
namespace {

using namespace std::chrono_literals;
using test::job;

/// The schema version this build writes (src/store/migrations.cpp).
constexpr std::int64_t kLatestVersion = 4;

class Schema : public ::testing::Test, public test::StoreFixture {};

TEST_F(Schema, CreatesAWalDatabaseAtTheLatestVersionWithForeignKeys) {
    open();
    EXPECT_EQ(raw_int("PRAGMA user_version"), kLatestVersion);
    EXPECT_EQ(raw_int("SELECT count(*) FROM sqlite_master WHERE name = 'jobs'"), 1);
    sqlite3* db = nullptr;
    sqlite3_open(options.path.c_str(), &db);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr);
    ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "wal");
    sqlite3_finalize(s);
    sqlite3_close(db);
    // Reopening an up-to-date database changes nothing.
    store.reset();
    open();
    EXPECT_EQ(raw_int("PRAGMA user_version"), kLatestVersion);
}

TEST_F(Schema, RefusesADatabaseFromANewerVersion) {
    open();
    store.reset();
    raw_int("PRAGMA user_version = 99");
    try {
        open();
        FAIL() << "opened a newer schema";
    } catch (const StoreOpenError& e) {
        EXPECT_NE(std::string(e.what()).find("schema version 99, newer than this build"),
                  std::string::npos)
            << e.what();
    }
}

TEST_F(Schema, AFailingMigrationLeavesNothingBehind) {
    // A stray table makes migration 1 fail half-way: none of its tables may remain.
    raw_int("CREATE TABLE audit (x)");
    EXPECT_THROW(open(), StoreOpenError);
    EXPECT_EQ(raw_int("PRAGMA user_version"), 0);
    EXPECT_EQ(raw_int("SELECT count(*) FROM sqlite_master WHERE name = 'jobs'"), 0);
}

TEST_F(Schema, JobIdsAreNeverReusedSoStaleClaimsCannotMatch) {
    options.done_retention = 1s;
    open();
    ASSERT_TRUE(store->enqueue(job("first")));
    auto c = store->claim(1).value();
    ASSERT_TRUE(store->ack(c[0].id, 1));
    clock.advance(2s);
    ASSERT_EQ(store->purge_expired()->done_jobs, 1);
    auto next = store->enqueue(job("second")).value();
    EXPECT_GT(next.id, c[0].id);
    ASSERT_EQ(store->claim(1)->size(), 1u);
    EXPECT_EQ(store->ack(c[0].id, 1).error().kind, ErrorKind::conflict);
}

TEST_F(Schema, QuotaLevelsSurviveAReopenAndASaveReplacesThem) {
    open();
    const auto at = clock.now();
    ASSERT_TRUE(store->save_quota_levels({{"A1SELLER", "na", "getOrderItems", -2.5, 0.5, at},
                                          {"A1SELLER", "na", "getOrderV0", 30, 0.5, at},
                                          {"A1SELLER", "eu", "getOrderItems", 12, 0.5, at},
                                          {"A2OTHER", "na", "getOrderItems", 7, 0.5, at}}));
    store.reset();
    open();
    auto levels = store->quota_levels("A1SELLER", "na").value();
    ASSERT_EQ(levels.size(), 2u);
    EXPECT_EQ(levels[0].operation, "getOrderItems");
    EXPECT_DOUBLE_EQ(levels[0].tokens, -2.5);
    EXPECT_DOUBLE_EQ(levels[0].rate, 0.5);
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(levels[0].at - at).count(), 0);
    ASSERT_TRUE(store->save_quota_levels({{"A1SELLER", "na", "getOrderItems", 4, 0.25, at + 1s}}));
    levels = store->quota_levels("A1SELLER", "na").value();
    ASSERT_EQ(levels.size(), 2u);
    EXPECT_DOUBLE_EQ(levels[0].tokens, 4);
    EXPECT_DOUBLE_EQ(levels[0].rate, 0.25);
    // One bucket per (seller, region, operation): the same seller's EU bucket is its own.
    levels = store->quota_levels("A1SELLER", "eu").value();
    ASSERT_EQ(levels.size(), 1u);
    EXPECT_EQ(levels[0].region, "eu");
    EXPECT_DOUBLE_EQ(levels[0].tokens, 12);
    EXPECT_EQ(store->quota_levels("A3NONE", "na").value().size(), 0u);
}

TEST_F(Schema, AVersionOneDatabaseGainsTheQuotaTableAndKeepsItsJobs) {
    open();
    ASSERT_TRUE(store->enqueue(job("kept")));
    store.reset();
    raw_int("DROP TABLE quota_levels");
    raw_int("ALTER TABLE jobs DROP COLUMN waits");
    raw_int("PRAGMA user_version = 1");
    open();
    EXPECT_EQ(raw_int("PRAGMA user_version"), kLatestVersion);
    EXPECT_EQ(raw_int("SELECT count(*) FROM jobs"), 1);
    EXPECT_TRUE(store->save_quota_levels({{"S", "na", "getOrderV0", 1, 0.5, clock.now()}}));
}

TEST_F(Schema, AVersionTwoDatabaseGetsQuotaLevelsPerRegion) {
    open();
    store.reset();
    // Version 2's table: levels keyed by (seller, operation) only.
    raw_int("DROP TABLE quota_levels");
    raw_int(
        "CREATE TABLE quota_levels (seller TEXT NOT NULL, operation TEXT NOT NULL, tokens REAL "
        "NOT NULL, rate REAL NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (seller, operation)) "
        "WITHOUT ROWID");
    raw_int("INSERT INTO quota_levels VALUES ('S', 'getOrderV0', 3, 0.5, 0)");
    raw_int("ALTER TABLE jobs DROP COLUMN waits");
    raw_int("PRAGMA user_version = 2");
    open();
    EXPECT_EQ(raw_int("PRAGMA user_version"), kLatestVersion);
    EXPECT_EQ(raw_int("SELECT count(*) FROM quota_levels"), 0) << "rows without a region dropped";
    EXPECT_TRUE(store->save_quota_levels({{"S", "eu", "getOrderV0", 1, 0.5, clock.now()}}));
    EXPECT_EQ(store->quota_levels("S", "eu").value().size(), 1u);
}

TEST_F(Schema, AVersionThreeDatabaseGainsJobWaitsAndKeepsItsJobs) {
    open();
    ASSERT_TRUE(store->enqueue(job("kept")));
    store.reset();
    raw_int("ALTER TABLE jobs DROP COLUMN waits");
    raw_int("PRAGMA user_version = 3");
    open();
    EXPECT_EQ(raw_int("PRAGMA user_version"), kLatestVersion);
    EXPECT_EQ(raw_int("SELECT waits FROM jobs"), 0);
    auto c = store->claim(1).value();
    ASSERT_EQ(c.size(), 1u);
    ASSERT_TRUE(store->postpone(c[0].id, 1, make_error(ErrorKind::unavailable, "circuit open")));
    EXPECT_EQ(raw_int("SELECT waits FROM jobs"), 1);
}

TEST_F(Schema, NotADatabaseGivesAClearMessage) {
    std::ofstream(options.path) << "this is not a database, just some text long enough to fail";
    try {
        open();
        FAIL();
    } catch (const StoreOpenError& e) {
        EXPECT_NE(std::string(e.what()).find("is not a usable clarity-connect database"),
                  std::string::npos)
            << e.what();
    }
}

TEST_F(Schema, MissingDirectoryGivesAClearMessage) {
    options.path = (dir / "no" / "such" / "dir.db").string();
    EXPECT_THROW(
        {
            try {
                open();
            } catch (const StoreOpenError& e) {
                EXPECT_NE(std::string(e.what()).find("check that its directory exists"),
                          std::string::npos);
                throw;
            }
        },
        StoreOpenError);
}

TEST_F(Schema, ReadersDoNotBlockTheWriter) {
    open();
    ASSERT_TRUE(store->enqueue(job("a")));
    // A second process's long read transaction (as `queue list` would hold).
    sqlite3* reader = nullptr;
    sqlite3_open(options.path.c_str(), &reader);
    sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM jobs;", nullptr, nullptr, nullptr);
    options.busy_timeout = 0ms;
    EXPECT_TRUE(store->enqueue(job("b")));
    auto c = store->claim(5);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->size(), 2u);
    sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(reader);
}

TEST_F(Schema, AnotherWriterHoldingTheLockIsTransient) {
    options.busy_timeout = 10ms;
    open();
    sqlite3* other = nullptr;
    sqlite3_open(options.path.c_str(), &other);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    auto r = store->enqueue(job("busy"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::transient);
    EXPECT_NE(r.error().message.find("database is busy"), std::string::npos);
    EXPECT_TRUE(store->health().ready) << "busy is not a health problem";
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    EXPECT_TRUE(store->enqueue(job("busy")));
}

TEST_F(Schema, DiskFullIsAClearErrorAndNotReadyUntilWritesSucceed) {
    options.max_size_mb = 1;
    core::MetricsRegistry registry;
    metrics = &registry;
    open();
    NewJob big = job("big");
    big.payload.assign(64 * 1024, 'x');
    Result<EnqueueResult> r = EnqueueResult{};
    int n = 0;
    for (; n < 100 && r; ++n) {
        big.idempotency_key = "big-" + std::to_string(n);
        r = store->enqueue(big);
    }
    ASSERT_FALSE(r) << "1 MiB must fill up";
    EXPECT_EQ(r.error().kind, ErrorKind::transient);
    EXPECT_NE(r.error().message.find("database or disk is full"), std::string::npos)
        << r.error().message;
    EXPECT_NE(r.error().message.find("store.max_size_mb"), std::string::npos);
    EXPECT_FALSE(store->health().ready);
    EXPECT_NE(store->health().reason.find("full"), std::string::npos);
    EXPECT_NE(registry.render().find("clarity_store_ready 0"), std::string::npos);
    // Reads keep working; a failed write left nothing half-done.
    auto listed = store->list_jobs({.limit = 1000});
    ASSERT_TRUE(listed);
    EXPECT_EQ(listed->size(), static_cast<std::size_t>(n - 1));
    // Space comes back (an operator deletes old rows from another process): the next successful
    // write makes the store ready again.
    EXPECT_EQ(raw_int("DELETE FROM jobs WHERE idempotency_key <> 'big-0' RETURNING 1"), 1);
    EXPECT_FALSE(store->health().ready);
    EXPECT_TRUE(store->enqueue(job("small")));
    EXPECT_TRUE(store->health().ready);
}

TEST_F(Schema, ReadOnlyDatabaseIsAClearErrorAndNotReady) {
    open();
    ASSERT_TRUE(store->enqueue(job("before")));
    options.read_only = true;
    auto ro = open_store(options, {clock, random, nullptr});
    auto listed = ro->list_jobs({});
    ASSERT_TRUE(listed);
    EXPECT_EQ(listed->size(), 1u);
    auto r = ro->enqueue(job("after"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::permanent);
    EXPECT_NE(r.error().message.find("database is read-only"), std::string::npos)
        << r.error().message;
    EXPECT_FALSE(ro->health().ready);
    EXPECT_TRUE(store->health().ready);
}

}  // namespace
}  // namespace clarity::store
