#include <sosik/search.h>

#include "analysed_query.h"
#include "database_set.h"
#include "highlighter.h"
#include "hits.h"
#include "match.h"
#include "query_parser.h"
#include "query_plan.h"
#include "rank.h"
#include "suggest.h"
#include "vocabulary.h"

#include <sosik/error.h>
#include <sosik/index_terms.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>

namespace sosik {

namespace {

// Below this many results, look for a closer spelling of missing words.
constexpr Xapian::doccount kFewResults = 3;

// Whether the typed query asks for anything: a filter of its own (category:,
// tag:, site:, date:) or a word the analyzer keeps. Punctuation alone (!!!, ((( )
// leaves no word, and would otherwise match every article unranked.
bool has_filter(const QueryNode& node) {
    switch (node.kind) {
    case QueryNode::Kind::category:
    case QueryNode::Kind::tag:
    case QueryNode::Kind::site:
    case QueryNode::Kind::date_range: return true;
    default: return std::any_of(node.children.begin(), node.children.end(), has_filter);
    }
}

bool has_words(const AnalysedNode& node) {
    const AnalysedWord& word = node.word;
    if (word.initials || !word.text.forms_at.empty() || !word.text.joined.empty() || !word.split_parts.empty())
        return true;
    return std::any_of(node.children.begin(), node.children.end(), has_words);
}

bool is_blank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

// Stage 1: the typed query, with the request's filters joined as if typed.
QueryNode parse_request(QueryNode root, const SearchRequest& request) {
    if (root.kind != QueryNode::Kind::all_of) {
        QueryNode wrapper;
        wrapper.children.push_back(std::move(root));
        root = std::move(wrapper);
    }
    const auto add = [&root](QueryNode::Kind kind, const std::string& text) {
        QueryNode node;
        node.kind = kind;
        node.text = text;
        root.children.push_back(std::move(node));
    };
    for (const auto& category : request.categories) add(QueryNode::Kind::category, category);
    for (const auto& tag : request.tags) add(QueryNode::Kind::tag, tag);
    for (const auto& site : request.sites) add(QueryNode::Kind::site, site);
    if (!request.since.empty() || !request.until.empty()) {  // validated (validate()) under their own names
        QueryNode node;
        node.kind = QueryNode::Kind::date_range;
        node.from = request.since;
        node.to = request.until;
        root.children.push_back(std::move(node));
    }
    return root;
}

DatabaseSetOptions database_set_options(const SearcherOptions& options) {
    DatabaseSetOptions out;
    out.allow_partial = options.allow_partial;
    out.remote_timeout_ms = options.remote_timeout_ms;
    out.connect_timeout_ms = options.connect_timeout_ms;
    return out;
}

}  // namespace

struct Searcher::Impl {
    SearcherOptions options;
    DatabaseSet databases;
    Xapian::Database database;  // databases.database(), renewed when the set is reopened
    Analyzer analyzer;
    HitValueCache hit_values;  // for one state of the set: each reopen empties it

    // After the set was reopened or reconnected (a reopen may renumber: a
    // rebuilt database, a shard back).
    void use_current_database() {
        database = databases.database();
        hit_values.clear();
        const std::lock_guard lock(lexicon_mutex);
        lexicon_built.reset();
    }

    AnalysisOptions analysis_options(const SearchRequest& request) const {
        const RankingParams& ranking = options.ranking;
        return {request.spacing, ranking.max_containing_words, ranking.containing_share, ranking.compound_trigrams != 0};
    }

    // The lexicon of the current state of the set, read on first use after
    // each reopen; none when containing words are off.
    std::shared_ptr<const Lexicon> lexicon() {
        if (options.ranking.max_containing_words == 0 || options.ranking.containing_inside == 0) return nullptr;
        const std::lock_guard lock(lexicon_mutex);
        if (!lexicon_built) lexicon_built = std::make_shared<const Lexicon>(database);
        return lexicon_built;
    }
    std::mutex lexicon_mutex;
    std::shared_ptr<const Lexicon> lexicon_built;

    explicit Impl(SearcherOptions opts)
        : options(std::move(opts)),
          databases(options.databases, database_set_options(options)),
          database(databases.database()) {}

