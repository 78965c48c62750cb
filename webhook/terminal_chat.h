// The terminal channel (`wegwijs chat`): a conversation on stdin/stdout, like
// `rasa shell`, through the same assistant and store as the web service.
// Choices are numbered; typing the number picks one.
#pragma once

#include <iosfwd>

#include "app/assistant.h"

namespace wegwijs::webhook {

int run_terminal_chat(app::Assistant& assistant, std::istream& in, std::ostream& out,
                      const std::optional<std::string>& locale);

}  // namespace wegwijs::webhook
