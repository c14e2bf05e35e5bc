#define BOOST_TEST_MODULE analyzer
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <malloc.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sosik/analyzer.h"
#include "sosik/error.h"

namespace sosik {
std::ostream& operator<<(std::ostream& out, Layer layer) { return out << layer_name(layer); }
}  // namespace sosik

namespace bdata = boost::unit_test::data;
using sosik::Analyzer;
using sosik::AnalyzerOptions;
using sosik::Layer;
using sosik::Token;

namespace {

const Analyzer& analyzer() {
    static const Analyzer instance;  // tests run on one thread
    return instance;
}

std::vector<std::string> texts_of(const std::vector<Token>& tokens, Layer layer) {
    std::vector<std::string> out;
    for (const Token& t : tokens) {
        if (t.layer == layer) out.push_back(t.text);
    }
    return out;
}

const Token* find(const std::vector<Token>& tokens, Layer layer, std::string_view text) {
    for (const Token& t : tokens) {
        if (t.layer == layer && t.text == text) return &t;
    }
    return nullptr;
}

bool any_layer_has(const std::vector<Token>& tokens, std::string_view text) {
    return std::any_of(tokens.begin(), tokens.end(), [&](const Token& t) { return t.text == text; });
}

std::string dump(const std::vector<Token>& tokens) {
    std::ostringstream out;
    for (const Token& t : tokens) {
        out << t.position << ':' << sosik::layer_name(t.layer) << ':' << t.text << '[' << t.begin << ',' << t.end
            << ") ";
    }
    return out.str();
}

std::string_view slice(std::string_view text, const Token& t) { return text.substr(t.begin, t.end - t.begin); }

// Minimal UTF-8 helpers for building test input (valid input only).
std::u32string decode(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        const std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
        for (std::size_t k = 1; k < len; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(c);
        i += len;
    }
    return out;
}

std::string encode(std::u32string_view s) {
    std::string out;
    for (const char32_t c : s) {
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else if (c < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (c >> 6)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else if (c < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (c >> 12)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (c >> 18)));
            out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
    return out;
}

// Hangul syllables → conjoining jamo (NFD), by the Unicode algorithm.
std::string to_nfd(std::string_view nfc) {
    std::u32string out;
    for (const char32_t c : decode(nfc)) {
        if (c >= 0xAC00 && c <= 0xD7A3) {
            const char32_t index = c - 0xAC00;
            out.push_back(0x1100 + index / 588);
            out.push_back(0x1161 + (index % 588) / 28);
            if (index % 28 != 0) out.push_back(0x11A7 + index % 28);
        } else {
            out.push_back(c);
        }
    }
    return encode(out);
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t len = b < 0x80 ? 1 : (b >= 0xC2 && b < 0xE0) ? 2 : (b >= 0xE0 && b < 0xF0) ? 3 : (b >= 0xF0 && b < 0xF5) ? 4 : 0;
        if (len == 0 || i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        }
        i += len;
    }
    return true;
}

std::size_t code_points(std::string_view s) { return decode(s).size(); }

std::string concat_surfaces(std::string_view text) {
    std::string out;
    for (const Token& t : analyzer().analyze(text)) {
        if (t.layer == Layer::surface) out += t.text;
    }
    return out;
}

// Structural checks every analysis must pass, whatever the input.
void check_invariants(std::string_view text, const std::vector<Token>& tokens) {
    std::uint32_t previous_begin = 0;
    for (const Token& t : tokens) {
        BOOST_TEST_CONTEXT(dump({t})) {
            BOOST_TEST(t.begin < t.end);
            BOOST_TEST(t.end <= text.size());
            BOOST_TEST(t.begin >= previous_begin);  // ordered by begin offset
            BOOST_TEST(!t.text.empty());
            BOOST_TEST(valid_utf8(t.text));
        }
        previous_begin = t.begin;
    }
}

struct StemCase {
    const char* word;
    const char* stem;
};
std::ostream& operator<<(std::ostream& out, const StemCase& c) { return out << c.word << " → " << c.stem; }

struct Word {
    const char* text;
};
std::ostream& operator<<(std::ostream& out, const Word& w) { return out << w.text; }

std::string read_seed() {
    // The seed post as data/ holds it (the same bytes as ../shared/seed/, which not every clone has).
    const std::filesystem::path path = SOSIK_SOURCE_DIR "/data/_posts/2024-09-02-health-city-alliance.html";
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

// --- stems -----------------------------------------------------------------

const std::vector<StemCase> kStems = {
    // the seed post
    {"서울시가", "서울시"}, {"서울시는", "서울시"}, {"서울시와", "서울시"}, {"조성을", "조성"},
    {"체결했습니다", "체결"}, {"체결하였습니다", "체결"}, {"현대백화점과", "현대백화점"},
    {"시민들에게", "시민"}, {"기업들은", "기업"}, {"발표하였습니다", "발표"}, {"증진시키고", "증진"},
    {"건강도시로", "건강도시"}, {"예정입니다", "예정"}, {"예정이며", "예정"}, {"자리였습니다", "자리"},
    {"혁신적인", "혁신"}, {"효과적으로", "효과"}, {"기대됩니다", "기대"}, {"관련된", "관련"},
    {"주목받고", "주목"}, {"건강한", "건강"}, {"세계총회에서는", "세계총회"}, {"기업과의", "기업"},
    {"비영리단체와의", "비영리단체"}, {"건강도시연맹의", "건강도시연맹"}, {"동대문디자인플라자에서", "동대문디자인플라자"},
    // guards that still let the particle go
    {"아이가", "아이"}, {"경기도에서", "경기도"}, {"고양이가", "고양이"}, {"정치가의", "정치가"},
    {"대만이", "대만"}, {"불만을", "불만"}, {"김정은의", "김정은"}, {"나라는", "나라"}, {"그들은", "그들"},
    {"아들은", "아들"}, {"서울로", "서울"}, {"서울에서의", "서울"},
    // one-syllable nouns and counters
    {"힘을", "힘"}, {"집에서", "집"}, {"암이", "암"},
    // any one syllable before 으로 or a consonant-form copula (이란, 이라는 …), which no noun ends in
    {"펌이란", "펌"}, {"칸이라는", "칸"}, {"앞으로", "앞"},
    // verbs: the past contraction is undone so headline and article forms meet
    {"열렸다", "열리"}, {"열립니다", "열리"}, {"열린다", "열리"}, {"열리는", "열리"}, {"밝혔다", "밝히"},
    {"나타났다", "나타나"}, {"이어졌다", "이어지"}, {"높였다", "높이"}, {"바꾸었다", "바꾸"}, {"돌아왔다", "돌아오"},
    // question forms (queries) and other light verbs
    {"무엇인가요", "무엇"}, {"사용하나요", "사용"}, {"발매되었나요", "발매"}, {"재미있는", "재미"},
    {"관계없이", "관계"}, {"자연스러운", "자연"}, {"필요한가요", "필요"}, {"안전한가", "안전"},
    {"작동하는가", "작동"}, {"가능할까요", "가능"}, {"발표했습니까", "발표"}, {"사용될까요", "사용"},
    // questions in written style, past: encyclopedia and exam questions
    {"선출되었는가", "선출"}, {"재직하였나", "재직"}, {"수상했을까", "수상"}, {"열렸는가", "열리"},
    {"태어났는가", "태어나"}, {"발견되었을까요", "발견"}, {"수도였는가", "수도"}, {"원인이었나", "원인"},
    {"설명하시오", "설명"}, {"서술하십시오", "서술"},
    // contracted particles: 에선 = 에서는, 엔 = 에는, 에겐 = 에게는
    {"업계에선", "업계"}, {"여의도에선", "여의도"}, {"현장엔", "현장"}, {"그에겐", "그"}, {"선생님께선", "선생님"},
    {"엄마한텐", "엄마"},
};

BOOST_DATA_TEST_CASE(stem_strips_one_ending, bdata::make(kStems), c) {
    const std::string word = c.word;
    const auto tokens = analyzer().analyze(word);
    BOOST_TEST_INFO(dump(tokens));
    const auto stems = texts_of(tokens, Layer::stem);
    BOOST_TEST_REQUIRE(stems.size() == 1u);
    BOOST_TEST(stems.front() == c.stem);
    const Token* stem = find(tokens, Layer::stem, c.stem);
    BOOST_TEST(stem->position == 0u);
    BOOST_TEST(stem->begin == 0u);
    BOOST_TEST(!slice(word, *stem).empty());
    BOOST_TEST(word.substr(0, stem->end) == slice(word, *stem));
    BOOST_TEST(texts_of(tokens, Layer::surface) == std::vector<std::string>{word});
}

const std::vector<Word> kNoStem = {
    // nouns that look like noun+particle
    {"아이"}, {"나이"}, {"사이"}, {"오이"}, {"이야기"}, {"소나기"}, {"경기도"}, {"제주도"}, {"독도"},
    {"정치가"}, {"전문가"}, {"보안전문가"}, {"국가"}, {"작가"}, {"평가"}, {"휴가"}, {"여름휴가"},
    {"고양이"}, {"어린이"}, {"마을"}, {"가을"}, {"사과"}, {"효과"}, {"대만"}, {"불만"}, {"피로"},
    {"김정은"}, {"문재인"}, {"지난해"}, {"유엔"},
    // function words whose residue would be one ambiguous syllable
    {"하는"}, {"있습니다"}, {"것을"}, {"위해"}, {"통해"}, {"대한"}, {"하나"}, {"됩니다"},
    {"소란"}, {"가라고"}, {"하며"},
    // nothing to strip
    {"서울"}, {"건강도시연맹"}, {"에서"}, {"손잡고"},
};

BOOST_DATA_TEST_CASE(nouns_that_look_like_noun_plus_particle_stay_whole, bdata::make(kNoStem), w) {
    const auto tokens = analyzer().analyze(w.text);
    BOOST_TEST_INFO(dump(tokens));
    BOOST_TEST(texts_of(tokens, Layer::stem).empty());
    BOOST_TEST(texts_of(tokens, Layer::surface) == std::vector<std::string>{w.text});
}

// First on purpose: it needs a process that has read no Hanja yet. A reading
// comes from constant data compiled in; reading and inverting libhangul's table
// on first use cost every fresh sosik-search ~0.1 s and several MB of heap.
BOOST_AUTO_TEST_CASE(the_first_hanja_builds_no_table) {
    const Analyzer fresh;
    (void)fresh.analyze("서울시가 발표했다 ひらがなカタカナ");  // buffers, and ICU's CJ dictionary (kana)
    const std::size_t before = mallinfo2().uordblks;
    const auto tokens = fresh.analyze("尹錫悅 北韓");
    const std::size_t grown = mallinfo2().uordblks - before;
    BOOST_TEST(std::any_of(tokens.begin(), tokens.end(), [](const Token& t) { return t.text == "윤석열"; }));
    BOOST_TEST(grown < 64u * 1024u, "heap grew by " << grown << " bytes");  // 0 under sanitizers (no mallinfo)
}

BOOST_AUTO_TEST_CASE(seed_sentence_terms) {
    const std::string text = "서울시가 현대백화점, CJ제일제당 등과 손잡고 스마트 건강도시 조성을 위한 혁신적인 MOU를 체결했습니다.";
    const auto tokens = analyzer().analyze(text);
    BOOST_TEST_INFO(dump(tokens));
    check_invariants(text, tokens);
    for (const char* stem : {"서울시", "조성", "혁신", "체결"}) BOOST_TEST(find(tokens, Layer::stem, stem));
    BOOST_TEST(find(tokens, Layer::joined, "cj제일제당"));
    BOOST_TEST(find(tokens, Layer::surface, "mou"));
    BOOST_TEST(!any_layer_has(tokens, "를"));  // MOU|를: an orphan particle
    // Word positions: one per word, the joined form at its first piece.
    BOOST_TEST(find(tokens, Layer::surface, "서울시가")->position == 0u);
    BOOST_TEST(find(tokens, Layer::surface, "현대백화점")->position == 1u);
    BOOST_TEST(find(tokens, Layer::surface, "cj")->position == 2u);
    BOOST_TEST(find(tokens, Layer::joined, "cj제일제당")->position == 2u);
    BOOST_TEST(find(tokens, Layer::surface, "제일제당")->position == 3u);
    BOOST_TEST(find(tokens, Layer::surface, "등과")->position == 4u);
}

// --- bigrams ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(compound_bigrams_form_a_phrase_of_their_parts) {
    const std::string text = "제10차 건강도시연맹 세계총회";
    const auto tokens = analyzer().analyze(text);
    BOOST_TEST_INFO(dump(tokens));
    const Token* first = find(tokens, Layer::bigram, "건강");
    BOOST_TEST_REQUIRE(first);
    const std::uint32_t b = first->position;
    const std::vector<std::pair<std::string, std::uint32_t>> expected = {
        {"건강", b}, {"강도", b + 1}, {"도시", b + 2}, {"시연", b + 3}, {"연맹", b + 4}};
    for (const auto& [bigram, position] : expected) {
        const Token* t = find(tokens, Layer::bigram, bigram);
        BOOST_TEST_REQUIRE(t);
        BOOST_TEST(t->position == position);
        BOOST_TEST(slice(text, *t) == bigram);  // offsets: the two syllables in the original
    }
    // The query word 건강도시 gives 건강 강도 도시: a consecutive run inside the compound.
    const auto query = texts_of(analyzer().analyze("건강도시"), Layer::bigram);
    BOOST_TEST(query == (std::vector<std::string>{"건강", "강도", "도시"}));
}

BOOST_AUTO_TEST_CASE(bigrams_never_span_two_words) {
    const auto tokens = analyzer().analyze("건강 도시 연맹 건강도시");
    BOOST_TEST_INFO(dump(tokens));
    std::vector<const Token*> bigrams;
    for (const Token& t : tokens) {
        if (t.layer == Layer::bigram) bigrams.push_back(&t);
    }
    BOOST_TEST_REQUIRE(bigrams.size() == 6u);  // 건강, 도시, 연맹 (two-syllable words), 건강 강도 도시
    BOOST_TEST(bigrams[1]->position >= bigrams[0]->position + 2);
    BOOST_TEST(bigrams[2]->position >= bigrams[1]->position + 2);
    BOOST_TEST(bigrams[3]->position >= bigrams[2]->position + 2);
    BOOST_TEST(bigrams[4]->position == bigrams[3]->position + 1);
}

BOOST_AUTO_TEST_CASE(bigrams_of_the_seed_post_stay_inside_their_word) {
    const std::string text = read_seed();
    BOOST_TEST_REQUIRE(!text.empty());
    const auto tokens = analyzer().analyze(text);
    std::vector<const Token*> bigrams;
    for (const Token& t : tokens) {
        if (t.layer == Layer::bigram) bigrams.push_back(&t);
    }
    BOOST_TEST_REQUIRE(bigrams.size() > 100u);
    for (std::size_t i = 1; i < bigrams.size(); ++i) {
        BOOST_TEST_REQUIRE(bigrams[i]->position > bigrams[i - 1]->position);
        // consecutive positions ⇔ overlapping syllables of one word
        const bool consecutive = bigrams[i]->position == bigrams[i - 1]->position + 1;
        const bool overlapping = bigrams[i]->begin < bigrams[i - 1]->end;
        BOOST_TEST(consecutive == overlapping, dump({*bigrams[i - 1], *bigrams[i]}));
    }
}

BOOST_AUTO_TEST_CASE(bigrams_come_from_the_stem) {
    // 서울시는: the topic particle is no part of any noun → 서울 울시, not 시는.
    BOOST_TEST(texts_of(analyzer().analyze("서울시는"), Layer::bigram) == (std::vector<std::string>{"서울", "울시"}));
    BOOST_TEST(texts_of(analyzer().analyze("체결했습니다"), Layer::bigram) == std::vector<std::string>{"체결"});
    BOOST_TEST(texts_of(analyzer().analyze("시민들에게"), Layer::bigram) == std::vector<std::string>{"시민"});
    // 의, 이/가, 도 … also end nouns (회의, 휴가, 제도): a wrongly stripped
    // compound keeps its last bigram, so 회의 still finds 국제회의.
    BOOST_TEST(texts_of(analyzer().analyze("국제회의"), Layer::bigram) ==
               (std::vector<std::string>{"국제", "제회", "회의"}));
    // a two-syllable word is its own single bigram; one syllable and Latin give none
    BOOST_TEST(texts_of(analyzer().analyze("연맹"), Layer::bigram) == std::vector<std::string>{"연맹"});
    BOOST_TEST(texts_of(analyzer().analyze("이 MOU 9"), Layer::bigram).empty());
}

// --- mixed scripts ---------------------------------------------------------

BOOST_AUTO_TEST_CASE(latin_then_hangul_is_joined) {
    const std::string text = "CJ제일제당";
    const auto tokens = analyzer().analyze(text);
    BOOST_TEST_INFO(dump(tokens));
    BOOST_TEST(texts_of(tokens, Layer::surface) == (std::vector<std::string>{"cj", "제일제당"}));
    const Token* joined = find(tokens, Layer::joined, "cj제일제당");
    BOOST_TEST_REQUIRE(joined);
    BOOST_TEST(joined->position == 0u);
    BOOST_TEST(slice(text, *joined) == "CJ제일제당");
    BOOST_TEST(find(tokens, Layer::surface, "제일제당")->position == 1u);
}

const std::vector<StemCase> kOrphans = {
    // text, the particle that must not become a term
    {"동대문디자인플라자(DDP)에서 열릴", "에서"}, {"DDP에서 열릴", "에서"}, {"업무협약(MOU)을 체결", "을"},
    {"“스마트 건강도시 서울”의 비전", "의"}, {"LG가 발표", "가"}, {"WHO의 정책", "의"}, {"2024에 열린", "에"},
    {"5G는 빠르다", "는"}, {"ESG를 위한", "를"}, {"e.g.는 예를 들어", "는"}, {"Activate Inc.의 제품", "의"},
    {"U.S.에서 열린", "에서"},
};

BOOST_DATA_TEST_CASE(orphan_particles_after_latin_or_digits_are_dropped, bdata::make(kOrphans), c) {
    const auto tokens = analyzer().analyze(c.word);
    BOOST_TEST_INFO(dump(tokens));
    BOOST_TEST(!any_layer_has(tokens, c.stem));
    check_invariants(c.word, tokens);
    // the dropped particle takes no position: words stay consecutive
    std::uint32_t expected = 0;
    for (const Token& t : tokens) {
        if (t.layer != Layer::surface) continue;
        BOOST_TEST(t.position == expected);
        ++expected;
    }
}

const std::vector<StemCase> kJoined = {
    {"9월", "9월"}, {"2024년", "2024년"}, {"제10차 총회", "제10차"}, {"1,200명이", "1,200명"},
    {"25일부터", "25일"}, {"5만 명", "5만"}, {"섭씨 30도", "30도"}, {"종로3가", "종로3가"},
    {"LG전자의", "lg전자"}, {"LG전자의", "lg전자의"}, {"갤럭시S24를", "갤럭시s24"},
};

BOOST_DATA_TEST_CASE(script_changes_are_joined_back, bdata::make(kJoined), c) {
    const std::string text = c.word;
    const auto tokens = analyzer().analyze(text);
    BOOST_TEST_INFO(dump(tokens));
    check_invariants(text, tokens);
    const Token* joined = find(tokens, Layer::joined, c.stem);
    BOOST_TEST_REQUIRE(joined);
    // at the position of its first piece, offsets spanning its pieces
    const Token* first_surface = nullptr;
    for (const Token& t : tokens) {
        if (t.layer == Layer::surface && t.begin == joined->begin) first_surface = &t;
    }
    BOOST_TEST_REQUIRE(first_surface);
    BOOST_TEST(joined->position == first_surface->position);
    BOOST_TEST(concat_surfaces(slice(text, *joined)) == c.stem);
}

BOOST_AUTO_TEST_CASE(lg_electronics) {
    const std::string text = "LG전자의 실적";
    const auto tokens = analyzer().analyze(text);
    BOOST_TEST_INFO(dump(tokens));
    BOOST_TEST(texts_of(tokens, Layer::surface) == (std::vector<std::string>{"lg", "전자의", "실적"}));
    BOOST_TEST(texts_of(tokens, Layer::stem) == std::vector<std::string>{"전자"});
    BOOST_TEST(texts_of(tokens, Layer::joined) == (std::vector<std::string>{"lg전자의", "lg전자"}));
    BOOST_TEST(slice(text, *find(tokens, Layer::joined, "lg전자")) == "LG전자");
    BOOST_TEST(slice(text, *find(tokens, Layer::joined, "lg전자의")) == "LG전자의");
    BOOST_TEST(find(tokens, Layer::stem, "전자")->position == 1u);
    BOOST_TEST(find(tokens, Layer::surface, "실적")->position == 2u);
}

BOOST_AUTO_TEST_CASE(numbers_stay_as_icu_gives_them) {
    const auto tokens = analyzer().analyze("1,200 3.5% 2024");
    BOOST_TEST(texts_of(tokens, Layer::surface) == (std::vector<std::string>{"1,200", "3.5", "2024"}));
    BOOST_TEST(texts_of(tokens, Layer::joined).empty());
}

BOOST_AUTO_TEST_CASE(hanja_runs_are_surface_words) {
    const auto tokens = analyzer().analyze("世界保健機構");
    BOOST_TEST_INFO(dump(tokens));
    BOOST_TEST(!texts_of(tokens, Layer::surface).empty());
    // The CJ dictionary split on purpose: no joined Hanja form, only the run's
    // Hangul reading (libhangul's table), so that 세계보건기구 finds it.
    BOOST_TEST(texts_of(tokens, Layer::joined) == std::vector<std::string>{"세계보건기구"});
    BOOST_TEST(texts_of(tokens, Layer::bigram).empty());
}

// --- normalization ---------------------------------------------------------

BOOST_AUTO_TEST_CASE(latin_is_case_folded) {
    const std::string text = "ESG 경영 Seoul MOU";
    const auto tokens = analyzer().analyze(text);
    BOOST_TEST(texts_of(tokens, Layer::surface) == (std::vector<std::string>{"esg", "경영", "seoul", "mou"}));
    BOOST_TEST(slice(text, *find(tokens, Layer::surface, "esg")) == "ESG");
}

BOOST_AUTO_TEST_CASE(nfkc_full_width_and_compatibility_forms) {
    const std::string text = "ＡＢＣ １２３ ＣＪ제일제당";
    const auto tokens = analyzer().analyze(text);
    BOOST_TEST_INFO(dump(tokens));
    check_invariants(text, tokens);
    BOOST_TEST(slice(text, *find(tokens, Layer::surface, "abc")) == "ＡＢＣ");
    BOOST_TEST(slice(text, *find(tokens, Layer::surface, "123")) == "１２３");
    BOOST_TEST(slice(text, *find(tokens, Layer::joined, "cj제일제당")) == "ＣＪ제일제당");
    // half-width jamo (U+FFA1 U+FFA4) and compatibility jamo (ㄱㄴ) are the same letters
    const auto half = texts_of(analyzer().analyze("\uFFA1\uFFA4"), Layer::surface);
    const auto compat = texts_of(analyzer().analyze("ㄱㄴ"), Layer::surface);
    BOOST_TEST_REQUIRE(half.size() == 1u);
    BOOST_TEST(half == compat);
}

BOOST_AUTO_TEST_CASE(decomposed_hangul_gives_the_same_terms) {
    const std::string nfc = "서울시가 건강도시연맹을 위해 체결했습니다. CJ제일제당은 9월에 열렸다";
    const std::string nfd = to_nfd(nfc);
    BOOST_TEST_REQUIRE(nfd != nfc);
    const auto a = analyzer().analyze(nfc);
    const auto b = analyzer().analyze(nfd);
    BOOST_TEST_INFO(dump(b));
    BOOST_TEST_REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        BOOST_TEST(a[i].text == b[i].text);
        BOOST_TEST(a[i].layer == b[i].layer);
        BOOST_TEST(a[i].position == b[i].position);
        // offsets slice the decomposed original: the same text once recomposed
        BOOST_TEST(to_nfd(std::string(slice(nfc, a[i]))) == slice(nfd, b[i]));
    }
    check_invariants(nfd, b);
}

