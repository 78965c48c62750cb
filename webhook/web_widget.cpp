#include "webhook/web_widget.h"

#include <fstream>
#include <memory>
#include <regex>
#include <set>
#include <sstream>

namespace wegwijs::webhook {
namespace {

// Where widget.js expects its texts: the marker and the empty object after it.
constexpr std::string_view kTextMarker = "/*wegwijs:text*/{}";

std::string read_file(const std::string& path, std::vector<std::string>& problems) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        problems.push_back(path + ": cannot be read");
        return {};
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

WebFiles load_web_files(const std::string& dir, const dialog::DialogData& data,
                        std::vector<std::string>& problems, const messages::Args& args) {
    WebFiles files;
    files.page = read_file(dir + "/index.html", problems);
    files.page_style = read_file(dir + "/page.css", problems);
    files.style = read_file(dir + "/widget.css", problems);
    std::string script = read_file(dir + "/widget.js", problems);
    if (script.empty()) return files;

    const std::size_t at = script.find(kTextMarker);
    if (at == std::string::npos) {
        problems.push_back(dir + "/widget.js: the marker " + std::string(kTextMarker) +
                           " for the texts is missing");
        return files;
    }
    // Every "widget.*" key the script names must be in every locale.
    static const std::regex kKey(R"re("(widget\.[a-z0-9_.]+)")re");
    std::set<std::string> used;
    for (auto it = std::sregex_iterator(script.begin(), script.end(), kKey);
         it != std::sregex_iterator(); ++it)
        used.insert((*it)[1].str());
    nlohmann::json texts = nlohmann::json::object();
    for (const auto& locale : data.locales) {
        for (const auto& key : used)
            if (!data.messages.has(locale, key))
                problems.push_back("widget.js uses the message key '" + key +
                                   "', missing in locales/" + locale + ".json");
        nlohmann::json& mine = texts[locale];
        mine = nlohmann::json::object();
        for (const auto& key : data.messages.keys(locale)) {
            if (key.rfind("widget.", 0) != 0) continue;
            try {
                mine[key] = data.messages.format(locale, key, args);
            } catch (const std::exception& e) {
                problems.push_back("locales/" + locale + ".json " + key + ": " + e.what());
            }
        }
    }
    files.script = script.replace(at, kTextMarker.size(), "/*wegwijs:text*/" + texts.dump());
    return files;
}

void install_web_widget(httplib::Server& server, WebFiles files) {
    const auto shared = std::make_shared<const WebFiles>(std::move(files));
    auto serve = [shared](std::string WebFiles::*part, const char* type, const char* cache) {
        return [shared, part, type, cache](const httplib::Request&, httplib::Response& res) {
            res.status = 200;
            res.set_header("Cache-Control", cache);
            res.set_content((*shared).*part, type);
        };
    };
    // The page may change with a new release at any time; the widget may be
    // cached for a few minutes by every page that embeds it.
    server.Get("/", serve(&WebFiles::page, "text/html; charset=utf-8", "no-cache"));
    server.Get("/page.css", serve(&WebFiles::page_style, "text/css; charset=utf-8", "no-cache"));
    server.Get("/widget.js",
               serve(&WebFiles::script, "text/javascript; charset=utf-8", "public, max-age=300"));
    server.Get("/widget.css",
               serve(&WebFiles::style, "text/css; charset=utf-8", "public, max-age=300"));
}

}  // namespace wegwijs::webhook
