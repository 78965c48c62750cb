// wegwijs: the command line. serve | chat | route | check, each with --help.
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "app/assistant.h"
#include "app/channel_sender.h"
#include "app/mailer.h"
#include "app/periodic.h"
#include "app/purger.h"
#include "app/storage_health.h"
#include "booking/hold_limit.h"
#include "calendar/zone.h"
#include "dialog/evaluation.h"
#include "dialog/router.h"
#include "mail/message.h"
#include "staff/password.h"
#include "store/backup.h"
#include "store/channel_store.h"
#include "store/mail_outbox.h"
#include "store/personal_data_store.h"
#include "store/review_store.h"
#include "store/schema.h"
#include "store/sqlite_store.h"
#include "store/staff_store.h"
#include "text/list.h"
#include "webhook/booking_api.h"
#include "webhook/browser_policy.h"
#include "webhook/channels/telegram.h"
#include "webhook/channels/whatsapp.h"
#include "webhook/http_api.h"
#include "webhook/staff/staff_api.h"
#include "webhook/staff/staff_pages.h"
#include "webhook/terminal_chat.h"
#include "webhook/web_widget.h"

namespace {

using namespace wegwijs;

const char* const kUsage =
    "wegwijs: the booking assistant of the City of Ghent's migration desks\n\n"
    "usage: wegwijs <command> [options]\n\n"
    "commands:\n"
    "  serve            run the HTTP service (the demo page with the chat widget on /,\n"
    "                   POST /v1/chat, GET /v1/chat/{id}, POST /v1/route, GET /healthz;\n"
    "                   with WEGWIJS_API_KEY set: the booking API, /v1/products ... /v1/bookings)\n"
    "  backup FILE      copy the database to FILE, consistently, while the service runs\n"
    "  staff ...        staff accounts for the review area: add, passwd, remove, list\n"
    "  chat             a conversation in this terminal, same engine and store\n"
    "  route \"<text>\"   print the routing JSON for one sentence\n"
    "  eval FILE        score the routing on a JSONL file of sentences, or with\n"
    "                   --cross-validate K on dialogs/examples/\n"
    "  train            train the topic classifier on dialogs/examples/ and cache it\n"
    "  check            validate dialogs/ and locales/ (and with --db, the database file);\n"
    "                   exit 1 listing every problem\n\n"
    "'wegwijs <command> --help' describes a command's options.\n";

const std::map<std::string, std::string> kHelp = {
    {"serve",
     "usage: wegwijs serve [--host H] [--port P] [--db FILE] [--data DIR] [--idle-minutes N]\n"
     "                     [--retention-days N] [--threads N] [--access-log]\n"
     "                     [--hold-minutes N] [--now ISO-TIME] [--web DIR]\n"
     "                     [--allow-origin ORIGINS] [--public-url URL]\n"
     "                     [--holds-per-client N] [--holds-per-minute N]\n"
     "                     [--trusted-proxy ADDRESSES]\n"
     "                     [--smtp-url URL --mail-from ADDRESS] [--mail-retry-seconds N]\n"
     "                     [--whatsapp-api-base URL] [--telegram-api-base URL]\n"
     "                     [--send-parallel N] [--audit-retention-days N]\n"
     "                     [--booking-retention-days N]\n\n"
     "  --host            address to listen on (default 127.0.0.1)\n"
     "  --port            port (default 8080; 0 picks a free one and prints it)\n"
     "  --db              SQLite file (default var/wegwijs.db)\n"
     "  --data            folder holding dialogs/ and locales/ (default: the source tree)\n"
     "  --idle-minutes    a session idle this long expires (default 30)\n"
     "  --retention-days  transcripts of sessions idle this long are purged (default 30); a\n"
     "                    session that never got past its first turn goes after --idle-minutes\n"
     "  --threads         connections served at once, a thread each, started as needed\n"
     "                    (default 1024; more wait for one to end)\n"
     "  --access-log      log method, path and status of every request (never bodies)\n"
     "  --hold-minutes    a chosen slot is held this long for the citizen's details (default 10)\n"
     "  --now             start the service's clock at this time, e.g. 2026-12-01T09:00:00+01:00\n"
     "                    (for tests and demos; the clock runs on from there)\n"
     "  --web             folder with index.html, widget.js and widget.css\n"
     "                    (default: webhook/web under --data)\n"
     "  --allow-origin    other sites whose pages may embed the widget, comma-separated,\n"
     "                    e.g. https://stad.gent,https://www.gent.be (the service's own\n"
     "                    origin always may; requests from any other get a 403)\n"
     "  --public-url      the service's own origin as browsers see it, e.g.\n"
     "                    https://wegwijs.gent.be (default: where it listens)\n"
     "  --holds-per-client  new holds per minute one client address may make (default 10)\n"
     "  --holds-per-minute  new holds per minute from all clients together (default 300)\n"
     "  --trusted-proxy   addresses of reverse proxies in front, comma-separated, e.g. 127.0.0.1:\n"
     "                    their X-Forwarded-For names the client for the limits per client\n"
     "  --smtp-url        the mail server for the e-mails about bookings, e.g.\n"
     "                    smtp://mail.example.org:587 or smtps://user:password@host (or set\n"
     "                    WEGWIJS_SMTP_URL, to keep a password off the command line); unset: no\n"
     "                    e-mail. Mails wait in the database until the server takes them.\n"
     "  --mail-from       the sender, e.g. \"Stad Gent Wegwijs <wegwijs@stad.gent>\"\n"
     "  --mail-retry-seconds  first wait before a mail is tried again; it doubles up to\n"
     "                    an hour, and a mail is given up after 48 hours (default 30)\n"
     "  --whatsapp-api-base  the WhatsApp Cloud API (default https://graph.facebook.com/v21.0);\n"
     "                    the channel answers at /v1/channels/whatsapp with\n"
     "                    WEGWIJS_WHATSAPP_VERIFY_TOKEN, WEGWIJS_WHATSAPP_APP_SECRET and\n"
     "                    WEGWIJS_WHATSAPP_TOKEN (the access token for sending) set\n"
     "  --telegram-api-base  the Telegram Bot API (default https://api.telegram.org); the\n"
     "                    channel answers at /v1/channels/telegram with WEGWIJS_TELEGRAM_SECRET\n"
     "                    (the webhook's secret_token) and WEGWIJS_TELEGRAM_TOKEN (the bot's) "
     "set\n"
     "  --send-parallel   replies to the messaging apps under way at once, each to another\n"
     "                    user (default 8); lower it to stay under a platform's rate limit\n"
     "  --audit-retention-days  the staff audit log keeps entries this long (default 730)\n"
     "  --booking-retention-days  a booking is deleted this long after its appointment\n"
     "                    (default 90; the privacy notice in the chat says so)\n\n"
     "The staff area is at /staff/ (accounts: 'wegwijs staff add').\n"},
    {"staff",
     "usage: wegwijs staff add NAME --role reviewer|admin [--db FILE]\n"
     "       wegwijs staff passwd NAME [--db FILE]\n"
     "       wegwijs staff remove NAME [--db FILE]\n"
     "       wegwijs staff list [--db FILE]\n\n"
     "Staff accounts for the review area at /staff/. add and passwd read the password\n"
     "from standard input (never an argument, so it stays out of the shell's history and\n"
     "the process list): one line, at least 12 characters; on a terminal it is asked\n"
     "twice without echo. It is stored as an argon2id hash (libsodium). passwd and remove\n"
     "end the account's sessions. Each change is written to the audit log.\n"},
    {"backup",
     "usage: wegwijs backup [--db FILE] TARGET\n\n"
     "Copies the database (default var/wegwijs.db) to TARGET with SQLite's online backup:\n"
     "a consistent copy, taken while the service goes on serving. TARGET must not exist.\n"},
    {"chat",
     "usage: wegwijs chat [--db FILE] [--data DIR] [--locale nl|en]\n\n"
     "A conversation on this terminal. Type a number to pick a choice, /quit to stop.\n"},
    {"route",
     "usage: wegwijs route [--data DIR] [--locale nl|en] \"<text>\"\n\nPrints the JSON of POST "
     "/v1/route.\n"},
    {"eval",
     "usage: wegwijs eval [--data DIR] [--min ACCURACY] [--json] FILE\n"
     "       wegwijs eval [--data DIR] [--min ACCURACY] [--json] --cross-validate K\n\n"
     "Routes every sentence of FILE (JSONL: {\"text\", \"lang\", \"expect\": [product or null]})\n"
     "as POST /v1/route does, or, with --cross-validate K, trains K topic models on the\n"
     "examples, each without one fold, and routes the fold it did not see. Prints the\n"
     "accuracy (in all and per language), precision and recall per product, the pairs\n"
     "most confused and the sentences missed; --json prints the same as JSON.\n"
     "Exits 1 when the accuracy is below --min (0 to 1).\n"},
    {"train",
     "usage: wegwijs train [--data DIR] [--models DIR]\n\n"
     "Trains the topic classifier on dialogs/examples/ (one thread, a fixed seed) and\n"
     "caches the model in DIR (default: <data>/var/models) under the examples' hash, so\n"
     "that `serve` starts without training. `serve` trains by itself when no model is cached.\n"},
    {"check",
     "usage: wegwijs check [--data DIR] [--db FILE]\n\n"
     "Validates dialogs/ and locales/: unreachable states, transitions to nowhere, products\n"
     "without a path of choices, missing or unparsable messages, unknown slots and products,\n"
     "the calendar: opening hours, slot lengths, closures, products no location offers;\n"
     "and the web widget's files with the messages they use.\n"
     "With --db, also the database file: SQLite's quick_check, and its schema version.\n"
     "Prints every problem and exits 1, or prints 'ok' and exits 0.\n"},
};

struct Args {
    std::string command;
    std::map<std::string, std::string> options;
    std::vector<std::string> positional;
    bool help = false;
};

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h")
            a.help = true;
        else if (arg == "--access-log" || arg == "--json")
            a.options[arg] = "1";
        else if (arg.rfind("--", 0) == 0) {
            if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
            a.options[arg] = argv[++i];
        } else if (a.command.empty())
            a.command = arg;
        else
            a.positional.push_back(arg);
    }
    return a;
}