    // The stages, one after the other; none reaches back into an earlier one.
    SearchResult run_stages(const SearchRequest& request) {
        const auto started = std::chrono::steady_clock::now();
        validate(request);
        hit_values.bound();
        const RankingParams& ranking = options.ranking;
        SearchResult result;
        result.query = request.query;
        result.offset = request.offset;
        result.limit = request.limit;
        QueryNode typed = parse_query(request.query);
        const bool typed_filter = has_filter(typed);
        QueryNode parsed = parse_request(std::move(typed), request);
        result.parsed = describe(parsed);
        const std::shared_ptr<const Lexicon> words = lexicon();
        const Vocabulary vocabulary(database, words.get());
        const AnalysedQuery analysed =
            analyse_query(std::move(parsed), analyzer, vocabulary, analysis_options(request));
        if (!is_blank(request.query) && !typed_filter && !has_words(analysed.tree)) {
            result.notice = SearchNotice{"no_words", "'" + request.query +
                                                         "' has no word to search for (punctuation and symbols "
                                                         "alone are not searched)"};
            result.took_ms = elapsed_ms(started);
            return result;
        }
        QueryPlan plan(analysed, ranking);
        Matched matched = match({database, databases.has_remote(), analyzer, ranking}, plan, request);
        const BuiltQuery& built = plan.current();
        result.total = matched.mset.get_matches_estimated();
        result.total_exact = matched.mset.get_matches_lower_bound() == matched.mset.get_matches_upper_bound();
        if (result.total < kFewResults) result.did_you_mean = did_you_mean(vocabulary, analysed, request.query);
        if (request.explain)
            result.explained_query = explained(built.query, describe_spacing(analysed), describe_synonyms(analysed));
        result.facets = std::move(matched.facets);
        std::vector<RankedHit> ranked =
            rank_hits(matched.mset, built.targets, ranking, {matched.fetched, matched.reranking, matched.reranking},
                      hit_values);
        const Highlighter highlighter(analyzer, built.targets);
        result.hits = page_hits(ranked, matched.reranking ? request.offset : 0, request,
                                {database, matched.enquire, highlighter, ranking}, hit_values);
        result.missing_shards = databases.missing();
        result.partial = !result.missing_shards.empty();
        result.took_ms = elapsed_ms(started);
        return result;
    }

    static double elapsed_ms(std::chrono::steady_clock::time_point started) {
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    }

    QueryAnalysis analyse(const SearchRequest& request) {
        validate(request);
        QueryAnalysis analysis;
        analysis.query = request.query;
        QueryNode parsed = parse_request(parse_query(request.query), request);
        analysis.parsed = describe(parsed);
        const std::shared_ptr<const Lexicon> words = lexicon();
        const Vocabulary vocabulary(database, words.get());
        const AnalysedQuery analysed =
            analyse_query(std::move(parsed), analyzer, vocabulary, analysis_options(request));
        list_words(analysed.tree, analysis.words);
        const QueryPlan plan(analysed, options.ranking);
        analysis.xapian_query =
            explained(plan.current().query, describe_spacing(analysed), describe_synonyms(analysed));
        return analysis;
    }

    static QueryWordAnalysis word_analysis(const std::string& typed, const AnalysedWord& word) {
        QueryWordAnalysis out;
        out.word = typed;
        if (const korean::WordForms* forms = word.single_form()) out.searched = forms->searched();
        out.shorter_forms = word.shorter_forms;
        out.particle_forms = word.particle_forms;
        out.synonyms = word.synonyms;
        if (word.compound_bigrams.size() > 1) out.compound_parts = schema::compound_terms(word.compound_bigrams);
        for (const AnalysedWord& part : word.split_parts)
            if (const korean::WordForms* forms = part.single_form()) out.split_into.push_back(forms->surface);
        if (word.initials)  // body terms, shown as words: a stem without its prefix, each once
            for (const auto* list : {&word.initials->body.exact, &word.initials->body.longer})
                for (const std::string& term : *list) {
                    const std::string_view prefix = schema::text_prefix(schema::Field::body, Layer::stem);
                    const std::string shown =
                        schema::term_layer(term) == "stem" ? term.substr(prefix.size()) : term;
                    if (std::find(out.initials_words.begin(), out.initials_words.end(), shown) ==
                        out.initials_words.end())
                        out.initials_words.push_back(shown);
                }
        return out;
    }

    static void list_words(const AnalysedNode& node, std::vector<QueryWordAnalysis>& words) {
        using Kind = QueryNode::Kind;
        if (node.node && (node.node->kind == Kind::word || node.node->kind == Kind::phrase)) {
            words.push_back(word_analysis(node.node->text, node.word));
            words.back().synonyms_with_next = node.synonyms_with_next;
            if (node.joined_with_next)
                if (const korean::WordForms* forms = node.joined_with_next->single_form())
                    words.back().joined_with_next = forms->surface;
        }
        for (const AnalysedNode& child : node.children) list_words(child, words);
    }

