// In-process tests of each stage of a search (query/src): parse, analyse,
// plan, rank, phrase check, snippet window. No process is started; the
// databases are Xapian's in-memory ones, built with the schema's own term
// mapping and stored-article codec, as the indexer builds them.
#define BOOST_TEST_MODULE query_unit
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "analysed_query.h"
#include "highlighter.h"
#include "match.h"
#include "phrase_check.h"
#include "query_parser.h"
#include "query_plan.h"
#include "rank.h"

#include <sosik/error.h>
#include <sosik/index_terms.h>
#include <sosik/korean_variants.h>
#include <sosik/ranking.h>
#include <sosik/stored_article.h>

#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace bdata = boost::unit_test::data;
using namespace sosik;

namespace {

const Analyzer& analyzer() {
    static const Analyzer instance;
    return instance;
}

// The document sosik-index would write for a title and text (terms and stored article).
Xapian::Document article(const std::string& id, const std::string& title, const std::string& text) {
    struct DocumentTerms : schema::TermSink {
        Xapian::Document& doc;
        explicit DocumentTerms(Xapian::Document& d) : doc(d) {}
        void add(const std::string& term, unsigned wdf) override { doc.add_term(term, wdf); }
    };
    Xapian::Document doc;
    DocumentTerms terms(doc);
    Analyzer::Positions next;
    const auto title_tokens = analyzer().analyze(title, next);
    next.word += analyzer().options().position_gap;
    next.bigram += analyzer().options().position_gap;
    schema::add_field_terms(terms, title_tokens, schema::Field::title);
    schema::add_field_terms(terms, analyzer().analyze(text, next), schema::Field::body);
    doc.add_boolean_term("Q" + id);
    doc.add_value(schema::kIdSlot, id);
    doc.add_value(schema::kOrderSlot, schema::order_value(std::nullopt, id));
    schema::StoredArticle stored;
    stored.id = id;
    stored.title = title;
    stored.text = text;
    doc.set_data(schema::encode_stored_article(stored));
    return doc;
}

Xapian::WritableDatabase database(const std::vector<std::array<std::string, 3>>& articles) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (const auto& [id, title, text] : articles) db.add_document(article(id, title, text));
    db.commit();
    return db;
}

AnalysedQuery analysed(const std::string& query, const Xapian::Database& db, bool spacing = false) {
    const Vocabulary vocabulary(db);
    return analyse_query(parse_query(query), analyzer(), vocabulary, {spacing});
}

}  // namespace

// ---- stage 1: the parser ------------------------------------------------------------

struct ParseCase {
    std::string typed, understood;
};
std::ostream& operator<<(std::ostream& out, const ParseCase& c) { return out << c.typed; }

BOOST_DATA_TEST_CASE(the_parser_understands_the_query_language,
                     bdata::make(std::vector<ParseCase>{
                         {"서울시 협약", "서울시 협약"},
                         {"\"서울시 협약\" -폐지", "\"서울시 협약\" -폐지"},
                         {"서울 OR 부산", "서울 OR 부산"},
                         {"title:건강도시 category:건강", "title:건강도시 category:건강"},
                         {"협약 site:example.com/blog", "협약 site:example.com/blog"},
                         {"date:2024-05", "date:2024-05"},
                         {"date:2024-01..2024-06", "date:2024-01..2024-06"},
                         {"((서울", "서울"},
                         {"-13도", "-13도"},
                     }),
                     c) {
    BOOST_TEST(describe(parse_query(c.typed)) == c.understood);
}

// A filter typed but not readable is refused in the words of the option that
// takes it (--since 2017-13), not searched as words; other colons stay words.
BOOST_DATA_TEST_CASE(unreadable_fields_are_named,
                     bdata::make(std::vector<ParseCase>{
                         {"date:2017-13", "date: '2017-13' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"},
                         {"서울 date:someday", "date: 'someday' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"},
                         {"date:2024-01..2024-14", "date: '2024-14' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"},
                         {"date:x..2024", "date: 'x' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"},
                         {"date:..", "date: '..' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"},
                         {"title:", "'title:' needs a word after it (title:협약 or title:\"협약 체결\")"},
                         {"서울 category:", "'category:' needs a value after it (category:건강)"},
                         {"tag:\"\"", "'tag:' needs a value after it (tag:ESG)"},
                         {"site:", "'site:' needs a value after it (site:blog-a)"},
                         {"date:2024-05 title:협약 tag:\"ESG 경영\"", ""},
                         {"unknown:반도체 10:30 반도체 :", ""},
                     }),
                     c) {
    BOOST_TEST(query_problem(c.typed) == c.understood);
}

// ---- stage 2: the analysed query --------------------------------------------------

