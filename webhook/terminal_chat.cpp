#include "webhook/terminal_chat.h"

#include <iostream>
#include <string>

namespace wegwijs::webhook {

int run_terminal_chat(app::Assistant& assistant, std::istream& in, std::ostream& out,
                      const std::optional<std::string>& locale) {
    app::ChatRequest request;
    request.channel = "terminal";
    request.locale = locale;
    std::string session_id;
    while (true) {
        const app::ChatResponse response = assistant.chat(request);
        session_id = response.session_id;
        for (const auto& m : response.reply.messages) {
            out << "\n" << m.text << "\n";
            for (std::size_t i = 0; i < m.choices.size(); ++i)
                out << "  " << (i + 1) << ". " << m.choices[i].label << "\n";
        }
        out << "\n> " << std::flush;
        std::string line;
        if (!std::getline(in, line) || line == "/quit" || line == "/exit") break;
        request = {};
        request.channel = "terminal";
        request.session_id = session_id;
        request.text = line.empty() ? " " : line;
    }
    out << "\n";
    return 0;
}

}  // namespace wegwijs::webhook
