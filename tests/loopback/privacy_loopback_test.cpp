// "Forget me" over the WhatsApp webhook: afterwards the phone number is in none of the database
// files (opas.db, -wal, -shm), the contact log keeps a pseudonymous 'erased' record, and the
// person is a stranger again.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/loopback/harness.hpp"

using namespace opas::testing;
using json = nlohmann::json;

namespace {

constexpr const char* privacy_phone = "358449876543";

std::string button_payload(const std::string& wamid, const std::string& id, const std::string& title) {
    auto j = json::parse(whatsapp_text_payload(wamid, privacy_phone, "x"));
    auto& m = j["entry"][0]["changes"][0]["value"]["messages"][0];
    m.erase("text");
    m["type"] = "interactive";
    m["interactive"] = {{"type", "button_reply"}, {"button_reply", {{"id", id}, {"title", title}}}};
    return j.dump();
}

bool files_contain(const std::string& db, const std::string& needle) {
    for (const char* suffix : {"", "-wal", "-shm"})
        if (read_file(db + suffix).find(needle) != std::string::npos) return true;
    return false;
}

std::string locale_text(const std::string& lang, const std::string& key) {
    const auto j = json::parse(read_file(std::string(OPAS_SOURCE_DIR) + "/locales/" + lang + "/messages.json"));
    return j.value(key, "");
}

}  // namespace

TEST_CASE("after forget me no trace of the phone number is left in the database files") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api));
    const std::string db = dir.path() + "/opas.db";

    REQUIRE(post_signed(opas, whatsapp_text_payload("wamid.P1", privacy_phone, "Hei, missä keskus on?")).status == 200);
    REQUIRE(wait_until([&] { return !whatsapp_texts_to(api, privacy_phone).empty(); }));
    REQUIRE(post_signed(opas, whatsapp_text_payload("wamid.P2", privacy_phone, "poista tietoni")).status == 200);
    const std::string confirm = locale_text("fi", "privacy.forget_confirm");
    REQUIRE(wait_until([&] { return whatsapp_texts_to(api, privacy_phone).back() == confirm; }));
    REQUIRE(files_contain(db, privacy_phone));  // the scan sees the number while the person exists

    REQUIRE(post_signed(opas, button_payload("wamid.P3", "forget:yes", "Kyllä")).status == 200);
    const std::string done = locale_text("fi", "privacy.forgotten");
    REQUIRE(wait_until([&] { return whatsapp_texts_to(api, privacy_phone).back() == done; }));

    // The stand-in that carried the confirmation goes at the next scheduler tick, then the
    // WAL is checkpointed: poll the files themselves (no reader may hold the database).
    CHECK(wait_until([&] { return !files_contain(db, privacy_phone); }, std::chrono::seconds(30)));

    const auto erased = sql_rows(db, "SELECT pseudonym FROM contact_log WHERE outcome = 'erased'");
    REQUIRE(erased.size() == 1);
    CHECK(erased[0].size() == 64);
    CHECK(sql_rows(db, "SELECT count(DISTINCT pseudonym) FROM contact_log").at(0) == "1");
    CHECK(sql_rows(db, "SELECT count(*) FROM people").at(0) == "0");
}

TEST_CASE("a forgotten WhatsApp person who writes again is welcomed as a stranger") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api));
    REQUIRE(post_signed(opas, whatsapp_text_payload("wamid.S1", privacy_phone, "Hei, missä keskus on?")).status == 200);
    REQUIRE(wait_until([&] { return !whatsapp_texts_to(api, privacy_phone).empty(); }));
    REQUIRE(post_signed(opas, whatsapp_text_payload("wamid.S2", privacy_phone, "poista tietoni")).status == 200);
    REQUIRE(wait_until([&] { return whatsapp_texts_to(api, privacy_phone).size() >= 2; }));
    REQUIRE(post_signed(opas, button_payload("wamid.S3", "forget:yes", "Kyllä")).status == 200);
    const std::string done = locale_text("fi", "privacy.forgotten");
    REQUIRE(wait_until([&] { return whatsapp_texts_to(api, privacy_phone).back() == done; }));
    const auto before = whatsapp_texts_to(api, privacy_phone).size();

    REQUIRE(post_signed(opas, whatsapp_text_payload("wamid.S4", privacy_phone, "Hei, missä keskus on?")).status == 200);
    REQUIRE(wait_until([&] { return whatsapp_texts_to(api, privacy_phone).size() > before; }));
    const std::string welcome_start = locale_text("fi", "welcome").substr(0, 10);
    CHECK(whatsapp_texts_to(api, privacy_phone)[before].substr(0, 10) == welcome_start);
}
