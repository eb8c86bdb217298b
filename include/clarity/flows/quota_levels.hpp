#pragma once
/// \file
/// SP-API usage-plan levels across restarts: the connection's amazon::QuotaLimiter buckets as the
/// store keeps them (table quota_levels) and back. The daemon restores them at start and saves
/// them every second while they change and once more at stop (src/app/wiring.cpp), so a daemon
/// restarted mid-burst waits for the tokens Amazon's buckets really hold instead of spending a
/// fresh burst into 429s.

#include <string>
#include <vector>

#include "clarity/amazon/quota.hpp"
#include "clarity/store/store.hpp"

namespace clarity::flows {

/// The limiter's levels in the store's terms (operations by operationId).
std::vector<store::QuotaLevel> to_store_levels(const std::vector<amazon::QuotaBucketLevel>& levels);

/// Saved levels in the limiter's terms; operations this build does not know are left out.
std::vector<amazon::QuotaBucketLevel> from_store_levels(
    const std::vector<store::QuotaLevel>& levels);

/// Reads `seller`'s saved levels in `quota`'s region from `store` into `quota`
/// (QuotaLimiter::restore); answers how many buckets were resumed.
Result<std::size_t> restore_quota_levels(store::Store& store,
                                         amazon::QuotaLimiter& quota,
                                         const std::string& seller);

}  // namespace clarity::flows
