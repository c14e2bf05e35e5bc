#include <sosik/search.h>

#include "database_set.h"
#include "highlighter.h"
#include "proximity_rerank.h"
#include "query_builder.h"
#include "query_parser.h"
#include "suggest.h"

#include <sosik/error.h>
#include <sosik/schema.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <optional>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <unordered_map>

namespace sosik {

namespace {

// Past this, a page is not something a person reads; it bounds the work per request.
constexpr std::size_t kMaxLimit = 1000;
constexpr std::size_t kMaxOffset = 100000;
// Below this many articles with every query word, rank by any word instead (see search_once).
constexpr Xapian::doccount kEnoughAllWords = 100;
// Bounds HitValueCache (~100 bytes an entry).
constexpr std::size_t kMaxCachedValues = 250'000;
// Below this many results, look for a closer spelling of missing words.
constexpr Xapian::doccount kFewResults = 3;
// Relevance ranking re-ranks this many top hits by the proximity of the query
// words (proximity_rerank.h), adding up to kProximityWeight × the top BM25
// score. Every page is cut from the same re-ranked list, so pages never
// overlap. Measured on dev (MRR@10 0.8496 without): depth 10, 20, 30, 50 at
// weight 0.2 gave 0.8518, 0.8521, 0.8520, 0.8521; weight 0.1, 0.2, 0.4, 0.8
// at depth 30 gave 0.8512, 0.8520, 0.8512, 0.8456. Reading the stored text of
// each re-ranked hit is most of its cost (2.4 → 3.4 ms a query at depth 20).
constexpr std::size_t kProximityDepth = 20;
constexpr double kProximityWeight = 0.2;
// … and up to kLeadWeight × the top BM25 score for the share of query words
// in the title or the first sentence: an article names its subject there;
// one that mentions the words further down is about something else.
// Measured on dev (MRR@10, 0.8604 without): ×0.1 0.8646, ×0.2 0.8672, ×0.3
// 0.8691. Not tuned further: most of dev's gain is news distractors falling
// below passages (which begin with their page's title); among passages alone
// ×0.2 gives +0.0033. Leaving out the title scored higher on dev (dev's news
// distractors keep their titles apart) but is wrong for titled archives.
// One-word queries get it too (it was skipped with the proximity bonus,
// which needs two words): 0.8673 → 0.8681.
constexpr double kLeadWeight = 0.2;

std::vector<std::string> string_list(const nlohmann::json& value) {
    std::vector<std::string> out;
    if (!value.is_array()) return out;
    for (const auto& item : value)
        if (item.is_string()) out.push_back(item.get<std::string>());
    return out;
}

std::string string_field(const nlohmann::json& data, const char* key) {
    auto it = data.find(key);
    return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Request filters join the typed query as if they had been typed.
void append_request_filters(QueryNode& root, const SearchRequest& request) {
    if (root.kind != QueryNode::Kind::all_of) {
        QueryNode wrapper;
        wrapper.children.push_back(std::move(root));
        root = std::move(wrapper);
    }
    for (const auto& category : request.categories) {
        QueryNode node;
        node.kind = QueryNode::Kind::category;
        node.text = category;
        root.children.push_back(std::move(node));
    }
    for (const auto& tag : request.tags) {
        QueryNode node;
        node.kind = QueryNode::Kind::tag;
        node.text = tag;
        root.children.push_back(std::move(node));
    }
    if (!request.since.empty() || !request.until.empty()) {
        // Validate here so the error names the parameter, not "date".
        if (!request.since.empty()) period_start(request.since, "since");
        if (!request.until.empty()) period_end(request.until, "until");
        QueryNode node;
        node.kind = QueryNode::Kind::date_range;
        node.from = request.since;
        node.to = request.until;
        root.children.push_back(std::move(node));
    }
}

// Counts the values of one facet slot over every matching document. A slot
// holds a list (categories, tags: items joined by kListSeparator) or one value
// cut to `prefix_bytes` (year). Xapian's own ValueCountMatchSpy counts the
// whole slot values: it is the spy xapian-tcpsrv can run on a remote shard
// (it cannot load ours), and Xapian adds up its counts over the shards. The
// lists are split here, after counting, which gives the same per-item counts.
class FacetSpy {
public:
    FacetSpy(Xapian::valueno slot, std::size_t prefix_bytes) : spy_(slot), prefix_bytes_(prefix_bytes) {}

    Xapian::MatchSpy* spy() { return &spy_; }

    std::vector<FacetCount> top(std::size_t max_values) const {
        std::map<std::string, std::size_t> counts;
        for (auto it = spy_.values_begin(); it != spy_.values_end(); ++it) {
            const std::string value = *it;
            const std::size_t count = it.get_termfreq();
            std::size_t start = 0;
            while (start < value.size()) {
                std::size_t end = value.find(schema::kListSeparator, start);
                if (end == std::string::npos) end = value.size();
                std::string item = value.substr(start, end - start);
                if (prefix_bytes_) item.resize(std::min(item.size(), prefix_bytes_));
                if (!item.empty()) counts[item] += count;
                start = end + 1;
            }
        }
        std::vector<FacetCount> out;
        for (const auto& [value, count] : counts) out.push_back({value, count});
        std::sort(out.begin(), out.end(), [](const FacetCount& a, const FacetCount& b) {
            return a.count != b.count ? a.count > b.count : a.value < b.value;
        });
        if (out.size() > max_values) out.resize(max_values);
        return out;
    }

private:
    Xapian::ValueCountMatchSpy spy_;
    std::size_t prefix_bytes_;
};

constexpr std::size_t kMaxFacetValues = 50;

// Which field and layer a term's prefix stands for (schema.h), for --explain.
std::string_view term_origin(const std::string& term) {
    auto starts = [&term](std::string_view p) { return term.rfind(p, 0) == 0; };
    if (starts("XGS")) return "title compound part";
    if (starts("XG")) return "compound part";
    if (starts("ZS")) return "title stem";
    if (starts("Z")) return "stem";
    if (starts("S")) return "title";
    return "word";
}

// Per matching term: field, wdf in this article, document frequency, and its
// BM25 part computed as BM25Weight does (k1 1.2, b 0.75, min_normlen 0.5).
// Terms of one OP_SYNONYM are scored together, so the parts are a guide, not a sum.
std::string explain_match(const Xapian::Database& db, const Xapian::Enquire& enquire, const Xapian::MSetIterator& hit) {
    const double k1 = 1.2, b = 0.75;
    const double docs = db.get_doccount();
    const double avlen = std::max(db.get_avlength(), 1.0);
    const double norm = std::max(db.get_doclength(*hit) / avlen, 0.5);
    std::string out;
    char buffer[64];
    for (auto t = enquire.get_matching_terms_begin(hit); t != enquire.get_matching_terms_end(hit); ++t) {
        const std::string term = *t;
        Xapian::termcount wdf = 0;
        Xapian::TermIterator in_doc = db.termlist_begin(*hit);
        in_doc.skip_to(term);
        if (in_doc != db.termlist_end(*hit) && *in_doc == term) wdf = in_doc.get_wdf();
        const double df = db.get_termfreq(term);
        const double idf = std::log(std::max((docs - df + 0.5) / (df + 0.5), 1.0 + 1e-6));
        const double part = idf * (k1 + 1) * wdf / (k1 * (1 - b + b * norm) + wdf);
        std::snprintf(buffer, sizeof buffer, " wdf=%u df=%.0f w=%.2f", wdf, df, part);
        if (!out.empty()) out += "; ";
        out += term + " (" + std::string(term_origin(term)) + buffer + ")";
    }
    return out;
}

std::unique_ptr<FacetSpy> make_facet_spy(const std::string& name) {
    if (name == "category") return std::make_unique<FacetSpy>(schema::kCategoriesSlot, 0);
    if (name == "tag") return std::make_unique<FacetSpy>(schema::kTagsSlot, 0);
    if (name == "month") return std::make_unique<FacetSpy>(schema::kMonthSlot, 0);
    if (name == "year") return std::make_unique<FacetSpy>(schema::kMonthSlot, 4);
    throw InvalidInput("facets: unknown facet '" + name + "' (use category, tag, year, month)");
}

// Values of hits by docid: the article id that lean hits (ids and scores:
// batch runs) list, kOrderSlot for ordering ties. Reading a value is a B-tree
// seek and a chunk decode per hit (reading 100 ids was 13% of a batch query),
// and hits repeat across queries. For one state of the database: the owner
// empties it whenever that changes.
class HitValueCache {
public:
    const std::string& id(const Xapian::Document& doc) { return value(ids_, doc, schema::kIdSlot); }
    const std::string& order(const Xapian::Document& doc) { return value(orders_, doc, schema::kOrderSlot); }
    void clear() {
        ids_.clear();
        orders_.clear();
    }
    // Between searches only: references handed out stay valid until then.
    void bound() {
        if (ids_.size() + orders_.size() > kMaxCachedValues) clear();
    }

private:
    using Values = std::unordered_map<Xapian::docid, std::string>;
    static const std::string& value(Values& values, const Xapian::Document& doc, Xapian::valueno slot) {
        auto [at, added] = values.try_emplace(doc.get_docid());
        if (added) at->second = doc.get_value(slot);
        return at->second;
    }
    Values ids_, orders_;
};

struct RankedHit {
    Xapian::MSetIterator it;
    Xapian::Document doc;
    double score = 0;
    std::optional<std::string> stored;  // the document data, once read (Xapian does not keep it)

    const std::string& data() {
        if (!stored) stored = schema::decode_document_data(doc.get_data());
        return *stored;
    }
};

// The hits in the order to show them: the first `depth` re-ranked by BM25 plus
// a bonus for the query words standing close together, the rest as Xapian
// ranked them (the bonus is never negative, so they stay below). Ties keep
// the order of a sort by score, then kOrderSlot (newest first), which does not
// depend on docids. With `order_ties`, Xapian ranked by score alone (and
// returned every hit tied with the last one wanted): ties are put in order
// here. Then the first `count` hits are kept.
std::vector<RankedHit> rank_hits(const Xapian::MSet& mset, std::size_t count, bool order_ties,
                                 const std::vector<MatchTarget>& targets, std::size_t depth,
                                 HitValueCache& values) {
    std::vector<RankedHit> ranked;
    ranked.reserve(mset.size());
    for (auto it = mset.begin(); it != mset.end(); ++it)
        ranked.push_back({it, it.get_document(), it.get_weight(), std::nullopt});
    if (order_ties) {
        // Sorting positions, not hits: moving a hit moves Xapian handles.
        std::vector<std::size_t> order(ranked.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            if (ranked[a].score != ranked[b].score) return ranked[a].score > ranked[b].score;
            return values.order(ranked[a].doc) > values.order(ranked[b].doc);
        });
        std::vector<RankedHit> sorted;
        sorted.reserve(order.size());
        for (const std::size_t k : order) sorted.push_back(std::move(ranked[k]));
        ranked = std::move(sorted);
    }
    if (ranked.size() > count) ranked.erase(ranked.begin() + static_cast<std::ptrdiff_t>(count), ranked.end());
    const ProximityScorer proximity(targets);
    if (depth == 0 || ranked.size() < 2 || proximity.empty()) return ranked;
    depth = std::min(depth, ranked.size());
    const double bonus = kProximityWeight * ranked.front().score;
    const double lead_bonus = kLeadWeight * ranked.front().score;
    for (std::size_t k = 0; k < depth; ++k) {
        const schema::StoredData parts = schema::split_document_data(ranked[k].data());
        const std::string title = schema::stored_string_field(parts.json, "title");
        ranked[k].score += bonus * proximity.score(title, parts.text);
        ranked[k].score += lead_bonus * proximity.lead_share(title, parts.text);
    }
    std::stable_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(depth),
                     [](const RankedHit& a, const RankedHit& b) { return a.score > b.score; });
    return ranked;
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
    }