std::string option(const Args& a, const std::string& name, const std::string& fallback) {
    const auto it = a.options.find(name);
    return it == a.options.end() ? fallback : it->second;
}

std::string data_root(const Args& a) {
    if (a.options.count("--data")) return a.options.at("--data");
    if (const char* env = std::getenv("WEGWIJS_DATA")) return env;
    if (std::filesystem::exists("dialogs/flow.json")) return ".";
    return WEGWIJS_SOURCE_DIR;
}

void report_problems(const std::string& what, const std::vector<std::string>& problems) {
    std::cerr << "wegwijs: " << what << " is inconsistent (" << problems.size() << " problem"
              << (problems.size() == 1 ? "" : "s") << "):\n";
    for (const auto& p : problems) std::cerr << "  - " << p << "\n";
}

// Loads the data or prints every problem; null on problems.
std::unique_ptr<dialog::DialogData> load_data(const Args& a, bool dictionaries) {
    std::vector<std::string> problems;
    std::shared_ptr<language::Dictionaries> dicts;
    try {
        if (dictionaries)
            dicts =
                std::make_shared<language::Dictionaries>(language::Dictionaries::debian_defaults());
    } catch (const std::exception& e) {
        problems.push_back(e.what());
    }
    // the dictionaries load in the background meanwhile
    auto d = std::make_unique<dialog::DialogData>(
        dialog::DialogData::load(data_root(a), dicts, problems, option(a, "--models", "")));
    if (dicts) dicts->wait();
    if (problems.empty()) return d;
    report_problems("the dialog data in " + data_root(a), problems);
    return nullptr;
}

