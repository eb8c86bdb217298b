#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace clarity::store {
namespace {

using namespace std::chrono_literals;
using test::job;

class Queue : public ::testing::Test, public test::StoreFixture {
  protected:
    void SetUp() override { open(); }
    Store& s() { return *store; }
};

TEST_F(Queue, EnqueueAnswersEnqueuedThenDuplicateWithoutWriting) {
    auto first = s().enqueue(job("A1"));
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_EQ(first->outcome, EnqueueOutcome::enqueued);
    const auto version_before = raw_int("PRAGMA data_version");
    const auto jobs_before = raw_int("SELECT count(*) FROM jobs");

    sqlite3* watcher = nullptr;  // data_version seen by another connection moves on every commit
    ASSERT_EQ(sqlite3_open(options.path.c_str(), &watcher), SQLITE_OK);
    auto data_version = [&] {
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(watcher, "PRAGMA data_version", -1, &st, nullptr);
        sqlite3_step(st);
        const auto v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
    };
    const auto seen = data_version();
    auto again = s().enqueue(job("A1"));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->outcome, EnqueueOutcome::duplicate);
    EXPECT_EQ(again->id, first->id);
    EXPECT_EQ(data_version(), seen) << "a duplicate must not commit anything";
    ASSERT_TRUE(s().enqueue(job("A2")));
    EXPECT_NE(data_version(), seen) << "the watcher must see real commits";
    sqlite3_close(watcher);
    EXPECT_EQ(raw_int("SELECT count(*) FROM jobs"), jobs_before + 1);
    (void)version_before;
}

TEST_F(Queue, SameKeyInAnotherFlowOrConnectionIsNotADuplicate) {
    ASSERT_EQ(s().enqueue(job("K"))->outcome, EnqueueOutcome::enqueued);
    ASSERT_EQ(s().enqueue(job("K", "", "settlement"))->outcome, EnqueueOutcome::enqueued);
    auto other = job("K");
    other.connection = "us";
    ASSERT_EQ(s().enqueue(other)->outcome, EnqueueOutcome::enqueued);
}

TEST_F(Queue, RejectsAJobWithoutKey) {
    auto r = s().enqueue(job(""));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::permanent);
}

TEST_F(Queue, BatchEnqueueIsOneTransactionAndReportsDuplicatesInOrder) {
    ASSERT_TRUE(s().enqueue(job("B2")));
    auto r = s().enqueue_batch({job("B1"), job("B2"), job("B3"), job("B1")});
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 4u);
    EXPECT_EQ((*r)[0].outcome, EnqueueOutcome::enqueued);
    EXPECT_EQ((*r)[1].outcome, EnqueueOutcome::duplicate);
    EXPECT_EQ((*r)[2].outcome, EnqueueOutcome::enqueued);
    EXPECT_EQ((*r)[3].outcome, EnqueueOutcome::duplicate);
    EXPECT_EQ(raw_int("SELECT count(*) FROM jobs"), 3);
}

TEST_F(Queue, EnqueueAndCursorCommitTogetherOrNotAtAll) {
    auto ok = s().transact([](WriteTx& tx) -> Result<void> {
        if (auto r = tx.enqueue(job("P1")); !r) return r.error();
        return tx.set_cursor("eu", "orders.last_updated_after", "2026-01-01T00:00:00Z");
    });
    ASSERT_TRUE(ok);
    EXPECT_EQ(*s().cursor("eu", "orders.last_updated_after").value(), "2026-01-01T00:00:00Z");

    auto failed = s().transact([](WriteTx& tx) -> Result<void> {
        if (auto r = tx.enqueue(job("P2")); !r) return r.error();
        if (auto r = tx.set_cursor("eu", "orders.last_updated_after", "2026-02-01T00:00:00Z"); !r) {
            return r;
        }
        return make_error(ErrorKind::transient, "page 2 failed");
    });
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().message, "page 2 failed");
    EXPECT_EQ(*s().cursor("eu", "orders.last_updated_after").value(), "2026-01-01T00:00:00Z");
    EXPECT_EQ(raw_int("SELECT count(*) FROM jobs WHERE idempotency_key = 'P2'"), 0);
    EXPECT_EQ(s().enqueue(job("P2"))->outcome, EnqueueOutcome::enqueued);
}

