// Jekyll posts: YAML front matter (yaml-cpp), Liquid and kramdown leftovers,
// Jekyll's URL rules, and the date formats of iso_date.h.
#include "iso_date.h"
#include "text_cleanup.h"

#include <sosik/error.h>
#include <sosik/sources.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

namespace fs = std::filesystem;

namespace sosik {

// ---- dates ---------------------------------------------------------------------

namespace iso_date {

namespace {

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
    static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap_year(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

constexpr std::array<std::string_view, 12> kMonthNames = {"january",   "february", "march",    "april",
                                                          "may",       "june",     "july",     "august",
                                                          "september", "october",  "november", "december"};
constexpr std::array<std::string_view, 7> kDayNames = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};

// Reads a date left to right; every `take_*` consumes only on success.
class Cursor {
public:
    explicit Cursor(std::string_view text) : text_(text) {}

    bool at_end() const { return pos_ == text_.size(); }
    char peek() const { return at_end() ? '\0' : text_[pos_]; }

    bool take(char c) {
        if (peek() != c) return false;
        ++pos_;
        return true;
    }
    bool take_any_of(std::string_view chars, char& taken) {
        if (at_end() || chars.find(peek()) == std::string_view::npos) return false;
        taken = text_[pos_++];
        return true;
    }
    // Skips spaces and tabs; returns whether there were any.
    bool skip_spaces() {
        const std::size_t start = pos_;
        while (peek() == ' ' || peek() == '\t') ++pos_;
        return pos_ > start;
    }
    std::optional<int> take_number(int min_digits, int max_digits) {
        int value = 0;
        int digits = 0;
        while (digits < max_digits && peek() >= '0' && peek() <= '9') {
            value = value * 10 + (text_[pos_++] - '0');
            ++digits;
        }
        if (digits < min_digits) {
            pos_ -= static_cast<std::size_t>(digits);
            return std::nullopt;
        }
        return value;
    }
    void skip_digits() {
        while (peek() >= '0' && peek() <= '9') ++pos_;
    }
    // A run of ASCII letters, lowercased.
    std::string take_word() {
        std::string word;
        while ((peek() >= 'a' && peek() <= 'z') || (peek() >= 'A' && peek() <= 'Z'))
            word += static_cast<char>(text_[pos_++] | 0x20);
        return word;
    }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

// HH:MM[:SS[.fraction]]
bool take_time(Cursor& in, DateTime& date) {
    const auto hour = in.take_number(1, 2);
    if (!hour || !in.take(':')) return false;
    const auto minute = in.take_number(2, 2);
    if (!minute) return false;
    date.has_time = true;
    date.hour = *hour;
    date.minute = *minute;
    if (in.take(':')) {
        const auto second = in.take_number(2, 2);
        if (!second) return false;
        date.second = *second;
        char separator = 0;
        if (in.take_any_of(".,", separator)) in.skip_digits();  // sub-second precision is dropped
    }
    return true;
}

// Z, +09:00, +0900, +09, UTC, GMT, UT, KST. Absent is fine.
bool take_offset(Cursor& in, DateTime& date) {
    char sign = 0;
    if (in.take('Z') || in.take('z')) {
        date.has_offset = true;
        return true;
    }
    if (in.take_any_of("+-", sign)) {
        const auto hours = in.take_number(2, 2);
        if (!hours) return false;
        int minutes = 0;
        const bool colon = in.take(':');
        if (auto taken = in.take_number(2, 2))
            minutes = *taken;
        else if (colon)
            return false;
        if (*hours > 18 || minutes > 59) return false;
        date.has_offset = true;
        date.offset_minutes = (sign == '-' ? -1 : 1) * (*hours * 60 + minutes);
        return true;
    }
    const std::string zone = in.take_word();
    if (zone.empty()) return true;
    if (zone == "utc" || zone == "gmt" || zone == "ut") {
        date.has_offset = true;
        return true;
    }
    if (zone == "kst") {
        date.has_offset = true;
        date.offset_minutes = 9 * 60;
        return true;
    }
    return false;
}

// 2024-09-02, 2024/9/2, 2024.09.02, then [T| ]HH:MM[:SS][ ][offset]
bool take_numeric_date(Cursor& in, DateTime& date) {
    const auto year = in.take_number(4, 4);
    char separator = 0;
    if (!year || !in.take_any_of("-/.", separator)) return false;
    const auto month = in.take_number(1, 2);
    if (!month || !in.take(separator)) return false;
    const auto day = in.take_number(1, 2);
    if (!day) return false;
    date.year = *year;
    date.month = *month;
    date.day = *day;
    const bool t = in.take('T') || in.take('t');
    const bool space = !t && in.skip_spaces();
    if (in.at_end()) return !t;
    if (!t && !space) return false;
    if (!take_time(in, date)) return false;
    in.skip_spaces();
    return take_offset(in, date);
}

// RFC 2822: [Mon, ]02 Sep 2024[ 10:00[:00][ +0900]]
bool take_rfc2822_date(Cursor& in, DateTime& date) {
    const std::string weekday = in.take_word();
    if (!weekday.empty() && !in.take(',')) return false;
    in.skip_spaces();
    const auto day = in.take_number(1, 2);
    if (!day || !in.skip_spaces()) return false;
    const std::string month = in.take_word();
    if (month.size() < 3) return false;
    const auto found = std::find_if(kMonthNames.begin(), kMonthNames.end(),
                                    [&](std::string_view name) { return name.starts_with(month); });
    if (found == kMonthNames.end()) return false;
    if (!in.skip_spaces()) return false;
    const auto year = in.take_number(4, 4);
    if (!year) return false;
    date.year = *year;
    date.month = static_cast<int>(found - kMonthNames.begin()) + 1;
    date.day = *day;
    if (!in.skip_spaces() || in.at_end()) return true;
    if (!take_time(in, date)) return false;
    in.skip_spaces();
    return take_offset(in, date);
}

bool is_valid(const DateTime& date) {
    return date.year >= 1 && date.month >= 1 && date.month <= 12 && date.day >= 1 &&
           date.day <= days_in_month(date.year, date.month) && date.hour <= 23 && date.minute <= 59 &&
           date.second <= 60;
}

}  // namespace

std::optional<DateTime> parse(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
        text.remove_suffix(1);
    for (auto* reader : {take_numeric_date, take_rfc2822_date}) {
        DateTime date;
        Cursor in(text);
        if (reader(in, date)) {
            in.skip_spaces();
            if (in.at_end() && is_valid(date)) {
                date.second = std::min(date.second, 59);  // a leap second would confuse date parsers downstream
                return date;
            }
        }
    }
    return std::nullopt;
}

std::string format(const DateTime& date) {
    char buffer[40];
    int length = std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
    if (date.has_time)
        length += std::snprintf(buffer + length, sizeof buffer - static_cast<std::size_t>(length), "T%02d:%02d:%02d",
                                date.hour, date.minute, date.second);
    if (date.has_time && date.has_offset) {
        const int offset = date.offset_minutes < 0 ? -date.offset_minutes : date.offset_minutes;
        length += std::snprintf(buffer + length, sizeof buffer - static_cast<std::size_t>(length), "%c%02d:%02d",
                                date.offset_minutes < 0 ? '-' : '+', offset / 60, offset % 60);
    }
    return std::string(buffer, static_cast<std::size_t>(length));
}

std::optional<std::string> normalize(std::string_view text) {
    if (auto date = parse(text)) return format(*date);
    return std::nullopt;
}

int day_of_year(const DateTime& date) {
    int days = date.day;
    for (int month = 1; month < date.month; ++month) days += days_in_month(date.year, month);
    return days;
}

int day_of_week(const DateTime& date) {
    // Sakamoto's method.
    static constexpr std::array<int, 12> kOffsets = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    const int year = date.month < 3 ? date.year - 1 : date.year;
    return (year + year / 4 - year / 100 + year / 400 + kOffsets[static_cast<std::size_t>(date.month - 1)] + date.day) %
           7;
}

int iso_week(const DateTime& date) {
    // A year has 53 ISO weeks when it starts on a Thursday, or on a Wednesday in a leap year.
    auto weeks_in = [](int year) {
        const int january1 = day_of_week(DateTime{year, 1, 1});
        return january1 == 4 || (january1 == 3 && is_leap_year(year)) ? 53 : 52;
    };
    const int weekday = (day_of_week(date) + 6) % 7 + 1;  // Monday = 1 .. Sunday = 7
    const int week = (day_of_year(date) - weekday + 10) / 7;
    if (week < 1) return weeks_in(date.year - 1);
    if (week > weeks_in(date.year)) return 1;
    return week;
}

}  // namespace iso_date

namespace {

using text_cleanup::quote_excerpt;
using text_cleanup::single_line;

// ---- front matter ------------------------------------------------------------

// Real front matter is a few hundred bytes; the cap bounds what yaml-cpp is
// handed (its parser builds every node, however many aliases point at them).
constexpr std::size_t kMaxFrontMatterBytes = 1 << 20;
// Categories and tags are flattened like Jekyll does. The budget stops an
// alias bomb (a list of aliases of lists of aliases …) from expanding.
constexpr std::size_t kMaxListNodes = 10'000;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

struct Line {
    std::string_view text;  // without the line break
    std::size_t next = 0;   // offset of the following line
};

Line line_at(std::string_view content, std::size_t offset) {
    const std::size_t end = content.find('\n', offset);
    if (end == std::string_view::npos) return {content.substr(offset), content.size()};
    return {content.substr(offset, end - offset), end + 1};
}

// A fence line: `marker` followed only by spaces, tabs or '\r' (Jekyll allows trailing blanks).
bool is_fence(std::string_view line, std::string_view marker) {
    if (!line.starts_with(marker)) return false;
    return line.substr(marker.size()).find_first_not_of(" \t\r") == std::string_view::npos;
}

struct FrontMatter {
    bool present = false;
    std::string_view yaml;  // between the fences
    std::string_view body;  // everything after the closing fence
};

// Jekyll: the file starts with a "---" line (blanks allowed after it), a line break included.
bool opens_front_matter(std::string_view content) {
    const Line first = line_at(content, 0);
    return is_fence(first.text, "---") && first.next > first.text.size();
}

FrontMatter split_front_matter(std::string_view content) {
    if (content.starts_with(kUtf8Bom)) content.remove_prefix(kUtf8Bom.size());
    if (!opens_front_matter(content)) return {false, {}, content};
    const Line first = line_at(content, 0);
    for (std::size_t offset = first.next; offset < content.size();) {
        const Line line = line_at(content, offset);
        if (is_fence(line.text, "---") || is_fence(line.text, "...")) {
            return {true, content.substr(first.next, offset - first.next), content.substr(line.next)};
        }
        offset = line.next;
    }
    throw InvalidInput("front matter: no closing `---` line for the `---` on line 1");
}

YAML::Node load_front_matter(std::string_view yaml) {
    if (yaml.size() > kMaxFrontMatterBytes)
        throw InvalidInput("front matter: larger than " + std::to_string(kMaxFrontMatterBytes >> 20) + " MiB");
    YAML::Node data;
    try {
        data = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& error) {
        // The YAML starts on line 2 of the file; yaml-cpp counts from 0.
        const std::string where = error.mark.is_null() ? std::string()
                                                       : " on line " + std::to_string(error.mark.line + 2) +
                                                             ", column " + std::to_string(error.mark.column + 1);
        throw InvalidInput("front matter: YAML error" + where + ": " + error.msg);
    }
    if (data.IsNull() || !data.IsDefined()) return YAML::Node(YAML::NodeType::Map);
    if (!data.IsMap())
        throw InvalidInput(std::string("front matter: expected `key: value` lines, found ") +
                           (data.IsSequence() ? "a list" : "plain text"));
    return data;
}

// data[key] when present and not null. (Reads through a const node: the
// non-const operator[] of yaml-cpp would insert the key.)
std::optional<YAML::Node> field(const YAML::Node& data, const char* key) {
    const YAML::Node& map = data;
    YAML::Node value = map[key];
    if (!value.IsDefined() || value.IsNull()) return std::nullopt;
    return value;
}

bool has_field(const YAML::Node& data, const char* key) { return field(data, key).has_value(); }

// The text of a scalar field, or "" when absent. A list or map where text
// belongs is an error the author must fix.
std::string text_field(const YAML::Node& data, const char* key) {
    const auto value = field(data, key);
    if (!value) return {};
    if (!value->IsScalar())
        throw InvalidInput(std::string("front matter: `") + key + "` must be text, not a " +
                           (value->IsSequence() ? "list" : "map"));
    return single_line(value->Scalar());
}

// The text of an optional, presentational field: anything but text counts as absent.
std::string optional_text_field(const YAML::Node& data, const char* key) {
    const auto value = field(data, key);
    return value && value->IsScalar() ? single_line(value->Scalar()) : std::string();
}

void add_unique(std::vector<std::string>& values, std::string value) {
    if (!value.empty() && std::find(values.begin(), values.end(), value) == values.end())
        values.push_back(std::move(value));
}

// Values of a categories/tags field, Jekyll's way: a list (nested lists
// flattened) or text. Text under the plural key is a space-separated list
// (`tags: a b`); under the singular key it is one value
// (`category: Natural Language Processing`).
void append_values(const YAML::Node& data, const char* key, bool split_text, std::vector<std::string>& out) {
    std::vector<YAML::Node> pending;
    if (auto value = field(data, key)) pending.push_back(*value);
    std::size_t visited = 0;
    while (!pending.empty()) {
        const YAML::Node node = pending.back();
        pending.pop_back();
        if (++visited > kMaxListNodes)
            throw InvalidInput(std::string("front matter: `") + key + "` has more than " +
                               std::to_string(kMaxListNodes) + " values");
        switch (node.Type()) {
            case YAML::NodeType::Scalar:
                if (split_text) {
                    const std::string words = single_line(node.Scalar());
                    for (std::size_t start = 0; start < words.size();) {
                        std::size_t end = words.find(' ', start);
                        if (end == std::string::npos) end = words.size();
                        add_unique(out, words.substr(start, end - start));
                        start = end + 1;
                    }
                } else {
                    add_unique(out, single_line(node.Scalar()));
                }
                break;
            case YAML::NodeType::Sequence:
                for (std::size_t i = node.size(); i-- > 0;) pending.push_back(node[i]);
                split_text = false;  // list items are values as written
                break;
            case YAML::NodeType::Map:
                throw InvalidInput(std::string("front matter: `") + key + "` must be a list or text, not a map");
            default:
                break;  // null, absent
        }
    }
}

// ---- file names --------------------------------------------------------------

struct PostFileName {
    std::string date;       // "YYYY-MM-DD" from a `YYYY-MM-DD-slug.ext` name, else ""
    std::string slug;       // the name without date prefix and extension
    std::string extension;  // lowercase, with the dot
};

PostFileName parse_file_name(const fs::path& file) {
    PostFileName name;
    name.slug = file.stem().string();
    name.extension = file.extension().string();
    for (char& c : name.extension)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    // Jekyll: (\d{2,4}-\d{1,2}-\d{1,2})-(.*) — we take four-digit years only.
    const std::string& stem = name.slug;
    std::size_t i = 0;
    auto digits = [&](std::size_t min, std::size_t max) {
        const std::size_t start = i;
        while (i < stem.size() && i - start < max && stem[i] >= '0' && stem[i] <= '9') ++i;
        return i - start >= min;
    };
    if (digits(4, 4) && i < stem.size() && stem[i++] == '-' && digits(1, 2) && i < stem.size() && stem[i++] == '-' &&
        digits(1, 2) && i < stem.size() && stem[i] == '-') {
        const std::string prefix = stem.substr(0, i);
        if (auto date = iso_date::parse(prefix)) {
            name.date = iso_date::format(*date);
            name.slug = stem.substr(i + 1);
        }
    }
    return name;
}

// Jekyll's default title for a post without one: `2017-03-07-my-first-post` → "My First Post".
std::string title_from_slug(std::string_view slug) {
    std::string title;
    bool word_start = true;
    for (char c : slug) {
        if (c == '-') {
            if (!title.empty() && title.back() != ' ') title += ' ';
            word_start = true;
            continue;
        }
        title += word_start && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
        word_start = false;
    }
    while (!title.empty() && title.back() == ' ') title.pop_back();
    return title;
}

// Folders between the site root and `_posts` are categories in Jekyll (`blog/_posts/x.md` → blog).
std::vector<std::string> categories_from_path(const fs::path& file, const JekyllSite& site) {
    std::vector<std::string> categories;
    if (site.root.empty()) return categories;
    std::error_code error;
    const fs::path absolute = fs::absolute(file, error);
    if (error) return categories;
    const fs::path relative = absolute.parent_path().lexically_relative(site.root);
    std::vector<std::string> folders;
    for (const fs::path& part : relative) {
        const std::string name = part.string();
        if (name == "_posts") {
            for (auto& folder : folders) add_unique(categories, std::move(folder));
            break;
        }
        if (name == "..") break;  // the post is not inside the site
        if (!name.empty() && name != ".") folders.push_back(name);
    }
    return categories;
}

// ---- Liquid and kramdown ---------------------------------------------------

enum class BodyFormat { markdown, html };

void append_escaped_html(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            default:
                out += c;
        }
    }
}

struct LiquidTag {
    std::size_t begin = std::string_view::npos;  // of "{%"
    std::size_t end = std::string_view::npos;    // after "%}"
    std::string_view name;
};

// The next `{% name … %}` at or after `from` (any name when `wanted` is empty).
// Like Liquid, a tag runs from "{%" to the first "%}" after it.
LiquidTag find_liquid_tag(std::string_view text, std::size_t from, std::string_view wanted = {}) {
    for (std::size_t begin = text.find("{%", from); begin != std::string_view::npos;) {
        const std::size_t close = text.find("%}", begin + 2);
        if (close == std::string_view::npos) return {};
        std::string_view inside = text.substr(begin + 2, close - begin - 2);
        const std::size_t name_start = inside.find_first_not_of(" \t\r\n-");
        if (name_start != std::string_view::npos) {
            inside.remove_prefix(name_start);
            const std::string_view name = inside.substr(0, inside.find_first_of(" \t\r\n-"));
            if (wanted.empty() || name == wanted) return {begin, close + 2, name};
        }
        begin = text.find("{%", close + 2);
    }
    return {};
}

// Jekyll runs Liquid before Markdown. Without the site we cannot render it,
// and what it would leave in the index is template noise (`post_url …`,
// `site.baseurl`, `include figure.html`), so tags and `{{ … }}` output are
// dropped. Exceptions: `raw` content is the post's own text (kept verbatim),
// `highlight` blocks hold code that is part of the post (kept as a code block),
// `comment` blocks are not shown (dropped with their content). Text between
// other block tags (`if`, `for`) stays: it is usually prose.
std::string strip_liquid(std::string_view body, BodyFormat format) {
    if (body.find("{%") == std::string_view::npos && body.find("{{") == std::string_view::npos)
        return std::string(body);
    // A code fence no real code line matches.
    const std::string_view open_code = format == BodyFormat::markdown ? "\n~~~~~~~~~~\n" : "<pre>";
    const std::string_view close_code = format == BodyFormat::markdown ? "\n~~~~~~~~~~\n" : "</pre>";
    std::string out;
    out.reserve(body.size());
    bool in_code = false;
    auto append_text = [&](std::string_view text) {
        if (in_code && format == BodyFormat::html)
            append_escaped_html(out, text);
        else
            out.append(text);
    };

    std::size_t pos = 0;
    while (pos < body.size()) {
        std::size_t brace = body.find('{', pos);
        while (brace != std::string_view::npos && brace + 1 < body.size() && body[brace + 1] != '%' &&
               body[brace + 1] != '{')
            brace = body.find('{', brace + 1);
        if (brace == std::string_view::npos || brace + 1 >= body.size()) break;
        append_text(body.substr(pos, brace - pos));

        if (body[brace + 1] == '{') {  // {{ output }}
            const std::size_t close = body.find("}}", brace + 2);
            if (close == std::string_view::npos) {
                pos = brace;
                break;
            }
            pos = close + 2;
            continue;
        }
        const LiquidTag tag = find_liquid_tag(body, brace);
        if (tag.end == std::string_view::npos) {  // no "%}" anywhere after: the rest is text
            pos = brace;
            break;
        }
        if (tag.begin != brace) {  // "{% %}" with no name: drop it
            pos = body.find("%}", brace) + 2;
            continue;
        }
        pos = tag.end;
        if (tag.name == "raw") {
            const LiquidTag end = find_liquid_tag(body, tag.end, "endraw");
            const std::size_t stop = end.begin == std::string_view::npos ? body.size() : end.begin;
            append_text(body.substr(tag.end, stop - tag.end));
            pos = end.begin == std::string_view::npos ? body.size() : end.end;
        } else if (tag.name == "comment") {
            const LiquidTag end = find_liquid_tag(body, tag.end, "endcomment");
            pos = end.begin == std::string_view::npos ? body.size() : end.end;
        } else if (tag.name == "highlight" && !in_code) {
            out += open_code;
            in_code = true;
        } else if (tag.name == "endhighlight" && in_code) {
            out += close_code;
            in_code = false;
        }
    }
    if (pos < body.size()) append_text(body.substr(pos));
    if (in_code) out += close_code;
    return out;
}

// kramdown's attribute lists and extensions (`{:.fit}`, `{: #id}`, `{:toc}`,
// `{::options … /}`) are markup to kramdown but literal text to md4c. They are
// removed outside fenced code.
std::string strip_kramdown_markup(std::string_view markdown) {
    if (markdown.find("{:") == std::string_view::npos) return std::string(markdown);
    std::string out;
    out.reserve(markdown.size());
    char fence_char = 0;
    std::size_t fence_length = 0;
    for (std::size_t offset = 0; offset < markdown.size();) {
        const Line line = line_at(markdown, offset);
        const std::string_view text = line.text;
        const std::size_t indent = text.find_first_not_of(' ');
        if (indent != std::string_view::npos && indent <= 3 && (text[indent] == '`' || text[indent] == '~')) {
            const char c = text[indent];
            const std::size_t run = text.find_first_not_of(c, indent) == std::string_view::npos
                                        ? text.size() - indent
                                        : text.find_first_not_of(c, indent) - indent;
            if (run >= 3) {
                if (fence_char == 0) {
                    fence_char = c;
                    fence_length = run;
                } else if (c == fence_char && run >= fence_length) {
                    fence_char = 0;
                }
            }
        }
        if (fence_char != 0 || text.find("{:") == std::string_view::npos) {
            out.append(markdown.substr(offset, line.next - offset));
        } else {
            std::size_t pos = 0;
            for (std::size_t open = text.find("{:"); open != std::string_view::npos; open = text.find("{:", pos)) {
                const std::size_t close = text.find('}', open);
                if (close == std::string_view::npos) break;
                out.append(text.substr(pos, open - pos));
                pos = close + 1;
            }
            out.append(text.substr(pos));
            if (line.next > offset + text.size()) out += '\n';
        }
        offset = line.next;
    }
    return out;
}

BodyFormat body_format(std::string_view extension) {
    return extension == ".html" || extension == ".htm" || extension == ".xhtml" ? BodyFormat::html
                                                                                : BodyFormat::markdown;
}

std::string body_text(std::string_view body, BodyFormat format) {
    std::string source = strip_liquid(body, format);
    if (format == BodyFormat::html) return html_to_text(source);
    return html_to_text(markdown_to_html(strip_kramdown_markup(source)));
}

// ---- URLs ----------------------------------------------------------------------

void append_utf8(std::string& out, UChar32 c) {
    uint8_t buffer[U8_MAX_LENGTH];
    int32_t length = 0;
    U8_APPEND_UNSAFE(buffer, length, c);
    out.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(length));
}

