#pragma once
/// \file
/// Address normalization for Odoo: ISO country → res.country code, free-text StateOrRegion
/// ("CA", "California", "calif.", "東京都") → res.country.state code, postal codes and phone
/// numbers in a canonical form. Originals are never changed; results go to
/// Address::normalized. Unmatched values are reported in normalized.problems, never invented.
///
/// State tables (the codes Odoo's base data uses): US, CA, AU, IN, MX, BR, JP, GB (Odoo's 119
/// counties, with Odoo's own codes) and the EU countries Odoo carries states for: DE, IT, ES,
/// PT, NL, IE, RO, SE, FI, EE, LT, LV (cities). FR has none: Odoo has no French states,
/// so French region text matches nothing (the address is imported without a state).

#include <optional>
#include <string>
#include <string_view>

#include "clarity/model/address.hpp"

namespace clarity::mapping {

/// Odoo res.country code (ISO 3166-1 alpha-2, upper case) from "us", "USA", "United States",
/// "Deutschland", "UK" (→ GB). nullopt when not recognized.
std::optional<std::string> normalize_country_code(std::string_view text);

struct StateMatch {
    std::string code;  ///< res.country.state code ("CA", "DE-BY", "13")
    std::string name;  ///< Odoo's English name ("California")
};

/// True when a state table exists for the country (alpha-2).
bool has_state_table(std::string_view country_code) noexcept;

/// Matches free text against the country's states: the code ("CA", "US-CA", "ca"), the name
/// ignoring case/accents/punctuation ("São Paulo" = "sao paulo"), known abbreviations and
/// local names ("Calif.", "Bavaria", "東京都", "Greater London"), "County X" / "Co. X", a name
/// with its code in parentheses ("Milano (MI)"), Dublin postal districts ("Dublin 8"), or an
/// unambiguous prefix of at least 4 letters. nullopt when nothing (or more than one state)
/// matches.
std::optional<StateMatch> find_state(std::string_view country_code, std::string_view text);

/// Country-specific postal format: US "94105" / "94105-1234", CA "K1A 0B1", GB "SW1A 1AA",
/// JP "100-0001", BR "01234-567", NL "1234 AB", PT "1000-001", digits-only countries checked
/// for length. Returns nullopt (with the reason in *problem) when it does not fit the format.
std::optional<std::string> normalize_postal_code(std::string_view country_code,
                                                 std::string_view text,
                                                 std::string* problem = nullptr);

/// "+14155550100" style: keeps digits, drops separators and an extension ("ext. 12", "x12"),
/// turns "00" into "+", adds the country's calling code to national numbers (dropping a trunk
/// 0 where the country uses one). nullopt when fewer than 6 digits remain.
std::optional<std::string> normalize_phone(std::string_view country_code, std::string_view text);

/// Fills address.normalized from the original fields; every value that cannot be normalized
/// leaves its normalized field empty and adds a sentence to normalized.problems.
void normalize_address(model::Address& address);

}  // namespace clarity::mapping
