#include "clarity/amazon/settlement_report.hpp"

#include "clarity/core/file_read.hpp"
#include "clarity/core/gzip.hpp"
#include "clarity/model/hot_path.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <array>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <utility>

namespace clarity::amazon {

namespace {

using model::Decimal;

// Column names of the V2 flat file (../shared/reference/sp-api/NOTES.md §8); promotion-id is the
// 24th column some files carry.
enum Col : int {
    c_settlement_id,
    c_start,
    c_end,
    c_deposit,
    c_total,
    c_currency,
    c_transaction_type,
    c_order_id,
    c_merchant_order_id,
    c_adjustment_id,
    c_shipment_id,
    c_marketplace_name,
    c_amount_type,
    c_amount_description,
    c_amount,
    c_fulfillment_id,
    c_posted_date,
    c_posted_date_time,
    c_order_item_code,
    c_merchant_order_item_id,
    c_merchant_adjustment_item_id,
    c_sku,
    c_quantity,
    c_promotion_id,
    c_count
};

constexpr std::array<std::string_view, c_count> kColumnNames{
    "settlement-id",
    "settlement-start-date",
    "settlement-end-date",
    "deposit-date",
    "total-amount",
    "currency",
    "transaction-type",
    "order-id",
    "merchant-order-id",
    "adjustment-id",
    "shipment-id",
    "marketplace-name",
    "amount-type",
    "amount-description",
    "amount",
    "fulfillment-id",
    "posted-date",
    "posted-date-time",
    "order-item-code",
    "merchant-order-item-id",
    "merchant-adjustment-item-id",
    "sku",
    "quantity-purchased",
    "promotion-id",
};

constexpr std::array<Col, 10> kRequired{c_settlement_id,
                                        c_start,
                                        c_end,
                                        c_deposit,
                                        c_total,
                                        c_currency,
                                        c_transaction_type,
                                        c_amount_type,
                                        c_amount_description,
                                        c_amount};

// Consecutive rows repeat most values (same order, type, marketplace): skip unchanged copies.
inline void set(std::string& dst, std::string_view value) {
    if (dst.size() != value.size() ||
        (!value.empty() && std::memcmp(dst.data(), value.data(), value.size()) != 0)) {
        dst.assign(value.data(), value.size());
    }
}

using model::hot::add_exact;
using model::hot::hash_text;
using model::hot::load8;
using model::hot::load_short;
using model::hot::same_text;

// Only tabs and spaces (or nothing).
inline bool is_blank(std::string_view s) {
    for (const char c : s) {
        if (c != '\t' && c != ' ') return false;
    }
    return true;
}

[[gnu::always_inline]] inline bool is_trimmed(char c) { return c == ' ' || c == '\r' || c == '"'; }

// is_trimmed() as a table, for the row splitter.
constexpr std::array<std::uint8_t, 256> kTrimByte = [] {
    std::array<std::uint8_t, 256> t{};
    t[static_cast<unsigned char>(' ')] = 1;
    t[static_cast<unsigned char>('\r')] = 1;
    t[static_cast<unsigned char>('"')] = 1;
    return t;
}();

bool ends_with_ci(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && model::iequals(s.substr(s.size() - suffix.size()), suffix);
}

[[gnu::always_inline]] inline std::string_view trim(std::string_view s) {
    if (s.empty() || (!is_trimmed(s.front()) && !is_trimmed(s.back()))) return s;
    while (!s.empty() && (s.front() == ' ' || s.front() == '\r' || s.front() == '"')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '"')) {
        s.remove_suffix(1);
    }
    return s;
}

bool read_int(std::string_view s, int& out) {
    if (s.empty()) return false;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    const auto* end = s.data() + s.size();
    return std::from_chars(s.data(), end, out).ptr == end;
}

// Parses "HH:MM[:SS[.fff]]" at the start of s; returns the consumed length or 0.
std::size_t read_time(std::string_view s, int& h, int& m, int& sec) {
    if (s.size() < 5 || s[2] != ':') return 0;
    if (!read_int(s.substr(0, 2), h) || !read_int(s.substr(3, 2), m)) return 0;
    std::size_t n = 5;
    sec = 0;
    if (s.size() >= 8 && s[5] == ':') {
        if (!read_int(s.substr(6, 2), sec)) return 0;
        n = 8;
        if (n < s.size() && s[n] == '.') {
            ++n;
            while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
        }
    }
    if (h > 23 || m > 59 || sec > 60) return 0;
    return n;
}

// Parses the zone after a time: "", "Z", " UTC", " GMT", "+00:00", "-0800", " +01:00".
// Returns the offset east of UTC in seconds.
std::optional<long> read_zone(std::string_view s) {
    s = trim(s);
    if (s.empty() || s == "Z" || model::iequals(s, "UTC") || model::iequals(s, "GMT")) return 0L;
    if (s.front() != '+' && s.front() != '-') return std::nullopt;
    const long sign = s.front() == '-' ? -1 : 1;
    s.remove_prefix(1);
    int hh = 0;
    int mm = 0;
    if (s.size() == 5 && s[2] == ':') {
        if (!read_int(s.substr(0, 2), hh) || !read_int(s.substr(3, 2), mm)) return std::nullopt;
    } else if (s.size() == 4) {
        if (!read_int(s.substr(0, 2), hh) || !read_int(s.substr(2, 2), mm)) return std::nullopt;
    } else if (s.size() == 2) {
        if (!read_int(s, hh)) return std::nullopt;
    } else {
        return std::nullopt;
    }
    if (hh > 14 || mm > 59) return std::nullopt;
    return sign * (hh * 3600L + mm * 60L);
}

void put2(std::string& out, unsigned v) {
    out.push_back(static_cast<char>('0' + (v / 10) % 10));
    out.push_back(static_cast<char>('0' + v % 10));
}

std::optional<std::string> format_utc(int y, int mo, int d, int h, int mi, int s, long offset) {
    using namespace std::chrono;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                             day{static_cast<unsigned>(d)}};
    if (y < 1970 || y > 9999 || !ymd.ok()) return std::nullopt;
    const auto tp = sys_days{ymd} + hours{h} + minutes{mi} + seconds{s} - seconds{offset};
    const auto dp = floor<days>(tp);
    const year_month_day out_ymd{dp};
    const hh_mm_ss<seconds> tod{tp - dp};
    std::string out;
    out.reserve(20);
    const int oy = static_cast<int>(out_ymd.year());
    put2(out, static_cast<unsigned>(oy / 100));
    put2(out, static_cast<unsigned>(oy % 100));
    out.push_back('-');
    put2(out, static_cast<unsigned>(out_ymd.month()));
    out.push_back('-');
    put2(out, static_cast<unsigned>(out_ymd.day()));
    out.push_back('T');
    put2(out, static_cast<unsigned>(tod.hours().count()));
    out.push_back(':');
    put2(out, static_cast<unsigned>(tod.minutes().count()));
    out.push_back(':');
    put2(out, static_cast<unsigned>(tod.seconds().count()));
    out.push_back('Z');
    return out;
}

