#include "document_builder.h"

#include <sosik/schema.h>

#include <nlohmann/json.hpp>

#include <cstdio>

namespace sosik {

namespace {

constexpr std::size_t kExcerptChars = 160;

void add_field_terms(Xapian::Document& doc, const std::vector<Token>& tokens, schema::Field field) {
    for (const Token& token : tokens) {
        if (token.text.empty()) continue;
        const std::string_view prefix = schema::text_prefix(field, token.layer);
        std::string term;
        term.reserve(prefix.size() + token.text.size());
        term.append(prefix).append(token.text);
        if (term.size() > schema::kMaxTermBytes) continue;
        // Positions start at 1 in Xapian's convention (0 is valid but omega avoids it).
        doc.add_posting(term, token.position + 1);
        if (field == schema::Field::title) {
            // Title words also count as body words, with more weight: one query ranks title matches higher.
            std::string body_term{schema::text_prefix(schema::Field::body, token.layer)};
            body_term.append(token.text);
            doc.add_posting(body_term, token.position + 1, schema::kTitleWdfBoost);
        }
    }
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

Xapian::Document DocumentBuilder::build(const Article& article, const std::string& root_term,
                                        const std::string& source_key, const std::string& content_hash) const {
    Xapian::Document doc;
    Analyzer::Positions next;
    add_field_terms(doc, analyzer_.analyze(article.title, next), schema::Field::title);
    // A gap so that phrases never match across the title and the body.
    next.word += analyzer_.options().position_gap;
    next.bigram += analyzer_.options().position_gap;
    add_field_terms(doc, analyzer_.analyze(article.text, next), schema::Field::body);

    doc.add_boolean_term(std::string(schema::kIdPrefix) + article.id);
    if (!root_term.empty()) doc.add_boolean_term(root_term);
    for (const auto& category : article.categories)
        add_boolean(doc, schema::kCategoryPrefix, schema::filter_value(category));
    for (const auto& tag : article.tags) add_boolean(doc, schema::kTagPrefix, schema::filter_value(tag));

    if (auto date = schema::parse_date(article.date)) {
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
    doc.add_value(schema::kContentHashSlot, content_hash);
    doc.add_value(schema::kSourceSlot, source_key);

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
    doc.set_data(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n' + article.text);
    return doc;
}

std::string content_hash(const Article& article, const std::string& source_key) {
    // FNV-1a 64 over every field, with separators, plus the versions.
    std::uint64_t hash = 14695981039346656037ull;
    auto mix = [&hash](std::string_view s) {
        for (unsigned char c : s) {
            hash ^= c;
            hash *= 1099511628211ull;
        }
        hash ^= 0xFF;  // field separator
        hash *= 1099511628211ull;
    };
    mix(article.id);
    mix(article.url);
    mix(article.title);
    mix(article.date);
    for (const auto& c : article.categories) mix(c);
    mix("\x01");
    for (const auto& t : article.tags) mix(t);
    mix(article.excerpt);
    mix(article.image);
    mix(article.text);
    mix(source_key);
    mix(kAnalyzerVersion);
    mix(schema::kSchemaVersion);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

}  // namespace sosik
