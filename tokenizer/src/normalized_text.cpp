#include "normalized_text.h"

#include <unicode/utf16.h>

#include <string>

#include "sosik/error.h"

namespace sosik::detail {

TextNormalizer::TextNormalizer() {
    UErrorCode status = U_ZERO_ERROR;
    nfkc_cf_ = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status) || nfkc_cf_ == nullptr) {
        throw Error(std::string("cannot load ICU nfkc_cf normalization data: ") + u_errorName(status));
    }
}

// UTF-8 → UTF-16 with each unit's original byte range. Strict (no overlongs,
// surrogates or code points past U+10FFFF); a byte that does not start a
// well-formed sequence becomes one space.
void TextNormalizer::decode(std::string_view utf8) {
    // At most one UTF-16 unit per byte: size for that, write by index, trim.
    units_.resize(utf8.size());
    unit_begin_.resize(utf8.size());
    unit_end_.resize(utf8.size());
    std::size_t out = 0;
    const auto push = [&](char16_t unit, std::size_t begin, std::size_t end) {
        units_[out] = unit;
        unit_begin_[out] = static_cast<std::uint32_t>(begin);
        unit_end_[out] = static_cast<std::uint32_t>(end);
        ++out;
    };
    const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
    const std::size_t n = utf8.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned lead = p[i];
        if (lead < 0x80) {
            push(static_cast<char16_t>(lead), i, i + 1);
            ++i;
            continue;
        }
        std::size_t len = 0;
        char32_t cp = 0;
        unsigned low = 0x80, high = 0xBF;  // allowed range of the second byte
        if (lead >= 0xC2 && lead <= 0xDF) {
            len = 2;
            cp = lead & 0x1F;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            len = 3;
            cp = lead & 0x0F;
            if (lead == 0xE0) low = 0xA0;   // no overlongs
            if (lead == 0xED) high = 0x9F;  // no surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            len = 4;
            cp = lead & 0x07;
            if (lead == 0xF0) low = 0x90;   // no overlongs
            if (lead == 0xF4) high = 0x8F;  // nothing past U+10FFFF
        }
        bool ok = len != 0 && i + len <= n;
        for (std::size_t k = 1; ok && k < len; ++k) {
            const unsigned b = p[i + k];
            ok = k == 1 ? (b >= low && b <= high) : (b & 0xC0) == 0x80;
            cp = (cp << 6) | (b & 0x3F);
        }
        if (!ok) {
            push(u' ', i, i + 1);
            ++i;
            continue;
        }
        if (cp < 0x10000) {
            push(static_cast<char16_t>(cp), i, i + len);
        } else {
            push(static_cast<char16_t>(U16_LEAD(cp)), i, i + len);
            push(static_cast<char16_t>(U16_TRAIL(cp)), i, i + len);
        }
        i += len;
    }
    units_.resize(out);
    unit_begin_.resize(out);
    unit_end_.resize(out);
}

// Most text is already in nfkc_cf (Hangul syllables, lowercase Latin, digits):
// spanQuickCheckYes finds those runs, copied unit by unit with exact offsets.
// The rest is normalized chunk by chunk between normalization boundaries, so
// every output unit of a chunk maps to the chunk's original byte range (ＡＢＣ
// → abc keeps one full-width letter per letter; a decomposed syllable ᄉ+ᅥ
// becomes 서 mapped to both jamo).
void TextNormalizer::normalize(std::string_view utf8, NormalizedText& out) {
    out.clear();
    decode(utf8);
    const auto n = static_cast<std::int32_t>(units_.size());
    out.text.reserve(units_.size());
    out.begin.reserve(units_.size());
    out.end.reserve(units_.size());
    const UChar* base = units_.data();
    UErrorCode status = U_ZERO_ERROR;
    std::int32_t pos = 0;
    while (pos < n) {
        const icu::UnicodeString rest(false, base + pos, n - pos);  // read-only alias
        const std::int32_t normalized = nfkc_cf_->spanQuickCheckYes(rest, status);
        if (U_FAILURE(status)) throw Error(std::string("ICU normalization failed: ") + u_errorName(status));
        out.text.insert(out.text.end(), units_.begin() + pos, units_.begin() + pos + normalized);
        out.begin.insert(out.begin.end(), unit_begin_.begin() + pos, unit_begin_.begin() + pos + normalized);
        out.end.insert(out.end.end(), unit_end_.begin() + pos, unit_end_.begin() + pos + normalized);
        pos += normalized;
        if (pos >= n) break;

        // One chunk: from here to the next code point with a boundary before it.
        std::int32_t end = pos;
        UChar32 c = 0;
        U16_NEXT(base, end, n, c);
        while (end < n) {
            std::int32_t next = end;
            U16_NEXT(base, next, n, c);
            if (nfkc_cf_->hasBoundaryBefore(c)) break;
            end = next;
        }
        const icu::UnicodeString chunk(false, base + pos, end - pos);
        nfkc_cf_->normalize(chunk, chunk_, status);
        if (U_FAILURE(status)) throw Error(std::string("ICU normalization failed: ") + u_errorName(status));
        const std::uint32_t begin = unit_begin_[static_cast<std::size_t>(pos)];
        const std::uint32_t chunk_end = unit_end_[static_cast<std::size_t>(end - 1)];
        for (std::int32_t k = 0; k < chunk_.length(); ++k) {
            out.text.push_back(chunk_.charAt(k));
            out.begin.push_back(begin);
            out.end.push_back(chunk_end);
        }
        pos = end;
    }
}

}  // namespace sosik::detail