int expand_year(int y, std::size_t digits) { return digits == 2 ? 2000 + y : y; }

SlashDateOrder slash_order_for(std::string_view marketplace, SlashDateOrder configured) {
    if (configured != SlashDateOrder::automatic) return configured;
    if (auto locale = marketplace_locale(marketplace)) return locale->slash_dates;
    return SlashDateOrder::month_first;
}

}  // namespace

std::optional<MarketplaceLocale> marketplace_locale(std::string_view name_or_id) noexcept {
    struct Entry {
        std::string_view suffix;
        std::string_view id;
        DecimalStyle decimal;
        SlashDateOrder slash;
    };
    using D = DecimalStyle;
    using S = SlashDateOrder;
    static constexpr std::array<Entry, 22> kTable{{
        {"amazon.com", "ATVPDKIKX0DER", D::point, S::month_first},
        {"amazon.ca", "A2EUQ1WTGCTBG2", D::point, S::month_first},
        {"amazon.com.mx", "A1AM78C64UM0Y8", D::point, S::day_first},
        {"amazon.com.br", "A2Q3Y263D00KWC", D::comma, S::day_first},
        {"amazon.co.uk", "A1F83G8C2ARO7P", D::point, S::day_first},
        {"amazon.ie", "A28R8C7NBKEWEA", D::point, S::day_first},
        {"amazon.de", "A1PA6795UKMFR9", D::comma, S::day_first},
        {"amazon.fr", "A13V1IB3VIYZZH", D::comma, S::day_first},
        {"amazon.it", "APJ6JRA9NG5V4", D::comma, S::day_first},
        {"amazon.es", "A1RKKUPIHCS9HS", D::comma, S::day_first},
        {"amazon.nl", "A1805IZSGTT6HS", D::comma, S::day_first},
        {"amazon.com.be", "AMEN7PMS3EDWL", D::comma, S::day_first},
        {"amazon.se", "A2NODRKZP88ZB9", D::comma, S::day_first},
        {"amazon.pl", "A1C3SOZRARQ6R3", D::comma, S::day_first},
        {"amazon.com.tr", "A33AVAJ2PDY3EV", D::comma, S::day_first},
        {"amazon.co.za", "AE08WJ6YKNBMC", D::point, S::day_first},
        {"amazon.eg", "ARBP9OOSHTCHU", D::point, S::day_first},
        {"amazon.sa", "A17E79C6D8DWNP", D::point, S::day_first},
        {"amazon.ae", "A2VIGQ35RCS4UG", D::point, S::day_first},
        {"amazon.in", "A21TJRUUN4KGV", D::point, S::day_first},
        {"amazon.co.jp", "A1VC38T7YXB528", D::point, S::month_first},
        {"amazon.com.au", "A39IBJ37TRP1C6", D::point, S::day_first},
    }};
    name_or_id = trim(name_or_id);
    if (name_or_id.empty()) return std::nullopt;
    // Longest suffix first matters only for amazon.com vs amazon.com.xx; compare whole names.
    for (const auto& e : kTable) {
        if (model::iequals(name_or_id, e.suffix) || name_or_id == e.id ||
            (name_or_id.size() > e.suffix.size() && ends_with_ci(name_or_id, e.suffix) &&
             name_or_id[name_or_id.size() - e.suffix.size() - 1] == '.')) {
            return MarketplaceLocale{e.decimal, e.slash};
        }
    }
    if (model::iequals(name_or_id, "A19VAU5U5O7RUS") || model::iequals(name_or_id, "amazon.sg")) {
        return MarketplaceLocale{D::point, S::day_first};
    }
    return std::nullopt;
}