TEST_F(Queue, ClaimLeasesUpToNAndSkipsFutureJobs) {
    for (auto k : {"C1", "C2", "C3"}) ASSERT_TRUE(s().enqueue(job(k)));
    auto later = job("C4");
    later.run_after = clock.now() + 10s;
    ASSERT_TRUE(s().enqueue(later));
    auto claimed = s().claim(2);
    ASSERT_TRUE(claimed);
    ASSERT_EQ(claimed->size(), 2u);
    EXPECT_EQ((*claimed)[0].idempotency_key, "C1");
    EXPECT_EQ((*claimed)[0].attempt, 1);
    EXPECT_EQ((*claimed)[0].lease_until, clock.now() + options.lease);
    EXPECT_EQ((*claimed)[1].idempotency_key, "C2");
    auto rest = s().claim(10);
    ASSERT_EQ(rest->size(), 1u);
    EXPECT_EQ((*rest)[0].idempotency_key, "C3");
    EXPECT_TRUE(s().claim(10)->empty());
    clock.advance(10s);
    auto due = s().claim(10);
    ASSERT_EQ(due->size(), 1u);
    EXPECT_EQ((*due)[0].idempotency_key, "C4");
}

TEST_F(Queue, ClaimOfAWholeCohortTakesNoneWhenFewerAreReady) {
    for (auto k : {"K1", "K2"}) ASSERT_TRUE(s().enqueue(job(k)));
    auto none = s().claim(3, {}, std::nullopt, 3);
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
    ASSERT_TRUE(s().enqueue(job("K3")));
    auto all = s().claim(3, {}, std::nullopt, 3);  // the two left ready, and the third
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0].idempotency_key, "K1");
    EXPECT_EQ((*all)[0].attempt, 1);
}

TEST_F(Queue, HigherPriorityRunsFirstAndFlowsFilter) {
    ASSERT_TRUE(s().enqueue(job("low")));
    auto high = job("high");
    high.priority = 5;
    ASSERT_TRUE(s().enqueue(high));
    ASSERT_TRUE(s().enqueue(job("settle", "", "settlement")));
    auto only = s().claim(10, {"settlement"});
    ASSERT_EQ(only->size(), 1u);
    EXPECT_EQ((*only)[0].flow, "settlement");
    auto c = s().claim(10);
    ASSERT_EQ(c->size(), 2u);
    EXPECT_EQ((*c)[0].idempotency_key, "high");
}

TEST_F(Queue, JobsOfOneEntityRunOneAtATimeInEnqueueOrder) {
    ASSERT_TRUE(s().enqueue(job("o1-v1", "order-1")));
    ASSERT_TRUE(s().enqueue(job("o2-v1", "order-2")));
    ASSERT_TRUE(s().enqueue(job("o1-v2", "order-1")));
    ASSERT_TRUE(s().enqueue(job("o1-v3", "order-1")));
    auto first = s().claim(10);
    ASSERT_EQ(first->size(), 2u);
    EXPECT_EQ((*first)[0].idempotency_key, "o1-v1");
    EXPECT_EQ((*first)[1].idempotency_key, "o2-v1");
    EXPECT_TRUE(s().claim(10)->empty()) << "o1-v2 waits for o1-v1";
    ASSERT_TRUE(s().ack((*first)[0].id, (*first)[0].attempt));
    auto second = s().claim(10);
    ASSERT_EQ(second->size(), 1u);
    EXPECT_EQ((*second)[0].idempotency_key, "o1-v2");
    // A retry keeps the entity blocked: o1-v3 must not overtake o1-v2.
    ASSERT_TRUE(s().retry((*second)[0].id, (*second)[0].attempt,
                          make_error(ErrorKind::transient, "Odoo 503")));
    clock.advance(2s);  // past the first backoff (base 1 s), within order-2's lease
    auto third = s().claim(10);
    ASSERT_EQ(third->size(), 1u);
    EXPECT_EQ((*third)[0].idempotency_key, "o1-v2");
    EXPECT_EQ((*third)[0].attempt, 2);
    ASSERT_TRUE(s().ack((*third)[0].id, (*third)[0].attempt));
    auto fourth = s().claim(10);
    ASSERT_EQ(fourth->size(), 1u);
    EXPECT_EQ((*fourth)[0].idempotency_key, "o1-v3");
}

