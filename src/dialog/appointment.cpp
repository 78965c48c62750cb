// Appointments in words; see appointment.h.
#include "dialog/appointment.h"

#include <nlohmann/json.hpp>

#include "text/json_dump.h"

namespace wegwijs::dialog {

std::string facts_json(const Slots& facts) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : facts) j[k] = v;
    return text::dump(j);
}

Slots facts_of(const booking::Booking& b) {
    Slots out;
    if (b.details.facts.empty()) return out;
    const auto j = nlohmann::json::parse(b.details.facts, nullptr, false);
    if (!j.is_object()) return out;
    for (const auto& [k, v] : j.items())
        if (v.is_string()) out[k] = v.get<std::string>();
    return out;
}

AppointmentText describe(const DialogData& data, const booking::Booking& b,
                         const std::string& locale, const Slots& given) {
    const Slots facts = given.empty() ? facts_of(b) : given;
    const auto& msg = data.messages;
    const calendar::Calendar& cal = data.calendar;
    AppointmentText t;
    t.product = msg.format(locale, "product." + b.product);
    const Product* product = data.catalog.find(b.product);
    // the counter itself, not "the Loket Migratie or a service centre": the place is known
    if (product) t.desk = msg.format(locale, "desk.counter." + product->desk);
    if (const calendar::Location* loc = cal.location(b.location)) {
        t.location = loc->name_in(locale);
        t.address = loc->address;
    }
    const messages::Args args = data.catalog.contact_args();
    if (product) {
        // a booked appointment: whatever the facts, there is something to bring
        Outcome o = data.catalog.outcome(data.schema, *product, facts);
        if (o.bring.empty()) o.bring = product->bring;
        for (const auto& key : o.bring) t.bring.push_back(msg.format(locale, key, args));
    }
    t.arrive = msg.format(locale, "booking.arrive");
    t.cancel = msg.format(locale, "booking.cancel_how", {{"code", b.code}});
    return t;
}

messages::Args appointment_args(const DialogData& data, const booking::Booking& b,
                                const std::string& locale) {
    const AppointmentText t = describe(data, b, locale);
    const calendar::Zone& zone = data.calendar.zone();
    messages::Args a = data.catalog.contact_args();
    a["product"] = t.product;
    a["desk"] = t.desk;
    a["location"] = t.location;
    a["address"] = t.address;
    a["code"] = b.code;
    a["day"] = calendar::long_date(zone, b.start_ms, locale);
    a["time"] = calendar::clock_time(zone, b.start_ms, locale);
    a["people"] = std::to_string(b.details.people);
    return a;
}

booking::IcsEvent ics_event(const DialogData& data, const booking::Booking& b,
                            const std::string& locale, std::int64_t now_ms) {
    const AppointmentText t = describe(data, b, locale);
    booking::IcsEvent e;
    e.uid = b.code + "@wegwijs.gent.be";
    e.stamp_ms = now_ms;
    e.start_ms = b.start_ms;
    e.end_ms = b.end_ms;
    e.summary = data.messages.format(locale, "booking.ics.summary",
                                     {{"product", t.product}, {"desk", t.desk}});
    e.location = t.location + (t.address.empty() ? "" : ", " + t.address);
    std::string description = data.messages.format(locale, "booking.ics.code", {{"code", b.code}});
    if (!t.bring.empty()) {
        description += "\n\n" + data.messages.format(locale, "bring.intro");
        for (const auto& line : t.bring) description += "\n- " + line;
    }
    description += "\n\n" + t.arrive + "\n" + t.cancel;
    e.description = description;
    e.cancelled = b.status == "cancelled";
    return e;
}

}  // namespace wegwijs::dialog
