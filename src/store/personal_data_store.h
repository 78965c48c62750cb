// What the service keeps about one person, found by their e-mail address or
// phone number: for the right of access (handed over whole) and the right to
// erasure (deleted whole); deleting one conversation; and the retention of
// bookings, which are deleted a configured time after their appointment.
//
// Guarantees:
// - a person's records are their bookings (by e-mail or phone) and the
//   conversations that hold them: by the booking details the conversation
//   gathered, by the code of one of those bookings, by the WhatsApp number
//   it came from, or by the e-mail address typed in its text (the search
//   index: bring it up to date first, review_store.h). A phone number typed
//   in free text, in one of its many forms, is not searched;
// - erase() deletes all of them in one transaction, or nothing; a
//   conversation goes with its turns, annotations, review mark, messaging
//   user and outbox (by cascade), a booking with its claims and mails, so
//   its slot is free again;
// - delete_conversation() deletes the transcript only: an appointment made
//   in it stays, as the counter needs it;
// - purge_bookings() deletes bookings whose appointment ended before the
//   cutoff, and holds that expired before it, in short transactions.
// Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite.h"

namespace wegwijs::store {

// Whom to look for: an e-mail address (compared without case) and/or a
// phone number in E.164 ("+32470123456"); an empty field is not looked for.
struct Person {
    std::string email;
    std::string phone;
};

struct PersonBooking {
    std::string code;
    std::string status;
    std::string product;
    std::string location;
    std::string desk;
    std::int64_t start_ms = 0;
    std::int64_t end_ms = 0;
    int people = 1;
    std::string name;
    std::string email;
    std::string phone;
    std::string locale;
    std::int64_t created_ms = 0;
    std::int64_t changed_ms = 0;
};

struct PersonRecords {
    std::vector<std::string> session_ids;  // oldest first
    std::vector<PersonBooking> bookings;   // by appointment time
};

struct Erased {
    int conversations = 0;
    int bookings = 0;
};

class PersonalDataStore {
  public:
    virtual ~PersonalDataStore() = default;
    virtual PersonRecords find(const Person& p) = 0;
    virtual Erased erase(const Person& p) = 0;
    virtual bool delete_conversation(const std::string& session_id) = 0;
    virtual int purge_bookings(std::int64_t ended_before_ms) = 0;
};

class SqlitePersonalDataStore final : public PersonalDataStore {
  public:
    explicit SqlitePersonalDataStore(const std::string& path);
    PersonRecords find(const Person& p) override;
    Erased erase(const Person& p) override;
    bool delete_conversation(const std::string& session_id) override;
    int purge_bookings(std::int64_t ended_before_ms) override;

  private:
    PersonRecords find_locked(const Person& p);

    std::mutex lock_;
    Database db_;
};

}  // namespace wegwijs::store
