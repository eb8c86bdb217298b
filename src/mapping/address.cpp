#include "clarity/mapping/address.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <mutex>
#include <vector>

#include "address_data.hpp"

namespace clarity::mapping {

namespace {

char fold_code_point(char32_t cp) {
    // U+00C0..U+00FF (Latin-1 letters), lower-cased and stripped of accents.
    static constexpr std::string_view kLatin1 =
        "aaaaaaaceeeeiiiidnooooo*ouuuuytsaaaaaaaceeeeiiiidnooooo*ouuuuyty";
    if (cp >= 0xC0 && cp <= 0xFF) return kLatin1[cp - 0xC0];
    if (cp >= 0x100 && cp <= 0x17F) {
        // Latin Extended-A in runs of the same base letter.
        struct Run {
            char32_t last;
            char base;
        };
        static constexpr std::array<Run, 20> kRuns{{
            {0x105, 'a'}, {0x10D, 'c'}, {0x111, 'd'}, {0x11B, 'e'}, {0x123, 'g'},
            {0x127, 'h'}, {0x133, 'i'}, {0x135, 'j'}, {0x138, 'k'}, {0x142, 'l'},
            {0x14B, 'n'}, {0x153, 'o'}, {0x159, 'r'}, {0x161, 's'}, {0x167, 't'},
            {0x173, 'u'}, {0x175, 'w'}, {0x178, 'y'}, {0x17E, 'z'}, {0x17F, 's'},
        }};
        for (const auto& r : kRuns) {
            if (cp <= r.last) return r.base;
        }
    }
    if (cp == 0x218 || cp == 0x219) return 's';  // Romanian ș
    if (cp == 0x21A || cp == 0x21B) return 't';  // Romanian ț
    return 0;
}

/// Case-, accent- and punctuation-insensitive key: "São Paulo" → "sao paulo", "N.Y." → "ny",
/// "Baden-Württemberg" → "baden wurttemberg". Non-Latin text (kanji) is kept byte for byte.
std::string fold(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool space = false;
    auto put = [&](char c) {
        if (c == ' ') {
            space = !out.empty();
            return;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    };
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            if (c == '.' || c == '\'') continue;
            if (std::isalnum(c)) {
                put(static_cast<char>(std::tolower(c)));
            } else {
                put(' ');
            }
            continue;
        }
        std::size_t len = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : (c >= 0xC0) ? 2 : 1;
        if (i + len > s.size()) len = s.size() - i;
        char32_t cp = 0;
        if (len == 2) cp = ((c & 0x1F) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3F);
        const char folded = len == 2 ? fold_code_point(cp) : 0;
        if (folded != 0) {
            put(folded);
        } else {
            if (space) out += ' ';
            space = false;
            out.append(s.substr(i, len));
        }
        i += len;
    }
    return out;
}

struct State {
    std::string code;
    std::string name;
    std::string folded_code;
    std::string folded_short_code;  // without the "de " prefix of "DE-BY"
    std::vector<std::string> keys;  // folded name and aliases
};

struct Country {
    std::string code;
    std::vector<State> states;
};

const std::vector<Country>& countries() {
    static const std::vector<Country> kCountries = [] {
        std::vector<Country> out;
        for (const auto& table : detail::state_tables()) {
            Country c;
            c.code = std::string(table.country);
            const std::string prefix = fold(table.country) + " ";
            std::string_view rest = table.entries;
            while (!rest.empty()) {
                const auto semi = rest.find(';');
                std::string_view entry = rest.substr(0, semi);
                rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
                const auto eq = entry.find('=');
                State st;
                st.code = std::string(entry.substr(0, eq));
                st.folded_code = fold(st.code);
                st.folded_short_code = st.folded_code.starts_with(prefix)
                                           ? st.folded_code.substr(prefix.size())
                                           : st.folded_code;
                std::string_view names = entry.substr(eq + 1);
                bool first = true;
                while (!names.empty()) {
                    const auto bar = names.find('|');
                    std::string_view n = names.substr(0, bar);
                    if (first) st.name = std::string(n);
                    first = false;
                    st.keys.push_back(fold(n));
                    names =
                        bar == std::string_view::npos ? std::string_view{} : names.substr(bar + 1);
                }
                c.states.push_back(std::move(st));
            }
            out.push_back(std::move(c));
        }
        return out;
    }();
    return kCountries;
}

const Country* country_table(std::string_view code) {
    for (const auto& c : countries()) {
        if (c.code == code) return &c;
    }
    return nullptr;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

std::optional<StateMatch> match(const Country& c, const std::string& key) {
    for (const auto& st : c.states) {
        if (key == st.folded_code || key == st.folded_short_code)
            return StateMatch{st.code, st.name};
    }
    for (const auto& st : c.states) {
        for (const auto& k : st.keys) {
            if (key == k) return StateMatch{st.code, st.name};
        }
    }
    return std::nullopt;
}

bool ends_with_word(const std::string& s, std::string_view word, std::string& stripped) {
    if (s.size() > word.size() + 1 && s.ends_with(word) && s[s.size() - word.size() - 1] == ' ') {
        stripped = s.substr(0, s.size() - word.size() - 1);
        return true;
    }
    return false;
}

}  // namespace

bool has_state_table(std::string_view country_code) noexcept {
    try {
        return country_table(country_code) != nullptr;
    } catch (...) {
        return false;
    }
}

std::optional<StateMatch> find_state(std::string_view country_code, std::string_view text) {
    const Country* c = country_table(country_code);
    if (c == nullptr || c->states.empty()) return std::nullopt;
    // "Milano (MI)", "Sevilla (SE)": the name, else the code in parentheses.
    if (const auto open = text.find('('); open != std::string_view::npos && open > 0) {
        const auto close = text.find(')', open);
        if (close != std::string_view::npos) {
            if (auto m = find_state(country_code, text.substr(0, open))) return m;
            return find_state(country_code, text.substr(open + 1, close - open - 1));
        }
    }
    std::string key = fold(text);
    if (key.empty()) return std::nullopt;
    const std::string prefix = fold(country_code) + " ";
    if (key.starts_with(prefix) && key.size() > prefix.size()) {
        if (auto m = match(*c, key.substr(prefix.size()))) return m;
    }
    if (auto m = match(*c, key)) return m;
    // "County Cork", "Co. Dublin" (GB and IE addresses).
    for (std::string_view prefix : {"county ", "co "}) {
        if (key.starts_with(prefix) && key.size() > prefix.size()) {
            if (auto m = match(*c, key.substr(prefix.size()))) return m;
        }
    }
    // Dublin postal districts: "Dublin 8", "Dublin 6W", "Co. Dublin 15".
    if (country_code == "IE") {
        if (const auto space = key.rfind(' ');
            space != std::string::npos && space > 0 &&
            std::isdigit(static_cast<unsigned char>(key[space + 1]))) {
            return find_state(country_code, key.substr(0, space));
        }
    }
    // Latvian "nov." is the usual abbreviation of "novads" (municipality): "Ogres nov.".
    if (std::string expanded; ends_with_word(key, "nov", expanded)) {
        if (auto m = match(*c, expanded + " novads")) return m;
    }
    // Administrative suffixes buyers add: "Tokyo-to", "Osaka fu", "Aichi Prefecture",
    // "Texas State", "Ontario Province".
    for (std::string_view suffix : {"ken", "to", "fu", "prefecture", "state", "province"}) {
        std::string stripped;
        if (ends_with_word(key, suffix, stripped)) {
            if (auto m = match(*c, stripped)) return m;
        }
    }
    // An unambiguous prefix of a name ("calif" → California, "penn" → Pennsylvania).
    if (key.size() >= 4) {
        const StateMatch* found = nullptr;
        StateMatch candidate;
        int hits = 0;
        for (const auto& st : c->states) {
            for (const auto& k : st.keys) {
                if (k.size() > key.size() && k.starts_with(key)) {
                    if (hits == 0 || candidate.code != st.code) ++hits;
                    candidate = StateMatch{st.code, st.name};
                    found = &candidate;
                    break;
                }
            }
        }
        if (hits == 1 && found != nullptr) return *found;
    }
    return std::nullopt;
}

std::optional<std::string> normalize_country_code(std::string_view text) {
    const std::string t = trim(text);
    const std::string u = upper(t);
    if (u == "UK") return std::string("GB");
    if (u.size() == 2 && std::isalpha(static_cast<unsigned char>(u[0])) &&
        std::isalpha(static_cast<unsigned char>(u[1]))) {
        return u;
    }
    static const std::map<std::string, std::string> kNames = {
        {"usa", "US"},
        {"united states", "US"},
        {"united states of america", "US"},
        {"can", "CA"},
        {"canada", "CA"},
        {"aus", "AU"},
        {"australia", "AU"},
        {"ind", "IN"},
        {"india", "IN"},
        {"mex", "MX"},
        {"mexico", "MX"},
        {"bra", "BR"},
        {"brazil", "BR"},
        {"brasil", "BR"},
        {"jpn", "JP"},
        {"japan", "JP"},
        {"deu", "DE"},
        {"germany", "DE"},
        {"deutschland", "DE"},
        {"fra", "FR"},
        {"france", "FR"},
        {"ita", "IT"},
        {"italy", "IT"},
        {"italia", "IT"},
        {"esp", "ES"},
        {"spain", "ES"},
        {"espana", "ES"},
        {"gbr", "GB"},
        {"united kingdom", "GB"},
        {"great britain", "GB"},
        {"nld", "NL"},
        {"netherlands", "NL"},
        {"nederland", "NL"},
        {"bel", "BE"},
        {"belgium", "BE"},
        {"pol", "PL"},
        {"poland", "PL"},
        {"polska", "PL"},
        {"swe", "SE"},
        {"sweden", "SE"},
        {"sverige", "SE"},
        {"irl", "IE"},
        {"ireland", "IE"},
        {"prt", "PT"},
        {"portugal", "PT"},
        {"aut", "AT"},
        {"austria", "AT"},
        {"osterreich", "AT"},
        {"tur", "TR"},
        {"turkey", "TR"},
        {"turkiye", "TR"},
    };
    if (auto it = kNames.find(fold(t)); it != kNames.end()) return it->second;
    return std::nullopt;
}

std::optional<std::string> normalize_postal_code(std::string_view country,
                                                 std::string_view text,
                                                 std::string* problem) {
    std::string alnum;
    for (char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            alnum += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
    }
    const bool digits = std::all_of(alnum.begin(), alnum.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
    auto fail = [&](std::string_view expected) -> std::optional<std::string> {
        if (problem != nullptr) {
            *problem = "postal code '" + std::string(text) + "' does not match the " +
                       std::string(country) + " format (" + std::string(expected) + ")";
        }
        return std::nullopt;
    };
    if (alnum.empty()) return fail("empty");
    if (country == "US") {
        if (digits && alnum.size() == 5) return alnum;
        if (digits && alnum.size() == 9) return alnum.substr(0, 5) + "-" + alnum.substr(5);
        return fail("12345 or 12345-6789");
    }
    if (country == "CA") {
        if (alnum.size() == 6) return alnum.substr(0, 3) + " " + alnum.substr(3);
        return fail("A1A 1A1");
    }
    if (country == "GB") {
        if (alnum.size() >= 5 && alnum.size() <= 7) {
            return alnum.substr(0, alnum.size() - 3) + " " + alnum.substr(alnum.size() - 3);
        }
        return fail("SW1A 1AA");
    }
    if (country == "JP") {
        if (digits && alnum.size() == 7) return alnum.substr(0, 3) + "-" + alnum.substr(3);
        return fail("123-4567");
    }
    if (country == "BR") {
        if (digits && alnum.size() == 8) return alnum.substr(0, 5) + "-" + alnum.substr(5);
        return fail("12345-678");
    }
    if (country == "NL") {
        if (alnum.size() == 6) return alnum.substr(0, 4) + " " + alnum.substr(4);
        return fail("1234 AB");
    }
    if (country == "PT") {
        if (digits && alnum.size() == 7) return alnum.substr(0, 4) + "-" + alnum.substr(4);
        return fail("1234-567");
    }
    if (country == "PL") {
        if (digits && alnum.size() == 5) return alnum.substr(0, 2) + "-" + alnum.substr(2);
        return fail("12-345");
    }
    struct DigitsOnly {
        std::string_view country;
        std::size_t length;
    };
    static constexpr std::array<DigitsOnly, 14> kDigits{{
        {"DE", 5},
        {"FR", 5},
        {"IT", 5},
        {"ES", 5},
        {"MX", 5},
        {"TR", 5},
        {"SE", 5},
        {"FI", 5},
        {"EE", 5},
        {"IN", 6},
        {"RO", 6},
        {"AU", 4},
        {"BE", 4},
        {"AT", 4},
    }};
    for (const auto& d : kDigits) {
        if (d.country == country) {
            if (digits && alnum.size() == d.length) return alnum;
            return fail(std::to_string(d.length) + " digits");
        }
    }
    // Unknown format: trimmed, upper case, single spaces.
    std::string out;
    for (char c : trim(text)) {
        if (c == ' ' && !out.empty() && out.back() == ' ') continue;
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

std::optional<std::string> normalize_phone(std::string_view country, std::string_view text) {
    std::string t(text);
    // Drop an extension: "ext. 73824", "ext 1", "x123", "#12".
    for (std::string_view marker : {"ext", "EXT", "Ext", "x", "X", "#"}) {
        const auto pos = t.find(marker);
        if (pos != std::string::npos && pos > 0) {
            const auto digits_before =
                std::count_if(t.begin(), t.begin() + static_cast<long>(pos),
                              [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
            if (digits_before >= 6) t.erase(pos);
        }
    }
    const std::string s = trim(t);
    const bool plus = !s.empty() && s[0] == '+';
    std::string digits;
    for (char c : s) {
        if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    }
    if (digits.size() < 6) return std::nullopt;
    if (plus) return "+" + digits;
    if (digits.starts_with("00")) return "+" + digits.substr(2);
    struct Calling {
        std::string_view country;
        std::string_view code;
        bool trunk_zero;
    };
    static constexpr std::array<Calling, 32> kCalling{{
        {"US", "1", false},  {"CA", "1", false},   {"MX", "52", false}, {"BR", "55", true},
        {"GB", "44", true},  {"DE", "49", true},   {"FR", "33", true},  {"IT", "39", false},
        {"ES", "34", false}, {"NL", "31", true},   {"BE", "32", true},  {"AT", "43", true},
        {"PL", "48", false}, {"SE", "46", true},   {"IE", "353", true}, {"PT", "351", false},
        {"JP", "81", true},  {"IN", "91", true},   {"AU", "61", true},  {"TR", "90", true},
        {"FI", "358", true}, {"DK", "45", false},  {"RO", "40", true},  {"EE", "372", false},
        {"LT", "370", true}, {"LV", "371", false}, {"CH", "41", true},  {"SG", "65", false},
        {"AE", "971", true}, {"SA", "966", true},  {"ZA", "27", true},  {"CZ", "420", false},
    }};
    for (const auto& c : kCalling) {
        if (c.country != country) continue;
        if (c.code == "1") {
            if (digits.size() == 11 && digits[0] == '1') return "+" + digits;
            if (digits.size() == 10) return "+1" + digits;
            return digits;
        }
        std::string national = digits;
        if (c.trunk_zero && national.starts_with("0")) national.erase(0, 1);
        return "+" + std::string(c.code) + national;
    }
    return digits;
}

void normalize_address(model::Address& a) {
    auto& n = a.normalized;
    n = {};
    if (auto cc = normalize_country_code(a.country_code)) {
        n.country_code = *cc;
    } else {
        n.problems.push_back("country '" + a.country_code + "' is not an ISO 3166-1 code");
    }
    if (!a.state_or_region.empty() && !n.country_code.empty()) {
        if (!has_state_table(n.country_code)) {
            n.problems.push_back("no state table for country " + n.country_code + "; state '" +
                                 a.state_or_region + "' kept as text only");
        } else if (auto st = find_state(n.country_code, a.state_or_region)) {
            n.state_code = st->code;
        } else {
            n.problems.push_back("state '" + a.state_or_region + "' not found for country " +
                                 n.country_code);
        }
    }
    if (!a.postal_code.empty()) {
        std::string problem;
        if (auto pc = normalize_postal_code(n.country_code, a.postal_code, &problem)) {
            n.postal_code = *pc;
        } else {
            n.problems.push_back(problem);
        }
    }
    if (!a.phone.empty()) {
        if (auto ph = normalize_phone(n.country_code, a.phone)) {
            n.phone = *ph;
        } else {
            n.problems.push_back("phone '" + a.phone + "' has fewer than 6 digits");
        }
    }
}

}  // namespace clarity::mapping