TEST_F(Queue, EnqueueBehindALeasedJobWaits) {
    ASSERT_TRUE(s().enqueue(job("a", "E")));
    auto c = s().claim(1);
    ASSERT_TRUE(s().enqueue(job("b", "E")));
    auto info = s().list_jobs({.state = JobState::waiting});
    ASSERT_EQ(info->size(), 1u);
    EXPECT_EQ((*info)[0].idempotency_key, "b");
    ASSERT_TRUE(s().ack((*c)[0].id, 1));
    EXPECT_EQ(s().claim(1)->at(0).idempotency_key, "b");
}

TEST_F(Queue, ExpiredLeaseMakesTheJobClaimableAgainAndCountsAnAttempt) {
    ASSERT_TRUE(s().enqueue(job("L1")));
    auto c1 = s().claim(1, {}, 30s);
    ASSERT_EQ(c1->size(), 1u);
    clock.advance(29s);
    EXPECT_TRUE(s().claim(1)->empty());
    clock.advance(1s);
    auto c2 = s().claim(1);
    ASSERT_EQ(c2->size(), 1u);
    EXPECT_EQ((*c2)[0].attempt, 2);
    // The crashed worker's late ack is refused: the job belongs to the second claim.
    auto late = s().ack((*c1)[0].id, (*c1)[0].attempt);
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().kind, ErrorKind::conflict);
    ASSERT_TRUE(s().ack((*c2)[0].id, (*c2)[0].attempt));
    auto shown = s().show_job((*c2)[0].id).value();
    ASSERT_TRUE(shown);
    EXPECT_EQ(shown->state, JobState::done);
    ASSERT_EQ(shown->history.size(), 1u);
    EXPECT_EQ(shown->history[0].error_kind, "lease_expired");
}

TEST_F(Queue, RecoverLeasesRequeuesTheJobsOfADeadProcessAtOnce) {
    ASSERT_TRUE(s().enqueue(job("R1")));
    ASSERT_TRUE(s().enqueue(job("R2")));
    ASSERT_TRUE(s().enqueue(job("R3")));
    auto c1 = s().claim(2, {}, 5min);
    ASSERT_EQ(c1->size(), 2u);
    // The process dies; the next one opens the same file and recovers before claiming.
    open();
    auto recovered = s().recover_leases();
    ASSERT_TRUE(recovered) << recovered.error().describe();
    EXPECT_EQ(*recovered, 2);
    auto c2 = s().claim(3);
    ASSERT_EQ(c2->size(), 3u) << "no waiting out the 5-minute leases";
    for (const auto& j : *c2) {
        const bool was_leased = j.id == (*c1)[0].id || j.id == (*c1)[1].id;
        EXPECT_EQ(j.attempt, was_leased ? 2 : 1) << j.idempotency_key;
    }
    auto shown = s().show_job((*c1)[0].id).value();
    ASSERT_TRUE(shown);
    ASSERT_EQ(shown->history.size(), 1u);
    EXPECT_EQ(shown->history[0].error_kind, "lease_expired");
    EXPECT_NE(shown->history[0].message.find("requeued at restart"), std::string::npos)
        << shown->history[0].message;
    for (const auto& j : *c2) ASSERT_TRUE(s().ack(j.id, j.attempt));
    EXPECT_EQ(s().recover_leases().value(), 0) << "nothing is leased any more";
}

