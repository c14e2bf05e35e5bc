// Build step: compiles libhangul's Hanja table into the sorted arrays that
// tokenizer/src/hanja.cpp searches (see hanja_table.h), so that no process
// reads or inverts the 6 MB text table at run time.
//
//   sosik-hanja-gen HANJA_TXT OUTPUT_CPP
//
// Readings are computed by libhangul itself with the tokenizer's former
// run-time code (libhangul_hanja.cpp); only words whose reading differs from
// their characters' usual readings are kept (北韓 → 북한, not 배한).
#include "libhangul_hanja.h"

#include "hanja_table.h"

#include "sosik/error.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

using sosik::Error;

char32_t code_point(std::string_view c) {
    const auto b = [&](std::size_t i) { return static_cast<char32_t>(static_cast<unsigned char>(c[i])); };
    switch (c.size()) {
        case 1: return b(0);
        case 2: return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
        case 3: return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
        case 4: return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
        default: throw Error("not one UTF-8 character: " + std::string(c));
    }
}

// Every field of every line as libhangul's reader splits the file (fgets into
// 512 bytes): a superset of the words it can match.
std::set<std::string> table_words(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "r");
    if (!file) throw Error("cannot open " + path);
    std::set<std::string> words;
    char buf[512];
    while (std::fgets(buf, sizeof(buf), file)) {
        std::string_view line(buf);
        while (!line.empty()) {
            const std::size_t end = std::min(line.find_first_of(":\r\n"), line.size());
            const std::string_view field = line.substr(0, end);
            if (sosik::tools::utf8_characters(field).size() > 1) words.emplace(field);
            line.remove_prefix(std::min(end + 1, line.size()));
        }
    }
    std::fclose(file);
    return words;
}

template <typename T>
void emit_array(std::ostream& out, const char* type, const char* name, const std::vector<T>& values) {
    out << "constexpr " << type << ' ' << name << "[] = {";
    for (std::size_t i = 0; i < values.size(); ++i) {
        out << (i % 12 == 0 ? "\n    " : " ") << "0x" << std::hex << static_cast<std::uint32_t>(values[i]) << std::dec
            << ',';
    }
    out << "\n};\n";
}

void generate(const std::string& table_path, const std::string& output_path) {
    const sosik::tools::LibhangulHanja table(table_path);

    std::vector<char32_t> characters;
    std::vector<std::uint32_t> reading_start;
    std::vector<char16_t> readings;
    std::map<char32_t, char16_t> usual;
    for (const auto& [character, its_readings] : table.characters()) {
        if (its_readings.empty()) continue;
        characters.push_back(code_point(character));
        reading_start.push_back(static_cast<std::uint32_t>(readings.size()));
        for (const auto& reading : its_readings) readings.push_back(static_cast<char16_t>(code_point(reading)));
        usual.emplace(characters.back(), readings[reading_start.back()]);
    }
    reading_start.push_back(static_cast<std::uint32_t>(readings.size()));

    // Sorted by code points: the map's UTF-8 byte order is code point order.
    std::map<std::u32string, std::u16string> words;
    for (const std::string& word : table_words(table_path)) {
        const std::string reading = table.reading_of(word);
        if (reading.empty()) continue;
        std::u32string points;
        std::u16string usual_reading, word_reading;
        for (std::string_view c : sosik::tools::utf8_characters(word)) {
            points += code_point(c);
            usual_reading += usual.at(points.back());
        }
        for (std::string_view c : sosik::tools::utf8_characters(reading))
            word_reading += static_cast<char16_t>(code_point(c));
        if (word_reading.size() != points.size()) throw Error("not one syllable per character: " + word);
        if (word_reading == usual_reading) continue;
        if (points.size() > sosik::detail::kMaxHanjaWord) throw Error("word too long for hanja.cpp: " + word);
        words.emplace(std::move(points), std::move(word_reading));
    }
    std::vector<std::uint32_t> word_start;
    std::vector<char32_t> word_characters;
    std::vector<char16_t> word_readings;
    for (const auto& [points, reading] : words) {
        word_start.push_back(static_cast<std::uint32_t>(word_characters.size()));
    if (characters.empty()) throw Error("no Hanja with a reading in " + table_path);
    if (words.empty()) {  // C++ has no empty arrays; word_start keeps the padding out of reach
        word_characters.push_back(0);
        word_readings.push_back(0);
    }
        word_characters.insert(word_characters.end(), points.begin(), points.end());
        word_readings.insert(word_readings.end(), reading.begin(), reading.end());
    }
    word_start.push_back(static_cast<std::uint32_t>(word_characters.size()));
    if (characters.empty()) throw Error("no Hanja with a reading in " + table_path);
    if (words.empty()) {  // C++ has no empty arrays; word_start keeps the padding out of reach
        word_characters.push_back(0);
        word_readings.push_back(0);
    }

    std::ofstream out(output_path);
    out << "// Generated by sosik-hanja-gen from " << table_path << ": do not edit.\n"
        << "#include \"hanja_table.h\"\n\nnamespace sosik::detail {\n\nnamespace {\n\n";
    emit_array(out, "char32_t", "kCharacters", characters);
    emit_array(out, "std::uint32_t", "kReadingStart", reading_start);
    emit_array(out, "char16_t", "kReadings", readings);
    emit_array(out, "std::uint32_t", "kWordStart", word_start);
    emit_array(out, "char32_t", "kWordCharacters", word_characters);
    emit_array(out, "char16_t", "kWordReadings", word_readings);
    out << "\n}  // namespace\n\n"
        << "// constinit: no static initialization order to think about.\n"
        << "constinit const HanjaTable kHanjaTable{kCharacters, kReadingStart, kReadings, kWordStart, kWordCharacters,\n"
        << "                                       kWordReadings};\n\n}  // namespace sosik::detail\n";
    out.close();
    if (!out) throw Error("cannot write " + output_path);
    std::cout << "sosik-hanja-gen: " << characters.size() << " characters, " << readings.size() << " readings, "
              << words.size() << " words read otherwise than their characters\n";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: sosik-hanja-gen HANJA_TXT OUTPUT_CPP\n";
        return 2;
    }
    try {
        generate(argv[1], argv[2]);
    } catch (const std::exception& e) {
        std::cerr << "sosik-hanja-gen: " << e.what() << '\n';
        std::remove(argv[2]);
        return 1;
    }
}
