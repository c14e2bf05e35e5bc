// sosik-search: search a Sosik database from the shell.
#include <sosik/command_line.h>
#include <sosik/error.h>
#include <sosik/search.h>

#include <boost/program_options.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string_view>

namespace po = boost::program_options;

namespace {

using sosik::command_line::default_database;
using sosik::command_line::kExitError;
using sosik::command_line::kExitOk;
using sosik::command_line::kExitUsage;

sosik::SortOrder parse_sort(const std::string& sort) {
    if (sort == "relevance") return sosik::SortOrder::relevance;
    if (sort == "date" || sort == "-date" || sort == "newest") return sosik::SortOrder::newest_first;
    if (sort == "+date" || sort == "oldest") return sosik::SortOrder::oldest_first;
    throw sosik::InvalidInput("--sort: '" + sort + "' is not one of relevance, date (newest first), +date");
}

std::vector<std::string> split_list(const std::string& list) {
    std::vector<std::string> out;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

// "1 result", "66 results", "about 1,200 results".
std::string results_count(const sosik::SearchResult& result) {
    return (result.total_exact ? "" : "about ") + std::to_string(result.total) +
           (result.total == 1 ? " result" : " results");
}

void print_human(const sosik::SearchResult& result, bool color) {
    const std::string open = color ? "\x1b[1;31m" : "[";
    const std::string close = color ? "\x1b[0m" : "]";
    const std::string bold = color ? "\x1b[1m" : "";
    const std::string dim = color ? "\x1b[2m" : "";
    const std::string reset = color ? "\x1b[0m" : "";
    if (result.notice) {
        std::cout << result.notice->message << "\n";
        return;
    }
    if (!result.did_you_mean.empty()) std::cout << "Did you mean: " << result.did_you_mean << "\n";
    if (result.total == 0) {
        std::cout << "No results for " << result.query << "\n";
        return;
    }
    if (result.hits.empty()) {  // paged past the end: say so, not that nothing matched
        std::cout << results_count(result) << "; nothing on this page (--offset " << result.offset << ")\n";
        return;
    }
    std::cout << results_count(result) << " (" << result.took_ms << " ms)\n\n";
    std::size_t rank = result.offset;  // numbered as in the whole list, not from 1 on every page
    for (const auto& hit : result.hits) {
        ++rank;
        std::cout << rank << ". " << bold << sosik::marked_text(hit.title_highlight, open, close + bold) << reset;
        if (!hit.date.empty()) std::cout << "  " << dim << hit.date.substr(0, 10) << reset;
        std::cout << "\n";
        if (!hit.url.empty()) std::cout << "   " << dim << hit.url << reset << "\n";
        if (!hit.snippet.text.empty()) std::cout << "   " << sosik::marked_text(hit.snippet, open, close) << "\n";
        if (!hit.explanation.empty()) std::cout << "   matched: " << hit.explanation << "\n";
        std::cout << "\n";
    }
    if (!result.explained_query.empty()) std::cout << "Query: " << result.explained_query << "\n";
}

void print_suggestions(const sosik::SuggestResult& result) {
    for (const auto& s : result.suggestions) {
        if (s.kind == sosik::SuggestionKind::word)
            std::cout << s.text << "\t" << s.count << "\n";
        else
            std::cout << s.text << "\t" << s.url << "\n";
    }
}

// A query word that starts with '-' (an exclusion: -형태소) reads as an option
// unless the query comes after "--". The word that did, when the parse failed
// on one: no option has a non-ASCII letter, and an unknown one-dash option may
// be an exclusion too (-covid). Empty when the error is about something else.
std::string misread_exclusion(int argc, char** argv, const po::error& error) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--") break;
        if (arg.size() > 1 && arg[0] == '-' && static_cast<unsigned char>(arg[1]) >= 0x80) return std::string(arg);
    }
    if (const auto* unknown = dynamic_cast<const po::unknown_option*>(&error)) {
        const std::string& name = unknown->get_option_name();
        if (name.size() > 1 && name[0] == '-' && name[1] != '-') return name;
    }
    return {};
}

