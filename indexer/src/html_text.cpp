// HTML → visible text with Gumbo, the metadata of a standalone page, and the
// plain-text helpers of text_cleanup.h.
//
// The rule that matters for Korean search: inline elements join
// (삼성<b>전자</b> → 삼성전자), block elements separate. Breaking words at tag
// boundaries (PISA's cleaner) or dropping the text of a messy page is data loss.
#include "iso_date.h"
#include "text_cleanup.h"

#include <sosik/error.h>
#include <sosik/sources.h>

#include <gumbo.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

namespace sosik {

// ---- plain text --------------------------------------------------------------

namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence at the start of `s`, 0 if ill-formed.
std::size_t utf8_sequence_length(const unsigned char* s, std::size_t available) {
    const unsigned char lead = s[0];
    if (lead < 0x80) return 1;
    auto continuation = [&](std::size_t i, unsigned char low = 0x80, unsigned char high = 0xBF) {
        return i < available && s[i] >= low && s[i] <= high;
    };
    if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        const unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;   // no overlong forms
        const unsigned char high = lead == 0xED ? 0x9F : 0xBF;  // no surrogates
        return continuation(1, low, high) && continuation(2) ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        const unsigned char low = lead == 0xF0 ? 0x90 : 0x80;
        const unsigned char high = lead == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
        return continuation(1, low, high) && continuation(2) && continuation(3) ? 4 : 0;
    }
    return 0;
}

bool is_valid_utf8(std::string_view text) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    for (std::size_t i = 0; i < text.size();) {
        if (bytes[i] < 0x80) {
            ++i;
            continue;
        }
        const std::size_t length = utf8_sequence_length(bytes + i, text.size() - i);
        if (length == 0) return false;
        i += length;
    }
    return true;
}

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_alnum(char c) { return is_ascii_alpha(c) || is_ascii_digit(c); }
bool is_hex_digit(char c) { return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

}  // namespace

namespace text_cleanup {

std::string valid_utf8(std::string_view text) {
    if (is_valid_utf8(text)) return std::string(text);
    std::string out;
    out.reserve(text.size() + 16);
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8_sequence_length(bytes + i, text.size() - i);
        if (length == 0) {
            out += kReplacementCharacter;
            ++i;
        } else {
            out.append(text.substr(i, length));
            i += length;
        }
    }
    return out;
}

std::string quote_excerpt(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return valid_utf8(text);
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    return valid_utf8(text.substr(0, cut)) + "…";
}

bool looks_like_html(std::string_view text) {
    for (std::size_t i = text.find_first_of("<&"); i != std::string_view::npos; i = text.find_first_of("<&", i + 1)) {
        const std::string_view rest = text.substr(i + 1);
        if (rest.empty()) break;
        if (text[i] == '<') {
            if (is_ascii_alpha(rest[0]) || rest[0] == '!') return true;
            if (rest[0] == '/' && rest.size() > 1 && is_ascii_alpha(rest[1])) return true;
            continue;
        }
        // A character reference: &name; &#123; &#x1F600;
        std::size_t j = 0;
        bool (*allowed)(char) = is_ascii_alnum;
        if (rest[0] == '#') {
            j = 1;
            allowed = is_ascii_digit;
            if (rest.size() > 1 && (rest[1] == 'x' || rest[1] == 'X')) {
                j = 2;
                allowed = is_hex_digit;
            }
        } else if (!is_ascii_alpha(rest[0])) {
            continue;
        }
        const std::size_t first = j;
        while (j < rest.size() && j < 40 && allowed(rest[j])) ++j;
        if (j > first && j < rest.size() && rest[j] == ';') return true;
    }
    return false;
}

}  // namespace text_cleanup

