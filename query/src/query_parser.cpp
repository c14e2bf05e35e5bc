#include "query_parser.h"

#include <sosik/schema.h>

#include <algorithm>
#include <cctype>
#include <optional>

namespace sosik {

namespace {

// Deeper parentheses are read as plain separators: a query is typed by a
// person, and recursion depth must stay bounded whatever is sent.
constexpr int kMaxNesting = 16;

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";  // U+3000, common in Korean text input

std::string lowercase_ascii(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool is_date_range_value(std::string_view value, std::string& from, std::string& to) {
    const std::size_t dots = value.find("..");
    if (dots == std::string_view::npos) {
        if (!schema::parse_date(value)) return false;
        from = to = std::string(value);
        return true;
    }
    from = std::string(value.substr(0, dots));
    to = std::string(value.substr(dots + 2));
    if (from.empty() && to.empty()) return false;
    return (from.empty() || schema::parse_date(from)) && (to.empty() || schema::parse_date(to));
}

class Parser {
public:
    explicit Parser(std::string_view text) : s_(text) {}

    QueryNode parse() {
        QueryNode root = parse_alternatives();
        // Anything left is behind a stray ')': read it as more of the query.
        while (!at_end()) {
            if (peek() == ')') {
                ++pos_;
                continue;
            }
            QueryNode more = parse_alternatives();
            if (root.kind == QueryNode::Kind::all_of) {
                for (auto& child : more.children) root.children.push_back(std::move(child));
                if (more.kind != QueryNode::Kind::all_of) root.children.push_back(std::move(more));
            } else {
                QueryNode combined;
                combined.children.push_back(std::move(root));
                combined.children.push_back(std::move(more));
                root = std::move(combined);
            }
        }
        return simplify(std::move(root));
    }

private:
    bool at_end() {
        skip_space();
        return pos_ >= s_.size();
    }
    char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }

    void skip_space() {
        while (pos_ < s_.size()) {
            if (std::isspace(static_cast<unsigned char>(s_[pos_]))) {
                ++pos_;
            } else if (s_.substr(pos_).starts_with(kIdeographicSpace)) {
                pos_ += kIdeographicSpace.size();
            } else {
                break;
            }
        }
    }

    static bool ends_bare_word(char c) {
        return std::isspace(static_cast<unsigned char>(c)) || c == '(' || c == ')' || c == '"';
    }

    std::string_view read_bare_word() {
        const std::size_t start = pos_;
        while (pos_ < s_.size() && !ends_bare_word(s_[pos_]) && !s_.substr(pos_).starts_with(kIdeographicSpace))
            ++pos_;
        return s_.substr(start, pos_ - start);
    }

    // After an opening quote: up to the closing quote, or the end when it is missing.
    std::string_view read_quoted() {
        const std::size_t start = pos_;
        const std::size_t close = s_.find('"', pos_);
        if (close == std::string_view::npos) {
            pos_ = s_.size();
            return s_.substr(start);
        }
        pos_ = close + 1;
        return s_.substr(start, close - start);
    }

    bool starts_negative_number() const {
        return pos_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_ + 1]));
    }

    bool at_or_keyword() {
        skip_space();
        if (!s_.substr(pos_).starts_with("OR")) return false;
        const std::size_t after = pos_ + 2;
        return after < s_.size() && (std::isspace(static_cast<unsigned char>(s_[after])) || s_[after] == '(' ||
                                     s_[after] == '"' || s_[after] == '-');
    }

    QueryNode parse_alternatives() {
        std::vector<QueryNode> alternatives;
        alternatives.push_back(parse_sequence());
        while (at_or_keyword()) {
            pos_ += 2;
            alternatives.push_back(parse_sequence());
        }
        std::erase_if(alternatives, [](const QueryNode& n) {
            return n.kind == QueryNode::Kind::all_of && n.children.empty();
        });
        if (alternatives.size() == 1) return std::move(alternatives.front());
        QueryNode any;
        any.kind = QueryNode::Kind::any_of;
        if (alternatives.empty()) return QueryNode{};
        any.children = std::move(alternatives);
        return any;
    }

    QueryNode parse_sequence() {
        QueryNode all;
        while (!at_end()) {
            if (peek() == ')') {
                if (depth_ > 0) break;
                ++pos_;  // stray closing parenthesis
                continue;
            }
            // "OR" with nothing before it in this group is just a word.
            if (!all.children.empty() && at_or_keyword()) break;
            if (auto node = parse_unary()) all.children.push_back(std::move(*node));
        }
        return all;
    }

    std::optional<QueryNode> parse_unary() {
        // A minus before a digit is a negative number (최저 -13도, -5%), as
        // news headlines write temperatures and rates: the word is searched.
        if (peek() == '-' && !starts_negative_number()) {
            ++pos_;
            if (pos_ >= s_.size() || (ends_bare_word(s_[pos_]) && s_[pos_] != '"' && s_[pos_] != '('))
                return std::nullopt;  // a lone '-'
            std::optional<QueryNode> excluded = parse_primary();
            if (!excluded) return std::nullopt;
            QueryNode node;
            node.kind = QueryNode::Kind::exclude;
            node.children.push_back(std::move(*excluded));
            return node;
        }
        return parse_primary();
    }

    std::optional<QueryNode> parse_primary() {
        const char c = peek();
        if (c == '(') {
            ++pos_;
            if (depth_ >= kMaxNesting) return std::nullopt;
            ++depth_;
            QueryNode group = parse_alternatives();
            --depth_;
            skip_space();
            if (peek() == ')') ++pos_;  // a missing ')' is forgiven
            if (group.kind == QueryNode::Kind::all_of && group.children.empty()) return std::nullopt;
            return group;
        }
        if (c == '"') {
            ++pos_;
            return text_node(QueryNode::Kind::phrase, read_quoted(), false);
        }
        const std::string_view word = read_bare_word();
        if (word.empty()) {
            ++pos_;  // cannot happen with the checks above; never loop forever
            return std::nullopt;
        }
        const std::size_t colon = word.find(':');
        if (colon == std::string_view::npos) return text_node(QueryNode::Kind::word, word, false);
        if (colon > 0) {
            if (auto field = parse_field(lowercase_ascii(word.substr(0, colon)), word.substr(colon + 1)))
                return field;
        }
        // Not a field we know (or a value we cannot read): the colon separates words.
        QueryNode words;
        std::size_t start = 0;
        while (start <= word.size()) {
            std::size_t end = word.find(':', start);
            if (end == std::string_view::npos) end = word.size();
            if (auto node = text_node(QueryNode::Kind::word, word.substr(start, end - start), false))
                words.children.push_back(std::move(*node));
            start = end + 1;
        }
        if (words.children.empty()) return std::nullopt;
        if (words.children.size() == 1) return std::move(words.children.front());
        return words;
    }

    // `name:value` for a known field; the value may be quoted ("ESG 경영").
    std::optional<QueryNode> parse_field(const std::string& name, std::string_view value) {
        const bool known =
            name == "title" || name == "category" || name == "tag" || name == "site" || name == "date";
        if (!known) return std::nullopt;
        bool quoted = false;
        if (value.empty() && peek() == '"') {
            ++pos_;
            value = read_quoted();
            quoted = true;
        }
        if (value.empty()) {
            // Quoted: a message starting with "category:" would name the request's parameter.
            note_problem("'" + name + ":' needs a " + (name == "title" ? "word" : "value") + " after it (" +
                         std::string(example_of(name)) + ")");
            return std::nullopt;
        }
        if (name == "title") {
            return text_node(quoted ? QueryNode::Kind::phrase : QueryNode::Kind::word, value, true);
        }
        if (name == "category") return text_node(QueryNode::Kind::category, value, false);
        if (name == "tag") return text_node(QueryNode::Kind::tag, value, false);
        if (name == "site") return text_node(QueryNode::Kind::site, value, false);
        QueryNode range;
        range.kind = QueryNode::Kind::date_range;
        if (!is_date_range_value(value, range.from, range.to)) {
            note_problem(date_problem(value));
            return std::nullopt;  // read as words by parse_query; query_problem() refuses it
        }
        return range;
    }

    static std::string_view example_of(const std::string& name) {
        if (name == "title") return "title:협약 or title:\"협약 체결\"";
        if (name == "category") return "category:건강";
        if (name == "tag") return "tag:ESG";
        if (name == "site") return "site:blog-a";
        return "date:2024-05 or date:2024-01..2024-06";
    }

    // The words of --since/--until for the part that is not a date.
    static std::string date_problem(std::string_view value) {
        std::string_view bad = value;
        if (const std::size_t dots = value.find(".."); dots != std::string_view::npos) {
            const std::string_view from = value.substr(0, dots), to = value.substr(dots + 2);
            if (!from.empty() && !schema::parse_date(from)) bad = from;
            else if (!to.empty()) bad = to;
        }
        return "date: '" + std::string(bad) + "' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)";
    }

    void note_problem(std::string problem) {
        if (problem_.empty()) problem_ = std::move(problem);
    }

