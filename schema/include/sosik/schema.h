// The Xapian index schema: the contract between the indexer (writes it) and
// the query library (reads it). Prefixes follow omega's conventions where they
// exist. Beside it: stored_article.h (the document data codec), index_terms.h
// (analysed tokens → index terms) and xapian_database.h (opening databases).
#pragma once

#include <sosik/analyzer.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sosik::schema {

// Bump when the layout below changes; databases record it (see metadata keys).
// 3: per-source terms (XF) and file state (kFileStateKeyPrefix); the unprefixed
//    copies of title terms carry no positions; no single-bigram terms.
// 4: no positions at all; syllable trigrams (XG, XGS) replace bigram terms;
//    the article id in a value slot.
// 5: kOrderSlot (date + id), the tie-break that makes results independent of
//    docids, so a set of shards ranks exactly as one database holding them all.
// 6: 초성 keys (kInitialsPrefix, kTitleInitialsPrefix).
// 7: 초성 keys of title words only; body words are found by a walk of the
//    term dictionary (kInitialsPrefix gone; Chosun 10k articles, compacted:
//    84.3 → 71.0 MB, Xapian writer CPU 25.0 → 18.7 s).
// 8: the letter and number runs of ASCII words that have several, as extra
//    surface terms (syntphelper.exe → syntphelper, exe; 5khz → 5, khz).
// 9: document data compressed with zstd (encode_document_data).
// 10: categories and tags also indexed as title words (a tag Toyota finds its post).
inline constexpr std::string_view kSchemaVersion = "10";

inline constexpr std::string_view kSchemaVersionKey = "sosik.schema_version";
inline constexpr std::string_view kAnalyzerVersionKey = "sosik.analyzer_version";
inline constexpr std::string_view kLastUpdateKey = "sosik.last_update";  // ISO 8601 UTC
// One key per indexed source file: kFileStateKeyPrefix + <root term> + ":" +
// <16 hex digits of the file's source key>. The value records what the file
// was when it was last indexed completely and cleanly (size, mtime, content
// hash, article count), so an unchanged re-run never reads it. Written in the
// same commit as the file's documents: a crash can never make them disagree.
inline constexpr std::string_view kFileStateKeyPrefix = "sosik.file.";
// One key per article taken down with `sosik-index --delete`: kDeletedKeyPrefix
// + <16 hex digits of hash of the id> (an id may be longer than a key may be).
// The value is the id, kListSeparator, the source key it was indexed from; the
// indexer leaves such ids out until `--undelete` removes the key. Databases
// without any keep their meaning: no schema change.
inline constexpr std::string_view kDeletedKeyPrefix = "sosik.deleted.";

// Document value slots.
enum ValueSlot : unsigned {
    kDateSlot = 0,         // sortable_serialise(days since 1970-01-01 + fraction of day)
    kContentHashSlot = 1,  // hex fingerprint of the article's source bytes (its file, or its JSONL line),
                           // source key, Jekyll site config and schema/analyzer versions
    kSourceSlot = 2,       // the source key: archive root term + ":" + relative source file
    // Facet slots: values as written, joined by kListSeparator (a match spy
    // reads one value per document, far cheaper than walking its term list).
    kCategoriesSlot = 3,
    kTagsSlot = 4,
    kMonthSlot = 5,  // "2024-09"; the year facet is its first four bytes
    // The article id, so a hit needing nothing else (batch evaluation runs)
    // never loads the document data: inflating it was 80% of a batch run.
    kIdSlot = 6,
    // order_value(): date, then id. Ties in a sort (equal dates, equal scores)
    // are broken by it rather than by docid, which differs between one
    // database and shards (and remote shards cannot run a custom KeyMaker).
    kOrderSlot = 7,
};
inline constexpr char kListSeparator = '\x1f';

// Boolean and identity terms.
inline constexpr std::string_view kIdPrefix = "Q";        // Q<article id>
inline constexpr std::string_view kCategoryPrefix = "XC";  // XC<normalized category>
inline constexpr std::string_view kTagPrefix = "XT";       // XT<normalized tag>
inline constexpr std::string_view kYearPrefix = "Y";       // Y2024
inline constexpr std::string_view kMonthPrefix = "M";      // M202409
inline constexpr std::string_view kDayPrefix = "D";        // D20240902
inline constexpr std::string_view kRootPrefix = "XR";      // XR<hash of archive root>: which run owns it
inline constexpr std::string_view kSourcePrefix = "XF";    // XF<16 hex digits of the source key>: the file it came from
// XS<normalized site name> (filter_value): the site of sosik-index --site, on
// the articles of such runs only, so databases without it stay valid as they are.
inline constexpr std::string_view kSitePrefix = "XS";

// 초성 (initial consonant) keys of title words: per Hangul word and stem of two
// or more syllables, its initials in compatibility jamo (건강도시 → XKSㄱㄱㄷㅅ),
// so ㄱㄱㄷㅅ ranks title matches first. Body words get no key: each initial
// covers one run of syllables (ㄱ: 가–깋), so the words of a key are found in
// the sorted term dictionary itself (query/src/vocabulary.h), at no cost per
// document (body keys were ~200 terms per news article: +21% index size).
inline constexpr std::string_view kTitleInitialsPrefix = "XKS";

// Free-text terms: one prefix per (field, layer). Body terms of the surface
// layer are unprefixed; title terms are also indexed unprefixed with a higher
// wdf, so a plain query ranks title matches higher, and `title:` can search
// the title alone through the S-prefixed copies.
enum class Field { body, title };
std::string_view text_prefix(Field field, Layer layer);

// How much more a title occurrence counts than a body one (wdf multiplier).
// Measured: ×3 → dev questions MRR@10 0.849, own headline→article set 0.989;
// ×1 → 0.853 and 0.983. Headlines are how news is searched; ×2 hedges.
inline constexpr unsigned kTitleWdfBoost = 2;

// Xapian rejects terms longer than 245 bytes; longer ones are skipped.
inline constexpr std::size_t kMaxTermBytes = 240;

// A category or tag as stored in a boolean term and matched by a filter:
// NFKC case-folded, inner whitespace collapsed, trimmed. "ESG 경영" and
// "esg  경영" are the same filter value.
std::string filter_value(std::string_view raw);

// The calendar date and wall-clock time an ISO 8601 date names, as written
// (the UTC offset is ignored: an archive is read in its own time zone, and a
// filter on 2024-09-02 must find an article dated 2024-09-02T08:00+09:00).
struct Date {
    int year = 0, month = 0, day = 0;
    int hour = 0, minute = 0, second = 0;
    // Seconds since 1970-01-01T00:00:00 of the wall-clock time; sorts dates.
    double sort_key() const;
};
// The kOrderSlot value: 16 hex digits of the date's sort key (0 when undated,
// so undated articles sort as oldest), then the article id.
std::string order_value(const std::optional<Date>& date, std::string_view id);

// Accepts YYYY, YYYY-MM, YYYY-MM-DD, and YYYY-MM-DD[T ]HH:MM[:SS][.frac][Z|±HH[:]MM].
// Missing month/day count as 1. Returns nothing for anything else.
std::optional<Date> parse_date(std::string_view iso);

}  // namespace sosik::schema
