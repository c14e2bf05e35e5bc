#define BOOST_TEST_MODULE hanja
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hanja.h"            // tokenizer/src: the compiled table
#include "libhangul_hanja.h"  // tokenizer/tools: libhangul's table read at run time, as before

// The table compiled in at build time must give every reading the tokenizer got
// when it read and inverted libhangul's hanja.txt at run time.

namespace {

const sosik::tools::LibhangulHanja& libhangul() {
    static const sosik::tools::LibhangulHanja table(SOSIK_HANJA_TABLE);
    return table;
}

std::string utf8(char32_t c) {
    std::string out;
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
    return out;
}

// Counts mismatches, reporting the first few.
struct Comparison {
    std::size_t compared = 0, different = 0;
    void check(const std::string& hanja) {
        ++compared;
        const std::string before = libhangul().reading_of(hanja);
        const std::string now = sosik::detail::hanja_reading(hanja);
        if (before == now) return;
        if (++different <= 10) BOOST_ERROR(hanja << ": " << now << " (was " << before << ')');
    }
    ~Comparison() { BOOST_TEST_MESSAGE(compared << " compared, " << different << " different"); }
};

}  // namespace

BOOST_AUTO_TEST_CASE(examples) {
    BOOST_TEST(sosik::detail::hanja_reading("尹") == "윤");
    BOOST_TEST(sosik::detail::hanja_reading("北韓") == "북한");  // the table's word, not 배한
    BOOST_TEST(sosik::detail::hanja_reading("北") == "북");
    BOOST_TEST(sosik::detail::hanja_reading("韓國") == "한국");
    BOOST_TEST(sosik::detail::hanja_reading("尹錫悅") == "윤석열");
    BOOST_TEST(sosik::detail::hanja_reading("").empty());
    BOOST_TEST(sosik::detail::hanja_reading("韓a").empty());
    BOOST_TEST(sosik::detail::hanja_reading("\xE9\x9F").empty());  // 韓 cut short
}

BOOST_AUTO_TEST_CASE(every_character_reads_as_before) {
    Comparison comparison;
    std::set<std::string> seen;
    for (const auto& [character, readings] : libhangul().characters()) {
        comparison.check(character);
        seen.insert(character);
    }
    BOOST_TEST(seen.size() > 20000u);
    // And the characters the table leaves out: every CJK ideograph block.
    for (const auto& [first, last] : {std::pair<char32_t, char32_t>{0x2E80, 0x2FDF}, {0x3000, 0x9FFF},
                                      {0xF900, 0xFAFF}, {0xAC00, 0xD7A3}, {0x20000, 0x3134F}})
        for (char32_t c = first; c <= last; ++c)
            if (!seen.count(utf8(c))) comparison.check(utf8(c));
    BOOST_TEST(comparison.different == 0u);
}

BOOST_AUTO_TEST_CASE(every_word_of_the_table_reads_as_before) {
    // Every field of every line, as libhangul splits the file: words, readings, glosses.
    std::FILE* file = std::fopen(SOSIK_HANJA_TABLE, "r");
    BOOST_REQUIRE(file);
    std::set<std::string> fields;
    char buf[512];
    while (std::fgets(buf, sizeof(buf), file)) {
        std::string_view line(buf);
        while (!line.empty()) {
            const std::size_t end = std::min(line.find_first_of(":\r\n"), line.size());
            fields.emplace(line.substr(0, end));
            line.remove_prefix(std::min(end + 1, line.size()));
        }
    }
    std::fclose(file);
    BOOST_TEST(fields.size() > 250000u);
    Comparison comparison;
    for (const std::string& field : fields) comparison.check(field);
    BOOST_TEST(comparison.different == 0u);
}

BOOST_AUTO_TEST_CASE(runs_the_table_does_not_list_read_as_before) {
    std::vector<std::string> characters;
    for (const auto& [character, readings] : libhangul().characters()) characters.push_back(character);
    // Mostly characters with several readings, where a word could change them.
    std::vector<std::string> ambiguous;
    for (const auto& [character, readings] : libhangul().characters())
        if (readings.size() > 1) ambiguous.push_back(character);
    std::mt19937 random(19);
    Comparison comparison;
    for (int i = 0; i < 50000; ++i) {
        const auto& from = i % 2 ? ambiguous : characters;
        std::uniform_int_distribution<std::size_t> pick(0, from.size() - 1);
        std::string run;
        for (int n = 2 + i % 4; n > 0; --n) run += from[pick(random)];
        comparison.check(run);
    }
    // Long runs: more reading combinations than the former code tried.
    for (const char* run : {"北北北北北北北北北北", "樂樂樂樂樂樂樂樂", "韓國北韓韓國北韓韓國北韓韓國北韓韓國北韓"})
        comparison.check(run);
    BOOST_TEST(comparison.different == 0u);
}
