// libFuzzer target: arbitrary bytes as the body of POST /v1/chat, through
// the same parsing as the HTTP route and, when it is a usable request, a
// whole chat turn (understanding, dialog, the SQLite store) and its JSON
// answer. A crash, a sanitizer report or an exception other than the
// refusals the route turns into 4xx answers is a finding.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "app/assistant.h"
#include "fuzz_data.h"
#include "store/sqlite_store.h"
#include "text/json_dump.h"
#include "webhook/json_io.h"

using namespace wegwijs;

namespace {

app::Assistant& assistant() {
    static const std::string path =
        (std::filesystem::temp_directory_path() / "wegwijs-fuzz-request.db").string();
    static store::SqliteStore store = [] {
        std::filesystem::remove(path);
        std::filesystem::remove(path + "-wal");
        std::filesystem::remove(path + "-shm");
        return store::SqliteStore(path);
    }();
    static app::Assistant a(fuzz::data(), store, {});
    return a;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
    const std::string body(reinterpret_cast<const char*>(bytes), size);
    try {
        const nlohmann::json j = webhook::parse_object(body);
        (void)text::dump(j);
        app::ChatRequest chat;
        chat.text = webhook::optional_string(j, "text", 4096).value_or("");
        chat.choice = webhook::optional_string(j, "choice", 200).value_or("");
        if (auto locale = webhook::optional_string(j, "locale", 16);
            locale && (*locale == "nl" || *locale == "en"))
            chat.locale = locale;
        if (!text::is_valid_utf8(chat.text) || !text::is_valid_utf8(chat.choice)) return 0;
        (void)text::dump(assistant().chat(chat).to_json());
    } catch (const webhook::BadRequest&) {
        // the route's 4xx answers
    }
    return 0;
}
