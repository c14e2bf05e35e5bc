// The analyzer pipeline: normalize (normalized_text.cpp) → ICU word segments →
// Korean layers (surface, stem, bigram, joined). Every token's offsets point
// into the caller's original UTF-8 text.
#include "sosik/analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>

#include <limits>
#include <string>

#include "hangul.h"
#include "hanja.h"
#include "korean_stemmer.h"
#include "normalized_text.h"
#include "sosik/error.h"

namespace sosik {

std::string_view layer_name(Layer layer) {
    switch (layer) {
    case Layer::surface: return "surface";
    case Layer::stem: return "stem";
    case Layer::bigram: return "bigram";
    case Layer::joined: return "joined";
    }
    return "unknown";
}

namespace {

enum class Script : std::uint8_t { hangul, number, other };

// One ICU word segment of the normalized text, [begin, end) in UTF-16 units.
struct Segment {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    Script script = Script::other;
    bool orphan = false;        // a particle ICU split off a Latin/digit word: DDP|에서
    bool after_number = false;  // directly after a number: 25|일부터
};

// A joined form spans at most this many ICU pieces (2024년9월25일 is six);
// longer runs without spaces are not words anyone searches for as one.
constexpr std::size_t kMaxJoinedPieces = 8;

// Positions between two words' bigram runs: the next word's first bigram is at
// last + kBigramGap, leaving one unused position, so a bigram phrase
// (consecutive positions) never matches across two words.
constexpr std::uint32_t kBigramGap = 2;

void append_utf8(std::string& out, const char16_t* s, std::size_t n) {
    const auto pair_at = [&](std::size_t i) { return U16_IS_LEAD(s[i]) && i + 1 < n && U16_IS_TRAIL(s[i + 1]); };
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char16_t c = s[i];
        if (c < 0x80) {
            bytes += 1;
        } else if (c < 0x800) {
            bytes += 2;
        } else if (pair_at(i)) {
            bytes += 4;
            ++i;
        } else {
            bytes += 3;  // BMP, or a lone surrogate written as U+FFFD
        }
    }
    const std::size_t old_size = out.size();
    out.resize(old_size + bytes);
    char* p = out.data() + old_size;
    for (std::size_t i = 0; i < n; ++i) {
        char32_t c = s[i];
        if (c < 0x80) {
            *p++ = static_cast<char>(c);
            continue;
        }
        if (pair_at(i)) {
            c = static_cast<char32_t>(U16_GET_SUPPLEMENTARY(c, s[i + 1]));
            ++i;
        } else if (U16_IS_SURROGATE(c)) {
            c = 0xFFFD;
        }
        if (c < 0x800) {
            *p++ = static_cast<char>(0xC0 | (c >> 6));
            *p++ = static_cast<char>(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            *p++ = static_cast<char>(0xE0 | (c >> 12));
            *p++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            *p++ = static_cast<char>(0x80 | (c & 0x3F));
        } else {
            *p++ = static_cast<char>(0xF0 | (c >> 18));
            *p++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
            *p++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            *p++ = static_cast<char>(0x80 | (c & 0x3F));
        }
    }
}

// Characters that close what precedes them, so a particle after them belongs
// to that word: (MOU)을, “서울”의, 5%의.
bool is_closer(UChar32 c) {
    switch (c) {
    case u'"':
    case u'\'':
    case u'%':
    case 0x00B0:  // °
    case 0x2030:  // ‰
        return true;
    default: break;
    }
    const auto type = u_charType(c);
    return type == U_END_PUNCTUATION || type == U_FINAL_PUNCTUATION;
}

// ASCII whitespace: after nfkc_cf, U+00A0 and U+3000 are plain spaces too.
constexpr bool is_space(char16_t c) { return c == u' ' || (c >= u'\t' && c <= u'\r'); }

// Marks that ICU always splits from adjacent Hangul (see find_segments).
constexpr bool is_simple_opener(char16_t c) {
    switch (c) {
    case u'(': case u'[': case u'{': case u'<': case u'"': case u'\'':
    case u'\u201C': case u'\u2018': case u'\u300C': case u'\u300E': case u'\u300A': case u'\u3008':
        return true;
    default: return false;
    }
}
constexpr bool is_simple_closer(char16_t c) {
    switch (c) {
    case u'.': case u',': case u'!': case u'?': case u';': case u':': case u')': case u']': case u'}':
    case u'>': case u'"': case u'\'': case u'\u201D': case u'\u2019': case u'\u300D': case u'\u300F':
    case u'\u300B': case u'\u3009':
        return true;
    default: return false;
    }
}

// Han ideographs of the BMP (Hanja in Korean text: 韓國, 尹, 與野).
constexpr bool is_han(char16_t c) { return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF); }

bool all_syllables(const char16_t* s, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        if (!detail::hangul::is_syllable(s[i])) return false;
    }
    return true;
}

}  // namespace