std::string web_root(const Args& a) {
    return option(a, "--web", data_root(a) + "/webhook/web");
}

// What the service serves to browsers: the widget and the staff pages.
struct Pages {
    webhook::WebFiles web;
    webhook::StaffFiles staff;
};

// Loads the widget's and the staff area's files or prints every problem;
// nullopt on problems.
std::optional<Pages> load_web(const Args& a, const dialog::DialogData& data, int retention_days) {
    std::vector<std::string> problems;
    Pages pages{webhook::load_web_files(web_root(a), data, problems,
                                        {{"days", std::to_string(retention_days)}}),
                webhook::load_staff_files(web_root(a) + "/staff", data, problems)};
    if (problems.empty()) return pages;
    report_problems("the web pages in " + web_root(a), problems);
    return std::nullopt;
}

std::optional<std::string> locale_option(const Args& a) {
    if (!a.options.count("--locale")) return std::nullopt;
    const std::string l = a.options.at("--locale");
    if (l != "nl" && l != "en") throw std::invalid_argument("--locale must be nl or en");
    return l;
}

std::string db_path(const Args& a) {
    return option(a, "--db", "var/wegwijs.db");
}

// What to do about a damaged database, for the operator.
void explain_damage(const std::string& path, const std::string& what) {
    std::cerr << "wegwijs: " << what << "\n"
              << "  The service does not serve a damaged file: the bookings in it cannot be "
                 "trusted.\n"
              << "  Stop every wegwijs using it, keep the damaged file aside for analysis, and "
                 "restore the last copy made with 'wegwijs backup':\n"
              << "    mv " << path << " " << path << ".damaged; rm -f " << path << "-wal " << path
              << "-shm\n"
              << "    cp BACKUP-FILE " << path << "\n"
              << "  then check it with: wegwijs check --db " << path << "\n";
}

