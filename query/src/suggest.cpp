#include "suggest.h"

#include "ascii_fold.h"
#include "vocabulary.h"

#include <sosik/error.h>
#include <sosik/index_terms.h>
#include <sosik/stored_article.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>

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

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A completion with a particle or ending (서울시가, 서울시는) stands behind its
// stem, which is a completion too when the stem still completes the prefix.
bool is_inflected(const Analyzer& analyzer, const std::string& word, const std::map<std::string, std::size_t>& all) {
    for (const Token& token : analyzer.analyze(word))
        if (token.layer == Layer::stem && token.text != word && all.count(token.text)) return true;
    return false;
}

std::string title_of(const Xapian::Document& doc, std::string* url) {
    schema::StoredArticle article = schema::StoredArticleReader(doc.get_data()).article();
    if (url) *url = std::move(article.url);
    return std::move(article.title);
}

}  // namespace

SuggestResult suggest(const Xapian::Database& database, const Analyzer& analyzer, const SuggestRequest& request) {
    const auto started = std::chrono::steady_clock::now();
    if (request.limit > kMaxSuggestLimit) throw InvalidInput("limit: at most " + std::to_string(kMaxSuggestLimit));
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

    const Vocabulary vocabulary(database);
    std::map<std::string, std::size_t> counts;
    for (const hangul::Completion& completion : hangul::completions_of(last))
        for (auto& [word, count] : vocabulary.completions(completion, kMaxTermsRead)) counts[word] += count;

    std::vector<std::pair<std::string, std::size_t>> ranked(counts.begin(), counts.end());
    std::sort(ranked.begin(), ranked.end(),
              [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    std::vector<std::string> words;
    for (const auto& [word, count] : ranked) {
        if (words.size() == request.limit) break;
        if (is_inflected(analyzer, word, counts)) continue;
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
