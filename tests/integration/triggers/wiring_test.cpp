// The daemon's wiring in-process, with a test flow registered: a notification and a swept order
// reach the flow through the real store and engine; a mapped field missing in Odoo stops
// start-up with a message naming model and field.
#include "wiring.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <set>

#include "admin_routes.hpp"
#include "clarity/core/random.hpp"
#include "clarity/flows/order_jobs.hpp"
#include "clarity/store/options.hpp"
#include "commands.hpp"
#include "fixture.hpp"
#include "settings.hpp"

namespace clarity::app {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Records the orders it is asked to import; checks it got the connection's template.
class RecordingFlow final : public flows::Flow {
  public:
    RecordingFlow(std::set<std::string>* seen, std::string* template_target)
        : seen_(seen), template_target_(template_target) {}
    std::string_view name() const override { return flows::kOrderImportFlow; }
    asio::awaitable<Result<void>> run(flows::JobContext& ctx) override {
        auto job = flows::parse_order_job(ctx.job.payload);
        if (!job) co_return job.error();
        seen_->insert(job->amazon_order_id + "/" + job->source);
        co_return Result<void>{};
    }
    std::set<std::string>* seen_;
    std::string* template_target_;
};

class WiringTest : public ::testing::Test {
  protected:
    WiringTest() : amazon(SystemClock::instance(), test::fast_sp_api()) {
        registry.add({.name = "order_import",
                      .description = "test",
                      .spec = {},
                      .templates = {"order_import"},
                      .make = [this](flows::ConnectionServices& s) -> std::shared_ptr<flows::Flow> {
                          template_target = s.template_for("order_import")->target();
                          connection = s.connection;
                          return std::make_shared<RecordingFlow>(&seen, &template_target);
                      }});
    }

    void start(const test::ConfigParts& parts, const std::function<void(Settings&)>& adjust = {}) {
        settings = load_settings(test::write_config(dir, amazon, odoo.base_url(), parts));
        if (adjust) adjust(settings);
        store = store::open_store(settings.store, {SystemClock::instance(), random, &metrics});
        async_store = std::make_unique<store::AsyncStore>(*store);
        wiring = std::make_unique<Wiring>(Wiring::Deps{.io = io,
                                                       .settings = settings,
                                                       .registry = registry,
                                                       .store = *async_store,
                                                       .metrics = metrics,
                                                       .clock = SystemClock::instance(),
                                                       .random = random,
                                                       .only_connection = {}});
        wiring->on_fatal([this](int code, std::string message) {
            fatal_code = code;
            fatal_message = std::move(message);
        });
        wiring->start();
    }

    // Runs the event loop until `done()` or the deadline (child of real sockets: poll with a
    // deadline, no fixed sleeps).
    template <class Pred>
    bool run_until(Pred done, std::chrono::seconds deadline = 15s) {
        const auto end = std::chrono::steady_clock::now() + deadline;
        while (!done() && std::chrono::steady_clock::now() < end) {
            io.restart();
            io.run_for(20ms);
        }
        return done();
    }

    void stop() {
        bool stopped = false;
        asio::co_spawn(io, wiring->stop(5s), [&](std::exception_ptr) { stopped = true; });
        run_until([&] { return stopped; });
    }

