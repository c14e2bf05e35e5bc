// The Xapian synonym table of a database, as sosik-index --synonyms writes it
// (schema::synonym_key). Private to the indexer library.
#pragma once

#include <sosik/indexer.h>

#include <xapian.h>

#include <map>
#include <set>
#include <string>

namespace sosik::indexing {

// Every member's key → the other members of its groups.
std::map<std::string, std::set<std::string>> synonym_table(const SynonymGroups& groups);

// Makes `db`'s synonym table hold exactly `table`; false when it already did.
bool replace_synonyms(Xapian::WritableDatabase& db, const std::map<std::string, std::set<std::string>>& table);

}  // namespace sosik::indexing
