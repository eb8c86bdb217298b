#pragma once
// A store on a temporary file with a manual clock and a scripted random source.
#include <sqlite3.h>

#include <memory>

#include "clarity/core/clock.hpp"
#include "clarity/core/random.hpp"
#include "clarity/store/options.hpp"
#include "support/temp_dir.hpp"

namespace clarity::store::test {

/// Answers `hi` (the largest allowed value) unless told a fraction.
class ScriptedRandom final : public Random {
  public:
    std::uint64_t uniform(std::uint64_t lo, std::uint64_t hi) override {
        last_hi = hi;
        return lo + static_cast<std::uint64_t>(static_cast<double>(hi - lo) * fraction);
    }
    double fraction = 1.0;
    std::uint64_t last_hi = 0;
};

inline NewJob job(std::string key, std::string entity = {}, std::string flow = "order_import") {
    NewJob j;
    j.connection = "eu";
    j.flow = std::move(flow);
    j.idempotency_key = std::move(key);
    j.entity_key = std::move(entity);
    j.payload = R"({"id":")" + j.idempotency_key + R"("})";
    return j;
}

class StoreFixture {
  public:
    StoreFixture() { options.path = (dir / "store.db").string(); }
    Store& open() {
        store = open_store(options, {clock, random, metrics});
        return *store;
    }
    /// Raw connection for checks the interface does not offer.
    std::int64_t raw_int(const std::string& sql) const {
        sqlite3* db = nullptr;
        sqlite3_open_v2(options.path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr);
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr);
        std::int64_t out = -1;
        if (sqlite3_step(s) == SQLITE_ROW) out = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        sqlite3_close(db);
        return out;
    }

    clarity::test::TempDir dir;
    ManualClock clock;
    ScriptedRandom random;
    core::MetricsRegistry* metrics = nullptr;
    StoreOptions options;
    std::unique_ptr<Store> store;
};

}  // namespace clarity::store::test