namespace {

// Builds the text every reader returns: words from adjacent inline pieces
// join, spaces collapse, paragraphs are separated by exactly one '\n', and
// no line starts or ends with a space.
class TextBuilder {
public:
    // `preserve_newlines`: '\n' in the text ends a line (inside <pre>, plain text).
    void add_text(std::string_view text, bool preserve_newlines) {
        const std::size_t size = text.size();
        for (std::size_t i = 0; i < size;) {
            if (const std::size_t width = space_width(text, i)) {
                if (preserve_newlines && text[i] == '\n')
                    break_line();
                else
                    add_space();
                i += width;
                continue;
            }
            if (const std::size_t width = invisible_width(text, i)) {
                i += width;
                continue;
            }
            std::size_t end = i + 1;
            while (end < size && !may_start_space_or_invisible(text[end])) ++end;
            flush_pending();
            out_.append(text.substr(i, end - i));
            i = end;
        }
    }

    // A word boundary (between table cells, around <img alt>).
    void add_space() {
        if (pending_ == Pending::none) pending_ = Pending::space;
    }

    // A paragraph boundary (block elements, <br>).
    void break_line() { pending_ = Pending::newline; }

    std::string finish() { return std::move(out_); }

private:
    enum class Pending { none, space, newline };

    void flush_pending() {
        if (!out_.empty() && pending_ != Pending::none) out_ += pending_ == Pending::newline ? '\n' : ' ';
        pending_ = Pending::none;
    }

    // Lead bytes of every sequence space_width or invisible_width recognizes.
    static bool may_start_space_or_invisible(char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte <= 0x20 || byte == 0x7F || byte == 0xC2 || byte == 0xE2 || byte == 0xE3 || byte == 0xEF;
    }

