#include "clarity/model/timestamp.hpp"

#include <cstdio>

namespace clarity::model {

namespace {
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}
}  // namespace

std::optional<Timestamp> parse_timestamp(std::string_view s) {
    using namespace std::chrono;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) ||
        s[7] != '-' || !digits(s, 8, 2, d)) {
        return std::nullopt;
    }
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                             day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    std::size_t pos = 10;
    seconds offset{0};
    if (pos < s.size()) {
        if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
        if (!digits(s, pos + 1, 2, h) || s.size() < pos + 6 || s[pos + 3] != ':' ||
            !digits(s, pos + 4, 2, mi)) {
            return std::nullopt;
        }
        pos += 6;
        if (pos < s.size() && s[pos] == ':') {
            if (!digits(s, pos + 1, 2, se)) return std::nullopt;
            pos += 3;
        }
        if (h > 23 || mi > 59 || se > 60) return std::nullopt;
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            ++pos;
            const std::size_t start = pos;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
            if (pos == start) return std::nullopt;
        }
        if (pos < s.size()) {
            if (s[pos] == 'Z' || s[pos] == 'z') {
                ++pos;
            } else if (s[pos] == '+' || s[pos] == '-') {
                int oh = 0, om = 0;
                if (!digits(s, pos + 1, 2, oh)) return std::nullopt;
                std::size_t next = pos + 3;
                if (next < s.size() && s[next] == ':') ++next;
                if (!digits(s, next, 2, om) || oh > 23 || om > 59) return std::nullopt;
                offset = hours{oh} + minutes{om};
                if (s[pos] == '-') offset = -offset;
                pos = next + 2;
            } else {
                return std::nullopt;
            }
        }
        if (pos != s.size()) return std::nullopt;
    }
    const auto t = sys_days{ymd} + hours{h} + minutes{mi} + seconds{se} - offset;
    return time_point_cast<seconds>(t);
}

namespace {
std::string format(Timestamp t, const char* fmt, bool with_time) {
    using namespace std::chrono;
    const auto days = floor<std::chrono::days>(t);
    const year_month_day ymd{days};
    const hh_mm_ss hms{t - days};
    char buf[40];
    if (with_time) {
        std::snprintf(
            buf, sizeof buf, fmt, static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
            static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
            static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
    } else {
        std::snprintf(buf, sizeof buf, fmt, static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    }
    return buf;
}
}  // namespace

std::string format_iso8601(Timestamp t) {
    return format(t, "%04d-%02u-%02uT%02d:%02d:%02dZ", true);
}

std::string format_odoo_datetime(Timestamp t) {
    return format(t, "%04d-%02u-%02u %02d:%02d:%02d", true);
}

std::string format_odoo_date(Timestamp t, std::chrono::minutes utc_offset) {
    return format(t + utc_offset, "%04d-%02u-%02u", false);
}

}  // namespace clarity::model