std::optional<std::string> normalize_settlement_date(std::string_view text,
                                                     SlashDateOrder order) noexcept {
    text = trim(text);
    int y = 0;
    int mo = 0;
    int d = 0;
    std::size_t pos = 0;
    if (text.size() >= 10 && text[4] == '-' && text[7] == '-') {
        if (!read_int(text.substr(0, 4), y) || !read_int(text.substr(5, 2), mo) ||
            !read_int(text.substr(8, 2), d)) {
            return std::nullopt;
        }
        pos = 10;
    } else {
        // D.M.Y or M/D/Y (or D/M/Y): split on the separator, 1-2 digit fields, 2 or 4 digit year.
        const char sep = text.find('.') < text.find('/') ? '.' : '/';
        const auto p1 = text.find(sep);
        if (p1 == std::string_view::npos) return std::nullopt;
        const auto p2 = text.find(sep, p1 + 1);
        if (p2 == std::string_view::npos) return std::nullopt;
        auto p3 = text.find_first_of(" T", p2 + 1);
        if (p3 == std::string_view::npos) p3 = text.size();
        int a = 0;
        int b = 0;
        const auto ys = text.substr(p2 + 1, p3 - p2 - 1);
        if (p1 < 1 || p1 > 2 || p2 - p1 - 1 < 1 || p2 - p1 - 1 > 2 ||
            (ys.size() != 2 && ys.size() != 4) || !read_int(text.substr(0, p1), a) ||
            !read_int(text.substr(p1 + 1, p2 - p1 - 1), b) || !read_int(ys, y)) {
            return std::nullopt;
        }
        y = expand_year(y, ys.size());
        if (sep == '.' || order == SlashDateOrder::day_first) {
            d = a;
            mo = b;
        } else {
            mo = a;
            d = b;
        }
        pos = p3;
    }
    int h = 0;
    int mi = 0;
    int s = 0;
    std::string_view rest = text.substr(pos);
    if (!rest.empty()) {
        if (rest.front() != ' ' && rest.front() != 'T') return std::nullopt;
        rest.remove_prefix(1);
        const auto n = read_time(rest, h, mi, s);
        if (n == 0) {
            // A date followed only by a zone ("2015-12-02 UTC") is fine too.
            const auto zone = read_zone(rest);
            if (!zone) return std::nullopt;
            return format_utc(y, mo, d, 0, 0, 0, *zone);
        }
        rest.remove_prefix(n);
    }
    const auto zone = read_zone(rest);
    if (!zone) return std::nullopt;
    if (s == 60) s = 59;  // leap second: keep the date valid
    return format_utc(y, mo, d, h, mi, s, *zone);
}

// Gives the parser access to SettlementRowView's storage pointer (declared friend there).
struct SettlementRowViewAccess {
    static void bind(SettlementRowView& view, SettlementRow* storage) noexcept {
        view.storage_ = storage;
    }
};

const SettlementRow& SettlementRowView::row() const {
    // A view made outside the parser has no storage: use a per-thread row instead.
    thread_local SettlementRow fallback;
    SettlementRow& r = storage_ != nullptr ? *storage_ : fallback;
    auto& e = r.event;
    r.line = line;
    e.source = model::FinancialSource::settlement_report;
    set(e.group_id, group_id);
    set(e.transaction_type, transaction_type);
    set(e.order_id, order_id);
    set(e.merchant_order_id, merchant_order_id);
    set(e.adjustment_id, adjustment_id);
    set(e.shipment_id, shipment_id);
    set(e.marketplace_name, marketplace_name);
    set(e.fulfillment_id, fulfillment_id);
    set(e.order_item_code, order_item_code);
    set(e.sku, sku);
    set(e.amount_type, amount_type);
    set(e.amount_description, amount_description);
    e.amount.amount = amount;
    set(e.amount.currency, currency);
    set(e.posted_at, posted_at);
    e.quantity = quantity;
    set(r.promotion_id, promotion_id);
    r.extra_values.resize(extra_values.size());
    for (std::size_t i = 0; i < extra_values.size(); ++i) set(r.extra_values[i], extra_values[i]);
    return r;
}

struct SettlementReportParser::Impl {
    SettlementSink& sink;
    SettlementParseOptions options;
    SettlementParseStats stats;

    std::string carry;  // the incomplete line between feed() calls
    bool skipping_long_line = false;
    bool header_seen = false;
    bool header_ok = false;
    std::array<int, c_count> index{};  // column index per known column, -1 when absent
    std::vector<int> extra_index;      // indexes of unknown columns
    std::size_t column_count = 0;

    DecimalStyle decimal = DecimalStyle::automatic;
    std::string currency;
    std::string settlement_id;
    std::uint64_t summary_line = 0;

