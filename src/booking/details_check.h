// Checks what a citizen gives for a booking, and brings it into one form.
//
// Guarantees: each function returns the normalised value, or nullopt when the
// input cannot be used (the caller re-asks or answers 400, naming the field):
// - a name is trimmed, 1 to 100 characters, holds a letter and no control
//   characters;
// - an e-mail address is trimmed, has one '@', a local part of the usual
//   characters and a domain with a dot and a top-level label of two or more
//   letters (it is not proven to exist: the confirmation mail does that);
// - a phone number is valid for libphonenumber, read as Belgian unless it
//   starts with + or 00, and comes back in E.164 ("+32470123456");
// - people is 1 to kMaxPeople.
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wegwijs::booking {

constexpr int kMaxPeople = 6;

std::optional<std::string> checked_name(std::string_view text);
std::optional<std::string> checked_email(std::string_view text);
std::optional<std::string> checked_phone(std::string_view text);
std::optional<int> checked_people(std::string_view text);

}  // namespace wegwijs::booking
