// Reading archive files safely: which reader a file needs, and its bytes as
// valid UTF-8 text (or a one-line reason why not).
#pragma once

#include <filesystem>
#include <string>

namespace sosik {

enum class SourceKind { unsupported, markdown, html, jsonl };

SourceKind source_kind(const std::filesystem::path& file);

// The whole file as UTF-8 text without a BOM. Throws InvalidInput for a file
// that is unreadable, too large, binary, or not valid UTF-8 (naming the byte).
std::string read_text_file(const std::filesystem::path& file);

}  // namespace sosik
