#include "vocabulary.h"

#include <sosik/schema.h>

namespace sosik {

namespace {

// The code point at the start of `s` (UTF-8), or 0.
char32_t first_code_point(std::string_view s) {
    if (s.empty()) return 0;
    const auto b = static_cast<unsigned char>(s[0]);
    const std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : 4;
    if (s.size() < n) return 0;
    char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[k]) & 0x3F);
    return c;
}

std::string utf8(char32_t c) {
    std::string out;
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
    return out;
}

// Unprefixed terms are case-folded words; prefixed ones start with a capital.
bool is_prefixed(std::string_view term) { return !term.empty() && term[0] >= 'A' && term[0] <= 'Z'; }

}  // namespace

std::size_t Vocabulary::count(const std::string& word) const {
    if (word.empty() || is_prefixed(word)) return 0;
    const std::string_view stem_prefix = schema::text_prefix(schema::Field::body, Layer::stem);
    return database_.get_termfreq(word) + database_.get_termfreq(std::string(stem_prefix) + word);
}

std::map<std::string, std::size_t> Vocabulary::completions(const hangul::Completion& completion,
                                                           std::size_t max_terms) const {
    std::map<std::string, std::size_t> found;
    for (const Layer layer : {Layer::surface, Layer::stem}) {
        const std::string prefix = std::string(schema::text_prefix(schema::Field::body, layer)) + completion.head;
        const std::string start = completion.first ? prefix + utf8(completion.first) : prefix;
        auto it = database_.allterms_begin(prefix);
        const auto end = database_.allterms_end(prefix);
        if (start != prefix) it.skip_to(start);
        for (std::size_t read = 0; it != end && read < max_terms; ++it, ++read) {
            const std::string term = *it;
            if (completion.first && first_code_point(std::string_view(term).substr(prefix.size())) > completion.last)
                break;
            std::string word = term.substr(prefix.size() - completion.head.size());
            if (!word.empty() && !is_prefixed(word)) found[std::move(word)] += it.get_termfreq();
        }
    }
    return found;
}

}  // namespace sosik