    // Bytes of the space character at `i`, 0 if there is none. ASCII controls
    // count as spaces; so do NBSP (what &nbsp; decodes to), NEL, the U+2000
    // block, line/paragraph separators, narrow NBSP, U+205F and the ideographic space.
    static std::size_t space_width(std::string_view text, std::size_t i) {
        const auto byte = [&](std::size_t k) {
            return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0;
        };
        const unsigned char b0 = byte(0);
        if (b0 <= 0x20 || b0 == 0x7F) return 1;
        if (b0 == 0xC2 && (byte(1) == 0xA0 || byte(1) == 0x85)) return 2;
        if (b0 == 0xE2 && byte(1) == 0x80) {
            const unsigned char b2 = byte(2);
            if ((b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) return 3;
        }
        if (b0 == 0xE2 && byte(1) == 0x81 && byte(2) == 0x9F) return 3;
        if (b0 == 0xE3 && byte(1) == 0x80 && byte(2) == 0x80) return 3;
        return 0;
    }

    // Bytes of a character that is invisible *inside* a word and must not split
    // it: soft hyphen, zero-width space, word joiner, BOM.
    static std::size_t invisible_width(std::string_view text, std::size_t i) {
        const std::string_view rest = text.substr(i);
        if (rest.starts_with("\xC2\xAD")) return 2;                                          // U+00AD
        if (rest.starts_with("\xE2\x80\x8B") || rest.starts_with("\xE2\x81\xA0")) return 3;  // U+200B, U+2060
        if (rest.starts_with("\xEF\xBB\xBF")) return 3;                                      // U+FEFF
        return 0;
    }

    std::string out_;
    Pending pending_ = Pending::none;
};

// ---- what each element contributes ---------------------------------------

enum class ElementRole {
    inline_text,   // joins its neighbours: b, span, a, …
    block,         // separates paragraphs: p, div, li, h1, …
    preformatted,  // a block whose newlines are kept: pre
    cell,          // td/th: a space between cells of a row
    line_break,    // br
    image,         // img: its alt text, as a word of its own
    hidden,        // script, style, head, …: contributes nothing
};

// clang-format off
ElementRole role_of(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE:
        case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_IFRAME: case GUMBO_TAG_SVG:
        case GUMBO_TAG_NOEMBED: case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_SELECT: case GUMBO_TAG_DATALIST:
        case GUMBO_TAG_RT: case GUMBO_TAG_RP:  // ruby annotations: keep the base text only
        case GUMBO_TAG_BASE: case GUMBO_TAG_LINK: case GUMBO_TAG_META: case GUMBO_TAG_PARAM:
        case GUMBO_TAG_SOURCE: case GUMBO_TAG_TRACK: case GUMBO_TAG_INPUT: case GUMBO_TAG_KEYGEN:
        case GUMBO_TAG_APPLET: case GUMBO_TAG_EMBED: case GUMBO_TAG_AREA: case GUMBO_TAG_COL:
            return ElementRole::hidden;
        case GUMBO_TAG_BR:
            return ElementRole::line_break;
        case GUMBO_TAG_IMG: case GUMBO_TAG_IMAGE:
            return ElementRole::image;
        case GUMBO_TAG_TD: case GUMBO_TAG_TH:
            return ElementRole::cell;
        case GUMBO_TAG_PRE: case GUMBO_TAG_LISTING: case GUMBO_TAG_XMP: case GUMBO_TAG_PLAINTEXT:
        case GUMBO_TAG_TEXTAREA:
            return ElementRole::preformatted;
        case GUMBO_TAG_HTML: case GUMBO_TAG_BODY: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_SECTION:
        case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
        case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_HGROUP:
        case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_P:
        case GUMBO_TAG_HR: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_OL: case GUMBO_TAG_UL:
        case GUMBO_TAG_LI: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
        case GUMBO_TAG_FIGURE: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_MAIN: case GUMBO_TAG_DIV:
        case GUMBO_TAG_VIDEO: case GUMBO_TAG_AUDIO: case GUMBO_TAG_CANVAS: case GUMBO_TAG_OBJECT:
        case GUMBO_TAG_MAP: case GUMBO_TAG_MATH:
        case GUMBO_TAG_TABLE: case GUMBO_TAG_CAPTION: case GUMBO_TAG_COLGROUP: case GUMBO_TAG_TBODY:
        case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT: case GUMBO_TAG_TR: case GUMBO_TAG_FORM:
        case GUMBO_TAG_FIELDSET: case GUMBO_TAG_LEGEND: case GUMBO_TAG_BUTTON: case GUMBO_TAG_OPTGROUP:
        case GUMBO_TAG_OPTION: case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_MENU:
        case GUMBO_TAG_MENUITEM: case GUMBO_TAG_DIR: case GUMBO_TAG_FRAMESET: case GUMBO_TAG_FRAME:
        case GUMBO_TAG_CENTER: case GUMBO_TAG_MARQUEE: case GUMBO_TAG_MULTICOL: case GUMBO_TAG_ISINDEX:
            return ElementRole::block;
        default:
            return ElementRole::inline_text;  // including unknown and custom elements
    }
}
// clang-format on

// ---- input preparation -----------------------------------------------------

// Gumbo 0.10.1 walks the whole stack of open elements for every block start
// tag (quadratic: 100,000 nested <div>s take a minute) and frees its tree
// recursively (100,000 levels overflow a 1 MB stack). Like Blink's parser,
// which caps the DOM depth at 512, we flatten anything deeper.
constexpr std::size_t kMaxNestingDepth = 512;

bool ends_tag_name(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/' || c == '>';
}

// Elements whose start tag opens nothing: void elements.
// clang-format off
bool is_void(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_AREA: case GUMBO_TAG_BASE: case GUMBO_TAG_BASEFONT: case GUMBO_TAG_BGSOUND:
        case GUMBO_TAG_BR: case GUMBO_TAG_COL: case GUMBO_TAG_EMBED: case GUMBO_TAG_FRAME: case GUMBO_TAG_HR:
        case GUMBO_TAG_IMAGE: case GUMBO_TAG_IMG: case GUMBO_TAG_INPUT: case GUMBO_TAG_KEYGEN:
        case GUMBO_TAG_LINK: case GUMBO_TAG_META: case GUMBO_TAG_PARAM: case GUMBO_TAG_SOURCE:
        case GUMBO_TAG_TRACK: case GUMBO_TAG_WBR: case GUMBO_TAG_MENUITEM: case GUMBO_TAG_SPACER:
            return true;
        default:
            return false;
    }
}
// clang-format on