    explicit Impl(SearcherOptions opts)
        : options(std::move(opts)),
          databases(options.databases, database_set_options(options)),
          database(databases.database()) {}

    SearchResult search_once(const SearchRequest& request);

    SearchResult search_noting_missing(const SearchRequest& request) {
        SearchResult result = search_once(request);
        result.missing_shards = databases.missing();
        result.partial = !result.missing_shards.empty();
        return result;
    }
};

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
            return impl_->search_noting_missing(request);
        } catch (const Xapian::Error& error) {
            throw IndexError("search failed: " + error.get_description());
        }
    };
    try {
        return impl_->search_noting_missing(request);
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

SearchResult Searcher::Impl::search_once(const SearchRequest& request) {
    const auto started = std::chrono::steady_clock::now();
    if (request.limit > kMaxLimit) throw InvalidInput("limit: at most " + std::to_string(kMaxLimit));
    if (request.offset > kMaxOffset) throw InvalidInput("offset: at most " + std::to_string(kMaxOffset));

    hit_values.bound();
    SearchResult result;
    result.query = request.query;
    QueryNode root = parse_query(request.query);
    append_request_filters(root, request);
    result.parsed = describe(root);

    Xapian::Enquire enquire(database);
    // k1 = 1.2, b = 0.75: measured best of (0.9, 0.4), (1.2, 0.5), (1.2, 0.75), (1.2, 0.9), (1.5, 0.75) on dev.
    enquire.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
    switch (request.sort) {
    // Ties go by kOrderSlot (date, then id), never by docid: docids differ
    // between one database and shards, results must not. Xapian ranks by
    // score alone (a sort by relevance then value reads the slot of every
    // candidate: 17% of a query) and rank_hits orders the ties it returns;
    // only a tie across the cut needs Xapian's sort (see fetch below).
    case SortOrder::relevance:
        break;
    case SortOrder::newest_first:
        enquire.set_sort_by_value_then_relevance(schema::kOrderSlot, true);
        break;
    case SortOrder::oldest_first:
        enquire.set_sort_by_value_then_relevance(schema::kOrderSlot, false);
        break;
    }

    // Xapian 1.4.22 counts some hits of remote shards twice in a match spy
    // when the match is sorted by a value (ours always is, see above): with
    // remote shards, facets are counted by a second, unsorted pass.
    const bool separate_facet_pass = databases.has_remote();
    std::vector<std::pair<std::string, std::unique_ptr<FacetSpy>>> spies;
    for (const std::string& name : request.facets) {
        if (std::any_of(spies.begin(), spies.end(), [&](const auto& s) { return s.first == name; })) continue;
        spies.emplace_back(name, nullptr);
    }
    // Facets count the whole result set, so every match must be seen.
    const Xapian::doccount check_at_least =
        spies.empty() ? static_cast<Xapian::doccount>(request.offset + request.limit + 1)
                      : database.get_doccount();

    // A re-ranked page is cut from the whole re-ranked top: fetch from the first hit.
    const bool reranking = request.sort == SortOrder::relevance;
    const std::size_t first = reranking ? 0 : request.offset;
    const std::size_t fetched =
        reranking ? std::max(request.offset + request.limit, kProximityDepth) : request.limit;
    BuiltQuery built;
    Xapian::MSet mset;
    const auto run = [&](QueryOptions options, Xapian::doccount at_least) {
        built = build_query(root, analyzer, database, options);
        enquire.set_query(built.query);
        std::optional<PhraseDecider> phrases;
        if (!built.phrases.empty()) {
            // A remote shard runs no custom MatchDecider (Xapian's remote
            // protocol cannot carry one): refuse rather than answer differently.
            if (databases.has_remote())
                throw InvalidInput("quoted phrases cannot be checked on remote shards: search without the quotes");
            phrases.emplace(analyzer, built.phrases);
        }
        const auto fetch = [&](std::size_t count) {
            // Fresh spies per get_mset: a spy keeps counting over every get_mset
            // it sees, and only the last one (e.g. the any-word pass) is the result.
            enquire.clear_matchspies();
            for (auto& [name, spy] : spies) {
                spy = make_facet_spy(name);
                if (!separate_facet_pass) enquire.add_matchspy(spy->spy());
            }
            mset = enquire.get_mset(static_cast<Xapian::doccount>(first), static_cast<Xapian::doccount>(count),
                                    at_least, nullptr, phrases ? &*phrases : nullptr);
        };
        if (!reranking) return fetch(fetched);
        // Which of the hits tied at the cut make it must not depend on docids
        // either: fetch more than needed, so that rank_hits sees every hit tied
        // with the last one wanted (BM25 ties are common down the list: integer
        // lengths and wdfs). Only a tie longer than the extra needs Xapian's sort.
        const std::size_t asked = fetched + std::max<std::size_t>(fetched / 2, 10);
        fetch(asked);
        if (mset.size() == asked && mset[static_cast<Xapian::doccount>(asked - 1)].get_weight() ==
                                        mset[static_cast<Xapian::doccount>(fetched - 1)].get_weight()) {
            enquire.set_sort_by_relevance_then_value(schema::kOrderSlot, true);
            fetch(fetched);
            enquire.set_sort_by_relevance();
        }
    };
    try {
        // All words first. When fewer than kEnoughAllWords articles have them all
        // (typical of natural-language questions), rank by any of the words:
        // BM25 still puts articles with more of them first. The threshold does
        // not depend on paging, so pages never overlap.
        QueryOptions options;
        options.spacing = request.spacing;
        run(options, std::max<Xapian::doccount>(check_at_least, kEnoughAllWords));
        if (built.positive_words > 1 && mset.get_matches_lower_bound() < kEnoughAllWords) {
            options.implicit = ImplicitOperator::any_word;
            run(options, check_at_least);
        }
        // Only the question words match: keep them after all.
        if (mset.get_matches_upper_bound() == 0 && built.dropped_fillers) {
            options.keep_fillers = true;
            options.implicit = ImplicitOperator::any_word;
            run(options, check_at_least);
        }
    } catch (const Xapian::DatabaseModifiedError&) {
        throw;  // search() reopens and retries
    } catch (const Xapian::NetworkError&) {
        throw;  // search() reconnects and retries
    } catch (const Xapian::Error& error) {
        throw IndexError("search failed: " + error.get_description());
    }

    result.total = mset.get_matches_estimated();
    if (result.total < kFewResults) result.did_you_mean = did_you_mean(database, analyzer, root, request.query);
    result.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    if (request.explain) result.explained_query = built.query.get_description();
    if (separate_facet_pass && !spies.empty()) {
        Xapian::Enquire counting(database);
        counting.set_weighting_scheme(Xapian::BoolWeight());  // no scores needed
        counting.set_query(built.query);
        for (const auto& [name, spy] : spies) counting.add_matchspy(spy->spy());
        counting.get_mset(0, 0, database.get_doccount());
    }
    for (const auto& [name, spy] : spies) result.facets[name] = spy->top(kMaxFacetValues);

    std::vector<RankedHit> ranked =
        rank_hits(mset, fetched, reranking, built.targets, reranking ? kProximityDepth : 0, hit_values);
    const Highlighter highlighter(analyzer, built.targets);
    for (std::size_t k = reranking ? request.offset : 0; k < ranked.size() && result.hits.size() < request.limit; ++k) {
        const Xapian::MSetIterator& it = ranked[k].it;
        const Xapian::Document& doc = ranked[k].doc;
        if (!request.hit_details && !request.explain) {
            Hit hit;
            hit.score = ranked[k].score;
            hit.id = hit_values.id(doc);
            result.hits.push_back(std::move(hit));
            continue;
        }
        const schema::StoredData parts = schema::split_document_data(ranked[k].data());
        const nlohmann::json data = nlohmann::json::parse(parts.json, nullptr, false);
        Hit hit;
        hit.score = ranked[k].score;
        if (!data.is_object()) {
            result.hits.push_back(std::move(hit));
            continue;
        }
        hit.id = string_field(data, "id");
        hit.url = string_field(data, "url");
        hit.title = string_field(data, "title");
        hit.date = string_field(data, "date");
        hit.categories = string_list(data.value("categories", nlohmann::json::array()));
        hit.tags = string_list(data.value("tags", nlohmann::json::array()));
        if (request.snippets) {
            hit.title_highlight = highlighter.mark_all(hit.title);
            hit.snippet = highlighter.best_window(std::string(parts.text));
        }
        if (request.explain) hit.explanation = explain_match(database, enquire, it);
        result.hits.push_back(std::move(hit));
    }
    result.took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    return result;
}

}  // namespace sosik
