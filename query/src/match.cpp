#include "match.h"

#include "rank.h"

#include <sosik/error.h>
#include <sosik/schema.h>

#include <algorithm>
#include <memory>
#include <optional>

namespace sosik {

namespace {

constexpr std::size_t kMaxFacetValues = 50;

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

std::unique_ptr<FacetSpy> make_facet_spy(const std::string& name) {
    if (name == "category") return std::make_unique<FacetSpy>(schema::kCategoriesSlot, 0);
    if (name == "tag") return std::make_unique<FacetSpy>(schema::kTagsSlot, 0);
    if (name == "month") return std::make_unique<FacetSpy>(schema::kMonthSlot, 0);
    if (name == "year") return std::make_unique<FacetSpy>(schema::kMonthSlot, 4);
    throw InvalidInput("facets: unknown facet '" + name + "' (use category, tag, year, month)");
}

}  // namespace

void check_facet_name(const std::string& name) { make_facet_spy(name); }

namespace {

using Spies = std::vector<std::pair<std::string, std::unique_ptr<FacetSpy>>>;

// One matching pass, as it runs in Xapian.
class PassRunner {
public:
    PassRunner(const MatchContext& context, const SearchRequest& request, Matched& out)
        : context_(context), request_(request), out_(out) {
        for (const std::string& name : request.facets) {
            if (std::any_of(spies_.begin(), spies_.end(), [&](const auto& s) { return s.first == name; })) continue;
            spies_.emplace_back(name, nullptr);
        }
    }

    Spies& spies() { return spies_; }

    void run(const BuiltQuery& built, Xapian::doccount at_least) {
        out_.enquire.set_query(built.query);
        std::optional<PhraseDecider> phrases;
        if (!built.phrases.empty()) {
            // Xapian's remote protocol cannot carry a custom MatchDecider:
            // refuse rather than answer differently.
            if (context_.has_remote)
                throw InvalidInput("quoted phrases cannot be checked on remote shards: search without the quotes");
            phrases.emplace(context_.analyzer, built.phrases);
        }
        const Xapian::MatchDecider* decider = phrases ? &*phrases : nullptr;
        const std::size_t first = out_.reranking ? 0 : request_.offset;
        if (!out_.reranking) return fetch(first, out_.fetched, at_least, decider);
        // Which of the hits tied at the cut make it must not depend on docids
        // either: fetch more than needed, so that rank_hits sees every hit tied
        // with the last one wanted (BM25 ties are common down the list: integer
        // lengths and wdfs). Only a tie longer than the extra needs Xapian's sort.
        const std::size_t asked = out_.fetched + std::max<std::size_t>(out_.fetched / 2, 10);
        fetch(first, asked, at_least, decider);
        const Xapian::MSet& mset = out_.mset;
        const auto score_at = [&mset](std::size_t rank) {
            return comparable_score(mset[static_cast<Xapian::doccount>(rank)].get_weight());
        };
        if (mset.size() == asked && score_at(asked - 1) == score_at(out_.fetched - 1)) {
            out_.enquire.set_sort_by_relevance_then_value(schema::kOrderSlot, true);
            fetch(first, out_.fetched, at_least, decider);
            out_.enquire.set_sort_by_relevance();
        }
    }

private:
    void fetch(std::size_t first, std::size_t count, Xapian::doccount at_least, const Xapian::MatchDecider* decider) {
        // Fresh spies per get_mset: a spy keeps counting over every get_mset
        // it sees, and only the last one (e.g. the any-word pass) is the result.
        out_.enquire.clear_matchspies();
        for (auto& [name, spy] : spies_) {
            spy = make_facet_spy(name);
            if (!context_.has_remote) out_.enquire.add_matchspy(spy->spy());
        }
        out_.mset = out_.enquire.get_mset(static_cast<Xapian::doccount>(first), static_cast<Xapian::doccount>(count),
                                          at_least, nullptr, decider);
    }

