// `queue` commands against a store that a "daemon" (another connection, kept open and working)
// uses at the same time.
#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

#include "clarity/store/options.hpp"
#include "commands.hpp"
#include "queue_command.hpp"
#include "support/temp_dir.hpp"

namespace clarity::app {
namespace {

using namespace std::chrono_literals;

struct Outcome {
    int code = 0;
    std::string out;
    std::string err;
};

class QueueCli : public ::testing::Test {
  protected:
    void SetUp() override {
        path = (dir / "queue.db").string();
        store::StoreOptions o;
        o.path = path;
        o.durability = store::Durability::normal;
        daemon = store::open_store(o, {SystemClock::instance(), random, nullptr});
        for (int i = 1; i <= 4; ++i) {
            store::NewJob j{.connection = "eu",
                            .flow = i <= 3 ? "order_import" : "settlement",
                            .idempotency_key = "key-" + std::to_string(i),
                            .entity_key = "order-" + std::to_string(i),
                            .payload = R"({"order":")" + std::to_string(i) + R"("})"};
            ids.push_back(daemon->enqueue(j)->id);
        }
        auto c = daemon->claim(2).value();  // key-1 and key-2
        ASSERT_TRUE(daemon->fail(c[0].id, 1, make_error(ErrorKind::permanent, "unknown SKU X-1")));
        ASSERT_TRUE(daemon->fail(c[1].id, 1, make_error(ErrorKind::auth, "invalid_grant")));
    }

    Outcome run(const std::string& command_line) {
        CLI::App app{"test", "clarity-connect"};
        app.require_subcommand(1);
        std::string seen_path;
        add_queue_commands(app, [this, &seen_path](const std::string& config_path) {
            seen_path = config_path;
            if (config_path == "broken.yaml")
                throw core::ConfigError("broken.yaml:3:1: store: bad");
            core::ConfigNode store_node("store");
            store_node.set("path", path).set("busy_timeout", "2s");
            core::ConfigNode root;
            root.set_section("store", store_node);
            return root;
        });
        std::ostringstream out, err;
        auto* old_out = std::cout.rdbuf(out.rdbuf());
        auto* old_err = std::cerr.rdbuf(err.rdbuf());
        Outcome o;
        try {
            app.parse(command_line, false);
        } catch (const CLI::ParseError& e) {
            o.code =
                e.get_exit_code() == 0
                    ? 0
                    : (dynamic_cast<const CLI::RuntimeError*>(&e) ? e.get_exit_code() : kExitUsage);
        }
        std::cout.rdbuf(old_out);
        std::cerr.rdbuf(old_err);
        o.out = out.str();
        o.err = err.str();
        return o;
    }

