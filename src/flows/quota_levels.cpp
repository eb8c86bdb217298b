#include "clarity/flows/quota_levels.hpp"

namespace clarity::flows {

std::vector<store::QuotaLevel> to_store_levels(
    const std::vector<amazon::QuotaBucketLevel>& levels) {
    std::vector<store::QuotaLevel> out;
    out.reserve(levels.size());
    for (const auto& l : levels) {
        out.push_back(store::QuotaLevel{l.seller, std::string(amazon::to_string(l.region)),
                                        std::string(amazon::operation_info(l.op).name), l.tokens,
                                        l.rate, l.at});
    }
    return out;
}

std::vector<amazon::QuotaBucketLevel> from_store_levels(
    const std::vector<store::QuotaLevel>& levels) {
    std::vector<amazon::QuotaBucketLevel> out;
    for (const auto& l : levels) {
        const auto* info = amazon::find_operation(l.operation);
        const auto region = amazon::parse_region(l.region);
        if (info == nullptr || !region) continue;  // an operation this build no longer calls
        out.push_back(
            amazon::QuotaBucketLevel{l.seller, *region, info->op, l.tokens, l.rate, l.at});
    }
    return out;
}

Result<std::size_t> restore_quota_levels(store::Store& store,
                                         amazon::QuotaLimiter& quota,
                                         const std::string& seller) {
    auto saved = store.quota_levels(seller, std::string(amazon::to_string(quota.region())));
    if (!saved) return saved.error();
    const auto levels = from_store_levels(*saved);
    quota.restore(levels);
    return levels.size();
}

}  // namespace clarity::flows
