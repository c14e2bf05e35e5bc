// The databases a Searcher reads as one: folders, Xapian stub files (also a
// folder holding one, as `sosik-index --shard-by` writes), and remote shards
// served by xapian-tcpsrv (tcp://HOST:PORT, or "remote HOST:PORT" in a stub).
// Stubs are expanded here rather than by Xapian so that every shard gets our
// version check, remote shards get our timeouts, and a dead shard can be named
// and (with allow_partial) left out. Private to the query library.
#pragma once

#include <xapian.h>

#include <chrono>
#include <string>
#include <vector>

namespace sosik {

// One database of the set, as found on the command line or in a stub.
struct ShardSource {
    std::string name;  // for messages: the path, or tcp://HOST:PORT
    std::string path;  // a local database folder
    std::string host;  // a remote one when not empty
    unsigned port = 0;
    bool remote() const { return !host.empty(); }
};

// Expands --db values into shards. Throws IndexError for an unreadable or
// malformed stub, InvalidInput for a malformed tcp:// address.
std::vector<ShardSource> expand_databases(const std::vector<std::string>& given);

struct DatabaseSetOptions {
    // Milliseconds a remote shard may take to answer any one request
    // (Xapian::Remote::open's timeout) and to accept a connection.
    unsigned remote_timeout_ms = 10000;
    unsigned connect_timeout_ms = 3000;
    // Leave out remote shards that do not answer instead of failing.
    bool allow_partial = false;
};

class DatabaseSet {
public:
    // Opens every shard; throws IndexError naming the first that fails
    // (with allow_partial: only when no shard answers).
    DatabaseSet(std::vector<std::string> given, DatabaseSetOptions options);

    const Xapian::Database& database() const { return combined_; }
    // Shards left out because they did not answer (allow_partial), by name.
    const std::vector<std::string>& missing() const { return missing_; }
    // Whether any shard in use is remote.
    bool has_remote() const { return remote_in_use_; }

    // Picks up new commits, a changed shard list, and shards that came back
    // (those at most every few seconds). True when anything changed.
    bool reopen();

    // After a Xapian::NetworkError in a search: reconnects every shard, so
    // the search can be retried. Throws IndexError naming the dead shards
    // unless allow_partial (then they are left out and named in missing()).
    void recover();

    struct Metadata {
        std::string last_update;  // the latest over the shards
        std::string analyzer_version, schema_version;
    };
    Metadata metadata() const;

private:
    void open_all();

    std::vector<std::string> given_;
    DatabaseSetOptions options_;
    std::vector<ShardSource> sources_;
    std::vector<Xapian::Database> live_;  // the shards that answered, in source order
    std::vector<std::string> missing_;
    bool remote_in_use_ = false;
    Xapian::Database combined_;
    std::chrono::steady_clock::time_point opened_at_{};
};

}  // namespace sosik
