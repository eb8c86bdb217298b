#include "clarity/mapping/address.hpp"

#include <gtest/gtest.h>

namespace clarity::mapping {
namespace {

std::string state(std::string_view country, std::string_view text) {
    auto m = find_state(country, text);
    return m ? m->code : "<none>";
}

TEST(AddressState, UsCodeNameAbbreviationAndPrefix) {
    EXPECT_EQ(state("US", "CA"), "CA");
    EXPECT_EQ(state("US", "ca"), "CA");
    EXPECT_EQ(state("US", "California"), "CA");
    EXPECT_EQ(state("US", "calif."), "CA");
    EXPECT_EQ(state("US", "CALIFORNIA "), "CA");
    EXPECT_EQ(state("US", "US-CA"), "CA");
    EXPECT_EQ(state("US", "N.Y."), "NY");
    EXPECT_EQ(state("US", "W. Va."), "WV");
    EXPECT_EQ(state("US", "Penn"), "PA");
    EXPECT_EQ(state("US", "Fla"), "FL");
    EXPECT_EQ(state("US", "Washington D.C."), "DC");
    EXPECT_EQ(find_state("US", "California")->name, "California");
}

TEST(AddressState, AmbiguousOrUnknownIsNotInvented) {
    EXPECT_EQ(state("US", "New"), "<none>");    // New York / Jersey / Mexico / Hampshire
    EXPECT_EQ(state("US", "North"), "<none>");  // North Carolina / Dakota
    EXPECT_EQ(state("US", "Atlantis"), "<none>");
    EXPECT_EQ(state("US", ""), "<none>");
    EXPECT_EQ(state("ZZ", "CA"), "<none>");
    EXPECT_FALSE(has_state_table("FR"));
}

TEST(AddressState, EveryRequiredCountryHasATable) {
    for (auto c : {"US", "CA", "AU", "IN", "MX", "BR", "JP", "GB", "DE", "IT",
                   "ES", "PT", "NL", "IE", "RO", "SE", "FI", "EE", "LT", "LV"}) {
        EXPECT_TRUE(has_state_table(c)) << c;
    }
}

TEST(AddressState, OtherCountriesAccentsAndLocalNames) {
    EXPECT_EQ(state("CA", "Québec"), "QC");
    EXPECT_EQ(state("CA", "Ont."), "ON");
    EXPECT_EQ(state("AU", "New South Wales"), "NSW");
    EXPECT_EQ(state("AU", "vic"), "VIC");
    EXPECT_EQ(state("IN", "Odisha"), "OR");
    EXPECT_EQ(state("IN", "New Delhi"), "DL");
    EXPECT_EQ(state("MX", "CDMX"), "CMX");
    EXPECT_EQ(state("MX", "Nuevo León"), "NLE");
    EXPECT_EQ(state("MX", "Edo. Mex."), "MEX");
    EXPECT_EQ(state("BR", "SP"), "SP");
    EXPECT_EQ(state("BR", "Sao Paulo"), "SP");
    EXPECT_EQ(state("BR", "são paulo"), "SP");
    EXPECT_EQ(state("JP", "東京都"), "13");
    EXPECT_EQ(state("JP", "Tokyo-to"), "13");
    EXPECT_EQ(state("JP", "Osaka Fu"), "27");
    EXPECT_EQ(state("JP", "Aichi Prefecture"), "23");
    EXPECT_EQ(state("DE", "Bayern"), "DE-BY");
    EXPECT_EQ(state("DE", "Bavaria"), "DE-BY");
    EXPECT_EQ(state("DE", "BY"), "DE-BY");
    EXPECT_EQ(state("DE", "Baden-Wurttemberg"), "DE-BW");
    EXPECT_EQ(state("IT", "Milano"), "MI");
    EXPECT_EQ(state("IT", "MI"), "MI");
    EXPECT_EQ(state("ES", "La Coruña"), "C");
    EXPECT_EQ(state("ES", "Islas Baleares"), "PM");
    EXPECT_EQ(state("RO", "Brasov"), "BV");
    EXPECT_EQ(state("SE", "Skåne"), "SE-M");
    EXPECT_EQ(state("IE", "Dublin"), "D");
}

// Issue #25 point 4: the region text of UK, Irish, German, French, Italian and Spanish orders.
TEST(AddressState, EuropeanCountiesLanderAndProvinces) {
    // GB: Odoo's 119 counties with Odoo's codes, their abbreviations and the names buyers type.
    EXPECT_EQ(state("GB", "Greater London"), "Q1");
    EXPECT_EQ(state("GB", "London"), "Q1");
    EXPECT_EQ(state("GB", "LONDON"), "Q1");
    EXPECT_EQ(state("GB", "Kent"), "O5");
    EXPECT_EQ(state("GB", "Hants"), "I1");
    EXPECT_EQ(state("GB", "Co. Durham"), "E1");
    EXPECT_EQ(state("GB", "County Durham"), "E1");
    EXPECT_EQ(state("GB", "Durham"), "E1");
    EXPECT_EQ(state("GB", "Co Antrim"), "D5");
    EXPECT_EQ(state("GB", "West Yorkshire"), "X7");
    EXPECT_EQ(state("GB", "Tyne & Wear"), "W5");
    EXPECT_EQ(state("GB", "South Ayrshire"), "B1");
    EXPECT_EQ(state("GB", "Cardiff"), "U9");
    EXPECT_EQ(state("GB", "Isle of Anglesey"), "H9");
    EXPECT_EQ(state("GB", "Stoke-on-Trent"), "V5");
    EXPECT_EQ(find_state("GB", "greater london")->name, "London");
    // Spans several Odoo counties, or is no county at all: not guessed.
    EXPECT_EQ(state("GB", "Greater Manchester"), "<none>");
    EXPECT_EQ(state("GB", "Conwy"), "<none>");
    EXPECT_EQ(state("GB", "England"), "<none>");
    EXPECT_EQ(state("GB", "Lond"), "<none>");  // London or Londonderry
    // IE: counties with or without "County"/"Co.", Dublin postal districts.
    EXPECT_EQ(state("IE", "Co. Dublin"), "D");
    EXPECT_EQ(state("IE", "County Cork"), "C");
    EXPECT_EQ(state("IE", "Dublin 8"), "D");
    EXPECT_EQ(state("IE", "Dublin 6W"), "D");
    EXPECT_EQ(state("IE", "Co. Galway"), "G");
    // DE: Länder in German, English, transliterated, with "Freistaat", or as codes.
    EXPECT_EQ(state("DE", "Baden-Württemberg"), "DE-BW");
    EXPECT_EQ(state("DE", "Baden-Wuerttemberg"), "DE-BW");
    EXPECT_EQ(state("DE", "Nordrhein-Westfalen"), "DE-NW");
    EXPECT_EQ(state("DE", "North Rhine-Westphalia"), "DE-NW");
    EXPECT_EQ(state("DE", "NRW"), "DE-NW");
    EXPECT_EQ(state("DE", "Freistaat Bayern"), "DE-BY");
    EXPECT_EQ(state("DE", "Thueringen"), "DE-TH");
    EXPECT_EQ(state("DE", "DE-HH"), "DE-HH");
    EXPECT_EQ(state("DE", "hh"), "DE-HH");
    // IT: provinces by name, by code, or both.
    EXPECT_EQ(state("IT", "Roma"), "RM");
    EXPECT_EQ(state("IT", "Rome"), "RM");
    EXPECT_EQ(state("IT", "RM"), "RM");
    EXPECT_EQ(state("IT", "Milano (MI)"), "MI");
    EXPECT_EQ(state("IT", "Monza e della Brianza"), "MB");
    EXPECT_EQ(state("IT", "Reggio nell'Emilia"), "RE");
    EXPECT_EQ(state("IT", "Valle d'Aosta"), "AO");
    EXPECT_EQ(state("IT", "Lombardia"), "<none>");  // a region of twelve provinces
    // ES: provinces in Spanish or the local language, or by code.
    EXPECT_EQ(state("ES", "Madrid"), "M");
    EXPECT_EQ(state("ES", "Barcelona"), "B");
    EXPECT_EQ(state("ES", "València"), "V");
    EXPECT_EQ(state("ES", "Valencia"), "V");
    EXPECT_EQ(state("ES", "Sevilla (SE)"), "SE");
    EXPECT_EQ(state("ES", "Vizcaya"), "BI");
    EXPECT_EQ(state("ES", "Las Palmas de Gran Canaria"), "GC");
    EXPECT_EQ(state("ES", "Cataluña"), "<none>");  // a region of four provinces
    // FR: Odoo has no French states, so there is nothing to match.
    EXPECT_FALSE(has_state_table("FR"));
    EXPECT_EQ(state("FR", "Île-de-France"), "<none>");
}

TEST(AddressState, LatviaMunicipalitiesAndCities) {
    // Odoo's res.country.state for LV: the 110 novads (LV-001..LV-110) and 9 state cities.
    EXPECT_EQ(state("LV", "Aglonas novads"), "LV-001");
    EXPECT_EQ(state("LV", "Zilupes novads"), "LV-110");
    EXPECT_EQ(state("LV", "Ādažu novads"), "LV-011");
    EXPECT_EQ(state("LV", "Adazu novads"), "LV-011");  // typed without diacritics
    EXPECT_EQ(state("LV", "ĶEKAVAS NOVADS"), "LV-052");
    EXPECT_EQ(state("LV", "Ogres nov."), "LV-067");
    EXPECT_EQ(state("LV", "Ogre"), "LV-067");  // unambiguous prefix
    EXPECT_EQ(state("LV", "LV-062"), "LV-062");
    EXPECT_EQ(find_state("LV", "lv-062")->name, "Mārupes novads");
    // A city and the municipality named after it are different records.
    EXPECT_EQ(state("LV", "Daugavpils"), "LV-DGV");
    EXPECT_EQ(state("LV", "Daugavpils novads"), "LV-025");
    EXPECT_EQ(state("LV", "Ventspils"), "LV-VEN");
    EXPECT_EQ(state("LV", "Ventspils nov"), "LV-106");
    EXPECT_EQ(state("LV", "Rīga"), "LV-RIX");
    EXPECT_EQ(state("LV", "Riga"), "LV-RIX");
    EXPECT_EQ(state("LV", "Priekules novads"), "LV-074");
    EXPECT_EQ(state("LV", "Priekuļu novads"), "LV-075");
    EXPECT_EQ(state("LV", "Priekul"), "<none>");  // Priekules or Priekuļu: not guessed
    EXPECT_EQ(state("LV", "Salas"), "<none>");    // Salas novads or Salaspils novads
    EXPECT_EQ(state("LV", "Vidzeme"), "<none>");  // a region, not an Odoo state
}

TEST(AddressCountry, IsoCodesNamesAndUk) {
    EXPECT_EQ(normalize_country_code("us"), "US");
    EXPECT_EQ(normalize_country_code(" USA "), "US");
    EXPECT_EQ(normalize_country_code("Deutschland"), "DE");
    EXPECT_EQ(normalize_country_code("UK"), "GB");
    EXPECT_EQ(normalize_country_code("España"), "ES");
    EXPECT_FALSE(normalize_country_code("Narnia"));
    EXPECT_FALSE(normalize_country_code(""));
}

TEST(AddressPostal, CountryFormats) {
    EXPECT_EQ(normalize_postal_code("US", "98121-2778"), "98121-2778");
    EXPECT_EQ(normalize_postal_code("US", "981212778"), "98121-2778");
    EXPECT_EQ(normalize_postal_code("US", " 98101"), "98101");
    EXPECT_EQ(normalize_postal_code("CA", "k1a0b1"), "K1A 0B1");
    EXPECT_EQ(normalize_postal_code("GB", "sw1a1aa"), "SW1A 1AA");
    EXPECT_EQ(normalize_postal_code("JP", "1500002"), "150-0002");
    EXPECT_EQ(normalize_postal_code("JP", "150-0002"), "150-0002");
    EXPECT_EQ(normalize_postal_code("BR", "01234567"), "01234-567");
    EXPECT_EQ(normalize_postal_code("NL", "1234ab"), "1234 AB");
    EXPECT_EQ(normalize_postal_code("DE", "10115"), "10115");
    EXPECT_EQ(normalize_postal_code("TR", "34430"), "34430");
    EXPECT_EQ(normalize_postal_code("XX", " ab  12 "), "AB 12");
    std::string problem;
    EXPECT_FALSE(normalize_postal_code("US", "9812", &problem));
    EXPECT_EQ(problem, "postal code '9812' does not match the US format (12345 or 12345-6789)");
    EXPECT_FALSE(normalize_postal_code("DE", "1011", &problem));
    EXPECT_EQ(problem, "postal code '1011' does not match the DE format (5 digits)");
}

TEST(AddressPhone, E164LikeWithExtensionDropped) {
    EXPECT_EQ(normalize_phone("US", "+1 480-386-0930 ext. 73824"), "+14803860930");
    EXPECT_EQ(normalize_phone("US", "(206) 555-0100"), "+12065550100");
    EXPECT_EQ(normalize_phone("BR", "+55 11 98765-4321"), "+5511987654321");
    EXPECT_EQ(normalize_phone("DE", "030 1234567"), "+49301234567");
    EXPECT_EQ(normalize_phone("IT", "06 1234 5678"), "+390612345678");
    EXPECT_EQ(normalize_phone("GB", "0044 20 7946 0000"), "+442079460000");
    EXPECT_EQ(normalize_phone("", "12345678"), "12345678");
    EXPECT_FALSE(normalize_phone("US", "555"));
}

TEST(AddressNormalize, KeepsOriginalsAndReportsProblems) {
    model::Address a;
    a.country_code = "us";
    a.state_or_region = "Calif.";
    a.postal_code = "941051234";
    a.phone = "415.555.0100";
    normalize_address(a);
    EXPECT_EQ(a.state_or_region, "Calif.");
    EXPECT_EQ(a.postal_code, "941051234");
    EXPECT_EQ(a.normalized.country_code, "US");
    EXPECT_EQ(a.normalized.state_code, "CA");
    EXPECT_EQ(a.normalized.postal_code, "94105-1234");
    EXPECT_EQ(a.normalized.phone, "+14155550100");
    EXPECT_TRUE(a.normalized.problems.empty());

    model::Address b;
    b.country_code = "US";
    b.state_or_region = "Nowhere";
    b.postal_code = "12";
    b.phone = "12";
    normalize_address(b);
    EXPECT_TRUE(b.normalized.state_code.empty());
    ASSERT_EQ(b.normalized.problems.size(), 3u);
    EXPECT_EQ(b.normalized.problems[0], "state 'Nowhere' not found for country US");
    EXPECT_EQ(b.normalized.problems[2], "phone '12' has fewer than 6 digits");

    model::Address c;
    c.country_code = "Narnia";
    c.state_or_region = "X";
    normalize_address(c);
    EXPECT_EQ(c.normalized.problems.at(0), "country 'Narnia' is not an ISO 3166-1 code");

    model::Address d;
    d.country_code = "TR";
    d.state_or_region = "Istanbul";
    normalize_address(d);
    EXPECT_EQ(d.normalized.problems.at(0),
              "no state table for country TR; state 'Istanbul' kept as text only");
}

}  // namespace
}  // namespace clarity::mapping