// Elements the parser closes implicitly when a sibling starts (<p>, <li>, <td>
// …): they never pile up, so counting them would only mistake
// `<p>a<p>b<p>c` for deep nesting.
// clang-format off
bool closes_implicitly(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_P: case GUMBO_TAG_LI: case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_TR:
        case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_OPTION: case GUMBO_TAG_OPTGROUP:
        case GUMBO_TAG_RB: case GUMBO_TAG_RT: case GUMBO_TAG_RP: case GUMBO_TAG_RTC: case GUMBO_TAG_TBODY:
        case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT: case GUMBO_TAG_COLGROUP:
            return true;
        default:
            return false;
    }
}
// clang-format on

// Elements whose content is text up to their end tag (no tags inside).
// clang-format off
bool has_raw_text(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_XMP: case GUMBO_TAG_IFRAME:
        case GUMBO_TAG_NOEMBED: case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_TITLE:
            return true;
        default:
            return false;
    }
}
// clang-format on

// Index of the '>' ending the tag whose attributes start at `pos`; quoted
// attribute values may contain '>'.
std::size_t find_tag_end(std::string_view html, std::size_t pos) {
    bool after_equals = false;
    for (; pos < html.size(); ++pos) {
        const char c = html[pos];
        if (c == '>') return pos;
        if (c == '=') {
            after_equals = true;
        } else if ((c == '"' || c == '\'') && after_equals) {
            pos = html.find(c, pos + 1);
            if (pos == std::string_view::npos) return pos;
            after_equals = false;
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
            after_equals = false;
        }
    }
    return std::string_view::npos;
}

// Start of `</name` (any case) at or after `pos`, or npos.
std::size_t find_end_tag(std::string_view html, std::size_t pos, std::string_view name) {
    for (pos = html.find("</", pos); pos != std::string_view::npos; pos = html.find("</", pos + 2)) {
        const std::size_t after = pos + 2 + name.size();
        if (after > html.size()) return std::string_view::npos;
        const std::string_view candidate = html.substr(pos + 2, name.size());
        const bool same = std::equal(candidate.begin(), candidate.end(), name.begin(), name.end(),
                                     [](char a, char b) { return (a | 0x20) == (b | 0x20); });
        if (same && (after == html.size() || ends_tag_name(html[after]))) return pos;
    }
    return std::string_view::npos;
}

