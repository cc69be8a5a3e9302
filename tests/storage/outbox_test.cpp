#include <catch2/catch.hpp>
#include <string>

#include "storage/database.hpp"
#include "tests/storage/storage_fixture.hpp"

using namespace opas::storage;
using opas::storage::test::config_for;
using opas::storage::test::open_ok;
using opas::storage::test::raw_db;
using opas::storage::test::temp_dir;

TEST_CASE("pending rows of a channel come back in id order with the chat id", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    auto tg = db->upsert_person("telegram", "1", "chat-1", 1);
    auto wa = db->upsert_person("whatsapp", "358", "358", 1);
    REQUIRE(tg.ok());
    REQUIRE(wa.ok());
    auto a = db->enqueue(tg->id, "message", R"({"text":"a"})", 10);
    auto w = db->enqueue(wa->id, "message", R"({"text":"w"})", 11);
    auto b = db->enqueue(tg->id, "callback_ack", R"({"text":"b"})", 12);
    REQUIRE(a.ok());
    REQUIRE(w.ok());
    REQUIRE(b.ok());

    auto rows = db->pending("telegram", 10);
    REQUIRE(rows.ok());
    REQUIRE(rows->size() == 2);
    CHECK((*rows)[0].id == *a);
    CHECK((*rows)[1].id == *b);
    CHECK((*rows)[0].chat_id == "chat-1");
    CHECK((*rows)[0].channel == "telegram");
    CHECK((*rows)[0].payload == R"({"text":"a"})");
    CHECK((*rows)[1].kind == "callback_ack");
    CHECK((*rows)[0].attempts == 0);
    CHECK((*rows)[0].next_attempt_at == 10);
    CHECK((*rows)[0].created_at == 10);
    CHECK(db->pending("telegram", 1)->size() == 1);
    CHECK(db->pending("telegram", 0)->empty());
    CHECK(db->outbox_depth().value() == 3);
}

TEST_CASE("mark_sent takes a row out of pending", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    auto p = db->upsert_person("telegram", "1", "1", 1);
    auto id = db->enqueue(p->id, "message", "{}", 10);
    REQUIRE(id.ok());
    REQUIRE(db->mark_sent(*id, "tg-msg-77", 20).ok());
    CHECK(db->pending("telegram", 10)->empty());
    CHECK(db->outbox_depth().value() == 0);
    CHECK(db->outbox_failed_count().value() == 0);
}

TEST_CASE("mark_retry keeps a row pending with new attempts and due time", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    auto p = db->upsert_person("telegram", "1", "1", 1);
    auto id = db->enqueue(p->id, "message", "{}", 10);
    REQUIRE(db->mark_retry(*id, 2, 5000, "http 502").ok());
    auto rows = db->pending("telegram", 10);
    REQUIRE(rows->size() == 1);
    CHECK((*rows)[0].attempts == 2);
    CHECK((*rows)[0].next_attempt_at == 5000);
}

TEST_CASE("mark_failed moves a row to the failed count", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    auto p = db->upsert_person("telegram", "1", "1", 1);
    auto id = db->enqueue(p->id, "message", "{}", 10);
    REQUIRE(db->mark_failed(*id, "http 400", 30).ok());
    CHECK(db->pending("telegram", 10)->empty());
    CHECK(db->outbox_depth().value() == 0);
    CHECK(db->outbox_failed_count().value() == 1);
}

TEST_CASE("a row that is no longer pending cannot change state again", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    auto p = db->upsert_person("telegram", "1", "1", 1);
    auto id = db->enqueue(p->id, "message", "{}", 10);
    REQUIRE(db->mark_sent(*id, "m1", 20).ok());
    CHECK(db->mark_failed(*id, "late", 30).kind() == status::code::not_found);
    CHECK(db->mark_retry(*id, 1, 40, "late").kind() == status::code::not_found);
    CHECK(db->mark_sent(*id, "m2", 50).kind() == status::code::not_found);
}

TEST_CASE("enqueue for an unknown person is not_found", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    auto id = db->enqueue(4242, "message", "{}", 10);
    REQUIRE_FALSE(id.ok());
    CHECK(id.error().kind() == status::code::not_found);
}

TEST_CASE("pending rows of unreachable people are still returned", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    auto p = db->upsert_person("telegram", "1", "1", 1);
    REQUIRE(db->enqueue(p->id, "message", "{}", 10).ok());
    REQUIRE(db->mark_unreachable(p->id, true).ok());
    CHECK(db->pending("telegram", 10)->size() == 1);
}

