// html_to_text, parse_html_page and markdown_to_html.
#include <sosik/sources.h>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>

namespace {

struct TextCase {
    const char* what;
    std::string html;
    std::string text;
};

std::ostream& operator<<(std::ostream& out, const TextCase& c) { return out << c.what; }

const TextCase kTextCases[] = {
    {"inline elements join words", "삼성<b>전자</b>", "삼성전자"},
    {"nested inline elements join", "<p>서울<span style=\"color:red\"><b>시</b></span>가</p>", "서울시가"},
    {"inline list of tags join",
     "<a href=x>C</a><i>J</i><u>제</u><em>일</em><strong>제</strong><mark>당</mark>"
     "<sub>1</sub><sup>2</sup><small>3</small><font>4</font><code>5</code>",
     "CJ제일제당12345"},
    {"paragraphs separate", "<p>a</p><p>b</p>", "a\nb"},
    {"divs and headings separate", "<div>가</div><h2>나</h2><section>다</section>", "가\n나\n다"},
    {"br breaks the line", "첫 줄<br>둘째 줄", "첫 줄\n둘째 줄"},
    {"repeated br gives one break", "a<br><br><br/>b", "a\nb"},
    {"list items separate", "<ul><li>하나</li><li>둘</li></ul><ol><li>셋</li></ol>", "하나\n둘\n셋"},
    {"script and style dropped",
     "<script>var x = '<p>숨김</p>';</script><style>p { color: red }</style><p>보이는 글</p>", "보이는 글"},
    {"template noscript iframe svg dropped",
     "<p>본문</p><template><p>t</p></template><noscript>n</noscript><iframe "
     "src=x>i</iframe><svg><text>s</text></svg>끝",
     "본문\n끝"},
    {"comments dropped", "서울<!-- 주석 -->시", "서울시"},
    {"entities decoded", "<p>A &amp; B &lt;C&gt; 가&middot;나 &quot;인용&quot; &#44032;&#xAC01;</p>",
     "A & B <C> 가·나 \"인용\" 가각"},
    {"nbsp is a normal space", "1&nbsp;2&nbsp;&nbsp; 3", "1 2 3"},
    {"nbsp-only paragraph disappears", "<p>a</p><p>&nbsp;</p><p>b</p>", "a\nb"},
    {"img alt is a word of its own", "<p>사진<img src=\"x.jpg\" alt=\"서울 시청\">설명</p>", "사진 서울 시청 설명"},
    {"img without alt adds nothing", "앞<img src=x>뒤", "앞 뒤"},
    {"table cells separated, rows on lines",
     "<table><tr><th>이름</th><th>값</th></tr><tr><td>가</td><td>1</td></tr></table>", "이름 값\n가 1"},
    {"whitespace collapsed and lines trimmed", "  <p>  여러   칸\n\t공백  </p>  <p> 둘 </p>", "여러 칸 공백\n둘"},
    {"pre keeps its lines", "<pre>int x;\n  return x;</pre>", "int x;\nreturn x;"},
    {"head and title are not body text",
     "<html><head><title>제목</title><meta name=x content=y></head><body>본문</body></html>", "본문"},
    {"blockquote figure figcaption separate",
     "<figure><img src=x><figcaption><small>서울중앙지법 전경./조선DB</small></figcaption></figure><br><br>금전 문제로",
     "서울중앙지법 전경./조선DB\n금전 문제로"},
    {"dl dt dd address separate", "<dl><dt>용어</dt><dd>뜻</dd></dl><address>주소</address>", "용어\n뜻\n주소"},
    {"Korean in unescaped angle brackets is text", "<small><H를 위한 새 구두>(1973~1974)</small>",
     "<H를 위한 새 구두>(1973~1974)"},
    {"ruby annotations dropped", "<ruby>漢<rt>한</rt></ruby><ruby>字<rp>(</rp><rt>자</rt><rp>)</rp></ruby>", "漢字"},
    {"wbr and soft hyphen do not split words", "infor<wbr>mation 건강&shy;도시", "information 건강도시"},
    {"zero-width space does not split words", "건강\xE2\x80\x8B도시", "건강도시"},
    {"ideographic space is a space", "가\xE3\x80\x80나", "가 나"},
    {"invalid UTF-8 becomes U+FFFD", "a\xFF!", "a\xEF\xBF\xBD!"},
    {"plain text passes", "그냥 글", "그냥 글"},
    {"empty input", "", ""},
};

std::string repeat(std::string_view piece, std::size_t times) {
    std::string out;
    out.reserve(piece.size() * times);
    for (std::size_t i = 0; i < times; ++i) out += piece;
    return out;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(html_text)

BOOST_DATA_TEST_CASE(html_to_text_cases, boost::unit_test::data::make(kTextCases), sample) {
    BOOST_TEST(sosik::html_to_text(sample.html) == sample.text);
}

// Gumbo is quadratic in nesting depth and frees its tree recursively: 100,000
// levels used to take a minute and overflow a 1 MB stack.
BOOST_DATA_TEST_CASE(deep_nesting_neither_crashes_nor_crawls,
                     boost::unit_test::data::make({"div", "span", "b", "blockquote", "table"}), tag) {
    const std::string open = "<" + std::string(tag) + ">";
    const std::string html = repeat(open, 100'000) + "바닥 글" + repeat("</" + std::string(tag) + ">", 100'000) + "끝";
    const auto start = std::chrono::steady_clock::now();
    const std::string text = sosik::html_to_text(html);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    BOOST_TEST(text.find("바닥 글") != std::string::npos);
    BOOST_TEST(text.find("끝") != std::string::npos);
    BOOST_TEST(seconds < 10.0);
}

BOOST_AUTO_TEST_CASE(deep_unclosed_nesting_keeps_paragraphs_apart) {
    const std::string html = repeat("<div>단락", 5'000);
    const std::string text = sosik::html_to_text(html);
    BOOST_TEST(text == repeat("단락\n", 4'999) + "단락");
}

BOOST_AUTO_TEST_CASE(large_input_is_linear) {
    // ≈50 MB of news-like HTML.
    const std::string article =
        "<figure><img src=\"a.jpg\"><figcaption><small>사진 설명</small></figcaption></figure><br><br>"
        "서울시는 <b>스마트 건강도시</b> 조성을 위한 업무협약(MOU)을 체결했다.<br><br>"
        "<p>둘째 문단 &amp; <a href=\"https://example.com\">링크</a>.</p>\n";
    const std::string html = repeat(article, 50'000'000 / article.size());
    const auto start = std::chrono::steady_clock::now();
    const std::string text = sosik::html_to_text(html);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    BOOST_TEST_MESSAGE("html_to_text: " << html.size() / 1e6 << " MB in " << seconds << " s");
    BOOST_TEST(text.starts_with(
        "사진 설명\n서울시는 스마트 건강도시 조성을 위한 업무협약(MOU)을 체결했다.\n둘째 문단 & 링크."));
    BOOST_TEST(seconds < 60.0);
}

BOOST_AUTO_TEST_CASE(seed_post_body) {
    // The seed post as data/ holds it (the same bytes as ../shared/seed/, which not every clone has).
    const std::string seed = read_file(SOSIK_SOURCE_DIR "/data/_posts/2024-09-02-health-city-alliance.html");
    BOOST_TEST_REQUIRE(!seed.empty());
    const std::size_t body = seed.find("\n---\n", 3);
    BOOST_TEST_REQUIRE(body != std::string::npos);
    const std::string text = sosik::html_to_text(std::string_view(seed).substr(body + 5));
    BOOST_TEST(text.find("서울시는 최근에 현대백화점, CJ제일제당, 유한양행, 인바디 등 4개 기업과 함께 스마트 건강도시 "
                         "서울 조성을 위한 업무협약(MOU)을 체결하였습니다") != std::string::npos);
    BOOST_TEST(text.starts_with("koreaapp 속보\n스마트 건강도시 서울 조성 MOU 체결\n"));
    BOOST_TEST(text.find("\n\n") == std::string::npos);
    BOOST_TEST(text.find("  ") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(page_metadata_from_meta_tags) {
    const sosik::HtmlPage page = sosik::parse_html_page(R"(<!doctype html>
<html><head>
<title>사이트 제목 | 소식</title>
<meta property="og:title" content="건강도시연맹 총회">
<meta property="og:description" content="서울시가 &quot;MOU&quot;를 체결했다">
<meta name="description" content="덜 좋은 설명">
<meta property="article:published_time" content="2024-09-02T10:00:00+09:00">
<meta property="og:url" content="https://example.com/a/1">
<link rel="canonical" href="https://example.com/canonical">
<script>var x = 1;</script>
</head><body><nav>메뉴</nav><article><h1>제목</h1><p>본문 <b>굵게</b></p></article></body></html>)");
    BOOST_TEST(page.title == "건강도시연맹 총회");
    BOOST_TEST(page.description == "서울시가 \"MOU\"를 체결했다");
    BOOST_TEST(page.date == "2024-09-02T10:00:00+09:00");
    BOOST_TEST(page.url == "https://example.com/a/1");
    BOOST_TEST(page.text == "메뉴\n제목\n본문 굵게");
}

BOOST_AUTO_TEST_CASE(page_metadata_fallbacks) {
    const sosik::HtmlPage page = sosik::parse_html_page(R"(<html><head>
<title>
  제목   하나
</title>
<meta name="description" content="설명">
<meta name="date" content="2023-05-06 07:08:09 +0900">
<link rel="Canonical  alternate" href="/canonical">
</head><body><p>글</p></body></html>)");
    BOOST_TEST(page.title == "제목 하나");
    BOOST_TEST(page.description == "설명");
    BOOST_TEST(page.date == "2023-05-06T07:08:09+09:00");
    BOOST_TEST(page.url == "/canonical");
    BOOST_TEST(page.text == "글");
}

BOOST_AUTO_TEST_CASE(page_date_from_time_in_article) {
    const sosik::HtmlPage page = sosik::parse_html_page(
        "<body><aside><time datetime=\"2020-01-01\">x</time></aside>"
        "<article><time datetime=\"2024-09-02T01:02:03Z\">9월 2일</time> 본문</article></body>");
    BOOST_TEST(page.date == "2024-09-02T01:02:03+00:00");
    BOOST_TEST(page.title.empty());
}

BOOST_AUTO_TEST_CASE(page_with_unparseable_date_has_none) {
    const sosik::HtmlPage page = sosik::parse_html_page(
        "<head><meta property=\"article:published_time\" content=\"어제\"></head><body>x</body>");
    BOOST_TEST(page.date.empty());
}

struct MarkdownCase {
    const char* what;
    std::string markdown;
    std::string text;
};

std::ostream& operator<<(std::ostream& out, const MarkdownCase& c) { return out << c.what; }

const MarkdownCase kMarkdownCases[] = {
    {"heading and paragraph; a soft break is a space", "# 제목\n\n본문 문단\n이어짐", "제목\n본문 문단 이어짐"},
    {"list", "- 하나\n- 둘\n  - 셋\n", "하나\n둘\n셋"},
    {"bold and italic join", "**삼성**전자 *CJ*제일제당", "삼성전자 CJ제일제당"},
    {"inline HTML passes through", "문단 <b>굵게</b>끝 <span style=\"x\">스팬</span>", "문단 굵게끝 스팬"},
    {"block HTML passes through", "<p data-ke-size=\"size16\">티스토리 &nbsp;문단</p>\n\n다음", "티스토리 문단\n다음"},
    {"link text kept, URL dropped", "[논문](https://arxiv.org/pdf/1301.3781.pdf)을 읽자", "논문을 읽자"},
    {"image alt kept", "![고양이 사진](cat.png)", "고양이 사진"},
    {"code block kept by line", "```python\nx = 1\ny = 2\n```\n", "x = 1\ny = 2"},
    {"table", "| 이름 | 값 |\n|---|---|\n| 가 | 1 |\n", "이름 값\n가 1"},
    {"strikethrough and task list", "~~취소~~ 선\n\n- [x] 완료\n- [ ] 할일", "취소 선\n완료\n할일"},
    {"LaTeX stays text", "식 $h_{t-1}$ 과 $$y = ax$$", "식 h_{t-1} 과 y = ax"},
    {"bold closes before a Korean particle (CJK-friendly emphasis)",
     "**정보이득(information gain)**이란 **어미(語眉)**에 대해", "정보이득(information gain)이란 어미(語眉)에 대해"},
    {"bold opens after a Korean letter", "이것은**(주)삼성**이다", "이것은(주)삼성이다"},
    {"code spans and blocks keep their asterisks", "`**(a)**가`\n\n```\n**(b)**나\n```", "**(a)**가\n**(b)**나"},
    {"bare URL autolinked as text", "주소 https://example.com 끝", "주소 https://example.com 끝"},
};

BOOST_DATA_TEST_CASE(markdown_to_text_cases, boost::unit_test::data::make(kMarkdownCases), sample) {
    BOOST_TEST(sosik::html_to_text(sosik::markdown_to_html(sample.markdown)) == sample.text);
}

BOOST_AUTO_TEST_CASE(markdown_renders_html_elements) {
    const std::string html = sosik::markdown_to_html("## 소제목\n\n**굵게**\n");
    BOOST_TEST(html.find("<h2>소제목</h2>") != std::string::npos);
    BOOST_TEST(html.find("<strong>굵게</strong>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(deeply_nested_markdown) {
    const std::string text =
        sosik::html_to_text(sosik::markdown_to_html(repeat(">", 100'000) + " 인용\n" + repeat("*", 50'000) + "강조"));
    BOOST_TEST(text.find("인용") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
