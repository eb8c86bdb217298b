#pragma once
/// \file
/// SP-API usage plans as token buckets, one per (seller, region, operation) as Amazon keeps them,
/// seeded with the published rate and burst (operations.hpp), adjusted from
/// x-amzn-RateLimit-Limit, drained by a 429, and carried across restarts by the store
/// (flows/quota_levels.hpp). A limiter serves one SP-API region; the daemon has one per (seller,
/// region), shared by every connection of that seller there. Pure logic on an injected Clock:
/// `reserve()` takes a token now or says how long to wait; the caller waits asynchronously.
/// Thread-safe. This is the daemon's only rate limiter.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "clarity/amazon/endpoints.hpp"
#include "clarity/amazon/operations.hpp"
#include "clarity/core/clock.hpp"

namespace clarity::amazon {

/// One bucket's level at a wall-clock time, to carry it across a restart (the store keeps it).
struct QuotaBucketLevel {
    std::string seller;
    Region region = Region::na;
    Operation op;
    double tokens = 0;  ///< negative: tokens reserved by calls still waiting to be sent
    double rate = 0;    ///< unscaled requests per second (rate_scale divided out)
    std::chrono::system_clock::time_point at;
};

class QuotaLimiter {
  public:
    /// `rate_scale` multiplies every seeded rate (sandbox/fake speed-up; 1 in production);
    /// `region` is the SP-API region whose buckets this limiter holds.
    explicit QuotaLimiter(const Clock& clock, double rate_scale = 1.0, Region region = Region::na)
        : clock_(&clock), scale_(rate_scale), region_(region) {}

    Region region() const noexcept { return region_; }
    double rate_scale() const noexcept { return scale_; }

    /// Takes a token if one is available (returns zero), otherwise reserves the next one and
    /// returns how long the caller must wait before sending.
    std::chrono::nanoseconds reserve(const std::string& seller, Operation op);
    /// A token reserved by reserve() was not spent: the request was never sent (its service's
    /// circuit is open). The token goes back to the bucket (at most up to the burst).
    void give_back(const std::string& seller, Operation op);
    /// Sets the refill rate from a response header (requests per second, > 0).
    void set_rate(const std::string& seller, Operation op, double rate);
    /// After a 429: empties the bucket so the next call waits a full refill period.
    void drain(const std::string& seller, Operation op);
    /// A response of (seller, op) arrived. The first one anchors the bucket's refill clock:
    /// Amazon's bucket starts when our first request reaches it, later than our first reserve(),
    /// so refill earned before the first response is not counted. Otherwise the client would
    /// run ahead of the server by that lag for as long as a stream lasts and meet a 429 as soon
    /// as the burst is spent.
    void on_response(const std::string& seller, Operation op);
    /// Every bucket used so far, refilled to now (Clock::now() is the `at`).
    std::vector<QuotaBucketLevel> levels();
    /// Resumes buckets from levels saved by an earlier process: each starts with the saved tokens
    /// plus what its rate refilled since `at` (at most the burst), instead of a full burst that
    /// Amazon's bucket no longer holds. Call before the first reserve(); levels of another region
    /// are ignored, a rate ≤ 0 keeps the published one.
    void restore(const std::vector<QuotaBucketLevel>& levels);
    /// Increases whenever a bucket's level changes other than by refill (reserve, drain, set_rate,
    /// restore): a saver compares it to know whether there is anything new to save.
    std::uint64_t changes();

    /// Current rate and token count (for metrics and tests).
    double rate(const std::string& seller, Operation op);
    double tokens(const std::string& seller, Operation op);

  private:
    struct Bucket {
        double rate = 1;
        double burst = 1;
        double tokens = 1;  // may go negative: reserved future tokens
        std::chrono::steady_clock::time_point last{};
        bool anchored = false;  // refill counted from the first response (on_response, drain)
    };
    Bucket& bucket(const std::string& seller, Operation op);
    void refill(Bucket& b);

    const Clock* clock_;
    double scale_;
    Region region_;
    std::uint64_t changes_ = 0;
    std::mutex mutex_;
    std::map<std::pair<std::string, Operation>, Bucket> buckets_;
};

}  // namespace clarity::amazon
