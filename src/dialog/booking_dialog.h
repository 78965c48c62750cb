// The booking part of a conversation. Once the product is settled: where,
// for how many people, when, whose details, a summary, an explicit yes and
// the booking. From any state: finding an appointment by its code and e-mail
// address, to cancel or move it.
//
// Stages (BookingState::stage), each the question asked last:
//   book:   location, people, slot (the free times on offer), day (which day
//           suits you), name, email, phone, summary
//   cancel: code, find_email, confirm_cancel
//   move:   code, find_email, slot, day, summary
//
// Guarantees: every sentence comes from locales/; every time offered was free
// when it was offered, and holding it is what decides, so a time taken
// meanwhile gets the next free ones at once with the details kept; nothing is
// booked, cancelled or moved without an explicit yes; a hold given up is
// released. Answers that cannot be used are re-asked with what is expected.
// Store errors are answered in words; take() throws only what the store
// throws beyond its BookingErrors (a broken database). It knows no channel.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "booking/booking_store.h"
#include "booking/hold_limit.h"
#include "dialog/dialog_data.h"
#include "dialog/reply.h"
#include "dialog/session.h"

namespace wegwijs::dialog {

class BookingDialog {
  public:
    // `limiter` (may be null: no limit) decides whether a client may make
    // another hold; a refusal is said politely and the times stay on offer.
    // retention_days and booking_retention_days: how long transcripts are
    // kept, and bookings after their appointment, as the privacy notice says.
    BookingDialog(const DialogData& data, booking::BookingStore& store,
                  std::chrono::minutes hold_for, booking::HoldLimiter* limiter = nullptr,
                  int retention_days = 30, int booking_retention_days = 90);

    // Whether the session's settled product can be booked here: an appointment
    // is required or possible, and a location offers it.
    bool bookable(const Session& s) const;
    // Whether the settled product needs an appointment at a place the facts
    // fix ("where the card was requested") that this calendar does not have.
    bool booked_elsewhere(const Session& s) const;

    // Handles the turn when it belongs to the booking conversation: a turn
    // inside it, a tapped "make an appointment", or "cancel/move my
    // appointment" said anywhere. Returns false, changing nothing but a
    // released hold, when the engine is to handle the turn (also "start
    // again" and "back" out of the booking's first question).
    bool take(Session& s, const Input& in, const language::Analysis* analysis, Reply& r) const;

  private:
    struct Turn;
    void begin(Turn& t, const std::string& mode, const std::string& text) const;
    void answer_choice(Turn& t, const std::string& choice) const;
    void answer_text(Turn& t, const std::string& text) const;
    bool command(Turn& t, const std::string& text) const;
    void go_back(Turn& t) const;

    void ask(Turn& t, const std::string& stage) const;
    void ask_location(Turn& t) const;
    void ask_people(Turn& t, const std::string& question = "booking.people") const;
    void offer_times(Turn& t, const std::string& intro) const;
    void choose_time(Turn& t, std::int64_t start_ms) const;
    void next_detail(Turn& t) const;
    void summary(Turn& t) const;
    void confirm(Turn& t) const;
    void find(Turn& t) const;
    void finish(Turn& t) const;

    // The locations the product can be booked at, for these facts.
    std::vector<const calendar::Location*> places(const Session& s,
                                                  const std::string& product) const;
    bool read_wish(Turn& t, const std::string& text) const;
    // The number of people a text names ("3", "drie", "me and my 2 kids");
    // with need_people_word, only when it says it is about people ("we are 3").
    std::optional<int> people_in(const std::string& text, bool need_people_word) const;
    std::string location_named(const std::string& product, const std::string& text) const;
    void release(Session& s) const;
    messages::Args place_args(const Session& s) const;
    messages::Args appointment_args(const Session& s, const booking::Booking& b) const;
    void card(Turn& t, const booking::Booking& b, const std::string& key) const;

    const DialogData& d_;
    booking::BookingStore& store_;
    std::chrono::minutes hold_for_;
    booking::HoldLimiter* limiter_;
    int retention_days_;
    int booking_retention_days_;
};

}  // namespace wegwijs::dialog
