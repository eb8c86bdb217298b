#include "clarity/amazon/endpoints.hpp"

#include <array>
#include <cctype>

// Base URLs: NOTES.md §1.3 (developer guide); marketplace ids: NOTES.md §1.4
// (https://developer-docs.amazon.com/sp-api/docs/marketplace-ids).

namespace clarity::amazon {
namespace {

constexpr std::array<RegionEndpoints, 3> kEndpoints = {{
    {"https://sellingpartnerapi-na.amazon.com", "https://sandbox.sellingpartnerapi-na.amazon.com",
     "us-east-1"},
    {"https://sellingpartnerapi-eu.amazon.com", "https://sandbox.sellingpartnerapi-eu.amazon.com",
     "eu-west-1"},
    {"https://sellingpartnerapi-fe.amazon.com", "https://sandbox.sellingpartnerapi-fe.amazon.com",
     "us-west-2"},
}};

constexpr std::array kMarketplaces = {
    Marketplace{"CA", "A2EUQ1WTGCTBG2", Region::na},
    Marketplace{"US", "ATVPDKIKX0DER", Region::na},
    Marketplace{"MX", "A1AM78C64UM0Y8", Region::na},
    Marketplace{"BR", "A2Q3Y263D00KWC", Region::na},
    Marketplace{"IE", "A28R8C7NBKEWEA", Region::eu},
    Marketplace{"ES", "A1RKKUPIHCS9HS", Region::eu},
    Marketplace{"UK", "A1F83G8C2ARO7P", Region::eu},
    Marketplace{"FR", "A13V1IB3VIYZZH", Region::eu},
    Marketplace{"BE", "AMEN7PMS3EDWL", Region::eu},
    Marketplace{"NL", "A1805IZSGTT6HS", Region::eu},
    Marketplace{"DE", "A1PA6795UKMFR9", Region::eu},
    Marketplace{"IT", "APJ6JRA9NG5V4", Region::eu},
    Marketplace{"SE", "A2NODRKZP88ZB9", Region::eu},
    Marketplace{"ZA", "AE08WJ6YKNBMC", Region::eu},
    Marketplace{"PL", "A1C3SOZRARQ6R3", Region::eu},
    Marketplace{"EG", "ARBP9OOSHTCHU", Region::eu},
    Marketplace{"TR", "A33AVAJ2PDY3EV", Region::eu},
    Marketplace{"SA", "A17E79C6D8DWNP", Region::eu},
    Marketplace{"AE", "A2VIGQ35RCS4UG", Region::eu},
    Marketplace{"IN", "A21TJRUUN4KGV", Region::eu},
    Marketplace{"SG", "A19VAU5U5O7RUS", Region::fe},
    Marketplace{"AU", "A39IBJ37TRP1C6", Region::fe},
    Marketplace{"JP", "A1VC38T7YXB528", Region::fe},
};

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::string_view to_string(Region r) noexcept {
    switch (r) {
        case Region::na:
            return "na";
        case Region::eu:
            return "eu";
        case Region::fe:
            return "fe";
    }
    return "na";
}

std::optional<Region> parse_region(std::string_view text) noexcept {
    for (Region r : {Region::na, Region::eu, Region::fe}) {
        if (iequals(text, to_string(r))) return r;
    }
    return std::nullopt;
}

const RegionEndpoints& region_endpoints(Region r) noexcept {
    return kEndpoints[static_cast<std::size_t>(r)];
}

std::span<const Marketplace> all_marketplaces() noexcept { return kMarketplaces; }

const Marketplace* find_marketplace(std::string_view id_or_country) noexcept {
    for (const auto& m : kMarketplaces) {
        if (m.id == id_or_country || iequals(m.country, id_or_country)) return &m;
    }
    if (iequals(id_or_country, "GB")) return find_marketplace("UK");
    return nullptr;
}

std::string sqs_endpoint(std::string_view aws_region) {
    return "https://sqs." + std::string(aws_region) + ".amazonaws.com";
}

}  // namespace clarity::amazon
