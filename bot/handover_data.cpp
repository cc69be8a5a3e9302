#include "bot/handover_data.hpp"

#include <unicode/timezone.h>

#include <cstdio>

#include "storage/database.hpp"

namespace opas::bot {
namespace {

constexpr std::int64_t day_ms = 86'400'000;

class sqlite_handover_data final : public handover_data {
public:
    sqlite_handover_data(storage::database& db, person_ref person)
        : db_(db), person_(std::move(person)) {}

    std::string code() const override { return storage::handover_code(person_.pseudonym); }
    std::string channel() const override { return person_.channel; }
    bool active() override {
        const auto r = storage::handover_active(db_, person_.id);
        return r.ok() && r.value();
    }
    bool open(std::int64_t now_ms) override {
        return storage::open_handover(db_, person_.id, now_ms / 1000).ok();
    }
    bool touch(std::int64_t now_ms) override {
        return storage::touch_handover(db_, person_.id, now_ms / 1000).ok();
    }
    bool close() override { return storage::close_handover(db_, person_.id).ok(); }
    bool to_staff(const config& cfg, const std::string& text, std::int64_t now_ms) override {
        return post_to_staff(db_, cfg, text, now_ms);
    }

private:
    storage::database& db_;
    person_ref person_;
};

// "HH:MM-HH:MM" -> minutes after midnight; nullopt for "" (closed) or a bad range.
std::optional<std::pair<int, int>> parse_range(const std::string& s) {
    int h1 = 0, m1 = 0, h2 = 0, m2 = 0;
    if (s.empty() || std::sscanf(s.c_str(), "%d:%d-%d:%d", &h1, &m1, &h2, &m2) != 4)
        return std::nullopt;
    return std::make_pair(h1 * 60 + m1, h2 * 60 + m2);
}

// Offset of local time from UTC at `unix_ms` (local = the time is a wall-clock time).
std::int64_t zone_offset_ms(const icu::TimeZone& zone, std::int64_t unix_ms, bool local) {
    int32_t raw = 0, dst = 0;
    UErrorCode err = U_ZERO_ERROR;
    zone.getOffset(static_cast<UDate>(unix_ms), local, raw, dst, err);
    return U_SUCCESS(err) ? std::int64_t{raw} + dst : 0;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }

}  // namespace

std::unique_ptr<handover_data> make_handover_data(storage::database& db, const person_ref& person) {
    return std::make_unique<sqlite_handover_data>(db, person);
}

std::string staff_language(const config& cfg) {
    return cfg.staff.language.empty() ? cfg.default_language : cfg.staff.language;
}

bool post_to_staff(storage::database& db, const config& cfg, const std::string& text,
                   std::int64_t now_ms) {
    if (!cfg.handover_enabled()) return false;
    auto group = storage::staff_group_person(db, cfg.staff.telegram_chat_id, now_ms / 1000);
    if (!group) return false;
    return db.enqueue(*group, "message", to_json(reply{text, {}}), now_ms).ok();
}

std::optional<std::int64_t> staff_next_opening(const config& cfg, std::int64_t now_ms) {
    std::unique_ptr<icu::TimeZone> zone(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(cfg.timezone)));
    const std::int64_t local_now = now_ms + zone_offset_ms(*zone, now_ms, false);
    const std::int64_t day = floor_div(local_now, day_ms);
    const std::int64_t minute = (local_now - day * day_ms) / 60000;
    for (std::int64_t d = 0; d <= 7; ++d) {
        const auto weekday = static_cast<std::size_t>(((day + d) % 7 + 7 + 3) % 7);  // 0 = Monday
        const auto range = parse_range(cfg.staff.hours[weekday]);
        if (!range) continue;
        if (d == 0 && minute >= range->first && minute < range->second) return std::nullopt;
        if (d == 0 && minute >= range->first) continue;
        const std::int64_t local_open = (day + d) * day_ms + std::int64_t{range->first} * 60000;
        return local_open - zone_offset_ms(*zone, local_open, true);
    }
    return std::nullopt;  // no staff hours configured: no promise to make
}

bool end_handover(storage::database& db, const catalog& messages, const config& cfg,
                  std::int64_t now_ms, const storage::handover& h, std::string_view staff_key) {
    auto closed = storage::close_handover(db, h.person_id);
    if (!closed) return false;
    if (!closed.value()) return true;
    const std::string lang = h.language.empty() ? cfg.default_language : h.language;
    const reply to_person{messages.text(lang, "handover.ended"), {}};
    if (!db.enqueue(h.person_id, "message", to_json(to_person), now_ms).ok()) return false;
    const std::int64_t minutes = (now_ms / 1000 - h.last_activity) / 60;
    const std::string note = messages.text(staff_language(cfg), staff_key,
                                           {{"code", h.code}, {"minutes", minutes}});
    return post_to_staff(db, cfg, note, now_ms);
}

}  // namespace opas::bot
