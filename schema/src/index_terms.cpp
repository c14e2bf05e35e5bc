#include <sosik/index_terms.h>

#include <sosik/hangul.h>

#include <algorithm>
#include <cstdint>

namespace sosik::schema {

std::string index_term(Field field, Layer layer, std::string_view text) {
    std::string term(text_prefix(field, layer));
    term.append(text);
    return term;
}

std::vector<std::string> compound_terms(const std::vector<std::string>& word_bigrams) {
    std::vector<std::string> trigrams;
    for (std::size_t i = 0; i + 1 < word_bigrams.size(); ++i) {
        const std::string& next = word_bigrams[i + 1];
        // Bigrams overlap by one syllable: append the last one of the next.
        std::size_t last = next.size();
        while (last > 0 && (static_cast<unsigned char>(next[last - 1]) & 0xC0) == 0x80) --last;
        if (last > 0) --last;
        trigrams.push_back(word_bigrams[i] + next.substr(last));
    }
    return trigrams;
}

std::string synonym_key(const std::vector<std::string>& surfaces) {
    std::string key;
    for (const std::string& surface : surfaces) {
        if (surface.empty()) continue;
        if (!key.empty()) key += ' ';
        key += surface;
    }
    return key;
}

std::string synonym_key(const std::vector<Token>& tokens) {
    std::vector<const Token*> surfaces;
    for (const Token& token : tokens)
        if (token.layer == Layer::surface) surfaces.push_back(&token);
    std::stable_sort(surfaces.begin(), surfaces.end(),
                     [](const Token* a, const Token* b) { return a->position < b->position; });
    std::vector<std::string> words;
    for (const Token* token : surfaces) words.push_back(token->text);
    return synonym_key(words);
}

std::vector<std::string_view> ascii_pieces(std::string_view word) {
    const auto is_letter = [](char c) { return c >= 'a' && c <= 'z'; };
    const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    std::vector<std::string_view> pieces;
    std::size_t i = 0;
    while (i < word.size()) {
        if (static_cast<unsigned char>(word[i]) >= 0x80) return {};
        std::size_t end = i;
        if (is_letter(word[i])) {
            while (end < word.size() && is_letter(word[end])) ++end;
        } else if (is_digit(word[i])) {
            // A decimal point stays inside a number (3.5).
            while (end < word.size() &&
                   (is_digit(word[end]) || (word[end] == '.' && end + 1 < word.size() && is_digit(word[end + 1]))))
                ++end;
        } else {
            ++i;  // a separator: . · - _ …
            continue;
        }
        pieces.push_back(word.substr(i, end - i));
        i = end;
    }
    if (pieces.size() < 2) pieces.clear();
    return pieces;
}

namespace {

// A free-text term of a field; a title term is also added as a body term with
// more weight, so one query ranks title matches higher.
void add_text_term(TermSink& sink, std::string& term, Field field, Layer layer, std::string_view text) {
    term.assign(text_prefix(field, layer)).append(text);
    sink.add(term, 1);
    if (field == Field::title) {
        term.assign(text_prefix(Field::body, layer)).append(text);
        sink.add(term, kTitleWdfBoost);
    }
}

// Each run of consecutive bigram positions is one word's (the analyzer leaves
// a gap between words): its compound trigrams are indexed, not the bigrams.
void add_compound_terms(TermSink& sink, const std::vector<Token>& tokens, Field field) {
    std::vector<std::string> word_bigrams;
    std::uint32_t last_position = 0;
    std::size_t run_begin = 0, run_end = 0;
    std::string term;
    const auto flush = [&] {
        if (word_bigrams.size() > 1) sink.from(run_begin, run_end);
        for (const std::string& trigram : compound_terms(word_bigrams))
            add_text_term(sink, term, field, Layer::bigram, trigram);
        word_bigrams.clear();
    };
    for (const Token& token : tokens) {
        if (token.layer != Layer::bigram) continue;
        if (!word_bigrams.empty() && token.position != last_position + 1) flush();
        if (word_bigrams.empty()) run_begin = token.begin;
        run_end = token.end;
        word_bigrams.push_back(token.text);
        last_position = token.position;
    }
    flush();
}

}  // namespace

void add_field_terms(TermSink& sink, const std::vector<Token>& tokens, Field field) {
    std::string term;
    for (const Token& token : tokens) {
        if (token.text.empty() || token.layer == Layer::bigram) continue;
        if (text_prefix(field, token.layer).size() + token.text.size() > kMaxTermBytes) continue;
        sink.from(token.begin, token.end);
        add_text_term(sink, term, field, token.layer, token.text);
        if (token.layer == Layer::surface)
            for (const std::string_view piece : ascii_pieces(token.text))
                add_text_term(sink, term, field, Layer::surface, piece);
    }
    add_compound_terms(sink, tokens, field);
}

void add_title_initials_terms(TermSink& sink, const std::vector<Token>& title) {
    std::string term;
    for (const Token& token : title) {
        if (token.layer != Layer::surface && token.layer != Layer::stem) continue;
        // A word and its stem give two keys (서울시가 → ㅅㅇㅅㄱ, 서울시 → ㅅㅇㅅ):
        // ㅅㅇㅅ finds the word with its particle too.
        const std::string key = hangul::initials_of(token.text);
        if (key.empty()) continue;
        term.assign(kTitleInitialsPrefix).append(key);
        if (term.size() > kMaxTermBytes) continue;
        sink.from(token.begin, token.end);
        sink.add(term, 1);
    }
}

std::string term_layer(std::string_view term) {
    if (term.starts_with(kTitleInitialsPrefix)) return "title initials";
    // Longest prefixes first: XGS before XG, ZS before Z.
    for (const Field field : {Field::title, Field::body})
        for (const Layer layer : {Layer::bigram, Layer::stem, Layer::surface}) {
            const std::string_view prefix = text_prefix(field, layer);
            if (prefix.empty() || !term.starts_with(prefix)) continue;
            const std::string_view rest = term.substr(prefix.size());
            if (rest.empty()) return {};
            const std::string name = layer == Layer::bigram ? "compound" : std::string(layer_name(layer));
            return field == Field::title ? "title " + name : name;
        }
    // Body surface terms carry no prefix; other prefixes are upper-case ASCII.
    if (term.empty() || (term.front() >= 'A' && term.front() <= 'Z')) return {};
    return "surface";
}

std::vector<ShownTerm> shown_terms(const Analyzer& analyzer, const std::string& text, Field field) {
    class ShowingSink : public TermSink {
    public:
        std::vector<ShownTerm> terms;
        void from(std::size_t begin, std::size_t end) override { begin_ = begin, end_ = end; }
        void add(const std::string& term, unsigned wdf_increment) override {
            terms.push_back({term, term_layer(term), wdf_increment, begin_, end_});
        }

    private:
        std::size_t begin_ = 0, end_ = 0;
    } sink;
    const std::vector<Token> tokens = analyzer.analyze(text);
    add_field_terms(sink, tokens, field);
    if (field == Field::title) add_title_initials_terms(sink, tokens);
    return std::move(sink.terms);
}

}  // namespace sosik::schema
