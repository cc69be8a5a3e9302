#include <catch2/catch.hpp>
#include <string>

#include "storage/database.hpp"
#include "tests/storage/storage_fixture.hpp"

using namespace opas::storage;
using opas::storage::test::config_for;
using opas::storage::test::open_ok;
using opas::storage::test::raw_db;
using opas::storage::test::temp_dir;

namespace {
bool is_lower_hex(const std::string& s) {
    return s.find_first_not_of("0123456789abcdef") == std::string::npos;
}
}  // namespace

TEST_CASE("upsert creates a person that find_person then finds", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    auto created = db->upsert_person("telegram", "1001", "2002", 1700000000);
    REQUIRE(created.ok());
    auto found = db->find_person("telegram", "1001");
    REQUIRE(found.ok());
    CHECK(found->id == created->id);
    CHECK(found->chat_id == "2002");
    CHECK(found->created_at == 1700000000);
    CHECK(found->last_inbound_at == 1700000000);
    CHECK(found->language.empty());
    CHECK(found->state.empty());
    CHECK_FALSE(found->unreachable);
    auto by_id = db->find_person_by_id(created->id);
    REQUIRE(by_id.ok());
    CHECK(by_id->user_id == "1001");
}

TEST_CASE("is_new is true only when upsert creates the row", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    auto first = db->upsert_person("whatsapp", "358401111111", "358401111111", 100);
    auto second = db->upsert_person("whatsapp", "358401111111", "358401111111", 200);
    REQUIRE(first.ok());
    REQUIRE(second.ok());
    CHECK(first->is_new);
    CHECK_FALSE(second->is_new);
    CHECK(first->id == second->id);
}

TEST_CASE("upsert updates the chat id and never moves last_inbound_at back", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    REQUIRE(db->upsert_person("telegram", "7", "chat-a", 500).ok());
    auto later = db->upsert_person("telegram", "7", "chat-b", 400);
    REQUIRE(later.ok());
    CHECK(later->chat_id == "chat-b");
    CHECK(later->last_inbound_at == 500);
    CHECK(later->created_at == 500);
}

TEST_CASE("a person not yet seen is not_found", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    auto found = db->find_person("telegram", "nobody");
    REQUIRE_FALSE(found.ok());
    CHECK(found.error().kind() == status::code::not_found);
    CHECK(db->find_person_by_id(12345).error().kind() == status::code::not_found);
}

TEST_CASE("the same user on another channel is another person", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    auto tg = db->upsert_person("telegram", "555", "555", 1);
    auto wa = db->upsert_person("whatsapp", "555", "555", 1);
    REQUIRE(tg.ok());
    REQUIRE(wa.ok());
    CHECK(tg->id != wa->id);
    CHECK(tg->pseudonym != wa->pseudonym);
}

TEST_CASE("a generated pseudonym key gives the same pseudonym after reopening", "[storage]") {
    temp_dir dir;
    const auto cfg = config_for(dir.file("opas.db"));
    std::string before;
    {
        auto db = open_ok(cfg);
        auto p = db->upsert_person("telegram", "1001", "1001", 1);
        REQUIRE(p.ok());
        before = p->pseudonym;
        CHECK(db->pseudonym_of("telegram", "1001") == before);
    }
    auto db = open_ok(cfg);
    CHECK(db->pseudonym_of("telegram", "1001") == before);
    CHECK(before.size() == 64);
    CHECK(is_lower_hex(before));
}

TEST_CASE("the same configured key gives equal pseudonyms in different databases", "[storage]") {
    temp_dir dir;
    const std::string key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    auto a = open_ok(config_for(dir.file("a.db"), key));
    auto b = open_ok(config_for(dir.file("b.db"), key));
    auto c = open_ok(config_for(dir.file("c.db"), "another secret entirely"));
    CHECK(a->pseudonym_of("whatsapp", "358401234567") ==
          b->pseudonym_of("whatsapp", "358401234567"));
    CHECK(a->pseudonym_of("whatsapp", "358401234567") !=
          c->pseudonym_of("whatsapp", "358401234567"));
}

TEST_CASE("the pseudonym is hex HMAC-SHA256 of channel:user_id with the key", "[storage]") {
    temp_dir dir;
    // Expected values from `openssl dgst -sha256 -hmac Jefe` and `-macopt hexkey:...`.
    auto raw_key = open_ok(config_for(dir.file("a.db"), "Jefe"));
    CHECK(raw_key->pseudonym_of("telegram", "1001") ==
          "6027fac0873cbd6f085963837e10aceddfccadef0bb58eb4b0fa2751b7e8b1af");
    const std::string hex_key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    auto decoded_key = open_ok(config_for(dir.file("b.db"), hex_key));
    CHECK(decoded_key->pseudonym_of("telegram", "1001") ==
          "78b197eb4640b8e2b48cd947f9f63167f7e3bdac4483af94c7569c90c46c03f6");
}

