// Question words and endings that say "this is a question", not what it is about.
// Kept short: only words that never name a topic on their own.
#include <sosik/analyzer.h>

#include <string_view>
#include <unordered_set>

namespace sosik {

bool is_question_filler(std::string_view form) {
    static const std::unordered_set<std::string_view> fillers = {
        // interrogatives and their common particle-bearing forms the stemmer keeps whole
        "무엇", "무엇인가", "무엇인가요", "무엇입니까", "무엇일까", "무엇이", "무엇을", "뭐", "뭔가", "뭘",
        "누구", "누구인가", "누구인가요", "누가", "누구의",
        "언제", "언제인가", "언제인가요",
        "어디", "어디인가", "어디인가요", "어디에", "어디서",
        "어떤", "어떻게", "어떠한", "어느", "무슨", "왜", "몇", "얼마", "얼마나", "얼마인가요", "어때", "어떨까",
        "어떤가", "어떤가요", "어떻습니까", "어땠나요", "어떨까요",
        // light predicates of questions
        "있나요", "있습니까", "있는가", "있을까", "없나요", "되나요", "됩니까", "하나요", "합니까", "인가요",
        "인가", "입니까", "일까", "일까요", "할까", "할까요", "나요", "까요",
        // … in the past, as written questions ask (무엇을 했는가, 어떤 일이 있었나)
        "있었나", "있었나요", "있었는가", "있었습니까", "있었을까", "했나", "했나요", "했는가", "했습니까",
        "하였나", "하였는가", "하였습니까", "됐나요", "됐는가", "되었나", "되었나요", "되었는가", "되었습니까",
        // bound nouns that only carry grammar
        "수", "것", "거", "데", "등", "것인가", "것인가요", "것입니까", "건가요",
    };
    return fillers.contains(form);
}

bool is_question_framing_word(std::string_view form) {
    static const std::unordered_set<std::string_view> words = {"의미", "정의", "뜻", "용어", "단어"};
    return words.contains(form);
}

}  // namespace sosik
