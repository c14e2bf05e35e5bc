// Jekyll posts: front matter, body conversion, URLs, and the sites in this repository.
#include <sosik/error.h>
#include <sosik/sources.h>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using Strings = std::vector<std::string>;

namespace {

const fs::path kFixtures = fs::path(SOSIK_FIXTURES_DIR) / "sources";

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

sosik::Article read_post(const std::string& file_name, const std::string& content, const sosik::JekyllSite& site = {}) {
    return sosik::read_jekyll_post(fs::path("/archive/_posts") / file_name, content, site);
}

// The message of the InvalidInput `action` throws ("" if it throws nothing).
template <typename Action>
std::string invalid_input_message(Action&& action) {
    try {
        action();
    } catch (const sosik::InvalidInput& error) {
        return error.what();
    }
    return {};
}

// A fresh folder, removed with the object.
class TempDir {
public:
    TempDir() {
        std::random_device random;
        path_ = fs::temp_directory_path() / ("sosik-jekyll-test-" + std::to_string(random()));
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }
    fs::path write(const fs::path& relative, const std::string& content) const {
        const fs::path file = path_ / relative;
        fs::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << content;
        return file;
    }

private:
    fs::path path_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(jekyll)

// ---- front matter ----------------------------------------------------------------

struct FenceCase {
    const char* content;
    bool expected;
};
std::ostream& operator<<(std::ostream& out, const FenceCase& c) { return out << '"' << c.content << '"'; }

BOOST_DATA_TEST_CASE(has_front_matter_cases,
                     boost::unit_test::data::make({
                         FenceCase{"---\ntitle: x\n---\n", true},
                         FenceCase{"---\r\ntitle: x\r\n---\r\n", true},
                         FenceCase{"\xEF\xBB\xBF---\ntitle: x\n---\n", true},
                         FenceCase{"---  \n---\n", true},
                         FenceCase{"----\n", false},
                         FenceCase{"---", false},
                         FenceCase{" ---\n", false},
                         FenceCase{"text\n---\n", false},
                         FenceCase{"", false},
                     }),
                     sample) {
    BOOST_TEST(sosik::has_front_matter(sample.content) == sample.expected);
}

BOOST_AUTO_TEST_CASE(fields_from_front_matter) {
    const sosik::Article post = read_post("2024-09-02-health-city.md", R"(---
id: post-42
title: 건강도시연맹 총회
categories:
  - 건강
  - 서울 시정
tags: [MOU, ESG]
description: 설명은 excerpt가 없을 때 쓴다
image: /assets/img/a.jpg
---
본문
)");
    BOOST_TEST(post.id == "post-42");
    BOOST_TEST(post.title == "건강도시연맹 총회");
    BOOST_TEST(post.categories == (Strings{"건강", "서울 시정"}), boost::test_tools::per_element());
    BOOST_TEST(post.tags == (Strings{"MOU", "ESG"}), boost::test_tools::per_element());
    BOOST_TEST(post.date == "2024-09-02");
    BOOST_TEST(post.excerpt == "설명은 excerpt가 없을 때 쓴다");
    BOOST_TEST(post.image == "/assets/img/a.jpg");
    BOOST_TEST(post.text == "본문");
    BOOST_TEST(post.source == "/archive/_posts/2024-09-02-health-city.md");
}

BOOST_AUTO_TEST_CASE(categories_and_tags_as_text) {
    // Jekyll: text under the plural key is a space-separated list, under the singular key one value.
    const sosik::Article plural =
        read_post("2024-01-01-a.md", "---\ncategories: 건강 서울\ntags: Kanban 애자일 프로젝트\n---\n");
    BOOST_TEST(plural.categories == (Strings{"건강", "서울"}), boost::test_tools::per_element());
    BOOST_TEST(plural.tags == (Strings{"Kanban", "애자일", "프로젝트"}), boost::test_tools::per_element());

    const sosik::Article singular =
        read_post("2024-01-01-b.md", "---\ncategory: Natural Language Processing\ntag: word2vec\n---\n");
    BOOST_TEST(singular.categories == (Strings{"Natural Language Processing"}), boost::test_tools::per_element());
    BOOST_TEST(singular.tags == (Strings{"word2vec"}), boost::test_tools::per_element());

    const sosik::Article flow =
        read_post("2024-01-01-c.md", "---\ncategories: [\"productivity\"]\ntags: [2017, [a, b], a]\n---\n");
    BOOST_TEST(flow.categories == (Strings{"productivity"}), boost::test_tools::per_element());
    BOOST_TEST(flow.tags == (Strings{"2017", "a", "b"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(defaults_from_the_file_name) {
    const sosik::Article post = read_post("2017-3-7-start-my-blog.md", "---\nlayout: post\n---\n시작");
    BOOST_TEST(post.title == "Start My Blog");
    BOOST_TEST(post.date == "2017-03-07");
    BOOST_TEST(post.id.empty());
    BOOST_TEST(post.categories.empty());
    BOOST_TEST(post.url == "/2017/03/07/start-my-blog.html");

    const sosik::Article undated = read_post("about.md", "---\n---\n소개");
    BOOST_TEST(undated.date.empty());
    BOOST_TEST(undated.title == "About");
    BOOST_TEST(undated.url == "/about.html");
}

struct DateCase {
    const char* front_matter_date;
    const char* normalized;
};
std::ostream& operator<<(std::ostream& out, const DateCase& c) { return out << c.front_matter_date; }

BOOST_DATA_TEST_CASE(front_matter_date_formats,
                     boost::unit_test::data::make({
                         DateCase{"2024-09-02", "2024-09-02"},
                         DateCase{"2024-09-02 10:00:00 +0900", "2024-09-02T10:00:00+09:00"},
                         DateCase{"2024-09-02T10:00:00+09:00", "2024-09-02T10:00:00+09:00"},
                         DateCase{"2015-08-11 04:14:32+09:00", "2015-08-11T04:14:32+09:00"},
                         DateCase{"2016-03-22 12:12 +09:00", "2016-03-22T12:12:00+09:00"},
                         DateCase{"2009-08-23T02:37:00+0900", "2009-08-23T02:37:00+09:00"},
                         DateCase{"Thu, 21 Jan 2016 01:35:31 +0900", "2016-01-21T01:35:31+09:00"},
                         DateCase{"2024-09-02T01:00:00Z", "2024-09-02T01:00:00+00:00"},
                         DateCase{"2024-09-02T10:00:00.123-05:30", "2024-09-02T10:00:00-05:30"},
                         DateCase{"2024-09-02 10:00:00", "2024-09-02T10:00:00"},
                         DateCase{"2024-02-29 09:00 KST", "2024-02-29T09:00:00+09:00"},
                         DateCase{"'2024/9/2'", "2024-09-02"},
                     }),
                     sample) {
    const sosik::Article post =
        read_post("2000-01-01-x.md", std::string("---\ndate: ") + sample.front_matter_date + "\n---\n");
    BOOST_TEST(post.date == sample.normalized);
}

BOOST_DATA_TEST_CASE(invalid_dates_are_errors,
                     boost::unit_test::data::make({"2023-02-29", "어제", "2024-13-01", "2024-09-02 25:00"}), date) {
    const std::string message =
        invalid_input_message([&] { read_post("2000-01-01-x.md", std::string("---\ndate: ") + date + "\n---\n"); });
    BOOST_TEST(message.find("front matter: `date` is not a date") == 0, message);
}

BOOST_AUTO_TEST_CASE(missing_closing_fence) {
    const std::string message = invalid_input_message([] { read_post("x.md", "---\ntitle: 끝이 없다\n본문\n"); });
    BOOST_TEST(message.find("front matter: no closing `---`") == 0, message);
}

BOOST_AUTO_TEST_CASE(yaml_syntax_error_names_the_line) {
    const std::string message =
        invalid_input_message([] { read_post("x.md", "---\ntitle: 좋음\ntags: [a, b\nimage: x\n---\n"); });
    BOOST_TEST(message.find("front matter: YAML error on line ") == 0, message);
}

BOOST_AUTO_TEST_CASE(front_matter_that_is_not_a_map) {
    const std::string message = invalid_input_message([] { read_post("x.md", "---\n- a\n- b\n---\n"); });
    BOOST_TEST(message == "front matter: expected `key: value` lines, found a list");
    const std::string title = invalid_input_message([] { read_post("x.md", "---\ntitle: [a, b]\n---\n"); });
    BOOST_TEST(title == "front matter: `title` must be text, not a list");
}

BOOST_AUTO_TEST_CASE(bom_and_crlf) {
    const sosik::Article post =
        read_post("2024-01-05-crlf.md",
                  "\xEF\xBB\xBF---\r\ntitle: 윈도우에서 쓴 글\r\ntags: a b\r\n---\r\n첫 줄\r\n\r\n둘째 문단\r\n");
    BOOST_TEST(post.title == "윈도우에서 쓴 글");
    BOOST_TEST(post.tags == (Strings{"a", "b"}), boost::test_tools::per_element());
    BOOST_TEST(post.text == "첫 줄\n둘째 문단");
}

BOOST_AUTO_TEST_CASE(excerpt_fallbacks_and_image_maps) {
    const sosik::Article feature =
        read_post("x.md", "---\nfeature_text: >\n  접힌\n  요약\nimage:\n  feature: f.jpg\n---\n");
    BOOST_TEST(feature.excerpt == "접힌 요약");
    BOOST_TEST(feature.image == "f.jpg");
    const sosik::Article first = read_post("x.md", "---\nexcerpt: 첫째\ndescription: 둘째\n---\n");
    BOOST_TEST(first.excerpt == "첫째");
    BOOST_TEST(first.image.empty());
}

BOOST_AUTO_TEST_CASE(alias_bombs_stay_cheap) {
    // "Billion laughs": 10^9 strings if expanded.
    std::string yaml = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (char level = 'b'; level <= 'i'; ++level) {
        yaml += std::string(1, level) + ": &" + level + " [";
        for (int i = 0; i < 10; ++i) yaml += std::string(i ? ", " : "") + "*" + static_cast<char>(level - 1);
        yaml += "]\n";
    }
    const auto start = std::chrono::steady_clock::now();
    const sosik::Article harmless = read_post("x.md", "---\n" + yaml + "title: 웃음\n---\n");
    BOOST_TEST(harmless.title == "웃음");
    const std::string message = invalid_input_message([&] { read_post("x.md", "---\n" + yaml + "tags: *i\n---\n"); });
    BOOST_TEST(message.find("front matter: `tags` has more than") == 0, message);
    BOOST_TEST(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 5.0);
}

BOOST_AUTO_TEST_CASE(deeply_nested_yaml_is_an_error_not_a_crash) {
    const std::string message =
        invalid_input_message([] { read_post("x.md", "---\ntags: " + std::string(100'000, '[') + "\n---\n"); });
    BOOST_TEST(message.find("front matter: YAML error") == 0, message);
}

BOOST_AUTO_TEST_CASE(liquid_and_kramdown_markup_are_not_text) {
    const sosik::Article post = read_post("2024-01-01-liquid.md", R"(---
title: 리퀴드
---
앞 {{ site.baseurl }}뒤 [링크]({% post_url 2016-04-28-caos %}) 글
{% include figure.html src="a.jpg" %}
{% comment %}숨긴 메모{% endcomment %}
![사진](/a.png){:.fit.dropshadow}
**강조**{: .point}

{% highlight liquid %}
{% raw %}{% for p in site.posts %}{{ p.title }}{% endfor %}{% endraw %}
{% endhighlight %}
)");
    BOOST_TEST(post.text == "앞 뒤 링크 글\n사진 강조\n{% for p in site.posts %}{{ p.title }}{% endfor %}");
}

BOOST_AUTO_TEST_CASE(html_post_body) {
    const sosik::Article post = read_post("2015-08-11-html-post.html", R"(---
title: HTML 글
---
<p>첫 문단 <b>굵게</b>끝</p>
{% highlight html %}<b>코드</b>{% endhighlight %}
<!--more-->
)");
    BOOST_TEST(post.text == "첫 문단 굵게끝\n<b>코드</b>");
    BOOST_TEST(post.url == "/2015/08/11/html-post.html");
}

// The seed post, as the sample site in data/ holds it (byte for byte the
// shared seed, so the test runs in any clone).
BOOST_AUTO_TEST_CASE(seed_post) {
    const fs::path seed = SOSIK_SOURCE_DIR "/data/_posts/2024-09-02-health-city-alliance.html";
    BOOST_TEST_REQUIRE(fs::exists(seed));
    const sosik::Article post = sosik::read_jekyll_post(seed, read_file(seed), sosik::find_jekyll_site(seed));
    BOOST_TEST(post.title == "건강도시연맹 총회 서울시와 기업들 협력!");
    BOOST_TEST(post.categories == (Strings{"건강"}), boost::test_tools::per_element());
    BOOST_TEST(post.excerpt.starts_with("서울시가 현대백화점, CJ제일제당 등과 손잡고"));
    BOOST_TEST(post.image == "/assets/img/newsdao_breakingnews.jpg");
    BOOST_TEST(post.date.starts_with("2024-09-02"));  // from the copy's file name; the front matter has none
    BOOST_TEST(post.text.find("서울시는 최근에 현대백화점, CJ제일제당, 유한양행, 인바디 등 4개 기업과 함께 스마트 "
                              "건강도시 서울 조성을 위한 업무협약(MOU)을 체결하였습니다") != std::string::npos);
    BOOST_TEST(post.text.ends_with("실시간 뉴스 속보는, https://newsdao.kr"));
}

// ---- sites and URLs ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(site_fixture) {
    const fs::path post_file = kFixtures / "site/news/_posts/2024-09-02-건강-도시.md";
    const sosik::JekyllSite site = sosik::find_jekyll_site(post_file);
    BOOST_TEST(fs::equivalent(site.root, kFixtures / "site"));
    BOOST_TEST(site.permalink == "pretty");
    BOOST_TEST(site.baseurl == "/blog");

    const sosik::Article post = sosik::read_jekyll_post(post_file, read_file(post_file), site);
    BOOST_TEST(post.title == "건강도시: 서울과 기업");
    BOOST_TEST(post.categories == (Strings{"news"}), boost::test_tools::per_element());  // folder above _posts
    BOOST_TEST(post.tags == (Strings{"건강", "도시"}), boost::test_tools::per_element());
    BOOST_TEST(post.date == "2024-09-02T10:00:00+09:00");
    BOOST_TEST(post.image == "/assets/img/health.jpg");
    BOOST_TEST(post.url == "/blog/news/2024/09/02/건강-도시/");
    BOOST_TEST(post.text == "서울시는 스마트 건강도시 조성을 위해 기업들과 손잡았다.\nint main() { return 0; }");

    // Folders below _posts are not categories (Jekyll agrees).
    const fs::path html_file = kFixtures / "site/_posts/misc/2015-08-11-html-post.html";
    const sosik::Article html =
        sosik::read_jekyll_post(html_file, read_file(html_file), sosik::find_jekyll_site(html_file));
    BOOST_TEST(html.categories == (Strings{"기타", "Tips and Tricks"}), boost::test_tools::per_element());
    BOOST_TEST(html.url == "/blog/기타/tips%20and%20tricks/2015/08/11/html-post/");
    BOOST_TEST(html.text == "첫 문단 굵게끝\n{{ 그대로 }}");
}

BOOST_AUTO_TEST_CASE(site_without_config_and_broken_config) {
    const TempDir folder;
    const fs::path lone = folder.write("posts/_posts/2024-01-01-a.md", "---\n---\n");
    const sosik::JekyllSite none = sosik::find_jekyll_site(lone);
    BOOST_TEST(none.root == folder.path() / "posts");  // the folder holding _posts/: ids do not depend on PATH
    BOOST_TEST(sosik::find_jekyll_site(folder.write("loose/2024-01-01-b.md", "---\n---\n")).root.empty());
    BOOST_TEST(none.permalink == "date");
    BOOST_TEST(none.baseurl.empty());

    folder.write("broken/_config.yml", "permalink: [unclosed\n");
    const sosik::JekyllSite broken =
        sosik::find_jekyll_site(folder.write("broken/_posts/2024-01-01-a.md", "---\n---\n"));
    BOOST_TEST(broken.root == folder.path() / "broken");
    BOOST_TEST(broken.permalink == "date");
}

BOOST_AUTO_TEST_CASE(front_matter_permalink_and_slug) {
    const sosik::JekyllSite site{"", "date", "/blog", ""};
    const sosik::Article fixed = read_post("2024-01-01-a.md", "---\npermalink: /about/\n---\n", site);
    BOOST_TEST(fixed.url == "/blog/about/");
    const sosik::Article templated =
        read_post("2024-01-01-a.md", "---\npermalink: /:year/:title/\nslug: 새 이름\n---\n", site);
    BOOST_TEST(templated.url == "/blog/2024/새-이름/");
}

struct UrlCase {
    const char* what;
    const char* permalink;
    const char* baseurl;
    Strings categories;
    const char* date;
    const char* slug;
    const char* url;
};
std::ostream& operator<<(std::ostream& out, const UrlCase& c) { return out << c.what; }

const UrlCase kUrlCases[] = {
    {"date style", "date", "", {"건강"}, "2024-09-02", "건강-도시", "/건강/2024/09/02/건강-도시.html"},
    {"pretty style", "pretty", "", {"건강"}, "2024-09-02", "x", "/건강/2024/09/02/x/"},
    {"ordinal style", "ordinal", "", {}, "2017-03-08", "x", "/2017/067/x.html"},
    {"none style", "none", "", {"a", "b"}, "2017-03-08", "x", "/a/b/x.html"},
    {"weekdate style", "weekdate", "", {}, "2024-09-02", "x", "/2024/W36/Mon/x.html"},
    {"empty permalink means date", "", "", {}, "2024-09-02", "x", "/2024/09/02/x.html"},
    {"no categories collapses the slash", "date", "", {}, "2024-09-02", "x", "/2024/09/02/x.html"},
    {"categories lowercased, spaces encoded (Jekyll's :categories)",
     "pretty",
     "",
     {"Natural Language Processing"},
     "2017-03-09",
     "rnnlstm",
     "/natural%20language%20processing/2017/03/09/rnnlstm/"},
    {"slugified categories",
     "/:slugified_categories/:title/",
     "",
     {"Natural Language Processing", "건강 도시"},
     "2017-03-09",
     "x",
     "/natural-language-processing/건강-도시/x/"},
    {"baseurl prefixed", "pretty", "/blog", {}, "2024-09-02", "x", "/blog/2024/09/02/x/"},
    {"baseurl normalized", "none", "blog/", {}, "2024-09-02", "x", "/blog/x.html"},
    {"custom template with short forms",
     "/:short_year/:i_month/:i_day/:slug",
     "",
     {},
     "2024-09-02",
     "Hello-World",
     "/24/9/2/hello-world"},
    {"time placeholders",
     "/:year/:hour:minute:second/:title:output_ext",
     "",
     {},
     "2024-09-02T10:05:09+09:00",
     "x",
     "/2024/100509/x.html"},
    {":title keeps case, :slug lowercases", "/:title/:slug", "", {}, "2024-09-02", "My-Post", "/My-Post/my-post"},
    {"no date: date parts collapse", "date", "", {"건강"}, "", "x", "/건강/x.html"},
    {"title slugified the pretty way", "/:title", "", {}, "", "a b?c", "/a-b-c"},
    {"unknown placeholder stays literal", "/:foo/:title", "", {}, "", "x", "/:foo/x"},
    {"month names", "/:long_month/:short_month/:long_day/:title", "", {}, "2024-09-02", "x", "/September/Sep/Monday/x"},
};

BOOST_DATA_TEST_CASE(jekyll_url_cases, boost::unit_test::data::make(kUrlCases), sample) {
    sosik::Article post;
    post.categories = sample.categories;
    post.date = sample.date;
    BOOST_TEST(sosik::jekyll_url(sample.permalink, sample.baseurl, post, sample.slug) == sample.url);
}

// ---- the real blogs ----------------------------------------------------------------------

// Every post of the Jekyll sites in this repository must parse: the sample in
// data/ and the test fixtures (the larger blogs in ../shared are not in every clone).
BOOST_AUTO_TEST_CASE(repository_sites_parse) {
    std::map<std::string, int> parsed;
    std::size_t empty_text = 0;
    const std::vector<fs::path> sites = {SOSIK_SOURCE_DIR "/data/_posts", kFixtures / "site",
                                         fs::path(SOSIK_FIXTURES_DIR) / "query" / "_posts"};
    for (const fs::path& corpora : sites)
    for (const auto& entry : fs::recursive_directory_iterator(corpora)) {
        const std::string ext = entry.path().extension().string();
        if (!entry.is_regular_file() || entry.path().string().find("_posts") == std::string::npos ||
            (ext != ".md" && ext != ".html"))
            continue;
        const std::string content = read_file(entry.path());
        BOOST_TEST_CONTEXT(entry.path()) {
            BOOST_TEST(sosik::has_front_matter(content));
            try {
                const sosik::Article post =
                    sosik::read_jekyll_post(entry.path(), content, sosik::find_jekyll_site(entry.path()));
                BOOST_TEST(!post.title.empty());
                BOOST_TEST(!post.date.empty());
                BOOST_TEST(post.text.find("endhighlight") == std::string::npos);
                if (post.text.empty()) ++empty_text;
                ++parsed[corpora.string()];
            } catch (const sosik::Error& error) {
                BOOST_ERROR(error.what());
            }
        }
    }
    for (const auto& [blog, count] : parsed) BOOST_TEST_MESSAGE(blog << ": " << count << " posts parsed");
    BOOST_TEST(parsed.size() == sites.size(), "a site without posts");
    BOOST_TEST(empty_text == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
