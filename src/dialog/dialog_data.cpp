#include "dialog/dialog_data.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include "text/normalizer.h"
#include "text/utf8.h"

namespace wegwijs::dialog {
namespace {

nlohmann::json read_json(const std::string& path, std::vector<std::string>& problems) {
    std::ifstream in(path);
    if (!in) {
        problems.push_back(path + ": cannot read");
        return nullptr;
    }
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        problems.push_back(path + ": not valid JSON: " + e.what());
        return nullptr;
    }
}

template <typename F>
void guarded(const std::string& what, std::vector<std::string>& problems, F&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        problems.push_back(what + ": " + e.what());
    }
}

std::vector<std::vector<std::string>> phrase_list(const nlohmann::json& lists,
                                                  const std::string& name) {
    std::vector<std::vector<std::string>> out;
    if (!lists.is_object()) throw std::invalid_argument(name + " must map a locale to phrases");
    for (const auto& [locale, list] : lists.items())
        for (const auto& p : list) {
            if (!p.is_string()) throw std::invalid_argument(name + "." + locale + ": not a phrase");
            out.push_back(language::WhenReader::tokens(p.get<std::string>()));
            if (out.back().empty())
                throw std::invalid_argument(name + "." + locale + ": an empty phrase");
        }
    // longest first, so "my name is" is taken before "name"
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.size() > b.size(); });
    return out;
}

BookingSettings booking_settings(const nlohmann::json& j) {
    BookingSettings b;
    const int page = j.value("page_size", 6);
    if (page < 1 || page > 7)  // with "later", "another day" and "elsewhere": at most 10 choices
        throw std::invalid_argument("page_size must be 1 to 7");
    b.page_size = static_cast<std::size_t>(page);
    b.name_prefixes =
        phrase_list(j.value("name_prefixes", nlohmann::json::object()), "name_prefixes");
    b.just_me = phrase_list(j.value("just_me", nlohmann::json::object()), "just_me");
    b.with_me = phrase_list(j.value("with_me", nlohmann::json::object()), "with_me");
    b.people_words = phrase_list(j.value("people_words", nlohmann::json::object()), "people_words");
    b.no_phone = phrase_list(j.value("no_phone", nlohmann::json::object()), "no_phone");
    return b;
}

}  // namespace

DialogData DialogData::load(const std::string& root,
                            std::shared_ptr<language::Dictionaries> dictionaries,
                            std::vector<std::string>& problems, const std::string& model_cache) {
    DialogData d;
    d.dictionaries = std::move(dictionaries);
    const std::string dir = root + "/dialogs/";
    const auto slots = read_json(dir + "slots.json", problems);
    const auto catalog = read_json(dir + "catalog.json", problems);
    const auto flow = read_json(dir + "flow.json", problems);
    const auto lexicon = read_json(dir + "lexicon.json", problems);
    const auto calendar = read_json(dir + "calendar.json", problems);
    if (!slots.is_null())
        guarded(dir + "slots.json", problems, [&] { d.schema = SlotSchema::from_json(slots); });
    if (!catalog.is_null())
        guarded(dir + "catalog.json", problems,
                [&] { d.catalog = Catalog::from_json(catalog, d.schema); });
    if (!flow.is_null())
        guarded(dir + "flow.json", problems, [&] { d.flow = Flow::from_json(flow); });
    if (!lexicon.is_null())
        guarded(dir + "lexicon.json", problems, [&] {
            d.analyzer = std::make_unique<language::Analyzer>(language::Lexicon::from_json(lexicon),
                                                              d.dictionaries.get());
        });
    if (!calendar.is_null())
        guarded(dir + "calendar.json", problems,
                [&] { d.calendar = calendar::Calendar::from_json(calendar); });
    d.locales = {"nl", "en"};
    const auto booking = read_json(dir + "booking.json", problems);
    if (!booking.is_null())
        guarded(dir + "booking.json", problems, [&] {
            d.when = std::make_shared<const language::WhenReader>(booking, d.locales);
            d.booking = booking_settings(booking);
        });
    d.examples = language::load_examples(dir + "examples", problems);
    const bool structure_loaded = problems.empty();
    std::map<std::string, std::string> files;
    for (const auto& l : d.locales) files[l] = root + "/locales/" + l + ".json";
    d.messages = messages::MessageCatalog::load(files, problems);
    // Cross-checks need the dialog files; a broken message still lets them run,
    // so that one `check` lists every problem.
    if (structure_loaded) validate(d, problems);
    if (problems.empty() && d.analyzer)
        guarded(dir + "examples", problems, [&] {
            // what the model is made of: the examples, and the lexicon whose
            // readings are among the words it learns from
            // (with or without the Hunspell dictionaries, whose votes change
            // what the lexicon reads)
            std::string source = d.dictionaries ? "hunspell\n" : "no dictionaries\n";
            source += lexicon.dump();
            for (const auto& e : d.examples)
                source += "\n" + e.locale + "\t" + e.label + "\t" + e.text;
            d.topics = language::TopicClassifier::trained(
                source, [&] { return d.training_lines(d.examples); },
                model_cache.empty() ? root + "/var/models" : model_cache);
        });
    return d;
}

