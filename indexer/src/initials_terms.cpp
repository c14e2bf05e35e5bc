#include "initials_terms.h"

#include <sosik/hangul.h>
#include <sosik/schema.h>

namespace sosik {

void add_title_initials_terms(Xapian::Document& doc, const std::vector<Token>& title) {
    std::string term;
    for (const Token& token : title) {
        if (token.layer != Layer::surface && token.layer != Layer::stem) continue;
        // A word and its stem give two keys (서울시가 → ㅅㅇㅅㄱ, 서울시 → ㅅㅇㅅ):
        // ㅅㅇㅅ finds the word with its particle too.
        const std::string key = hangul::initials_of(token.text);
        if (key.empty()) continue;
        term.assign(schema::kTitleInitialsPrefix).append(key);
        if (term.size() <= schema::kMaxTermBytes) doc.add_term(term);
    }
}

}  // namespace sosik