// Opens the session store, or says why not (naming the file) and returns null.
std::unique_ptr<store::SqliteStore> open_store(const Args& a) {
    const std::string path = db_path(a);
    try {
        const auto parent = std::filesystem::path(path).parent_path();
        if (!parent.empty()) std::filesystem::create_directories(parent);
        return std::make_unique<store::SqliteStore>(path);
    } catch (const store::DamagedDatabase& e) {
        explain_damage(path, e.what());
    } catch (const std::exception& e) {
        std::cerr << "wegwijs: cannot use the database " << path << ": " << e.what() << "\n";
    }
    return nullptr;
}

// Lets the service keep as many connections open as the system allows.
void raise_open_file_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);  // best effort: the default still serves
    }
}

int positive_option(const Args& a, const std::string& name, int fallback) {
    const std::string text = option(a, name, std::to_string(fallback));
    std::size_t used = 0;
    int value = 0;
    try {
        value = std::stoi(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || value < 1)
        throw std::invalid_argument(name + " must be a whole number of 1 or more");
    return value;
}

httplib::Server* g_server = nullptr;
void stop_server(int) {
    if (g_server) g_server->stop();
}

// The service's clock: the system clock, or with --now one that starts at the
// given time and runs on at the speed of the steady clock.
app::Clock service_clock(const Args& a) {
    if (!a.options.count("--now")) return app::system_clock_ms;
    const std::int64_t start = calendar::parse_iso8601(a.options.at("--now"));
    const auto origin = std::chrono::steady_clock::now();
    return [start, origin] {
        return start + std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - origin)
                           .count();
    };
}