public:
    const std::string& problem() const { return problem_; }

private:

    static std::optional<QueryNode> text_node(QueryNode::Kind kind, std::string_view text, bool title_only) {
        std::string trimmed(text);
        while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.pop_back();
        const auto first = trimmed.find_first_not_of(" \t\r\n");
        if (first == std::string::npos) return std::nullopt;
        trimmed.erase(0, first);
        QueryNode node;
        node.kind = kind;
        node.text = std::move(trimmed);
        node.title_only = title_only;
        return node;
    }

    // Groups of one child are that child; nested implicit ANDs flatten.
    static QueryNode simplify(QueryNode node) {
        for (auto& child : node.children) child = simplify(std::move(child));
        if (node.kind == QueryNode::Kind::all_of) {
            std::vector<QueryNode> flat;
            for (auto& child : node.children) {
                if (child.kind == QueryNode::Kind::all_of) {
                    for (auto& grandchild : child.children) flat.push_back(std::move(grandchild));
                } else {
                    flat.push_back(std::move(child));
                }
            }
            node.children = std::move(flat);
            if (node.children.size() == 1) return std::move(node.children.front());
        }
        return node;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
    int depth_ = 0;
    std::string problem_;  // the first field that could not be read
};

std::string quoted_if_needed(const std::string& value) {
    if (value.find_first_of(" \t") == std::string::npos) return value;
    return "\"" + value + "\"";
}

}  // namespace