// --- offsets ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(every_token_of_the_seed_post_slices_back_to_its_source) {
    const std::string text = read_seed();
    BOOST_TEST_REQUIRE(!text.empty());
    const auto tokens = analyzer().analyze(text);
    BOOST_TEST_REQUIRE(tokens.size() > 1000u);
    check_invariants(text, tokens);
    const Token* surface = nullptr;  // the surface token of the current word position
    for (const Token& t : tokens) {
        const std::string_view source = slice(text, t);
        BOOST_TEST_CONTEXT(dump({t}) << " source «" << source << "»") {
            switch (t.layer) {
            case Layer::surface:
                surface = &t;
                BOOST_TEST(concat_surfaces(source) == t.text);
                break;
            case Layer::joined: BOOST_TEST(concat_surfaces(source) == t.text); break;
            case Layer::stem:  // a prefix of its word's source
                BOOST_TEST_REQUIRE(surface);
                BOOST_TEST(t.position == surface->position);
                BOOST_TEST(t.begin == surface->begin);
                BOOST_TEST(t.end < surface->end);
                break;
            case Layer::bigram:  // two syllables inside the word
                BOOST_TEST_REQUIRE(surface);
                BOOST_TEST(t.begin >= surface->begin);
                BOOST_TEST(t.end <= surface->end);
                BOOST_TEST(code_points(source) == 2u);
                break;
            }
        }
    }
}

