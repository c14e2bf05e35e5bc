// Markdown → HTML with md4c; the indexer then takes the text with html_to_text.
#include <sosik/error.h>
#include <sosik/sources.h>

#include <md4c-html.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <limits>

namespace sosik {

namespace {

// GitHub's dialect (tables, strikethrough, task lists, permissive autolinks)
// plus LaTeX math spans: `$…$` and `$$…$$` stay literal text instead of having
// their `_` and `*` read as emphasis. Raw HTML stays on: Tistory exports and
// many Jekyll posts are HTML inside .md files.
constexpr unsigned kParserFlags = MD_DIALECT_GITHUB | MD_FLAG_LATEXMATHSPANS;

void append_output(const MD_CHAR* text, MD_SIZE size, void* html) {
    static_cast<std::string*>(html)->append(text, size);
}

// ---- CJK-friendly emphasis ----------------------------------------------------

// CommonMark does not close `**정보이득(information gain)**이란`: a closing
// `**` right after punctuation must be followed by a space or punctuation, and
// Korean particles follow it directly (likewise for an opening `**` between a
// letter and punctuation). kramdown, which Jekyll uses, and every Korean writer
// expect bold there; left alone, the `**` end up in the indexed text. md4c has
// no option for this (the "CJK-friendly emphasis" proposal), so we put an empty
// HTML comment — invisible, and punctuation to the delimiter rule — between
// such a run and the letter next to it.
constexpr std::string_view kInvisibleSeparator = "<!---->";

// The code point before / at `pos` (-1 at either end of the text or on broken UTF-8).
UChar32 code_point_before(std::string_view text, std::size_t pos) {
    if (pos == 0) return -1;
    int32_t i = static_cast<int32_t>(pos);
    UChar32 c;
    U8_PREV(reinterpret_cast<const uint8_t*>(text.data()), 0, i, c);
    return c;
}

UChar32 code_point_at(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return -1;
    int32_t i = static_cast<int32_t>(pos);
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), i, static_cast<int32_t>(text.size()), c);
    return c;
}

// CommonMark's punctuation: every printable ASCII symbol, and Unicode P* characters.
bool is_punctuation(UChar32 c) {
    if (c < 0) return false;
    if (c < 0x80) return c > 0x20 && c < 0x7F && !u_isalnum(c);
    return u_ispunct(c) != 0;
}

// A non-ASCII letter or digit: where the CommonMark rule goes wrong for Korean, Chinese and Japanese.
bool is_non_ascii_word_character(UChar32 c) { return c >= 0x80 && (u_isalpha(c) || u_isdigit(c)); }

// Fixes one line outside code.
void append_line_with_friendly_emphasis(std::string& out, std::string_view line) {
    std::size_t code_span_ticks = 0;  // inside `code` when > 0
    std::size_t copied = 0;
    for (std::size_t i = 0; i < line.size();) {
        const char c = line[i];
        if (c != '`' && c != '*') {
            ++i;
            continue;
        }
        std::size_t run = 1;
        while (i + run < line.size() && line[i + run] == c) ++run;
        if (c == '`') {
            if (code_span_ticks == 0)
                code_span_ticks = run;
            else if (run == code_span_ticks)
                code_span_ticks = 0;
        } else if (code_span_ticks == 0) {
            const UChar32 before = code_point_before(line, i);
            const UChar32 after = code_point_at(line, i + run);
            if (is_non_ascii_word_character(before) && is_punctuation(after)) {  // an opener after a letter
                out.append(line.substr(copied, i - copied));
                out += kInvisibleSeparator;
                copied = i;
            } else if (is_punctuation(before) && is_non_ascii_word_character(after)) {  // a closer before a letter
                out.append(line.substr(copied, i + run - copied));
                out += kInvisibleSeparator;
                copied = i + run;
            }
        }
        i += run;
    }
    out.append(line.substr(copied));
}

std::string with_cjk_friendly_emphasis(std::string_view markdown) {
    std::string out;
    out.reserve(markdown.size() + markdown.size() / 64);
    char fence_char = 0;
    std::size_t fence_length = 0;
    for (std::size_t start = 0; start < markdown.size();) {
        std::size_t end = markdown.find('\n', start);
        end = end == std::string_view::npos ? markdown.size() : end + 1;
        const std::string_view line = markdown.substr(start, end - start);
        start = end;

        const std::size_t indent = line.find_first_not_of(' ');
        const bool indented_code = line.starts_with('\t') || indent == std::string_view::npos || indent >= 4;
        if (!indented_code && (line[indent] == '`' || line[indent] == '~')) {
            const char c = line[indent];
            std::size_t run = 0;
            while (indent + run < line.size() && line[indent + run] == c) ++run;
            if (run >= 3 && fence_char == 0) {
                fence_char = c;
                fence_length = run;
                out.append(line);
                continue;
            }
            if (run >= 3 && c == fence_char && run >= fence_length) {
                fence_char = 0;
                out.append(line);
                continue;
            }
        }
        if (fence_char != 0 || indented_code || line.find('*') == std::string_view::npos)
            out.append(line);
        else
            append_line_with_friendly_emphasis(out, line);
    }
    return out;
}

}  // namespace

std::string markdown_to_html(std::string_view markdown) {
    // md4c counts in 32 bits, and so do ICU's UTF-8 macros above.
    if (markdown.size() > std::numeric_limits<int32_t>::max() / 2)
        throw InvalidInput("markdown: text larger than 1 GiB");
    const std::string source = with_cjk_friendly_emphasis(markdown);
    std::string html;
    html.reserve(source.size() + source.size() / 4);
    const int status = md_html(source.data(), static_cast<MD_SIZE>(source.size()), append_output, &html, kParserFlags,
                               MD_HTML_FLAG_SKIP_UTF8_BOM);
    if (status != 0) throw Error("markdown: md4c failed to render the text (out of memory?)");
    return html;
}

}  // namespace sosik
