// WhatsApp Cloud API over loopback: verification, signed POSTs, replies, statuses.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/loopback/harness.hpp"

using namespace opas::testing;

TEST_CASE("the WhatsApp verification GET returns the challenge only for the right token") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api));
    const auto ok = http_request(opas.port(), "GET",
                                 std::string("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=") +
                                     whatsapp_verify + "&hub.challenge=1158201444");
    CHECK(ok.status == 200);
    CHECK(ok.body == "1158201444");
    CHECK(http_request(opas.port(), "GET",
                       "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1")
              .status == 403);
}

TEST_CASE("a signed WhatsApp text gets a reply through the messages endpoint") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api));
    const auto body = whatsapp_text_payload("wamid.A1", "358401234567", "Hei, missä keskus on?");
    REQUIRE(post_signed(opas, body).status == 200);
    REQUIRE(wait_until([&] { return api.count("/v21.0/555000/messages") >= 1; }));
    const auto call = api.calls().front();
    CHECK(call.authorization == "Bearer wa-token");
    const auto j = nlohmann::json::parse(call.body);
    CHECK(j["messaging_product"] == "whatsapp");
    CHECK(j["to"] == "358401234567");
}

TEST_CASE("a bad WhatsApp signature gets 401 and nothing is stored") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api));
    const auto body = whatsapp_text_payload("wamid.B1", "358401111111", "hello");
    auto sig = whatsapp_signature(body, whatsapp_secret);
    sig.back() = sig.back() == '0' ? '1' : '0';
    CHECK(http_request(opas.port(), "POST", "/webhooks/whatsapp", body, {{"X-Hub-Signature-256", sig}})
              .status == 401);
    CHECK(http_request(opas.port(), "POST", "/webhooks/whatsapp", body).status == 401);
    CHECK(sql_rows(dir.path() + "/opas.db", "SELECT count(*) FROM seen").at(0) == "0");
    CHECK(api.calls().empty());
}

TEST_CASE("a WhatsApp message id seen before is answered once") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api));
    const auto body = whatsapp_text_payload("wamid.C1", "358402222222", "hello");
    REQUIRE(post_signed(opas, body).status == 200);
    REQUIRE(post_signed(opas, body).status == 200);
    REQUIRE(post_signed(opas, whatsapp_text_payload("wamid.C2", "358403333333", "hello")).status == 200);
    REQUIRE(wait_until([&] {
        for (const auto& c : api.calls())
            if (c.body.find("358403333333") != std::string::npos) return true;
        return false;
    }));
    std::size_t to_first = 0;
    for (const auto& c : api.calls())
        if (c.body.find("358402222222") != std::string::npos) ++to_first;
    const auto rows = sql_rows(dir.path() + "/opas.db",
                               "SELECT count(*) FROM outbox o JOIN people p ON p.id = o.person_id "
                               "WHERE p.user_id = '358402222222'");
    CHECK(std::to_string(to_first) == rows.at(0));
}

TEST_CASE("WhatsApp statuses are recorded and never answered") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api));
    const std::string body = R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"555000"},"statuses":[{"id":"wamid.out1","status":"delivered","timestamp":"1764000000","recipient_id":"358404444444"},{"id":"wamid.out2","status":"failed","timestamp":"1764000001","recipient_id":"358404444444","errors":[{"code":131047,"title":"Re-engagement message"}]}]}}]}]})";
    REQUIRE(post_signed(opas, body).status == 200);
    const auto rows = sql_rows(dir.path() + "/opas.db", "SELECT status, error_code FROM delivery_status ORDER BY id");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0] == "delivered|0");
    CHECK(rows[1] == "failed|131047");
    CHECK(sql_rows(dir.path() + "/opas.db", "SELECT count(*) FROM outbox").at(0) == "0");
    CHECK(sql_rows(dir.path() + "/opas.db", "SELECT count(*) FROM people").at(0) == "0");
}

TEST_CASE("several WhatsApp messages in one POST are all answered") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api));
    auto a = nlohmann::json::parse(whatsapp_text_payload("wamid.D1", "358405555551", "hello"));
    auto b = nlohmann::json::parse(whatsapp_text_payload("wamid.D2", "358405555552", "hei"));
    a["entry"].push_back(b["entry"][0]);
    REQUIRE(post_signed(opas, a.dump()).status == 200);
    REQUIRE(wait_until([&] {
        bool first = false, second = false;
        for (const auto& c : api.calls()) {
            first = first || c.body.find("358405555551") != std::string::npos;
            second = second || c.body.find("358405555552") != std::string::npos;
        }
        return first && second;
    }));
}
