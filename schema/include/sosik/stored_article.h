// The document data of an article: written by the indexer, read back by every
// hit shown, by the proximity re-rank, by the phrase check and by suggestions.
// One codec, so the writer and its readers cannot drift apart.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sosik::schema {

// Everything a hit needs to be shown and highlighted without the source files.
struct StoredArticle {
    std::string id;
    std::string title;
    std::string url;
    std::string date;  // as the source wrote it
    std::vector<std::string> categories;
    std::vector<std::string> tags;
    std::string excerpt;
    std::string image;
    std::string source;
    std::string text;  // the article's plain text
};

// The bytes for Xapian::Document::set_data: a compact JSON object of the
// fields, a newline, the text; compressed with zstd. Invalid UTF-8 that
// slipped through a reader is replaced, never thrown on.
std::string encode_stored_article(const StoredArticle& article);

// Reads what encode_stored_article wrote. Throws IndexError on damaged data.
// The title and text are read without parsing the rest: the re-rank reads
// them for 20 hits per query, and parsing whole objects was 10% of its CPU.
class StoredArticleReader {
public:
    explicit StoredArticleReader(std::string_view stored);

    std::string title() const;
    std::string_view text() const { return text_; }
    // Every field (a malformed JSON part gives empty fields, not an error).
    StoredArticle article() const;

private:
    std::string data_;
    std::string_view json_, text_;
};

// ---- The layers underneath, for the codec's tests --------------------------

// Xapian's own zlib compression of document data cost 16% of a query's CPU
// (inflating the 20 hits the re-rank reads); zstd decompresses them about 3×
// faster for a similar size, and Xapian leaves data it cannot shrink as it is.
std::string encode_document_data(std::string_view data);
// Throws IndexError when `stored` is not what encode_document_data wrote.
std::string decode_document_data(std::string_view stored);

struct StoredData {
    std::string_view json;  // the JSON object (compact JSON never holds a newline)
    std::string_view text;  // the article's plain text; empty when there is none
};
// Views into `data`, which must outlive them.
StoredData split_document_data(std::string_view data);
// One top-level string field of the stored JSON, found without parsing the
// rest. Empty when absent.
std::string stored_string_field(std::string_view json, std::string_view key);

}  // namespace sosik::schema