    std::vector<std::string_view> fields;  // the header's fields
    // Where split() puts column i's value: straight into the row view's member for the columns
    // it has, else into known[] (known columns, trimmed) or extra_values (unknown columns, as
    // read); src[c] is where known column c's value is (`absent`, always empty, when the header
    // lacks it).
    std::vector<std::string_view*> dest;
    std::vector<std::uint8_t> trim_col;  // per column: 1 = a known column, trimmed
    std::array<std::string_view, c_count> known{};
    std::array<std::string_view*, c_count> src{};
    std::string_view absent;
    std::string_view ignored;            // a known column's second occurrence in the header
    std::vector<std::uint32_t> tab_pos;  // split(): the row's tab offsets
    std::size_t field_count = 0;         // fields in the current row (may exceed column_count)
    std::vector<std::string_view> extra_values;
    SettlementRowView view;
    SettlementRow row;  // view.row()'s storage, reused for every row

    // Normalized dates by (text, slash order): open addressing, emptied when 3/4 full, so rows
    // of up to 48 interleaved posting dates convert each text once. Bounded: kDateSlots short
    // strings.
    struct DateSlot {
        std::string text;
        std::string value;
        SlashDateOrder order = SlashDateOrder::automatic;
        bool slash = false;  // text has a '/'
        bool used = false;
    };
    static constexpr std::size_t kDateSlots = 64;
    static constexpr std::size_t kMaxCachedDate = 64;
    static_assert((kDateSlots & (kDateSlots - 1)) == 0, "a power of two");
    std::array<DateSlot, kDateSlots> dates;
    std::size_t dates_used = 0;
    std::string uncached_date;
    DateSlot* last_date = nullptr;
    // The slash-date reading of the last marketplace-name seen.
    std::string last_marketplace;
    SlashDateOrder last_marketplace_order = SlashDateOrder::month_first;
    bool has_last_marketplace = false;

    Impl(SettlementSink& s, SettlementParseOptions o) : sink(s), options(o), decimal(o.decimal) {
        index.fill(-1);
        SettlementRowViewAccess::bind(view, &row);
    }

    void issue(std::uint64_t line, std::string text) {
        ++stats.issues;
        if (stats.issues <= options.max_reported_issues) {
            sink.on_issue(SettlementIssue{line, std::move(text)});
        }
    }

    std::string_view field(Col c) const { return *src[static_cast<std::size_t>(c)]; }

    // Where split() stores known column c: the row view's member when it has one, else known[c].
    std::string_view* view_member(Col c) {
        switch (c) {
            case c_transaction_type:
                return &view.transaction_type;
            case c_order_id:
                return &view.order_id;
            case c_merchant_order_id:
                return &view.merchant_order_id;
            case c_adjustment_id:
                return &view.adjustment_id;
            case c_shipment_id:
                return &view.shipment_id;
            case c_marketplace_name:
                return &view.marketplace_name;
            case c_fulfillment_id:
                return &view.fulfillment_id;
            case c_order_item_code:
                return &view.order_item_code;
            case c_sku:
                return &view.sku;
            case c_amount_type:
                return &view.amount_type;
            case c_amount_description:
                return &view.amount_description;
            case c_promotion_id:
                return &view.promotion_id;
            default:
                return &known[static_cast<std::size_t>(c)];
        }
    }

    // The header's fields, growing `fields` (rows then use exactly that many slots).
    void split_header(std::string_view line) {
        fields.clear();
        std::size_t start = 0;
        for (std::size_t i = 0; i <= line.size(); ++i) {
            if (i == line.size() || line[i] == '\t') {
                fields.push_back(line.substr(start, i - start));
                start = i + 1;
            }
        }
        field_count = fields.size();
    }

    // Splits a row at tabs: column i's value to *dest[i], trimmed when it is a known column;
    // the values of columns a short row lacks are emptied. field_count counts every field,
    // also past the header's, so the too-many-fields message is exact (nothing is then stored:
    // the row is not read). Two passes: the tab positions, 64 bytes per mask where SSE2 exists
    // (every x86-64; the last partial block by an overlapping load), then the fields, a loop of
    // fixed length per header.
    void split(std::string_view line) {
        const char* const base = line.data();
        const std::size_t n = line.size();
        std::uint32_t* const pos = tab_pos.data();  // column_count + 1 entries
        const std::size_t cols = column_count;
        std::size_t count = 0;  // tabs
        // Records the tabs of `mask` (bit j = byte at + j); past cols tabs only counts them.
        const auto take = [&](std::uint64_t mask, std::size_t at) {
            while (mask != 0) {
                if (count <= cols) {
                    pos[count] = static_cast<std::uint32_t>(
                        at + static_cast<std::size_t>(__builtin_ctzll(mask)));
                }
                ++count;
                mask &= mask - 1;
            }
        };
        std::size_t i = 0;
#if defined(__SSE2__)
        const __m128i tab = _mm_set1_epi8('\t');
        const auto tabs16 = [&](std::size_t at) -> std::uint64_t {
            const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + at));
            return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, tab)));
        };
        const auto tabs64 = [&](std::size_t at) {
            return tabs16(at) | (tabs16(at + 16) << 16) | (tabs16(at + 32) << 32) |
                   (tabs16(at + 48) << 48);
        };
        if (n >= 64) {
            for (; i + 64 <= n; i += 64) take(tabs64(i), i);
            // The last 64 bytes of the line, without the ones the loop has seen.
            if (i < n) take(tabs64(n - 64) >> (i - (n - 64)), i);
        } else if (n >= 16) {
            for (; i + 16 <= n; i += 16) take(tabs16(i), i);
            if (i < n) take(tabs16(n - 16) >> (i - (n - 16)), i);
        }
        i = n >= 16 ? n : 0;