    clarity::test::TempDir dir;
    std::string path;
    DefaultRandom random;
    std::unique_ptr<store::Store> daemon;
    std::vector<store::JobId> ids;
};

TEST_F(QueueCli, StatsCountsJobsAndDeadLetters) {
    auto o = run("queue stats -c clarity.yaml");
    ASSERT_EQ(o.code, 0) << o.err;
    EXPECT_NE(o.out.find("order_import        dead     2"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("order_import        ready    1"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("order_import        auth          1"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("idempotency keys in ledger: 4"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("store: ready"), std::string::npos);
}

TEST_F(QueueCli, ListFiltersByStateAndFlow) {
    auto o = run("queue list -c c.yaml --state ready --flow settlement");
    ASSERT_EQ(o.code, 0) << o.err;
    EXPECT_NE(o.out.find("key-4"), std::string::npos) << o.out;
    EXPECT_EQ(o.out.find("key-3"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("1 job\n"), std::string::npos);
    auto bad = run("queue list -c c.yaml --state finished");
    EXPECT_EQ(bad.code, kExitUsage);
    EXPECT_NE(bad.err.find("--state 'finished' is not one of"), std::string::npos) << bad.err;
}

TEST_F(QueueCli, DeadShowsErrorKindAndMessage) {
    auto o = run("queue dead -c c.yaml --error-kind permanent");
    ASSERT_EQ(o.code, 0) << o.err;
    EXPECT_NE(o.out.find("permanent: unknown SKU X-1"), std::string::npos) << o.out;
    EXPECT_EQ(o.out.find("invalid_grant"), std::string::npos);
}

TEST_F(QueueCli, ShowPrintsHistoryAndPayload) {
    auto o = run("queue show " + std::to_string(ids[0]) + " -c c.yaml");
    ASSERT_EQ(o.code, 0) << o.err;
    EXPECT_NE(o.out.find("state:           dead"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("attempt 1 at "), std::string::npos) << o.out;
    EXPECT_NE(o.out.find(": permanent: unknown SKU X-1"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find(R"({"order":"1"})"), std::string::npos);
    auto missing = run("queue show 999 -c c.yaml");
    EXPECT_EQ(missing.code, kExitRuntime);
    EXPECT_NE(missing.err.find("no job with id 999"), std::string::npos);
}

TEST_F(QueueCli, ReplayOneWhileTheDaemonWorks) {
    // The daemon holds claimed work and keeps writing while the CLI replays.
    auto c = daemon->claim(1).value();
    ASSERT_EQ(c.size(), 1u);
    auto o = run("queue replay " + std::to_string(ids[0]) + " -c c.yaml");
    ASSERT_EQ(o.code, 0) << o.err;
    EXPECT_NE(o.out.find("replayed 1 dead letter"), std::string::npos);
    ASSERT_TRUE(daemon->ack(c[0].id, c[0].attempt));
    auto again = daemon->claim(5).value();
    bool found = false;
    for (const auto& j : again) found = found || j.id == ids[0];
    EXPECT_TRUE(found) << "the daemon sees the replayed job";
    auto not_dead = run("queue replay " + std::to_string(ids[0]) + " -c c.yaml");
    EXPECT_EQ(not_dead.code, kExitRuntime);
    EXPECT_NE(not_dead.err.find("is not a dead letter (state leased)"), std::string::npos)
        << not_dead.err;
}

TEST_F(QueueCli, ReplayOrPurgeOfAnUnknownJobSaysSo) {
    for (const char* verb : {"replay", "purge"}) {
        auto o = run(std::string("queue ") + verb + " 999999 -c c.yaml");
        EXPECT_EQ(o.code, kExitRuntime) << verb;
        EXPECT_NE(o.err.find("no such job 999999"), std::string::npos) << verb << ": " << o.err;
        EXPECT_EQ(o.err.find("not a dead letter"), std::string::npos) << verb << ": " << o.err;
    }
    auto ready = run("queue purge " + std::to_string(ids[3]) + " -c c.yaml");
    EXPECT_EQ(ready.code, kExitRuntime);
    EXPECT_NE(
        ready.err.find("job " + std::to_string(ids[3]) + " is not a dead letter (state ready)"),
        std::string::npos)
        << ready.err;
    EXPECT_EQ(daemon->list_jobs({.state = store::JobState::dead})->size(), 2u);
}

TEST_F(QueueCli, ReplayByErrorKindAndPurgeAll) {
    auto o = run("queue replay --error-kind auth -c c.yaml");
    ASSERT_EQ(o.code, 0) << o.err;
    EXPECT_NE(o.out.find("replayed 1 dead letter"), std::string::npos);
    auto p = run("queue purge --all -c c.yaml");
    ASSERT_EQ(p.code, 0) << p.err;
    EXPECT_NE(p.out.find("purged 1 dead letter"), std::string::npos);
    EXPECT_TRUE(daemon->list_jobs({.state = store::JobState::dead})->empty());
    EXPECT_EQ(daemon
                  ->enqueue({.connection = "eu",
                             .flow = "order_import",
                             .idempotency_key = "key-1",
                             .entity_key = "order-1"})
                  ->outcome,
              store::EnqueueOutcome::duplicate)
        << "purged keys stay in the ledger";
}

TEST_F(QueueCli, BulkCommandsNeedExactlyOneSelection) {
    auto none = run("queue purge -c c.yaml");
    EXPECT_EQ(none.code, kExitUsage);
    EXPECT_NE(none.err.find("needs exactly one of"), std::string::npos) << none.err;
    auto both = run("queue replay 1 --all -c c.yaml");
    EXPECT_EQ(both.code, kExitUsage);
    EXPECT_EQ(daemon->list_jobs({.state = store::JobState::dead})->size(), 2u);
}

TEST_F(QueueCli, BadConfigIsAUsageError) {
    auto o = run("queue stats -c broken.yaml");
    EXPECT_EQ(o.code, kExitUsage);
    EXPECT_NE(o.err.find("broken.yaml:3:1"), std::string::npos) << o.err;
}

TEST_F(QueueCli, MissingDatabaseIsARuntimeErrorWithAdvice) {
    path = (dir / "nowhere" / "x.db").string();
    auto o = run("queue stats -c c.yaml");
    EXPECT_EQ(o.code, kExitRuntime);
    EXPECT_NE(o.err.find("cannot open the store database"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace clarity::app