QueryNode parse_query(std::string_view query) { return Parser(query).parse(); }

std::string query_problem(std::string_view query) {
    Parser parser(query);
    (void)parser.parse();
    return parser.problem();
}

std::string describe(const QueryNode& node) {
    switch (node.kind) {
    case QueryNode::Kind::word:
        return node.title_only ? "title:" + node.text : node.text;
    case QueryNode::Kind::phrase:
        return (node.title_only ? "title:\"" : "\"") + node.text + "\"";
    case QueryNode::Kind::category:
        return "category:" + quoted_if_needed(node.text);
    case QueryNode::Kind::tag:
        return "tag:" + quoted_if_needed(node.text);
    case QueryNode::Kind::site:
        return "site:" + quoted_if_needed(node.text);
    case QueryNode::Kind::date_range:
        return node.from == node.to ? "date:" + node.from : "date:" + node.from + ".." + node.to;
    case QueryNode::Kind::exclude:
        return "-" + describe(node.children.front());
    case QueryNode::Kind::any_of:
    case QueryNode::Kind::all_of: {
        const bool any = node.kind == QueryNode::Kind::any_of;
        std::string out;
        for (const auto& child : node.children) {
            if (!out.empty()) out += any ? " OR " : " ";
            const bool group = node.children.size() > 1 && child.children.size() > 1 &&
                               (child.kind == QueryNode::Kind::any_of || child.kind == QueryNode::Kind::all_of);
            out += group ? "(" + describe(child) + ")" : describe(child);
        }
        return out;
    }
    }
    return {};
}

}  // namespace sosik
