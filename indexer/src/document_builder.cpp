#include "document_builder.h"

#include "initials_terms.h"

#include <sosik/schema.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>

namespace sosik {

namespace {

constexpr std::size_t kExcerptChars = 160;

// A free-text term of a field; a title term is also added as a body term with
// more weight, so one query ranks title matches higher.
void add_text_term(Xapian::Document& doc, std::string& term, schema::Field field, Layer layer, std::string_view text) {
    term.assign(schema::text_prefix(field, layer)).append(text);
    doc.add_term(term);
    if (field == schema::Field::title) {
        term.assign(schema::text_prefix(schema::Field::body, layer)).append(text);
        doc.add_term(term, schema::kTitleWdfBoost);
    }
}

// Each run of consecutive bigram positions is one word's (the analyzer leaves
// a gap between words): its compound trigrams are indexed, not the bigrams.
void add_compound_terms(Xapian::Document& doc, const std::vector<Token>& tokens, schema::Field field) {
    std::vector<std::string> word_bigrams;
    std::uint32_t last_position = 0;
    std::string term;
    const auto flush = [&] {
        for (const std::string& trigram : schema::compound_terms(word_bigrams))
            add_text_term(doc, term, field, Layer::bigram, trigram);
        word_bigrams.clear();
    };
    for (const Token& token : tokens) {
        if (token.layer != Layer::bigram) continue;
        if (!word_bigrams.empty() && token.position != last_position + 1) flush();
        word_bigrams.push_back(token.text);
        last_position = token.position;
    }
    flush();
}

// Word terms, without positions (schema.h says why).
void add_field_terms(Xapian::Document& doc, const std::vector<Token>& tokens, schema::Field field) {
    std::string term;
    for (const Token& token : tokens) {
        if (token.text.empty() || token.layer == Layer::bigram) continue;
        const std::string_view prefix = schema::text_prefix(field, token.layer);
        if (prefix.size() + token.text.size() > schema::kMaxTermBytes) continue;
        add_text_term(doc, term, field, token.layer, token.text);
        if (token.layer == Layer::surface)
            for (const std::string_view piece : schema::ascii_pieces(token.text))
                add_text_term(doc, term, field, Layer::surface, piece);
    }
    add_compound_terms(doc, tokens, field);
}

void add_boolean(Xapian::Document& doc, std::string_view prefix, const std::string& value) {
    if (value.empty()) return;
    std::string term{prefix};
    term += value;
    if (term.size() <= schema::kMaxTermBytes) doc.add_boolean_term(term);
}

std::string joined_list(const std::vector<std::string>& values) {
    std::string joined;
    for (const auto& value : values) {
        if (value.empty()) continue;
        if (!joined.empty()) joined += schema::kListSeparator;
        joined += value;
    }
    return joined;
}

// The first ~kExcerptChars characters of the text, cut on a UTF-8 boundary.
std::string leading_excerpt(const std::string& text) {
    std::size_t chars = 0, i = 0;
    for (; i < text.size() && chars < kExcerptChars; ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++chars;
    }
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    std::string excerpt = text.substr(0, i);
    for (char& c : excerpt) if (c == '\n') c = ' ';
    if (i < text.size()) excerpt += "…";
    return excerpt;
}

}  // namespace

double thread_cpu_seconds() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

Xapian::Document DocumentBuilder::build(const Article& article, const ArticleOrigin& origin, Times* times) const {
    const double started = thread_cpu_seconds();
    Xapian::Document doc;
    Analyzer::Positions next;
    const std::vector<Token> title = analyzer_.analyze(article.title, next);
    // A gap so that phrases never match across the title and the body.
    next.word += analyzer_.options().position_gap;
    next.bigram += analyzer_.options().position_gap;
    const std::vector<Token> body = analyzer_.analyze(article.text, next);
    const double analyzed = thread_cpu_seconds();
    add_field_terms(doc, title, schema::Field::title);
    add_field_terms(doc, body, schema::Field::body);
    add_title_initials_terms(doc, title);

    doc.add_boolean_term(std::string(schema::kIdPrefix) + article.id);
    if (!origin.root_term.empty()) doc.add_boolean_term(origin.root_term);
    if (!origin.source_term.empty()) doc.add_boolean_term(origin.source_term);
    for (const auto& category : article.categories)
        add_boolean(doc, schema::kCategoryPrefix, schema::filter_value(category));
    for (const auto& tag : article.tags) add_boolean(doc, schema::kTagPrefix, schema::filter_value(tag));

    const std::optional<schema::Date> date = schema::parse_date(article.date);
    doc.add_value(schema::kOrderSlot, schema::order_value(date, article.id));
    if (date) {
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, "%04d", date->year);
        add_boolean(doc, schema::kYearPrefix, buffer);
        std::snprintf(buffer, sizeof buffer, "%04d%02d", date->year, date->month);
        add_boolean(doc, schema::kMonthPrefix, buffer);
        std::snprintf(buffer, sizeof buffer, "%04d%02d%02d", date->year, date->month, date->day);
        add_boolean(doc, schema::kDayPrefix, buffer);
        doc.add_value(schema::kDateSlot, Xapian::sortable_serialise(date->sort_key()));
        std::snprintf(buffer, sizeof buffer, "%04d-%02d", date->year, date->month);
        doc.add_value(schema::kMonthSlot, buffer);
    }
    doc.add_value(schema::kCategoriesSlot, joined_list(article.categories));
    doc.add_value(schema::kTagsSlot, joined_list(article.tags));
    doc.add_value(schema::kContentHashSlot, origin.fingerprint);
    doc.add_value(schema::kIdSlot, article.id);
    doc.add_value(schema::kSourceSlot, origin.source_key);

    nlohmann::json data = {
        {"id", article.id},
        {"title", article.title},
        {"url", article.url},
        {"date", article.date},
        {"categories", article.categories},
        {"tags", article.tags},
        {"excerpt", article.excerpt.empty() ? leading_excerpt(article.text) : article.excerpt},
        {"image", article.image},
        {"source", article.source},
    };
    // Replace rather than throw on any invalid UTF-8 that slipped through a reader.
    // The text follows the JSON after a newline (which compact JSON never holds):
    // a hit shown without a snippet parses a few hundred bytes, not the article.
    doc.set_data(schema::encode_document_data(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                                              '\n' + article.text));
    if (times) {
        times->analyze += analyzed - started;
        times->build += thread_cpu_seconds() - analyzed;
        times->postings += doc.termlist_count();
    }
    return doc;
}

}  // namespace sosik
