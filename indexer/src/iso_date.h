// Dates as sources write them → the ISO 8601 form Article::date promises.
// Defined in jekyll.cpp; private to the indexer library.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sosik::iso_date {

// A calendar date with optional wall-clock time and UTC offset, as written
// (no time-zone conversion: 23:30+09:00 stays on its own day, like the author meant).
struct DateTime {
    int year = 0;
    int month = 0;  // 1..12
    int day = 0;    // 1..31
    bool has_time = false;
    int hour = 0;
    int minute = 0;
    int second = 0;
    bool has_offset = false;
    int offset_minutes = 0;  // east of UTC: +09:00 → 540
};

// Accepts what Jekyll front matter, CMS exports and HTML meta tags use:
//   2024-09-02   2024/9/2   2024.09.02
//   2024-09-02 10:00   2024-09-02 10:00:00 +0900   2024-09-02T10:00:00.123+09:00   …Z
//   Mon, 02 Sep 2024 10:00:00 +0900   (RFC 2822)
// Returns nullopt for anything else, or for an impossible date (2023-02-29).
std::optional<DateTime> parse(std::string_view text);

// "2024-09-02", "2024-09-02T10:00:00" or "2024-09-02T10:00:00+09:00".
std::string format(const DateTime& date);

// parse + format; nullopt when `text` is not a date.
std::optional<std::string> normalize(std::string_view text);

int day_of_year(const DateTime& date);  // 1..366
int day_of_week(const DateTime& date);  // 0 = Sunday .. 6 = Saturday
int iso_week(const DateTime& date);     // 1..53

}  // namespace sosik::iso_date