BOOST_AUTO_TEST_CASE(each_word_is_analysed_once_into_its_forms_and_variants) {
    const auto db = database({{"a", "뉴욕 날씨", "칩 칩 칩 설계. 건강도시연맹 회의."}});
    const AnalysedQuery query = analysed("뉴욕시 칩의 무엇 의미 ㄱㄱㄷㅅ 건강도시를", db);
    const auto& words = query.tree.children;
    BOOST_REQUIRE_EQUAL(words.size(), 6u);
    BOOST_TEST(words[0].word.shorter_forms == std::vector<std::string>{"뉴욕"});  // bound noun 시
    BOOST_TEST(words[1].word.shorter_forms == std::vector<std::string>{"칩"});    // the archive holds 칩 more than 칩의
    BOOST_TEST(words[2].word.filler);
    BOOST_TEST(words[3].word.framing);
    BOOST_TEST(words[4].word.initials.has_value());
    BOOST_TEST(words[4].word.initials->key == "ㄱㄱㄷㅅ");
    const korean::WordForms* form = words[5].word.single_form();
    BOOST_REQUIRE(form);
    BOOST_TEST(form->surface == "건강도시를");
    BOOST_TEST(form->stem == "건강도시");
    BOOST_TEST(words[5].word.compound_bigrams == (std::vector<std::string>{"건강", "강도", "도시"}));
}

BOOST_AUTO_TEST_CASE(an_archive_without_the_noun_keeps_the_word_whole) {
    const auto db = database({{"a", "회의", "국제회의 회의 회의"}});
    const AnalysedQuery query = analysed("회의", db);
    BOOST_TEST(query.tree.children.empty());  // one word: the root is the word itself
    BOOST_TEST(query.tree.word.shorter_forms.empty());
}

BOOST_AUTO_TEST_CASE(spacing_joins_neighbours_only_when_asked) {
    const auto db = database({{"a", "제목", "건강도시"}});
    BOOST_TEST(!analysed("건강 도시", db).tree.children[0].joined_with_next);
    const AnalysedQuery spaced = analysed("건강 도시", db, true);
    BOOST_REQUIRE(spaced.tree.children[0].joined_with_next);
    BOOST_TEST(spaced.tree.children[0].joined_with_next->single_form()->surface == "건강도시");
}

struct VariantCase {
    std::string word, before_bound_noun;
};
std::ostream& operator<<(std::ostream& out, const VariantCase& c) { return out << c.word; }

BOOST_DATA_TEST_CASE(bound_nouns_are_split_off_place_names,
                     bdata::make(std::vector<VariantCase>{
                         {"뉴욕시", "뉴욕"}, {"환경부", "환경"}, {"교육청", "교육"}, {"서울", ""}, {"에너지원", ""}, {"시", ""}}),
                     c) {
    BOOST_TEST(korean::part_before_bound_noun(c.word) == c.before_bound_noun);
}

BOOST_AUTO_TEST_CASE(particle_forms_follow_the_final_sound) {
    const auto forms = korean::with_particles("굴");
    BOOST_TEST((std::find(forms.begin(), forms.end(), "굴이") != forms.end()));
    BOOST_TEST((std::find(forms.begin(), forms.end(), "굴로") != forms.end()));
    BOOST_TEST((std::find(forms.begin(), forms.end(), "굴가") == forms.end()));
    const auto rice = korean::with_particles("밥");
    BOOST_TEST((std::find(rice.begin(), rice.end(), "밥으로") != rice.end()));
    BOOST_TEST(korean::with_particles("서울").empty());
}

BOOST_AUTO_TEST_CASE(a_headline_locative_is_decided_by_the_archive) {
    const std::map<std::string, std::size_t> counts = {{"항소심에서", 355}, {"항소심서", 5}, {"경찰에서", 127}, {"경찰서", 125}};
    const korean::WordCount count = [&](const std::string& w) {
        const auto it = counts.find(w);
        return it == counts.end() ? std::size_t{0} : it->second;
    };
    BOOST_TEST(korean::before_contracted_locative({"항소심서", ""}, count) == "항소심");
    BOOST_TEST(korean::before_contracted_locative({"경찰서", ""}, count) == "");
}

// ---- stage 3: the plan ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(the_plan_looks_words_up_by_every_indexed_form) {
    const auto db = database({{"a", "제목", "서울시가 협약을 맺었다"}});
    const AnalysedQuery query = analysed("서울시가", db);
    const BuiltQuery built = build_pass(query, {}, RankingParams{});
    const std::string description = built.query.get_description();
    for (const char* term : {"서울시가", "Z서울시가", "서울시", "Z서울시", "XG서울시"})
        BOOST_TEST_CONTEXT(term) { BOOST_TEST(description.find(term) != std::string::npos); }
    BOOST_TEST(built.positive_words == 1u);
    BOOST_REQUIRE_EQUAL(built.targets.size(), 1u);
    // 서울 too: the place before the bound noun 시, as nori would split it.
    BOOST_TEST(built.targets[0].forms == (std::vector<std::string>{"서울시가", "서울시", "서울"}));
}

