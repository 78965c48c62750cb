// The outcome and review flags of a turn; see outcome.h.
#include "dialog/outcome.h"

#include "dialog/understanding.h"

namespace wegwijs::dialog {
namespace {

bool booking_event(const std::string& o) {
    return o == outcome::booked || o == outcome::moved || o == outcome::cancelled;
}

}  // namespace

std::string stronger_outcome(const std::string& had, const std::string& reached) {
    if (reached.empty()) return had;
    if (booking_event(had) && !booking_event(reached)) return had;
    return reached;
}

std::string review_flag(const Reply& r) {
    if (!r.understood) return "fallback";
    if (r.corrected) return "correction";
    if (r.topic_confidence >= 0 && r.topic_confidence < kTopicCommit) return "low_confidence";
    return "";
}

}  // namespace wegwijs::dialog
