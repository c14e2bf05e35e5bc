// sosik-index: index an article archive into a Sosik database.
#include <sosik/error.h>
#include <sosik/indexer.h>

#include <boost/program_options.hpp>

#include <cstdlib>
#include <iostream>

namespace po = boost::program_options;

namespace {

// Exit codes (documented in README.md).
constexpr int kExitOk = 0;
constexpr int kExitFatal = 1;
constexpr int kExitUsage = 2;
constexpr int kExitSomeFailed = 3;

std::string default_database() {
    const char* env = std::getenv("SOSIK_DB");
    return env && *env ? env : "sosik-db";
}

}  // namespace

int main(int argc, char** argv) {
    po::options_description visible("Usage: sosik-index [--db DIR] PATH...\n\n"
                                    "Indexes Jekyll posts (.md .markdown .html with front matter), .html pages and\n"
                                    "JSON Lines exports (.jsonl, .jsonl.gz) found in PATH (folders are walked).\n"
                                    "Re-running indexes new and changed articles and removes vanished ones.\n\n"
                                    "Options");
    std::string database;
    std::size_t commit_every = 0;
    bool quiet = false;
    visible.add_options()
        ("help,h", "show this help")
        ("version", "show the version")
        ("db,d", po::value(&database)->default_value(default_database()), "database folder ($SOSIK_DB)")
        ("commit-every", po::value(&commit_every)->default_value(2000), "articles per Xapian commit")
        ("quiet,q", po::bool_switch(&quiet), "print only errors and the summary");
    po::options_description hidden;
    std::vector<std::string> inputs;
    hidden.add_options()("input", po::value(&inputs));
    po::options_description all;
    all.add(visible).add(hidden);
    po::positional_options_description positional;
    positional.add("input", -1);

    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
        po::notify(vm);
    } catch (const po::error& error) {
        std::cerr << "sosik-index: " << error.what() << " (see --help)\n";
        return kExitUsage;
    }
    if (vm.count("help")) {
        std::cout << visible << "\nExit status: 0 all indexed, 1 fatal error, 2 usage error,\n"
                                "3 some files or lines failed (each reported) and the rest indexed.\n";
        return kExitOk;
    }
    if (vm.count("version")) {
        std::cout << "sosik-index " << SOSIK_VERSION << "\n";
        return kExitOk;
    }
    if (inputs.empty()) {
        std::cerr << "sosik-index: give at least one folder or file to index (see --help)\n";
        return kExitUsage;
    }

    sosik::IndexOptions options;
    options.database = database;
    options.inputs.assign(inputs.begin(), inputs.end());
    options.commit_every = std::max<std::size_t>(commit_every, 1);
    sosik::IndexCallbacks callbacks;
    callbacks.on_failure = [](const std::string& where, const std::string& reason) {
        std::cerr << "sosik-index: " << where << ": " << reason << "\n";
    };
    (void)quiet;

    try {
        const sosik::IndexSummary summary = sosik::index_archive(options, callbacks);
        std::cout << sosik::format_summary(summary) << "\n";
        return summary.failed ? kExitSomeFailed : kExitOk;
    } catch (const sosik::Error& error) {
        std::cerr << "sosik-index: " << error.what() << "\n";
        return kExitFatal;
    }
}