// One linear pass, before Gumbo, over the tags of `html`:
//  * flattens nesting deeper than kMaxNestingDepth (dropped block tags become
//    <br> so their paragraphs stay apart);
//  * escapes '<' before "tag names" holding non-ASCII letters: Korean writes
//    titles in angle brackets, and real feeds leave them unescaped
//    (`<H를 위한 새 구두>`), which HTML would swallow as an element. No HTML
//    element name holds a non-ASCII letter without a '-' (custom elements).
// Returns nullopt when nothing needed changing, so the common case copies nothing.
std::optional<std::string> prepare_markup(std::string_view html) {
    std::string out;
    std::size_t copied = 0;
    bool changed = false;
    auto replace = [&](std::size_t begin, std::size_t end, std::string_view with) {
        if (!changed) out.reserve(html.size() + html.size() / 16);
        out.append(html.substr(copied, begin - copied));
        out.append(with);
        copied = end;
        changed = true;
    };

    std::size_t depth = 0;
    std::size_t dropped_open = 0;  // start tags removed whose end tags are still ahead
    constexpr auto npos = std::string_view::npos;
    for (std::size_t i = html.find('<'); i != npos && i + 1 < html.size(); i = html.find('<', i)) {
        const char next = html[i + 1];
        if (html.substr(i, 4) == "<!--") {
            const std::size_t end = html.find("-->", i + 4);
            if (end == npos) break;
            i = end + 3;
            continue;
        }
        if (next == '!' || next == '?') {
            const std::size_t end = html.find('>', i + 2);
            if (end == npos) break;
            i = end + 1;
            continue;
        }
        const bool is_end_tag = next == '/';
        const std::size_t name_begin = i + (is_end_tag ? 2 : 1);
        if (name_begin >= html.size() || !is_ascii_alpha(html[name_begin])) {
            ++i;
            continue;
        }
        std::size_t name_end = name_begin;
        bool non_ascii = false;
        bool hyphen = false;
        while (name_end < html.size() && !ends_tag_name(html[name_end])) {
            non_ascii |= static_cast<unsigned char>(html[name_end]) >= 0x80;
            hyphen |= html[name_end] == '-';
            ++name_end;
        }
        if (non_ascii && !hyphen) {
            replace(i, i + 1, "&lt;");
            ++i;
            continue;
        }
        const std::size_t close = find_tag_end(html, name_end);
        if (close == npos) break;  // the rest is one unterminated tag
        const std::size_t after = close + 1;
        const std::string_view name = html.substr(name_begin, name_end - name_begin);
        const GumboTag tag = gumbo_tagn_enum(name.data(), static_cast<unsigned int>(name.size()));
        const bool counted =
            !is_void(tag) && !closes_implicitly(tag) && !has_raw_text(tag) && tag != GUMBO_TAG_PLAINTEXT;
        const std::string_view stand_in = role_of(tag) == ElementRole::inline_text ? "" : "<br>";

        if (is_end_tag) {
            if (counted && dropped_open > 0) {
                --dropped_open;
                replace(i, after, stand_in);
            } else if (counted && depth > 0) {
                --depth;
            }
            i = after;
            continue;
        }
        if (tag == GUMBO_TAG_PLAINTEXT) break;  // everything after it is text
        if (has_raw_text(tag)) {
            const std::size_t end_tag = find_end_tag(html, after, name);
            if (end_tag == npos) break;
            i = end_tag;
            continue;
        }
        // A self-closing unknown tag (<path/> in inline SVG) opens nothing; for
        // HTML elements the parser ignores the slash.
        const bool self_closing = html[close - 1] == '/' && tag == GUMBO_TAG_UNKNOWN;
        if (counted && !self_closing) {
            if (depth < kMaxNestingDepth) {
                ++depth;
            } else {
                ++dropped_open;
                replace(i, after, stand_in);
            }
        }
        i = after;
    }
    if (!changed) return std::nullopt;
    out.append(html.substr(copied));
    return out;
}

// ---- parsing -------------------------------------------------------------------

const GumboOptions& parse_options() {
    static const GumboOptions options = [] {
        GumboOptions o = kGumboDefaultOptions;
        // Gumbo copies the stack of open elements into every error it records:
        // 3 GB for 20,000 unclosed <div>s. We never read the errors, and
        // recording none does not stop the parse.
        o.max_errors = 0;
        return o;
    }();
    return options;
}

struct GumboOutputDeleter {
    void operator()(GumboOutput* output) const noexcept { gumbo_destroy_output(&parse_options(), output); }
};

// A parsed document, freed with the object.
class ParsedHtml {
public:
    explicit ParsedHtml(std::string_view html) {
        std::string_view input = html;
        if (auto prepared = prepare_markup(html)) {
            prepared_ = std::move(*prepared);
            input = prepared_;
        }
        output_.reset(gumbo_parse_with_options(&parse_options(), input.data(), input.size()));
        if (!output_) throw Error("HTML parser failed (out of memory?)");
    }
    ParsedHtml(const ParsedHtml&) = delete;
    ParsedHtml& operator=(const ParsedHtml&) = delete;

    const GumboNode* document() const { return output_->document; }

private:
    std::string prepared_;  // declared first: Gumbo's nodes point into the text they parsed
    std::unique_ptr<GumboOutput, GumboOutputDeleter> output_;
};

// clang-format off
const GumboVector* children_of(const GumboNode* node) {
    switch (node->type) {
        case GUMBO_NODE_DOCUMENT: return &node->v.document.children;
        case GUMBO_NODE_ELEMENT: case GUMBO_NODE_TEMPLATE: return &node->v.element.children;
        default: return nullptr;
    }
}
// clang-format on

