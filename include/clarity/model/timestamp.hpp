#pragma once
/// \file
/// Instants as UTC seconds, parsed from the ISO 8601 / RFC 3339 text Amazon and Odoo use.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace clarity::model {

using Timestamp = std::chrono::sys_seconds;

/// Parses "2026-01-20T19:49:35Z", "2026-01-20T19:49:35.123Z", "2026-01-20T21:49:35+02:00",
/// "2026-01-20 19:49:35" (Odoo's UTC datetime) and "2026-01-20" (midnight UTC). Fractions are
/// dropped. nullopt for anything else (including impossible dates like 2026-02-30).
std::optional<Timestamp> parse_timestamp(std::string_view text);

/// "2026-01-20T19:49:35Z".
std::string format_iso8601(Timestamp t);
/// Odoo's datetime field format, UTC: "2026-01-20 19:49:35".
std::string format_odoo_datetime(Timestamp t);
/// Odoo's date field format: "2026-01-20" of the instant shifted by `utc_offset`.
std::string format_odoo_date(Timestamp t, std::chrono::minutes utc_offset = {});

}  // namespace clarity::model
