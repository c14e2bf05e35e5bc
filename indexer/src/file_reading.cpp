#include "file_reading.h"

#include <sosik/error.h>

#include <unicode/utf8.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

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

std::string read_text_file(const std::filesystem::path& file) {
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

}  // namespace sosik