    const MatchContext& context_;
    const SearchRequest& request_;
    Matched& out_;
    Spies spies_;
};

// Ties go by kOrderSlot (date, then id), never by docid: docids differ
// between one database and shards, results must not. Xapian ranks by score
// alone (a sort by relevance then value reads the slot of every candidate:
// 17% of a query) and rank_hits orders the ties it returns.
void set_order(Xapian::Enquire& enquire, SortOrder sort) {
    if (sort == SortOrder::newest_first) enquire.set_sort_by_value_then_relevance(schema::kOrderSlot, true);
    if (sort == SortOrder::oldest_first) enquire.set_sort_by_value_then_relevance(schema::kOrderSlot, false);
}

// Xapian 1.4.22 counts some hits of remote shards twice in a match spy when
// the match is sorted by a value (ours always is): with remote shards,
// facets are counted by a second, unsorted pass.
void count_facets_apart(const MatchContext& context, const Xapian::Query& query, Spies& spies) {
    Xapian::Enquire counting(context.database);
    counting.set_weighting_scheme(Xapian::BoolWeight());  // no scores needed
    counting.set_query(query);
    for (const auto& [name, spy] : spies) counting.add_matchspy(spy->spy());
    counting.get_mset(0, 0, context.database.get_doccount());
}

// At most this many articles can match every word: the least, over the
// members of the top AND, of the sum of their terms' frequencies. Under
// enough_all_words the every-word pass cannot be the answer and need not run
// (it must count every match to decide, the costlier of the two passes).
Xapian::doccount all_words_bound(const Xapian::Database& database, Xapian::Query query) {
    while (query.get_type() == Xapian::Query::OP_FILTER || query.get_type() == Xapian::Query::OP_AND_NOT)
        query = query.get_subquery(0);
    Xapian::doccount least = database.get_doccount();
    if (query.get_type() != Xapian::Query::OP_AND) return least;
    for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
        const Xapian::Query member = query.get_subquery(i);
        Xapian::doccount sum = 0;
        for (auto term = member.get_unique_terms_begin(); term != member.get_unique_terms_end(); ++term)
            sum += database.get_termfreq(*term);
        least = std::min(least, sum);
    }
    return least;
}

}  // namespace

Matched match(const MatchContext& context, QueryPlan& plan, const SearchRequest& request) {
    Matched out{Xapian::Enquire(context.database), {}, {}, request.sort == SortOrder::relevance, 0};
    const RankingParams& ranking = context.ranking;
    out.enquire.set_weighting_scheme(
        Xapian::BM25Weight(ranking.bm25_k1, 0, 1, ranking.bm25_b, ranking.bm25_min_normlen));
    set_order(out.enquire, request.sort);
    // A re-ranked page is cut from the whole re-ranked top: fetch from the first hit.
    out.fetched = out.reranking ? std::max(request.offset + request.limit, ranking.proximity_depth) : request.limit;
    PassRunner runner(context, request, out);
    // Facets count the whole result set, so every match must be seen.
    const Xapian::doccount check_at_least = runner.spies().empty()
                                                ? static_cast<Xapian::doccount>(request.offset + request.limit + 1)
                                                : context.database.get_doccount();
    // The threshold does not depend on paging, so pages never overlap.
    const auto enough = static_cast<Xapian::doccount>(ranking.enough_all_words);
    const Xapian::doccount bound = all_words_bound(context.database, plan.current().query);
    if (bound < enough && plan.advance({bound, bound}))
        runner.run(plan.current(), check_at_least);
    else
        runner.run(plan.current(), std::max(check_at_least, enough));
    while (plan.advance({out.mset.get_matches_lower_bound(), out.mset.get_matches_upper_bound()}))
        runner.run(plan.current(), check_at_least);
    if (context.has_remote && !runner.spies().empty()) count_facets_apart(context, plan.current().query, runner.spies());
    for (const auto& [name, spy] : runner.spies()) out.facets[name] = spy->top(kMaxFacetValues);
    return out;
}

}  // namespace sosik