// --- robustness ------------------------------------------------------------

const std::vector<Word> kInvalid = {
    {"\xff"}, {"\xc0\xaf"}, {"\xed\xa0\x80"}, {"\xf4\x90\x80\x80"}, {"\xe1\x84"}, {"abc\xc3"},
    {"서울\xff시가"}, {"\xea\xb0"}, {"건강\x80\x80도시"}, {"MOU\xfe을"},
};

BOOST_DATA_TEST_CASE(invalid_utf8_never_throws, bdata::make(kInvalid), w) {
    const std::string text = w.text;
    std::vector<Token> tokens;
    BOOST_CHECK_NO_THROW(tokens = analyzer().analyze(text));
    check_invariants(text, tokens);
}

BOOST_AUTO_TEST_CASE(invalid_bytes_separate_words) {
    const auto tokens = analyzer().analyze("서울\xff시가");
    BOOST_TEST(texts_of(tokens, Layer::surface) == (std::vector<std::string>{"서울", "시가"}));
}

BOOST_AUTO_TEST_CASE(random_bytes_mixed_with_korean) {
    std::mt19937 random(20240925);
    const std::string pieces[] = {"서울시가 ", "CJ제일제당", "(MOU)을", "９월", "\xff", "\xe1\x84\x89",
                                  "\xe1\x85\xa5", " ", "건강도시연맹의", "\xc3", "Ａ", "\x80"};
    for (int round = 0; round < 300; ++round) {
        std::string text;
        const int parts = static_cast<int>(random() % 12);
        for (int i = 0; i < parts; ++i) {
            if (random() % 3 == 0) {
                text.push_back(static_cast<char>(random() % 256));
            } else {
                text += pieces[random() % std::size(pieces)];
            }
        }
        std::vector<Token> tokens;
        BOOST_CHECK_NO_THROW(tokens = analyzer().analyze(text));
        check_invariants(text, tokens);
    }
}

