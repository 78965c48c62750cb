// libFuzzer target: arbitrary bytes into the understanding (analyse), the
// router and the record staff read; none of them may crash or leak on any
// input, UTF-8 or not (the terminal chat hands text over unchecked).
#include <cstddef>
#include <cstdint>
#include <string>

#include "dialog/router.h"
#include "fuzz_data.h"

using namespace wegwijs;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
    if (size > 4096) return 0;  // the service's limit on a text
    const std::string text(reinterpret_cast<const char*>(bytes), size);
    const auto& d = fuzz::data();
    const language::Analysis a = d.analyzer->analyse(text);
    (void)a.to_json_text();
    (void)dialog::route(d, text, std::nullopt)
        .to_json()
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return 0;
}
