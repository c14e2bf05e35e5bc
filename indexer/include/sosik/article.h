// An article as every source reader produces it and the indexer stores it.
#pragma once

#include <string>
#include <vector>

namespace sosik {

struct Article {
    std::string id;     // unique and stable: front-matter/JSON `id`, else path relative to the archive root
    std::string url;    // public URL (Jekyll permalink, JSON `url`, …); may be empty
    std::string title;
    std::string date;   // ISO 8601: "2024-09-02" or "2024-09-02T10:00:00+09:00"; may be empty
    std::vector<std::string> categories;
    std::vector<std::string> tags;
    std::string excerpt;  // from the source if it has one; may be empty
    std::string image;    // may be empty
    std::string text;     // body as plain text; paragraphs separated by '\n'
    std::string source;   // the file it came from (as given on the command line), for messages
    bool published = true;  // false for a Jekyll post with `published: false`: Jekyll leaves it out, so do we
};

}  // namespace sosik