BOOST_AUTO_TEST_CASE(empty_and_blank_input) {
    Analyzer::Positions next{7, 9};
    BOOST_TEST(analyzer().analyze("", next).empty());
    BOOST_TEST(analyzer().analyze("  \n\t ", next).empty());
    BOOST_TEST(analyzer().analyze("!!! … — ·", next).empty());
    BOOST_TEST(next.word == 7u);
    BOOST_TEST(next.bigram == 9u);
}

// --- positions and options -------------------------------------------------

BOOST_AUTO_TEST_CASE(positions_continue_across_calls) {
    Analyzer::Positions next;
    const auto title = analyzer().analyze("서울시가 건강도시", next);
    BOOST_TEST_INFO(dump(title));
    BOOST_TEST(next.word == 2u);  // one past the last word position
    const auto last_bigram = std::max_element(title.begin(), title.end(), [](const Token& a, const Token& b) {
        return (a.layer == Layer::bigram ? a.position : 0) < (b.layer == Layer::bigram ? b.position : 0);
    });
    BOOST_TEST(next.bigram == last_bigram->position + 1);

    next.word += analyzer().options().position_gap;  // as a caller does between fields
    next.bigram += analyzer().options().position_gap;
    const std::uint32_t bigram_start = next.bigram;
    const auto body = analyzer().analyze("연맹 총회", next);
    BOOST_TEST_INFO(dump(body));
    BOOST_TEST(find(body, Layer::surface, "연맹")->position == 2u + 100u);
    BOOST_TEST(find(body, Layer::surface, "총회")->position == 3u + 100u);
    BOOST_TEST(find(body, Layer::bigram, "연맹")->position == bigram_start);
    BOOST_TEST(next.word == 104u);

    // analyze(text) starts from zero every time
    BOOST_TEST(analyzer().analyze("총회").front().position == 0u);
}

