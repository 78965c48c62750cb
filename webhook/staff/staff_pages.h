// The staff area's pages as the service serves them: GET /staff/ (one page
// whose script draws the login, the conversations, a transcript and the
// audit log), /staff/staff.js and /staff/staff.css, read from a folder at
// start-up. The data they show comes from the JSON API (staff_api.h), which
// checks the login; the files hold no data and are the same for anyone.
//
// Guarantees: the script's sentences are the locales' "staff.*" messages,
// put in at load (web_texts.h); loading fails, naming the problem, when a
// file is missing or the script uses a key a locale lacks. The answers are
// never cached by a browser or proxy (no-store), and say noindex.
#pragma once

#include <httplib.h>

#include <string>
#include <vector>

#include "dialog/dialog_data.h"

namespace wegwijs::webhook {

struct StaffFiles {
    std::string page;    // index.html
    std::string script;  // staff.js, with its texts
    std::string style;   // staff.css
};

StaffFiles load_staff_files(const std::string& dir, const dialog::DialogData& data,
                            std::vector<std::string>& problems);

void install_staff_pages(httplib::Server& server, StaffFiles files);

}  // namespace wegwijs::webhook
