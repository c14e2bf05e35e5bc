// libFuzzer target: the JSON Lines reader. The input is written to an
// in-memory file and read line by line, each line parsed into an Article;
// bad lines must be reported, never crash or hang the reader.
#include <sosik/error.h>
#include <sosik/sources.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const int fd = memfd_create("sosik-fuzz.jsonl", 0);
    if (fd < 0) return 0;
    if (write(fd, data, size) != static_cast<ssize_t>(size)) {
        close(fd);
        return 0;
    }
    try {
        sosik::JsonlReader reader("/proc/self/fd/" + std::to_string(fd));
        sosik::Article article;
        std::size_t bad = 0;
        while (reader.next(article, [&bad](std::size_t, const std::string&) { ++bad; })) {
            if (article.id.empty()) __builtin_trap();  // an article always has its id
        }
    } catch (const sosik::InvalidInput&) {
    }
    close(fd);
    return 0;
}
