#include <sosik/schema.h>

#include <sosik/error.h>


namespace sosik::schema {

std::string_view text_prefix(Field field, Layer layer) {
    const bool title = field == Field::title;
    switch (layer) {
    case Layer::surface:
    case Layer::joined:  // joined forms are words in their own right
        return title ? "S" : "";
    case Layer::stem:
        return title ? "ZS" : "Z";
    case Layer::bigram:
        return title ? "XGS" : "XG";  // the compound trigrams made from bigrams (compound_terms)
    }
    return "";
}

}  // namespace sosik::schema

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>

namespace sosik::schema {

std::string filter_value(std::string_view raw) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status)) throw Error(std::string("ICU nfkc_cf unavailable: ") + u_errorName(status));
    icu::UnicodeString folded = nfkc_cf->normalize(
        icu::UnicodeString::fromUTF8(icu::StringPiece(raw.data(), static_cast<int32_t>(raw.size()))), status);
    if (U_FAILURE(status)) return {};
    std::string utf8;
    folded.toUTF8String(utf8);

    std::string collapsed;
    collapsed.reserve(utf8.size());
    bool pending_space = false;
    for (char c : utf8) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            pending_space = !collapsed.empty();
            continue;
        }
        if (pending_space) collapsed.push_back(' ');
        pending_space = false;
        collapsed.push_back(c);
    }
    if (collapsed.size() > kMaxTermBytes - 4) collapsed.resize(kMaxTermBytes - 4);  // caller adds a prefix
    return collapsed;
}

namespace {

// Reads exactly `width` digits at `pos`; advances `pos`.
std::optional<int> read_digits(std::string_view s, std::size_t& pos, std::size_t width) {
    if (pos + width > s.size()) return std::nullopt;
    int value = 0;
    auto [end, ec] = std::from_chars(s.data() + pos, s.data() + pos + width, value);
    if (ec != std::errc() || end != s.data() + pos + width) return std::nullopt;
    pos += width;
    return value;
}

bool valid_calendar_date(int y, int m, int d) {
    using namespace std::chrono;
    return year_month_day{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}}.ok();
}

}  // namespace

double Date::sort_key() const {
    namespace chrono = std::chrono;
    const chrono::sys_days days{chrono::year_month_day{chrono::year{year}, chrono::month{static_cast<unsigned>(month)},
                                                       chrono::day{static_cast<unsigned>(day)}}};
    return static_cast<double>(days.time_since_epoch().count()) * 86400.0 + hour * 3600.0 + minute * 60.0 +
           second;
}

std::string order_value(const std::optional<Date>& date, std::string_view id) {
    // Offset so that dates before 1970 (down to year 1000) stay positive and in order.
    constexpr double kOffsetSeconds = 1099511627776.0;  // 2^40 s
    const auto key = date ? static_cast<std::uint64_t>(date->sort_key() + kOffsetSeconds) : std::uint64_t{0};
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(key));
    return std::string(hex, 16).append(id);
}

std::optional<Date> parse_date(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    Date date;
    std::size_t pos = 0;
    auto y = read_digits(s, pos, 4);
    if (!y) return std::nullopt;
    date.year = *y;
    date.month = date.day = 1;
    if (pos < s.size()) {
        if (s[pos++] != '-') return std::nullopt;
        auto m = read_digits(s, pos, 2);
        if (!m) return std::nullopt;
        date.month = *m;
        if (pos < s.size()) {
            if (s[pos++] != '-') return std::nullopt;
            auto d = read_digits(s, pos, 2);
            if (!d) return std::nullopt;
            date.day = *d;
        }
    }
    if (date.year < 1000 || !valid_calendar_date(date.year, date.month, date.day)) return std::nullopt;
    if (pos == s.size()) return date;

    if (s[pos] != 'T' && s[pos] != ' ') return std::nullopt;
    ++pos;
    auto h = read_digits(s, pos, 2);
    if (!h || pos >= s.size() || s[pos++] != ':') return std::nullopt;
    auto mi = read_digits(s, pos, 2);
    if (!mi) return std::nullopt;
    date.hour = *h;
    date.minute = *mi;
    if (pos < s.size() && s[pos] == ':') {
        ++pos;
        auto sec = read_digits(s, pos, 2);
        if (!sec) return std::nullopt;
        date.second = *sec;
    }
    if (date.hour > 23 || date.minute > 59 || date.second > 60) return std::nullopt;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    }
    while (pos < s.size() && s[pos] == ' ') ++pos;
    if (pos == s.size() || s.substr(pos) == "Z") return date;
    // A UTC offset: ±HH:MM or ±HHMM. Checked for shape, ignored for the value (see header).
    if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
    ++pos;
    if (!read_digits(s, pos, 2)) return std::nullopt;
    if (pos < s.size() && s[pos] == ':') ++pos;
    if (!read_digits(s, pos, 2) || pos != s.size()) return std::nullopt;
    return date;
}

}  // namespace sosik::schema
