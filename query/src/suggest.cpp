#include "suggest.h"

#include "ascii_fold.h"
#include "vocabulary.h"

#include <sosik/error.h>
#include <sosik/index_terms.h>
#include <sosik/korean_variants.h>
#include <sosik/stored_article.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <functional>
#include <string_view>

namespace sosik {

namespace {

constexpr std::size_t kMaxSuggestLimit = 50;
// Terms read per layer and completion: a prefix of one syllable can have tens
// of thousands of completions in a large archive; this bounds a call to a few
// milliseconds, and longer prefixes never reach it.
constexpr std::size_t kMaxTermsRead = 20000;
constexpr std::size_t kMaxTitles = 3;
// Completions that name the titles: the most frequent few.
constexpr std::size_t kTitleWords = 5;
// Completions whose articles are counted exactly, at most: the counting stops
// long before for any prefix seen (the bounds fall fast); this bounds the rest.
constexpr std::size_t kMaxCounted = 500;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A completion with a particle or ending (서울시가, 서울시는) stands behind its
// stem, which is a completion too when the stem still completes the prefix.
bool is_inflected(const Analyzer& analyzer, const std::string& word, const std::map<std::string, std::size_t>& all) {
    for (const Token& token : analyzer.analyze(word))
        if (token.layer == Layer::stem && token.text != word && all.count(token.text)) return true;
    return false;
}

// Copula forms the stemmer leaves whole, as it must not take 다, 고, 지 off a
// noun (바다, 사고, 과학고): 형태소이지, 형태소일, 형태소다. The first list follows
// any noun, the second only one that ends in a vowel (형태소다, not 문장다).
constexpr std::array<std::string_view, 29> kCopulaTails = {
    "이지", "이다", "이고", "이며", "이면", "이라", "이자", "이죠", "이지요", "이지만",
    "이어서", "이어야", "이므로", "이니까", "이거나", "이던", "이냐", "이니", "일", "이었다",
    "이었던", "이었고", "이었으며", "이에요", "일까", "일지", "이라서", "이어도", "이지는"};
constexpr std::array<std::string_view, 14> kCopulaTailsAfterVowel = {
    "다", "지", "고", "며", "면", "라", "자", "죠", "지요", "지만", "였다", "였던", "예요", "냐"};
// The copula made a noun (형태소임, 알고리즘이기): it takes particles itself
// (형태소임을, 알고리즘이기에), so they tell nothing.
constexpr std::array<std::string_view, 2> kNominalCopulaTails = {"임", "이기"};
// Case particles, which follow a noun but never a copula form (기념일을, not 형태소이지를).
constexpr std::array<std::string_view, 14> kCaseParticles = {"을", "를", "이", "가", "은", "는", "에",
                                                             "의", "에서", "으로", "로", "과", "와", "에게"};

// The code point of the UTF-8 sequence that ends `s` (0 when `s` is empty or
// does not end in a three-byte sequence: every Hangul syllable is one).
char32_t last_code_point(std::string_view s) {
    if (s.size() < 3) return 0;
    const auto b = [&s](std::size_t k) { return static_cast<unsigned char>(s[s.size() - 3 + k]); };
    if ((b(0) & 0xF0) != 0xE0 || (b(1) & 0xC0) != 0x80 || (b(2) & 0xC0) != 0x80) return 0;
    return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
}

std::size_t code_points(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool ends_in_vowel(std::string_view word) {
    const char32_t last = last_code_point(word);
    return hangul::is_syllable(last) && (last - 0xAC00) % 28 == 0;
}

// 형태소이지 behind 형태소: a completion that is another completion of two
// syllables or more with a copula form after it. A noun that merely ends like
// one — 기념일, 과학고, 대출이자 — is kept when the archive writes it with a case
// particle (기념일을), which no copula form takes. Likewise 형태소이 (the stem
// left of 형태소이며) when no article writes it as a word.
bool is_copula_form(const Xapian::Database& database, const std::string& word,
                    const std::map<std::string, std::size_t>& all) {
    const auto after_noun = [&](std::string_view tail, bool after_vowel_only) {
        if (!std::string_view(word).ends_with(tail)) return false;
        const std::string_view noun = std::string_view(word).substr(0, word.size() - tail.size());
        return code_points(noun) >= 2 && (!after_vowel_only || ends_in_vowel(noun)) && all.count(std::string(noun));
    };
    const auto any_after_noun = [&](const auto& tails, bool after_vowel_only) {
        return std::any_of(tails.begin(), tails.end(),
                           [&](std::string_view tail) { return after_noun(tail, after_vowel_only); });
    };
    const auto written = [&database](const std::string& text) {
        return database.get_termfreq(schema::index_term(schema::Field::body, Layer::surface, text)) > 0;
    };
    if (any_after_noun(kNominalCopulaTails, false)) return true;
    if (any_after_noun(kCopulaTails, false) || any_after_noun(kCopulaTailsAfterVowel, true))
        return std::none_of(kCaseParticles.begin(), kCaseParticles.end(),
                            [&](std::string_view particle) { return written(word + std::string(particle)); });
    return after_noun("이", false) && !written(word);
}

// Articles that hold `word` as written or as the stem of a word (서울시 in
// 서울시가): an article with both counts once.
std::size_t articles_holding(const Xapian::Database& database, const std::string& word) {
    const std::string as_word = schema::index_term(schema::Field::body, Layer::surface, word);
    const std::string as_stem = schema::index_term(schema::Field::body, Layer::stem, word);
    const Xapian::doccount word_count = database.get_termfreq(as_word), stem_count = database.get_termfreq(as_stem);
    if (word_count == 0 || stem_count == 0) return word_count + stem_count;
    // Walk the rarer list, skipping through the other, to count the articles with both.
    const std::string& rarer = word_count <= stem_count ? as_word : as_stem;
    const std::string& other = word_count <= stem_count ? as_stem : as_word;
    Xapian::PostingIterator in_other = database.postlist_begin(other);
    const Xapian::PostingIterator other_end = database.postlist_end(other);
    std::size_t both = 0;
    for (auto it = database.postlist_begin(rarer); it != database.postlist_end(rarer) && in_other != other_end; ++it) {
        in_other.skip_to(*it);
        if (in_other != other_end && *in_other == *it) ++both;
    }
    return word_count + stem_count - both;
}

// What a search for `word` alone finds: the articles holding it (`holding`,
// above) and, for a word of three syllables or more, those holding it inside
// a compound (알고리즘 in 알고리즘별: the AND of its syllable trigrams, the
// compound parts the index keeps), each once. Only the rarer forms a typed
// query adds besides (뉴욕시 → 뉴욕, spacing) are not counted.
std::size_t articles_found(const Xapian::Database& database, const Analyzer& analyzer, const std::string& word,
                           std::size_t holding) {
    korean::WordForms forms{word, {}};
    std::vector<std::string> bigrams;
    for (const Token& token : analyzer.analyze(word)) {
        if (token.layer == Layer::stem && forms.stem.empty()) forms.stem = token.text;
        if (token.layer == Layer::bigram) bigrams.push_back(token.text);
    }
    const std::vector<std::string> parts = schema::compound_terms(korean::compound_bigrams(forms, bigrams));
    if (parts.empty()) return holding;
    std::vector<Xapian::Query> compound;
    for (const std::string& part : parts)
        compound.emplace_back(schema::index_term(schema::Field::body, Layer::bigram, part));
    const std::vector<Xapian::Query> any = {
        Xapian::Query(schema::index_term(schema::Field::body, Layer::surface, word)),
        Xapian::Query(schema::index_term(schema::Field::body, Layer::stem, word)),
        Xapian::Query(Xapian::Query::OP_AND, compound.begin(), compound.end())};
    Xapian::Enquire enquire(database);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end()));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    // Checking every match makes the estimate the exact count.
    return enquire.get_mset(0, 0, database.get_doccount()).get_matches_estimated();
}

std::string title_of(const Xapian::Document& doc, std::string* url) {
    schema::StoredArticle article = schema::StoredArticleReader(doc.get_data()).article();
    if (url) *url = std::move(article.url);
    return std::move(article.title);
}

}  // namespace

