#include <sosik/xapian_database.h>

#include <sosik/error.h>
#include <sosik/schema.h>

namespace sosik {

// Empty metadata on a database with documents means someone else's database.
void check_versions(const Xapian::Database& db, const std::string& name) {
    const std::string schema_version = db.get_metadata(std::string(schema::kSchemaVersionKey));
    const std::string analyzer_version = db.get_metadata(std::string(schema::kAnalyzerVersionKey));
    if (schema_version.empty() && analyzer_version.empty()) {
        if (db.get_doccount() == 0) return;
        throw IndexError(name + " is not a Sosik database (no schema version recorded)");
    }
    if (schema_version != schema::kSchemaVersion || analyzer_version != kAnalyzerVersion) {
        throw IndexError(name + " was built with schema " + schema_version + " / analyzer " + analyzer_version +
                         ", this Sosik uses schema " + std::string(schema::kSchemaVersion) + " / analyzer " +
                         std::string(kAnalyzerVersion) + ": rebuild it (delete the folder and run sosik-index)");
    }
}

Xapian::WritableDatabase open_for_writing(const std::filesystem::path& database) {
    const std::string name = database.string();
    try {
        Xapian::WritableDatabase db(name, Xapian::DB_CREATE_OR_OPEN);
        check_versions(db, name);
        if (db.get_metadata(std::string(schema::kSchemaVersionKey)).empty()) {
            db.set_metadata(std::string(schema::kSchemaVersionKey), std::string(schema::kSchemaVersion));
            db.set_metadata(std::string(schema::kAnalyzerVersionKey), std::string(kAnalyzerVersion));
        }
        return db;
    } catch (const Xapian::DatabaseLockError&) {
        throw IndexError(name + " is locked by another sosik-index: wait for it to finish");
    } catch (const Xapian::Error& error) {
        throw IndexError(name + ": cannot open for writing: " + error.get_description());
    }
}

Xapian::Database open_for_reading(const std::vector<std::string>& databases) {
    if (databases.empty()) throw IndexError("no database given");
    Xapian::Database combined;
    for (const std::string& name : databases) {
        try {
            Xapian::Database db(name);
            check_versions(db, name);
            combined.add_database(db);
        } catch (const Xapian::DatabaseNotFoundError&) {
            throw IndexError(name + ": no Sosik database there (run sosik-index --db " + name + " ARCHIVE first)");
        } catch (const Xapian::DatabaseOpeningError& error) {
            throw IndexError(name + ": cannot open database: " + error.get_msg());
        } catch (const Xapian::Error& error) {
            throw IndexError(name + ": " + error.get_description());
        }
    }
    return combined;
}

}  // namespace sosik
