// The workflow engine against a real SQLite store file: outcomes by error kind, per-entity order,
// concurrency limits, deadlines, switched-off connections, graceful stop.
#include "clarity/flows/engine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <map>

#include "clarity/store/options.hpp"
#include "support/temp_dir.hpp"

namespace clarity::flows {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// A flow whose behaviour per job is scripted by the payload: "ok", "transient", "permanent",
// "auth", "unavailable" (an open circuit), "slow" (waits far beyond any deadline), "yield" (gives
// way to other runs first).
class ScriptedFlow final : public Flow {
  public:
    explicit ScriptedFlow(std::string name) : name_(std::move(name)) {}
    std::string_view name() const override { return name_; }

    asio::awaitable<Result<void>> run(JobContext& ctx) override {
        auto ex = co_await asio::this_coro::executor;
        const std::string& entity = ctx.job.entity_key;
        if (++active_by_entity[entity] > 1) overlapped = true;
        max_active = std::max(max_active, ++active);
        runs.push_back(ctx.job.idempotency_key);
        Result<void> result;
        if (ctx.job.payload == "yield") {
            for (int i = 0; i < 3; ++i) co_await asio::post(ex, asio::use_awaitable);
        } else if (ctx.job.payload == "slow") {
            asio::steady_timer t(ex, 1h);
            co_await t.async_wait(asio::use_awaitable);
        } else if (ctx.job.payload == "transient") {
            result = make_error(ErrorKind::transient, "Odoo answered 503");
        } else if (ctx.job.payload == "permanent") {
            result = make_error(ErrorKind::permanent, "unknown SKU 'X-1' in order 111");
        } else if (ctx.job.payload == "auth") {
            result = make_error(ErrorKind::auth, "invalid_grant");
        } else if (ctx.job.payload == "unavailable") {
            Error e = make_error(ErrorKind::unavailable, "circuit open: odoo of connection eu");
            e.retry_after = std::chrono::seconds{30};
            result = e;
        }
        if (result && ctx.job.payload != "yield") {
            ctx.id_mappings.push_back(
                {ctx.job.connection, "amazon_order", ctx.job.idempotency_key, "sale.order", 7});
        }
        --active;
        --active_by_entity[entity];
        co_return result;
    }

    std::string name_;
    std::vector<std::string> runs;
    std::map<std::string, int> active_by_entity;
    int active = 0;
    int max_active = 0;
    bool overlapped = false;
};

class EngineTest : public ::testing::Test {
  protected:
    EngineTest() {
        options.path = (dir / "store.db").string();
        options.default_retry = {1s, 60s, 3};
        store = store::open_store(options, {clock, random, &metrics});
        async_store = std::make_unique<store::AsyncStore>(*store);
    }

    void enqueue(const std::string& key,
                 const std::string& payload,
                 const std::string& entity = {},
                 const std::string& connection = "eu",
                 const std::string& flow = "import") {
        store::NewJob j;
        j.connection = connection;
        j.flow = flow;
        j.idempotency_key = key;
        j.entity_key = entity;
        j.payload = payload;
        ASSERT_TRUE(store->enqueue(j));
    }

    std::size_t run_until_idle(Engine& engine) {
        auto fut = asio::co_spawn(io, engine.run_until_idle(), asio::use_future);
        io.restart();
        io.run();
        return fut.get();
    }

    std::int64_t count(store::JobState state) {
        std::int64_t n = 0;
        auto stats = store->stats();
        EXPECT_TRUE(stats);
        for (const auto& row : stats->by_flow_state) {
            if (row.state == state) n += row.count;
        }
        return n;
    }