    test::TempDir dir;
    fakes::sp_api::FakeSpApi amazon;
    fakes::odoo::FakeOdooServer odoo;
    flows::FlowRegistry registry;
    Settings settings;
    asio::io_context io;
    core::MetricsRegistry metrics;
    DefaultRandom random;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<store::AsyncStore> async_store;
    std::unique_ptr<Wiring> wiring;
    std::set<std::string> seen;
    std::string template_target;
    std::string connection;
    std::optional<int> fatal_code;
    std::string fatal_message;
};

TEST_F(WiringTest, NotificationAndSweptOrderReachTheEnabledFlow) {
    amazon.enqueue_message(
        test::order_change("n-1", "111-0000001-0000001", "2026-11-01T10:05:00Z"));
    amazon.add_order(test::seed_order("111-0000001-0000002", "2026-11-01T11:00:00Z"));
    start({.flow_enabled = true});
    ASSERT_TRUE(run_until([&] { return seen.size() >= 2 || fatal_code; }))
        << "flow saw " << seen.size() << " jobs; fatal: " << fatal_message;
    EXPECT_FALSE(fatal_code) << fatal_message;
    EXPECT_TRUE(seen.count("111-0000001-0000001/notification"));
    EXPECT_TRUE(seen.count("111-0000001-0000002/sweep"));
    EXPECT_EQ(template_target, "sale.order");
    EXPECT_EQ(connection, "eu");
    EXPECT_TRUE(run_until([&] { return amazon.queue_total() == 0; }));
    // One circuit breaker per service of the connection: /readyz info lines and metrics.
    Readiness readiness;
    wiring->add_readiness(readiness);
    const auto report = readiness.evaluate();
    EXPECT_TRUE(report.ready) << report.text;
    for (const char* service : {"amazon", "odoo", "sqs"}) {
        EXPECT_NE(report.text.find("info circuit " + std::string(service) + "[eu]: closed\n"),
                  std::string::npos)
            << report.text;
        EXPECT_NE(
            metrics.render().find("clarity_circuit_breaker_state{connection=\"eu\",service=\"" +
                                  std::string(service) + "\"} 0"),
            std::string::npos)
            << service;
    }
    stop();
    EXPECT_TRUE(store->cursor("eu", std::string(flows::kOrderSweepCursor)).value());
    store::JobFilter done;
    done.state = store::JobState::done;
    EXPECT_EQ(store->list_jobs(done).value().size(), 2u);
    EXPECT_TRUE(wiring->unavailable_flows().empty());
    // Not configured: the engine's defaults.
    auto fs = wiring->flow_settings("order_import");
    ASSERT_TRUE(fs);
    EXPECT_EQ(fs->concurrency, flows::FlowSettings{}.concurrency);
    EXPECT_EQ(fs->deadline, flows::FlowSettings{}.deadline);
    EXPECT_EQ(fs->connections, (std::set<std::string>{"eu"}));
}

// Login with Amazon down: its failures count on the connection's amazon circuit, which opens, so
// that jobs wait instead of using up their attempts on token exchanges.
TEST_F(WiringTest, LoginWithAmazonDownOpensTheAmazonCircuit) {
    fakes::sp_api::Fault down;
    down.kind = fakes::sp_api::Fault::Kind::status;
    down.status = 503;
    for (int n = 1; n <= 3; ++n) amazon.fail_nth("LWA", n, down);
    start({.flow_enabled = true}, [](Settings& s) { s.circuit_breaker.failure_threshold = 1; });
    const std::string open =
        "clarity_circuit_breaker_state{connection=\"eu\",service=\"amazon\"} 2";
    EXPECT_TRUE(run_until([&] { return metrics.render().find(open) != std::string::npos; }))
        << metrics.render();
    EXPECT_GE(amazon.calls("LWA"), 1);
    stop();
}

TEST_F(WiringTest, EngineFlowConcurrencyAndDeadlineReachTheFlow) {
    start({.flow_enabled = true}, [](Settings& s) {
        s.engine.flow_concurrency["order_import"] = 2;
        s.engine.flow_deadline["order_import"] = std::chrono::minutes(3);
    });
    ASSERT_TRUE(run_until([&] { return wiring->flow_settings("order_import") || fatal_code; }))
        << fatal_message;
    auto fs = wiring->flow_settings("order_import");
    ASSERT_TRUE(fs) << fatal_message;
    EXPECT_EQ(fs->concurrency, 2u);
    EXPECT_EQ(fs->deadline, std::chrono::minutes(3));
    stop();
}

TEST_F(WiringTest, MissingOdooFieldStopsStartUpNamingModelAndField) {
    start({.flow_enabled = true,
           .extra_template_field = "  x_not_there: {from: order.amazon_order_id}\n"});
    ASSERT_TRUE(run_until([&] { return fatal_code.has_value(); }));
    EXPECT_EQ(*fatal_code, kExitUsage);
    EXPECT_NE(fatal_message.find("sale.order"), std::string::npos) << fatal_message;
    EXPECT_NE(fatal_message.find("x_not_there"), std::string::npos) << fatal_message;
    EXPECT_TRUE(seen.empty());
    stop();
}

// stop() lets a sweep in progress finish, so the first pass (started with the wiring) has
// either called searchOrders by then or was never started.
TEST_F(WiringTest, TriggersFollowTheFlowSwitchWhenUnset) {
    start({.flow_enabled = false});
    EXPECT_FALSE(settings.connection_settings.at(0).order_triggers_on());
    stop();
    EXPECT_EQ(amazon.calls("searchOrders"), 0);
    EXPECT_EQ(amazon.queue_total(), 0u);
}

TEST_F(WiringTest, TriggersSwitchedOnExplicitlyEnqueueWithoutTheFlow) {
    amazon.add_order(test::seed_order("111-0000001-0000003", "2026-11-01T11:00:00Z"));
    start({.flow_enabled = false,
           .triggers = "{enabled: true, notifications: false, initial_lookback: 3650d}"});
    // The first sweep runs at start (no cursor yet); wait for its job rather than racing stop().
    EXPECT_TRUE(run_until([&] { return store->list_jobs({}).value().size() == 1u; }));
    stop();
    EXPECT_EQ(amazon.calls("searchOrders"), 1);
    auto jobs = store->list_jobs({}).value();
    ASSERT_EQ(jobs.size(), 1u);
    EXPECT_EQ(jobs[0].state, store::JobState::ready);  // waits for the flow to be switched on
    EXPECT_TRUE(seen.empty());
}

}  // namespace
}  // namespace clarity::app
