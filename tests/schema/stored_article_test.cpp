// The stored-article codec: what the indexer writes comes back, whole or in the parts ranking reads.
#include <boost/test/unit_test.hpp>

#include <sosik/error.h>
#include <sosik/stored_article.h>

#include <nlohmann/json.hpp>

BOOST_AUTO_TEST_SUITE(stored_data)

// Whatever a title holds (quotes, backslashes, a fake key, escapes), the field
// read alone is the field the whole JSON holds.
BOOST_AUTO_TEST_CASE(one_field_is_read_as_the_whole_json_reads_it) {
    const std::vector<std::string> titles = {
        "서울시 \"건강도시\" 선언", "a\\\\", "\\", "\"title\":\"fake\"", "탭\t줄\n끝", "\u001f", "", "😀 이모지",
    };
    for (const std::string& title : titles) {
        const nlohmann::json data = {{"excerpt", "\"title\":\"not this\""}, {"id", "x\\\"title\\\":\\\""},
                                     {"title", title}, {"url", "/a"}};
        const std::string stored = data.dump() + "\n본문";
        const sosik::schema::StoredData parts = sosik::schema::split_document_data(stored);
        BOOST_TEST(sosik::schema::stored_string_field(parts.json, "title") == title);
        BOOST_TEST(sosik::schema::stored_string_field(parts.json, "url") == "/a");
    }
    BOOST_TEST(sosik::schema::stored_string_field(R"({"id":"x"})", "title").empty());
    BOOST_TEST(sosik::schema::stored_string_field(R"({"title":"unterminated)", "title").empty());
}

// What the indexer stores comes back byte for byte, from empty to a large page.
BOOST_AUTO_TEST_CASE(document_data_comes_back_as_stored) {
    std::string large = "{\"id\":\"big\"}\n";
    for (int i = 0; large.size() < 3'000'000; ++i) large += "서울시 건강도시 " + std::to_string(i) + ' ';
    for (const std::string& data : {std::string(), std::string("{\"id\":\"a\"}\n본문 😀"), large}) {
        const std::string stored = sosik::schema::encode_document_data(data);
        BOOST_TEST(sosik::schema::decode_document_data(stored) == data);
    }
    BOOST_TEST(sosik::schema::encode_document_data(large).size() < large.size() / 2);
}

// Damaged or foreign data (an older schema's plain JSON, a cut frame) is a
// clear error that says what to do, never a crash or garbage.
BOOST_AUTO_TEST_CASE(damaged_document_data_is_a_clear_error) {
    const std::string stored = sosik::schema::encode_document_data("{\"id\":\"a\"}\n본문");
    for (const std::string& bad : {std::string("{\"id\":\"a\"}\n본문"), stored.substr(0, stored.size() - 3),
                                   std::string(), std::string("\x28\xb5\x2f\xfd")}) {
        BOOST_CHECK_EXCEPTION(sosik::schema::decode_document_data(bad), sosik::IndexError,
                              [](const sosik::IndexError& e) {
                                  return std::string(e.what()).find("rebuild the database") != std::string::npos;
                              });
    }
}

BOOST_AUTO_TEST_SUITE_END()
