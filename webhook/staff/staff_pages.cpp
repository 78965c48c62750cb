// The staff area's pages; see staff_pages.h.
#include "webhook/staff/staff_pages.h"

#include <memory>

#include "webhook/web_texts.h"

namespace wegwijs::webhook {

StaffFiles load_staff_files(const std::string& dir, const dialog::DialogData& data,
                            std::vector<std::string>& problems) {
    StaffFiles files;
    files.page = read_text_file(dir + "/index.html", problems);
    files.style = read_text_file(dir + "/staff.css", problems);
    const std::string script = read_text_file(dir + "/staff.js", problems);
    if (!script.empty())
        files.script = with_texts(script, dir + "/staff.js", {"staff", "product"}, data, problems);
    return files;
}

void install_staff_pages(httplib::Server& server, StaffFiles files) {
    const auto shared = std::make_shared<const StaffFiles>(std::move(files));
    auto serve = [shared](std::string StaffFiles::*part, const char* type) {
        return [shared, part, type](const httplib::Request&, httplib::Response& res) {
            res.status = 200;
            res.set_header("Cache-Control", "no-store");
            res.set_header("X-Robots-Tag", "noindex");
            res.set_content((*shared).*part, type);
        };
    };
    server.Get("/staff", [](const httplib::Request&, httplib::Response& res) {
        res.set_redirect("/staff/");
    });
    server.Get("/staff/", serve(&StaffFiles::page, "text/html; charset=utf-8"));
    server.Get("/staff/staff.js", serve(&StaffFiles::script, "text/javascript; charset=utf-8"));
    server.Get("/staff/staff.css", serve(&StaffFiles::style, "text/css; charset=utf-8"));
}

}  // namespace wegwijs::webhook