TEST_CASE("different users get different pseudonyms", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    CHECK(db->pseudonym_of("telegram", "1") != db->pseudonym_of("telegram", "2"));
}

TEST_CASE("a configured pseudonym key is never written to the database", "[storage]") {
    temp_dir dir;
    const std::string path = dir.file("opas.db");
    open_ok(config_for(path, "operator secret")).reset();
    raw_db raw(path);
    CHECK(raw.text("SELECT count(*) FROM meta WHERE key = 'pseudonym_key'") == "0");
}

TEST_CASE("save_person stores language and conversation state", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    auto p = db->upsert_person("telegram", "9", "9", 1);
    REQUIRE(p.ok());
    REQUIRE(db->save_person(p->id, "so", R"({"flow":"booking"})").ok());
    REQUIRE(db->mark_unreachable(p->id, true).ok());
    auto again = db->upsert_person("telegram", "9", "9", 2);
    REQUIRE(again.ok());
    CHECK(again->language == "so");
    CHECK(again->state == R"({"flow":"booking"})");
    CHECK(again->unreachable);
    CHECK(db->save_person(999999, "fi", "").kind() == status::code::not_found);
}

TEST_CASE("people inactive since a time are listed for retention", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    REQUIRE(db->upsert_person("telegram", "old", "old", 100).ok());
    REQUIRE(db->upsert_person("telegram", "new", "new", 900).ok());
    auto inactive = db->people_inactive_since(500);
    REQUIRE(inactive.ok());
    REQUIRE(inactive->size() == 1);
    CHECK(inactive->front().user_id == "old");
}

// find_person answers from the writer's cache of people (storage/database_impl.hpp): it must
// never answer what the database no longer holds.
TEST_CASE("find_person after a rollback reads what the database holds", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    auto kept = db->upsert_person("telegram", "1001", "2002", 1700000000);
    REQUIRE(kept.ok());
    REQUIRE(db->save_person(kept->id, "fi", "{\"unsure\":1}").ok());

    REQUIRE(db->begin().ok());
    REQUIRE(db->save_person(kept->id, "ar", "{\"unsure\":2}").ok());
    REQUIRE(db->mark_unreachable(kept->id, true).ok());
    REQUIRE(db->upsert_person("telegram", "1002", "2003", 1700000001).ok());
    CHECK(db->find_person("telegram", "1001")->language == "ar");  // inside: the new values
    REQUIRE(db->rollback().ok());

    auto after = db->find_person("telegram", "1001");
    REQUIRE(after.ok());
    CHECK(after->language == "fi");
    CHECK(after->state == "{\"unsure\":1}");
    CHECK_FALSE(after->unreachable);
    CHECK(db->find_person("telegram", "1002").error().kind() == status::code::not_found);

    REQUIRE(db->begin().ok());
    REQUIRE(db->savepoint("job").ok());
    REQUIRE(db->save_person(kept->id, "uk", "").ok());
    REQUIRE(db->rollback_to("job").ok());
    REQUIRE(db->release("job").ok());
    CHECK(db->find_person("telegram", "1001")->language == "fi");
    REQUIRE(db->commit().ok());
}

TEST_CASE("find_person sees a change another connection committed", "[storage]") {
    temp_dir dir;
    const auto cfg = config_for(dir.file("opas.db"));
    auto writer = open_ok(cfg);
    auto p = writer->upsert_person("telegram", "1001", "2002", 1700000000);
    REQUIRE(p.ok());
    REQUIRE(writer->begin().ok());
    REQUIRE(writer->save_person(p->id, "fi", "").ok());
    REQUIRE(writer->commit().ok());
    CHECK(writer->find_person("telegram", "1001")->language == "fi");

    auto other = open_ok(cfg);
    REQUIRE(other->save_person(p->id, "so", "{}").ok());
    REQUIRE(writer->begin().ok());
    CHECK(writer->find_person("telegram", "1001")->language == "so");
    REQUIRE(writer->commit().ok());

    REQUIRE(other->erase_person(p->id).ok());
    REQUIRE(writer->begin().ok());
    CHECK(writer->find_person("telegram", "1001").error().kind() == status::code::not_found);
    REQUIRE(writer->commit().ok());
}