TEST_F(Queue, ExtendLeaseKeepsTheJob) {
    ASSERT_TRUE(s().enqueue(job("X")));
    auto c = s().claim(1, {}, 10s);
    clock.advance(8s);
    auto until = s().extend_lease((*c)[0].id, 1, 10s);
    ASSERT_TRUE(until);
    EXPECT_EQ(*until, clock.now() + 10s);
    clock.advance(8s);
    EXPECT_TRUE(s().claim(1)->empty());
    EXPECT_EQ(s().extend_lease((*c)[0].id, 2, 10s).error().kind, ErrorKind::conflict);
}

TEST_F(Queue, LeaseExpiryBeyondMaxAttemptsDeadLetters) {
    options.default_retry.max_attempts = 2;
    open();
    ASSERT_TRUE(s().enqueue(job("H")));
    ASSERT_EQ(s().claim(1, {}, 1s)->size(), 1u);
    clock.advance(2s);
    ASSERT_EQ(s().claim(1, {}, 1s)->size(), 1u);
    clock.advance(2s);
    EXPECT_TRUE(s().claim(1)->empty());
    auto dead = s().list_jobs({.state = JobState::dead});
    ASSERT_EQ(dead->size(), 1u);
    EXPECT_EQ((*dead)[0].dead_error_kind.value_or(""), "lease_expired");
}

TEST_F(Queue, RetryUsesFullJitterExponentialBackoffCappedPerFlow) {
    core::BackoffPolicy p{.base = 1s, .cap = 10s, .max_attempts = 10};
    options.retry_by_flow["order_import"] = p;
    open();
    ASSERT_TRUE(s().enqueue(job("R")));
    const std::int64_t expected_hi[] = {1000, 2000, 4000, 8000, 10000, 10000};
    for (auto hi : expected_hi) {
        auto c = s().claim(1);
        ASSERT_EQ(c->size(), 1u);
        auto state =
            s().retry((*c)[0].id, (*c)[0].attempt, make_error(ErrorKind::transient, "503"));
        ASSERT_TRUE(state);
        EXPECT_EQ(*state, JobState::ready);
        EXPECT_EQ(random.last_hi, static_cast<std::uint64_t>(hi));
        clock.advance(std::chrono::milliseconds{hi - 1});
        EXPECT_TRUE(s().claim(1)->empty()) << "runs only after the full delay";
        clock.advance(1ms);
    }
}

TEST_F(Queue, RetryAfterWinsWhenLarger) {
    random.fraction = 0.0;  // jitter would pick 0 ms
    ASSERT_TRUE(s().enqueue(job("RA")));
    auto c = s().claim(1);
    Error e = make_error(ErrorKind::rate_limited, "429");
    e.retry_after = 60s;
    ASSERT_TRUE(s().retry((*c)[0].id, 1, e));
    clock.advance(59s);
    EXPECT_TRUE(s().claim(1)->empty());
    clock.advance(1s);
    EXPECT_EQ(s().claim(1)->size(), 1u);
}

TEST_F(Queue, RunningOutOfAttemptsDeadLettersWithHistory) {
    options.retry_by_flow["order_import"] =
        core::BackoffPolicy{.base = 1s, .cap = 1s, .max_attempts = 3};
    open();
    ASSERT_TRUE(s().enqueue(job("D", "order-9")));
    ASSERT_TRUE(s().enqueue(job("D2", "order-9")));
    JobId id = 0;
    for (int i = 1; i <= 3; ++i) {
        auto c = s().claim(1);
        ASSERT_EQ(c->size(), 1u);
        id = (*c)[0].id;
        auto st =
            s().retry(id, i, make_error(ErrorKind::transient, "timeout " + std::to_string(i)));
        EXPECT_EQ(*st, i < 3 ? JobState::ready : JobState::dead);
        clock.advance(1s);
    }
    auto shown = s().show_job(id).value();
    EXPECT_EQ(shown->state, JobState::dead);
    EXPECT_EQ(shown->dead_error_kind.value_or(""), "transient");
    ASSERT_EQ(shown->history.size(), 3u);
    EXPECT_EQ(shown->history[2].message, "timeout 3 (gave up after 3 attempts)");
    auto next = s().claim(1);
    ASSERT_EQ(next->size(), 1u) << "a dead letter does not block later jobs of its entity";
    EXPECT_EQ((*next)[0].idempotency_key, "D2");
}