std::vector<std::string> classifier_words(const language::Analysis& a) {
    std::vector<std::string> words = a.words;
    // what the lexicon read, as words of their own: the classifier learns how
    // far each reading of the lexicon is to be trusted for the topic
    for (const auto& m : a.matches)
        words.push_back(m.intent.empty() ? "__" + m.slot + "_" + m.value : "__" + m.intent);
    return words;
}

language::Analysis DialogData::analyse(const std::string& text) const {
    return topics ? analyse(text, *topics) : analyzer->analyse(text);
}

language::Analysis DialogData::analyse(const std::string& text,
                                       const language::TopicClassifier& model) const {
    language::Analysis a = analyzer->analyse(text);
    a.topics = model.classify(classifier_words(a));
    return a;
}

std::vector<language::TrainingLine> DialogData::training_lines(
    const std::vector<language::Example>& list) const {
    std::vector<language::TrainingLine> out;
    out.reserve(list.size());
    for (const auto& e : list)
        out.push_back({e.label, classifier_words(analyzer->analyse(e.text))});
    return out;
}

const std::vector<std::string>& code_message_keys() {
    static const std::vector<std::string> keys{"welcome",
                                               "misunderstood",
                                               "fallback.menu",
                                               "human.any",
                                               "language.name",
                                               "language.switched",
                                               "language.unsupported",
                                               "session.expired",
                                               "session.unknown",
                                               "back.done",
                                               "back.nothing",
                                               "restart.done",
                                               "rules.intro",
                                               "bring.intro",
                                               "appointment.depends",
                                               "booking.arrive",
                                               "booking.cancel_how",
                                               "booking.ics.code",
                                               "booking.ics.summary",
                                               "help",
                                               "fees"};
    static const std::vector<std::string> all = [] {
        std::vector<std::string> k = keys;
        // said by the booking dialog (dialog/booking_dialog.cpp)
        for (const char* key : {"choice.book",
                                "booking.where",
                                "booking.where_only",
                                "booking.people",
                                "booking.people_again",
                                "booking.people_changed",
                                "booking.changed",
                                "choice.people",
                                "booking.slots",
                                "booking.slots_later",
                                "booking.slots_wish",
                                "booking.slots_nomatch",
                                "booking.no_later",
                                "choice.slot",
                                "choice.later",
                                "choice.another_day",
                                "choice.other_location",
                                "booking.which_day",
                                "booking.when_unclear",
                                "booking.none",
                                "booking.taken",
                                "booking.gone",
                                "booking.held",
                                "booking.ask_name",
                                "booking.bad_name",
                                "booking.ask_email",
                                "booking.bad_email",
                                "booking.ask_phone",
                                "booking.bad_phone",
                                "choice.no_phone",
                                "booking.summary",
                                "choice.book_yes",
                                "choice.change_time",
                                "choice.change_details",
                                "choice.stop_booking",
                                "booking.confirmed",
                                "booking.moved",
                                "booking.stopped",
                                "booking.ask_code",
                                "booking.bad_code",
                                "booking.ask_find_email",
                                "booking.not_found",
                                "booking.found",
                                "booking.ask_cancel",
                                "choice.cancel_yes",
                                "choice.keep",
                                "booking.cancelled",
                                "booking.kept",
                                "booking.move_pick",
                                "booking.move_summary",
                                "choice.move_yes",
                                "choice.cancel_booking",
                                "choice.move_booking",
                                "mail.subject.confirmed",
                                "mail.subject.moved",
                                "mail.subject.cancelled",
                                "mail.greeting",
                                "mail.cancelled_what",
                                "mail.keep_code",
                                "mail.cancel_how",
                                "mail.also",
                                "mail.ics",
                                "mail.ics_file",
                                "mail.footer"})
            k.push_back(key);
        return k;
    }();
    return all;
}

