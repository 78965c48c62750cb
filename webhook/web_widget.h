// The website chat widget as the service serves it: the demo page (GET / and
// its GET /page.css), the script (GET /widget.js) and its style sheet
// (GET /widget.css), read from a folder once at start-up.
//
// Guarantees: the widget's sentences are the locales' "widget.*" messages,
// put into the script at load, so the widget needs no request of its own to
// speak and no sentence lives in JavaScript; loading fails, naming the
// problem, when a file is missing, the script lacks its text marker, or it
// uses a "widget.*" key that a locale does not have.
#pragma once

#include <httplib.h>

#include <string>
#include <vector>

#include "dialog/dialog_data.h"

namespace wegwijs::webhook {

struct WebFiles {
    std::string page;        // index.html
    std::string page_style;  // page.css
    std::string script;      // widget.js, with the texts in it
    std::string style;       // widget.css
};

// Reads index.html, page.css, widget.js and widget.css from dir; each problem is
// appended to `problems` (the result is then not to be served).
// The widget's sentences are formatted with `args` (the retention days of
// the privacy notice: "days"); a placeholder it leaves ({time}) is the
// script's to fill.
WebFiles load_web_files(const std::string& dir, const dialog::DialogData& data,
                        std::vector<std::string>& problems, const messages::Args& args = {});

void install_web_widget(httplib::Server& server, WebFiles files);

}  // namespace wegwijs::webhook