// The TREC run tag names the ranking file used (sosik, or sosik:sweep-0.3.txt).
std::string trec_run_tag(const std::string& ranking_file) {
    if (ranking_file.empty()) return "sosik";
    std::string name = std::filesystem::path(ranking_file).filename().string();
    for (char& c : name)
        if (c == ' ' || c == '\t') c = '_';
    return "sosik:" + name;
}

// One query per line, `qid<TAB>query`; TREC run lines or one JSON object per query.
int run_batch(sosik::Searcher& searcher, sosik::SearchRequest request, const std::string& file,
              const std::string& format, const std::string& run_tag) {
    std::ifstream in_file;
    std::istream* in = &std::cin;
    if (file != "-") {
        in_file.open(file);
        if (!in_file) throw sosik::InvalidInput("--queries: cannot read " + file);
        in = &in_file;
    }
    request.snippets = format != "trec";
    request.hit_details = format != "trec";
    std::size_t line_number = 0;
    for (std::string line; std::getline(*in, line);) {
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        const std::size_t tab = line.find('\t');
        if (tab == std::string::npos) {
            std::cerr << "sosik-search: " << file << ":" << line_number << ": expected qid<TAB>query, skipped\n";
            continue;
        }
        const std::string qid = line.substr(0, tab);
        request.query = line.substr(tab + 1);
        sosik::SearchResult result;
        try {
            result = searcher.search(request);
        } catch (const sosik::InvalidInput& error) {
            // One bad query (too long, a broken date:) must not end a run of thousands.
            std::cerr << "sosik-search: " << file << ":" << line_number << ": qid " << qid << ": " << error.what()
                      << ", skipped\n";
            continue;
        }
        if (format == "trec") {
            std::size_t rank = request.offset;
            for (const auto& hit : result.hits)
                std::cout << qid << " Q0 " << hit.id << ' ' << ++rank << ' ' << hit.score << ' ' << run_tag << '\n';
        } else {
            std::cout << sosik::to_json(result) << "\n";
        }
    }
    return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> databases;
    sosik::SearcherOptions searcher_options;
    double remote_timeout = 10;
    sosik::SearchRequest request;
    std::string sort = "relevance", facets, queries_file, format, color = "auto", suggest_prefix, ranking_file;
    bool json = false;
    po::options_description visible("Usage: sosik-search [options] QUERY\n\n"
                                    "Query syntax: words (all must match), \"exact phrase\", -exclude, A OR B,\n"
                                    "( ), title:word, category:건강, tag:ESG, site:blog-a, date:2024-05, date:2024-01..2024-06\n"
                                    "With an exclusion (-word), put the query after --: sosik-search -- 분석 -형태소\n\n"
                                    "Options");
    visible.add_options()
        ("help,h", "show this help")
        ("version", "show the version")
        ("db,d", po::value(&databases)->composing(),
         "database folder, stub file or tcp://HOST:PORT (xapian-tcpsrv); repeatable ($SOSIK_DB, else ./sosik-db)")
        ("allow-partial", po::bool_switch(&searcher_options.allow_partial),
         "when a remote shard is down, answer from the others (JSON \"partial\": true)")
        ("remote-timeout", po::value(&remote_timeout)->default_value(10),
         "seconds a remote shard may take to answer before it counts as down")
        ("limit,n", po::value(&request.limit)->default_value(10), "number of results")
        ("offset", po::value(&request.offset)->default_value(0), "results to skip (paging)")
        ("sort", po::value(&sort), "relevance (default), date (newest first), +date (oldest first)")
        ("category", po::value(&request.categories)->composing(), "only this category; repeatable")
        ("tag", po::value(&request.tags)->composing(), "only this tag; repeatable")
        ("site", po::value(&request.sites)->composing(), "only this site (sosik-index --site); repeatable")
        ("since", po::value(&request.since), "only articles dated on or after (YYYY[-MM[-DD]])")
        ("until", po::value(&request.until), "only articles dated on or before (YYYY[-MM[-DD]])")
        ("facets", po::value(&facets), "count results per category,tag,year,month")
        ("json", po::bool_switch(&json), "print the JSON of the search API")
        ("spacing", po::value(&request.spacing)->implicit_value(true),
         "spacing tolerance from the archive's words, on by default: 주가 조작 finds 주가조작, 손해배상청구 finds 손해배상 청구 (on/off)")
        ("suggest", po::value(&suggest_prefix), "complete a partly typed query (건강도ㅅ): words by frequency, then titles")
        ("explain", po::bool_switch(&request.explain), "show the Xapian query and the terms each hit matched")
        ("queries", po::value(&queries_file), "batch: read qid<TAB>query lines from FILE (- for stdin)")
        ("format", po::value(&format)->default_value("trec"), "batch output: trec or jsonl")
        ("color", po::value(&color), "highlight with ANSI bold: auto, always, never")
        ("ranking", po::value(&ranking_file), "tuning aid: ranking parameters as key = value lines (README, \"Tuning\")");
    po::options_description hidden;
    std::vector<std::string> words;
    hidden.add_options()("query", po::value(&words));
    po::options_description all;
    all.add(visible).add(hidden);
    po::positional_options_description positional;
    positional.add("query", -1);

    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
        po::notify(vm);
    } catch (const po::error& error) {
        if (const std::string word = misread_exclusion(argc, argv, error); !word.empty()) {
            std::cerr << "sosik-search: " << word << " is not an option; to exclude a word, put the query after --: "
                      << "sosik-search -- " << word << "\n";
        } else {
            std::cerr << "sosik-search: " << error.what() << " (see --help)\n";
        }
        return kExitUsage;
    }
    if (vm.count("help")) {
        std::cout << visible;
        return kExitOk;
    }
    if (vm.count("version")) {
        std::cout << "sosik-search " << SOSIK_VERSION << "\n";
        return kExitOk;
    }
    if (words.empty() && queries_file.empty() && !vm.count("suggest")) {
        std::cerr << "sosik-search: give a query (see --help)\n";
        return kExitUsage;
    }
    if (format != "trec" && format != "jsonl") {
        std::cerr << "sosik-search: --format: '" << format << "' is not trec or jsonl\n";
        return kExitUsage;
    }
    if (databases.empty()) databases.push_back(default_database());
    if (!(remote_timeout > 0 && remote_timeout <= 3600)) {
        std::cerr << "sosik-search: --remote-timeout: give seconds between 0 and 3600 (see --help)\n";
        return kExitUsage;
    }
    searcher_options.databases = databases;
    searcher_options.remote_timeout_ms = static_cast<unsigned>(remote_timeout * 1000);
    searcher_options.connect_timeout_ms = std::min(searcher_options.remote_timeout_ms, 3000u);
    for (std::size_t i = 0; i < words.size(); ++i) request.query += (i ? " " : "") + words[i];

    if (!ranking_file.empty()) {
        try {
            searcher_options.ranking = sosik::load_ranking_params(ranking_file);
        } catch (const sosik::Error& error) {
            std::cerr << "sosik-search: " << error.what() << "\n";
            return kExitUsage;
        }
    }
    try {
        request.sort = parse_sort(sort);
        request.facets = split_list(facets);
        sosik::validate(request);
    } catch (const sosik::Error& error) {
        std::cerr << "sosik-search: " << error.what() << " (see --help)\n";
        return kExitUsage;
    }
    try {
        sosik::Searcher searcher(searcher_options);
        if (!queries_file.empty()) return run_batch(searcher, request, queries_file, format, trec_run_tag(ranking_file));
        if (vm.count("suggest")) {
            const sosik::SuggestResult suggestions = searcher.suggest({suggest_prefix, request.limit});
            if (json) std::cout << sosik::to_json(suggestions, true) << "\n";
            else print_suggestions(suggestions);
            return kExitOk;
        }
        const sosik::SearchResult result = searcher.search(request);
        if (json) {
            std::cout << sosik::to_json(result, true) << "\n";
        } else {
            const bool use_color = color == "always" || (color == "auto" && isatty(STDOUT_FILENO));
            print_human(result, use_color);
        }
        return kExitOk;
    } catch (const sosik::Error& error) {
        std::cerr << "sosik-search: " << error.what() << "\n";
        return kExitError;
    }
}
