// 초성 keys of an article's title words (schema.h, kTitleInitialsPrefix).
#pragma once

#include <sosik/analyzer.h>

#include <xapian.h>

#include <vector>

namespace sosik {

// Adds one key term per Hangul surface or stem token of two or more syllables.
void add_title_initials_terms(Xapian::Document& doc, const std::vector<Token>& title);

}  // namespace sosik
