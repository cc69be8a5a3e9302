// Upgrades: a database left at any earlier schema version (built with the migrations 1..k
// only, then filled with rows) opens with the current program at the latest version, with
// every row still there. Migrations are forward-only.
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/keyed_hash.hpp"
#include "storage/schema.hpp"
#include "storage/sqlite.hpp"
#include "tests/storage/storage_fixture.hpp"

using namespace opas::storage;
using opas::storage::test::config_for;
using opas::storage::test::open_ok;
using opas::storage::test::raw_db;
using opas::storage::test::temp_dir;

namespace {

// Creates `path` at schema version `version` exactly, as an older opas would have left it.
void create_at_version(const std::string& path, int version) {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            nullptr) == SQLITE_OK);
    sqlite::connection conn(sqlite::db_handle(raw, &sqlite3_close_v2));
    REQUIRE(conn.exec("PRAGMA journal_mode = WAL", "wal").ok());
    REQUIRE(conn.exec("PRAGMA foreign_keys = ON", "fk").ok());
    const auto s = schema::migrate_to(conn, version);
    INFO(s.message());
    REQUIRE(s.ok());
    REQUIRE(schema::current_version(conn.get()) == version);
}

// Rows in the tables that exist at `version` (schema v1: people and their traffic; v2: the
// centre's work). Later versions' tables start empty, which is what an upgrade gives them.
void fill(raw_db& db, int version) {
    db.exec("INSERT INTO people (id, channel, user_id, chat_id, pseudonym, language, state,"
            " created_at, last_inbound_at) VALUES"
            " (1, 'telegram', '4242', '4242', 'p1', 'fi', '{\"flow\":\"booking\"}', 100, 200),"
            " (2, 'whatsapp', '358401234567', '358401234567', 'p2', 'ar', '', 100, 300)");
    if (version < 3)
        db.exec("INSERT INTO seen (key, at) VALUES ('k1', 200), ('k2', 300)");
    else
        db.exec("INSERT INTO seen (id, at) VALUES (1, 200), (-2, 300)");
    db.exec("INSERT INTO outbox (person_id, channel, kind, payload, next_attempt_at, created_at)"
            " VALUES (1, 'telegram', 'message', '{\"text\":\"Hei\"}', 0, 0)");
    db.exec("INSERT INTO contact_log (pseudonym, hour, channel, language, intent, outcome)"
            " VALUES ('p1', 3600, 'telegram', 'fi', 'greeting', 'answered')");
    db.exec("INSERT INTO delivery_status (channel, message_id, status, time)"
            " VALUES ('whatsapp', 'h1', 'read', 400)");
    if (version < 2) return;
    db.exec("INSERT INTO bookings (id, person_id, pseudonym, slot_start, slot_minutes, topic,"
            " language, created_at) VALUES (1, 1, 'p1', 1800000000, 30,"
            " 'guidance.housing', 'fi', 100)");
    db.exec("INSERT INTO closed_dates (day) VALUES ('2030-12-24')");
    db.exec("INSERT INTO volunteers (id, person_id, pseudonym, name, languages, interests,"
            " availability, created_at) VALUES (1, 2, 'p2', 'Amal', '[\"ar\"]', '[\"kids\"]',"
            " 'weekends', 100)");
    db.exec("INSERT INTO shifts (id, title, place, starts_at, ends_at, capacity, created_at)"
            " VALUES (1, 'Homework club', 'Room 2', 1800000000, 1800007200, 3, 100)");
    db.exec("INSERT INTO shift_assignments (shift_id, volunteer_id, status, updated_at)"
            " VALUES (1, 1, 'accepted', 100)");
    db.exec("INSERT INTO reminders (target, lead_minutes, sent_at) VALUES ('booking:1', 60, 1)");
    db.exec("INSERT INTO handovers (person_id, started_at, last_activity) VALUES (2, 1, 2)");
    db.exec("INSERT INTO handover_messages (group_message_id, person_id, created_at)"
            " VALUES ('g1', 2, 1)");
}