int serve(const Args& a) {
    const auto started = std::chrono::steady_clock::now();
    app::Clock clock;
    try {
        clock = service_clock(a);
    } catch (const std::invalid_argument&) {
        std::cerr << "wegwijs: --now must be an ISO 8601 time with an offset, e.g. "
                     "2026-12-01T09:00:00+01:00\n";
        return 2;
    }
    webhook::BrowserPolicy policy;
    try {
        policy.allowed_origins = webhook::parse_origins(option(a, "--allow-origin", ""));
    } catch (const std::invalid_argument& e) {
        std::cerr << "wegwijs: --allow-origin: " << e.what() << "\n";
        return 2;
    }
    auto data = load_data(a, true);
    if (!data) return 1;
    auto web = load_web(a, *data, positive_option(a, "--retention-days", 30));
    if (!web) return 1;
    const std::string port_text = option(a, "--port", "8080");
    if (port_text.empty() || port_text.size() > 5 ||
        port_text.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port_text) > 65535) {
        std::cerr << "wegwijs: --port must be 0 to 65535\n";
        return 2;
    }
    const int port_wanted = std::stoi(port_text);
    const std::chrono::minutes idle(positive_option(a, "--idle-minutes", 30));
    const std::chrono::minutes hold_for(positive_option(a, "--hold-minutes", 10));
    const int retention_days = positive_option(a, "--retention-days", 30);
    const int booking_retention_days = positive_option(a, "--booking-retention-days", 90);
    const booking::HoldLimits limits{positive_option(a, "--holds-per-client", 10),
                                     positive_option(a, "--holds-per-minute", 300)};
    std::vector<std::string> public_origins;
    if (a.options.count("--public-url")) {
        try {
            public_origins = webhook::parse_origins(a.options.at("--public-url"));
        } catch (const std::invalid_argument& e) {
            std::cerr << "wegwijs: --public-url: " << e.what() << "\n";
            return 2;
        }
    }
    std::string smtp_url = option(a, "--smtp-url", "");
    if (const char* env = std::getenv("WEGWIJS_SMTP_URL"); smtp_url.empty() && env != nullptr)
        smtp_url = env;
    const std::string mail_from = option(a, "--mail-from", "");
    if (!smtp_url.empty() && smtp_url.rfind("smtp://", 0) != 0 &&
        smtp_url.rfind("smtps://", 0) != 0) {
        std::cerr << "wegwijs: --smtp-url must start with smtp:// or smtps://\n";
        return 2;
    }
    if (!smtp_url.empty() && mail::address_of(mail_from).empty()) {
        std::cerr << "wegwijs: --smtp-url needs --mail-from with an e-mail address, e.g. "
                     "\"Wegwijs <wegwijs@example.org>\"\n";
        return 2;
    }
    const int mail_retry = positive_option(a, "--mail-retry-seconds", 30);
    raise_open_file_limit();

    auto store = open_store(a);
    if (!store) return 1;
    std::unique_ptr<booking::BookingStore> bookings;
    try {
        bookings = std::make_unique<booking::BookingStore>(db_path(a), data->calendar);
    } catch (const std::exception& e) {
        std::cerr << "wegwijs: cannot use the database " << db_path(a) << ": " << e.what() << "\n";
        return 1;
    }
    // E-mails about bookings: queued by the booking store in each booking's
    // transaction, sent by the mailer; none at all without a mail server.
    std::unique_ptr<store::SqliteMailOutbox> outbox;
    std::unique_ptr<app::Mailer> mailer;
    if (!smtp_url.empty()) {
        outbox = std::make_unique<store::SqliteMailOutbox>(db_path(a));
        bookings->notify_by_mail(true);
        app::MailerOptions mail_options;
        mail_options.from = mail_from;
        mail_options.retry_base = std::chrono::seconds(mail_retry);
        mailer = std::make_unique<app::Mailer>(*data, *outbox, mail::SmtpClient(smtp_url),
                                               mail_options, std::cerr, clock);
    }
    booking::HoldLimiter limiter(limits);
    app::StorageHealth health(*store, std::cerr, clock);
    app::AssistantOptions options;
    options.idle_timeout = idle;
    options.bookings = bookings.get();
    options.hold_for = hold_for;
    options.hold_limiter = &limiter;
    options.retention_days = retention_days;
    options.booking_retention_days = booking_retention_days;
    app::Assistant assistant(*data, *store, options, clock);
    webhook::ServerOptions server_options;
    server_options.max_threads = static_cast<std::size_t>(positive_option(a, "--threads", 1024));
    server_options.access_log = a.options.count("--access-log") > 0;
    server_options.health = &health;
    for (const std::string& proxy : text::split_list(option(a, "--trusted-proxy", "")))
        server_options.trusted_proxies.push_back(proxy);
    auto server = webhook::make_server(assistant, server_options);
    webhook::BookingApiOptions booking_options;
    booking_options.clock = clock;
    booking_options.hold_for = hold_for;
    if (const char* key = std::getenv("WEGWIJS_API_KEY"); key != nullptr && *key != '\0')
        booking_options.api_key = key;
    webhook::install_booking_api(*server, *data, *bookings, booking_options);

    // Messaging channels: the webhook answers always (503 until configured);
    // replies wait in the outbox and go out while an access token is set.
    const auto env = [](const char* name) {
        const char* v = std::getenv(name);
        return std::string(v ? v : "");
    };
    store::SqliteChannelStore channels(db_path(a));
    webhook::WhatsAppOptions whatsapp;
    whatsapp.verify_token = env("WEGWIJS_WHATSAPP_VERIFY_TOKEN");
    whatsapp.app_secret = env("WEGWIJS_WHATSAPP_APP_SECRET");
    std::map<std::string, app::Platform> platforms;
    if (!env("WEGWIJS_WHATSAPP_TOKEN").empty())
        platforms["whatsapp"] = app::whatsapp_platform(
            option(a, "--whatsapp-api-base", "https://graph.facebook.com/v21.0"),
            env("WEGWIJS_WHATSAPP_TOKEN"));
    webhook::TelegramOptions telegram;
    telegram.secret = env("WEGWIJS_TELEGRAM_SECRET");
    if (!telegram.secret.empty() && !webhook::valid_telegram_secret(telegram.secret)) {
        std::cerr << "wegwijs: WEGWIJS_TELEGRAM_SECRET must be 1 to 256 of A-Z, a-z, 0-9, _ "
                     "and - (Telegram's rule for a webhook's secret_token)\n";
        return 2;
    }
    if (!env("WEGWIJS_TELEGRAM_TOKEN").empty())
        platforms["telegram"] =
            app::telegram_platform(option(a, "--telegram-api-base", "https://api.telegram.org"),
                                   env("WEGWIJS_TELEGRAM_TOKEN"));
    const auto public_url = std::make_shared<std::string>();
    whatsapp.public_url = public_url;
    telegram.public_url = public_url;
    app::ChannelSenderOptions sender_options;
    sender_options.parallel = static_cast<std::size_t>(positive_option(a, "--send-parallel", 8));
    std::unique_ptr<app::ChannelSender> channel_sender;
    if (!platforms.empty()) {
        channel_sender = std::make_unique<app::ChannelSender>(channels, std::move(platforms),
                                                              sender_options, std::cerr, clock);
        whatsapp.queued = [sender = channel_sender.get()] { sender->wake(); };
        telegram.queued = whatsapp.queued;
    }
    webhook::install_whatsapp(*server, assistant, channels, whatsapp, clock);
    webhook::install_telegram(*server, assistant, channels, telegram, clock);
    webhook::install_web_widget(*server, std::move(web->web));

    // The staff area: its pages, and its API on the same database.
    store::SqliteStaffStore staff(db_path(a));
    store::SqliteReviewStore review(db_path(a));
    store::SqlitePersonalDataStore personal(db_path(a));
    webhook::StaffOptions staff_options;
    const auto own_origins = std::make_shared<std::vector<std::string>>();
    staff_options.own_origins = own_origins;
    staff_options.trusted_proxies = server_options.trusted_proxies;
    staff_options.chat_idle = idle;
    for (const auto& [name, value] : data->catalog.contact_args())
        staff_options.public_details.push_back(value);
    staff_options.text = [d = data.get()](const std::string& locale, const std::string& key) {
        return d->messages.has(locale, key) ? d->messages.format(locale, key) : key;
    };
    for (const auto& product : data->catalog.products())
        staff_options.products.push_back(product.id);
    std::set<std::string> intents;  // each once, in order for the page's choice
    for (const auto& entry : data->analyzer->lexicon().entries)
        if (entry.kind == language::LexiconEntry::Kind::intent) intents.insert(entry.value);
    staff_options.intents.assign(intents.begin(), intents.end());
    staff_options.audit_retention =
        std::chrono::hours(24 * positive_option(a, "--audit-retention-days", 730));
    webhook::install_staff_api(*server, {staff, review, personal}, data->calendar.zone(),
                               staff_options, clock);
    webhook::install_staff_pages(*server, std::move(web->staff));

    const std::string host = option(a, "--host", "127.0.0.1");
    const int port = webhook::bind_server(*server, host, port_wanted);
    if (port < 0) {
        std::cerr << "wegwijs: cannot listen on " << host << ":" << option(a, "--port", "8080")
                  << " (is the port in use by another program?)\n";
        return 1;
    }
    policy.public_origins =
        public_origins.empty() ? webhook::listening_origins(host, port) : public_origins;
    webhook::install_browser_policy(*server, policy);
    *public_url = policy.public_origins.front();
    *own_origins = policy.public_origins;

    // Transcripts and bookings are personal data: purge sessions idle past
    // the retention, one-turn sessions past the idle timeout, and bookings
    // past their own retention after the appointment, every minute.
    const app::Purger purger(*store, &personal,
                             {std::chrono::hours(24 * retention_days), idle,
                              std::chrono::hours(24 * booking_retention_days)},
                             std::chrono::minutes(1), std::cerr, clock);
    // Every minute, for the staff area: the search index takes the turns
    // written since (a search also does so first), and sessions, failed
    // logins and audit entries past their time are forgotten.
    const app::Periodic staff_housekeeping(std::chrono::minutes(1), [&] {
        try {
            review.index_pending();
            webhook::forget_stale_staff_data(staff, staff_options, clock());
        } catch (const std::exception& e) {
            std::cerr << "staff: housekeeping failed: " << e.what() << "\n" << std::flush;
        }
    });

    g_server = server.get();
    std::signal(SIGINT, stop_server);
    std::signal(SIGTERM, stop_server);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    std::cerr << "wegwijs listening on http://" << host << ":" << port << " (ready in "
              << static_cast<int>(ms) << " ms)" << std::endl;
    std::cout << "port " << port << std::endl;
    server->listen_after_bind();
    std::cerr << "wegwijs stopped: " << store->stats().turns << " turns stored\n";
    return 0;
}

