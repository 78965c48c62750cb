// Sentences put into browser scripts; see web_texts.h.
#include "webhook/web_texts.h"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace wegwijs::webhook {
namespace {

constexpr std::string_view kTextMarker = "/*wegwijs:text*/{}";

}  // namespace

std::string read_text_file(const std::string& path, std::vector<std::string>& problems) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        problems.push_back(path + ": cannot be read");
        return {};
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string with_texts(const std::string& script, const std::string& file,
                       const std::vector<std::string>& prefixes, const dialog::DialogData& data,
                       std::vector<std::string>& problems, const messages::Args& args) {
    const std::size_t at = script.find(kTextMarker);
    if (at == std::string::npos) {
        problems.push_back(file + ": the marker " + std::string(kTextMarker) +
                           " for the texts is missing");
        return script;
    }
    // Every "<prefix>.*" key the script names must be in every locale.
    std::set<std::string> used;
    for (const auto& prefix : prefixes) {
        const std::regex key("\"(" + prefix + "\\.[a-z0-9_.]+)\"");
        for (auto it = std::sregex_iterator(script.begin(), script.end(), key);
             it != std::sregex_iterator(); ++it)
            used.insert((*it)[1].str());
    }
    const auto wanted = [&](const std::string& k) {
        for (const auto& prefix : prefixes)
            if (k.rfind(prefix + ".", 0) == 0) return true;
        return false;
    };
    nlohmann::json texts = nlohmann::json::object();
    for (const auto& locale : data.locales) {
        for (const auto& k : used)
            if (!data.messages.has(locale, k))
                problems.push_back(file + " uses the message key '" + k + "', missing in locales/" +
                                   locale + ".json");
        nlohmann::json& mine = texts[locale];
        mine = nlohmann::json::object();
        for (const auto& k : data.messages.keys(locale)) {
            if (!wanted(k)) continue;
            try {
                mine[k] = data.messages.format(locale, k, args);
            } catch (const std::exception& e) {
                problems.push_back("locales/" + locale + ".json " + k + ": " + e.what());
            }
        }
    }
    std::string out = script;
    return out.replace(at, kTextMarker.size(), "/*wegwijs:text*/" + texts.dump());
}

}  // namespace wegwijs::webhook