SuggestResult suggest(const Xapian::Database& database, const Analyzer& analyzer, const SuggestRequest& request) {
    const auto started = std::chrono::steady_clock::now();
    if (request.limit > kMaxSuggestLimit) throw InvalidRequest("invalid_limit", "limit: at most " + std::to_string(kMaxSuggestLimit));
    SuggestResult result;
    result.query = request.query;
    std::string typed = request.query;
    while (!typed.empty() && is_space(typed.back())) typed.pop_back();
    std::size_t last_start = typed.size();
    while (last_start > 0 && !is_space(typed[last_start - 1])) --last_start;
    const std::string context = typed.substr(0, last_start);
    const std::string last = ascii_lowered(std::string_view(typed).substr(last_start));
    // One Latin letter completes to too much to be of use.
    if (last.size() < 2 || request.limit == 0) return result;

    // Each completion with an upper bound of its article count: its term
    // counts in the word and stem layers, summed.
    const Vocabulary vocabulary(database);
    std::map<std::string, std::size_t> bounds;
    for (const hangul::Completion& completion : hangul::completions_of(last))
        for (auto& [word, count] : vocabulary.completions(completion, kMaxTermsRead))
            bounds[word] = std::max(bounds[word], count);

    // The `limit` completions holding the most articles, counted exactly for
    // as many words as can still beat the last of them (bounds, highest first).
    std::vector<std::pair<std::string, std::size_t>> by_bound(bounds.begin(), bounds.end());
    std::sort(by_bound.begin(), by_bound.end(),
              [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    std::vector<std::pair<std::string, std::size_t>> counted;
    std::vector<std::size_t> best;  // counts of `counted`, the `limit` highest first
    for (const auto& [word, bound] : by_bound) {
        if (best.size() == request.limit && bound < best.back()) break;
        if (counted.size() == kMaxCounted) break;
        if (is_inflected(analyzer, word, bounds) || is_copula_form(database, word, bounds)) continue;
        const std::size_t count = articles_holding(database, word);
        counted.emplace_back(word, count);
        best.insert(std::upper_bound(best.begin(), best.end(), count, std::greater<>()), count);
        if (best.size() > request.limit) best.pop_back();
    }
    const auto most_first = [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    };
    std::sort(counted.begin(), counted.end(), most_first);
    if (counted.size() > request.limit) counted.resize(request.limit);
    // The count shown is what a search for the word finds (with compounds).
    for (auto& [word, count] : counted) count = articles_found(database, analyzer, word, count);
    std::sort(counted.begin(), counted.end(), most_first);
    std::vector<std::string> words;
    for (const auto& [word, count] : counted) {
        words.push_back(word);
        result.suggestions.push_back({context + word, SuggestionKind::word, count, {}});
    }

    // Titles holding the most frequent completions, best BM25 first.
    std::vector<Xapian::Query> title_terms;
    for (std::size_t i = 0; i < words.size() && i < kTitleWords; ++i) {
        title_terms.emplace_back(schema::index_term(schema::Field::title, Layer::surface, words[i]));
        title_terms.emplace_back(schema::index_term(schema::Field::title, Layer::stem, words[i]));
    }
    if (!title_terms.empty()) {
        Xapian::Enquire enquire(database);
        enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, title_terms.begin(), title_terms.end()));
        const Xapian::MSet mset = enquire.get_mset(0, kMaxTitles);
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            Suggestion title{{}, SuggestionKind::title, 1, {}};
            title.text = title_of(it.get_document(), &title.url);
            if (!title.text.empty()) result.suggestions.push_back(std::move(title));
        }
    }
    result.took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    return result;
}

std::string to_json(const SuggestResult& result, bool pretty) {
    nlohmann::json suggestions = nlohmann::json::array();
    for (const Suggestion& s : result.suggestions) {
        nlohmann::json item = {{"text", s.text},
                               {"kind", s.kind == SuggestionKind::word ? "word" : "title"},
                               {"count", s.count}};
        if (!s.url.empty()) item["url"] = s.url;
        suggestions.push_back(std::move(item));
    }
    const nlohmann::json out = {{"query", result.query},
                                {"took_ms", std::round(result.took_ms * 1000.0) / 1000.0},
                                {"suggestions", std::move(suggestions)}};
    return out.dump(pretty ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sosik
