#pragma once
/// \file
/// Postal addresses and parties (buyers, customers). Every value keeps the text it arrived with;
/// normalized forms (ISO country, res.country.state code, compact postal code, E.164-like phone)
/// sit beside it in `normalized`, filled by mapping::normalize_address().

#include <optional>
#include <string>
#include <vector>

namespace clarity::model {

/// Normalized values derived from an Address; empty strings mean "could not be derived".
struct AddressNormalization {
    std::string country_code;  ///< ISO 3166-1 alpha-2, upper case ("US"), = Odoo res.country.code
    std::string state_code;    ///< Odoo res.country.state.code within the country ("CA", "NSW")
    std::string postal_code;   ///< country format, e.g. "94105-1234", "SW1A 1AA", "100-0001"
    std::string phone;         ///< "+14155550100" when a country prefix is known, else digits
    /// Human-readable findings ("state 'Calif' not found for country US"); unmatched values are
    /// reported here, never invented.
    std::vector<std::string> problems;
};

struct Address {
    std::string name;
    std::string company;
    std::string line1;
    std::string line2;
    std::string line3;
    std::string city;
    std::string county;  ///< county (v0 County) / district (v0 District) as received
    std::string district;
    std::string state_or_region;  ///< free text as received ("CA", "California", "calif.")
    std::string postal_code;
    std::string country_code;  ///< as received
    std::string phone;
    std::string address_type;  ///< "Residential" / "Commercial" when given

    AddressNormalization normalized;

    bool empty() const noexcept {
        return name.empty() && line1.empty() && city.empty() && postal_code.empty() &&
               country_code.empty();
    }
};

/// A buyer or customer.
struct Party {
    std::string name;
    std::string email;  ///< Amazon's anonymized relay address for buyers
    std::string company;
    std::string phone;
    std::string tax_id;     ///< VAT / GST id when known
    std::string reference;  ///< external reference (Odoo `ref`)
    std::optional<Address> address;
    std::optional<long long> odoo_id;  ///< res.partner id when decoded from Odoo
};

}  // namespace clarity::model
