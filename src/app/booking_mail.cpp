// E-mails about bookings; see booking_mail.h.
#include "app/booking_mail.h"

#include "booking/ics.h"
#include "calendar/zone.h"
#include "dialog/appointment.h"

namespace wegwijs::app {

mail::Message booking_mail(const dialog::DialogData& data, const store::MailJob& job,
                           const std::string& from, std::int64_t now_ms) {
    const booking::Booking& b = job.booking;
    const std::string locale = data.messages.has(b.details.locale, "mail.greeting")
                                   ? b.details.locale
                                   : data.locales.front();
    const auto& msg = data.messages;
    const dialog::AppointmentText t = dialog::describe(data, b, locale);
    const calendar::Zone& zone = data.calendar.zone();
    messages::Args a = dialog::appointment_args(data, b, locale);
    a["name"] = b.details.name;

    const bool cancelled = job.event == "cancelled";
    std::string text = msg.format(locale, "mail.greeting", a) + "\n\n";
    if (cancelled) {
        text += msg.format(locale, "booking.cancelled", a) + "\n\n";
        text += msg.format(locale, "mail.cancelled_what", a) + "\n";
    } else {
        text +=
            msg.format(locale, job.event == "moved" ? "booking.moved" : "booking.confirmed", a) +
            "\n\n";
        text += msg.format(locale, "mail.keep_code", a) + "\n";
        if (!t.bring.empty()) {
            text += "\n" + msg.format(locale, "bring.intro", a) + "\n";
            for (const auto& line : t.bring) text += "- " + line + "\n";
        }
        text += "\n" + t.arrive + "\n";
        text += msg.format(locale, "mail.cancel_how", a) + "\n";
        for (const booking::Booking& other : job.also) {
            messages::Args o = a;
            o["code"] = other.code;
            o["day"] = calendar::long_date(zone, other.start_ms, locale);
            o["time"] = calendar::clock_time(zone, other.start_ms, locale);
            text += "\n" + msg.format(locale, "mail.also", o) + "\n";
        }
        text += "\n" + msg.format(locale, "mail.ics", a) + "\n";
    }
    text += "\n-- \n" + msg.format(locale, "mail.footer", a) + "\n";

    mail::Message m;
    m.from = from;
    m.to = b.details.email;
    m.subject = msg.format(locale, "mail.subject." + job.event, a);
    m.text = text;
    m.language = locale;
    const std::string domain = mail::address_of(from).substr(mail::address_of(from).find('@') + 1);
    m.message_id = "<wegwijs." + std::to_string(job.id) + "." + job.event + "@" + domain + ">";
    m.date_ms = now_ms;
    booking::Booking as_event = b;
    if (cancelled) as_event.status = "cancelled";
    m.attachments.push_back(
        {msg.format(locale, "mail.ics_file", a),
         std::string("text/calendar; charset=UTF-8; method=") + (cancelled ? "CANCEL" : "PUBLISH"),
         booking::to_ics(dialog::ics_event(data, as_event, locale, now_ms), zone.id())});
    return m;
}

}  // namespace wegwijs::app
