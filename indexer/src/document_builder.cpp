#include "document_builder.h"

#include <sosik/index_terms.h>
#include <sosik/schema.h>
#include <sosik/stored_article.h>

#include <cstdio>
#include <ctime>

namespace sosik {

namespace {

constexpr std::size_t kExcerptChars = 160;

// The document's side of the schema's token → terms mapping.
class DocumentTerms : public schema::TermSink {
public:
    explicit DocumentTerms(Xapian::Document& doc) : doc_(doc) {}
    void add(const std::string& term, unsigned wdf_increment) override { doc_.add_term(term, wdf_increment); }

private:
    Xapian::Document& doc_;
};

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
    // Categories and tags are words of the article too (a tag Toyota finds
    // its post), weighted as title words: they name what it is about.
    std::string labels;
    for (const auto* list : {&article.categories, &article.tags})
        for (const std::string& label : *list) labels.append(label).append("\n");
    next.word += analyzer_.options().position_gap;
    next.bigram += analyzer_.options().position_gap;
    const std::vector<Token> label_words = analyzer_.analyze(labels, next);
    const double analyzed = thread_cpu_seconds();
    DocumentTerms terms(doc);
    schema::add_field_terms(terms, title, schema::Field::title);
    schema::add_field_terms(terms, label_words, schema::Field::title);
    schema::add_field_terms(terms, body, schema::Field::body);
    schema::add_title_initials_terms(terms, title);

    doc.add_boolean_term(std::string(schema::kIdPrefix) + article.id);
    if (!origin.root_term.empty()) doc.add_boolean_term(origin.root_term);
    if (!origin.source_term.empty()) doc.add_boolean_term(origin.source_term);
    if (!origin.site.empty()) add_boolean(doc, schema::kSitePrefix, schema::filter_value(origin.site));
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

    schema::StoredArticle stored{article.id,      article.title, article.url,   article.date,
                                 article.categories, article.tags,
                                 article.excerpt.empty() ? leading_excerpt(article.text) : article.excerpt,
                                 article.image,   article.source, article.text};
    doc.set_data(schema::encode_stored_article(stored));
    if (times) {
        times->analyze += analyzed - started;
        times->build += thread_cpu_seconds() - analyzed;
        times->postings += doc.termlist_count();
    }
    return doc;
}

}  // namespace sosik
