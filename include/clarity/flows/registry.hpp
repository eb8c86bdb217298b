#pragma once
/// \file
/// The catalogue of flows the daemon can run: name, the flow's own config keys (under
/// `connections[].flows.<name>`, beside `enabled` and `retry`), the mapping templates it needs and
/// a factory that builds the flow for one connection from that connection's services. The app
/// declares every flow it knows (src/app/builtin_flows.cpp); a flow declared without a factory
/// is accepted in the config but not run (the daemon says so at start-up).

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/amazon/sp_api_client.hpp"
#include "clarity/core/clock.hpp"
#include "clarity/core/config.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/core/random.hpp"
#include "clarity/flows/flow.hpp"
#include "clarity/mapping/template.hpp"
#include "clarity/odoo/client.hpp"
#include "clarity/store/async_store.hpp"

namespace clarity::flows {

/// What a flow of one connection may use. Everything outlives the flows built from it.
struct ConnectionServices {
    std::string connection;  ///< connections[].name
    amazon::SpApiClient& amazon;
    odoo::OdooClient& odoo;  ///< connected (version and fields_get read) before flows are built
    store::AsyncStore& store;
    core::MetricsRegistry& metrics;
    const Clock& clock;
    Random& random;
    core::ConfigNode flow_config;        ///< connections[].flows.<flow>
    core::ConfigNode connection_config;  ///< connections[]
    /// Loaded and checked against the live schema: template name → template.
    std::map<std::string, std::shared_ptr<const mapping::MappingTemplate>, std::less<>> templates;

    /// The template `name` (one of the entry's `templates`); throws std::logic_error when it was
    /// not declared by the flow's entry.
    std::shared_ptr<const mapping::MappingTemplate> template_for(std::string_view name) const;
};

using FlowFactory = std::function<std::shared_ptr<Flow>(ConnectionServices&)>;

struct FlowEntry {
    std::string name;         ///< as in the store's flow column and the config
    std::string description;  ///< one line for the config reference
    core::ConfigSpec spec;    ///< the flow's own keys (may be empty)
    /// Mapping templates the flow needs (names in mapping.templates, files
    /// <mapping.directory>/<name>.yaml); loaded and checked against Odoo at start-up.
    std::vector<std::string> templates;
    FlowFactory make;  ///< empty: declared (config accepted) but not part of this build
};

class FlowRegistry {
  public:
    /// Adds or replaces (same name) an entry; keeps the order of first addition.
    FlowRegistry& add(FlowEntry entry);
    const FlowEntry* find(std::string_view name) const;
    const std::vector<FlowEntry>& entries() const noexcept { return entries_; }

  private:
    std::vector<FlowEntry> entries_;
};

/// One Flow object per flow name for the engine, running each job with the flow instance of the
/// job's connection (the engine has one registration per name; connections differ in clients).
class ConnectionFlows final : public Flow {
  public:
    explicit ConnectionFlows(std::string name) : name_(std::move(name)) {}
    void add(const std::string& connection, std::shared_ptr<Flow> flow);
    bool empty() const noexcept { return by_connection_.empty(); }

    std::string_view name() const override { return name_; }
    /// Runs the job's connection's flow; `permanent` when the connection has none.
    boost::asio::awaitable<Result<void>> run(JobContext& context) override;
    /// The largest of its connections' flows (the same kind of flow: the same default). The
    /// jobs of a cohort may belong to different connections; each connection's calls are
    /// batched apart.
    std::size_t default_cohort() const override;

  private:
    std::string name_;
    std::map<std::string, std::shared_ptr<Flow>, std::less<>> by_connection_;
};

}  // namespace clarity::flows
