// Synonym groups: read from the file of sosik-index --synonyms, and written
// into the database's own Xapian synonym table (replacing what it held).
#include "synonyms.h"

#include "file_reading.h"

#include <sosik/analyzer.h>
#include <sosik/error.h>
#include <sosik/index_terms.h>
#include <sosik/indexer.h>
#include <sosik/schema.h>

#include <algorithm>
#include <sstream>

namespace sosik {

namespace {

std::string trimmed(std::string_view text) {
    const std::size_t first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const std::size_t last = text.find_last_not_of(" \t\r");
    return std::string(text.substr(first, last - first + 1));
}

}  // namespace

SynonymGroups read_synonyms(const std::filesystem::path& file) {
    const std::string name = file.string();
    std::string text;
    try {
        text = read_text_file(file);
    } catch (const InvalidInput& error) {
        throw InvalidInput(name + ": " + error.what());
    }
    const Analyzer analyzer;
    SynonymGroups groups;
    std::istringstream lines(text);
    std::size_t number = 0;
    for (std::string line; std::getline(lines, line);) {
        ++number;
        const std::string where = name + ":" + std::to_string(number) + ": ";
        if (const std::size_t comment = line.find('#'); comment != std::string::npos) line.resize(comment);
        if (trimmed(line).empty()) continue;
        std::vector<std::string> group;
        std::istringstream members(line);
        for (std::string member; std::getline(members, member, ',');) {
            member = trimmed(member);
            if (member.empty()) throw InvalidInput(where + "an empty member (two commas, or one at an end)");
            const std::string key = schema::synonym_key(analyzer.analyze(member));
            if (key.empty()) throw InvalidInput(where + "'" + member + "' has no word to search");
            if (key.size() > schema::kMaxTermBytes) throw InvalidInput(where + "'" + member + "' is too long");
            if (std::find(group.begin(), group.end(), key) == group.end()) group.push_back(key);
        }
        if (group.size() < 2)
            throw InvalidInput(where + "a group needs two words or more, separated by commas (코로나, COVID-19)");
        groups.push_back(std::move(group));
    }
    return groups;
}

namespace indexing {

std::map<std::string, std::set<std::string>> synonym_table(const SynonymGroups& groups) {
    std::map<std::string, std::set<std::string>> table;
    for (const auto& group : groups)
        for (const std::string& key : group)
            for (const std::string& other : group)
                if (other != key) table[key].insert(other);
    return table;
}

bool replace_synonyms(Xapian::WritableDatabase& db, const std::map<std::string, std::set<std::string>>& table) {
    std::map<std::string, std::set<std::string>> stored;
    for (auto key = db.synonym_keys_begin(); key != db.synonym_keys_end(); ++key)
        for (auto synonym = db.synonyms_begin(*key); synonym != db.synonyms_end(*key); ++synonym)
            stored[*key].insert(*synonym);
    if (stored == table) return false;
    for (const auto& [key, synonyms] : stored) db.clear_synonyms(key);
    for (const auto& [key, synonyms] : table)
        for (const std::string& synonym : synonyms) db.add_synonym(key, synonym);
    return true;
}

}  // namespace indexing

}  // namespace sosik
