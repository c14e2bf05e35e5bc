// Source readers: turn files of an archive into Articles.
// HTML via Gumbo, Markdown via md4c, front matter via yaml-cpp, JSON via nlohmann.
// Every reader throws sosik::InvalidInput with a one-line reason on bad input.
#pragma once

#include <sosik/article.h>

#include <filesystem>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace sosik {

// ---- HTML and Markdown -----------------------------------------------------

// Visible text of an HTML fragment or page: script/style/template/head dropped,
// block elements separate words ('\n' between paragraphs), inline elements do
// not (삼성<b>전자</b> → 삼성전자), entities decoded, <img alt> kept.
std::string html_to_text(std::string_view html);

// A standalone .html page: its text plus what its head says about it.
struct HtmlPage {
    std::string title;        // <meta property="og:title"> else <title>
    std::string date;         // <meta property="article:published_time"> (ISO 8601) else empty
    std::string description;  // og:description / description meta
    std::string url;          // og:url / <link rel="canonical">
    std::string text;         // as html_to_text of the <body>
};
HtmlPage parse_html_page(std::string_view html);

// CommonMark (+ tables, strikethrough, inline HTML) to HTML, via md4c.
std::string markdown_to_html(std::string_view markdown);

// ---- Jekyll -----------------------------------------------------------------

// What a Jekyll site's _config.yml says about URLs, found by walking up from a post.
struct JekyllSite {
    // The folder holding _config.yml, else the one holding _posts/ (so ids
    // relative to it do not depend on the path given); empty when neither.
    std::filesystem::path root;
    std::string permalink = "date";    // _config.yml `permalink` (a style name or a template)
    std::string baseurl;               // _config.yml `baseurl`, "" or "/blog"
    std::string url;                   // _config.yml `url`, "" or "https://example.com" (no trailing /)
};
JekyllSite find_jekyll_site(const std::filesystem::path& post_file);

// A Jekyll post (.md/.markdown/.html with YAML front matter). `content` is the
// whole file. Title, date (front matter, else the YYYY-MM-DD- file name),
// categories/tags (list or space-separated string), excerpt, image, id (left
// empty when the front matter has none), URL computed as Jekyll would.
Article read_jekyll_post(const std::filesystem::path& file, std::string_view content,
                         const JekyllSite& site);

// True when the file starts with a YAML front-matter fence ("---" line).
bool has_front_matter(std::string_view content);

// Jekyll's URL for a post: expands :categories :year :month :i_month :day
// :i_day :title :slug :short_year :hour :minute :second (and the style names
// date/pretty/ordinal/none), then prefixes baseurl.
std::string jekyll_url(std::string_view permalink_template, std::string_view baseurl,
                       const Article& post, std::string_view slug);

// ---- JSON Lines ---------------------------------------------------------------

// Streams a .jsonl or .jsonl.gz file, one article per line: `id`, `title`,
// `body` (HTML or text) required; `date`, `url`, `categories`, `tags` optional
// (a string or a list). Memory stays bounded by the longest line.
class JsonlReader {
public:
    explicit JsonlReader(const std::filesystem::path& file);  // throws InvalidInput if unreadable
    ~JsonlReader();
    JsonlReader(const JsonlReader&) = delete;
    JsonlReader& operator=(const JsonlReader&) = delete;

    // Reads the next well-formed article into `out` and returns true; false at
    // end of file. A malformed line calls `on_bad_line(line_number, reason)` and
    // is skipped, so one bad line never loses the rest of the file.
    bool next(Article& out,
              const std::function<void(std::size_t line, const std::string& reason)>& on_bad_line);

    // The raw side of next(), for callers that parse lines elsewhere (the
    // indexer's worker threads): the next non-blank line, without its '\n' and
    // the file's BOM, and its 1-based number. Too long lines and read errors go
    // to `on_bad_line` as in next(); false at end of file.
    bool next_line(std::string& line, std::size_t& line_number,
                   const std::function<void(std::size_t line, const std::string& reason)>& on_bad_line);

    // Bytes of the file consumed so far (compressed bytes for .gz), for progress.
    std::uint64_t bytes_read() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One line of a JSON Lines export as an Article (what JsonlReader::next does
// with each line; `source` is left empty). Throws InvalidInput with the reason.
Article parse_jsonl_line(std::string_view line);

}  // namespace sosik