TEST_F(Queue, PostponedClaimsWaitWithoutUsingUpAttempts) {
    options.retry_by_flow["order_import"] =
        core::BackoffPolicy{.base = 1s, .cap = 1s, .max_attempts = 2};
    open();
    ASSERT_TRUE(s().enqueue(job("W", "order-7")));
    ASSERT_TRUE(s().enqueue(job("W2", "order-7")));
    Error open_circuit = make_error(ErrorKind::unavailable, "circuit open: odoo", "odoo[eu]");
    open_circuit.retry_after = 12s;
    JobId id = 0;
    int claim = 0;
    // Ten claims refused by an open circuit: far more than max_attempts, never dead.
    for (int i = 0; i < 10; ++i) {
        auto c = s().claim(1);
        ASSERT_EQ(c->size(), 1u) << i;
        id = (*c)[0].id;
        claim = (*c)[0].attempt;
        EXPECT_EQ(claim, i + 1) << "the claim token still counts every claim";
        ASSERT_TRUE(s().postpone(id, claim, open_circuit));
        clock.advance(11s);
        EXPECT_TRUE(s().claim(1)->empty()) << "waits retry_after; the entity's next job too";
        clock.advance(1s);
    }
    auto shown = s().show_job(id).value();
    EXPECT_EQ(shown->state, JobState::ready);
    EXPECT_EQ(shown->attempts, 10);
    EXPECT_EQ(shown->waits, 10);
    EXPECT_EQ(shown->last_error, "circuit open: odoo");
    EXPECT_TRUE(shown->history.empty()) << "a wait is not a failed attempt";
    EXPECT_EQ(s().audit(1)->at(0).action, "wait");
    // The two real attempts are still there.
    auto c = s().claim(1);
    ASSERT_EQ(c->size(), 1u);
    EXPECT_EQ(*s().retry(id, (*c)[0].attempt, make_error(ErrorKind::transient, "503")),
              JobState::ready);
    clock.advance(1s);
    c = s().claim(1);
    ASSERT_EQ(c->size(), 1u);
    EXPECT_EQ(*s().retry(id, (*c)[0].attempt, make_error(ErrorKind::transient, "503")),
              JobState::dead);
    shown = s().show_job(id).value();
    ASSERT_EQ(shown->history.size(), 2u);
    EXPECT_EQ(shown->history[1].message, "503 (gave up after 2 attempts)");
    // A stale claim cannot postpone.
    EXPECT_EQ(s().postpone(id, claim, open_circuit).error().kind, ErrorKind::conflict);
}

TEST_F(Queue, APostponedJobWaitsAtLeastASecond) {
    ASSERT_TRUE(s().enqueue(job("W1")));
    auto c = s().claim(1);
    ASSERT_TRUE(s().postpone((*c)[0].id, 1, make_error(ErrorKind::unavailable, "probe out")));
    clock.advance(999ms);
    EXPECT_TRUE(s().claim(1)->empty());
    clock.advance(1ms);
    EXPECT_EQ(s().claim(1)->size(), 1u);
}