// `check --db`: the file is intact (quick_check) and of a schema this binary reads.
int check_database(const std::string& path) {
    if (!std::filesystem::exists(path)) {
        std::cerr << "wegwijs: no database at " << path << "\n";
        return 1;
    }
    try {
        store::Database db(path);
        store::check_intact(db, path);
        int version = 0;
        try {
            version = store::schema_version(db);
        } catch (const store::SqliteError&) {
            // no schema_version table: a file no wegwijs has opened yet
        }
        std::cout << "ok: " << path << " passes SQLite's quick_check; schema version " << version
                  << " (this wegwijs: " << store::kSchemaVersion << ")\n";
        return 0;
    } catch (const store::DamagedDatabase& e) {
        explain_damage(path, e.what());
        return 1;
    } catch (const store::SqliteError& e) {
        std::cerr << "wegwijs: cannot check the database " << path << ": " << e.what() << "\n";
        return 1;
    }
}

// A password from standard input: asked twice without echo on a terminal,
// else the first line. Empty when none could be read.
std::string read_password() {
    const bool tty = isatty(STDIN_FILENO);
    termios saved{};
    const auto ask = [&](const char* prompt) {
        std::string line;
        if (tty) std::cerr << prompt << std::flush;
        std::getline(std::cin, line);
        if (tty) std::cerr << "\n";
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return line;
    };
    // The terminal is given back as it was, and only if echo was turned off.
    const bool quiet = tty && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (quiet) {
        termios no_echo = saved;
        no_echo.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &no_echo);
    }
    std::string password = ask("password: ");
    if (tty) {
        const std::string again = ask("again: ");
        if (quiet) tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        if (again != password) {
            std::cerr << "wegwijs: the two passwords differ\n";
            return "";
        }
    }
    return password;
}

