// The stored document data: what ranking reads back without parsing it whole.
#include <boost/test/unit_test.hpp>

#include <sosik/schema.h>

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

BOOST_AUTO_TEST_SUITE_END()
