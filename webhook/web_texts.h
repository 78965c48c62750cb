// The sentences a browser script shows, put into it when the service loads
// it: every "<prefix>.*" message of every locale (for each prefix given),
// formatted, replaces the
// script's marker /*wegwijs:text*/{} as {"nl": {...}, "en": {...}}. So no
// sentence lives in JavaScript and the script needs no request to speak.
#pragma once

#include <string>
#include <vector>

#include "dialog/dialog_data.h"

namespace wegwijs::webhook {

// A file's bytes; an empty string, and a problem naming the file, when it
// cannot be read.
std::string read_text_file(const std::string& path, std::vector<std::string>& problems);

// The script with its texts; each problem (no marker, a key the script uses
// that a locale lacks, a message that does not format) is appended to
// `problems`, naming `file`.
std::string with_texts(const std::string& script, const std::string& file,
                       const std::vector<std::string>& prefixes, const dialog::DialogData& data,
                       std::vector<std::string>& problems, const messages::Args& args = {});

}  // namespace wegwijs::webhook