BOOST_AUTO_TEST_CASE(layers_can_be_switched_off) {
    const std::string text = "서울시가 CJ제일제당과 건강도시연맹을";
    AnalyzerOptions options;
    options.stems = false;
    options.bigrams = false;
    options.joins = false;
    const Analyzer plain(options);
    const auto tokens = plain.analyze(text);
    BOOST_TEST(texts_of(tokens, Layer::surface).size() == tokens.size());
    BOOST_TEST(!plain.options().stems);

    const auto all = analyzer().analyze(text);
    BOOST_TEST(!texts_of(all, Layer::stem).empty());
    BOOST_TEST(!texts_of(all, Layer::bigram).empty());
    BOOST_TEST(!texts_of(all, Layer::joined).empty());
    // bigrams do not depend on whether stems are emitted
    AnalyzerOptions no_stems;
    no_stems.stems = false;
    BOOST_TEST(texts_of(Analyzer(no_stems).analyze(text), Layer::bigram) == texts_of(all, Layer::bigram));
}

BOOST_AUTO_TEST_CASE(analyzer_moves) {
    Analyzer a;
    Analyzer b = std::move(a);
    BOOST_TEST(b.analyze("서울시가").size() > 1u);
    Analyzer c;
    c = std::move(b);
    BOOST_TEST(c.analyze("서울시가").size() > 1u);
}

BOOST_AUTO_TEST_CASE(layer_names) {
    BOOST_TEST(sosik::layer_name(Layer::surface) == "surface");
    BOOST_TEST(sosik::layer_name(Layer::stem) == "stem");
    BOOST_TEST(sosik::layer_name(Layer::bigram) == "bigram");
    BOOST_TEST(sosik::layer_name(Layer::joined) == "joined");
}