    std::string explained(const Xapian::Query& query, const std::string& spacing, const std::string& synonyms) const {
        const std::string& source = options.ranking.source;
        return query.get_description() + (synonyms.empty() ? "" : " [synonyms: " + synonyms + "]") +
               (spacing.empty() ? "" : " [spacing: " + spacing + "]") +
               (source.empty() ? "" : " [ranking: " + source + "]");
    }
};

void validate(const SearchRequest& request) {
    // The words of the HTTP API's parameter errors (request_params.cpp).
    if (request.query.size() > kMaxQueryBytes)
        throw InvalidRequest("query_too_long", "q: longer than " + std::to_string(kMaxQueryBytes) + " bytes");
    if (request.limit < 1 || request.limit > kMaxSearchLimit)
        throw InvalidRequest("invalid_limit",
                             "limit: must be a whole number from 1 to " + std::to_string(kMaxSearchLimit));
    if (request.offset > kMaxSearchOffset)
        throw InvalidRequest("invalid_offset",
                             "offset: must be a whole number from 0 to " + std::to_string(kMaxSearchOffset));
    if (const std::string problem = query_problem(request.query); !problem.empty())
        throw InvalidRequest(problem.starts_with("date:") ? "invalid_date" : "empty_filter", problem);
    // The checks below throw InvalidInput of their own; they gain their reason here.
    const auto with_reason = [](const char* reason, const auto& check) {
        try {
            check();
        } catch (const InvalidRequest&) {
            throw;
        } catch (const InvalidInput& error) {
            throw InvalidRequest(reason, error.what());
        }
    };
    for (const std::string& facet : request.facets) with_reason("invalid_facet", [&] { check_facet_name(facet); });
    with_reason("invalid_date", [&] {
        if (!request.since.empty()) period_start(request.since, "since");
        if (!request.until.empty()) period_end(request.until, "until");
    });
}

QueryAnalysis Searcher::analyse(const SearchRequest& request) {
    try {
        return impl_->analyse(request);
    } catch (const Xapian::Error& error) {
        throw IndexError("query analysis failed: " + error.get_description());
    }
}

Searcher::Searcher(SearcherOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

SuggestResult Searcher::suggest(const SuggestRequest& request) {
    try {
        try {
            return sosik::suggest(impl_->database, impl_->analyzer, request);
        } catch (const Xapian::DatabaseModifiedError&) {
            impl_->databases.reopen();  // as in search(): catch up and retry once
        } catch (const Xapian::NetworkError&) {
            impl_->databases.recover();
        }
        impl_->use_current_database();
        return sosik::suggest(impl_->database, impl_->analyzer, request);
    } catch (const Xapian::Error& error) {
        throw IndexError("suggest failed: " + error.get_description());
    }
}

bool Searcher::reopen() {
    try {
        const bool changed = impl_->databases.reopen();
        // Unchanged: same docids, so the hit values read so far stay right.
        if (changed) impl_->use_current_database();
        return changed;
    } catch (const Xapian::Error& error) {
        throw IndexError("cannot reopen the database: " + error.get_description());
    }
}

Searcher::Stats Searcher::stats() const {
    try {
        Stats stats;
        stats.documents = impl_->database.get_doccount();
        const DatabaseSet::Metadata metadata = impl_->databases.metadata();
        stats.last_update = metadata.last_update;
        stats.analyzer_version = metadata.analyzer_version;
        stats.schema_version = metadata.schema_version;
        return stats;
    } catch (const Xapian::Error& error) {
        throw IndexError("cannot read the database: " + error.get_description());
    }
}

SearchResult Searcher::search(const SearchRequest& request) {
    // One retry after a catch-up: the writer committed more than once while we
    // read, or a remote shard went away (then the set reconnects, and leaves
    // the shard out with allow_partial, or throws naming it).
    const auto retry = [&] {
        impl_->use_current_database();
        try {
            return impl_->run_stages(request);
        } catch (const Xapian::Error& error) {
            throw IndexError("search failed: " + error.get_description());
        }
    };
    try {
        return impl_->run_stages(request);
    } catch (const Xapian::DatabaseModifiedError&) {
        impl_->databases.reopen();
        return retry();
    } catch (const Xapian::NetworkError&) {
        impl_->databases.recover();
        return retry();
    } catch (const Xapian::Error& error) {
        throw IndexError("search failed: " + error.get_description());
    }
}

}  // namespace sosik
