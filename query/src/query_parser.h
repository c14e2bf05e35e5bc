// The user's query language, parsed leniently like a web search box:
//   words            건강도시 협약            (all of them; OR of them when that finds nothing)
//   "exact phrase"   "서울시 협약"            (adjacent, in order; particles still match)
//   -word -"phrase"  exclude (not -13도: a minus before a digit is a negative number)
//   A OR B, ( … )    alternatives, grouping
//   title:word       in the title only
//   category:건강 tag:ESG tag:"ESG 경영"     boolean filters on normalized values
//   site:blog-a                              the site of sosik-index --site
//   date:2024-05  date:2024-05-01..2024-06-30  date:..2023-12  date:2024..
// Nothing here throws on odd input: unbalanced quotes or parentheses, a lone
// '-', stray ':' are read in the most sensible way. A known field that cannot
// be read (date:2017-13, title: alone) is named by query_problem().
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sosik {

struct QueryNode {
    enum class Kind {
        word,        // text: one word as typed (may hold several ICU pieces: CJ제일제당)
        phrase,      // text: the words between quotes
        category,    // text: filter value
        tag,         // text: filter value
        site,        // text: filter value (sosik-index --site)
        date_range,  // from / to: ISO dates, either may be empty
        all_of,      // children AND-ed (implicit operator)
        any_of,      // children OR-ed (explicit OR)
        exclude,     // children[0] must not match
    };
    Kind kind = Kind::all_of;
    std::string text;
    bool title_only = false;  // word/phrase under title:
    std::string from, to;
    std::vector<QueryNode> children;
};

QueryNode parse_query(std::string_view query);

// A field written but not readable — date:2017-13, date:.., or title:, category:,
// tag: with nothing after them — in the words --since gives a bad date:
// "date: '2017-13' is not a date (use …)". Empty when every field reads.
// parse_query() reads such a field as words; a search refuses it (validate()),
// as a user who typed a filter means a filter.
std::string query_problem(std::string_view query);

// A readable, canonical form of what was understood: `서울시 AND "건강 도시" -협약 category:건강`.
std::string describe(const QueryNode& node);

}  // namespace sosik
