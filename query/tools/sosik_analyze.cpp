// sosik-analyze: show exactly the terms Sosik indexes for a text, the
// analyzer's tokens behind them, or what a query's words are looked up by
// (like Elasticsearch's _analyze).
#include <sosik/analyzer.h>
#include <sosik/command_line.h>
#include <sosik/error.h>
#include <sosik/index_terms.h>
#include <sosik/search.h>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace po = boost::program_options;

namespace {

using sosik::command_line::default_database;
using sosik::command_line::kExitError;
using sosik::command_line::kExitOk;
using sosik::command_line::kExitUsage;

std::string read_stdin() {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

std::string slice(const std::string& text, std::size_t begin, std::size_t end) {
    return text.substr(begin, end - begin);
}

// The original text may hold invalid UTF-8: replace it rather than throw.
void print(const nlohmann::ordered_json& json) {
    std::cout << json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

void show_terms(const std::string& text, bool as_title, bool json) {
    if (json) {
        std::cout << sosik::index_terms_json(text, as_title, true) << '\n';
        return;
    }
    const sosik::Analyzer analyzer;
    const auto field = as_title ? sosik::schema::Field::title : sosik::schema::Field::body;
    for (const auto& t : sosik::schema::shown_terms(analyzer, text, field))
        std::cout << t.term << '\t' << t.layer << '\t' << t.wdf << '\t' << t.begin << '-' << t.end << '\t'
                  << slice(text, t.begin, t.end) << '\n';
}

// The analyzer's tokens, each with the number of the word it lies in (from 1):
// its own positions are two separate counters (words, bigrams) for internal use.
void show_tokens(const std::string& text, bool json) {
    const sosik::Analyzer analyzer;
    const std::vector<sosik::Token> tokens = analyzer.analyze(text);
    std::size_t word = 0, word_end = 0;
    auto array = nlohmann::ordered_json::array();
    for (const sosik::Token& t : tokens) {
        if (t.layer == sosik::Layer::surface && (word == 0 || t.begin >= word_end)) ++word, word_end = t.end;
        if (json)
            array.push_back({{"token", t.text},
                             {"layer", sosik::layer_name(t.layer)},
                             {"word", word},
                             {"start_offset", t.begin},
                             {"end_offset", t.end},
                             {"source", slice(text, t.begin, t.end)}});
        else
            std::cout << word << '\t' << sosik::layer_name(t.layer) << '\t' << t.text << '\t' << t.begin << '-'
                      << t.end << '\t' << slice(text, t.begin, t.end) << '\n';
    }
    if (json) print(array);
}

std::string joined_by(const std::vector<std::string>& list, const std::string& separator) {
    std::string out;
    for (const std::string& item : list) out += (out.empty() ? "" : separator) + item;
    return out;
}
std::string joined(const std::vector<std::string>& list) { return joined_by(list, " "); }

void show_query(const sosik::QueryAnalysis& analysis, bool json) {
    if (json) {
        std::cout << sosik::to_json(analysis, true) << '\n';
        return;
    }
    std::cout << "parsed: " << analysis.parsed << '\n';
    for (const sosik::QueryWordAnalysis& word : analysis.words) {
        std::cout << word.word << '\n';
        const auto line = [](const char* what, const std::string& value) {
            if (!value.empty()) std::cout << "  " << what << ": " << value << '\n';
        };
        if (word.searched != word.word) line("searched as", word.searched);
        line("shorter forms", joined(word.shorter_forms));
        line("particle forms", joined(word.particle_forms));
        line("inside compounds", joined(word.compound_parts));
        line("split into", joined(word.split_into));
        line("joined with the next word", word.joined_with_next);
        line("초성 words", joined(word.initials_words));
        line("synonyms", joined_by(word.synonyms, ", "));
        line("synonyms with the next word", joined_by(word.synonyms_with_next, ", "));
    }
    std::cout << "xapian query: " << analysis.xapian_query << '\n';
}

}  // namespace

int main(int argc, char** argv) {
    try {
        po::options_description visible(
            "Usage: sosik-analyze [options] [TEXT...]\n"
            "Shows the terms Sosik indexes for TEXT (the words joined by spaces; standard input when TEXT "
            "is '-' or absent),\nor with --query what a query's words are looked up by in a database.\n\n"
            "Options");
        bool json = false, title = false, tokens = false, query = false;
        std::vector<std::string> databases;
        sosik::SearchRequest request;
        visible.add_options()
            ("help,h", "show this help")
            ("version", "show the version")
            ("json", po::bool_switch(&json), "print JSON instead of tab-separated lines")
            ("title", po::bool_switch(&title), "the text is a title: title terms, their body copies, 초성 keys")
            ("tokens", po::bool_switch(&tokens), "the analyzer's tokens instead of the index terms made of them")
            ("query", po::bool_switch(&query),
             "TEXT is a query: its words, the forms each is also looked up by, the Xapian query (needs --db)")
            ("db,d", po::value(&databases), "with --query: database(s) as for sosik-search ($SOSIK_DB, else ./sosik-db)")
            ("spacing", po::value(&request.spacing)->implicit_value(true),
             "with --query: spacing tolerance on/off, as sosik-search --spacing");
        po::options_description hidden;
        hidden.add_options()("text", po::value<std::vector<std::string>>(), "text to analyze");
        po::options_description all;
        all.add(visible).add(hidden);
        po::positional_options_description positional;
        positional.add("text", -1);

        po::variables_map vm;
        try {
            po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
            po::notify(vm);
            if (query && (tokens || title))
                throw sosik::InvalidInput("--query cannot go with --title or --tokens");
        } catch (const po::error& e) {
            std::cerr << "sosik-analyze: " << e.what() << " (see --help)\n";
            return kExitUsage;
        } catch (const sosik::InvalidInput& e) {
            std::cerr << "sosik-analyze: " << e.what() << " (see --help)\n";
            return kExitUsage;
        }
        if (vm.count("help")) {
            std::cout << visible
                      << "\nOutput: term, layer (surface, stem, compound; title …; title initials), within-document "
                         "frequency,\nbegin-end byte offsets and the text it comes from. Exit status: 0 shown, "
                         "1 error (e.g. no database), 2 usage error.\n";
            return kExitOk;
        }
        if (vm.count("version")) {
            std::cout << "sosik-analyze " << SOSIK_VERSION << " (analyzer " << sosik::kAnalyzerVersion << ")\n";
            return kExitOk;
        }

        std::string text;
        const auto words = vm.count("text") ? vm["text"].as<std::vector<std::string>>() : std::vector<std::string>{};
        if (words.empty() || (words.size() == 1 && words.front() == "-")) {
            text = read_stdin();
        } else {
            for (const std::string& w : words) text += (text.empty() ? "" : " ") + w;
        }

        if (query) {
            if (databases.empty()) databases.push_back(default_database());
            request.query = text;
            sosik::Searcher searcher({.databases = databases});
            show_query(searcher.analyse(request), json);
        } else if (tokens) {
            show_tokens(text, json);
        } else {
            show_terms(text, title, json);
        }
        return kExitOk;
    } catch (const sosik::Error& e) {  // as sosik-search: a query that cannot be answered, no database
        std::cerr << "sosik-analyze: " << e.what() << '\n';
        return kExitError;
    }
}
