#include "database_set.h"

#include <sosik/error.h>
#include <sosik/schema.h>
#include <sosik/xapian_database.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace sosik {

namespace {

constexpr const char* kStubInFolder = "XAPIANDB";  // Xapian's name for a stub inside a folder
constexpr int kMaxStubDepth = 8;                   // stubs may list stubs; a loop must end
constexpr std::chrono::seconds kRetryMissingEvery{5};

// "HOST:PORT" or "[::1]:PORT" → host, port; false when malformed.
bool split_host_port(std::string_view text, std::string& host, unsigned& port) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    std::string_view h = text.substr(0, colon), p = text.substr(colon + 1);
    if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
    const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    if (h.empty() || ec != std::errc() || end != p.data() + p.size() || port == 0 || port > 65535) return false;
    host = h;
    return true;
}

ShardSource remote_source(std::string_view address, const std::string& where) {
    ShardSource source;
    if (!split_host_port(address, source.host, source.port))
        throw InvalidInput(where + ": '" + std::string(address) + "' is not HOST:PORT");
    source.name = "tcp://" + std::string(address);
    return source;
}

void expand_one(const std::string& given, int depth, std::vector<ShardSource>& out);

// Xapian's stub format: one database a line, "auto PATH" (also glass/chert
// PATH), "remote HOST:PORT"; PATH relative to the stub; '#' starts a comment.
void expand_stub(const fs::path& stub, int depth, std::vector<ShardSource>& out) {
    if (depth > kMaxStubDepth) throw IndexError(stub.string() + ": stub files nested too deep (a loop?)");
    std::ifstream in(stub);
    if (!in) throw IndexError(stub.string() + ": cannot read the stub file");
    std::size_t line_number = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_number;
        const std::string where = stub.string() + ":" + std::to_string(line_number);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (line.empty() || line.front() == '#') continue;
        const std::size_t space = line.find(' ');
        const std::string type = line.substr(0, space);
        const std::string rest = space == std::string::npos ? "" : line.substr(line.find_first_not_of(' ', space));
        if ((type == "auto" || type == "glass" || type == "chert") && !rest.empty()) {
            const fs::path path = fs::path(rest).is_absolute() ? fs::path(rest) : stub.parent_path() / rest;
            expand_one(path.lexically_normal().string(), depth + 1, out);
        } else if (type == "remote" && !rest.empty() && rest.front() != ':') {
            out.push_back(remote_source(rest, where));
        } else {
            throw IndexError(where + ": not a database line Sosik reads (auto PATH, remote HOST:PORT)");
        }
    }
}

void expand_one(const std::string& given, int depth, std::vector<ShardSource>& out) {
    if (given.starts_with("tcp://")) {
        out.push_back(remote_source(std::string_view(given).substr(6), "--db"));
        return;
    }
    std::error_code ec;
    const fs::path path(given);
    if (fs::is_regular_file(path, ec)) return expand_stub(path, depth, out);
    if (fs::is_regular_file(path / kStubInFolder, ec)) return expand_stub(path / kStubInFolder, depth, out);
    ShardSource source;
    source.name = source.path = given;
    out.push_back(std::move(source));
}

Xapian::Database open_remote(const ShardSource& source, const DatabaseSetOptions& options) {
    try {
        Xapian::Database db = Xapian::Remote::open(source.host, source.port, options.remote_timeout_ms,
                                                   options.connect_timeout_ms);
        check_versions(db, source.name);
        return db;
    } catch (const Xapian::Error& error) {
        throw IndexError("shard " + source.name + " is not answering: " + error.get_msg());
    }
}

}  // namespace

std::vector<ShardSource> expand_databases(const std::vector<std::string>& given) {
    std::vector<ShardSource> out;
    for (const std::string& name : given) expand_one(name, 0, out);
    return out;
}

DatabaseSet::DatabaseSet(std::vector<std::string> given, DatabaseSetOptions options)
    : given_(std::move(given)), options_(options) {
    if (given_.empty()) throw IndexError("no database given");
    open_all();
}

void DatabaseSet::open_all() {
    std::vector<ShardSource> sources = expand_databases(given_);
    if (sources.empty()) throw IndexError(given_.front() + ": no shards listed yet (run sosik-index first)");
    std::vector<Xapian::Database> live;
    std::vector<std::string> missing;
    Xapian::Database combined;
    for (const ShardSource& source : sources) {
        if (!source.remote()) {
            live.push_back(open_for_reading({source.path}));  // local: never optional
        } else {
            try {
                live.push_back(open_remote(source, options_));
            } catch (const IndexError&) {
                if (!options_.allow_partial) throw;
                missing.push_back(source.name);
                continue;
            }
        }
        combined.add_database(live.back());
    }
    if (live.empty()) throw IndexError("no shard is answering: " + missing.front() + " and the others");
    sources_ = std::move(sources);
    live_ = std::move(live);
    missing_ = std::move(missing);
    remote_in_use_ = std::any_of(sources_.begin(), sources_.end(), [this](const ShardSource& source) {
        return source.remote() && std::find(missing_.begin(), missing_.end(), source.name) == missing_.end();
    });
    combined_ = combined;
    opened_at_ = std::chrono::steady_clock::now();
}

bool DatabaseSet::reopen() {
    const bool retry_missing =
        !missing_.empty() && std::chrono::steady_clock::now() - opened_at_ >= kRetryMissingEvery;
    std::vector<ShardSource> sources = expand_databases(given_);
    const auto same = [](const ShardSource& a, const ShardSource& b) { return a.name == b.name; };
    if (retry_missing || !std::equal(sources.begin(), sources.end(), sources_.begin(), sources_.end(), same)) {
        open_all();
        return true;
    }
    try {
        return combined_.reopen();
    } catch (const Xapian::NetworkError&) {
        recover();
        return true;
    }
}

void DatabaseSet::recover() {
    open_all();  // fresh connections: a dead server fails to connect (or times out), a live one answers
}

DatabaseSet::Metadata DatabaseSet::metadata() const {
    Metadata metadata;
    for (const Xapian::Database& shard : live_) {
        const std::string last_update = shard.get_metadata(std::string(schema::kLastUpdateKey));
        metadata.last_update = std::max(metadata.last_update, last_update);  // ISO 8601 UTC sorts as text
        if (metadata.schema_version.empty()) {
            metadata.schema_version = shard.get_metadata(std::string(schema::kSchemaVersionKey));
            metadata.analyzer_version = shard.get_metadata(std::string(schema::kAnalyzerVersionKey));
        }
    }
    return metadata;
}

}  // namespace sosik
