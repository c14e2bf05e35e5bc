// Article → Xapian::Document, following schema.h.
#pragma once

#include <sosik/analyzer.h>
#include <sosik/article.h>

#include <xapian.h>

#include <string>

namespace sosik {

class DocumentBuilder {
public:
    explicit DocumentBuilder(const Analyzer& analyzer) : analyzer_(analyzer) {}

    // `source_key` identifies the source file within its archive root (for
    // incremental removal); `content_hash` decides "unchanged" on re-runs.
    Xapian::Document build(const Article& article, const std::string& root_term, const std::string& source_key,
                           const std::string& content_hash) const;

private:
    const Analyzer& analyzer_;
};

// A stable fingerprint of everything an article contributes to the index,
// including the analyzer and schema versions (so an upgrade re-indexes).
std::string content_hash(const Article& article, const std::string& source_key);

}  // namespace sosik
