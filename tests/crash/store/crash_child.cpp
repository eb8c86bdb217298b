// Crash-test worker: enqueues numbered jobs per entity (the number and the enqueue commit
// together with a cursor), claims them and applies each in the same transaction as its ack: the
// effect is "cursor applied:<entity> = seq", valid only if seq == previous + 1. A second run of
// an acked job, a lost job or a reordering shows up as a gap or a repeat.
//
// usage: store_crash_child DB run|drain HOURS_OFFSET SEED full|normal
// exit 0: drained (drain mode); 3: order/exactly-once violation; 4: unexpected store error.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include "clarity/core/log.hpp"
#include "clarity/store/options.hpp"

namespace {

using namespace clarity;
using namespace std::chrono_literals;

// Wall time moved forward by whole hours per restart, so the leases of a killed predecessor have
// expired without waiting.
class OffsetClock final : public Clock {
  public:
    explicit OffsetClock(std::chrono::hours offset) : offset_(offset) {}
    time_point now() const override { return std::chrono::system_clock::now() + offset_; }
    std::chrono::steady_clock::time_point steady_now() const override {
        return std::chrono::steady_clock::now();
    }

  private:
    std::chrono::hours offset_;
};

constexpr int kEntities = 8;
constexpr int kMaxPerEntity = 300;
const std::string kConn = "crash";

[[noreturn]] void die(int code, const std::string& why) {
    std::cerr << "crash child: " << why << std::endl;
    std::_Exit(code);
}

int seq_of(const std::string& payload) { return std::stoi(payload); }

}  // namespace

int main(int argc, char** argv) {
    if (argc != 6) die(2, "usage: store_crash_child DB run|drain HOURS SEED full|normal");
    const std::string path = argv[1];
    const bool drain = std::string(argv[2]) == "drain";
    OffsetClock clock(std::chrono::hours{std::stoi(argv[3])});
    DefaultRandom random(static_cast<std::uint64_t>(std::stoull(argv[4])));
    core::configure_logging({.level = "off"});

    store::StoreOptions options;
    options.path = path;
    options.durability =
        std::string(argv[5]) == "full" ? store::Durability::full : store::Durability::normal;
    options.lease = 10min;
    options.default_retry = {.base = 1ms, .cap = 2ms, .max_attempts = 1'000'000};
    std::unique_ptr<store::Store> s;
    try {
        s = store::open_store(options, {clock, random, nullptr});
    } catch (const std::exception& e) {
        die(4, e.what());
    }

    for (;;) {
        if (!drain) {
            auto r = s->transact([&](store::WriteTx& tx) -> Result<void> {
                for (int n = 0; n < 3; ++n) {
                    const auto entity = "E" + std::to_string(random.uniform(0, kEntities - 1));
                    auto cur = tx.cursor(kConn, "seq:" + entity);
                    if (!cur) return cur.error();
                    const int next = *cur ? std::stoi(**cur) : 0;
                    if (next >= kMaxPerEntity) continue;
                    store::NewJob job{.connection = kConn,
                                      .flow = "crash",
                                      .idempotency_key = entity + ":" + std::to_string(next),
                                      .entity_key = entity,
                                      .payload = std::to_string(next)};
                    auto e = tx.enqueue(job);
                    if (!e) return e.error();
                    if (e->outcome != store::EnqueueOutcome::enqueued) {
                        return make_error(ErrorKind::permanent, "fresh key reported duplicate");
                    }
                    if (auto c = tx.set_cursor(kConn, "seq:" + entity, std::to_string(next + 1));
                        !c) {
                        return c;
                    }
                }
                return {};
            });
            if (!r) die(4, "enqueue: " + r.error().describe());
        }
        auto claimed = s->claim(4);
        if (!claimed) die(4, "claim: " + claimed.error().describe());
        if (claimed->empty()) {
            if (!drain) continue;
            auto st = s->stats();
            if (!st) die(4, st.error().describe());
            bool pending = false;
            for (const auto& row : st->by_flow_state) {
                pending = pending || (row.state != store::JobState::done);
            }
            if (!pending) return 0;
            continue;  // jobs in backoff (1-2 ms)
        }
        // Occasionally fail an attempt: the job must still be applied exactly once, in order.
        if (random.uniform(0, 19) == 0) {
            const auto& j = claimed->front();
            auto r = s->retry(j.id, j.attempt, make_error(ErrorKind::transient, "injected"));
            if (!r) die(4, "retry: " + r.error().describe());
            claimed->erase(claimed->begin());
        }
        auto apply = [&](store::WriteTx& tx, const store::ClaimedJob& j) -> Result<void> {
            auto cur = tx.cursor(kConn, "applied:" + j.entity_key);
            if (!cur) return cur.error();
            const int applied = *cur ? std::stoi(**cur) : -1;
            const int seq = seq_of(j.payload);
            if (seq != applied + 1) {
                die(3, "entity " + j.entity_key + ": applying " + std::to_string(seq) + " after " +
                           std::to_string(applied));
            }
            if (auto c = tx.set_cursor(kConn, "applied:" + j.entity_key, std::to_string(seq)); !c) {
                return c;
            }
            return tx.ack(j.id, j.attempt);
        };
        if (random.uniform(0, 1) == 0) {  // grouped: every effect and ack in one transaction
            auto r = s->transact([&](store::WriteTx& tx) -> Result<void> {
                for (const auto& j : *claimed) {
                    if (auto a = apply(tx, j); !a) return a;
                }
                return {};
            });
            if (!r) die(4, "grouped ack: " + r.error().describe());
        } else {
            for (const auto& j : *claimed) {
                auto r = s->transact([&](store::WriteTx& tx) { return apply(tx, j); });
                if (!r) die(4, "ack: " + r.error().describe());
            }
        }
    }
}
