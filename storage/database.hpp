#pragma once
// The SQLite database of opas: schema and migrations, people, dedupe, outbox, contact log.
//
// Threading: one `database` object is one SQLite connection. It is not thread-safe; the
// owner serializes all calls (bot::dispatcher runs every write on its single writer thread).
// Other threads that only read open their own `database` (WAL lets readers run beside the
// writer).
//
// Privacy: the people table is the only table with platform ids, chat ids and phone numbers.
// Everything else refers to a person by `person_id` (internal row id) or by pseudonym.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/status.hpp"

namespace opas::storage {

struct config {
    std::string path = "var/opas.db";  // SQLite file; parent directory is created if missing
    int busy_timeout_ms = 5000;        // how long a statement waits for a lock
    bool synchronous_full = true;      // fsync every commit (FULL) instead of NORMAL
    std::string pseudonym_key;         // hex or raw secret; empty = generate once, keep in meta
    int cache_kib = 16384;             // SQLite page cache per connection, KiB
    bool read_only = false;            // open without write access: no migrations, writes fail
                                       // with status::read_only (report readers, tests)
};

struct person {
    std::int64_t id = 0;
    std::string channel;        // "telegram" | "whatsapp" | "console"
    std::string user_id;        // platform user id (Telegram from.id, WhatsApp wa_id)
    std::string chat_id;        // reply address (Telegram chat.id, WhatsApp wa_id)
    std::string pseudonym;      // hex HMAC-SHA256(key, channel + ":" + user_id), 64 chars
    std::string language;       // chosen/remembered language code, "" when none yet
    std::string state;          // conversation state as JSON text, "" when none
    bool unreachable = false;   // blocked the bot / kicked it
    std::int64_t created_at = 0;       // unix seconds
    std::int64_t last_inbound_at = 0;  // unix seconds of the last message from the person
    bool is_new = false;               // true when upsert_person created the row just now
};

struct outbox_row {
    std::int64_t id = 0;
    std::int64_t person_id = 0;
    std::string channel;
    std::string chat_id;
    std::string kind;      // "message" | "callback_ack" | "template"
    std::string payload;   // JSON text: channel-neutral reply (see bot/types.hpp)
    int attempts = 0;
    std::int64_t next_attempt_at = 0;  // unix milliseconds
    std::int64_t created_at = 0;       // unix milliseconds
};

struct contact_record {
    std::string pseudonym;
    std::int64_t hour = 0;    // unix seconds floored to the hour
    std::string channel;
    std::string language;
    std::string intent;
    std::string outcome;      // answered, unanswered, booked, cancelled, enrolled, handed_over, erased, ...
    int helpful = -1;         // -1 not given, 0 no, 1 yes
};

struct delivery_status {
    std::string channel;
    std::string message_id;   // platform id of our outbound message
    std::string status;       // sent | delivered | read | failed
    int error_code = 0;
    std::int64_t time = 0;
};

class database {
public:
    // Opens (creating the file and directory if needed), sets WAL, busy timeout, foreign keys,
    // secure_delete, and applies all migrations.
    static result<std::unique_ptr<database>> open(const config& cfg);
    ~database();
    database(const database&) = delete;
    database& operator=(const database&) = delete;

    static int latest_schema_version();
    int schema_version();
    bool ping();  // a trivial query succeeds
    // Readiness: stores `now` in meta, so that the caller's commit must reach the disk (a full
    // disk or a read-only file fails it, as it would fail a turn).
    status write_probe(std::int64_t now);

    // Transactions. begin/commit/rollback are the outer transaction; savepoints nest inside.
    // begin() is BEGIN IMMEDIATE (takes the write lock at once, so no deadlock on upgrade);
    // begin() inside a transaction and commit() outside one give status::invalid.
    // rollback() outside a transaction is a no-op (SQLite may already have rolled back after
    // a failed statement or commit). Savepoint names are [A-Za-z0-9_]+.
    // rollback_to(name) undoes changes since the savepoint and keeps it open: release it after.
    status begin();
    status commit();
    status rollback();
    status savepoint(std::string_view name);
    status release(std::string_view name);
    status rollback_to(std::string_view name);
    bool in_transaction() const;