struct Analyzer::Impl {
    explicit Impl(AnalyzerOptions opts) : options(opts) {
        UErrorCode status = U_ZERO_ERROR;
        words.reset(icu::BreakIterator::createWordInstance(icu::Locale("ko"), status));
        if (U_FAILURE(status) || !words) {
            throw Error(std::string("cannot create the ICU word break iterator: ") + u_errorName(status));
        }
    }

    void run(std::string_view text, Positions& next, std::vector<Token>& out);

private:
    void find_segments();
    void icu_segments(std::size_t from, std::size_t to);
    void mark_orphans();
    void emit_cluster(std::size_t first, std::size_t last, Positions& next, std::vector<Token>& out);
    void emit_bigrams(const Segment& seg, const char16_t* base, std::size_t syllables, std::vector<Token>& out);
    bool emit_reading(std::uint32_t from, std::uint32_t to, Layer layer, std::uint32_t position,
                      std::vector<Token>& out);

    const char16_t* units(std::uint32_t at) const { return norm.text.data() + at; }
    std::u16string_view view(const Segment& s) const { return {units(s.begin), s.end - s.begin}; }
    // Original byte range of normalized units [from, to).
    std::uint32_t begin_of(std::uint32_t from) const { return norm.begin[from]; }
    std::uint32_t end_of(std::uint32_t to) const { return norm.end[to - 1]; }

    Token& emit(std::vector<Token>& out, Layer layer, const char16_t* s, std::size_t n, std::uint32_t position,
                std::uint32_t begin, std::uint32_t end) {
        Token& t = out.emplace_back();
        t.layer = layer;
        t.position = position;
        t.begin = begin;
        t.end = end;
        append_utf8(t.text, s, n);
        return t;
    }

public:
    AnalyzerOptions options;

private:
    detail::TextNormalizer normalizer;
    std::unique_ptr<icu::BreakIterator> words;
    const detail::KoreanStemmer& stemmer = detail::KoreanStemmer::instance();

    // Per-call scratch, kept to avoid reallocating on every call.
    detail::NormalizedText norm;
    std::vector<Segment> segments;
    std::vector<detail::StemResult> stems;  // stems[i] for piece i of the current cluster
    std::vector<bool> has_stem;
    std::u16string joined;
    std::string hanja;  // scratch for emit_reading
    std::uint32_t bigram_next = 0;
    std::uint32_t bigram_last = 0;
    bool any_bigram = false;
};

// Whitespace-delimited runs of the shape [opening marks] Hangul-syllables
// [closing marks], the bulk of Korean text, are segmented directly: ICU's
// word rules give exactly the Hangul part as one LETTER segment there (it
// has no rule joining Hangul to these marks or across spaces). Everything
// else goes through the ICU word BreakIterator, consecutive runs in one call.
// On news text this cut ICU from a third of the analysis time to a twentieth.
void Analyzer::Impl::find_segments() {
    segments.clear();
    const char16_t* text = norm.text.data();
    const std::size_t n = norm.text.size();
    std::size_t icu_begin = 0, icu_end = 0;  // pending region for ICU, empty if equal
    std::size_t i = 0;
    while (i < n) {
        if (is_space(text[i])) {
            ++i;
            continue;
        }
        const std::size_t run_begin = i;
        while (i < n && !is_space(text[i])) ++i;
        const std::size_t run_end = i;
        std::size_t a = run_begin;
        while (a < run_end && is_simple_opener(text[a])) ++a;
        std::size_t b = a;
        while (b < run_end && detail::hangul::is_syllable(text[b])) ++b;
        std::size_t c = b;
        while (c < run_end && is_simple_closer(text[c])) ++c;
        if (b > a && c == run_end) {
            if (icu_end > icu_begin) icu_segments(icu_begin, icu_end);
            icu_begin = icu_end = 0;
            Segment seg;
            seg.begin = static_cast<std::uint32_t>(a);
            seg.end = static_cast<std::uint32_t>(b);
            seg.script = Script::hangul;
            segments.push_back(seg);
        } else {
            if (icu_end == icu_begin) icu_begin = run_begin;
            icu_end = run_end;
        }
    }
    if (icu_end > icu_begin) icu_segments(icu_begin, icu_end);
}