// The longest label a messaging app's button shows (WhatsApp's reply button).
constexpr std::size_t kShortLabel = 20;
constexpr std::size_t kChoiceIdBytes = 64;

void validate(const DialogData& d, std::vector<std::string>& problems) {
    const SlotSchema& schema = d.schema;
    auto need_key = [&](const std::string& key, const std::string& where) {
        for (const auto& l : d.locales)
            if (!d.messages.has(l, key))
                problems.push_back(where + ": message key '" + key + "' missing in locales/" + l +
                                   ".json");
    };
    auto check_condition = [&](const Condition& c, const std::string& where) {
        for (const auto& [slot, values] : c) {
            if (!schema.has_slot(slot)) {
                problems.push_back(where + ": unknown slot '" + slot + "'");
                continue;
            }
            for (const auto& v : values)
                if (!schema.has_value(slot, v))
                    problems.push_back(where + ": '" + v + "' is not a value of " + slot);
        }
    };
    auto check_facts = [&](const Slots& s, const std::string& where) {
        for (const auto& [slot, v] : s)
            if (!schema.has_value(slot, v))
                problems.push_back(where + ": '" + slot + "=" + v + "' is not a slot value");
    };
    auto check_choices = [&](const std::vector<Choice>& choices, const std::string& where) {
        std::set<std::string> ids;
        for (const auto& c : choices) {
            const std::string at = where + " choice '" + c.id + "'";
            if (!ids.insert(c.id).second) problems.push_back(at + ": duplicate id");
            need_key(c.label, at);
            check_facts(c.set, at);
            check_condition(c.when, at);
            for (const auto& k : c.keep)
                if (!k.empty() && !schema.has_slot(k))
                    problems.push_back(at + ": keeps unknown slot '" + k + "'");
        }
    };

    // Catalog
    std::set<std::string> product_ids;
    for (const auto& desk : d.catalog.desks()) {
        if (!schema.has_value("desk", desk))
            problems.push_back("catalog.json: desk '" + desk + "' is not a value of slot desk");
        need_key("desk." + desk, "catalog.json desk " + desk);
        need_key("desk.counter." + desk, "catalog.json desk " + desk);
        need_key("human." + desk, "catalog.json desk " + desk);
    }
    for (const auto& key : d.catalog.general_rules()) need_key(key, "catalog.json general_rules");
    for (const auto& p : d.catalog.products()) {
        const std::string where = "catalog.json product " + p.id;
        if (!product_ids.insert(p.id).second) problems.push_back(where + ": duplicate product id");
        if (std::find(d.catalog.desks().begin(), d.catalog.desks().end(), p.desk) ==
            d.catalog.desks().end())
            problems.push_back(where + ": unknown desk '" + p.desk + "'");
        if (p.id.rfind(p.desk + ".", 0) != 0)
            problems.push_back(where + ": id does not start with its desk");
        if (p.when.empty()) problems.push_back(where + ": no facts select it ('when' is empty)");
        check_condition(p.when, where);
        for (const auto& key : {"product." + p.id, "outcome." + p.id}) need_key(key, where);
        for (const auto& key : p.notes) need_key(key, where);
        for (const auto& key : p.bring) need_key(key, where);
        for (const auto& r : p.rules)
            for (const auto& key : r.bring) need_key(key, where);
        static const std::set<std::string> kinds{"required", "optional", "not_needed", ""};
        if (!kinds.count(p.appointment))
            problems.push_back(where + ": appointment '" + p.appointment +
                               "' is not one of required, optional, not_needed");
        for (const auto& r : p.rules) {
            check_condition(r.when, where + " rule");
            if (!kinds.count(r.appointment))
                problems.push_back(where + ": rule appointment '" + r.appointment +
                                   "' is not valid");
            for (const auto& key : r.notes) need_key(key, where + " rule");
        }
    }

    // Flow
    const auto& states = d.flow.states();
    if (!states.count(d.flow.start())) {
        problems.push_back("flow.json: start state '" + d.flow.start() + "' does not exist");
        return;
    }
    for (const auto& [id, st] : states) {
        const std::string where = "flow.json state " + id;
        if (st.type == State::Type::question || st.type == State::Type::confirm) {
            if (!schema.has_slot(st.slot))
                problems.push_back(where + ": unknown slot '" + st.slot + "'");
            need_key(st.ask, where);
            if (st.choices.empty()) problems.push_back(where + ": a question needs choices");
            if (st.next.empty() || !st.next.back().when.empty())
                problems.push_back(
                    where +
                    ": the last transition must have no condition (a way on in every case)");
        }
        for (const auto& key : st.say) need_key(key, where);
        check_choices(st.choices, where);
        for (const auto& t : st.next) {
            if (!states.count(t.to))
                problems.push_back(where + ": transition to nowhere ('" + t.to + "')");
            check_condition(t.when, where + " transition");
        }
    }
    for (const auto& key : code_message_keys()) need_key(key, "the code");
    check_choices(d.flow.menu(), "flow.json menu");
    check_choices(d.flow.end_choices(), "flow.json end_choices");

    // Reachability over the transition graph.
    std::set<std::string> seen;
    std::function<void(const std::string&)> visit = [&](const std::string& id) {
        if (!states.count(id) || !seen.insert(id).second) return;
        for (const auto& t : states.at(id).next) visit(t.to);
    };
    visit(d.flow.start());
    for (const auto& [id, _] : states)
        if (!seen.count(id))
            problems.push_back("flow.json state " + id + ": cannot be reached from '" +
                               d.flow.start() + "'");

    // Lexicon: every slot value it names exists.
    if (d.analyzer)
        for (const auto& e : d.analyzer->lexicon().entries)
            if (e.kind == language::LexiconEntry::Kind::slot && !schema.has_value(e.slot, e.value))
                problems.push_back("lexicon.json: slots." + e.slot + "." + e.value +
                                   " is not a slot value");

    // The examples: every label a product or a known kind, every product taught
    // in every language, and no sentence taught as two different things.
    {
        std::map<std::pair<std::string, std::string>, std::size_t> count;
        std::map<std::string, std::string> label_of;  // folded sentence -> label
        for (const auto& e : d.examples) {
            const std::string where = "dialogs/examples/" + e.locale + "/" + e.label + ".txt";
            if (std::find(d.locales.begin(), d.locales.end(), e.locale) == d.locales.end()) {
                problems.push_back(where + ": '" + e.locale + "' is not a supported language");
                continue;
            }
            if (e.label != language::kVague && e.label != language::kOutOfScope &&
                !d.catalog.find(e.label)) {
                problems.push_back(where + ": '" + e.label +
                                   "' is not a product, 'vague' or 'out_of_scope'");
                continue;
            }
            ++count[{e.locale, e.label}];
            const std::string folded = text::Normalizer::fold_plain(e.text);
            const auto [it, fresh] = label_of.emplace(folded, e.label);
            if (!fresh && it->second != e.label)
                problems.push_back(where + ": '" + e.text + "' is also an example of " +
                                   it->second);
        }
        std::vector<std::string> labels{language::kVague, language::kOutOfScope};
        for (const auto& p : d.catalog.products()) labels.push_back(p.id);
        for (const auto& l : d.locales)
            for (const auto& label : labels) {
                const std::size_t n = count[{l, label}];
                if (n < kMinExamples)
                    problems.push_back("dialogs/examples/" + l + "/" + label +
                                       ".txt: " + std::to_string(n) + " examples, at least " +
                                       std::to_string(kMinExamples) + " needed");
            }
    }

    // The calendar: products it names exist, and every product that takes an
    // appointment is offered somewhere.
    std::set<std::string> product_set;
    std::set<std::string> bookable;
    for (const auto& p : d.catalog.products()) {
        product_set.insert(p.id);
        if (p.appointment == "required" || p.appointment == "optional") bookable.insert(p.id);
    }
    calendar::validate(d.calendar, product_set, bookable, problems);
    for (const auto& loc : d.calendar.locations())
        for (const auto& l : d.locales)
            if (!loc.name.count(l) || !loc.at.count(l))
                problems.push_back("calendar.json location " + loc.id +
                                   ": no name or 'at' form in " + l + " (\"in het Stadskantoor\")");

    // Choice labels fit a messaging app's buttons (WhatsApp: 20 characters
    // for a reply button, 24 for a list row): a longer label has a short one
    // ("short.<key>", at most 20) that those channels show.
    using text::characters;
    // Every sentence in every language: a key only one locale has is a
    // sentence the other language never gets (or a short label it lacks).
    for (const auto& l : d.locales)
        for (const auto& key : d.messages.keys(l))
            for (const auto& other : d.locales)
                if (other != l && !d.messages.has(other, key))
                    problems.push_back("locales/" + l + ".json " + key + ": missing in locales/" +
                                       other + ".json");
    messages::Args sample = d.catalog.contact_args();
    sample["n"] = "4";
    sample["day"] = "wo 30 sep";
    sample["time"] = "10:30";
    const auto shown = [&](const std::string& l, const std::string& key) {
        try {
            return d.messages.format(l, key, sample);
        } catch (const std::exception&) {
            return std::string();  // reported where the key is used
        }
    };
    for (const auto& l : d.locales)
        for (const auto& key : d.messages.keys(l)) {
            if (key.rfind("short.", 0) == 0) {
                const std::string text = shown(l, key);
                if (characters(text) > kShortLabel)
                    problems.push_back("locales/" + l + ".json " + key + ": '" + text + "' has " +
                                       std::to_string(characters(text)) + " characters, at most " +
                                       std::to_string(kShortLabel));
                if (!d.messages.has(l, key.substr(6)))
                    problems.push_back("locales/" + l + ".json " + key + ": no label '" +
                                       key.substr(6) + "' to be short for");
                continue;
            }
            if (key.rfind("choice.", 0) != 0) continue;
            const std::string text = shown(l, key);
            if (characters(text) > kShortLabel && !d.messages.has(l, "short." + key))
                problems.push_back("locales/" + l + ".json " + key + ": '" + text + "' has " +
                                   std::to_string(characters(text)) +
                                   " characters; a messaging app's button takes " +
                                   std::to_string(kShortLabel) + ": add 'short." + key +
                                   "' with a short label");
        }

    // A choice id comes back as a tapped button's data: Telegram's
    // callback_data takes at most 64 bytes (WhatsApp's ids 200 characters).
    const auto id_fits = [&](const std::string& where, const std::string& id) {
        if (id.size() > kChoiceIdBytes)
            problems.push_back(where + ": choice id '" + id + "' has " + std::to_string(id.size()) +
                               " bytes, at most " + std::to_string(kChoiceIdBytes));
    };
    for (const auto& [state_id, st] : d.flow.states())
        for (const auto& c : st.choices) id_fits("flow.json state " + state_id, c.id);
    for (const auto& c : d.flow.menu()) id_fits("flow.json menu", c.id);
    for (const auto& c : d.flow.end_choices()) id_fits("flow.json end choices", c.id);
    for (const auto& loc : d.calendar.locations())
        id_fits("calendar.json location " + loc.id, "location." + loc.id);

    // Every product reachable by choices alone.
    if (!problems.empty()) return;
    const auto reached = products_reachable_by_choices(d);
    for (const auto& p : d.catalog.products())
        if (std::find(reached.begin(), reached.end(), p.id) == reached.end())
            problems.push_back("catalog.json product " + p.id + ": no path of choices leads to it");
    for (const auto& id : reached)
        if (!d.catalog.find(id))
            problems.push_back("flow.json: a path leads to product '" + id +
                               "', not in the catalog");
}

std::vector<std::string> products_reachable_by_choices(const DialogData& d) {
    std::set<std::string> products;
    std::set<Slots> seen;
    std::vector<Slots> todo{Slots{}};
    while (!todo.empty() && seen.size() < 100000) {
        Slots s = todo.back();
        todo.pop_back();
        d.catalog.infer(d.schema, s);
        if (!seen.insert(s).second) continue;
        const State& st = d.flow.walk(d.schema, s);
        if (st.type == State::Type::confirm || st.type == State::Type::outcome) {
            if (const Product* p = d.catalog.resolve(d.schema, s)) products.insert(p->id);
            if (st.type == State::Type::outcome) continue;
        }
        if (st.type == State::Type::stop || st.type == State::Type::outcome) continue;
        for (const auto& c : d.flow.offered(d.schema, st, s)) {
            if (st.type == State::Type::confirm && !c.set.count(st.slot))
                continue;  // corrections go back
            Slots next = s;
            for (const auto& [k, v] : c.set) next[k] = v;
            todo.push_back(next);
        }
    }
    return {products.begin(), products.end()};
}

}  // namespace wegwijs::dialog