TEST_F(Queue, AJobOfTheEntityMarkedHurryMakesItsWaitingJobDueNow) {
    // A delivery waiting for its tracking number (postponed 10 minutes); the change that adds
    // the number comes as a new job of the same entity, or as the same change again.
    ASSERT_TRUE(s().enqueue(job("pick-7@10:00", "stock.picking:7")));
    auto c = s().claim(1);
    ASSERT_EQ(c->size(), 1u);
    Error wait = make_error(ErrorKind::unavailable, "waiting for the tracking number");
    wait.retry_after = 600s;
    ASSERT_TRUE(s().postpone((*c)[0].id, 1, wait));
    EXPECT_TRUE(s().claim(1)->empty());

    auto other = job("pick-9@10:00", "stock.picking:9");
    other.hurry_entity = true;
    ASSERT_TRUE(s().enqueue(other));
    auto only_other = s().claim(5);
    ASSERT_EQ(only_other->size(), 1u) << "another entity's hurry wakes nothing";
    EXPECT_EQ((*only_other)[0].idempotency_key, "pick-9@10:00");

    auto again = job("pick-7@10:00", "stock.picking:7");
    again.hurry_entity = true;
    auto dup = s().enqueue(again);
    ASSERT_TRUE(dup);
    EXPECT_EQ(dup->outcome, EnqueueOutcome::duplicate);
    auto woken = s().claim(5);
    ASSERT_EQ(woken->size(), 1u) << "the waiting job is due at once";
    EXPECT_EQ((*woken)[0].idempotency_key, "pick-7@10:00");
    ASSERT_TRUE(s().postpone((*woken)[0].id, 2, wait));

    auto later = job("pick-7@10:05", "stock.picking:7");
    ASSERT_TRUE(s().enqueue(later));
    EXPECT_TRUE(s().claim(5)->empty()) << "without hurry, the new change waits behind it";
    later.idempotency_key = "pick-7@10:06";
    later.hurry_entity = true;
    ASSERT_TRUE(s().enqueue(later));
    woken = s().claim(5);
    ASSERT_EQ(woken->size(), 1u);
    EXPECT_EQ((*woken)[0].idempotency_key, "pick-7@10:00") << "entity order is kept";
}

TEST_F(Queue, ReplayResetsWaitsWithAttempts) {
    ASSERT_TRUE(s().enqueue(job("R")));
    auto c = s().claim(1);
    const JobId id = (*c)[0].id;
    ASSERT_TRUE(s().postpone(id, 1, make_error(ErrorKind::unavailable, "circuit open")));
    clock.advance(1s);
    c = s().claim(1);
    ASSERT_TRUE(s().fail(id, 2, make_error(ErrorKind::permanent, "unknown SKU")));
    EXPECT_EQ(s().show_job(id).value()->waits, 1);
    ASSERT_EQ(*s().replay_dead(id), 1);
    const auto shown = s().show_job(id).value();
    EXPECT_EQ(shown->attempts, 0);
    EXPECT_EQ(shown->waits, 0);
}

TEST_F(Queue, FailDeadLettersImmediately) {
    ASSERT_TRUE(s().enqueue(job("F")));
    auto c = s().claim(1);
    ASSERT_TRUE(s().fail((*c)[0].id, 1, make_error(ErrorKind::permanent, "unknown SKU ABC")));
    auto stats = s().stats().value();
    ASSERT_EQ(stats.dead_by_flow_kind.size(), 1u);
    EXPECT_EQ(stats.dead_by_flow_kind[0].error_kind, "permanent");
    EXPECT_EQ(stats.dead_by_flow_kind[0].count, 1);
    EXPECT_EQ(s().fail((*c)[0].id, 1, make_error(ErrorKind::permanent, "x")).error().kind,
              ErrorKind::conflict);
}

