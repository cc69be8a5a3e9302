#include "tests/loopback/report_history.hpp"

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

namespace opas::testing {
namespace {

using nlohmann::json;

struct person {
    const char* channel;  // "tg" | "wa"
    const char* id;       // Telegram user id or WhatsApp phone number
    const char* name;
    const char* lang;     // Telegram language_code
};

// P1..P7
const person people[] = {
    {"tg", "731900411", "Zorabelle", "en"},   {"tg", "731900412", "Quintavius", "en"},
    {"tg", "731900413", "Mirelda", "fi"},     {"tg", "731900414", "Hasdrubalo", "ar"},
    {"wa", "358409870001", "Ottiliana Brambleworth", ""},
    {"wa", "358409870002", "Fenwick Ardelacourt", ""},
    {"tg", "731900417", "Xandrino", "fi"},
};

struct message {
    int person;          // index into people
    const char* text;    // text, or a button id when `button`
    bool button;
    long long hour;      // where the record is moved to (unix seconds)
};

// Hours (UTC) used below; Helsinki is UTC+2 in winter.
constexpr long long jan06_12 = 1736157600;  // Mon 6 Jan 12:00 local, week 2
constexpr long long jan07_12 = 1736244000;  // week 2
constexpr long long jan05_23 = 1736110800;  // Sun 5 Jan 23:00 local: the day before the period
constexpr long long dec10_12 = 1733824800;  // 10 Dec 2024: before the period
constexpr long long jan20_12 = 1737367200;  // week 4
constexpr long long jan27_12 = 1737972000;  // week 5
constexpr long long feb03_12 = 1738576800;  // week 6
constexpr long long feb09_23 = 1739134800;  // Sun 9 Feb 23:00 local: the last hour of the period
constexpr long long feb10_00 = 1739138400;  // Mon 10 Feb 00:00 local: after the period

const message history[] = {
    {0, "Where is the centre?", false, jan07_12},
    {0, "fb:yes:center.info", true, jan07_12},
    {0, "What will the weather be like tomorrow?", false, jan05_23},
    {1, "Where is the centre?", false, jan07_12},
    {1, "I need help with my residence permit", false, jan07_12},
    {1, "fb:no:guidance.residence_permit", true, jan07_12},
    {2, "Missä keskus sijaitsee?", false, dec10_12},
    {2, "Kiitos", false, jan20_12},
    {3, "أين يقع المركز؟", false, jan27_12},
    {4, "Where is the centre?", false, feb03_12},
    {4, "Who won the football match yesterday?", false, feb03_12},
    {5, "I need help with my residence permit", false, feb09_23},
    {5, "Hello", false, feb10_00},
    {6, "Missä keskus sijaitsee?", false, jan06_12},
    {6, "fb:yes:center.info", true, jan06_12},
};

std::string telegram_update(long long update_id, const person& p, const std::string& text,
                            bool button) {
    const json from = {{"id", std::stoll(p.id)}, {"is_bot", false}, {"first_name", p.name},
                       {"language_code", p.lang}};
    const json chat = {{"id", std::stoll(p.id)}, {"type", "private"}, {"first_name", p.name}};
    json u = {{"update_id", update_id}};
    if (button) {
        u["callback_query"] = {{"id", "cb" + std::to_string(update_id)},
                               {"from", from},
                               {"message", {{"message_id", 1}, {"chat", chat}, {"date", 1764000000}}},
                               {"chat_instance", "1"},
                               {"data", text}};
    } else {
        u["message"] = {{"message_id", update_id}, {"from", from}, {"chat", chat},
                        {"date", 1764000000}, {"text", text}};
    }
    return u.dump();
}

std::string whatsapp_update(const std::string& wamid, const person& p, const std::string& text) {
    const json msg = {{"from", p.id}, {"id", wamid}, {"timestamp", "1764000000"}, {"type", "text"},
                      {"text", {{"body", text}}}};
    const json value = {
        {"messaging_product", "whatsapp"},
        {"metadata", {{"display_phone_number", "15550783881"}, {"phone_number_id", "555000"}}},
        {"contacts", json::array({{{"profile", {{"name", p.name}}}, {"wa_id", p.id}}})},
        {"messages", json::array({msg})}};
    const json entry = {{"id", "102290129340398"},
                        {"changes", json::array({{{"field", "messages"}, {"value", value}}})}};
    return json({{"object", "whatsapp_business_account"}, {"entry", json::array({entry})}}).dump();
}

std::string wamid_of(int i) { return "wamid.HBgMRPT" + std::to_string(358409870000LL + i); }

void exec(sqlite3* db, const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    INFO(sql << " -> " << (err ? err : ""));
    sqlite3_free(err);
    REQUIRE(rc == SQLITE_OK);
}

// Bookings, volunteers and shifts (see report_loopback_test.cpp for the figures they give).
constexpr const char* domain_rows = R"sql(
INSERT INTO bookings (id, pseudonym, slot_start, slot_minutes, topic, language, interpreter,
                      status, created_at, changed_at, moved_to) VALUES
 (1, 'b', 1736244000 + 3*86400, 45, 'guidance.housing', 'en', '', 'booked', 1736244000, NULL, NULL),
 (2, 'b', 1736330400 + 5*86400, 45, 'guidance.housing', 'en', 'ar', 'cancelled', 1736330400, 1736400000, NULL),
 (3, 'b', 1736503200 + 2*86400, 45, 'guidance.housing', 'fi', '', 'no_show', 1736503200, 1736700000, NULL),
 (5, 'b', 1736848800 + 9*86400, 45, 'guidance.residence_permit', 'ar', 'ar', 'booked', 1736935200, NULL, NULL),
 (4, 'b', 1736848800 + 4*86400, 45, 'guidance.residence_permit', 'ar', 'ar', 'moved', 1736848800, 1736935200, 5),
 (6, 'b', 1737367200 + 1*86400, 45, 'guidance.housing', 'en', '', 'booked', 1737367200, NULL, NULL),
 (7, 'b', 1737453600 + 6*86400, 45, 'guidance.health', 'so', 'so', 'booked', 1737453600, NULL, NULL),
 (8, 'b', 1733047200 + 2*86400, 45, 'guidance.housing', 'en', '', 'booked', 1733047200, NULL, NULL),
 (9, 'b', 1737540000 + 2*86400, 45, 'guidance.housing', 'en', '', 'booked', 1737540000, NULL, NULL),
 (10, 'b', 1737626400 + 10*86400, 45, 'guidance.residence_permit', 'fi', '', 'cancelled', 1737626400, 1737700000, NULL);
INSERT INTO volunteers (id, person_id, pseudonym, name, languages, interests, availability,
                        status, created_at, approved_at) VALUES
 (1, NULL, 'v', 'V-one', '[]', '[]', '', 'approved', 1736244000, 1736330400),
 (2, NULL, 'v', 'V-two', '[]', '[]', '', 'approved', 1736244000, 1736330400),
 (3, NULL, 'v', 'V-three', '[]', '[]', '', 'approved', 1736762400, 1736848800),
 (4, NULL, 'v', 'V-four', '[]', '[]', '', 'approved', 1737367200, 1737453600),
 (5, NULL, 'v', 'V-five', '[]', '[]', '', 'removed', 1737367200, 1737453600),
 (6, NULL, 'v', 'V-six', '[]', '[]', '', 'pending', 1738576800, NULL),
 (7, NULL, 'v', 'V-seven', '[]', '[]', '', 'approved', 1730000000, 1730100000);
INSERT INTO shifts (id, title, place, starts_at, ends_at, capacity, status, created_at) VALUES
 (1, 'Cafe', 'Hall', 1736762400, 1736762400 + 3*3600, 2, 'open', 1736000000),
 (2, 'Homework club', 'Room 2', 1737367200, 1737367200 + 2*3600, 3, 'open', 1736000000),
 (3, 'Trip', 'Lake', 1737972000, 1737972000 + 4*3600, 2, 'cancelled', 1736000000),
 (4, 'Sewing', 'Room 1', 1738576800, 1738576800 + 90*60, 1, 'open', 1736000000),
 (5, 'Spring fair', 'Hall', 1740830400, 1740830400 + 3600, 5, 'open', 1736000000),
 (6, 'Library', 'Room 3', 1738663200, 1738663200 + 3600, 1, 'open', 1736000000);
INSERT INTO shift_assignments (shift_id, volunteer_id, status, updated_at) VALUES
 (1, 1, 'accepted', 1736000000), (1, 2, 'accepted', 1736000000),
 (2, 3, 'accepted', 1736000000), (2, 4, 'declined', 1736000000),
 (3, 1, 'accepted', 1736000000), (4, 4, 'accepted', 1736000000),
 (5, 1, 'accepted', 1736000000);
)sql";

}  // namespace