std::vector<std::string> tables_of(raw_db& db) {
    const std::string names = db.text(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name");
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < names.size()) {
        const auto end = names.find('\n', start);
        out.push_back(names.substr(start, end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return out;
}

std::map<std::string, std::string> row_counts(raw_db& db) {
    std::map<std::string, std::string> counts;
    for (const auto& table : tables_of(db)) counts[table] = db.text("SELECT count(*) FROM " + table);
    return counts;
}

}  // namespace

TEST_CASE("migrate_to stops at the version asked for", "[storage][migration]") {
    temp_dir dir;
    for (int version = 1; version <= schema::latest_version(); ++version) {
        INFO("version " << version);
        const std::string path = dir.file("v" + std::to_string(version) + ".db");
        create_at_version(path, version);
        raw_db raw(path);
        CHECK(raw.text("PRAGMA user_version") == std::to_string(version));
    }
}

TEST_CASE("a database of every earlier schema version upgrades with its rows intact",
          "[storage][migration]") {
    REQUIRE(schema::latest_version() >= 2);
    temp_dir dir;
    for (int version = 1; version < schema::latest_version(); ++version) {
        INFO("upgrading from schema version " << version);
        const std::string path = dir.file("from-v" + std::to_string(version) + ".db");
        create_at_version(path, version);
        std::map<std::string, std::string> before;
        {
            raw_db raw(path);
            fill(raw, version);
            before = row_counts(raw);
        }
        {
            auto db = open_ok(config_for(path));
            CHECK(db->schema_version() == database::latest_schema_version());
            const auto person = db->find_person("telegram", "4242");
            REQUIRE(person.ok());
            CHECK(person.value().language == "fi");
            CHECK(person.value().state == "{\"flow\":\"booking\"}");
            CHECK(db->outbox_depth().value() == 1);
        }
        raw_db raw(path);
        CHECK(raw.text("PRAGMA integrity_check") == "ok");
        CHECK(raw.text("PRAGMA foreign_key_check") == "");
        const auto after = row_counts(raw);
        for (const auto& [table, count] : before) {
            INFO("table " << table);
            REQUIRE(after.count(table) == 1);
            // meta gains the pseudonym key on the first open by the program.
            if (table == "meta") continue;
            CHECK(after.at(table) == count);
        }
        if (version >= 2) {
            CHECK(raw.text("SELECT topic FROM bookings WHERE id = 1") == "guidance.housing");
            CHECK(raw.text("SELECT name FROM volunteers WHERE id = 1") == "Amal");
        }
    }
}

TEST_CASE("an upgraded database has the same schema as a new one", "[storage][migration]") {
    const std::string schema_sql =
        "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_schema ORDER BY name";
    temp_dir dir;
    open_ok(config_for(dir.file("fresh.db"))).reset();
    raw_db fresh(dir.file("fresh.db"));
    const auto fresh_schema = fresh.text(schema_sql);
    for (int version = 1; version < schema::latest_version(); ++version) {
        INFO("upgrading from schema version " << version);
        const std::string path = dir.file("v" + std::to_string(version) + ".db");
        create_at_version(path, version);
        open_ok(config_for(path)).reset();
        raw_db upgraded(path);
        CHECK(upgraded.text(schema_sql) == fresh_schema);
    }
}

TEST_CASE("dedupe keys stored before schema 3 are still known after the upgrade",
          "[storage][migration]") {
    temp_dir dir;
    const std::string path = dir.file("v2.db");
    const std::string key = "00112233445566778899aabbccddeeff";
    create_at_version(path, 2);
    {
        // As schema 2 stored a key: the hex of its keyed hash.
        const auto hasher = keyed_hash::make(key_from_config(key));
        REQUIRE(hasher.has_value());
        raw_db raw(path);
        raw.exec("INSERT INTO seen (key, at) VALUES ('" +
                 hasher->hex("seen:", "wa:wamid.HBgMMzU4NDAxMjM0NTY3") + "', 100)");
    }
    auto db = open_ok(config_for(path, key));
    CHECK(db->is_seen("wa:wamid.HBgMMzU4NDAxMjM0NTY3"));
    CHECK_FALSE(db->mark_seen("wa:wamid.HBgMMzU4NDAxMjM0NTY3", 200).value());
    CHECK(db->mark_seen("wa:wamid.HBgMMzU4NDAxMjM0NTY4", 200).value());
}

TEST_CASE("schema 4 keeps the outbox's ids and counter and its checks", "[storage][migration]") {
    temp_dir dir;
    const std::string path = dir.file("v3.db");
    create_at_version(path, 3);
    {
        raw_db raw(path);
        fill(raw, 3);
        raw.exec("INSERT INTO outbox (person_id, channel, kind, payload, next_attempt_at,"
                 " created_at) VALUES (1, 'telegram', 'message', '{}', 0, 0),"
                 " (1, 'telegram', 'message', '{}', 0, 0)");
        raw.exec("DELETE FROM outbox WHERE id = 3");  // the counter stays at 3
    }
    auto db = open_ok(config_for(path));
    auto id = db->enqueue(1, "message", R"({"text":"after"})", 10);
    REQUIRE(id.ok());
    CHECK(*id == 4);  // AUTOINCREMENT: an id once given is never given again
    db.reset();
    raw_db raw(path);
    CHECK(raw.text("SELECT group_concat(id) FROM outbox") == "1,2,4");
    // The checks still refuse what they refused before.
    CHECK(sqlite3_exec(raw.get(), "UPDATE outbox SET state = 'lost' WHERE id = 1", nullptr,
                       nullptr, nullptr) == SQLITE_CONSTRAINT);
    CHECK(sqlite3_exec(raw.get(), "UPDATE contact_log SET helpful = 2", nullptr, nullptr,
                       nullptr) == SQLITE_CONSTRAINT);
}

TEST_CASE("the writes of every turn and send build no temporary b-tree", "[storage][migration]") {
    temp_dir dir;
    open_ok(config_for(dir.file("opas.db"))).reset();
    raw_db raw(dir.file("opas.db"));
    // A temporary b-tree shows as OpenEphemeral in the statement's program.
    for (const std::string sql :
         {"INSERT INTO outbox (person_id, channel, kind, payload, next_attempt_at, created_at)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
          "UPDATE outbox SET state = 'sent', platform_message_id = ?2, sent_at = ?3"
          " WHERE id = ?1 AND state = 'pending'",
          "INSERT INTO contact_log (pseudonym, hour, channel, language, intent, outcome,"
          " helpful) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"}) {
        INFO(sql);
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(raw.get(), ("EXPLAIN " + sql).c_str(), -1, &st, nullptr) ==
                SQLITE_OK);
        int opcodes = 0;
        int ephemeral = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            ++opcodes;
            const auto* op = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
            if (op != nullptr && std::string(op) == "OpenEphemeral") ++ephemeral;
        }
        sqlite3_finalize(st);
        CHECK(opcodes > 0);
        CHECK(ephemeral == 0);
    }
}
