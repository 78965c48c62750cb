#include "dialog/session.h"

namespace wegwijs::dialog {

nlohmann::json Session::data_json() const {
    return {
        {"locale", locale},         {"slots", slots},     {"history", history},
        {"offer_kind", offer_kind}, {"offered", offered}, {"misunderstandings", misunderstandings},
        {"state", state},           {"done", done},       {"turns", turns}};
}

void Session::load_data_json(const nlohmann::json& j) {
    locale = j.value("locale", std::string("nl"));
    slots = j.value("slots", Slots{});
    history = j.value("history", std::vector<Slots>{});
    offer_kind = j.value("offer_kind", std::string("state"));
    offered = j.value("offered", std::vector<std::string>{});
    misunderstandings = j.value("misunderstandings", 0);
    state = j.value("state", std::string());
    done = j.value("done", false);
    turns = j.value("turns", 0);
}

}  // namespace wegwijs::dialog
