// Staff exports; see export.h.
#include "staff/export.h"

namespace wegwijs::staff {
namespace {

using nlohmann::json;

std::string cell_text(const json& v) {
    if (v.is_null()) return "";
    if (v.is_string()) return v.get<std::string>();
    return v.dump();
}

std::string time_of(const json& ms, const calendar::Zone& zone) {
    const std::int64_t v = ms.is_number() ? ms.get<std::int64_t>() : 0;
    return v > 0 ? zone.iso8601(v) : "";
}

const json& annotation_of(const json& turn) {
    static const json none = json::object();
    const auto a = turn.find("annotation");
    return a != turn.end() && a->is_object() ? *a : none;
}

}  // namespace

const std::vector<std::string>& export_columns(ExportRows rows) {
    static const std::vector<std::string> conversation = {
        "session_id",  "created", "updated",         "channel", "locale",   "desk",
        "product",     "outcome", "turns",           "booked",  "reviewed", "reviewed_by",
        "annotations", "flagged", "delivery_failed", "opening"};
    static const std::vector<std::string> turn = {"session_id",
                                                  "turn_id",
                                                  "at",
                                                  "from",
                                                  "channel",
                                                  "locale",
                                                  "state_before",
                                                  "state_after",
                                                  "text",
                                                  "choice",
                                                  "flag",
                                                  "product",
                                                  "annotation_product",
                                                  "annotation_intent",
                                                  "annotation_note"};
    return rows == ExportRows::conversation ? conversation : turn;
}

std::vector<json> export_rows(const json& c, ExportRows rows, const calendar::Zone& zone) {
    if (rows == ExportRows::conversation) {
        json row = json::object();
        for (const auto& k : export_columns(rows))
            if (c.contains(k)) row[k] = c[k];
        row["created"] = time_of(c.value("created_ms", json(0)), zone);
        row["updated"] = time_of(c.value("updated_ms", json(0)), zone);
        return {row};
    }
    std::vector<json> out;
    for (const auto& t : c.at("turns")) {
        const json& u = t.value("understanding", json());
        const json& a = annotation_of(t);
        out.push_back({{"session_id", c.value("session_id", "")},
                       {"turn_id", t.value("id", 0)},
                       {"at", time_of(t.value("at_ms", json(0)), zone)},
                       {"from", t.value("from", "")},
                       {"channel", t.value("channel", "")},
                       {"locale", t.value("locale", "")},
                       {"state_before", t.value("state_before", "")},
                       {"state_after", t.value("state_after", "")},
                       {"text", t.value("text", "")},
                       {"choice", t.value("choice", "")},
                       {"flag", t.value("flag", "")},
                       {"product", u.is_object() ? u.value("product", "") : ""},
                       {"annotation_product", a.value("product", "")},
                       {"annotation_intent", a.value("intent", "")},
                       {"annotation_note", a.value("note", "")}});
    }
    return out;
}

std::string csv_header(const std::vector<std::string>& columns) {
    std::string out;
    for (const auto& c : columns) out += (out.empty() ? "" : ",") + c;
    return out + "\r\n";
}

std::string csv_line(const std::vector<std::string>& columns, const json& row) {
    std::string out;
    bool first = true;
    for (const auto& c : columns) {
        std::string v = row.contains(c) ? cell_text(row[c]) : "";
        if (!v.empty() && std::string("=+-@\t\r").find(v[0]) != std::string::npos) v = "'" + v;
        if (!first) out += ',';
        first = false;
        if (v.find_first_of(",\"\r\n") == std::string::npos) {
            out += v;
            continue;
        }
        out += '"';
        for (const char ch : v) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        out += '"';
    }
    return out + "\r\n";
}

std::string jsonl_line(const json& row) {
    return row.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::vector<json> route_eval_lines(const json& c) {
    std::vector<json> out;
    for (const auto& t : c.at("turns")) {
        const json& a = annotation_of(t);
        const std::string text = t.value("text", "");
        if (a.empty() || t.value("from", "") != "citizen" || text.empty()) continue;
        const std::string product = a.value("product", "");
        if (product.empty() && a.value("intent", "").empty()) continue;  // a note alone
        out.push_back({{"text", text},
                       {"lang", t.value("locale", "")},
                       {"expect", json::array({product.empty() ? json() : json(product)})}});
    }
    return out;
}

json conversation_script(const json& c, const calendar::Zone& zone) {
    std::size_t last = 0;  // one past the last annotated citizen turn
    const json& turns = c.at("turns");
    for (std::size_t i = 0; i < turns.size(); ++i)
        if (turns[i].value("from", "") == "citizen" && !annotation_of(turns[i]).empty())
            last = i + 1;
    if (last == 0) return nullptr;
    json script_turns = json::array();
    std::string locale, account;
    std::int64_t at = 0;
    for (std::size_t i = 0; i < last; ++i) {
        const json& t = turns[i];
        if (t.value("from", "") != "citizen") continue;
        if (locale.empty()) locale = t.value("locale", "");
        json turn = json::object();
        const json& u = t.value("understanding", json());
        if (u.is_object() && u.contains("command"))
            turn["command"] = u["command"];
        else if (!t.value("text", "").empty())
            turn["text"] = t["text"];
        else
            turn["choice"] = t.value("choice", "");
        const json& a = annotation_of(t);
        if (!a.empty()) {
            json expect = json::object();
            if (!a.value("product", "").empty()) expect["product"] = a["product"];
            if (!a.value("intent", "").empty()) expect["intent"] = a["intent"];
            if (!expect.empty()) turn["expect"] = std::move(expect);
            if (!a.value("note", "").empty()) turn["note"] = a["note"];
            account = a.value("account", "");
            at = std::max(at, a.value("at_ms", std::int64_t(0)));
        }
        script_turns.push_back(std::move(turn));
    }
    json script = {{"name", "staff review " + c.value("session_id", "").substr(0, 8) + " (" +
                                account + ", " + zone.iso8601(at).substr(0, 10) + ")"},
                   {"turns", std::move(script_turns)}};
    if (!locale.empty()) script["locale"] = locale;
    return script;
}

}  // namespace wegwijs::staff