TEST_F(Queue, AckCommitsWithCallerWrites) {
    ASSERT_TRUE(s().enqueue(job("I")));
    auto c = s().claim(1);
    const auto j = (*c)[0];
    auto r = s().transact([&](WriteTx& tx) -> Result<void> {
        if (auto p = tx.put_id({"eu", "amazon_order", "403-1", "sale.order", 42}); !p) return p;
        return tx.ack(j.id, j.attempt);
    });
    ASSERT_TRUE(r);
    EXPECT_EQ(s().find_by_external("eu", "amazon_order", "403-1").value()->odoo_id, 42);
    EXPECT_EQ(s().find_by_odoo("eu", "sale.order", 42).value()->external_id, "403-1");
    // A stale ack inside a transaction rolls back the caller's writes too.
    auto stale = s().transact([&](WriteTx& tx) -> Result<void> {
        if (auto p = tx.put_id({"eu", "amazon_order", "403-2", "sale.order", 43}); !p) return p;
        return tx.ack(j.id, j.attempt);
    });
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().kind, ErrorKind::conflict);
    EXPECT_FALSE(s().find_by_external("eu", "amazon_order", "403-2").value());
}

TEST_F(Queue, AckBatchIsAllOrNothing) {
    ASSERT_TRUE(s().enqueue_batch({job("G1"), job("G2")}));
    auto c = s().claim(2);
    auto bad = s().ack_batch({{(*c)[0].id, 1}, {(*c)[1].id, 7}});
    ASSERT_FALSE(bad);
    EXPECT_EQ(s().list_jobs({.state = JobState::done})->size(), 0u);
    ASSERT_TRUE(s().ack_batch({{(*c)[0].id, 1}, {(*c)[1].id, 1}}));
    EXPECT_EQ(s().list_jobs({.state = JobState::done})->size(), 2u);
}

TEST_F(Queue, DoneKeysStayDuplicatesForTheRetentionThenExpire) {
    options.retention = std::chrono::hours{24 * 30};
    options.done_retention = 1h;
    open();
    ASSERT_TRUE(s().enqueue(job("old")));
    auto c = s().claim(1);
    ASSERT_TRUE(s().ack((*c)[0].id, 1));
    clock.advance(2h);
    auto p = s().purge_expired();
    ASSERT_TRUE(p);
    EXPECT_EQ(p->done_jobs, 1);
    EXPECT_EQ(raw_int("SELECT count(*) FROM jobs"), 0);
    clock.advance(std::chrono::hours{24 * 29});
    EXPECT_EQ(s().enqueue(job("old"))->outcome, EnqueueOutcome::duplicate) << "late redelivery";
    clock.advance(std::chrono::hours{24});
    p = s().purge_expired();
    EXPECT_EQ(p->ledger_keys, 1);
    EXPECT_EQ(s().enqueue(job("old"))->outcome, EnqueueOutcome::enqueued);
}

TEST_F(Queue, AuditRecordsRetriesAndIsBoundedByRetention) {
    options.retention = 24h;
    open();
    ASSERT_TRUE(s().enqueue(job("AU")));
    auto c = s().claim(1);
    ASSERT_TRUE(s().retry((*c)[0].id, 1, make_error(ErrorKind::transient, "503")));
    auto a = s().audit(10).value();
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0].action, "retry");
    clock.advance(25h);
    EXPECT_EQ(s().purge_expired()->audit_entries, 1);
    EXPECT_TRUE(s().audit(10)->empty());
}

TEST_F(Queue, MetricsExposeJobsDeadLettersAgeAndLatency) {
    core::MetricsRegistry registry;
    metrics = &registry;
    open();
    ASSERT_TRUE(s().enqueue(job("M1")));
    ASSERT_TRUE(s().enqueue(job("M2")));
    auto c = s().claim(1);
    ASSERT_TRUE(s().fail((*c)[0].id, 1, make_error(ErrorKind::auth, "token revoked")));
    clock.advance(30s);
    const auto text = registry.render();
    EXPECT_NE(text.find(R"(clarity_store_jobs{flow="order_import",state="ready"} 1)"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find(R"(clarity_store_dead_letters{flow="order_import",error_kind="auth"} 1)"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("clarity_store_oldest_ready_age_seconds 30"), std::string::npos) << text;
    EXPECT_NE(text.find("clarity_store_claim_seconds_count 1"), std::string::npos) << text;
    store.reset();
    EXPECT_NO_THROW(registry.render()) << "collector must survive the store";
}

}  // namespace
}  // namespace clarity::store
