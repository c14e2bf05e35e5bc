// libFuzzer target: HTML → text (Gumbo) of a fragment and of a whole page.
// Any bytes must give text or an InvalidInput, never a crash or a hang.
#include <sosik/error.h>
#include <sosik/sources.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view html(reinterpret_cast<const char*>(data), size);
    try {
        (void)sosik::html_to_text(html);
        (void)sosik::parse_html_page(html);
    } catch (const sosik::InvalidInput&) {
    }
    return 0;
}
