// Article → Xapian::Document, following schema.h.
#pragma once

#include <sosik/analyzer.h>
#include <sosik/article.h>

#include <xapian.h>

#include <string>

namespace sosik {

// Where an article came from, as the incremental indexer tracks it.
struct ArticleOrigin {
    std::string root_term;    // XR<hash of the archive root>
    std::string source_key;   // root term + ":" + relative path of the source file
    std::string source_term;  // XF<hash of the source key>
    std::string fingerprint;  // hex fingerprint of the article's source bytes (schema::kContentHashSlot)
    std::string site;         // IndexOptions::site for this article, "" for none
};

// CPU seconds of the calling thread: the profile of a run on a busy machine
// should show work, not waiting for a core.
double thread_cpu_seconds();

// Builds documents with the analyzer it is given. Not thread-safe through the
// analyzer (ICU break iterators): each worker thread has its own pair.
class DocumentBuilder {
public:
    explicit DocumentBuilder(const Analyzer& analyzer) : analyzer_(analyzer) {}

    // Seconds spent, for the indexer's profile (sosik-index --verbose).
    struct Times {
        double analyze = 0;  // Analyzer::analyze (ICU + Korean layers)
        double build = 0;    // the rest: terms, values, data
        std::size_t postings = 0;  // distinct terms of the documents built: what the Xapian writer inverts
    };
    Xapian::Document build(const Article& article, const ArticleOrigin& origin, Times* times = nullptr) const;

private:
    const Analyzer& analyzer_;
};

}  // namespace sosik
