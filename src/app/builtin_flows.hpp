#pragma once
// The flows this build knows: every flow name the config accepts under connections[].flows, with
// the factories of the flows that are implemented. `config schema`, `config check`, `run` and
// `sync orders --run` all read this one catalogue.

#include "clarity/flows/registry.hpp"

namespace clarity::app {

/// The catalogue (built once; thread-safe to read).
const flows::FlowRegistry& builtin_flows();

}  // namespace clarity::app