    clarity::test::TempDir dir;
    ManualClock clock;
    DefaultRandom random{7};
    core::MetricsRegistry metrics;
    store::StoreOptions options;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<store::AsyncStore> async_store;
    asio::io_context io;
};

TEST_F(EngineTest, RunsReadyJobsAndCommitsIdMappingsWithTheAck) {
    auto flow = std::make_shared<ScriptedFlow>("import");
    Engine engine(io.get_executor(), *async_store, metrics, clock);
    engine.add_flow(flow, {.concurrency = 3, .connections = {"eu"}});
    for (int i = 0; i < 10; ++i) enqueue("order-" + std::to_string(i), "ok");

    EXPECT_EQ(run_until_idle(engine), 10u);
    EXPECT_EQ(count(store::JobState::done), 10);
    EXPECT_EQ(flow->runs.size(), 10u);
    EXPECT_LE(flow->max_active, 3);
    auto mapped = store->find_by_external("eu", "amazon_order", "order-4");
    ASSERT_TRUE(mapped && mapped->has_value());
    EXPECT_EQ((*mapped)->odoo_id, 7);
    EXPECT_NE(metrics.render().find("clarity_flow_jobs_total{flow=\"import\",outcome=\"done\"} 10"),
              std::string::npos);
}

TEST_F(EngineTest, JobsOfOneEntityRunOneAtATimeInEnqueueOrder) {
    auto flow = std::make_shared<ScriptedFlow>("import");
    Engine engine(io.get_executor(), *async_store, metrics, clock, {.max_in_flight = 8});
    engine.add_flow(flow, {.concurrency = 8, .connections = {"eu"}});
    for (int i = 0; i < 6; ++i) {
        enqueue("a-" + std::to_string(i), "yield", "order-A");
        enqueue("b-" + std::to_string(i), "yield", "order-B");
    }
    EXPECT_EQ(run_until_idle(engine), 12u);
    EXPECT_FALSE(flow->overlapped);
    std::vector<std::string> a_runs;
    for (const auto& r : flow->runs) {
        if (r.starts_with("a-")) a_runs.push_back(r);
    }
    EXPECT_EQ(a_runs, (std::vector<std::string>{"a-0", "a-1", "a-2", "a-3", "a-4", "a-5"}));
    EXPECT_GE(flow->max_active, 2) << "different entities should run side by side";
}

TEST_F(EngineTest, RetriesTransientDeadLettersPermanentAndAlerts) {
    auto flow = std::make_shared<ScriptedFlow>("import");
    Engine engine(io.get_executor(), *async_store, metrics, clock);
    engine.add_flow(flow, {.connections = {"eu"}});
    std::vector<Alert> alerts;
    engine.on_alert([&](const Alert& a) { alerts.push_back(a); });
    enqueue("t", "transient");
    enqueue("p", "permanent", "order-111");
    enqueue("a", "auth");

    EXPECT_EQ(run_until_idle(engine), 3u);
    EXPECT_EQ(count(store::JobState::dead), 1);
    EXPECT_EQ(count(store::JobState::ready), 2);
    ASSERT_EQ(alerts.size(), 2u);
    std::map<std::string, Alert> by_kind;
    for (const auto& a : alerts) by_kind[a.kind] = a;
    EXPECT_EQ(by_kind["dead_letter"].entity_key, "order-111");
    EXPECT_NE(by_kind["dead_letter"].message.find("unknown SKU 'X-1'"), std::string::npos);
    EXPECT_NE(by_kind["auth"].message.find("invalid_grant"), std::string::npos);

    // The auth failure waits at least auth_retry_delay (5 min); the transient one less.
    clock.advance(2min);
    EXPECT_EQ(run_until_idle(engine), 1u);  // the transient job again (still failing)
    clock.advance(10min);
    EXPECT_EQ(run_until_idle(engine), 2u);
    // Third attempt of "t" ran out of attempts (max 3): now dead, alerted.
    clock.advance(10min);
    run_until_idle(engine);
    auto dead = store->list_jobs({.state = store::JobState::dead});
    ASSERT_TRUE(dead);
    bool t_dead = false;
    for (const auto& j : *dead) t_dead |= j.idempotency_key == "t";
    EXPECT_TRUE(t_dead);
    EXPECT_NE(metrics.render().find("outcome=\"retried\""), std::string::npos);
}

TEST_F(EngineTest, AnOpenCircuitMakesTheJobWaitWithoutUsingUpAttempts) {
    auto flow = std::make_shared<ScriptedFlow>("import");
    Engine engine(io.get_executor(), *async_store, metrics, clock);
    std::vector<Alert> alerts;
    engine.on_alert([&alerts](const Alert& a) { alerts.push_back(a); });
    engine.add_flow(flow, {.connections = {"eu"}});
    enqueue("u", "unavailable", "order-1");
    // Ten times the attempt limit (3): each run waits retry_after (30 s), none is dead-lettered.
    for (int i = 0; i < 30; ++i) {
        EXPECT_EQ(run_until_idle(engine), 1u) << i;
        clock.advance(29s);
        EXPECT_EQ(run_until_idle(engine), 0u) << "waits the whole retry_after";
        clock.advance(1s);
    }
    EXPECT_EQ(count(store::JobState::dead), 0);
    EXPECT_TRUE(alerts.empty());
    const auto rendered = metrics.render();
    EXPECT_NE(rendered.find("clarity_flow_jobs_total{flow=\"import\",outcome=\"waited\"} 30"),
              std::string::npos)
        << rendered;
    EXPECT_NE(rendered.find("clarity_flow_jobs_total{flow=\"import\",outcome=\"retried\"} 0"),
              std::string::npos);
}

// A flow in cohorts of 2 with 4 runs at once: the jobs claimed together run their two steps
// together (the first step of each member lasts as many turns as its payload says, so members
// drift apart without the cohort), and claims take whole cohorts: 5 jobs run as 2 + 2 + 1.
class CohortFlow final : public Flow {
  public:
    std::string_view name() const override { return "import"; }
    std::size_t default_cohort() const override { return 2; }
    asio::awaitable<Result<void>> run(JobContext& ctx) override {
        auto ex = co_await asio::this_coro::executor;
        sizes.push_back(ctx.cohort ? ctx.cohort->members() : 1);
        const int turns = std::stoi(ctx.job.payload);
        for (int i = 0; i < turns; ++i) co_await asio::post(ex, asio::use_awaitable);
        log.push_back(ctx.job.idempotency_key + ":1");
        co_await step_together(ctx);
        log.push_back(ctx.job.idempotency_key + ":2");
        co_return Result<void>{};
    }
    std::vector<std::size_t> sizes;
    std::vector<std::string> log;
};

TEST_F(EngineTest, AFlowInCohortsRunsItsStepsTogetherAndClaimsWholeCohorts) {
    auto flow = std::make_shared<CohortFlow>();
    Engine engine(io.get_executor(), *async_store, metrics, clock);
    engine.add_flow(flow, {.concurrency = 4, .connections = {"eu"}, .cohort = 2});
    enqueue("a", "0");
    enqueue("b", "5");
    enqueue("c", "3");
    enqueue("d", "0");
    enqueue("e", "1");
    EXPECT_EQ(run_until_idle(engine), 5u);
    std::vector<std::size_t> sizes = flow->sizes;
    std::sort(sizes.begin(), sizes.end());
    EXPECT_EQ(sizes, (std::vector<std::size_t>{1, 2, 2, 2, 2}));
    auto at = [&](const std::string& entry) {
        return std::find(flow->log.begin(), flow->log.end(), entry) - flow->log.begin();
    };
    // a (no wait) and b (5 turns) were claimed together: a's second step waits for b's first.
    EXPECT_LT(at("b:1"), at("a:2"));
    EXPECT_LT(at("c:1"), at("d:2"));
    EXPECT_EQ(count(store::JobState::done), 5);
}

TEST_F(EngineTest, JobOfASwitchedOffConnectionIsDeadLetteredWithAReason) {
    auto flow = std::make_shared<ScriptedFlow>("import");
    Engine engine(io.get_executor(), *async_store, metrics, clock);
    engine.add_flow(flow, {.connections = {"eu"}});
    enqueue("x", "ok", "", "us");
    EXPECT_EQ(run_until_idle(engine), 1u);
    EXPECT_TRUE(flow->runs.empty());
    auto dead = store->list_jobs({.state = store::JobState::dead});
    ASSERT_TRUE(dead);
    ASSERT_EQ(dead->size(), 1u);
    EXPECT_NE(dead->front().last_error.find("switched off for connection 'us'"), std::string::npos);
}

TEST_F(EngineTest, RunPastItsDeadlineIsCancelledAndRetried) {
    auto flow = std::make_shared<ScriptedFlow>("import");
    Engine engine(io.get_executor(), *async_store, metrics, clock);
    engine.add_flow(flow, {.deadline = 20ms, .connections = {"eu"}});
    enqueue("s", "slow");
    EXPECT_EQ(run_until_idle(engine), 1u);
    auto jobs = store->list_jobs({.state = store::JobState::ready});
    ASSERT_TRUE(jobs);
    ASSERT_EQ(jobs->size(), 1u);
    EXPECT_NE(jobs->front().last_error.find("exceeded its deadline"), std::string::npos);
}

TEST_F(EngineTest, StopLetsInFlightRunsFinishThenReturns) {
    auto flow = std::make_shared<ScriptedFlow>("import");
    Engine engine(io.get_executor(), *async_store, metrics, clock,
                  {.poll_interval = 10ms, .shutdown_grace = 5s});
    engine.add_flow(flow, {.connections = {"eu"}});
    for (int i = 0; i < 4; ++i) enqueue("k" + std::to_string(i), "yield");
    bool stopped = false;
    asio::co_spawn(io, engine.run(), [&](std::exception_ptr) { stopped = true; });
    // Stop once the first run has started; everything claimed must still be settled.
    while (flow->runs.empty()) io.run_one();
    engine.stop();
    io.run();
    EXPECT_TRUE(stopped);
    EXPECT_EQ(engine.in_flight(), 0u);
    EXPECT_EQ(count(store::JobState::leased), 0);
    EXPECT_EQ(count(store::JobState::done), static_cast<std::int64_t>(flow->runs.size()));
}

TEST(EngineConfig, WarnsWhenCohortsMayWaitForAmazonPastTheirDeadline) {
    // The defaults: two cohorts of 20 at getOrder's 0.5/s wait up to 80 s, within 2 minutes.
    FlowSettings fs{.concurrency = 40, .deadline = std::chrono::minutes(2), .cohort = 20};
    EXPECT_EQ(amazon_wait_warning("order_import", fs, 0.5), "");
    fs.cohort = 40;
    fs.concurrency = 80;  // 160 s
    EXPECT_EQ(amazon_wait_warning("order_import", fs, 0.5),
              "flow order_import runs 80 jobs at once (cohorts of 40); in a backlog the last of "
              "them may wait about 160 s for its Amazon call (0.5/s), close to or past its "
              "deadline of 120 s: lower engine.flow_cohort.order_import or "
              "engine.flow_concurrency.order_import, or raise engine.flow_deadline.order_import "
              "(below store.lease)");
    EXPECT_EQ(amazon_wait_warning("order_import", fs, 10), "");  // a sandbox at x20
}

TEST(EngineConfig, ReadsTheEngineSection) {
    core::ConfigNode node("engine");
    node.set("max_in_flight", "4").set("claim_batch", "8").set("poll_interval", "250ms");
    node.set("auth_retry_delay", "10m").set("shutdown_grace", "30s");
    auto o = engine_options_from_config(node);
    EXPECT_EQ(o.max_in_flight, 4u);
    EXPECT_EQ(o.poll_interval, 250ms);
    node.set("max_in_flight", "0");
    EXPECT_THROW(engine_options_from_config(node), core::ConfigError);
    EXPECT_NE(engine_config_spec().find("shutdown_grace"), nullptr);
}

}  // namespace
}  // namespace clarity::flows
