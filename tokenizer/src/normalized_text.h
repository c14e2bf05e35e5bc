// Stage 1 of the analyzer: UTF-8 → UTF-16 → NFKC case fold (ICU nfkc_cf),
// keeping for every output code unit the byte range of the original text it
// came from, so tokens found in normalized text slice back to the original.
#pragma once

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <cstdint>
#include <string_view>
#include <vector>

namespace sosik::detail {

struct NormalizedText {
    std::vector<char16_t> text;        // nfkc_cf(input)
    std::vector<std::uint32_t> begin;  // per code unit: first original byte of its source
    std::vector<std::uint32_t> end;    // per code unit: one past the last original byte of its source

    void clear() {
        text.clear();
        begin.clear();
        end.clear();
    }
};

class TextNormalizer {
public:
    TextNormalizer();  // throws sosik::Error if ICU's nfkc_cf data is missing

    // Invalid UTF-8 never throws: each bad byte becomes a space (a separator).
    // Reuses its own buffers: not thread-safe, like the Analyzer that owns it.
    void normalize(std::string_view utf8, NormalizedText& out);

private:
    void decode(std::string_view utf8);

    const icu::Normalizer2* nfkc_cf_;
    // The decoded input, one entry per UTF-16 unit, with its original byte range.
    std::vector<char16_t> units_;
    std::vector<std::uint32_t> unit_begin_;
    std::vector<std::uint32_t> unit_end_;
    icu::UnicodeString chunk_;
};

}  // namespace sosik::detail
