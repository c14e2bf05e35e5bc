#include "file_reading.h"

#include <sosik/error.h>
#include <sosik/hangul.h>

#include <unicode/ucnv.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>

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
    return read_file_prefix(file, kMaxFileBytes).bytes;
}

FilePrefix read_file_prefix(const std::filesystem::path& file, std::uint64_t max_bytes) {
    std::error_code ec;
    FilePrefix prefix;
    prefix.file_size = std::filesystem::file_size(file, ec);
    if (ec) throw InvalidInput("cannot read: " + ec.message());
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InvalidInput(std::string("cannot read: ") + std::strerror(errno));
    prefix.bytes.resize(static_cast<std::size_t>(std::min(prefix.file_size, max_bytes)));
    in.read(prefix.bytes.data(), static_cast<std::streamsize>(prefix.bytes.size()));
    prefix.bytes.resize(static_cast<std::size_t>(in.gcount()));
    if (in.bad()) throw InvalidInput("read error");
    if (prefix.file_size > prefix.bytes.size()) {
        prefix.cut = true;
        const std::size_t line_end = prefix.bytes.rfind('\n');
        prefix.bytes.resize(line_end == std::string::npos ? 0 : line_end + 1);
    }
    return prefix;
}

namespace {

// Offset of the first byte that does not start a valid UTF-8 sequence; the size when none.
std::size_t first_invalid_utf8_byte(std::string_view text) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(text.size());
    for (int32_t i = 0; i < length;) {
        const int32_t at = i;
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        if (c < 0) return static_cast<std::size_t>(at);
    }
    return text.size();
}

// `bytes` read as CP949 when every byte sequence is valid there, the text
// holds Hangul and no control characters: Latin-1 or random bytes almost never
// pass all three.
std::optional<std::string> from_cp949(std::string_view bytes) {
    UErrorCode status = U_ZERO_ERROR;
    const std::unique_ptr<UConverter, decltype(&ucnv_close)> converter(ucnv_open("windows-949", &status), ucnv_close);
    if (U_FAILURE(status)) return std::nullopt;
    ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    // One UTF-16 unit per byte at most: CP949 has no characters outside the BMP.
    std::u16string utf16(bytes.size() + 1, u'\0');
    const int32_t length = ucnv_toUChars(converter.get(), utf16.data(), static_cast<int32_t>(utf16.size()),
                                         bytes.data(), static_cast<int32_t>(bytes.size()), &status);
    if (U_FAILURE(status)) return std::nullopt;
    utf16.resize(static_cast<std::size_t>(length));
    bool hangul = false;
    for (char16_t c : utf16) {
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') return std::nullopt;
        hangul = hangul || hangul::is_syllable(c);
    }
    if (!hangul) return std::nullopt;
    std::string utf8;
    icu::UnicodeString(false, utf16.data(), length).toUTF8String(utf8);
    return utf8;
}

}  // namespace

DecodedText decode_text(std::string raw) {
    DecodedText decoded;
    if (raw.starts_with("\xEF\xBB\xBF")) raw.erase(0, 3);
    if (raw.find('\0') != std::string::npos) throw InvalidInput("binary file (contains NUL bytes)");
    const std::size_t invalid_at = first_invalid_utf8_byte(raw);
    if (invalid_at == raw.size()) {
        decoded.text = std::move(raw);
        return decoded;
    }
    if (auto converted = from_cp949(raw)) {
        decoded.text = std::move(*converted);
        decoded.converted_from = "EUC-KR (CP949)";
        return decoded;
    }
    throw InvalidInput("not valid UTF-8 at byte " + std::to_string(invalid_at) +
                       " (nor EUC-KR/CP949 Korean text)");
}

std::string read_text_file(const std::filesystem::path& file) { return decode_text(read_file_bytes(file)).text; }

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
