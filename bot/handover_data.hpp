#pragma once
// The handover part of the domain (see bot/domain.hpp): what the handover flow reads and
// changes, and the staff side of a handover (the staff Telegram group, timeouts, admin API).
//
// A handover is named by a code, "#" and the first 8 hex characters of the person's pseudonym
// (storage/handovers.hpp). Every note the bot posts in the staff group carries the code; a staff
// member answers by replying to such a note (or by starting a message with the code), and
// `/end #code` (or replying `/end`) ends the handover.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "bot/catalog.hpp"
#include "bot/config.hpp"
#include "bot/domain.hpp"
#include "bot/scheduler.hpp"
#include "bot/types.hpp"
#include "storage/handovers.hpp"

namespace opas::bot {

class handover_data {
public:
    virtual ~handover_data() = default;
    virtual std::string code() const = 0;     // "#a1b2c3d4"
    virtual std::string channel() const = 0;  // the person's channel, for the staff note
    // False also when the storage call failed (the flow then falls back to the centre's
    // contacts or leaves the person with the bot).
    virtual bool active() = 0;
    virtual bool open(std::int64_t now_ms) = 0;
    virtual bool touch(std::int64_t now_ms) = 0;
    virtual bool close() = 0;
    // Queues `text` to the staff group (cfg.staff.telegram_chat_id).
    virtual bool to_staff(const config& cfg, const std::string& text, std::int64_t now_ms) = 0;
};

// SQLite-backed, for the dispatcher; works inside the caller's transaction.
std::unique_ptr<handover_data> make_handover_data(storage::database& db, const person_ref& person);

// The language of the bot's notes to staff.
std::string staff_language(const config& cfg);

// Queues a note to the staff group.
bool post_to_staff(storage::database& db, const config& cfg, const std::string& text,
                   std::int64_t now_ms);

// When staff answer next: nullopt while staff hours are on (or none are configured), else the
// unix milliseconds of the next opening (cfg.staff.hours in cfg.timezone).
std::optional<std::int64_t> staff_next_opening(const config& cfg, std::int64_t now_ms);

// Ends an open handover: tells the person (handover.ended, in their language) and the staff
// group (`staff_key` with {code} and {minutes}). False when a storage call failed.
bool end_handover(storage::database& db, const catalog& messages, const config& cfg,
                  std::int64_t now_ms, const storage::handover& h, std::string_view staff_key);

// A message in the staff group (dispatcher.cpp routes it here): delivers a staff reply to the
// person, or ends a handover. `ctx.added_outbox` tells if something was queued. False when a
// storage call failed (the job is rolled back).
bool handover_staff_message(scheduler_context& ctx, const inbound& in);

}  // namespace opas::bot
