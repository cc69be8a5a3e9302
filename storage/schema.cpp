#include "storage/schema.hpp"

#include <iterator>
#include <string>

#include "storage/sqlite.hpp"

namespace opas::storage::schema {
namespace {

struct migration {
    int version;
    const char* sql;
};

// Privacy: `people` is the only table with platform user ids, chat ids and phone numbers.
// `seen.key` and `delivery_status.message_id` hold keyed hashes (a WhatsApp message id
// encodes the phone number). Outbox rows go with their person (ON DELETE CASCADE).
constexpr migration migrations[] = {
    {1, R"sql(
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE people (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    channel         TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    pseudonym       TEXT NOT NULL UNIQUE,
    language        TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL DEFAULT '',
    unreachable     INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    last_inbound_at INTEGER NOT NULL,
    UNIQUE (channel, user_id)
);

CREATE TABLE seen (
    key TEXT PRIMARY KEY,
    at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX seen_by_time ON seen (at);

CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id           INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    channel             TEXT NOT NULL,
    kind                TEXT NOT NULL,
    payload             TEXT NOT NULL,
    state               TEXT NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'sent', 'failed')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    sent_at             INTEGER,
    failed_at           INTEGER,
    platform_message_id TEXT,
    last_error          TEXT
);
CREATE INDEX outbox_pending ON outbox (channel, id) WHERE state = 'pending';
CREATE INDEX outbox_failed ON outbox (id) WHERE state = 'failed';
CREATE INDEX outbox_by_person ON outbox (person_id);

CREATE TABLE contact_log (
    id        INTEGER PRIMARY KEY,
    pseudonym TEXT NOT NULL,
    hour      INTEGER NOT NULL,
    channel   TEXT NOT NULL,
    language  TEXT NOT NULL,
    intent    TEXT NOT NULL,
    outcome   TEXT NOT NULL,
    helpful   INTEGER NOT NULL DEFAULT -1 CHECK (helpful IN (-1, 0, 1))
);
CREATE INDEX contact_log_by_hour ON contact_log (hour, channel, language, intent);

CREATE TABLE delivery_status (
    id         INTEGER PRIMARY KEY,
    channel    TEXT NOT NULL,
    message_id TEXT NOT NULL,
    status     TEXT NOT NULL,
    error_code INTEGER NOT NULL DEFAULT 0,
    time       INTEGER NOT NULL
);
CREATE INDEX delivery_status_by_time ON delivery_status (time);
)sql"},
    // The centre's work: appointments, volunteers and shifts, reminders, handovers.
    // Rows keep the pseudonym so counts survive erasure; person_id goes NULL (or the row goes)
    // when a person is forgotten. No platform ids here.
    {2, R"sql(
CREATE TABLE bookings (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id     INTEGER REFERENCES people(id) ON DELETE SET NULL,
    pseudonym     TEXT NOT NULL,
    slot_start    INTEGER NOT NULL,              -- unix seconds
    slot_minutes  INTEGER NOT NULL,
    topic         TEXT NOT NULL,                 -- a guidance.* intent
    language      TEXT NOT NULL,                 -- conversation language
    interpreter   TEXT NOT NULL DEFAULT '',      -- language code, '' = none needed
    status        TEXT NOT NULL DEFAULT 'booked'
                  CHECK (status IN ('booked', 'cancelled', 'moved', 'no_show')),
    created_at    INTEGER NOT NULL,              -- unix seconds
    changed_at    INTEGER,                       -- cancelled / moved / marked no-show
    moved_to      INTEGER REFERENCES bookings(id)
);
CREATE INDEX bookings_by_slot ON bookings (slot_start, status);
CREATE INDEX bookings_by_person ON bookings (person_id, status);
CREATE INDEX bookings_by_created ON bookings (created_at);

CREATE TABLE closed_dates (
    day TEXT PRIMARY KEY                         -- YYYY-MM-DD in the configured time zone
) WITHOUT ROWID;

CREATE TABLE volunteers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id     INTEGER UNIQUE REFERENCES people(id) ON DELETE CASCADE,
    pseudonym     TEXT NOT NULL,
    name          TEXT NOT NULL,
    languages     TEXT NOT NULL,                 -- JSON array of language codes or names
    interests     TEXT NOT NULL,                 -- JSON array of interest keys
    availability  TEXT NOT NULL,                 -- as the volunteer wrote it
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'approved', 'removed')),
    created_at    INTEGER NOT NULL,
    approved_at   INTEGER
);