// Depth-first walk on an explicit stack: `enter(node)` returns whether to visit
// the node's children; `leave(node)` runs after them.
template <typename Enter, typename Leave>
void walk(const GumboNode* root, Enter&& enter, Leave&& leave) {
    struct Frame {
        const GumboNode* node;
        unsigned int next_child;
    };
    std::vector<Frame> open;
    if (!enter(root)) return;
    open.push_back({root, 0});
    while (!open.empty()) {
        Frame& top = open.back();
        const GumboVector* children = children_of(top.node);
        if (children && top.next_child < children->length) {
            const auto* child = static_cast<const GumboNode*>(children->data[top.next_child++]);
            if (enter(child)) open.push_back({child, 0});  // `top` is not used after this
        } else {
            leave(top.node);
            open.pop_back();
        }
    }
}

std::string_view attribute(const GumboNode* element, const char* name) {
    const GumboAttribute* found = gumbo_get_attribute(&element->v.element.attributes, name);
    return found ? std::string_view(found->value) : std::string_view();
}

bool is_element(const GumboNode* node, GumboTag tag) {
    return node->type == GUMBO_NODE_ELEMENT && node->v.element.tag == tag;
}

void collect_text(const GumboNode* root, TextBuilder& out) {
    int preformatted_depth = 0;
    walk(
        root,
        [&](const GumboNode* node) {
            switch (node->type) {
                case GUMBO_NODE_TEXT:
                case GUMBO_NODE_CDATA:
                case GUMBO_NODE_WHITESPACE:
                    out.add_text(node->v.text.text, preformatted_depth > 0);
                    return false;
                case GUMBO_NODE_DOCUMENT:
                    return true;
                case GUMBO_NODE_ELEMENT:
                    break;
                default:
                    return false;  // comments; <template> contents are not rendered
            }
            switch (role_of(node->v.element.tag)) {
                case ElementRole::hidden:
                    return false;
                case ElementRole::line_break:
                    out.break_line();
                    return false;
                case ElementRole::image:
                    out.add_space();
                    out.add_text(attribute(node, "alt"), false);
                    out.add_space();
                    return false;
                case ElementRole::cell:
                    out.add_space();
                    return true;
                case ElementRole::preformatted:
                    ++preformatted_depth;
                    out.break_line();
                    return true;
                case ElementRole::block:
                    out.break_line();
                    return true;
                case ElementRole::inline_text:
                    return true;
            }
            return true;
        },
        [&](const GumboNode* node) {
            if (node->type != GUMBO_NODE_ELEMENT) return;
            switch (role_of(node->v.element.tag)) {
                case ElementRole::preformatted:
                    --preformatted_depth;
                    out.break_line();
                    break;
                case ElementRole::block:
                    out.break_line();
                    break;
                case ElementRole::cell:
                    out.add_space();
                    break;
                default:
                    break;
            }
        });
}

std::string text_of(const GumboNode* node) {
    TextBuilder out;
    collect_text(node, out);
    return out.finish();
}

// The text children of an element whose content is raw text (<title>).
std::string child_text(const GumboNode* element) {
    std::string text;
    const GumboVector& children = element->v.element.children;
    for (unsigned int i = 0; i < children.length; ++i) {
        const auto* child = static_cast<const GumboNode*>(children.data[i]);
        if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_WHITESPACE) text += child->v.text.text;
    }
    return text;
}

const GumboNode* find_body(const GumboNode* document) {
    for (const GumboNode* level = document; level;) {
        const GumboNode* next = nullptr;
        const GumboVector* children = children_of(level);
        for (unsigned int i = 0; children && i < children->length; ++i) {
            const auto* child = static_cast<const GumboNode*>(children->data[i]);
            if (is_element(child, GUMBO_TAG_BODY)) return child;
            if (is_element(child, GUMBO_TAG_HTML)) next = child;
        }
        level = next;
    }
    return nullptr;
}

