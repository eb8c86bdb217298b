#pragma once
/// \file
/// SP-API regions: production and sandbox base URLs, the AWS region that hosts SQS, and the
/// marketplace ids of each region (NOTES.md §1.3, §1.4).

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace clarity::amazon {

enum class Region { na, eu, fe };

std::string_view to_string(Region r) noexcept;
/// "na", "eu", "fe" (any case); nullopt otherwise.
std::optional<Region> parse_region(std::string_view text) noexcept;

struct RegionEndpoints {
    std::string_view production;  ///< https://sellingpartnerapi-na.amazon.com
    std::string_view sandbox;     ///< https://sandbox.sellingpartnerapi-na.amazon.com
    std::string_view aws_region;  ///< us-east-1 / eu-west-1 / us-west-2
};
const RegionEndpoints& region_endpoints(Region r) noexcept;

/// LWA token endpoint (one host for every region).
inline constexpr std::string_view kLwaTokenUrl = "https://api.amazon.com/auth/o2/token";

struct Marketplace {
    std::string_view country;  ///< "US", "UK" (the marketplace table's code; addresses use GB)
    std::string_view id;       ///< "ATVPDKIKX0DER"
    Region region;
};
std::span<const Marketplace> all_marketplaces() noexcept;
/// By id ("A1PA6795UKMFR9") or country code ("DE"); nullptr when unknown.
const Marketplace* find_marketplace(std::string_view id_or_country) noexcept;

/// The SQS endpoint of an AWS region: https://sqs.<region>.amazonaws.com
std::string sqs_endpoint(std::string_view aws_region);

}  // namespace clarity::amazon
