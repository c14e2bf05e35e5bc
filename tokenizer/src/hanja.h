// Hangul readings of Hanja (韓國 → 한국, 尹 → 윤) from the Hanja table of
// libhangul. Private to the tokenizer.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct _HanjaTable;

namespace sosik::detail {

class HanjaReadings {
public:
    // The table is read from libhangul's data on first use (≈0.1 s) and shared,
    // read-only, by every thread; without that file no Hanja has a reading.
    static const HanjaReadings& instance();

    // The reading of a run of Hanja (UTF-8): the table's word when it lists one
    // (北韓 → 북한, not 배한), else each character's usual reading; empty when a
    // character has none.
    std::string reading_of(std::string_view hanja) const;

    ~HanjaReadings();
    HanjaReadings(const HanjaReadings&) = delete;
    HanjaReadings& operator=(const HanjaReadings&) = delete;

private:
    HanjaReadings();
    bool table_lists(const std::string& reading, std::string_view hanja) const;

    _HanjaTable* table_ = nullptr;
    // One Hanja character (UTF-8) → its readings, the usual one first.
    std::unordered_map<std::string, std::vector<std::string>> readings_;
};

}  // namespace sosik::detail
