// libFuzzer target: the analyzer on any bytes (invalid UTF-8 included) must
// return tokens whose offsets lie inside the input, in order.
#include <sosik/analyzer.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const sosik::Analyzer analyzer;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::uint32_t previous_begin = 0;
    for (const sosik::Token& token : analyzer.analyze(text)) {
        if (token.text.empty() || token.begin > token.end || token.end > size || token.begin < previous_begin)
            __builtin_trap();
        previous_begin = token.begin;
    }
    return 0;
}