CREATE TABLE shifts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    title         TEXT NOT NULL,
    place         TEXT NOT NULL,
    starts_at     INTEGER NOT NULL,              -- unix seconds
    ends_at       INTEGER NOT NULL,
    capacity      INTEGER NOT NULL CHECK (capacity > 0),
    languages     TEXT NOT NULL DEFAULT '[]',    -- JSON array of wanted language codes
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled')),
    created_at    INTEGER NOT NULL
);
CREATE INDEX shifts_by_start ON shifts (starts_at);

CREATE TABLE shift_assignments (
    shift_id      INTEGER NOT NULL REFERENCES shifts(id) ON DELETE CASCADE,
    volunteer_id  INTEGER NOT NULL REFERENCES volunteers(id) ON DELETE CASCADE,
    status        TEXT NOT NULL
                  CHECK (status IN ('offered', 'accepted', 'declined', 'cancelled')),
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (shift_id, volunteer_id)
) WITHOUT ROWID;
CREATE INDEX shift_assignments_by_volunteer ON shift_assignments (volunteer_id, status);

-- One row per reminder sent: unique per (target, lead), so restarts neither lose nor repeat.
CREATE TABLE reminders (
    target        TEXT NOT NULL,                 -- 'booking:<id>' | 'shift:<shift>:<volunteer>'
    lead_minutes  REAL NOT NULL,
    sent_at       INTEGER NOT NULL,
    PRIMARY KEY (target, lead_minutes)
) WITHOUT ROWID;

CREATE TABLE handovers (
    person_id     INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    started_at    INTEGER NOT NULL,
    last_activity INTEGER NOT NULL
);

-- Which staff-group message belongs to which person, so a staff reply finds its way back.
CREATE TABLE handover_messages (
    group_message_id TEXT PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    created_at       INTEGER NOT NULL
) WITHOUT ROWID;
)sql"},
    // Dedupe keys as 64-bit integers (database.cpp, seen_id): a Telegram update id as the
    // number (consecutive updates share a page instead of dirtying a random one each), any
    // other key as -1 - its keyed hash's first 60 bits. Old keys are hashes: converted the
    // same way. No index on `at`: pruning scans this small table once an hour.
    {3, R"sql(
CREATE TABLE seen_ids (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL
);
WITH RECURSIVE digit(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM digit WHERE i < 15)
INSERT OR IGNORE INTO seen_ids (id, at)
SELECT -1 - (SELECT sum((instr('0123456789abcdef', substr(old.key, i, 1)) - 1) << (4 * (15 - i)))
             FROM digit), at
FROM seen AS old;
DROP TABLE seen;
ALTER TABLE seen_ids RENAME TO seen;
)sql"},
    // Every turn inserts into outbox and contact_log, and every send updates outbox. A CHECK
    // of the form `x IN (a, b, c)` makes SQLite build a temporary b-tree for the list on each
    // of those writes (three or more values); the same check written with OR costs nothing.
    // SQLite cannot alter a CHECK, so both tables are rebuilt with their rows, ids and
    // AUTOINCREMENT counter. Nothing refers to them, so the rebuild touches no other table.
    // (The other tables' IN checks stay: they are written a few times a day.)
    {4, R"sql(
CREATE TABLE outbox_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id           INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    channel             TEXT NOT NULL,
    kind                TEXT NOT NULL,
    payload             TEXT NOT NULL,
    state               TEXT NOT NULL DEFAULT 'pending'
                        CHECK (state = 'pending' OR state = 'sent' OR state = 'failed'),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    sent_at             INTEGER,
    failed_at           INTEGER,
    platform_message_id TEXT,
    last_error          TEXT
);
INSERT INTO outbox_new SELECT id, person_id, channel, kind, payload, state, attempts,
    next_attempt_at, created_at, sent_at, failed_at, platform_message_id, last_error FROM outbox;
DELETE FROM sqlite_sequence WHERE name = 'outbox_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_new', seq FROM sqlite_sequence
    WHERE name = 'outbox';
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (channel, id) WHERE state = 'pending';
CREATE INDEX outbox_failed ON outbox (id) WHERE state = 'failed';
CREATE INDEX outbox_by_person ON outbox (person_id);