enum class SlugMode {
    default_mode,  // letters, marks and digits; lowercased
    pretty,        // also ._~!$&'()+,;=@; case kept (Jekyll's :title)
};

// Jekyll's Utils.slugify: every run of other characters becomes one '-', and
// no '-' is left at either end. Korean and other letters stay as they are.
std::string slugify(std::string_view text, SlugMode mode) {
    std::string slug;
    bool pending_dash = false;
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(std::min<std::size_t>(text.size(), 1 << 20));
    for (int32_t i = 0; i < length;) {
        const int32_t start = i;
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        const bool letter_or_digit = c >= 0 && (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_ND_MASK)) != 0;
        const bool pretty_symbol =
            mode == SlugMode::pretty && c >= 0 && c < 0x80 &&
            std::string_view("._~!$&'()+,;=@").find(static_cast<char>(c)) != std::string_view::npos;
        if (!letter_or_digit && !pretty_symbol) {
            pending_dash = true;
            continue;
        }
        if (pending_dash && !slug.empty()) slug += '-';
        pending_dash = false;
        if (mode == SlugMode::default_mode) {
            append_utf8(slug, u_tolower(c));
        } else {
            slug.append(text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
        }
    }
    return slug;
}

std::string lowercase(std::string_view text) {
    std::string out;
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(std::min<std::size_t>(text.size(), 1 << 20));
    for (int32_t i = 0; i < length;) {
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        append_utf8(out, c < 0 ? 0xFFFD : u_tolower(c));
    }
    return out;
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Percent-encodes the ASCII characters a URL path may not hold (space → %20),
// as Jekyll's URL.escape_path does; already-encoded %XX and non-ASCII
// characters stay (an IRI: readable, and browsers send it encoded).
std::string escape_path(std::string_view path) {
    static constexpr std::string_view kAllowed = "-._~!$&'()*+,;=:@/";
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const auto c = static_cast<unsigned char>(path[i]);
        const bool plain = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                           kAllowed.find(static_cast<char>(c)) != std::string_view::npos;
        const bool encoded = c == '%' && i + 2 < path.size() && is_hex(path[i + 1]) && is_hex(path[i + 2]);
        if (plain || encoded) {
            out += static_cast<char>(c);
        } else {
            static constexpr char kHex[] = "0123456789ABCDEF";
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
    return out;
}

// "", "/" → ""; "blog/" → "/blog". A full URL ("https://example.com/blog") is kept.
std::string normalize_baseurl(std::string_view baseurl) {
    std::string base = single_line(baseurl);
    while (!base.empty() && base.back() == '/') base.pop_back();
    if (!base.empty() && base.front() != '/' && base.find("://") == std::string::npos) base.insert(0, "/");
    return base;
}

std::string_view template_for_style(std::string_view permalink) {
    if (permalink.empty() || permalink == "date") return "/:categories/:year/:month/:day/:title:output_ext";
    if (permalink == "pretty") return "/:categories/:year/:month/:day/:title/";
    if (permalink == "ordinal") return "/:categories/:year/:y_day/:title:output_ext";
    if (permalink == "weekdate") return "/:categories/:year/W:week/:short_day/:title:output_ext";
    if (permalink == "none") return "/:categories/:title:output_ext";
    return permalink;
}

std::string zero_padded(int value, int width) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%0*d", width, value);
    return buffer;
}

// The value of placeholder `name`, or nullopt when Jekyll has no such placeholder.
std::optional<std::string> placeholder_value(std::string_view name, const Article& post,
                                             const std::optional<iso_date::DateTime>& date, std::string_view slug) {
    if (name == "title") return slugify(slug, SlugMode::pretty);
    if (name == "slug") return slugify(slug, SlugMode::default_mode);
    if (name == "output_ext") return ".html";
    if (name == "categories" || name == "slugified_categories") {
        std::vector<std::string> parts;
        for (const std::string& category : post.categories)
            add_unique(parts, name == "categories" ? lowercase(category) : slugify(category, SlugMode::default_mode));
        std::string joined;
        for (const std::string& part : parts) joined += (joined.empty() ? "" : "/") + part;
        return joined;
    }

    static constexpr std::array<std::string_view, 15> kDateNames = {
        "year",   "month",  "i_month", "day",       "i_day",    "y_day",       "short_year", "hour",
        "minute", "second", "week",    "short_day", "long_day", "short_month", "long_month"};
    if (std::find(kDateNames.begin(), kDateNames.end(), name) == kDateNames.end()) return std::nullopt;
    if (!date) return std::string();  // a post without a date: the part collapses
    const iso_date::DateTime& d = *date;
    if (name == "year") return zero_padded(d.year, 4);
    if (name == "month") return zero_padded(d.month, 2);
    if (name == "i_month") return std::to_string(d.month);
    if (name == "day") return zero_padded(d.day, 2);
    if (name == "i_day") return std::to_string(d.day);
    if (name == "y_day") return zero_padded(iso_date::day_of_year(d), 3);
    if (name == "short_year") return zero_padded(d.year % 100, 2);
    if (name == "hour") return zero_padded(d.hour, 2);
    if (name == "minute") return zero_padded(d.minute, 2);
    if (name == "second") return zero_padded(d.second, 2);
    if (name == "week") return zero_padded(iso_date::iso_week(d), 2);
    if (name == "long_day" || name == "short_day") {
        const std::string_view day = iso_date::kDayNames[static_cast<std::size_t>(iso_date::day_of_week(d))];
        return std::string(name == "short_day" ? day.substr(0, 3) : day);
    }
    std::string month(iso_date::kMonthNames[static_cast<std::size_t>(d.month - 1)]);
    month[0] = static_cast<char>(month[0] - 'a' + 'A');
    return name == "short_month" ? month.substr(0, 3) : month;
}

// ---- _config.yml -----------------------------------------------------------------

void read_site_config(const fs::path& config, JekyllSite& site) {
    try {
        std::ifstream in(config, std::ios::binary);
        std::string text;
        text.resize(kMaxFrontMatterBytes + 1);
        in.read(text.data(), static_cast<std::streamsize>(text.size()));
        if (in.gcount() > static_cast<std::streamsize>(kMaxFrontMatterBytes)) return;  // not a real config
        text.resize(static_cast<std::size_t>(in.gcount()));
        const YAML::Node data = YAML::Load(text);
        if (!data.IsMap()) return;
        const std::string permalink = optional_text_field(data, "permalink");
        if (!permalink.empty()) site.permalink = permalink;
        site.baseurl = normalize_baseurl(optional_text_field(data, "baseurl"));
        site.url = single_line(optional_text_field(data, "url"));
        while (!site.url.empty() && site.url.back() == '/') site.url.pop_back();
    } catch (const std::exception&) {
        // A broken _config.yml breaks the site's own build; for indexing, the defaults are the best guess.
    }
}

}  // namespace

