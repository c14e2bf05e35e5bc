// 초성 keys of an article's words (schema.h, kInitialsPrefix).
#pragma once

#include <sosik/analyzer.h>
#include <sosik/schema.h>

#include <xapian.h>

#include <vector>

namespace sosik {

// Adds one key term per Hangul surface or stem token of two or more syllables.
void add_initials_terms(Xapian::Document& doc, const std::vector<Token>& tokens, schema::Field field);

}  // namespace sosik
