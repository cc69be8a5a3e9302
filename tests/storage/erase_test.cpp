#include <catch2/catch.hpp>
#include <string>

#include "storage/database.hpp"
#include "tests/storage/storage_fixture.hpp"

using namespace opas::storage;
using opas::storage::test::config_for;
using opas::storage::test::file_bytes;
using opas::storage::test::open_ok;
using opas::storage::test::temp_dir;

namespace {

constexpr const char* phone = "358401234567";

bool files_contain(const std::string& db_path, const std::string& needle) {
    return file_bytes(db_path).find(needle) != std::string::npos ||
           file_bytes(db_path + "-wal").find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("erasing a person leaves no trace of the phone number in the files", "[storage]") {
    temp_dir dir;
    const std::string path = dir.file("opas.db");
    auto db = open_ok(config_for(path));

    // Neighbours, so the pages stay in use after the erasure.
    for (int i = 0; i < 20; ++i) {
        const std::string other = "3585000" + std::to_string(1000 + i);
        auto p = db->upsert_person("whatsapp", other, other, 1);
        REQUIRE(p.ok());
        REQUIRE(db->enqueue(p->id, "message", R"({"text":"hello"})", 1).ok());
    }
    // The person, their messages and a conversation state that mentions the number.
    REQUIRE(db->begin().ok());
    REQUIRE(db->mark_seen(std::string("wa:wamid.") + phone, 2).value());
    auto p = db->upsert_person("whatsapp", phone, phone, 2);
    REQUIRE(p.ok());
    REQUIRE(db->save_person(p->id, "so", std::string(R"({"callback":")") + phone + "\"}").ok());
    auto out = db->enqueue(p->id, "message", std::string(R"({"to":")") + phone + "\"}", 2);
    REQUIRE(out.ok());
    // A payload bigger than a page lives in overflow pages, which erasure frees.
    const std::string big = R"({"text":")" + std::string(9000, 'x') + phone + "\"}";
    REQUIRE(db->enqueue(p->id, "message", big, 2).ok());
    REQUIRE(db->commit().ok());
    REQUIRE(db->mark_sent(*out, std::string("wamid.") + phone, 3).ok());
    REQUIRE(db->upsert_person("whatsapp", phone, phone, 4).ok());  // an update leaves old copies

    REQUIRE(files_contain(path, phone));  // the scan can see the number before erasure

    REQUIRE(db->begin().ok());
    REQUIRE(db->erase_person(p->id).ok());
    REQUIRE(db->commit().ok());
    REQUIRE(db->checkpoint().ok());

    CHECK_FALSE(files_contain(path, phone));
    CHECK(db->find_person("whatsapp", "35850001000").ok());
}

TEST_CASE("erasing a person removes their outbox rows", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    auto p = db->upsert_person("telegram", "1", "1", 1);
    auto q = db->upsert_person("telegram", "2", "2", 1);
    REQUIRE(db->enqueue(p->id, "message", "{}", 1).ok());
    REQUIRE(db->enqueue(q->id, "message", "{}", 1).ok());
    REQUIRE(db->erase_person(p->id).ok());
    auto rows = db->pending("telegram", 10);
    REQUIRE(rows->size() == 1);
    CHECK(rows->front().person_id == q->id);
    CHECK(db->find_person_by_id(p->id).error().kind() == status::code::not_found);
}

TEST_CASE("erasing an unknown person is not_found", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    CHECK(db->erase_person(777).kind() == status::code::not_found);
}

TEST_CASE("ids of erased people and outbox rows are not reused", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    auto p = db->upsert_person("telegram", "1", "1", 1);
    auto row = db->enqueue(p->id, "message", "{}", 1);
    REQUIRE(db->erase_person(p->id).ok());
    auto q = db->upsert_person("telegram", "2", "2", 1);
    auto row2 = db->enqueue(q->id, "message", "{}", 1);
    CHECK(q->id != p->id);
    CHECK(*row2 != *row);  // a sender holding the old id cannot mark the new row sent
}
