// Hanja readings straight from libhangul's table, as the tokenizer computed them
// at run time until the table was compiled in: the build's generator
// (hanja_table_gen.cpp) and the test that holds the compiled table to the same
// answers (tests/tokenizer/hanja_test.cpp) use it. Not part of the library.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

struct _HanjaTable;

namespace sosik::tools {

class LibhangulHanja {
public:
    // Reads and inverts the table at `path` (libhangul's hanja.txt); throws
    // sosik::Error when libhangul cannot load it.
    explicit LibhangulHanja(const std::string& path);
    ~LibhangulHanja();
    LibhangulHanja(const LibhangulHanja&) = delete;
    LibhangulHanja& operator=(const LibhangulHanja&) = delete;

    // The reading of a run of Hanja (UTF-8): the table's word when it lists one
    // (北韓 → 북한, not 배한), else each character's usual reading; empty when a
    // character has none.
    std::string reading_of(std::string_view hanja) const;

    // One character (UTF-8) → its readings (one syllable each), the usual one first.
    const std::map<std::string, std::vector<std::string>>& characters() const { return readings_; }

private:
    bool table_lists(const std::string& reading, std::string_view hanja) const;

    _HanjaTable* table_ = nullptr;
    std::map<std::string, std::vector<std::string>> readings_;
};

// Single characters of a UTF-8 string, split on lead bytes as the tokenizer did.
std::vector<std::string_view> utf8_characters(std::string_view s);

}  // namespace sosik::tools
