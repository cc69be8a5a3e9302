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

    // Transactions. begin/commit/rollback are the outer transaction; savepoints nest inside.
    status begin();
    status commit();
    status rollback();
    status savepoint(std::string_view name);
    status release(std::string_view name);
    status rollback_to(std::string_view name);

    // Dedupe: returns true when the key is new (and records it), false when seen before.
    result<bool> mark_seen(std::string_view key, std::int64_t now);
    bool is_seen(std::string_view key);

    // People.
    result<person> find_person(std::string_view channel, std::string_view user_id);
    result<person> find_person_by_id(std::int64_t id);
    // Finds or creates; updates chat_id and last_inbound_at. `is_new` tells if created.
    result<person> upsert_person(std::string_view channel, std::string_view user_id,
                                 std::string_view chat_id, std::int64_t now);
    status save_person(std::int64_t id, std::string_view language, std::string_view state);
    status mark_unreachable(std::int64_t id, bool unreachable);
    std::string pseudonym_of(std::string_view channel, std::string_view user_id) const;

    // Outbox. Times in unix milliseconds.
    result<std::int64_t> enqueue(std::int64_t person_id, std::string_view kind,
                                 std::string_view payload, std::int64_t now_ms);
    // Pending rows of a channel in id order (oldest first), including rows not yet due.
    result<std::vector<outbox_row>> pending(std::string_view channel, int limit);
    status mark_sent(std::int64_t id, std::string_view platform_message_id, std::int64_t now_ms);
    status mark_retry(std::int64_t id, int attempts, std::int64_t next_attempt_at_ms,
                      std::string_view reason);
    status mark_failed(std::int64_t id, std::string_view reason, std::int64_t now_ms);
    result<std::int64_t> outbox_depth();         // pending rows, all channels
    result<std::int64_t> outbox_failed_count();  // rows given up on

    // Contact log and delivery statuses.
    status log_contact(const contact_record& rec);
    status record_delivery_status(const delivery_status& st);

private:
    struct impl;
    explicit database(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

}  // namespace opas::storage
