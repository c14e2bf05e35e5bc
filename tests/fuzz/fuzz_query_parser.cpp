// libFuzzer target: the query language. Any bytes parse (leniently, never
// throwing) into a tree that can be described, analysed (spacing on: the cut
// and join lookups run too) and built into each pass's Xapian query; only a
// bad date may be refused, as InvalidInput.
#include "analysed_query.h"
#include "query_parser.h"
#include "query_plan.h"

#include <sosik/error.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const sosik::Analyzer analyzer;
    static const Xapian::Database nothing;  // no words for an initials query or a cut to find
    static const sosik::Vocabulary vocabulary(nothing);
    static const sosik::RankingParams ranking;
    const std::string_view query(reinterpret_cast<const char*>(data), size);
    sosik::QueryNode tree = sosik::parse_query(query);
    (void)sosik::describe(tree);
    try {
        const sosik::AnalysedQuery analysed = sosik::analyse_query(std::move(tree), analyzer, vocabulary, {true});
        (void)sosik::describe_spacing(analysed);
        (void)sosik::build_pass(analysed, {}, ranking).query.get_description();
        (void)sosik::build_pass(analysed, {sosik::ImplicitOperator::any_word, true}, ranking);
    } catch (const sosik::InvalidInput&) {
    }
    return 0;
}
