#pragma once
// Internal: the raw state tables of address.cpp.
#include <string_view>
#include <vector>

namespace clarity::mapping::detail {

struct CountryStates {
    std::string_view country;  ///< ISO alpha-2
    std::string_view entries;  ///< "CODE=Name|alias;CODE=Name"
};

const std::vector<CountryStates>& state_tables();

}  // namespace clarity::mapping::detail
