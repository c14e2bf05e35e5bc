// Every query-time ranking parameter, in one place, each with its reason.
// Index-time weights (the title's wdf boost) are part of the schema
// (schema.h). The measurements behind each value are in
// benchmarks/quality/README.md.
#pragma once

#include <cstddef>
#include <string>

namespace sosik {

struct RankingParams {
    // BM25 (Xapian's BM25Weight): the best of (0.9, 0.4), (1.2, 0.5),
    // (1.2, 0.75), (1.2, 0.9), (1.5, 0.75) on dev.
    double bm25_k1 = 1.2;
    double bm25_b = 0.75;
    double bm25_min_normlen = 0.5;  // Xapian's default: very short articles are not over-rewarded

    // Below this many articles with every query word, rank by any of them
    // (natural-language questions rarely have all their words in one article).
    std::size_t enough_all_words = 100;

    // A word typed with a particle (서울시가) also scores its exact form on its
    // own, at this weight: articles using the word as the question does rise.
    double exact_form_weight = 0.15;
    // A word that frames a question (의미, 정의, 용어 …) among topic words: the
    // answer defines the topic without naming the frame.
    double framing_word_weight = 0.5;

    // Two adjacent query words written as one word the archive holds (주가
    // 조작 → 주가조작) count in each of the two at this weight: an article
    // with the joined word scores about as one with both words apart.
    double joined_form_weight = 0.0;

    // A query word also matches the indexed words that contain it (연맹 →
    // 건강도시연맹), the max_containing_words most frequent (0: none), as one
    // group at containing_word_weight, when the archive holds the word alone
    // at most containing_share times as often as its commonest containing
    // word (a word mostly seen inside compounds). compound_trigrams 0 stops
    // matching words of 3+ syllables inside compounds by their syllable
    // trigrams; they then match their containing words as themselves.
    std::size_t max_containing_words = 0;
    double containing_word_weight = 0.3;
    double containing_share = 1.0;
    std::size_t compound_trigrams = 1;
    // 1: containing words anywhere, through the lexicon (built per process
    // and reopen); 0: only the words that start with the query word, read
    // from the sorted term dictionary at no cost up front.
    std::size_t containing_inside = 1;

    // 초성 queries: a title key outweighs a body word (else a body repeating
    // the word outranks a title holding it); words that only start with the
    // typed initials count less than exact ones.
    double initials_title_weight = 4.0;
    double initials_prefix_weight = 0.3;

    // The re-rank of the top hits on their stored text: up to
    // proximity_weight × the top BM25 score for the query words standing
    // close together, up to lead_weight × it for the share of them in the
    // title or first sentence (an article names its subject there).
    std::size_t proximity_depth = 20;
    double proximity_weight = 0.2;
    double lead_weight = 0.2;

    // Where the values came from: empty for the built-in ones, else the file.
    std::string source;
};

// Reads `key = value` lines over the built-in values (# starts a comment).
// A tuning aid: benchmarks sweep a parameter without a rebuild. Throws
// InvalidInput naming the file and line for an unknown key or a bad value.
RankingParams load_ranking_params(const std::string& path);

// The parameters as `key = value` lines, in the file's format.
std::string describe(const RankingParams& params);

}  // namespace sosik