CREATE TABLE contact_log_new (
    id        INTEGER PRIMARY KEY,
    pseudonym TEXT NOT NULL,
    hour      INTEGER NOT NULL,
    channel   TEXT NOT NULL,
    language  TEXT NOT NULL,
    intent    TEXT NOT NULL,
    outcome   TEXT NOT NULL,
    helpful   INTEGER NOT NULL DEFAULT -1 CHECK (helpful = -1 OR helpful = 0 OR helpful = 1)
);
INSERT INTO contact_log_new SELECT id, pseudonym, hour, channel, language, intent, outcome,
    helpful FROM contact_log;
DROP TABLE contact_log;
ALTER TABLE contact_log_new RENAME TO contact_log;
CREATE INDEX contact_log_by_hour ON contact_log (hour, channel, language, intent);
)sql"},
    // Every turn adds a contact_log row, and the index on (hour, channel, language, intent)
    // put rows of one hour in as many places as there are languages and intents: each insert
    // compared text keys on its way down, and a group commit wrote two pages of it. Reports
    // only ask for a range of hours (storage/report.cpp), so the hour alone serves them, and
    // rows arrive in hour order: every insert appends to the same last page.
    {5, R"sql(
DROP INDEX contact_log_by_hour;
CREATE INDEX contact_log_by_hour ON contact_log (hour);
)sql"},
};

constexpr int newest = migrations[std::size(migrations) - 1].version;

constexpr bool numbered_from_one_without_gaps() {
    for (std::size_t i = 0; i < std::size(migrations); ++i) {
        if (migrations[i].version != static_cast<int>(i) + 1) return false;
    }
    return true;
}
static_assert(numbered_from_one_without_gaps(), "migrations are numbered 1, 2, 3, ...");

status apply(sqlite::connection& conn, const migration& m) {
    const std::string step = "schema migration " + std::to_string(m.version);
    if (auto s = conn.exec(m.sql, step); !s.ok()) return s;
    const std::string set_version = "PRAGMA user_version = " + std::to_string(m.version);
    return conn.exec(set_version.c_str(), step);
}

status too_new(int version) {
    return status::invalid("database schema version " + std::to_string(version) +
                           " is newer than this program knows (" + std::to_string(newest) +
                           "); upgrade opas");
}

}  // namespace

int latest_version() { return newest; }

int current_version(sqlite3* db) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &raw, nullptr) != SQLITE_OK) {
        sqlite3_finalize(raw);
        return -1;
    }
    const sqlite::stmt_handle stmt(raw, &sqlite3_finalize);
    if (sqlite3_step(stmt.get()) != SQLITE_ROW) return -1;
    return sqlite3_column_int(stmt.get(), 0);
}

status migrate(sqlite::connection& conn) { return migrate_to(conn, newest); }

status migrate_to(sqlite::connection& conn, int target) {
    sqlite3* db = conn.get();
    // Cheap check without a write lock: most opens find the schema current.
    const int before = current_version(db);
    if (before < 0) return status::internal("read schema version failed");
    if (before > newest) return too_new(before);
    if (before >= target) return status::ok_status();

    for (const auto& m : migrations) {
        if (m.version > target) break;
        // IMMEDIATE takes the write lock first, so two processes opening a fresh database at
        // once cannot both apply the same step: the second re-reads the version and skips.
        if (auto s = conn.exec("BEGIN IMMEDIATE", "schema migration begin"); !s.ok()) return s;
        const int version = current_version(db);
        status s;
        if (version < 0) {
            s = status::internal("read schema version failed");
        } else if (version > newest) {
            s = too_new(version);
        } else if (version < m.version) {
            s = apply(conn, m);
        }
        if (s.ok()) s = conn.exec("COMMIT", "schema migration commit");
        if (!s.ok()) {
            if (conn.in_transaction()) conn.exec("ROLLBACK", "schema migration rollback");
            return s;
        }
    }
    return status::ok_status();
}

status check_current(sqlite3* db) {
    const int version = current_version(db);
    if (version < 0) return status::internal("read schema version failed");
    if (version > newest) return too_new(version);
    if (version < newest) {
        return status::read_only("database schema version " + std::to_string(version) +
                                 " is older than " + std::to_string(newest) +
                                 " and the database is open read-only; run `opas migrate`");
    }
    return status::ok_status();
}

}  // namespace opas::storage::schema
