// Conversations as staff see them, in JSON: what the list and the
// transcript pages show, and later the exports. Personal data is masked
// (staff/masking.h) unless `reveal` is set, which only an admin's audited
// request does.
//
// Masked: the booking's name, e-mail, phone and code wherever they stand;
// whatever looks like such a detail in any text; and the whole answer to a
// reply that expected one (its `expect`, set by the dialog: the answer to
// the name question is a name however it is written). Strings inside what the understanding matched
// are masked the same way.
#pragma once

#include <nlohmann/json.hpp>

#include "staff/masking.h"
#include "store/review_store.h"
#include "store/staff_store.h"

namespace wegwijs::staff {

nlohmann::json summary_json(const store::ConversationSummary& s);  // always masked
// `public_details`: the city's own contacts, never masked (masking.h).
nlohmann::json conversation_json(const store::ReviewConversation& c, bool reveal,
                                 const std::vector<std::string>& public_details);

// An entry of the audit log, for admins (it holds no citizen's data).
nlohmann::json audit_json(const store::AuditEntry& e);

// The details a conversation is known to hold, for masking.
KnownDetails known_details(const store::ReviewConversation& c,
                           const std::vector<std::string>& public_details);

}  // namespace wegwijs::staff
