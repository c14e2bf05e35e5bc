#include <sosik/search.h>

#include "highlighter.h"
#include "query_builder.h"
#include "query_parser.h"

#include <sosik/error.h>
#include <sosik/schema.h>
#include <sosik/xapian_database.h>

#include <nlohmann/json.hpp>

#include <chrono>

namespace sosik {

namespace {

// Past this, a page is not something a person reads; it bounds the work per request.
constexpr std::size_t kMaxLimit = 1000;
constexpr std::size_t kMaxOffset = 100000;

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

}  // namespace

struct Searcher::Impl {
    SearcherOptions options;
    Xapian::Database database;
    Analyzer analyzer;

    explicit Impl(SearcherOptions opts) : options(std::move(opts)), database(open_for_reading(options.databases)) {}
};

Searcher::Searcher(SearcherOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

bool Searcher::reopen() {
    try {
        return impl_->database.reopen();
    } catch (const Xapian::Error& error) {
        throw IndexError("cannot reopen the database: " + error.get_description());
    }
}

Searcher::Stats Searcher::stats() const {
    Stats stats;
    stats.documents = impl_->database.get_doccount();
    stats.last_update = impl_->database.get_metadata(std::string(schema::kLastUpdateKey));
    stats.analyzer_version = impl_->database.get_metadata(std::string(schema::kAnalyzerVersionKey));
    stats.schema_version = impl_->database.get_metadata(std::string(schema::kSchemaVersionKey));
    return stats;
}

SearchResult Searcher::search(const SearchRequest& request) {
    const auto started = std::chrono::steady_clock::now();
    if (request.limit > kMaxLimit) throw InvalidInput("limit: at most " + std::to_string(kMaxLimit));
    if (request.offset > kMaxOffset) throw InvalidInput("offset: at most " + std::to_string(kMaxOffset));

    SearchResult result;
    result.query = request.query;
    QueryNode root = parse_query(request.query);
    append_request_filters(root, request);
    result.parsed = describe(root);

    Xapian::Enquire enquire(impl_->database);
    enquire.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
    switch (request.sort) {
    case SortOrder::relevance:
        break;
    case SortOrder::newest_first:
        enquire.set_sort_by_value_then_relevance(schema::kDateSlot, true);
        break;
    case SortOrder::oldest_first:
        enquire.set_sort_by_value_then_relevance(schema::kDateSlot, false);
        break;
    }

    BuiltQuery built;
    Xapian::MSet mset;
    try {
        built = build_query(root, impl_->analyzer, ImplicitOperator::all_words);
        enquire.set_query(built.query);
        mset = enquire.get_mset(request.offset, request.limit, request.offset + request.limit + 1);
        // AND found nothing: any of the words is better than nothing.
        if (mset.get_matches_upper_bound() == 0 && built.positive_words > 1) {
            built = build_query(root, impl_->analyzer, ImplicitOperator::any_word);
            enquire.set_query(built.query);
            mset = enquire.get_mset(request.offset, request.limit, request.offset + request.limit + 1);
        }
    } catch (const Xapian::DatabaseModifiedError&) {
        // The writer committed twice while we read: reopen once and retry.
        impl_->database.reopen();
        enquire = Xapian::Enquire(impl_->database);
        enquire.set_query(built.query);
        mset = enquire.get_mset(request.offset, request.limit);
    } catch (const Xapian::Error& error) {
        throw IndexError("search failed: " + error.get_description());
    }

    result.total = mset.get_matches_estimated();
    result.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    if (request.explain) result.explained_query = built.query.get_description();

    const Highlighter highlighter(impl_->analyzer, built.targets);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        const Xapian::Document doc = it.get_document();
        const nlohmann::json data = nlohmann::json::parse(doc.get_data(), nullptr, false);
        Hit hit;
        hit.score = it.get_weight();
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
            hit.snippet = highlighter.best_window(string_field(data, "text"));
        }
        if (request.explain) {
            for (auto term = enquire.get_matching_terms_begin(it); term != enquire.get_matching_terms_end(it);
                 ++term) {
                if (!hit.explanation.empty()) hit.explanation += ' ';
                hit.explanation += *term;
            }
        }
        result.hits.push_back(std::move(hit));
    }
    result.took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    return result;
}

}  // namespace sosik