#endif
        for (; i < n; ++i) {
            if (base[i] == '\t') take(1u, i);
        }
        field_count = count + 1;
        if (count >= cols) return;  // more fields than the header: on_line() reports the row
        pos[count] = static_cast<std::uint32_t>(n);  // count < cols
        std::string_view* const* const out = dest.data();
        const std::uint8_t* const trimmed = trim_col.data();
        std::size_t start = 0;
        for (std::size_t k = 0; k <= count; ++k) {
            const std::size_t end = pos[k];
            std::string_view v(base + start, end - start);
            // Only a value starting or ending with a trimmed byte needs trim().
            if (end != start && (kTrimByte[static_cast<unsigned char>(base[start])] |
                                 kTrimByte[static_cast<unsigned char>(base[end - 1])]) != 0)
                [[unlikely]] {
                if (trimmed[k] != 0) v = trim(v);
            }
            *out[k] = v;
            start = end + 1;
        }
        for (std::size_t k = count + 1; k < cols; ++k) *out[k] = std::string_view{};
    }

    std::optional<Decimal> parse_amount(std::string_view text,
                                        std::uint64_t line,
                                        std::string_view column) {
        Decimal value;
        if (!parse_amount_into(text, line, column, value)) return std::nullopt;
        return value;
    }

    // parse_amount() into `out` (left as is when false): no optional returned through memory on
    // the per-row path (its 16-byte reload right after the callee's narrower stores stalls).
    bool parse_amount_into(std::string_view text,
                           std::uint64_t line,
                           std::string_view column,
                           Decimal& out) {
        // The common shape first: [-]digits[sep digits], at most 18 digits, sep the report's
        // decimal separator once known. Anything else (or the first separator of an automatic
        // report) takes the general path below, which also reports.
        {
            const char* p = text.data();
            const char* const end = p + text.size();
            const bool negative = p != end && *p == '-';
            p += negative;
            const char* const first = p;
            std::uint64_t units = 0;
            while (p != end && static_cast<unsigned char>(*p - '0') < 10) {
                units = units * 10 + static_cast<unsigned char>(*p - '0');
                ++p;
            }
            const char* const int_end = p;
            const char sep = decimal == DecimalStyle::comma ? ',' : '.';
            if (p != end && *p == sep && decimal != DecimalStyle::automatic) {
                ++p;
                while (p != end && static_cast<unsigned char>(*p - '0') < 10) {
                    units = units * 10 + static_cast<unsigned char>(*p - '0');
                    ++p;
                }
            }
            const auto digits = (p - first) - (p != int_end);
            const auto scale = static_cast<int>(p - int_end) - (p != int_end);
            if (p == end && digits > 0 && digits <= 18 && scale <= Decimal::kMaxScale) {
                const auto value = static_cast<std::int64_t>(units);
                out = Decimal(negative ? -value : value, scale);
                return true;
            }
        }
        auto value = parse_amount_general(text, line, column);
        if (!value) return false;
        out = *value;
        return true;
    }

    std::optional<Decimal> parse_amount_general(std::string_view text,
                                                std::uint64_t line,
                                                std::string_view column) {
        // One pass: which separators occur, and the value when the text is a plain decimal
        // (sign, digits, at most one separator). Anything else takes Decimal::parse below.
        bool has_comma = false;
        bool has_point = false;
        bool plain = true;
        bool any_digit = false;
        bool after_separator = false;
        int separators = 0;
        int scale = 0;
        std::uint64_t units = 0;
        constexpr std::uint64_t kMaxBeforeDigit =
            (static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) - 9) / 10;
        std::size_t i = 0;
        const bool negative = !text.empty() && text[0] == '-';
        if (!text.empty() && (text[0] == '-' || text[0] == '+')) i = 1;
        for (; i < text.size(); ++i) {
            const char c = text[i];
            if (c >= '0' && c <= '9') {
                if (units > kMaxBeforeDigit) {
                    plain = false;
                } else {
                    units = units * 10 + static_cast<unsigned>(c - '0');
                }
                any_digit = true;
                scale += after_separator;
            } else if (c == ',') {
                has_comma = true;
                after_separator = true;
                ++separators;
            } else if (c == '.') {
                has_point = true;
                after_separator = true;
                ++separators;
            } else {
                plain = false;
            }
        }
        if (decimal == DecimalStyle::automatic && (has_comma != has_point)) {
            decimal = has_comma ? DecimalStyle::comma : DecimalStyle::point;
        }
        // Amazon writes amounts without thousands separators, so the other separator is a sign of
        // a mixed-locale or corrupt file: refuse rather than misread 12,50 as 1250.
        if ((decimal == DecimalStyle::comma && has_point) ||
            (decimal == DecimalStyle::point && has_comma) || (has_comma && has_point)) {
            issue(line, "line " + std::to_string(line) + ": " + std::string(column) + " '" +
                            std::string(text) + "' does not use the report's decimal " +
                            (decimal == DecimalStyle::comma ? "comma" : "point"));
            return std::nullopt;
        }
        // Here the one separator, if any, is the report's decimal separator.
        if (plain && any_digit && separators <= 1 && scale <= Decimal::kMaxScale) {
            const auto value = static_cast<std::int64_t>(units);
            return Decimal(negative ? -value : value, scale);
        }
        auto value = Decimal::parse(text, decimal == DecimalStyle::comma);
        if (!value) {
            issue(line, "line " + std::to_string(line) + ": " + std::string(column) + " '" +
                            std::string(text) + "' is not a number");
        }
        return value;
    }

    SlashDateOrder slash_order(std::string_view marketplace) {
        if (options.slash_dates != SlashDateOrder::automatic) return options.slash_dates;
        if (!has_last_marketplace || marketplace != last_marketplace) {
            last_marketplace.assign(marketplace);
            last_marketplace_order = slash_order_for(marketplace, options.slash_dates);
            has_last_marketplace = true;
        }
        return last_marketplace_order;
    }

    // The normalized date, viewing storage valid until the next call; empty (and reported) when
    // the text is not a date. A plain view, not an optional: returned in registers.
    std::string_view parse_date(std::string_view text,
                                std::uint64_t line,
                                std::string_view column,
                                std::string_view marketplace) {
        // Most rows repeat the previous row's date (the same text has the same slash, so only a
        // slash date's reading order is looked at again).
        if (last_date != nullptr && same_text(last_date->text, text) &&
            (!last_date->slash || last_date->order == slash_order(marketplace))) {
            return last_date->value;
        }
        const bool slash = text.find('/') != std::string_view::npos;
        const auto order = slash ? slash_order(marketplace) : SlashDateOrder::month_first;
        DateSlot* slot = nullptr;
        std::size_t home = 0;
        if (text.size() <= kMaxCachedDate) {
            const auto h = hash_text(text, static_cast<std::uint64_t>(order));
            home = static_cast<std::size_t>(h >> 32) & (kDateSlots - 1);
            for (std::size_t i = home;; i = (i + 1) & (kDateSlots - 1)) {
                slot = &dates[i];
                if (!slot->used) break;  // not cached: the empty slot it goes to
                if (slot->order == order && same_text(slot->text, text)) {
                    last_date = slot;
                    return slot->value;
                }
            }
        }
        auto value = normalize_settlement_date(text, order);
        if (!value) {
            issue(line, "line " + std::to_string(line) + ": " + std::string(column) + " '" +
                            std::string(text) + "' is not a date");
            return {};
        }
        if (slot == nullptr) {
            uncached_date = std::move(*value);
            return uncached_date;
        }
        if (dates_used >= kDateSlots * 3 / 4) {
            // Full enough to make probes long: start over (keeping the strings' capacity).
            for (auto& d : dates) d.used = false;
            dates_used = 0;
            slot = &dates[home];
        }
        ++dates_used;
        slot->text.assign(text);
        slot->value = std::move(*value);
        slot->order = order;
        slot->slash = slash;
        slot->used = true;
        last_date = slot;
        return slot->value;
    }

    void on_header(std::string_view line, std::uint64_t n) {
        header_seen = true;
        if (line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
        split_header(line);
        SettlementHeader header;
        column_count = fields.size();
        for (std::size_t i = 0; i < fields.size(); ++i) {
            const auto name = trim(fields[i]);
            header.columns.emplace_back(name);
            bool known = false;
            for (std::size_t c = 0; c < kColumnNames.size(); ++c) {
                if (model::iequals(name, kColumnNames[c])) {
                    known = true;
                    if (index[c] >= 0) {
                        issue(n, "line " + std::to_string(n) + ": column '" + std::string(name) +
                                     "' appears twice in the header");
                    } else {
                        index[c] = static_cast<int>(i);
                    }
                }
            }
            if (!known) {
                header.extra_columns.emplace_back(name);
                extra_index.push_back(static_cast<int>(i));
            }
        }
        header.has_promotion_id = index[c_promotion_id] >= 0;
        tab_pos.assign(column_count + 1, 0);
        extra_values.resize(extra_index.size());
        trim_col.assign(column_count, 0);
        dest.assign(column_count, &ignored);
        for (std::size_t j = 0; j < extra_index.size(); ++j) {
            dest[static_cast<std::size_t>(extra_index[j])] = &extra_values[j];
        }
        for (std::size_t c = 0; c < index.size(); ++c) {
            src[c] = &absent;
            if (index[c] < 0) continue;
            const auto i = static_cast<std::size_t>(index[c]);
            src[c] = view_member(static_cast<Col>(c));
            dest[i] = src[c];
            trim_col[i] = 1;
        }
        view.extra_values = extra_values;
        std::string missing;
        for (Col c : kRequired) {
            if (index[c] < 0) {
                if (!missing.empty()) missing += ", ";
                missing += kColumnNames[c];
            }
        }
        if (!missing.empty()) {
            bool v1 = false;
            for (const auto& name : header.columns) v1 = v1 || name == "price-type";
            if (v1) {
                issue(n,
                      "line 1: this is a V1 settlement report (it has price-type columns); "
                      "fetch GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2 instead");
            } else {
                issue(n, "line 1: not a V2 settlement report header: missing column(s) " + missing);
            }
            header_ok = false;
        } else {
            header_ok = true;
        }
        sink.on_header(header);
    }

    void on_summary_row(std::uint64_t n) {
        if (stats.has_summary) {
            issue(n, "line " + std::to_string(n) +
                         ": a second summary row (total-amount is set) in one settlement report");
            return;
        }
        stats.has_summary = true;
        summary_line = n;
        model::SettlementSummary summary;
        summary.settlement_id = std::string(field(c_settlement_id));
        if (summary.settlement_id.empty()) {
            issue(n, "line " + std::to_string(n) + ": the summary row has no settlement-id");
        }
        settlement_id = summary.settlement_id;
        currency = std::string(field(c_currency));
        if (currency.empty()) {
            issue(n, "line " + std::to_string(n) + ": the summary row has no currency");
        }
        const std::pair<Col, std::string*> dates[] = {{c_start, &summary.start_at},
                                                      {c_end, &summary.end_at},
                                                      {c_deposit, &summary.deposit_at}};
        for (const auto& [col, out] : dates) {
            const auto text = field(col);
            if (text.empty()) {
                if (col != c_deposit) {
                    issue(n, "line " + std::to_string(n) + ": the summary row has no " +
                                 std::string(kColumnNames[col]));
                }
                continue;
            }
            out->assign(parse_date(text, n, kColumnNames[col], {}));
        }
        if (auto total = parse_amount(field(c_total), n, "total-amount")) {
            summary.total = model::Money{*total, currency};
        } else {
            summary.total = model::Money{Decimal{}, currency};
        }
        stats.rows_total.currency = currency;
        stats.summary = summary;
        sink.on_summary(summary);
    }

    void on_amount_row(std::uint64_t n) {
        const std::size_t before = stats.issues;
        auto& v = view;
        v.line = n;
        const auto sid = field(c_settlement_id);
        if (!stats.has_summary) {
            issue(n, "line " + std::to_string(n) +
                         ": amount row before the summary row (total-amount missing on line 2)");
        } else if (!sid.empty() && !same_text(sid, settlement_id)) {
            issue(n, "line " + std::to_string(n) + ": settlement-id " + std::string(sid) +
                         " differs from the summary's " + settlement_id);
        }
        const auto cur = field(c_currency);
        if (!cur.empty() && stats.has_summary && !same_text(cur, currency)) {
            issue(n, "line " + std::to_string(n) + ": currency " + std::string(cur) +
                         " differs from the summary's " + currency);
        }
        v.group_id = sid.empty() ? std::string_view(settlement_id) : sid;
        // transaction_type … promotion_id: split() stored them in the view.
        if (v.transaction_type.empty() && v.amount_type.empty() && v.amount_description.empty()) {
            issue(n, "line " + std::to_string(n) +
                         ": amount row without transaction-type, amount-type and "
                         "amount-description");
        }
        const auto amount_text = field(c_amount);
        if (amount_text.empty()) {
            issue(n, "line " + std::to_string(n) + ": amount is empty");
        } else {
            parse_amount_into(amount_text, n, "amount", v.amount);  // false: reported
        }
        v.currency = cur.empty() ? std::string_view(currency) : cur;
        // posted-date-time is unambiguous (YYYY-MM-DD HH:MM:SS UTC); posted-date's style varies.
        const auto pdt = field(c_posted_date_time);
        const auto pd = field(c_posted_date);
        v.posted_at = {};
        if (!pdt.empty()) {
            v.posted_at = parse_date(pdt, n, "posted-date-time", v.marketplace_name);
        } else if (!pd.empty()) {
            v.posted_at = parse_date(pd, n, "posted-date", v.marketplace_name);
        }
        const auto qty = field(c_quantity);
        v.quantity.reset();
        if (!qty.empty()) {
            std::int64_t q = 0;
            const auto* end = qty.data() + qty.size();
            const auto r = std::from_chars(qty.data(), end, q);
            if (r.ec != std::errc{} || r.ptr != end) {
                issue(n, "line " + std::to_string(n) + ": quantity-purchased '" + std::string(qty) +
                             "' is not a whole number");
            } else {
                v.quantity = q;
            }
        }
        if (stats.issues != before) return;  // malformed: reported, not passed on
        try {
            add_exact(stats.rows_total.amount, v.amount);
        } catch (const std::overflow_error&) {
            issue(n, "line " + std::to_string(n) + ": amounts overflow the exact sum");
            return;
        }
        ++stats.amount_rows;
        sink.on_row_view(v);
    }

    void on_line(std::string_view line) {
        const std::uint64_t n = ++stats.lines;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (is_blank(line)) return;
        if (!header_seen) {
            on_header(line, n);
            return;
        }
        if (!header_ok) return;  // already reported once: no row can be read safely
        split(line);
        if (field_count > column_count) {
            issue(n, "line " + std::to_string(n) + " has " + std::to_string(field_count) +
                         " fields but the header has " + std::to_string(column_count));
            return;
        }
        if (!field(c_total).empty()) {
            on_summary_row(n);
        } else {
            on_amount_row(n);
        }
    }

    void feed(std::string_view bytes) {
        stats.bytes += bytes.size();
        while (!bytes.empty()) {
            const void* hit = std::memchr(bytes.data(), '\n', bytes.size());
            if (hit == nullptr) {
                if (!skipping_long_line) {
                    if (carry.size() + bytes.size() > options.max_line_bytes) {
                        start_skipping();
                    } else {
                        carry.append(bytes);
                    }
                }
                return;
            }
            const auto pos = static_cast<std::size_t>(static_cast<const char*>(hit) - bytes.data());
            if (skipping_long_line) {
                skipping_long_line = false;
            } else if (carry.size() + pos > options.max_line_bytes) {
                carry.clear();
                start_skipping();
                skipping_long_line = false;
            } else if (carry.empty()) {
                on_line(bytes.substr(0, pos));
            } else {
                carry.append(bytes.substr(0, pos));
                on_line(carry);
                carry.clear();
            }
            bytes.remove_prefix(pos + 1);
        }
    }

    void start_skipping() {
        const std::uint64_t n = ++stats.lines;
        issue(n, "line " + std::to_string(n) + " is longer than " +
                     std::to_string(options.max_line_bytes) + " bytes; skipped");
        carry.clear();
        carry.shrink_to_fit();
        skipping_long_line = true;
    }

    void finish() {
        if (!carry.empty() && !skipping_long_line) on_line(carry);
        carry.clear();
        if (!header_seen) {
            issue(0, "the report is empty: no header line");
            return;
        }
        if (!header_ok) return;
        if (!stats.has_summary) {
            issue(0, "the report has no summary row (a row with total-amount)");
            return;
        }
        const auto& total = stats.summary->total;
        // Exact comparison: equal values are equal to the cent at any scale.
        if (stats.rows_total.amount != total.amount) {
            std::string difference;
            try {
                difference = (total.amount - stats.rows_total.amount).to_string();
            } catch (const std::overflow_error&) {
                difference = "beyond the exact range";  // absurd amounts: still only an issue
            }
            issue(0, "the amount rows sum to " + stats.rows_total.amount.to_string() + " " +
                         total.currency + " but total-amount on line " +
                         std::to_string(summary_line) + " is " + total.amount.to_string() +
                         " (difference " + difference + "); rows are missing or malformed");
        }
    }
};

