#pragma once
// What a flow's contract test needs besides Odoo (contract_env.hpp): Amazon played by the fake
// SP-API on loopback (Login with Amazon included) with the product's SP-API client on the
// session's io_context, a real SQLite store in a test directory, the default order template
// without its Studio fields (a live database need not have them), the order import's jobs, and the
// removal of the sale orders the test's Amazon orders became.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clarity/amazon/sp_api_client.hpp"
#include "clarity/core/clock.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/core/random.hpp"
#include "clarity/mapping/template.hpp"
#include "clarity/store/async_store.hpp"
#include "contract_env.hpp"
#include "sp_api/fake_sp_api.hpp"

namespace clarity::contract {

class FlowHarness {
  public:
    /// Everything outlives the harness; `clock` drives the fake SP-API, the client and the store.
    FlowHarness(Session& session, const std::filesystem::path& dir, Clock& clock);

    /// The default order template without x_studio_* fields.
    std::shared_ptr<const mapping::MappingTemplate> order_template() const;
    /// Queues the order import's job of Amazon order `order_id` (a sweep's change at 10:05) and
    /// remembers the id for track_sale_orders().
    void enqueue_order(const std::string& order_id);
    /// Tracks the sale orders of every enqueued Amazon order for the session's cleanup.
    void track_sale_orders();

    core::MetricsRegistry metrics;
    DefaultRandom random{17};
    fakes::sp_api::FakeSpApi amazon_fake;
    amazon::QuotaLimiter quota{SystemClock::instance(), 1000};
    std::optional<amazon::SpApiClient> sp;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<store::AsyncStore> async_store;
    std::vector<std::string> refs;  ///< the Amazon orders enqueued

  private:
    Session& session_;
    std::filesystem::path dir_;
    std::shared_ptr<net::HttpClient> http_;
    std::optional<amazon::LwaTokenSource> lwa_;
};

}  // namespace clarity::contract