std::string lowercase_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// The first non-empty value offered for a field, by rank (0 = best).
class RankedChoice {
public:
    explicit RankedChoice(int ranks) : values_(static_cast<std::size_t>(ranks)) {}
    void offer(int rank, std::string_view value) {
        auto& slot = values_[static_cast<std::size_t>(rank)];
        if (slot.empty()) slot = text_cleanup::single_line(value);
    }
    const std::vector<std::string>& by_rank() const { return values_; }
    std::string best() const {
        for (const auto& value : values_)
            if (!value.empty()) return value;
        return {};
    }

private:
    std::vector<std::string> values_;
};

}  // namespace

namespace text_cleanup {

namespace {

std::string clean_text(std::string_view text, bool keep_lines) {
    TextBuilder out;
    if (is_valid_utf8(text))
        out.add_text(text, keep_lines);
    else
        out.add_text(valid_utf8(text), keep_lines);
    return out.finish();
}

}  // namespace

std::string normalize_whitespace(std::string_view text) { return clean_text(text, true); }

std::string single_line(std::string_view text) { return clean_text(text, false); }

}  // namespace text_cleanup

std::string html_to_text(std::string_view html) {
    const ParsedHtml parsed(html);
    return text_of(parsed.document());
}

HtmlPage parse_html_page(std::string_view html) {
    const ParsedHtml parsed(html);

    RankedChoice title(2), description(2), url(2), date(3);
    int inside_article = 0;
    walk(
        parsed.document(),
        [&](const GumboNode* node) {
            if (node->type == GUMBO_NODE_DOCUMENT) return true;
            if (node->type != GUMBO_NODE_ELEMENT) return false;
            switch (node->v.element.tag) {
                case GUMBO_TAG_META: {
                    std::string key = lowercase_ascii(attribute(node, "property"));
                    if (key.empty()) key = lowercase_ascii(attribute(node, "name"));
                    if (key.empty()) key = lowercase_ascii(attribute(node, "itemprop"));
                    const std::string_view content = attribute(node, "content");
                    if (key == "og:title")
                        title.offer(0, content);
                    else if (key == "og:description")
                        description.offer(0, content);
                    else if (key == "description")
                        description.offer(1, content);
                    else if (key == "og:url")
                        url.offer(0, content);
                    else if (key == "article:published_time")
                        date.offer(0, content);
                    else if (key == "date" || key == "pubdate" || key == "og:published_time" || key == "publishdate" ||
                             key == "datepublished" || key == "dc.date" || key == "dc.date.issued")
                        date.offer(1, content);
                    return false;
                }
                case GUMBO_TAG_LINK: {
                    // rel is a space-separated list of link types.
                    const std::string rel = " " + lowercase_ascii(attribute(node, "rel")) + " ";
                    if (rel.find(" canonical ") != std::string::npos) url.offer(1, attribute(node, "href"));
                    return false;
                }
                case GUMBO_TAG_TITLE:
                    title.offer(1, child_text(node));
                    return false;
                case GUMBO_TAG_TIME:
                    if (inside_article > 0) date.offer(2, attribute(node, "datetime"));
                    return true;
                case GUMBO_TAG_ARTICLE:
                    ++inside_article;
                    return true;
                default:
                    return role_of(node->v.element.tag) != ElementRole::hidden || node->v.element.tag == GUMBO_TAG_HEAD;
            }
        },
        [&](const GumboNode* node) {
            if (is_element(node, GUMBO_TAG_ARTICLE)) --inside_article;
        });

    HtmlPage page;
    page.title = title.best();
    page.description = description.best();
    page.url = url.best();
    for (const std::string& candidate : date.by_rank()) {
        if (auto normalized = iso_date::normalize(candidate)) {
            page.date = std::move(*normalized);
            break;
        }
    }
    if (const GumboNode* body = find_body(parsed.document())) page.text = text_of(body);
    return page;
}

}  // namespace sosik
