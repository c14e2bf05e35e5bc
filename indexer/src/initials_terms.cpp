#include "initials_terms.h"

#include <sosik/hangul.h>

namespace sosik {

void add_initials_terms(Xapian::Document& doc, const std::vector<Token>& tokens, schema::Field field) {
    std::string term;
    for (const Token& token : tokens) {
        if (token.layer != Layer::surface && token.layer != Layer::stem) continue;
        const std::string key = hangul::initials_of(token.text);
        if (key.empty()) continue;
        if (field == schema::Field::title) {
            term.assign(schema::kTitleInitialsPrefix).append(key);
            if (term.size() <= schema::kMaxTermBytes) doc.add_term(term);
        }
        // A word and its stem give two keys (서울시가 → ㅅㅇㅅㄱ, 서울시 → ㅅㅇㅅ):
        // ㅅㅇㅅ finds the word with its particle too.
        term.assign(schema::kInitialsPrefix).append(key);
        if (term.size() <= schema::kMaxTermBytes) doc.add_term(term);
    }
}

}  // namespace sosik
