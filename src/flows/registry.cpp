#include "clarity/flows/registry.hpp"

#include <algorithm>
#include <stdexcept>

namespace clarity::flows {

std::shared_ptr<const mapping::MappingTemplate> ConnectionServices::template_for(
    std::string_view name) const {
    auto it = templates.find(name);
    if (it == templates.end()) {
        throw std::logic_error("flow asked for mapping template '" + std::string(name) +
                               "' that its registry entry does not declare");
    }
    return it->second;
}

FlowRegistry& FlowRegistry::add(FlowEntry entry) {
    for (auto& e : entries_) {
        if (e.name == entry.name) {
            e = std::move(entry);
            return *this;
        }
    }
    entries_.push_back(std::move(entry));
    return *this;
}

const FlowEntry* FlowRegistry::find(std::string_view name) const {
    for (const auto& e : entries_) {
        if (e.name == name) return &e;
    }
    return nullptr;
}

void ConnectionFlows::add(const std::string& connection, std::shared_ptr<Flow> flow) {
    by_connection_[connection] = std::move(flow);
}

std::size_t ConnectionFlows::default_cohort() const {
    std::size_t n = 1;
    for (const auto& [connection, flow] : by_connection_) n = std::max(n, flow->default_cohort());
    return n;
}

boost::asio::awaitable<Result<void>> ConnectionFlows::run(JobContext& context) {
    auto it = by_connection_.find(context.job.connection);
    if (it == by_connection_.end()) {
        co_return make_error(
            ErrorKind::permanent,
            "flow " + name_ + " is not set up for connection '" + context.job.connection + "'",
            name_);
    }
    auto flow = it->second;  // keep it alive across the run
    co_return co_await flow->run(context);
}

}  // namespace clarity::flows
