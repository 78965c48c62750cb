// The dialog data the fuzz targets run against: the repository's own,
// loaded once per process (a problem in it stops the run).
#pragma once

#include <cstdlib>
#include <iostream>

#include "dialog/dialog_data.h"

namespace wegwijs::fuzz {

inline const dialog::DialogData& data() {
    static const dialog::DialogData d = [] {
        std::vector<std::string> problems;
        auto dicts =
            std::make_shared<language::Dictionaries>(language::Dictionaries::debian_defaults());
        auto loaded = dialog::DialogData::load(WEGWIJS_SOURCE_DIR, dicts, problems);
        for (const auto& p : problems) std::cerr << p << "\n";
        if (!problems.empty()) std::abort();
        return loaded;
    }();
    return d;
}

}  // namespace wegwijs::fuzz
