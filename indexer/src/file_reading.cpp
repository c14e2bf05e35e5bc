#include "file_reading.h"

#include <sosik/error.h>

#include <unicode/utf8.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <sys/stat.h>

namespace sosik {

namespace {

// Far above any real article; a guard against feeding a disk image to the parser.
constexpr std::uintmax_t kMaxFileBytes = 256ull << 20;

std::string lowercase_ascii(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

SourceKind source_kind(const std::filesystem::path& file) {
    const std::string name = lowercase_ascii(file.filename().string());
    auto ends_with = [&name](std::string_view suffix) { return name.ends_with(suffix); };
    if (ends_with(".jsonl") || ends_with(".jsonl.gz") || ends_with(".ndjson") || ends_with(".ndjson.gz"))
        return SourceKind::jsonl;
    if (ends_with(".md") || ends_with(".markdown")) return SourceKind::markdown;
    if (ends_with(".html") || ends_with(".htm")) return SourceKind::html;
    return SourceKind::unsupported;
}

std::string read_file_bytes(const std::filesystem::path& file) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(file, ec);
    if (ec) throw InvalidInput("cannot read: " + ec.message());
    if (size > kMaxFileBytes)
        throw InvalidInput("too large: " + std::to_string(size >> 20) + " MB (limit " +
                           std::to_string(kMaxFileBytes >> 20) + " MB)");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InvalidInput(std::string("cannot read: ") + std::strerror(errno));
    std::string content(size, '\0');
    in.read(content.data(), static_cast<std::streamsize>(size));
    content.resize(static_cast<std::size_t>(in.gcount()));
    if (in.bad()) throw InvalidInput("read error");
    return content;
}

std::string checked_text(std::string content) {
    if (content.starts_with("\xEF\xBB\xBF")) content.erase(0, 3);
    if (content.find('\0') != std::string::npos) throw InvalidInput("binary file (contains NUL bytes)");

    const auto* bytes = reinterpret_cast<const uint8_t*>(content.data());
    const auto length = static_cast<int32_t>(content.size());
    for (int32_t i = 0; i < length;) {
        const int32_t at = i;
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        if (c < 0) throw InvalidInput("not valid UTF-8 at byte " + std::to_string(at));
    }
    return content;
}

std::string read_text_file(const std::filesystem::path& file) { return checked_text(read_file_bytes(file)); }

FileStamp stamp_of(const std::filesystem::path& file) {
    struct stat info {};
    FileStamp stamp;
    if (::stat(file.c_str(), &info) != 0) return stamp;
    stamp.ok = true;
    stamp.size = static_cast<std::uint64_t>(info.st_size);
    stamp.mtime_ns = static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec;
    return stamp;
}

namespace {

constexpr std::uint64_t kMultiplier = 0xc6a4a7935bd1e995ull;

std::uint64_t mix(std::uint64_t k) {
    k *= kMultiplier;
    k ^= k >> 47;
    return k * kMultiplier;
}

// MurmurHash64A's block loop, continued across calls so a streamed file hashes
// exactly as the same bytes in one string would.
class Hasher {
public:
    explicit Hasher(std::uint64_t seed) : hash_(seed ^ 0x9e3779b97f4a7c15ull) {}

    void update(std::string_view bytes) {
        length_ += bytes.size();
        if (pending_size_ > 0) {
            const std::size_t take = std::min(bytes.size(), sizeof pending_ - pending_size_);
            std::memcpy(pending_ + pending_size_, bytes.data(), take);
            pending_size_ += take;
            bytes.remove_prefix(take);
            if (pending_size_ < sizeof pending_) return;
            block(pending_);
            pending_size_ = 0;
        }
        while (bytes.size() >= 8) {
            block(bytes.data());
            bytes.remove_prefix(8);
        }
        std::memcpy(pending_, bytes.data(), bytes.size());
        pending_size_ = bytes.size();
    }

    std::uint64_t finish() const {
        std::uint64_t h = hash_;
        std::uint64_t tail = 0;
        std::memcpy(&tail, pending_, pending_size_);
        h ^= mix(tail ^ (length_ * kMultiplier));
        h *= kMultiplier;
        h ^= h >> 47;
        h *= kMultiplier;
        h ^= h >> 47;
        return h;
    }

private:
    void block(const char* data) {
        std::uint64_t k;
        std::memcpy(&k, data, sizeof k);
        hash_ ^= mix(k);
        hash_ *= kMultiplier;
    }

    std::uint64_t hash_;
    std::uint64_t length_ = 0;
    char pending_[8] = {};
    std::size_t pending_size_ = 0;
};

}  // namespace

std::uint64_t hash_bytes(std::string_view bytes, std::uint64_t seed) {
    Hasher hasher(seed);
    hasher.update(bytes);
    return hasher.finish();
}

std::uint64_t hash_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InvalidInput(std::string("cannot read: ") + std::strerror(errno));
    Hasher hasher(0);
    std::string buffer(1 << 20, '\0');
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        hasher.update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
    }
    if (in.bad()) throw InvalidInput("read error");
    return hasher.finish();
}

std::string hex64(std::uint64_t value) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(value));
    return hex;
}

}  // namespace sosik