void Analyzer::Impl::icu_segments(std::size_t from, std::size_t to) {
    UErrorCode status = U_ZERO_ERROR;
    UText text = UTEXT_INITIALIZER;
    const char16_t* base = norm.text.data() + from;
    const auto n = static_cast<std::int32_t>(to - from);
    utext_openUChars(&text, base, n, &status);
    words->setText(&text, status);  // keeps its own shallow clone of `text`
    utext_close(&text);
    if (U_FAILURE(status)) throw Error(std::string("ICU word segmentation failed: ") + u_errorName(status));

    std::int32_t start = words->first();
    for (std::int32_t end = words->next(); end != icu::BreakIterator::DONE; start = end, end = words->next()) {
        const std::int32_t tag = words->getRuleStatus();
        if (tag < UBRK_WORD_NONE_LIMIT) continue;  // spaces, punctuation, symbols, emoji
        UChar32 first = 0;
        std::int32_t at = start;
        U16_NEXT(base, at, n, first);
        Segment seg;
        seg.begin = static_cast<std::uint32_t>(from + static_cast<std::size_t>(start));
        seg.end = static_cast<std::uint32_t>(from + static_cast<std::size_t>(end));
        if (detail::hangul::is_hangul(first)) {
            seg.script = Script::hangul;
        } else if (tag < UBRK_WORD_NUMBER_LIMIT && u_isdigit(first)) {
            seg.script = Script::number;
        }
        segments.push_back(seg);
    }
}

// A Hangul piece right after a non-Hangul word (ICU split it at the script
// change), or after that word's closing bracket/quote or abbreviation's full
// stop, that is a bare particle is dropped: DDP|에서, (MOU)|을, “서울”|의,
// e.g.|는. It is no word of its own.
void Analyzer::Impl::mark_orphans() {
    for (std::size_t k = 1; k < segments.size(); ++k) {
        Segment& seg = segments[k];
        const Segment& prev = segments[k - 1];
        if (seg.script != Script::hangul) continue;
        bool attached = false;
        if (prev.end == seg.begin) {
            attached = true;  // two adjacent ICU words are never both Hangul
            seg.after_number = prev.script == Script::number;
        } else {
            attached = true;
            // An abbreviation's full stop ends a Latin word the way a bracket
            // does: e.g.|는, Inc.|는, U.S.|의 (not after Hangul: 끝났다.그리고).
            const bool after_latin = prev.script == Script::other && !is_han(*units(prev.begin));
            const auto n = static_cast<std::int32_t>(seg.begin);
            for (auto at = static_cast<std::int32_t>(prev.end); at < n && attached;) {
                UChar32 c = 0;
                U16_NEXT(norm.text.data(), at, n, c);
                attached = is_closer(c) || (after_latin && c == u'.');
            }
        }
        if (attached) seg.orphan = stemmer.is_orphan_particle(view(seg), seg.after_number);
    }
}

// The bigram layer, decided as follows:
// * Bigrams come from the stem, not the surface: 서울시는 → 서울 울시, and
//   체결했습니다 → 체결 (no 결했 했습 습니 니다): particles and endings are no
//   part of any word a query could look for, and cost index space.
// * Except a one-syllable ending that also ends many nouns (이/가/의/도/과/만/
//   인/적/한/할/해/함, see noun_tail in korean_lists.cpp) stays in the base:
//   서울시가 → 서울 울시 시가. The stemmer cannot tell 국제회의 (a compound)
//   from 국제회+의, or 여름휴가 from 여름휴+가; keeping the syllable keeps 회의
//   and 휴가 findable inside them, for one extra bigram when it really was a
//   particle. That is the bigram layer's job: recall inside compounds.
// * A two-syllable word emits its single bigram (the word itself), so every
//   Hangul query word of two or more syllables has a bigram phrase, matched
//   the same way whether the document has it alone or inside a compound.
// * Each word's bigrams take consecutive positions, then one position is left
//   unused (kBigramGap): a phrase of bigrams never matches across two words.
void Analyzer::Impl::emit_bigrams(const Segment& seg, const char16_t* base, std::size_t syllables,
                                  std::vector<Token>& out) {
    if (syllables < 2) return;
    for (std::size_t i = 0; i + 1 < syllables; ++i) {
        const auto at = static_cast<std::uint32_t>(seg.begin + i);
        emit(out, Layer::bigram, base + i, 2, bigram_next + static_cast<std::uint32_t>(i), begin_of(at),
             end_of(at + 2));
    }
    bigram_last = bigram_next + static_cast<std::uint32_t>(syllables - 2);
    bigram_next = bigram_last + kBigramGap;
    any_bigram = true;
}

