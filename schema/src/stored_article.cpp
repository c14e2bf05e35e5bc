#include <sosik/stored_article.h>

#include <sosik/error.h>

#include <nlohmann/json.hpp>
#include <zstd.h>

namespace sosik::schema {

namespace {

// One context of each kind per thread: making one per document costs more
// than compressing a short one.
struct ZstdContexts {
    ZSTD_CCtx* compress = ZSTD_createCCtx();
    ZSTD_DCtx* decompress = ZSTD_createDCtx();
    ZstdContexts() = default;
    ZstdContexts(const ZstdContexts&) = delete;
    ZstdContexts& operator=(const ZstdContexts&) = delete;
    ~ZstdContexts() {
        ZSTD_freeCCtx(compress);
        ZSTD_freeDCtx(decompress);
    }
};

ZstdContexts& zstd_contexts() {
    thread_local ZstdContexts contexts;
    return contexts;
}

// zstd's default level: level 1 stores 2% more, level 6 compresses 3× slower for 1% less.
constexpr int kZstdLevel = 3;
// Past this a stored document cannot have come from the indexer (it caps pages far lower).
constexpr unsigned long long kMaxDocumentDataBytes = 1ull << 31;

}  // namespace

std::string encode_document_data(std::string_view data) {
    std::string out(ZSTD_compressBound(data.size()), '\0');
    const std::size_t size =
        ZSTD_compressCCtx(zstd_contexts().compress, out.data(), out.size(), data.data(), data.size(), kZstdLevel);
    if (ZSTD_isError(size)) throw Error(std::string("cannot compress document data: ") + ZSTD_getErrorName(size));
    out.resize(size);
    return out;
}

std::string decode_document_data(std::string_view stored) {
    const unsigned long long size = ZSTD_getFrameContentSize(stored.data(), stored.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > kMaxDocumentDataBytes)
        throw IndexError("stored document data is damaged (not a zstd frame): rebuild the database");
    std::string out(static_cast<std::size_t>(size), '\0');
    const std::size_t got =
        ZSTD_decompressDCtx(zstd_contexts().decompress, out.data(), out.size(), stored.data(), stored.size());
    if (ZSTD_isError(got) || got != out.size())
        throw IndexError(std::string("stored document data is damaged: ") +
                         (ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short") + "; rebuild the database");
    return out;
}

StoredData split_document_data(std::string_view data) {
    const std::size_t newline = data.find('\n');
    if (newline == std::string_view::npos) return {data, {}};
    return {data.substr(0, newline), data.substr(newline + 1)};
}

std::string stored_string_field(std::string_view json, std::string_view key) {
    // Compact JSON escapes every quote inside a string, so `"key":"` with bare
    // quotes is only ever a key and the start of its string value.
    std::string pattern = "\"";
    pattern.append(key).append("\":\"");
    const std::size_t found = json.find(pattern);
    if (found == std::string_view::npos) return {};
    const std::size_t open = found + pattern.size() - 1;
    std::size_t close = open + 1;
    while (close < json.size() && json[close] != '"') close += json[close] == '\\' ? 2 : 1;
    if (close >= json.size()) return {};
    const nlohmann::json value = nlohmann::json::parse(json.substr(open, close - open + 1), nullptr, false);
    return value.is_string() ? value.get<std::string>() : std::string();
}

namespace {

std::vector<std::string> string_list(const nlohmann::json& data, const char* key) {
    std::vector<std::string> out;
    const auto it = data.find(key);
    if (it == data.end() || !it->is_array()) return out;
    for (const auto& item : *it)
        if (item.is_string()) out.push_back(item.get<std::string>());
    return out;
}

std::string string_field(const nlohmann::json& data, const char* key) {
    const auto it = data.find(key);
    return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string encode_stored_article(const StoredArticle& article) {
    const nlohmann::json data = {
        {"id", article.id},
        {"title", article.title},
        {"url", article.url},
        {"date", article.date},
        {"categories", article.categories},
        {"tags", article.tags},
        {"excerpt", article.excerpt},
        {"image", article.image},
        {"source", article.source},
    };
    // The text follows the JSON after a newline (which compact JSON never
    // holds): a hit shown without a snippet parses a few hundred bytes, not
    // the article.
    return encode_document_data(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n' +
                                article.text);
}

StoredArticleReader::StoredArticleReader(std::string_view stored) : data_(decode_document_data(stored)) {
    const StoredData parts = split_document_data(data_);
    json_ = parts.json;
    text_ = parts.text;
}

std::string StoredArticleReader::title() const { return stored_string_field(json_, "title"); }

StoredArticle StoredArticleReader::article() const {
    StoredArticle article;
    article.text = std::string(text_);
    const nlohmann::json data = nlohmann::json::parse(json_, nullptr, false);
    if (!data.is_object()) return article;
    article.id = string_field(data, "id");
    article.title = string_field(data, "title");
    article.url = string_field(data, "url");
    article.date = string_field(data, "date");
    article.categories = string_list(data, "categories");
    article.tags = string_list(data, "tags");
    article.excerpt = string_field(data, "excerpt");
    article.image = string_field(data, "image");
    article.source = string_field(data, "source");
    return article;
}

}  // namespace sosik::schema
