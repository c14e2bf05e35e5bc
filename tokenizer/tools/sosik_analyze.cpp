// sosik-analyze: print every token the analyzer makes of a text, with its
// position, layer, offsets and the original slice (like Elasticsearch _analyze).
#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "sosik/analyzer.h"
#include "sosik/error.h"

namespace po = boost::program_options;

namespace {

std::string read_stdin() {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

void print_text(const std::string& text, const std::vector<sosik::Token>& tokens) {
    for (const sosik::Token& t : tokens) {
        std::cout << t.position << '\t' << sosik::layer_name(t.layer) << '\t' << t.text << '\t' << t.begin << '-'
                  << t.end << '\t' << std::string_view(text).substr(t.begin, t.end - t.begin) << '\n';
    }
}

void print_json(const std::string& text, const std::vector<sosik::Token>& tokens) {
    auto array = nlohmann::ordered_json::array();  // keys in the order written, like _analyze
    for (const sosik::Token& t : tokens) {
        array.push_back({{"token", t.text},
                         {"layer", sosik::layer_name(t.layer)},
                         {"position", t.position},
                         {"start_offset", t.begin},
                         {"end_offset", t.end},
                         {"source", text.substr(t.begin, t.end - t.begin)}});
    }
    // The original text may hold invalid UTF-8: replace it rather than throw.
    std::cout << array.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace

int main(int argc, char** argv) {
    try {
        po::options_description visible("Usage: sosik-analyze [options] [TEXT...]\n"
                                        "Analyzes TEXT (the words joined by spaces), or standard input when TEXT "
                                        "is '-' or absent.\n\nOptions");
        visible.add_options()
            ("help,h", "show this help")
            ("version", "show the version")
            ("json", "print a JSON array instead of tab-separated lines")
            ("no-stems", "leave out the stem layer")
            ("no-bigrams", "leave out the bigram layer")
            ("no-joins", "leave out the joined layer");
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
        } catch (const po::error& e) {
            throw sosik::InvalidInput(std::string(e.what()) + " (see --help)");
        }
        if (vm.count("help")) {
            std::cout << visible << "\nOutput: position, layer, token, begin-end byte offsets, original slice.\n";
            return 0;
        }
        if (vm.count("version")) {
            std::cout << "sosik-analyze " << SOSIK_VERSION << " (analyzer " << sosik::kAnalyzerVersion << ")\n";
            return 0;
        }

        std::string text;
        const auto words = vm.count("text") ? vm["text"].as<std::vector<std::string>>() : std::vector<std::string>{};
        if (words.empty() || (words.size() == 1 && words.front() == "-")) {
            text = read_stdin();
        } else {
            for (const std::string& w : words) {
                if (!text.empty()) text += ' ';
                text += w;
            }
        }

        sosik::AnalyzerOptions options;
        options.stems = !vm.count("no-stems");
        options.bigrams = !vm.count("no-bigrams");
        options.joins = !vm.count("no-joins");
        const sosik::Analyzer analyzer(options);
        const auto tokens = analyzer.analyze(text);
        if (vm.count("json")) {
            print_json(text, tokens);
        } else {
            print_text(text, tokens);
        }
        return 0;
    } catch (const sosik::Error& e) {
        std::cerr << "sosik-analyze: " << e.what() << '\n';
        return 1;
    }
}
