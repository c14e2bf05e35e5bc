// The token → terms mapping lives in the schema library and is shared by the
// indexer and the query side. Moving or changing it must not change what an
// existing database holds, or every database would silently need a rebuild:
// the sample archive's terms are compared, document by document, with what
// the indexer wrote when the mapping moved (schema 9, analyzer 7), with the
// category and tag words schema 10 added. A deliberate change of the terms
// bumps the schema version and regenerates the fixture.
#define BOOST_TEST_MODULE schema
#include <boost/test/unit_test.hpp>

#include "../support/test_support.h"

#include <sosik/index_terms.h>

#include <xapian.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

namespace {

using sosik::test::run;
using sosik::test::TempDir;

// Per article id: "<term count> <FNV-1a of every "term\twdf\n" in term order>",
// leaving out the archive-root and source-file terms (they hash the path).
std::map<std::string, std::string> term_fingerprints(const std::string& database) {
    Xapian::Database db(database);
    std::map<std::string, std::string> out;
    for (auto doc = db.postlist_begin(""); doc != db.postlist_end(""); ++doc) {
        std::uint64_t hash = 1469598103934665603ull;
        unsigned terms = 0;
        std::string id;
        for (auto t = db.termlist_begin(*doc); t != db.termlist_end(*doc); ++t) {
            const std::string term = *t;
            if (term.rfind("XR", 0) == 0 || term.rfind("XF", 0) == 0) continue;
            if (term[0] == 'Q') id = term.substr(1);
            for (const unsigned char c : term + '\t' + std::to_string(t.get_wdf()) + '\n') {
                hash ^= c;
                hash *= 1099511628211ull;
            }
            ++terms;
        }
        char line[64];
        std::snprintf(line, sizeof line, "%u %016llx", terms, static_cast<unsigned long long>(hash));
        out[id] = line;
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(index_terms)

BOOST_AUTO_TEST_CASE(the_sample_archive_gets_exactly_the_terms_it_got_before) {
    std::map<std::string, std::string> expected;
    std::ifstream fixture(std::string(SOSIK_FIXTURES_DIR) + "/schema/data_terms.txt");
    for (std::string line; std::getline(fixture, line);) {
        const std::size_t space = line.find(' ');
        expected[line.substr(0, space)] = line.substr(space + 1);
    }
    BOOST_REQUIRE_EQUAL(expected.size(), 35u);
    TempDir dir;
    const auto indexed = run({SOSIK_INDEX_EXE, "--quiet", "--db", (dir / "db").string(),
                              (sosik::test::source_dir() / "data").string()});
    BOOST_REQUIRE_EQUAL(indexed.exit_code, 0);
    const auto actual = term_fingerprints((dir / "db").string());
    BOOST_TEST(actual.size() == expected.size());
    for (const auto& [id, fingerprint] : expected) {
        const auto it = actual.find(id);
        BOOST_TEST_CONTEXT(id) { BOOST_TEST((it == actual.end() ? "missing" : it->second) == fingerprint); }
    }
}

// The query side names terms through the same function the indexer uses.
BOOST_AUTO_TEST_CASE(terms_carry_their_field_and_layer_prefix) {
    using sosik::Layer;
    using sosik::schema::Field;
    using sosik::schema::index_term;
    BOOST_TEST(index_term(Field::body, Layer::surface, "서울시가") == "서울시가");
    BOOST_TEST(index_term(Field::body, Layer::stem, "서울시") == "Z서울시");
    BOOST_TEST(index_term(Field::title, Layer::stem, "서울시") == "ZS서울시");
    BOOST_TEST(index_term(Field::title, Layer::surface, "서울") == "S서울");
    BOOST_TEST(index_term(Field::body, Layer::bigram, "건강도") == "XG건강도");
}

// Terms as a document receives them: a title word also counts, boosted, as a body word.
BOOST_AUTO_TEST_CASE(a_title_word_is_also_a_boosted_body_word) {
    struct Collected : sosik::schema::TermSink {
        std::vector<std::pair<std::string, unsigned>> terms;
        void add(const std::string& term, unsigned wdf) override { terms.emplace_back(term, wdf); }
    } sink;
    const sosik::Token word{"서울", sosik::Layer::surface, 0, 0, 6};
    sosik::schema::add_field_terms(sink, {word}, sosik::schema::Field::title);
    BOOST_REQUIRE_EQUAL(sink.terms.size(), 2u);
    BOOST_TEST(sink.terms[0].first == "S서울");
    BOOST_TEST(sink.terms[1].first == "서울");
    BOOST_TEST(sink.terms[1].second == sosik::schema::kTitleWdfBoost);
}

// What sosik-analyze and GET /api/analyze show is what the indexer writes:
// the terms (with wdf) of an article indexed for real equal the shown terms
// of its title and body, term for term; each names its layer.
BOOST_AUTO_TEST_CASE(shown_terms_are_exactly_the_indexed_terms) {
    const std::string title = "서울시가 건강도시 총회를 열었다";
    const std::string body = "건강도시연맹에서 COVID-19 대응을 논의했다. 5khz 漢字 lx300usb 서울시가 또";
    TempDir dir;
    sosik::test::write_file(dir / "one.jsonl",
                            R"({"id": "a1", "title": ")" + title + R"(", "body": ")" + body + "\"}\n");
    const auto indexed = run({SOSIK_INDEX_EXE, "--quiet", "--db", (dir / "db").string(), (dir / "one.jsonl").string()});
    BOOST_REQUIRE_EQUAL(indexed.exit_code, 0);

    std::map<std::string, unsigned> written;
    Xapian::Database db((dir / "db").string());
    BOOST_REQUIRE_EQUAL(db.get_doccount(), 1u);
    for (auto t = db.termlist_begin(1); t != db.termlist_end(1); ++t) {
        const std::string term = *t;
        if (term.starts_with("Q") || term.starts_with("XR") || term.starts_with("XF")) continue;  // boolean terms
        written[term] = t.get_wdf();
    }

    const sosik::Analyzer analyzer;
    std::map<std::string, unsigned> shown;
    std::map<std::string, std::string> layers;
    for (const auto& [text, field] : {std::pair{title, sosik::schema::Field::title}, {body, sosik::schema::Field::body}})
        for (const sosik::schema::ShownTerm& t : sosik::schema::shown_terms(analyzer, text, field)) {
            shown[t.term] += t.wdf;
            layers[t.term] = t.layer;
            BOOST_TEST(t.end <= text.size());
            BOOST_TEST(t.begin < t.end);
        }
    for (const auto& [term, wdf] : written)
        BOOST_TEST_CONTEXT("indexed " << term) { BOOST_TEST(shown[term] == wdf); }
    for (const auto& [term, wdf] : shown)
        BOOST_TEST_CONTEXT("shown " << term) { BOOST_TEST(written.count(term) == 1u); }
    BOOST_TEST(layers["Z서울시"] == "stem");
    BOOST_TEST(layers["ZS서울시"] == "title stem");
    BOOST_TEST(layers["XG도시연"] == "compound");
    BOOST_TEST(layers["XGS건강도"] == "title compound");
    BOOST_TEST(layers["XKSㄱㄱㄷㅅ"] == "title initials");
    BOOST_TEST(layers["usb"] == "surface");
}

BOOST_AUTO_TEST_SUITE_END()
