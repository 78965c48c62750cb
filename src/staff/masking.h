// Hiding personal data from staff views and exports: names, e-mail
// addresses, phone numbers and booking codes, both the ones a conversation
// is known to hold (its booking's details) and the ones that only look like
// them in free text.
//
// Guarantees: every occurrence of a known detail is replaced, in any case,
// a code also as typed ("abcd efgh", "abcdefgh"), a name also by each of its
// parts (but for particles such as "van" or "de", which stand in ordinary
// sentences); anything that looks like an e-mail address, a phone number
// (libphonenumber, as dialled in Belgium or internationally) or a booking
// code ("ABCD-EFGH") is replaced as well, but for the city's own contacts
// written as the catalog has them. It errs on the side of hiding: a date
// that reads as a phone number is hidden too.
#pragma once

#include <string>
#include <vector>

namespace wegwijs::staff {

// What replaces each kind; the staff pages show them as they are.
constexpr const char* kMaskedName = "[naam]";
constexpr const char* kMaskedEmail = "[e-mail]";
constexpr const char* kMaskedPhone = "[telefoon]";
constexpr const char* kMaskedCode = "[code]";

struct KnownDetails {
    std::vector<std::string> names;
    std::vector<std::string> emails;
    std::vector<std::string> phones;
    std::vector<std::string> codes;
    // The city's own contacts as the assistant writes them (the catalog's
    // phone numbers and addresses): no one's personal data, never masked,
    // so a clerk reads the reply as the citizen did.
    std::vector<std::string> public_details = {};
};

std::string mask_text(const std::string& text, const KnownDetails& known);

// The mask for a whole answer to a question that expects a detail (the
// reply's `expect`: name, email, tel, code), or nullptr for words.
const char* mask_for_answer(const std::string& expect);

}  // namespace wegwijs::staff