int staff_command(const Args& a) {
    const std::string verb = a.positional.empty() ? "" : a.positional[0];
    const std::string name = a.positional.size() > 1 ? a.positional[1] : "";
    const auto usage = [] {
        std::cerr << kHelp.at("staff");
        return 2;
    };
    if (verb != "list" && name.empty()) return usage();
    if (name.size() > 100 || name.find_first_of(" \t\r\n") != std::string::npos) {
        std::cerr << "wegwijs: a staff name has at most 100 bytes and no spaces\n";
        return 2;
    }
    store::SqliteStaffStore staff(db_path(a));
    const std::int64_t now = app::system_clock_ms();
    const auto audit = [&](const char* action, const std::string& detail) {
        staff.append({0, now, "(command line)", action, "", name + detail, ""});
    };
    const auto new_hash = [&]() -> std::optional<std::string> {
        const std::string password = read_password();
        if (const auto problem = staff::password_problem(password)) {
            std::cerr << "wegwijs: " << *problem << "\n";
            return std::nullopt;
        }
        return staff::hash_password(password);
    };
    if (verb == "list") {
        for (const auto& acc : staff.accounts()) std::cout << acc.name << "\t" << acc.role << "\n";
        return 0;
    }
    if (verb == "add") {
        const std::string role = option(a, "--role", "");
        if (role != "reviewer" && role != "admin") {
            std::cerr << "wegwijs: staff add needs --role reviewer or --role admin\n";
            return 2;
        }
        if (staff.account(name)) {
            std::cerr << "wegwijs: there is already a staff account " << name << "\n";
            return 1;
        }
        const auto hash = new_hash();
        if (!hash) return 1;
        if (!staff.add_account({name, role, *hash, now, now})) {
            std::cerr << "wegwijs: there is already a staff account " << name << "\n";
            return 1;
        }
        audit("account_added", " as " + role);
        std::cout << "added " << name << " (" << role << ")\n";
        return 0;
    }
    if (verb == "passwd") {
        if (!staff.account(name)) {
            std::cerr << "wegwijs: no staff account " << name << "\n";
            return 1;
        }
        const auto hash = new_hash();
        if (!hash) return 1;
        staff.set_password_hash(name, *hash, now, true);
        audit("password_changed", "");
        std::cout << "changed the password of " << name << "; its sessions have ended\n";
        return 0;
    }
    if (verb == "remove") {
        if (!staff.remove_account(name)) {
            std::cerr << "wegwijs: no staff account " << name << "\n";
            return 1;
        }
        audit("account_removed", "");
        std::cout << "removed " << name << "\n";
        return 0;
    }
    return usage();
}