BOOST_AUTO_TEST_CASE(the_passes_go_from_all_words_to_any_word_to_question_words) {
    const auto db = database({{"a", "제목", "서울 협약"}});
    const AnalysedQuery query = analysed("서울 부산 무엇", db);
    const RankingParams ranking;
    QueryPlan plan(query, ranking);
    BOOST_TEST(plan.first_pass());
    BOOST_TEST(plan.current().dropped_fillers);
    BOOST_TEST(plan.current().positive_words == 2u);
    // Enough articles with every word: the first pass is the answer.
    BOOST_TEST(!QueryPlan(query, ranking).advance({1000, 1000}));
    // Too few: any word, then (nothing at all) the question word too.
    BOOST_TEST(plan.advance({0, 0}));
    BOOST_TEST(plan.current().query.get_description().find(" OR ") != std::string::npos);
    BOOST_TEST(plan.advance({0, 0}));
    BOOST_TEST(plan.current().query.get_description().find("무엇") != std::string::npos);
    BOOST_TEST(!plan.advance({0, 0}));
}

// ---- stages 4–5: match and rank ------------------------------------------------------

BOOST_AUTO_TEST_CASE(words_side_by_side_rank_first) {
    // Both articles hold both words once, and are equally long: BM25 ties,
    // and the re-rank puts the one with the words together first.
    const auto db = database({
        {"apart", "소식", "식민지 역사를 다룬 책이다. 여러 사람이 모였다. 총독 이야기는 없다."},
        {"together", "소식", "식민지 총독 역사를 다룬 책이다. 여러 사람이 모였다. 이야기는 없다."},
    });
    const AnalysedQuery query = analysed("식민지 총독", db);
    const RankingParams ranking;
    QueryPlan plan(query, ranking);
    SearchRequest request;
    request.query = "식민지 총독";
    const Matched matched = match({db, false, analyzer(), ranking}, plan, request);
    HitValueCache values;
    const auto ranked = rank_hits(matched.mset, plan.current().targets, ranking, {10, true, true}, values);
    BOOST_REQUIRE_EQUAL(ranked.size(), 2u);
    BOOST_TEST(values.id(ranked[0].it) == "together");
    BOOST_TEST(ranked[0].score > ranked[1].score);
    RankingParams no_rerank;
    no_rerank.proximity_depth = 0;
    const auto plain = rank_hits(matched.mset, plan.current().targets, no_rerank, {10, true, true}, values);
    BOOST_TEST(plain[0].score == plain[1].score);  // the tie the re-rank broke
}

BOOST_AUTO_TEST_CASE(ranking_files_override_the_built_in_values_and_refuse_unknown_keys) {
    const std::string path = (std::filesystem::temp_directory_path() / "sosik-ranking-test.txt").string();
    std::ofstream(path) << "# a sweep\nlead_weight = 0.3\nproximity_depth=30\n";
    const RankingParams params = load_ranking_params(path);
    BOOST_TEST(params.lead_weight == 0.3);
    BOOST_TEST(params.proximity_depth == 30u);
    BOOST_TEST(params.bm25_k1 == RankingParams{}.bm25_k1);
    BOOST_TEST(params.source == path);
    for (const char* bad : {"lead = 0.3\n", "lead_weight = x\n", "lead_weight 0.3\n", "proximity_depth = -1\n"}) {
        std::ofstream(path) << bad;
        BOOST_CHECK_THROW(load_ranking_params(path), InvalidInput);
    }
    std::filesystem::remove(path);
}

// ---- the phrase check and the snippet window ---------------------------------------

struct PhraseCase {
    std::string phrase, title, text;
    bool accepted;
};
std::ostream& operator<<(std::ostream& out, const PhraseCase& c) { return out << c.phrase << " / " << c.text; }

BOOST_DATA_TEST_CASE(phrases_need_their_words_adjacent_and_in_order,
                     bdata::make(std::vector<PhraseCase>{
                         {"서울시 협약", "", "서울시가 협약을 맺었다", true},
                         {"서울시 협약", "", "협약을 서울시가 맺었다", false},
                         {"서울시 협약", "", "서울시가 어제 협약을 맺었다", false},
                         {"서울시 협약", "서울시 협약 체결", "본문", true},
                     }),
                     c) {
    const auto db = database({{"a", "제목", "본문"}});
    const AnalysedQuery query = analysed("\"" + c.phrase + "\"", db);
    const BuiltQuery built = build_pass(query, {}, RankingParams{});
    BOOST_REQUIRE_EQUAL(built.phrases.size(), 1u);
    const PhraseDecider decider(analyzer(), built.phrases);
    BOOST_TEST(decider.accepts(c.title, c.text) == c.accepted);
}

