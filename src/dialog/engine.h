// The dialog engine: one turn in, one reply out.
//
// It reads the facts of a message (from a tapped choice or from free text),
// handles the commands that work anywhere (start again, back, language, help,
// a person), lets the flow decide the next state and renders it with the
// message catalog. It knows no channel and no store: it changes the Session
// value it is given. Guarantees: step() never throws for any input text or
// choice; two misunderstandings in a row give the topic menu and the human
// contact route instead of the same question again.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "dialog/booking_dialog.h"
#include "dialog/dialog_data.h"
#include "dialog/reply.h"
#include "dialog/session.h"

namespace wegwijs::dialog {

class Engine {
  public:
    // booking may be null: the conversation then ends at the outcome, as a
    // routing assistant, and offers no booking.
    explicit Engine(const DialogData& data, const BookingDialog* booking = nullptr)
        : d_(data), booking_(booking) {}

    // The first reply of a new conversation; notice is an extra message key said
    // first (e.g. "session.expired").
    Reply start(Session& s, const std::string& notice = "") const;
    Reply step(Session& s, const Input& in) const;

  private:
    struct Turn;
    bool apply_choice(Session& s, const Choice& c, Turn& t) const;
    void apply_intent(Session& s, const std::string& intent, Turn& t) const;
    void understand_text(Session& s, const std::string& text, const language::Analysis& a,
                         Turn& t) const;
    Reply render(Session& s, Turn& t) const;
    void render_outcome(const Session& s, const messages::Args& a, const Product& p,
                        Reply& r) const;
    // Arguments of every message (product, desk, contacts), computed once per reply.
    messages::Args args(const Session& s) const;
    ReplyMessage say(const Session& s, const messages::Args& a, const std::string& key,
                     const std::string& locale = "") const;
    std::vector<ReplyChoice> labels(const Session& s, const messages::Args& a,
                                    const std::vector<Choice>& choices) const;

    const DialogData& d_;
    const BookingDialog* booking_;
};

}  // namespace wegwijs::dialog
