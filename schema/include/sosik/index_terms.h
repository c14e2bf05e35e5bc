// The one mapping from analysed tokens to index terms. The document builder
// writes an article's terms through it; the query side names the terms a
// query word is looked up by through the same functions, so the two cannot
// disagree on a prefix, a compound part or a length limit.
#pragma once

#include <sosik/analyzer.h>
#include <sosik/schema.h>

#include <string>
#include <string_view>
#include <vector>

namespace sosik::schema {

// The term of `text` in a field's layer: its prefix (text_prefix) and the text.
std::string index_term(Field field, Layer layer, std::string_view text);

// Compound parts: a word of three syllables or more is also indexed as its
// syllable trigrams (건강도시연맹 → 건강도 강도시 도시연 시연맹), so a query word
// finds itself inside compounds as the AND of its own trigrams (건강도시 →
// 건강도 AND 강도시) with no positions: a trigram pair rarely meets by chance,
// where bigrams did (dev MRR@10: bigram AND 0.8429, trigram AND 0.8503).
// They are made from the analyzer's bigrams, one word's run at a time.
std::vector<std::string> compound_terms(const std::vector<std::string>& word_bigrams);

// Glued ASCII words are also indexed as their letter and number runs, when
// they have more than one (syntphelper.exe → syntphelper, exe; 5khz → 5, khz;
// lx300usb → lx, 300, usb; 3.5ghz → 3.5, ghz): a query for the program, the
// unit or the model finds it, and a query for the whole finds it inside a
// longer token (lx300usb in lx300usb.gb). None for a plain word, a number,
// or a word with other letters (Hangul and the rest are the analyzer's layers).
std::vector<std::string_view> ascii_pieces(std::string_view word);

// Synonym groups (sosik-index --synonyms) live in the database's own Xapian
// synonym table, each member keyed as the analyzer reads it: the surface forms
// of its words in order, joined by a space (COVID-19 → "covid 19", 코로나19 →
// "코로나 19"), so a query word finds its group through the same analyzer
// (코로나19에 → "코로나 19"). A key's synonyms are the other members' keys.
std::string synonym_key(const std::vector<std::string>& surfaces);
std::string synonym_key(const std::vector<Token>& tokens);  // their surface tokens, in order

// Where terms go: a Xapian document when indexing, a list when showing them.
class TermSink {
public:
    virtual ~TermSink() = default;
    virtual void add(const std::string& term, unsigned wdf_increment) = 0;
    // The byte range of the analysed text that the next terms come from; only
    // a sink that shows terms (sosik-analyze) needs it.
    virtual void from(std::size_t /*begin*/, std::size_t /*end*/) {}
};

// What a free-text or 초성 term of the index is, by its prefix: "surface",
// "stem", "compound" (a trigram), each with "title " before it for a title
// term, or "title initials". Empty for a term that is none of these.
std::string term_layer(std::string_view term);

// The free-text terms of one field's tokens, without positions: surface
// words, stems, joined forms, ASCII pieces, compound trigrams. A title term is
// also added as a body term with kTitleWdfBoost, so a plain query ranks title
// matches higher.
void add_field_terms(TermSink& sink, const std::vector<Token>& tokens, Field field);

// 초성 keys of the title's Hangul words and stems of two syllables or more.
void add_title_initials_terms(TermSink& sink, const std::vector<Token>& title);

// One term as the document builder writes it, for showing (sosik-analyze,
// GET /api/analyze): the term, the layer its prefix names (term_layer), its
// within-document frequency increment, and the bytes of the text it comes from.
struct ShownTerm {
    std::string term;
    std::string layer;
    unsigned wdf = 0;
    std::size_t begin = 0, end = 0;
};

// Exactly the terms an article with `text` as its body (Field::body) or its
// title (Field::title: title terms, their body copies and 초성 keys) gets, in
// the order written.
std::vector<ShownTerm> shown_terms(const Analyzer& analyzer, const std::string& text, Field field);

}  // namespace sosik::schema
