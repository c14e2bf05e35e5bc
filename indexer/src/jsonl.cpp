// JSON Lines archives (.jsonl, .jsonl.gz): one article per line, streamed.
#include "iso_date.h"
#include "text_cleanup.h"

#include <sosik/error.h>
#include <sosik/sources.h>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace sosik {

namespace {

using nlohmann::json;

// Far above any real article (the Chosun archive's longest line is 220 kB);
// a longer line is skipped rather than held in memory.
constexpr std::size_t kMaxLineBytes = 64 << 20;
constexpr std::size_t kReadChunkBytes = 256 << 10;

struct GzFileCloser {
    void operator()(gzFile_s* file) const noexcept { gzclose(file); }
};

// Why one line cannot become an article; caught in JsonlReader::next.
class BadLine : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// nlohmann's message without its "[json.exception.out_of_range.406] " id.
std::string_view without_exception_id(std::string_view message) {
    if (const std::size_t bracket = message.find("] "); bracket != std::string_view::npos)
        message.remove_prefix(bracket + 2);
    return message;
}

// "syntax error while parsing value - invalid literal" out of nlohmann's
// "[json.exception.parse_error.101] parse error at line 1, column 41: syntax
// error …; last read: '…'" (the last-read part may hold the offending bytes).
std::string parse_error_reason(const json::parse_error& error) {
    std::string_view message = error.what();
    if (const std::size_t last_read = message.find("; last read"); last_read != std::string_view::npos)
        message = message.substr(0, last_read);
    if (const std::size_t column = message.find("column "); column != std::string_view::npos) {
        if (const std::size_t colon = message.find(": ", column); colon != std::string_view::npos)
            message.remove_prefix(colon + 2);
    } else {
        message = without_exception_id(message);
    }
    return "invalid JSON at byte " + std::to_string(error.byte) + " (" + text_cleanup::valid_utf8(message) + ")";
}

std::string quoted_name(std::string_view key) { return "`" + std::string(key) + "`"; }

const json* member(const json& object, std::string_view key) {
    const auto found = object.find(key);
    return found == object.end() || found->is_null() ? nullptr : &*found;
}

std::string required_string(const json& object, std::string_view key) {
    const json* value = member(object, key);
    if (!value) throw BadLine("missing " + quoted_name(key));
    if (!value->is_string())
        throw BadLine(quoted_name(key) + " must be a string, not " + std::string(value->type_name()));
    return value->get<std::string>();
}

std::string optional_string(const json& object, std::string_view key) {
    const json* value = member(object, key);
    if (!value) return {};
    if (!value->is_string())
        throw BadLine(quoted_name(key) + " must be a string, not " + std::string(value->type_name()));
    return value->get<std::string>();
}

// A string is one value (JSON has lists for more), a list holds strings or numbers.
std::vector<std::string> string_list(const json& object, std::string_view key) {
    std::vector<std::string> values;
    const json* value = member(object, key);
    if (!value) return values;
    auto add = [&](const json& item) {
        std::string text;
        if (item.is_string())
            text = text_cleanup::single_line(item.get_ref<const std::string&>());
        else if (item.is_number_integer())
            text = item.dump();
        else if (!item.is_null())
            throw BadLine(quoted_name(key) + " must hold strings, not " + std::string(item.type_name()));
        if (!text.empty() && std::find(values.begin(), values.end(), text) == values.end())
            values.push_back(std::move(text));
    };
    if (value->is_array()) {
        for (const json& item : *value) add(item);
    } else if (value->is_string()) {
        add(*value);
    } else {
        throw BadLine(quoted_name(key) + " must be a string or a list, not " + std::string(value->type_name()));
    }
    return values;
}

// Titles and excerpts from a CMS may carry entities (&quot;) or tags.
std::string plain_line(std::string_view text) {
    if (text_cleanup::looks_like_html(text)) return text_cleanup::single_line(html_to_text(text));
    return text_cleanup::single_line(text);
}

Article article_from_json(const json& object) {
    if (!object.is_object()) throw BadLine("not a JSON object but " + std::string(object.type_name()));
    Article article;

    const json* id = member(object, "id");
    if (!id) throw BadLine("missing `id`");
    if (id->is_string())
        article.id = text_cleanup::single_line(id->get_ref<const std::string&>());
    else if (id->is_number_integer())
        article.id = id->dump();
    else
        throw BadLine("`id` must be a string or an integer, not " + std::string(id->type_name()));
    if (article.id.empty()) throw BadLine("`id` is empty");

    article.title = plain_line(required_string(object, "title"));
    const std::string body = required_string(object, "body");
    article.text = text_cleanup::looks_like_html(body) ? html_to_text(body) : text_cleanup::normalize_whitespace(body);

    if (const std::string date = optional_string(object, "date"); !date.empty()) {
        auto normalized = iso_date::normalize(date);
        if (!normalized) throw BadLine("`date` is not a date: \"" + text_cleanup::quote_excerpt(date) + "\"");
        article.date = std::move(*normalized);
    }
    article.url = text_cleanup::single_line(optional_string(object, "url"));
    article.image = text_cleanup::single_line(optional_string(object, "image"));
    article.excerpt = plain_line(optional_string(object, "excerpt"));
    if (article.excerpt.empty()) article.excerpt = plain_line(optional_string(object, "description"));
    article.categories = string_list(object, "categories");
    article.tags = string_list(object, "tags");
    return article;
}

}  // namespace

