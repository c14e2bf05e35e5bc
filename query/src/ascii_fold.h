// Latin letters folded as the analyzer indexes them (a-z), every other byte
// as it is: lets the query library find indexed forms in stored text by
// plain byte search. Hangul has no case.
#pragma once

#include <string>
#include <string_view>

namespace sosik {

inline std::string ascii_lowered(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace sosik