// ---- public API ------------------------------------------------------------------

bool has_front_matter(std::string_view content) {
    if (content.starts_with(kUtf8Bom)) content.remove_prefix(kUtf8Bom.size());
    return opens_front_matter(content);
}

JekyllSite find_jekyll_site(const fs::path& post_file) {
    // _posts/ sits at the site root, or a few folders down (blog/_posts/category/…).
    constexpr int kMaxLevels = 6;
    JekyllSite site;
    std::error_code error;
    fs::path folder = fs::absolute(post_file, error).parent_path();
    if (error) folder = post_file.parent_path();
    fs::path holds_posts;  // the folder holding the nearest _posts/: the root of a site without _config.yml
    for (int level = 0; level <= kMaxLevels && !folder.empty(); ++level) {
        const fs::path config = folder / "_config.yml";
        if (fs::is_regular_file(config, error)) {
            site.root = folder;
            read_site_config(config, site);
            return site;
        }
        if (holds_posts.empty() && folder.filename() == "_posts") holds_posts = folder.parent_path();
        if (folder == folder.root_path()) break;
        folder = folder.parent_path();
    }
    site.root = holds_posts;
    return site;
}

std::string jekyll_url(std::string_view permalink_template, std::string_view baseurl, const Article& post,
                       std::string_view slug) {
    const std::string_view pattern = template_for_style(permalink_template);
    const std::optional<iso_date::DateTime> date = iso_date::parse(post.date);

    std::string url = "/";
    for (std::size_t i = 0; i < pattern.size();) {
        if (pattern[i] != ':') {
            url += pattern[i++];
            continue;
        }
        std::size_t end = i + 1;
        while (end < pattern.size() && ((pattern[end] >= 'a' && pattern[end] <= 'z') || pattern[end] == '_')) ++end;
        std::string_view name = pattern.substr(i + 1, end - i - 1);
        auto value = placeholder_value(name, post, date, slug);
        if (!value && name.ends_with('_')) {  // ":title_" is ":title" followed by "_"
            name.remove_suffix(1);
            --end;
            value = placeholder_value(name, post, date, slug);
        }
        if (value) {
            url += *value;
            i = end;
        } else {
            url += pattern[i++];  // not a placeholder: a literal ':'
        }
    }

    // Jekyll's sanitize_url: no "..", no "./", no doubled '/' (empty placeholders leave them).
    std::string clean;
    for (std::size_t i = 0; i < url.size(); ++i) {
        if (url.compare(i, 2, "..") == 0) {
            clean += '/';
            ++i;
        } else if (url.compare(i, 2, "./") == 0) {
            ++i;
        } else if (!(url[i] == '/' && !clean.empty() && clean.back() == '/')) {
            clean += url[i];
        }
    }
    if (clean.empty() || clean.front() != '/') clean.insert(0, "/");
    return normalize_baseurl(baseurl) + escape_path(clean);
}

