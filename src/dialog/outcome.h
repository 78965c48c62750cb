// What a turn tells staff review: the outcome a conversation reached, and
// whether the citizen's words were misread (the misunderstood inbox).
//
// The dialog marks a reply with the outcome it reached (reply.h); a
// conversation keeps the strongest it reached so far, so a booking is not
// undone by a later "thank you", and a later booking event replaces an
// earlier one (booked, then cancelled). "abandoned" is never marked: it is a
// conversation with no outcome that went idle, decided when it is read.
#pragma once

#include <string>

#include "dialog/reply.h"

namespace wegwijs::dialog {

namespace outcome {
inline constexpr const char* booked = "booked";
inline constexpr const char* moved = "moved";
inline constexpr const char* cancelled = "cancelled";
inline constexpr const char* no_appointment = "no_appointment";  // what to do instead was said
inline constexpr const char* human = "human";                    // human contact was asked
inline constexpr const char* misunderstood = "misunderstood";    // two misunderstandings in a row
inline constexpr const char* abandoned = "abandoned";            // no outcome, idle (read only)
}  // namespace outcome

// Every outcome a staff filter may name, in the order staff see them.
inline constexpr const char* kOutcomes[] = {
    outcome::booked, outcome::cancelled,     outcome::moved,    outcome::no_appointment,
    outcome::human,  outcome::misunderstood, outcome::abandoned};

// The conversation's outcome after a turn that reached `reached` (may be empty).
std::string stronger_outcome(const std::string& had, const std::string& reached);

// Why a citizen's turn belongs in the misunderstood inbox: "fallback" (the
// assistant said it did not understand), "correction" (the citizen corrected
// the desk or topic it had taken), "low_confidence" (the topic classifier
// was unsure of the sentence); empty: none.
std::string review_flag(const Reply& r);

inline constexpr const char* kReviewFlags[] = {"fallback", "correction", "low_confidence"};

}  // namespace wegwijs::dialog
