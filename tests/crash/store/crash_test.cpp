// Kills a queue worker with SIGKILL at random moments (>= 200 times), restarting it each time, and
// checks after every kill that the database is intact and no job was applied twice or out of
// order; at the end a last worker drains the queue and every enqueued job is done exactly once.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

extern char** environ;

namespace {

using namespace std::chrono_literals;

pid_t spawn_child(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
    return pid;
}

struct Snapshot {
    std::string integrity;
    std::map<std::string, std::string> cursors;
    std::int64_t jobs = 0;
    std::int64_t done = 0;
    std::int64_t ledger = 0;
};

Snapshot read_snapshot(const std::string& path) {
    Snapshot s;
    sqlite3* db = nullptr;
    // Killed before it created the file, or before the migration committed: nothing to check
    // beyond integrity.
    EXPECT_EQ(
        sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
        SQLITE_OK);
    auto each = [&](const char* sql, auto&& row) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) {
            ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
            return;
        }
        while (sqlite3_step(st) == SQLITE_ROW) row(st);
        sqlite3_finalize(st);
    };
    auto text = [](sqlite3_stmt* st, int col) {
        const auto* p = sqlite3_column_text(st, col);
        return p ? std::string(reinterpret_cast<const char*>(p)) : std::string{};
    };
    each("PRAGMA integrity_check", [&](sqlite3_stmt* st) { s.integrity += text(st, 0); });
    bool migrated = false;
    each("SELECT count(*) FROM sqlite_master WHERE name = 'cursors'",
         [&](sqlite3_stmt* st) { migrated = sqlite3_column_int(st, 0) == 1; });
    if (!migrated) {
        sqlite3_close(db);
        return s;
    }
    each("SELECT name, value FROM cursors",
         [&](sqlite3_stmt* st) { s.cursors[text(st, 0)] = text(st, 1); });
    each("SELECT count(*), coalesce(sum(state = 3), 0) FROM jobs", [&](sqlite3_stmt* st) {
        s.jobs = sqlite3_column_int64(st, 0);
        s.done = sqlite3_column_int64(st, 1);
    });
    each("SELECT count(*) FROM ledger",
         [&](sqlite3_stmt* st) { s.ledger = sqlite3_column_int64(st, 0); });
    sqlite3_close(db);
    return s;
}

// Every entity's applied sequence never runs ahead of what was enqueued for it.
void expect_consistent(const Snapshot& s, int round) {
    ASSERT_EQ(s.integrity, "ok") << "round " << round;
    EXPECT_EQ(s.jobs, s.ledger) << "round " << round << ": every job has its ledger key";
    for (const auto& [name, value] : s.cursors) {
        if (name.rfind("applied:", 0) != 0) continue;
        const auto entity = name.substr(8);
        auto seq = s.cursors.find("seq:" + entity);
        ASSERT_NE(seq, s.cursors.end()) << name;
        EXPECT_LT(std::stoi(value), std::stoi(seq->second)) << "round " << round << " " << entity;
    }
}

TEST(StoreCrash, SigkillAtRandomMomentsLosesAndDoublesNothing) {
    clarity::test::TempDir dir;
    const std::string db = (dir / "crash.db").string();
    const std::string child = CLARITY_STORE_CRASH_CHILD;
    std::mt19937 rng(20261127);
    constexpr int kKills = 220;
    int killed_mid_work = 0;
    for (int round = 0; round < kKills; ++round) {
        const std::string durability = round % 2 == 0 ? "full" : "normal";
        const pid_t pid = spawn_child(
            {child, db, "run", std::to_string(round), std::to_string(round + 1), durability});
        ASSERT_GT(pid, 0);
        // The kill moment is the random variable of this test (not synchronisation): anywhere from
        // start-up (opening, migrating) to deep in the enqueue/claim/ack loop.
        std::this_thread::sleep_for(std::chrono::microseconds(
            std::uniform_int_distribution<int>(round < 10 ? 0 : 2000, 60000)(rng)));
        ASSERT_EQ(kill(pid, SIGKILL), 0);
        int status = 0;
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
            << "round " << round << ": the child stopped by itself with exit code "
            << (WIFEXITED(status) ? WEXITSTATUS(status) : -1) << " (3 = a job ran twice or out "
            << "of order, 4 = store error; see its stderr)";
        ++killed_mid_work;
        const auto snap = read_snapshot(db);
        expect_consistent(snap, round);
        if (HasFatalFailure()) return;
    }
    EXPECT_GE(killed_mid_work, 200);

    // A final worker, never killed, finishes every job.
    const pid_t pid = spawn_child({child, db, "drain", std::to_string(kKills), "7", "full"});
    ASSERT_GT(pid, 0);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    pid_t waited = 0;
    while ((waited = waitpid(pid, &status, WNOHANG)) == 0 &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);  // polling a child process, not synchronising the store
    }
    if (waited == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        FAIL() << "the drain worker did not finish within 60 s: a job was lost or stuck";
    }
    ASSERT_TRUE(WIFEXITED(status)) << "drain worker died";
    ASSERT_EQ(WEXITSTATUS(status), 0) << "drain worker found a violation (3) or error (4)";

    const auto snap = read_snapshot(db);
    expect_consistent(snap, kKills);
    EXPECT_GT(snap.jobs, 500) << "the workers must have done real work between kills";
    std::cout << "jobs enqueued and done: " << snap.jobs << " over " << kKills << " kills\n";
    EXPECT_EQ(snap.done, snap.jobs) << "every enqueued job is done";
    int entities = 0;
    for (const auto& [name, value] : snap.cursors) {
        if (name.rfind("seq:", 0) != 0) continue;
        ++entities;
        auto applied = snap.cursors.find("applied:" + name.substr(4));
        ASSERT_NE(applied, snap.cursors.end()) << name;
        EXPECT_EQ(std::stoi(applied->second), std::stoi(value) - 1)
            << name << ": every enqueued job applied exactly once, in order";
    }
    EXPECT_EQ(entities, 8);
}

}  // namespace
