#include <sosik/ranking.h>

#include <sosik/error.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <variant>

namespace sosik {

namespace {

using Field = std::variant<double RankingParams::*, std::size_t RankingParams::*>;

struct Named {
    const char* key;
    Field field;
};

// The keys of a ranking file, in the order describe() prints them.
constexpr Named kFields[] = {
    {"bm25_k1", &RankingParams::bm25_k1},
    {"bm25_b", &RankingParams::bm25_b},
    {"bm25_min_normlen", &RankingParams::bm25_min_normlen},
    {"enough_all_words", &RankingParams::enough_all_words},
    {"exact_form_weight", &RankingParams::exact_form_weight},
    {"framing_word_weight", &RankingParams::framing_word_weight},
    {"joined_form_weight", &RankingParams::joined_form_weight},
    {"max_containing_words", &RankingParams::max_containing_words},
    {"containing_word_weight", &RankingParams::containing_word_weight},
    {"containing_share", &RankingParams::containing_share},
    {"compound_trigrams", &RankingParams::compound_trigrams},
    {"containing_inside", &RankingParams::containing_inside},
    {"initials_title_weight", &RankingParams::initials_title_weight},
    {"initials_prefix_weight", &RankingParams::initials_prefix_weight},
    {"proximity_depth", &RankingParams::proximity_depth},
    {"proximity_weight", &RankingParams::proximity_weight},
    {"lead_weight", &RankingParams::lead_weight},
};

// Past this the re-rank reads more stored articles than a page ever shows.
constexpr std::size_t kMaxProximityDepth = 1000;

std::string trimmed(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r");
    return std::string(s.substr(first, last - first + 1));
}

void assign(RankingParams& params, const Named& named, const std::string& value, const std::string& where) {
    const char* begin = value.data();
    const char* end = begin + value.size();
    if (const auto* member = std::get_if<double RankingParams::*>(&named.field)) {
        double parsed = 0;
        const auto [at, ec] = std::from_chars(begin, end, parsed);
        if (ec != std::errc() || at != end || !std::isfinite(parsed) || parsed < 0)
            throw InvalidInput(where + named.key + ": '" + value + "' is not a number ≥ 0");
        params.*(*member) = parsed;
    } else {
        std::size_t parsed = 0;
        const auto [at, ec] = std::from_chars(begin, end, parsed);
        if (ec != std::errc() || at != end)
            throw InvalidInput(where + named.key + ": '" + value + "' is not a whole number ≥ 0");
        params.*std::get<std::size_t RankingParams::*>(named.field) = parsed;
    }
}

}  // namespace

RankingParams load_ranking_params(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InvalidInput("--ranking: cannot read " + path);
    RankingParams params;
    params.source = path;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        const std::string where = path + ":" + std::to_string(number) + ": ";
        if (const auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
        if (trimmed(line).empty()) continue;
        const auto equals = line.find('=');
        if (equals == std::string::npos) throw InvalidInput(where + "expected key = value");
        const std::string key = trimmed(std::string_view(line).substr(0, equals));
        const std::string value = trimmed(std::string_view(line).substr(equals + 1));
        const Named* named = nullptr;
        for (const Named& candidate : kFields)
            if (key == candidate.key) named = &candidate;
        if (!named) {
            std::string known;
            for (const Named& candidate : kFields) known += std::string(known.empty() ? "" : ", ") + candidate.key;
            throw InvalidInput(where + "unknown key '" + key + "' (known: " + known + ")");
        }
        assign(params, *named, value, where);
    }
    if (params.proximity_depth > kMaxProximityDepth)
        throw InvalidInput(path + ": proximity_depth: at most " + std::to_string(kMaxProximityDepth));
    return params;
}

std::string describe(const RankingParams& params) {
    std::ostringstream out;
    for (const Named& named : kFields) {
        out << named.key << " = ";
        std::visit([&](auto member) { out << params.*member; }, named.field);
        out << '\n';
    }
    return out.str();
}

}  // namespace sosik