    // Dedupe: returns true when the key is new (and records it), false when seen before.
    // A Telegram update id ("tg:<digits>", a per-bot counter) is stored as the number; every
    // other key as 60 bits of a keyed hash (a WhatsApp message id encodes the phone number).
    result<bool> mark_seen(std::string_view key, std::int64_t now);
    bool is_seen(std::string_view key);  // false also when the query fails
    // Housekeeping: forgets keys marked before `older_than` (unix seconds); returns how many.
    // Telegram redelivers for at most 24 h, WhatsApp for days: keep seen_keep_seconds.
    static constexpr std::int64_t seen_keep_seconds = 14 * 24 * 3600;
    result<std::int64_t> prune_seen(std::int64_t older_than);
    // A time (unix seconds) kept in meta under `key`, e.g. when housekeeping last ran; 0 when
    // never set.
    result<std::int64_t> meta_time(std::string_view key);
    status set_meta_time(std::string_view key, std::int64_t unix_s);

    // People.
    result<person> find_person(std::string_view channel, std::string_view user_id);
    result<person> find_person_by_id(std::int64_t id);
    // Finds or creates; updates chat_id and last_inbound_at (never moves it back).
    // `is_new` tells if created. Does not touch `unreachable`.
    result<person> upsert_person(std::string_view channel, std::string_view user_id,
                                 std::string_view chat_id, std::int64_t now);
    status save_person(std::int64_t id, std::string_view language, std::string_view state);
    status mark_unreachable(std::int64_t id, bool unreachable);
    std::string pseudonym_of(std::string_view channel, std::string_view user_id) const;
    // Retention: people whose last message is older than `unix_seconds`, oldest id first.
    result<std::vector<person>> people_inactive_since(std::int64_t unix_seconds,
                                                      std::int64_t limit = INT64_MAX);
    // Erasure: deletes the person's row; their outbox rows go with it (ON DELETE CASCADE).
    // secure_delete overwrites the freed bytes in the pages. After the commit, call
    // checkpoint() so that the old page images leave the -wal file too.
    status erase_person(std::int64_t id);
    // PRAGMA wal_checkpoint(TRUNCATE): copies the WAL into the database and empties the -wal
    // file. Outside a transaction only (status::invalid inside); status::busy when a reader
    // still holds old pages (try again later).
    status checkpoint();

    // Outbox. Times in unix milliseconds.
    result<std::int64_t> enqueue(std::int64_t person_id, std::string_view kind,
                                 std::string_view payload, std::int64_t now_ms);
    // The same for a person at hand (a turn's): their channel needs no lookup.
    result<std::int64_t> enqueue(const person& to, std::string_view kind,
                                 std::string_view payload, std::int64_t now_ms);
    // Pending rows of a channel in id order (oldest first), including rows not yet due and
    // rows of unreachable people (the sender decides). limit <= 0 gives an empty vector.
    // mark_sent/mark_retry/mark_failed change pending rows only, else status::not_found
    // (e.g. the person was erased meanwhile).
    result<std::vector<outbox_row>> pending(std::string_view channel, int limit);
    status mark_sent(std::int64_t id, std::string_view platform_message_id, std::int64_t now_ms);
    status mark_retry(std::int64_t id, int attempts, std::int64_t next_attempt_at_ms,
                      std::string_view reason);
    status mark_failed(std::int64_t id, std::string_view reason, std::int64_t now_ms);
    // Fails every pending row of a person who cannot be reached (blocked the bot, removed it):
    // nothing queued for them is sent later. Returns how many rows it failed.
    result<std::int64_t> fail_pending_of(std::int64_t person_id, std::string_view reason,
                                         std::int64_t now_ms);
    result<std::int64_t> outbox_depth();         // pending rows, all channels
    result<std::int64_t> outbox_failed_count();  // rows given up on
    // Housekeeping: deletes sent rows sent before, and failed rows given up before,
    // `finished_before_ms` (payloads hold reply texts). Returns how many rows went.
    result<std::int64_t> prune_outbox(std::int64_t finished_before_ms);

    // Contact log and delivery statuses. log_contact floors `hour` to the hour itself.
    // record_delivery_status stores the message id as a keyed hash (it can encode a phone
    // number on WhatsApp).
    status log_contact(const contact_record& rec);
    status record_delivery_status(const delivery_status& st);

    // For the domain stores of storage/ only (bookings.cpp, volunteers.cpp, ...): the
    // connection and its statement cache. Declared in storage/database_impl.hpp.
    struct impl;
    impl& internals() { return *impl_; }

private:
    explicit database(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

}  // namespace opas::storage