int run(const Args& a) {
    if (a.command.empty()) {
        std::cout << kUsage;
        return a.help ? 0 : 2;
    }
    if (!kHelp.count(a.command)) {
        std::cerr << "wegwijs: unknown command '" << a.command << "'\n\n" << kUsage;
        return 2;
    }
    if (a.help) {
        std::cout << kHelp.at(a.command);
        return 0;
    }
    if (a.command == "serve") return serve(a);
    if (a.command == "staff") return staff_command(a);
    if (a.command == "backup") {
        if (a.positional.size() != 1) {
            std::cerr << kHelp.at("backup");
            return 2;
        }
        const std::string target = a.positional[0];
        if (std::filesystem::exists(target)) {
            std::cerr << "wegwijs: " << target << " exists; a backup never overwrites a file\n";
            return 1;
        }
        const std::string source = db_path(a);
        if (!std::filesystem::exists(source)) {
            std::cerr << "wegwijs: no database at " << source << "\n";
            return 1;
        }
        const auto pages = store::backup(source, target);
        std::cout << "backed up " << source << " to " << target << " (" << pages << " pages)\n";
        return 0;
    }
    if (a.command == "check") {
        auto data = load_data(a, false);
        if (!data) return 1;
        if (!load_web(a, *data, 30)) return 1;  // the widget and the staff pages
        if (a.options.count("--db") && check_database(db_path(a)) != 0) return 1;
        std::cout
            << "ok: " << data->catalog.products().size() << " products, "
            << data->flow.states().size() << " states, " << data->calendar.locations().size()
            << " locations" << (data->calendar.sample() ? " (sample calendar)" : "")
            << ", every product reachable by choices, the web widget's and staff pages' files\n";
        return 0;
    }
    if (a.command == "route") {
        if (a.positional.size() != 1) {
            std::cerr << kHelp.at("route");
            return 2;
        }
        auto data = load_data(a, true);
        if (!data) return 1;
        std::cout << dialog::route(*data, a.positional[0], locale_option(a)).to_json().dump(2)
                  << "\n";
        return 0;
    }
    if (a.command == "train") {
        const auto started = std::chrono::steady_clock::now();
        auto data = load_data(a, true);
        if (!data) return 1;
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
        std::cout << "topic model " << data->topics->fingerprint() << " from "
                  << data->examples.size() << " examples: "
                  << (data->topics->from_cache() ? "already cached" : "trained and cached") << " ("
                  << ms << " ms with loading the data)\n";
        return 0;
    }
    if (a.command == "eval") {
        const bool cv = a.options.count("--cross-validate") > 0;
        if (cv == (a.positional.size() == 1) || a.positional.size() > 1) {
            std::cerr << kHelp.at("eval");
            return 2;
        }
        auto data = load_data(a, true);
        if (!data) return 1;
        const dialog::EvalReport report =
            cv ? dialog::cross_validate(*data, std::stoi(a.options.at("--cross-validate")))
               : dialog::evaluate(*data, dialog::read_eval_file(a.positional[0]));
        if (a.options.count("--json"))
            std::cout << report.to_json().dump(2) << "\n";
        else
            std::cout << report.to_text();
        const double min = std::stod(option(a, "--min", "0"));
        return report.all.accuracy() >= min ? 0 : 1;
    }
    // chat
    auto data = load_data(a, true);
    if (!data) return 1;
    auto store = open_store(a);
    if (!store) return 1;
    booking::BookingStore bookings(db_path(a), data->calendar);
    app::AssistantOptions options;
    options.bookings = &bookings;
    app::Assistant assistant(*data, *store, options);
    return webhook::run_terminal_chat(assistant, std::cin, std::cout, locale_option(a));
}

}  // namespace

// jemalloc's documented configuration symbol: a background thread gives
// memory back to the system once a burst is over (a request of 2,000,000
// headers, which httplib reads whole before our 431, grew the process by
// 190 MB and kept it), instead of only when later allocations happen.
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "background_thread:true,dirty_decay_ms:5000,muzzy_decay_ms:5000";
}

int main(int argc, char** argv) {
    try {
        return run(parse(argc, argv));
    } catch (const std::exception& e) {
        std::cerr << "wegwijs: " << e.what() << "\n";
        return 2;
    }
}
