// Reading archive files safely: which reader a file needs, its bytes as valid
// UTF-8 text (or a one-line reason why not), and the cheap facts the
// incremental indexer compares (size, mtime, a content hash).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace sosik {

enum class SourceKind { unsupported, markdown, html, jsonl };

SourceKind source_kind(const std::filesystem::path& file);

// A file's content as UTF-8 text without a BOM, and the legacy encoding it
// was converted from (nullptr when it was UTF-8 already).
struct DecodedText {
    std::string text;
    const char* converted_from = nullptr;
};

// `raw` (a file's bytes) as UTF-8 text. Bytes that are not valid UTF-8 but
// are valid CP949 (the superset of EUC-KR that older Korean sites and Windows
// editors wrote) with Hangul in them are converted with ICU. Throws
// InvalidInput for a binary file (NUL bytes) or text in neither encoding.
DecodedText decode_text(std::string raw);

// The whole file as UTF-8 text (see decode_text). Throws InvalidInput.
std::string read_text_file(const std::filesystem::path& file);

// The file's bytes, unchecked; throws InvalidInput when unreadable or too large.
std::string read_file_bytes(const std::filesystem::path& file);

// At most the first `max_bytes` of a file, cut back to the end of a line when
// the file is longer, so a prefix never ends inside a character.
struct FilePrefix {
    std::string bytes;
    std::uint64_t file_size = 0;
    bool cut = false;  // the file is longer than `bytes`
};
FilePrefix read_file_prefix(const std::filesystem::path& file, std::uint64_t max_bytes);

// What `stat` says; `ok` false when the file cannot be stat'ed.
struct FileStamp {
    bool ok = false;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;  // modification time, nanoseconds since the epoch
};
FileStamp stamp_of(const std::filesystem::path& file);

// A fast 64-bit non-cryptographic hash (murmur-style), for fingerprints of
// source bytes: equal bytes, equal hash; a change flips it with near certainty.
std::uint64_t hash_bytes(std::string_view bytes, std::uint64_t seed = 0);

// hash_bytes over a whole file, streamed in fixed-size chunks (a 60 MB
// export is hashed without being held in memory). Throws InvalidInput.
std::uint64_t hash_file(const std::filesystem::path& file);

// 16 lowercase hex digits.
std::string hex64(std::uint64_t value);

}  // namespace sosik
