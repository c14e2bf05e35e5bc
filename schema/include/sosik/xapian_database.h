// Opening Sosik databases, for the libraries that speak Xapian (indexer, query).
// Executables and the HTTP front go through Searcher / index_archive instead.
#pragma once

#include <xapian.h>

#include <filesystem>
#include <string>
#include <vector>

namespace sosik {

// Opens (creating if needed) the database for the one writer. Throws IndexError
// when another writer holds the lock, or the database was built by another
// schema or analyzer version (the message says how to rebuild).
Xapian::WritableDatabase open_for_writing(const std::filesystem::path& database);

// Throws IndexError unless `db` was built by this schema and analyzer version
// (an empty database without versions passes). `name` is for the message.
void check_versions(const Xapian::Database& db, const std::string& name);

// Opens one or more databases (folders or Xapian stub files) as one for
// searching, with the same version checks. Throws IndexError.
Xapian::Database open_for_reading(const std::vector<std::string>& databases);

}  // namespace sosik