// Emits the pieces [first, last) that ICU split without any character between
// them (CJ|제일제당, 제|10|차), in order of their begin offset.
void Analyzer::Impl::emit_cluster(std::size_t first, std::size_t last, Positions& next, std::vector<Token>& out) {
    const std::size_t count = last - first;
    if (stems.size() < count) stems.resize(count);
    has_stem.assign(count, false);
    bool any_hangul = false, any_other = false, all_han = true;
    for (std::size_t i = 0; i < count; ++i) {
        const Segment& seg = segments[first + i];
        all_han = all_han && seg.script == Script::other && is_han(*units(seg.begin));
        if (seg.script == Script::hangul) {
            any_hangul = true;
            has_stem[i] = stemmer.stem(view(seg), seg.after_number, stems[i]);
        } else {
            any_other = true;
        }
    }
    // Joined forms only where a script change split a word: 9월, cj제일제당,
    // 제10차. Not for Hanja/kana runs the CJ dictionary split on purpose.
    const bool join = options.joins && count >= 2 && count <= kMaxJoinedPieces && any_hangul && any_other;
    const std::uint32_t first_position = next.word;

    for (std::size_t i = 0; i < count; ++i) {
        const Segment& seg = segments[first + i];
        const std::uint32_t position = next.word++;
        const std::size_t length = seg.end - seg.begin;
        emit(out, Layer::surface, units(seg.begin), length, position, begin_of(seg.begin), end_of(seg.end));
        const detail::StemResult* stem = has_stem[i] ? &stems[i] : nullptr;
        if (stem && options.stems) {
            emit(out, Layer::stem, stem->text.data(), stem->text.size(), position, begin_of(seg.begin),
                 end_of(seg.begin + stem->source_syllables));
        }
        if (seg.script == Script::other && is_han(*units(seg.begin)))
            emit_reading(seg.begin, seg.end, Layer::stem, position, out);
        if (i == 0 && all_han && count >= 2)
            emit_reading(seg.begin, segments[last - 1].end, Layer::joined, first_position, out);
        if (i == 0 && join) {
            const Segment& tail = segments[last - 1];
            const std::uint32_t begin = begin_of(seg.begin);
            emit(out, Layer::joined, units(seg.begin), tail.end - seg.begin, first_position, begin,
                 end_of(tail.end));
            // LG전자의 → also lg전자: the joined form of the last piece's stem.
            if (has_stem[count - 1]) {
                const detail::StemResult& tail_stem = stems[count - 1];
                joined.assign(units(seg.begin), tail.begin - seg.begin);
                joined += tail_stem.text;
                emit(out, Layer::joined, joined.data(), joined.size(), first_position, begin,
                     end_of(tail.begin + tail_stem.source_syllables));
            }
        }
        if (options.bigrams && seg.script == Script::hangul) {
            if (stem) {
                emit_bigrams(seg, stem->bigram_base.data(), stem->bigram_syllables, out);
            } else if (all_syllables(units(seg.begin), length)) {
                emit_bigrams(seg, units(seg.begin), length, out);
            }
        }
    }
}

// Hanja are also indexed under their Hangul reading, as the stem of the piece
// (韓國 → Z한국: the query 한국 searches stems too) and, for a run ICU split
// into pieces (尹|錫|悅), as a joined word (윤석열). Readings come from
// libhangul's Hanja table (compiled in at build time), which knows words (北韓 → 북한, not 배한).
bool Analyzer::Impl::emit_reading(std::uint32_t from, std::uint32_t to, Layer layer, std::uint32_t position,
                                  std::vector<Token>& out) {
    for (std::uint32_t k = from; k < to; ++k)
        if (!is_han(norm.text[k])) return false;
    hanja.clear();
    append_utf8(hanja, units(from), to - from);
    std::string reading = detail::hanja_reading(hanja);
    if (reading.empty()) return false;
    Token& t = out.emplace_back();
    t.text = std::move(reading);
    t.layer = layer;
    t.position = position;
    t.begin = begin_of(from);
    t.end = end_of(to);
    return true;
}

void Analyzer::Impl::run(std::string_view text, Positions& next, std::vector<Token>& out) {
    if (text.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
        throw InvalidInput("text too long to analyze in one piece (2 GiB or more)");
    }
    normalizer.normalize(text, norm);
    find_segments();
    mark_orphans();
    out.reserve(out.size() + norm.text.size());

    bigram_next = next.bigram;
    any_bigram = false;
    for (std::size_t i = 0; i < segments.size();) {
        if (segments[i].orphan) {
            ++i;
            continue;
        }
        std::size_t j = i + 1;
        while (j < segments.size() && segments[j].begin == segments[j - 1].end && !segments[j].orphan) ++j;
        emit_cluster(i, j, next, out);
        i = j;
    }
    if (any_bigram) next.bigram = bigram_last + 1;
}

Analyzer::Analyzer(AnalyzerOptions options) : impl_(std::make_unique<Impl>(options)) {}
Analyzer::~Analyzer() = default;
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

std::vector<Token> Analyzer::analyze(std::string_view text) const {
    Positions next;
    return analyze(text, next);
}

std::vector<Token> Analyzer::analyze(std::string_view text, Positions& next) const {
    std::vector<Token> out;
    impl_->run(text, next, out);
    return out;
}

const AnalyzerOptions& Analyzer::options() const noexcept { return impl_->options; }

}  // namespace sosik
