// libFuzzer target: a Jekyll post (YAML front matter, Liquid, Markdown/HTML
// body) as read from a file. Bad input is an InvalidInput with a reason.
#include <sosik/error.h>
#include <sosik/sources.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    // The first byte picks the kind of post, the rest is the file.
    static const std::filesystem::path kFiles[] = {"_posts/2024-09-02-post.md", "_posts/2024-09-02-post.html",
                                                   "news/_posts/2024-09-02-건강.markdown"};
    static const sosik::JekyllSite kSites[] = {
        {},
        {"site", "/:categories/:year/:month/:day/:title:output_ext", "/blog"},
        {"site", "pretty", ""},
    };
    const std::string_view content(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        (void)sosik::has_front_matter(content);
        (void)sosik::read_jekyll_post(kFiles[data[0] % 3], content, kSites[(data[0] / 3) % 3]);
    } catch (const sosik::InvalidInput&) {
    }
    return 0;
}