SettlementReportParser::SettlementReportParser(SettlementSink& sink, SettlementParseOptions options)
    : impl_(std::make_unique<Impl>(sink, options)) {}

SettlementReportParser::~SettlementReportParser() = default;

void SettlementReportParser::feed(std::string_view bytes) { impl_->feed(bytes); }

void SettlementReportParser::finish() { impl_->finish(); }

void SettlementReportParser::report_issue(std::uint64_t line, std::string message) {
    impl_->issue(line, std::move(message));
}

const SettlementParseStats& SettlementReportParser::stats() const noexcept { return impl_->stats; }

SettlementParseStats parse_settlement_stream(std::istream& input,
                                             SettlementSink& sink,
                                             SettlementParseOptions options) {
    constexpr std::size_t kChunk = 32 * 1024;
    SettlementReportParser parser(sink, options);
    std::vector<char> in(kChunk);
    auto read_some = [&]() -> std::size_t {
        input.read(in.data(), static_cast<std::streamsize>(in.size()));
        return static_cast<std::size_t>(input.gcount());
    };
    std::size_t got = read_some();
    if (!core::looks_like_gzip(std::string_view(in.data(), got))) {
        while (got > 0) {
            parser.feed(std::string_view(in.data(), got));
            got = read_some();
        }
        if (input.bad()) parser.report_issue(0, "reading the report failed (I/O error)");
        parser.finish();
        return parser.stats();
    }
    core::GzipInflater inflater;
    const auto to_parser = [&parser](std::string_view piece) {
        parser.feed(piece);
        return true;
    };
    bool failed = false;
    while (got > 0 && !failed) {
        if (inflater.feed(std::string_view(in.data(), got), to_parser) ==
            core::GzipInflater::Status::corrupt) {
            parser.report_issue(0, "gzip data is corrupt (" + inflater.error() + ") after " +
                                       std::to_string(parser.stats().bytes) +
                                       " decompressed bytes; download the report again");
            failed = true;
        }
        got = read_some();
    }
    if (!failed && !inflater.complete()) {
        parser.report_issue(0, "gzip data ends early after " +
                                   std::to_string(parser.stats().bytes) +
                                   " decompressed bytes (truncated download?); download the "
                                   "report again");
    }
    if (input.bad()) parser.report_issue(0, "reading the report failed (I/O error)");
    parser.finish();
    return parser.stats();
}

Result<SettlementParseStats> parse_settlement_file(const std::filesystem::path& path,
                                                   SettlementSink& sink,
                                                   SettlementParseOptions options) {
    // Streamed, so no memory limit is needed; but a FIFO or a device would never end.
    if (auto checked = core::check_regular_file(path, core::kMaxReportFileBytes); !checked) {
        return make_error(
            ErrorKind::permanent,
            "cannot open settlement report " + path.string() + ": " + checked.error().message,
            "settlement_report");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return make_error(
            ErrorKind::permanent,
            "cannot open settlement report " + path.string() + ": " + std::strerror(errno),
            "settlement_report");
    }
    return parse_settlement_stream(in, sink, options);
}

model::Settlement CollectingSettlementSink::settlement() const {
    model::Settlement s;
    if (summary_) s.summary = *summary_;
    s.rows.reserve(rows_.size());
    for (const auto& r : rows_) s.rows.push_back(r.event);
    return s;
}

}  // namespace clarity::amazon