TEST_CASE("fail_pending_of fails only that person's pending rows", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    auto gone = db->upsert_person("telegram", "1", "1", 1);
    auto other = db->upsert_person("telegram", "2", "2", 1);
    auto sent = db->enqueue(gone->id, "message", "{}", 10);
    REQUIRE(db->mark_sent(*sent, "m1", 11).ok());
    REQUIRE(db->enqueue(gone->id, "message", "{}", 12).ok());
    REQUIRE(db->enqueue(gone->id, "message", "{}", 13).ok());
    auto kept = db->enqueue(other->id, "message", "{}", 14);

    auto failed = db->fail_pending_of(gone->id, "blocked", 20);
    REQUIRE(failed.ok());
    CHECK(*failed == 2);
    auto rows = db->pending("telegram", 10);
    REQUIRE(rows->size() == 1);
    CHECK((*rows)[0].id == *kept);
    CHECK(db->outbox_failed_count().value() == 2);
    CHECK(db->fail_pending_of(gone->id, "blocked", 30).value() == 0);
}

TEST_CASE("the pending query walks the partial outbox index", "[storage]") {
    temp_dir dir;
    const std::string path = dir.file("opas.db");
    open_ok(config_for(path)).reset();
    sqlite3* check = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &check, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(check,
                               "EXPLAIN QUERY PLAN SELECT o.id FROM outbox AS o JOIN people AS p "
                               "ON p.id = o.person_id WHERE o.channel = ?1 AND "
                               "o.state = 'pending' ORDER BY o.id LIMIT 10",
                               -1, &st, nullptr) == SQLITE_OK);
    std::string details;
    while (sqlite3_step(st) == SQLITE_ROW) {
        details += reinterpret_cast<const char*>(sqlite3_column_text(st, 3));
        details += " | ";
    }
    sqlite3_finalize(st);
    sqlite3_close_v2(check);
    INFO(details);
    CHECK_THAT(details, Catch::Contains("outbox_pending"));
    CHECK_THAT(details, !Catch::Contains("TEMP B-TREE"));
}

TEST_CASE("prune_outbox removes finished rows and keeps pending ones", "[storage]") {
    temp_dir dir;
    auto db = open_ok(config_for(dir.file("opas.db")));
    auto p = db->upsert_person("telegram", "1", "1", 1);
    auto sent = db->enqueue(p->id, "message", "{}", 10);
    auto failed = db->enqueue(p->id, "message", "{}", 11);
    auto waiting = db->enqueue(p->id, "message", "{}", 12);
    auto recent = db->enqueue(p->id, "message", "{}", 13);
    REQUIRE(db->mark_sent(*sent, "m1", 100).ok());
    REQUIRE(db->mark_failed(*failed, "http 400", 100).ok());
    REQUIRE(db->mark_sent(*recent, "m2", 900).ok());
    auto pruned = db->prune_outbox(500);
    REQUIRE(pruned.ok());
    CHECK(*pruned == 2);
    CHECK(db->outbox_depth().value() == 1);
    CHECK(db->pending("telegram", 10)->front().id == *waiting);
    CHECK(db->outbox_failed_count().value() == 0);
}

TEST_CASE("log_contact floors the hour and keeps no identifiers", "[storage]") {
    temp_dir dir;
    const std::string path = dir.file("opas.db");
    auto db = open_ok(config_for(path));
    contact_record rec;
    rec.pseudonym = db->pseudonym_of("telegram", "1");
    rec.hour = 1700003599;
    rec.channel = "telegram";
    rec.language = "ar";
    rec.intent = "guidance.housing";
    rec.outcome = "answered";
    REQUIRE(db->log_contact(rec).ok());
    raw_db raw(path);
    CHECK(raw.text("SELECT hour FROM contact_log") == "1700002800");
    CHECK(raw.text("SELECT helpful FROM contact_log") == "-1");
}

TEST_CASE("delivery statuses are recorded with the message id hashed", "[storage]") {
    temp_dir dir;
    const std::string path = dir.file("opas.db");
    auto db = open_ok(config_for(path));
    delivery_status st;
    st.channel = "whatsapp";
    st.message_id = "wamid.HBgMMzU4NDAxMjM0NTY3";
    st.status = "failed";
    st.error_code = 131026;
    st.time = 1700000000;
    REQUIRE(db->record_delivery_status(st).ok());
    raw_db raw(path);
    CHECK(raw.text("SELECT count(*) FROM delivery_status WHERE status = 'failed' AND "
                   "error_code = 131026") == "1");
    CHECK(raw.text("SELECT count(*) FROM delivery_status WHERE message_id LIKE 'wamid%'") == "0");
}