const std::vector<std::string>& history_identifiers() {
    static const std::vector<std::string> ids = [] {
        std::vector<std::string> out;
        for (const auto& p : people) {
            out.push_back(p.id);
            out.push_back(p.name);
        }
        for (int i = 0; i < static_cast<int>(std::size(history)); ++i) out.push_back(wamid_of(i));
        return out;
    }();
    return ids;
}

void make_report_history(report_history& h) {
    {
        opas_process opas(h.dir.path(), test_config(h.dir.path(), h.api));
        long long update_id = 5000;
        int n = 0;
        for (const auto& m : history) {
            const person& p = people[m.person];
            http_response res;
            if (std::string(p.channel) == "tg") {
                res = http_request(opas.port(), "POST", "/webhooks/telegram",
                                   telegram_update(++update_id, p, m.text, m.button),
                                   {{"X-Telegram-Bot-Api-Secret-Token", telegram_secret}});
            } else {
                const auto body = whatsapp_update(wamid_of(n), p, m.text);
                res = http_request(opas.port(), "POST", "/webhooks/whatsapp", body,
                                   {{"X-Hub-Signature-256", whatsapp_signature(body, whatsapp_secret)}});
            }
            REQUIRE(res.status == 200);
            ++n;
            // One turn at a time, so that the records' ids follow the history's order.
            REQUIRE(wait_until([&] {
                const auto rows = sql_rows(h.db_path(), "SELECT count(*) FROM contact_log");
                return !rows.empty() && rows[0] == std::to_string(n);
            }));
        }
        REQUIRE(opas.terminate() == 0);
    }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(h.db_path().c_str(), &db) == SQLITE_OK);
    std::int64_t id = 0;
    for (const auto& m : history) exec(db, "UPDATE contact_log SET hour = " + std::to_string(m.hour) +
                                               " WHERE id = " + std::to_string(++id));
    exec(db, domain_rows);
    sqlite3_close(db);
}

run_result run_report(const report_history& h, const std::vector<std::string>& args) {
    std::vector<std::string> all = {"report", "--config", h.config_path()};
    all.insert(all.end(), args.begin(), args.end());
    return run_opas(all);
}

std::string all_tables_but_people(const std::string& db_path) {
    std::string out;
    for (const auto& table :
         sql_rows(db_path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'people'"))
        for (const auto& row : sql_rows(db_path, "SELECT * FROM \"" + table + "\""))
            out += table + ": " + row + "\n";
    return out;
}

}  // namespace opas::testing
