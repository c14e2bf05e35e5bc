#include "hits.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sosik {

namespace {

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
// BM25 part computed as BM25Weight does with the ranking's parameters. Terms
// of one OP_SYNONYM are scored together, so the parts are a guide, not a sum.
std::string explain_match(const HitContext& context, const Xapian::MSetIterator& hit) {
    const Xapian::Database& db = context.database;
    const double k1 = context.ranking.bm25_k1, b = context.ranking.bm25_b;
    const double docs = db.get_doccount();
    const double avlen = std::max(db.get_avlength(), 1.0);
    const double norm = std::max(db.get_doclength(*hit) / avlen, context.ranking.bm25_min_normlen);
    std::string out;
    char buffer[64];
    for (auto t = context.enquire.get_matching_terms_begin(hit); t != context.enquire.get_matching_terms_end(hit); ++t) {
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

Hit full_hit(RankedHit& ranked, const SearchRequest& request, const HitContext& context) {
    schema::StoredArticle article = ranked.data().article();
    Hit hit;
    hit.score = ranked.score;
    hit.id = std::move(article.id);
    hit.url = std::move(article.url);
    hit.title = std::move(article.title);
    hit.date = std::move(article.date);
    hit.categories = std::move(article.categories);
    hit.tags = std::move(article.tags);
    if (request.snippets) {
        hit.title_highlight = context.highlighter.mark_all(hit.title);
        hit.snippet = context.highlighter.best_window(article.text);
    }
    if (request.explain) hit.explanation = explain_match(context, ranked.it);
    return hit;
}

}  // namespace

std::vector<Hit> page_hits(std::vector<RankedHit>& ranked, std::size_t first, const SearchRequest& request,
                           const HitContext& context, HitValueCache& values) {
    std::vector<Hit> hits;
    for (std::size_t k = first; k < ranked.size() && hits.size() < request.limit; ++k) {
        if (!request.hit_details && !request.explain) {
            Hit hit;  // ids and scores only (TREC runs): no stored article read
            hit.score = ranked[k].score;
            hit.id = values.id(ranked[k].it);
            hits.push_back(std::move(hit));
            continue;
        }
        hits.push_back(full_hit(ranked[k], request, context));
    }
    return hits;
}

}  // namespace sosik
