// flows::Cohort: jobs claimed together go through their steps together, so that each step's calls
// of all of them join one batch (common/coalescer.hpp). The tests decide when each member's work
// ends (timers cancelled by the test): no sleeps, no wall clock.
#include "clarity/flows/cohort.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/coalescer.hpp"

namespace clarity::flows {
namespace {

namespace asio = boost::asio;

/// A piece of work that lasts until the test ends it.
struct Work {
    explicit Work(asio::io_context& io) : timer(io, asio::steady_timer::time_point::max()) {}
    asio::awaitable<void> wait() { co_await timer.async_wait(asio::as_tuple(asio::use_awaitable)); }
    asio::steady_timer timer;
};

struct Members : ::testing::Test {
    asio::io_context io;
    std::vector<std::string> log;

    void settle() {
        io.restart();
        io.poll();
    }
    /// A member: its own first step (lasting until `first` ends), then the cohort's step, then
    /// "<name>:2"; or it leaves after its first step when `leaves`.
    void member(Cohort* c, std::string name, Work* first, bool leaves = false) {
        asio::co_spawn(
            io,
            [](Members* f, Cohort* c, std::string name, Work* first,
               bool leaves) -> asio::awaitable<void> {
                co_await first->wait();
                f->log.push_back(name + ":1");
                if (leaves) {
                    c->leave();
                    co_return;
                }
                co_await c->step();
                f->log.push_back(name + ":2");
                c->leave();
            }(this, c, std::move(name), first, leaves),
            asio::detached);
    }
};

TEST_F(Members, NobodyStartsTheNextStepBeforeAllEndedThisOne) {
    Cohort c(3);
    Work a(io), b(io), d(io);
    member(&c, "a", &a);
    member(&c, "b", &b);
    member(&c, "d", &d);
    settle();
    a.timer.cancel();
    settle();
    d.timer.cancel();
    settle();
    EXPECT_EQ(log, (std::vector<std::string>{"a:1", "d:1"}));  // a and d wait for b
    b.timer.cancel();
    settle();
    ASSERT_EQ(log.size(), 6u);
    EXPECT_EQ(log[2], "b:1");
    EXPECT_EQ(c.steps(), 1u);
    EXPECT_EQ(c.members(), 0u);
}

TEST_F(Members, AMemberThatEndsEarlyDoesNotHoldUpTheOthers) {
    Cohort c(3);
    Work a(io), b(io), d(io);
    member(&c, "a", &a);
    member(&c, "b", &b, /*leaves=*/true);
    member(&c, "d", &d);
    settle();
    a.timer.cancel();
    d.timer.cancel();
    settle();
    EXPECT_EQ(log, (std::vector<std::string>{"a:1", "d:1"}));
    b.timer.cancel();  // b's run ends (done, skipped or failed) without reaching the step
    settle();
    EXPECT_EQ(log, (std::vector<std::string>{"a:1", "d:1", "b:1", "a:2", "d:2"}));
}

TEST_F(Members, AloneAMemberGoesOnAtOnce) {
    Cohort c(1);
    Work a(io);
    member(&c, "a", &a);
    settle();
    a.timer.cancel();
    settle();
    EXPECT_EQ(log, (std::vector<std::string>{"a:1", "a:2"}));
}

TEST_F(Members, AMemberCancelledWhileWaitingStopsWaitingAndTheRestGoOn) {
    Cohort c(3);
    Work a(io), b(io);
    asio::cancellation_signal cancel_a;
    bool a_back = false;
    asio::co_spawn(
        io,
        [](Cohort* c, bool* back) -> asio::awaitable<void> {
            co_await c->step();
            *back = true;
        }(&c, &a_back),
        asio::bind_cancellation_slot(cancel_a.slot(), asio::detached));
    member(&c, "b", &b);
    settle();
    EXPECT_FALSE(a_back);
    cancel_a.emit(asio::cancellation_type::terminal);  // a's deadline
    settle();
    EXPECT_TRUE(a_back);       // a stopped waiting ...
    EXPECT_EQ(c.steps(), 0u);  // ... without releasing anyone
    c.leave();                 // the engine: a's run ended
    // b and a third member still to arrive: the cohort now waits for those two only.
    Work d(io);
    member(&c, "d", &d);
    b.timer.cancel();
    settle();
    EXPECT_EQ(log, (std::vector<std::string>{"b:1"}));
    d.timer.cancel();
    settle();
    EXPECT_EQ(log, (std::vector<std::string>{"b:1", "d:1", "d:2", "b:2"}));
}

// Why cohorts exist: members whose first step ended at different times send their next call as
// one batch; without the cohort, the first goes out alone and the rest follow in another batch.
struct Batches : Members {
    std::vector<std::vector<int>> batches;
    Work backend{io};
    Coalescer<int, int> calls{
        "test calls",
        [this](std::vector<int> reqs) -> asio::awaitable<std::vector<Result<int>>> {
            batches.push_back(reqs);
            co_await backend.wait();
            std::vector<Result<int>> out;
            for (int r : reqs) out.emplace_back(r);
            co_return out;
        },
        20};

    void caller(Cohort* c, int n, Work* first) {
        asio::co_spawn(
            io,
            [](Batches* f, Cohort* c, int n, Work* first) -> asio::awaitable<void> {
                co_await first->wait();
                if (c != nullptr) co_await c->step();
                auto call = f->calls.submit(n);
                (void)co_await std::move(call);
                if (c != nullptr) c->leave();
            }(this, c, n, first),
            asio::detached);
    }
    void run(Cohort* c) {
        Work w1(io), w2(io), w3(io);
        caller(c, 1, &w1);
        caller(c, 2, &w2);
        caller(c, 3, &w3);
        settle();
        w1.timer.cancel();
        settle();
        w2.timer.cancel();
        w3.timer.cancel();
        settle();
        backend.timer.cancel();
        backend.timer.expires_at(asio::steady_timer::time_point::max());
        settle();
        backend.timer.cancel();
        settle();
    }
};

TEST_F(Batches, MembersOfACohortSendTheirCallsAsOneBatch) {
    Cohort c(3);
    run(&c);
    ASSERT_EQ(batches.size(), 1u);
    std::sort(batches[0].begin(), batches[0].end());  // the last to arrive goes first
    EXPECT_EQ(batches[0], (std::vector<int>{1, 2, 3}));
}

TEST_F(Batches, JobsThatDriftApartSendTheirCallsInSeveralBatches) {
    run(nullptr);
    EXPECT_EQ(batches, (std::vector<std::vector<int>>{{1}, {2, 3}}));
}

}  // namespace
}  // namespace clarity::flows