struct JsonlReader::Impl {
    std::string path;
    std::unique_ptr<gzFile_s, GzFileCloser> file;
    std::vector<char> buffer = std::vector<char>(kReadChunkBytes);
    std::size_t buffered_begin = 0;
    std::size_t buffered_end = 0;
    bool at_end = false;
    std::string read_error;  // why reading stopped early, if it did
    std::size_t line_number = 0;
    std::string line;

    // Refills the buffer; false at the end of the data or on a read error.
    bool fill() {
        if (at_end) return false;
        const int read = gzread(file.get(), buffer.data(), static_cast<unsigned>(buffer.size()));
        int status = Z_OK;
        const char* message = gzerror(file.get(), &status);
        if (read < 0 || (status != Z_OK && status != Z_STREAM_END)) {
            read_error = status == Z_BUF_ERROR ? "the file ends in the middle of compressed data (truncated?)"
                         : status == Z_ERRNO   ? std::string("read error: ") + std::strerror(errno)
                                               : std::string("corrupt compressed data: ") + message;
            at_end = true;
            if (read <= 0) return false;
        }
        if (read <= 0) {
            at_end = true;
            return false;
        }
        buffered_begin = 0;
        buffered_end = static_cast<std::size_t>(read);
        return true;
    }

    enum class LineStatus { complete, too_long, end_of_file };

    // The next line into `line` (without its '\n').
    LineStatus read_line() {
        line.clear();
        bool too_long = false;
        bool any_byte = false;
        for (;;) {
            if (buffered_begin == buffered_end && !fill()) {
                if (!any_byte) return LineStatus::end_of_file;
                ++line_number;  // a last line without '\n'
                return too_long ? LineStatus::too_long : LineStatus::complete;
            }
            any_byte = true;
            const char* start = buffer.data() + buffered_begin;
            const std::size_t available = buffered_end - buffered_begin;
            const auto* newline = static_cast<const char*>(std::memchr(start, '\n', available));
            const std::size_t length = newline ? static_cast<std::size_t>(newline - start) : available;
            if (!too_long && line.size() + length > kMaxLineBytes) {
                too_long = true;
                std::string().swap(line);
            }
            if (!too_long) line.append(start, length);
            buffered_begin += length;
            if (newline) {
                ++buffered_begin;
                ++line_number;
                return too_long ? LineStatus::too_long : LineStatus::complete;
            }
        }
    }
};

JsonlReader::JsonlReader(const std::filesystem::path& file) : impl_(std::make_unique<Impl>()) {
    impl_->path = file.string();
    std::error_code error;
    if (std::filesystem::is_directory(file, error))
        throw InvalidInput("cannot open " + impl_->path + ": is a directory");
    errno = 0;
    // zlib reads plain files as they are, so .jsonl and .jsonl.gz share one path
    // (and a compressed file without .gz still works).
    impl_->file.reset(gzopen(impl_->path.c_str(), "rb"));
    if (!impl_->file)
        throw InvalidInput("cannot open " + impl_->path + ": " + (errno != 0 ? std::strerror(errno) : "out of memory"));
    gzbuffer(impl_->file.get(), static_cast<unsigned>(kReadChunkBytes));
}

JsonlReader::~JsonlReader() = default;

bool JsonlReader::next_line(std::string& line, std::size_t& line_number,
                            const std::function<void(std::size_t line, const std::string& reason)>& on_bad_line) {
    Impl& in = *impl_;
    for (;;) {
        const Impl::LineStatus status = in.read_line();
        if (status == Impl::LineStatus::end_of_file) {
            if (!in.read_error.empty()) {
                on_bad_line(in.line_number + 1, in.read_error);
                in.read_error.clear();
            }
            return false;
        }
        if (status == Impl::LineStatus::too_long) {
            on_bad_line(in.line_number, "longer than " + std::to_string(kMaxLineBytes >> 20) + " MiB");
            continue;
        }
        std::string_view text = in.line;
        if (in.line_number == 1 && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
        if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;  // blank lines are allowed
        line.assign(text);
        line_number = in.line_number;
        return true;
    }
}

std::uint64_t JsonlReader::bytes_read() const {
    const z_off_t offset = gzoffset(impl_->file.get());
    return offset < 0 ? 0 : static_cast<std::uint64_t>(offset);
}

Article parse_jsonl_line(std::string_view line) {
    try {
        return article_from_json(json::parse(line));
    } catch (const json::parse_error& error) {
        throw InvalidInput(parse_error_reason(error));
    } catch (const json::out_of_range& error) {
        // A number too large for a double (1e999): nlohmann throws this even
        // from a syntactically valid line.
        throw InvalidInput("invalid JSON (" + text_cleanup::valid_utf8(without_exception_id(error.what())) + ")");
    } catch (const BadLine& error) {
        throw InvalidInput(error.what());
    }
}

bool JsonlReader::next(Article& out,
                       const std::function<void(std::size_t line, const std::string& reason)>& on_bad_line) {
    std::string line;
    std::size_t line_number = 0;
    while (next_line(line, line_number, on_bad_line)) {
        try {
            Article article = parse_jsonl_line(line);
            article.source = impl_->path;
            out = std::move(article);
            return true;
        } catch (const Error& error) {
            on_bad_line(line_number, error.what());
        }
    }
    return false;
}

}  // namespace sosik
