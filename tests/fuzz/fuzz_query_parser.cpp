// libFuzzer target: the query language. Any bytes parse (leniently, never
// throwing) into a tree that can be described and built into a Xapian query
// through the analyzer; only a bad date may be refused, as InvalidInput.
#include "query_builder.h"
#include "query_parser.h"

#include <sosik/error.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const sosik::Analyzer analyzer;
    static const Xapian::Database nothing;  // no words for an initials query to find
    const std::string_view query(reinterpret_cast<const char*>(data), size);
    const sosik::QueryNode tree = sosik::parse_query(query);
    (void)sosik::describe(tree);
    try {
        (void)sosik::build_query(tree, analyzer, nothing, {}).query.get_description();
        (void)sosik::build_query(tree, analyzer, nothing, {sosik::ImplicitOperator::any_word, true});
    } catch (const sosik::InvalidInput&) {
    }
    return 0;
}