BOOST_AUTO_TEST_CASE(the_snippet_is_the_window_with_the_most_query_words) {
    const auto db = database({{"a", "제목", "본문"}});
    const AnalysedQuery query = analysed("건강도시 협약", db);
    const BuiltQuery built = build_pass(query, {}, RankingParams{});
    const Highlighter highlighter(analyzer(), built.targets);
    std::string text;
    for (int i = 0; i < 30; ++i) text += "관련 없는 문장이 길게 이어진다. ";
    text += "서울시는 건강도시연맹과 협약을 맺었다. ";
    for (int i = 0; i < 30; ++i) text += "다른 이야기가 이어진다. ";
    const Highlighted snippet = highlighter.best_window(text);
    BOOST_TEST(snippet.text.find("협약을") != std::string::npos);
    BOOST_REQUIRE_EQUAL(snippet.marks.size(), 2u);
    BOOST_TEST(snippet.text.substr(snippet.marks[1].first, snippet.marks[1].second - snippet.marks[1].first) == "협약을");
}

// ---- spacing from the archive's vocabulary ------------------------------------------

namespace {

std::vector<std::string> surfaces(const std::vector<AnalysedWord>& parts) {
    std::vector<std::string> out;
    for (const AnalysedWord& part : parts) out.push_back(part.single_form() ? part.single_form()->surface : "?");
    return out;
}

std::vector<std::string> found_ids(const Xapian::Database& db, const std::string& typed, bool spacing = true) {
    QueryNode root = parse_query(typed);
    if (root.kind != QueryNode::Kind::all_of) {  // as the searcher has it
        QueryNode all;
        all.children.push_back(std::move(root));
        root = std::move(all);
    }
    const Vocabulary vocabulary(db);
    const AnalysedQuery query = analyse_query(std::move(root), analyzer(), vocabulary, {spacing});
    const RankingParams ranking;
    QueryPlan plan(query, ranking);
    SearchRequest request;
    request.query = typed;
    const Matched matched = match({db, false, analyzer(), ranking}, plan, request);
    std::vector<std::string> ids;
    for (auto it = matched.mset.begin(); it != matched.mset.end(); ++it)
        ids.push_back(it.get_document().get_value(schema::kIdSlot));
    return ids;  // best first
}

Xapian::WritableDatabase spacing_archive() {
    return database({
        {"claim", "소송", "피해자들은 회사를 상대로 손해배상 청구 소송을 냈다. 손해배상 책임이 있다."},
        {"claims", "청구", "보험금 청구 절차가 바뀌었다. 청구 서류를 낸다."},
        {"damages", "배상", "손해배상 판결이 나왔다."},
        {"stocks", "주가조작", "검찰은 주가조작 혐의로 기소했다."},
        {"prices", "주가", "주가 상승과 조작 의혹은 무관하다."},
    });
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_word_the_archive_lacks_is_cut_into_words_it_holds) {
    const auto db = spacing_archive();
    const AnalysedQuery query = analysed("손해배상청구", db, true);
    BOOST_TEST(surfaces(query.tree.word.split_parts) == (std::vector<std::string>{"손해배상", "청구"}));
    BOOST_TEST(analysed("손해배상청구", db, false).tree.word.split_parts.empty());  // --spacing off
    // Held words the archive writes whole stay whole.
    BOOST_TEST(analysed("주가조작", db, true).tree.word.split_parts.empty());
}

BOOST_AUTO_TEST_CASE(spacing_finds_what_the_archive_spaces_otherwise) {
    const auto db = spacing_archive();
    // The article with both parts first; those with one part after it.
    const auto claim = found_ids(db, "손해배상청구");
    BOOST_TEST(claim.size() == 3u);
    BOOST_TEST(claim.front() == "claim");
    BOOST_TEST(found_ids(db, "손해배상청구", false).empty());
    // 주가 조작 also finds 주가조작 (and the article holding both words apart).
    auto stocks = found_ids(db, "주가 조작");
    std::sort(stocks.begin(), stocks.end());
    BOOST_TEST(stocks == (std::vector<std::string>{"prices", "stocks"}));
    BOOST_TEST(found_ids(db, "주가 조작", false) == (std::vector<std::string>{"prices"}));
}

BOOST_AUTO_TEST_CASE(explain_names_what_spacing_added) {
    const auto db = spacing_archive();
    QueryNode root;
    root.children.push_back(parse_query("손해배상청구"));
    root.children.push_back(parse_query("주가"));
    root.children.push_back(parse_query("조작"));
    const Vocabulary vocabulary(db);
    const AnalysedQuery query = analyse_query(std::move(root), analyzer(), vocabulary, {true});
    BOOST_TEST(describe_spacing(query) == "손해배상청구 → 손해배상 + 청구; 주가 조작 → 주가조작");
}