Article read_jekyll_post(const fs::path& file, std::string_view content, const JekyllSite& site) {
    const FrontMatter front = split_front_matter(content);
    const YAML::Node data = front.present ? load_front_matter(front.yaml) : YAML::Node(YAML::NodeType::Map);
    const PostFileName name = parse_file_name(file);

    Article post;
    post.source = file.string();
    post.id = text_field(data, "id");
    if (const auto published = field(data, "published"); published && published->IsScalar()) {
        bool value = true;
        if (YAML::convert<bool>::decode(*published, value)) post.published = value;
    }
    post.title = text_field(data, "title");
    if (post.title.empty()) post.title = title_from_slug(name.slug);

    if (const std::string date = text_field(data, "date"); !date.empty()) {
        auto normalized = iso_date::normalize(date);
        if (!normalized)
            throw InvalidInput("front matter: `date` is not a date: \"" + quote_excerpt(date) +
                               "\" (expected e.g. 2024-09-02 or 2024-09-02 10:00:00 +0900)");
        post.date = std::move(*normalized);
    } else {
        post.date = name.date;
    }

    // Jekyll: folders above _posts are categories unless the front matter lists its own.
    if (!has_field(data, "categories")) post.categories = categories_from_path(file, site);
    append_values(data, "categories", true, post.categories);
    append_values(data, "category", false, post.categories);
    // Jekyll: the singular `tag` wins over `tags`.
    append_values(data, has_field(data, "tag") ? "tag" : "tags", !has_field(data, "tag"), post.tags);

    for (const char* key : {"excerpt", "description", "feature_text"}) {
        std::string excerpt = optional_text_field(data, key);
        if (text_cleanup::looks_like_html(excerpt)) excerpt = single_line(html_to_text(excerpt));
        if (!excerpt.empty()) {
            post.excerpt = std::move(excerpt);
            break;
        }
    }

    if (const auto image = field(data, "image"); image && image->IsScalar()) {
        post.image = single_line(image->Scalar());
    } else if (image && image->IsMap()) {
        post.image = optional_text_field(*image, "path");
        if (post.image.empty()) post.image = optional_text_field(*image, "feature");
    }

    post.text = body_text(front.body, body_format(name.extension));

    std::string slug = text_field(data, "slug");
    if (slug.empty()) slug = name.slug;
    const std::string permalink = text_field(data, "permalink");
    post.url = jekyll_url(permalink.empty() ? std::string_view(site.permalink) : std::string_view(permalink),
                          site.baseurl, post, slug);
    return post;
}

}  // namespace sosik
