#include "libhangul_hanja.h"

#include "sosik/error.h"

#include <hangul.h>

#include <algorithm>
#include <memory>
#include <unordered_map>

namespace sosik::tools {

namespace {

struct ListDeleter {
    void operator()(HanjaList* list) const { hanja_list_delete(list); }
};
using List = std::unique_ptr<HanjaList, ListDeleter>;

constexpr char16_t kFirstSyllable = 0xAC00;
constexpr char16_t kLastSyllable = 0xD7A3;

std::string utf8_of(char16_t c) {
    std::string out;
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
    return out;
}

// Of the readings of a table entry, the one its gloss names (北: "북녘 북" under
// 북, "달아날" under 배) is the usual one.
bool gloss_names(const char* comment, const std::string& reading) {
    const std::string_view gloss = comment ? comment : "";
    const std::size_t first_end = std::min(gloss.find(','), gloss.size());
    const std::string_view first = gloss.substr(0, first_end);
    return first.size() >= reading.size() && first.substr(first.size() - reading.size()) == reading;
}

constexpr std::size_t kMaxWordCandidates = 64;

}  // namespace

std::vector<std::string_view> utf8_characters(std::string_view s) {
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        const std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : 4;
        out.push_back(s.substr(i, n));
        i += n;
    }
    return out;
}

LibhangulHanja::LibhangulHanja(const std::string& path) : table_(hanja_table_load(path.c_str())) {
    if (!table_) throw Error("libhangul cannot load the Hanja table " + path);
    // libhangul looks up by reading: walk every syllable once to invert it.
    std::unordered_map<std::string, std::vector<std::string>> usual, other;
    for (char16_t s = kFirstSyllable; s <= kLastSyllable; ++s) {
        const std::string reading = utf8_of(s);
        const List list(hanja_table_match_exact(table_, reading.c_str()));
        if (!list) continue;
        const int size = hanja_list_get_size(list.get());
        for (int i = 0; i < size; ++i) {
            const char* value = hanja_list_get_nth_value(list.get(), static_cast<unsigned>(i));
            if (!value || utf8_characters(value).size() != 1) continue;
            auto& into = gloss_names(hanja_list_get_nth_comment(list.get(), static_cast<unsigned>(i)), reading)
                             ? usual
                             : other;
            auto& readings = into[value];
            if (readings.empty() || readings.back() != reading) readings.push_back(reading);
        }
    }
    for (auto& [hanja, readings] : usual) readings_[hanja] = std::move(readings);
    for (auto& [hanja, readings] : other) {
        auto& all = readings_[hanja];
        for (auto& reading : readings)
            if (std::find(all.begin(), all.end(), reading) == all.end()) all.push_back(std::move(reading));
    }
}

LibhangulHanja::~LibhangulHanja() { hanja_table_delete(table_); }

bool LibhangulHanja::table_lists(const std::string& reading, std::string_view hanja) const {
    const List list(hanja_table_match_exact(table_, reading.c_str()));
    if (!list) return false;
    const int size = hanja_list_get_size(list.get());
    for (int i = 0; i < size; ++i) {
        const char* value = hanja_list_get_nth_value(list.get(), static_cast<unsigned>(i));
        if (value && hanja == value) return true;
    }
    return false;
}

std::string LibhangulHanja::reading_of(std::string_view hanja) const {
    std::vector<const std::vector<std::string>*> per_character;
    for (std::string_view c : utf8_characters(hanja)) {
        const auto it = readings_.find(std::string(c));
        if (it == readings_.end() || it->second.empty()) return {};
        per_character.push_back(&it->second);
    }
    if (per_character.empty()) return {};
    if (per_character.size() > 1) {
        // Words the table lists: try reading combinations, usual readings first.
        std::vector<std::string> candidates{""};
        for (const auto* readings : per_character) {
            std::vector<std::string> longer;
            for (const auto& prefix : candidates)
                for (const auto& reading : *readings)
                    if (longer.size() < kMaxWordCandidates) longer.push_back(prefix + reading);
            candidates = std::move(longer);
        }
        for (const auto& candidate : candidates)
            if (table_lists(candidate, hanja)) return candidate;
    }
    std::string usual;
    for (const auto* readings : per_character) usual += readings->front();
    return usual;
}

}  // namespace sosik::tools
