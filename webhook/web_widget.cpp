#include "webhook/web_widget.h"

#include <memory>

#include "webhook/web_texts.h"

namespace wegwijs::webhook {

WebFiles load_web_files(const std::string& dir, const dialog::DialogData& data,
                        std::vector<std::string>& problems, const messages::Args& args) {
    WebFiles files;
    files.page = read_text_file(dir + "/index.html", problems);
    files.page_style = read_text_file(dir + "/page.css", problems);
    files.style = read_text_file(dir + "/widget.css", problems);
    const std::string script = read_text_file(dir + "/widget.js", problems);
    if (!script.empty())
        files.script = with_texts(script, dir + "/widget.js", {"widget"}, data, problems, args);
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
