// Searching a Sosik database: the query language, ranking, filters, paging
// and snippets. One library serves the CLI (sosik-search) and the HTTP front.
#pragma once

#include <sosik/error.h>
#include <sosik/ranking.h>

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sosik {

enum class SortOrder { relevance, newest_first, oldest_first };

// Paging bounds, the same for the CLI and the HTTP API: past them a page is
// not something a person reads, and they bound the work per request.
inline constexpr std::size_t kMaxSearchLimit = 100;
inline constexpr std::size_t kMaxSearchOffset = 10000;
// A query's length in bytes, the same for the CLI, --queries lines and the API:
// a person types far less, and it bounds the analysis of one request.
inline constexpr std::size_t kMaxQueryBytes = 1000;

struct SearchRequest {
    std::string query;
    std::size_t offset = 0;
    std::size_t limit = 10;  // 1 … kMaxSearchLimit
    SortOrder sort = SortOrder::relevance;
    // Filters, AND-ed with the query. Values are compared after normalization
    // (case, width), so "ESG" and "esg" are the same tag.
    std::vector<std::string> categories;
    std::vector<std::string> tags;
    std::vector<std::string> sites;  // sosik-index --site names
    std::string since;  // ISO date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive; empty: open
    std::string until;  // ISO date, inclusive (a month or year means its last day); empty: open
    std::vector<std::string> facets;  // "category", "tag", "year", "month"
    bool explain = false;             // fill SearchResult::explained_query and Hit::explanation
    bool snippets = true;             // batch evaluation turns them off
    bool hit_details = true;          // false: hits carry only id and score (TREC runs)
    // Spacing tolerance from the archive's vocabulary: 주가 조작 also finds
    // 주가조작 where the archive holds that word, and 손해배상청구, a word it
    // does not hold, is looked for as 손해배상 + 청구. Stems, particles and
    // compounds do not depend on it.
    bool spacing = true;
};

// A request no search can answer, with a stable name for programs beside the
// message for people: the JSON API's "reason" (query/http/README.md lists
// them all). what() starts with the parameter at fault ("limit: …").
class InvalidRequest : public InvalidInput {
public:
    InvalidRequest(std::string reason, const std::string& message)
        : InvalidInput(message), reason_(std::move(reason)) {}
    const std::string& reason() const noexcept { return reason_; }

private:
    std::string reason_;
};

// Throws InvalidRequest, naming the parameter, for a request no search can
// answer: a query longer than kMaxQueryBytes ("query_too_long"), limit or
// offset out of bounds ("invalid_limit", "invalid_offset"), an unknown facet
// ("invalid_facet"), a bad date of since/until or a date: in the query
// ("invalid_date"), a title:, category: or tag: with nothing after it
// ("empty_filter"). Searcher::search checks it too; a CLI checks it first to
// report a usage error.
void validate(const SearchRequest& request);

// Text with the byte ranges to mark (highlight), relative to `text`.
struct Highlighted {
    std::string text;
    std::vector<std::pair<std::size_t, std::size_t>> marks;  // [begin, end), sorted, disjoint
};

struct Hit {
    std::string id;
    std::string url;
    std::string title;
    std::string date;
    std::vector<std::string> categories;
    std::vector<std::string> tags;
    double score = 0;
    Highlighted title_highlight;
    Highlighted snippet;
    std::string explanation;  // with SearchRequest::explain
};

struct FacetCount {
    std::string value;
    std::size_t count = 0;
};

// Why a query was not searched at all: it holds nothing to search for.
struct SearchNotice {
    std::string reason;   // stable, for programs: "no_words"
    std::string message;  // one line for people
};

struct SearchResult {
    std::string query;
    std::string parsed;  // how the query was understood, readable
    std::size_t offset = 0;  // of the request: the first hit is result offset + 1
    std::size_t limit = 0;   // of the request
    // Articles that match, however many the page shows: past the last page
    // (offset >= total) there are no hits, and total still counts them all.
    std::size_t total = 0;
    bool total_exact = true;
    double took_ms = 0;
    std::vector<Hit> hits;
    std::map<std::string, std::vector<FacetCount>> facets;
    std::string explained_query;  // Xapian's description of the query, with SearchRequest::explain
    // With SearcherOptions::allow_partial: some remote shards did not answer,
    // and the result covers the others only. Named as given (tcp://HOST:PORT).
    bool partial = false;
    std::vector<std::string> missing_shards;
    // When the query found little (fewer than 3 articles) and a word of it is
    // in no article: the query with such words replaced by the closest indexed
    // word (jamo edit distance for Hangul: 건깅도시 → 건강도시). Only shown,
    // never searched instead. Empty when there is nothing to suggest.
    std::string did_you_mean;
    // Set when the typed query holds no word and no filter (!!!, ((( ), so
    // nothing was searched: zero hits rather than every article unranked.
    std::optional<SearchNotice> notice;
};

// As-you-type completion of a partly typed query (건강도ㅅ → 건강도시 …).
struct SuggestRequest {
    std::string query;
    std::size_t limit = 8;  // word completions; at most 3 titles come on top
};

enum class SuggestionKind { word, title };

struct Suggestion {
    std::string text;  // the whole query completed (word), or an article title
    SuggestionKind kind = SuggestionKind::word;
    // Articles a search for the word finds (as written, as the stem of a word,
    // inside a compound for three syllables or more), each once; 1 for a title.
    std::size_t count = 0;
    std::string url;        // a title's article
};

struct SuggestResult {
    std::string query;
    std::vector<Suggestion> suggestions;  // words by count, then titles
    double took_ms = 0;
};

// What a query's words are looked up by, before any matching: per typed word
// the forms it also matches (sosik-analyze --query, GET /api/analyze?query=1).
struct QueryWordAnalysis {
    std::string word;                         // as typed (a phrase: the words between quotes)
    std::string searched;                     // the form looked up: its stem, or the word
    std::vector<std::string> shorter_forms;   // 뉴욕시 → 뉴욕
    std::vector<std::string> particle_forms;  // 굴 → 굴이 … (forms the index keeps whole)
    std::vector<std::string> compound_parts;  // trigrams matched inside compounds (건강도시 → 건강도 강도시)
    std::vector<std::string> split_into;      // spacing: 손해배상청구 → 손해배상, 청구
    std::string joined_with_next;             // spacing: 주가 조작 → 주가조작
    std::vector<std::string> synonyms;        // sosik-index --synonyms: 코로나19 → covid 19 (words by a space)
    std::vector<std::string> synonyms_with_next;  // of this word and the next together (우한 폐렴 → 코로나)
    std::vector<std::string> initials_words;  // a 초성 word: the indexed words it stands for
};

struct QueryAnalysis {
    std::string query;
    std::string parsed;                    // as SearchResult::parsed
    std::vector<QueryWordAnalysis> words;  // in the order typed
    std::string xapian_query;              // the first matching pass, as --explain shows it
};

struct SearcherOptions {
    // Searched as one: database folders, Xapian stub files (or folders holding
    // one, as `sosik-index --shard-by` writes), remote shards served by
    // xapian-tcpsrv as tcp://HOST:PORT (or "remote HOST:PORT" stub lines).
    // Results equal those of one database holding every article.
    std::vector<std::string> databases;
    // A remote shard that does not answer: without allow_partial the search
    // fails (IndexError naming it); with it, the other shards answer and
    // SearchResult::partial says so. Either way within the timeouts below.
    bool allow_partial = false;
    unsigned remote_timeout_ms = 10000;  // any one request to a remote shard
    unsigned connect_timeout_ms = 3000;  // connecting to one
    // Query-time ranking (ranking.h): built in, or read with load_ranking_params.
    RankingParams ranking{};
};

// Holds open databases and an analyzer: one Searcher per thread.
class Searcher {
public:
    explicit Searcher(SearcherOptions options);  // throws IndexError
    ~Searcher();
    Searcher(Searcher&&) noexcept;
    Searcher& operator=(Searcher&&) noexcept;

    // Throws InvalidInput for a request that cannot be answered (e.g. a bad date).
    SearchResult search(const SearchRequest& request);

    // The query analysed as search() analyses it, without matching. Throws
    // InvalidInput as search() does.
    QueryAnalysis analyse(const SearchRequest& request);

    // Completes the last word of a partly typed query into indexed words, most
    // frequent first, and names the titles holding them. Throws InvalidRequest
    // ("invalid_limit") for a limit above 50.
    SuggestResult suggest(const SuggestRequest& request);

    // Picks up what sosik-index committed since the databases were opened.
    // Returns true when the index had changed.
    bool reopen();

    struct Stats {
        std::size_t documents = 0;
        std::string last_update;
        std::string analyzer_version;
        std::string schema_version;
    };
    Stats stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// ---- Presenting results -------------------------------------------------------

// The JSON contract shared by `sosik-search --json` and `GET /api/search`
// (query/http/README.md): {"query","parsed","offset","limit","total",
// "total_exact","took_ms","hits":[{"id","url","title","title_html","date"
// (YYYY-MM-DD),"datetime" (RFC 3339, when the source gave a time and an
// offset),"categories","tags","score","snippet"}],"facets"(,"notice",
// "did_you_mean","partial","missing_shards","explain")} — snippet and
// title_html HTML-escaped with <mark>.
std::string to_json(const SearchResult& result, bool pretty = false);

// {"query","parsed","words":[{"word","searched","shorter_forms",…}],"xapian_query"}
std::string to_json(const QueryAnalysis& analysis, bool pretty = false);

// The index terms of `text` as an article's body or title (title terms, their
// body copies, 초성 keys): exactly what the indexer writes, in order, as
// sosik-analyze --json and GET /api/analyze show them:
// {"text","field","terms":[{"term","layer","wdf","start_offset","end_offset","source"}]}
std::string index_terms_json(const std::string& text, bool as_title, bool pretty = false);

// {"query","took_ms","suggestions":[{"text","kind":"word|title","count"(,"url")}]}
std::string to_json(const SuggestResult& result, bool pretty = false);

// `text` HTML-escaped, marked spans wrapped in <mark>…</mark>.
std::string marked_html(const Highlighted& highlighted);

// Marked spans wrapped in `open`/`close` (e.g. ANSI bold on a terminal).
std::string marked_text(const Highlighted& highlighted, std::string_view open, std::string_view close);

}  // namespace sosik
