// Everything the assistant knows, loaded from dialogs/ and locales/, and the
// checks that make the service refuse to start on inconsistent data.
//
// Guarantees: load() never throws for bad content; it returns the data and a
// list of problems, one line each, naming the file and the place. A DialogData
// with problems must not be served (`wegwijs check` prints them).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "calendar/calendar.h"
#include "dialog/catalog.h"
#include "dialog/flow.h"
#include "dialog/slots.h"
#include "language/analyzer.h"
#include "language/examples.h"
#include "language/topic_classifier.h"
#include "language/when.h"
#include "messages/message_catalog.h"

namespace wegwijs::dialog {

// How the booking conversation talks (dialogs/booking.json).
struct BookingSettings {
    std::size_t page_size = 6;  // free times offered at once
    // words before a name that are not part of it, folded: {"mijn", "naam", "is"}
    std::vector<std::vector<std::string>> name_prefixes;
    std::vector<std::vector<std::string>> just_me;  // "alleen ik", "just me": one person
    std::vector<std::vector<std::string>> with_me;  // "me and", "met mijn": the citizen counts too
    std::vector<std::vector<std::string>>
        people_words;                                // "we are", "people": about a number of people
    std::vector<std::vector<std::string>> no_phone;  // "geen", "none": no phone number
};

struct DialogData {
    SlotSchema schema;
    Catalog catalog;
    Flow flow;
    calendar::Calendar calendar;  // dialogs/calendar.json (sample data)
    messages::MessageCatalog messages;
    std::shared_ptr<language::Dictionaries> dictionaries;
    std::unique_ptr<language::Analyzer> analyzer;
    std::vector<std::string> locales;  // supported: "nl", "en"
    BookingSettings booking;
    std::shared_ptr<const language::WhenReader> when;         // reads "dinsdag", "after 2 pm"
    std::vector<language::Example> examples;                  // dialogs/examples/
    std::shared_ptr<const language::TopicClassifier> topics;  // trained on the examples

    // The lexicon's reading of a message, with the topic classifier's labels.
    language::Analysis analyse(const std::string& text) const;
    // The same with another model (a cross-validation fold's).
    language::Analysis analyse(const std::string& text,
                               const language::TopicClassifier& model) const;
    // The examples as the classifier learns them (folded words, label).
    std::vector<language::TrainingLine> training_lines(
        const std::vector<language::Example>& examples) const;

    // root holds dialogs/ and locales/. dictionaries may be null (tests of data only).
    // The topic model is cached in model_cache (empty: <root>/var/models).
    static DialogData load(const std::string& root,
                           std::shared_ptr<language::Dictionaries> dictionaries,
                           std::vector<std::string>& problems, const std::string& model_cache = "");
};

// Message keys the code itself says (the engine, the booking confirmation):
// `check` and `serve` refuse locales that lack one.
const std::vector<std::string>& code_message_keys();

// The consistency rules of the data; appends one line per problem.
void validate(const DialogData& d, std::vector<std::string>& problems);

// The words the topic classifier reads: the message's, and the lexicon's readings.
std::vector<std::string> classifier_words(const language::Analysis& a);

// Sentences each product needs per language in dialogs/examples/.
inline constexpr std::size_t kMinExamples = 40;

// Products reached by tapping choices alone, from the start state.
std::vector<std::string> products_reachable_by_choices(const DialogData& d);

}  // namespace wegwijs::dialog
