// Admin routes of the booking feature (see bot/admin.hpp):
//   GET    /admin/bookings?date=YYYY-MM-DD   a day's appointments (pseudonyms, never platform ids)
//   POST   /admin/bookings/{id}/no-show      the person did not come
//   GET    /admin/closed-dates               closed dates (staff's and the config's)
//   POST   /admin/closed-dates               {"date": "YYYY-MM-DD"}: no bookings that day
//   DELETE /admin/closed-dates               {"date": "YYYY-MM-DD"} (or ?date=): open again
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <variant>

#include "bot/admin.hpp"
#include "bot/booking_schedule.hpp"
#include "storage/bookings.hpp"

namespace opas::bot {
namespace {

using json = nlohmann::json;

admin_response storage_error(const storage::status& st) {
    return {500, {{"error", "storage: " + st.message()}}};
}

std::optional<std::int64_t> parse_id(const std::string& text) {
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    const auto id = std::stoll(text);
    return id > 0 ? std::optional(id) : std::nullopt;
}

// The date of a closed-dates change: the body's "date", or ?date= for DELETE.
std::variant<civil_date, admin_response> date_of(const admin_request& req) {
    std::string text;
    if (!req.body.is_null()) {
        if (!req.body.is_object()) return bad_request("body", "must be a JSON object");
        if (!req.body.contains("date")) return bad_request("date", "is required (YYYY-MM-DD)");
        if (!req.body["date"].is_string()) return bad_request("date", "must be a string YYYY-MM-DD");
        text = req.body["date"].get<std::string>();
    } else if (auto q = req.query.find("date"); q != req.query.end()) {
        text = q->second;
    } else {
        return bad_request("date", "is required (YYYY-MM-DD)");
    }
    const auto d = parse_iso_date(text);
    if (!d) return bad_request("date", "must be a valid date YYYY-MM-DD");
    return *d;
}

json booking_json(const storage::booking_row& b, const booking_schedule& sched) {
    const int minute = sched.local_minute(b.slot_start);
    char clock[16];
    std::snprintf(clock, sizeof clock, "%02d:%02d", minute / 60, minute % 60);
    json j = {{"id", b.id},
              {"date", iso_date(sched.local_date(b.slot_start))},
              {"time", clock},
              {"start", b.slot_start},
              {"minutes", b.slot_minutes},
              {"topic", b.topic},
              {"language", b.language},
              {"interpreter", b.interpreter.empty() ? json(nullptr) : json(b.interpreter)},
              {"status", b.status},
              {"pseudonym", b.pseudonym},
              {"code", "#" + b.pseudonym.substr(0, 8)},
              {"created_at", b.created_at}};
    if (b.moved_to != 0) j["moved_to"] = b.moved_to;
    return j;
}

admin_response list_bookings(admin_context& ctx, const admin_request& req,
                             const std::vector<std::string>&) {
    const auto q = req.query.find("date");
    if (q == req.query.end()) return bad_request("date", "is required (YYYY-MM-DD)");
    const auto d = parse_iso_date(q->second);
    if (!d) return bad_request("date", "must be a valid date YYYY-MM-DD");
    const booking_schedule sched(ctx.cfg.schedule, ctx.cfg.timezone);
    storage::booking_store store(ctx.db);
    const std::int64_t from = sched.to_unix(*d, 0);
    const std::int64_t to = sched.to_unix(intents::add_days(*d, 1), 0);
    auto rows = store.between(from, to);
    if (!rows.ok()) return storage_error(rows.error());
    auto closed = store.is_closed(iso_date(*d));
    if (!closed.ok()) return storage_error(closed.error());
    json list = json::array();
    int booked = 0;
    for (const auto& b : *rows) {
        list.push_back(booking_json(b, sched));
        if (b.status == "booked") ++booked;
    }
    return {200,
            {{"date", iso_date(*d)},
             {"closed", closed.value() || sched.config_closed(*d)},
             {"slots", sched.slots_on(*d).size()},
             {"seats_per_slot", ctx.cfg.schedule.counsellors},
             {"booked", booked},
             {"bookings", list}}};
}

admin_response no_show(admin_context& ctx, const admin_request&,
                       const std::vector<std::string>& params) {
    const auto id = parse_id(params.at(0));
    if (!id) return bad_request("id", "must be a positive integer");
    storage::booking_store store(ctx.db);
    auto b = store.by_id(*id);
    if (!b.ok()) {
        if (b.error().kind() == storage::status::code::not_found) return not_found("booking");
        return storage_error(b.error());
    }
    if (b->status != "booked")
        return {409, {{"error", "booking is " + b->status + ", not booked"}, {"field", "id"}}};
    const std::int64_t now_s = ctx.now_ms / 1000;
    if (b->slot_start > now_s)
        return {409, {{"error", "the appointment has not started yet"}, {"field", "id"}}};
    if (auto st = store.mark_no_show(*id, now_s); !st.ok()) return storage_error(st);
    const booking_schedule sched(ctx.cfg.schedule, ctx.cfg.timezone);
    b->status = "no_show";
    b->changed_at = now_s;
    return {200, booking_json(*b, sched)};
}

admin_response list_closed(admin_context& ctx, const admin_request&,
                           const std::vector<std::string>&) {
    storage::booking_store store(ctx.db);
    auto days = store.closed_dates();
    if (!days.ok()) return storage_error(days.error());
    return {200, {{"closed_dates", *days}, {"config_closed_dates", ctx.cfg.schedule.closed_dates}}};
}

admin_response add_closed(admin_context& ctx, const admin_request& req,
                          const std::vector<std::string>&) {
    if (req.body.is_null()) return bad_request("body", "must be {\"date\": \"YYYY-MM-DD\"}");
    auto d = date_of(req);
    if (auto* bad = std::get_if<admin_response>(&d)) return *bad;
    const auto day = std::get<civil_date>(d);
    storage::booking_store store(ctx.db);
    auto added = store.add_closed(iso_date(day));
    if (!added.ok()) return storage_error(added.error());
    // Appointments already booked that day stay: staff contact those people.
    const booking_schedule sched(ctx.cfg.schedule, ctx.cfg.timezone);
    auto rows = store.between(sched.to_unix(day, 0), sched.to_unix(intents::add_days(day, 1), 0));
    if (!rows.ok()) return storage_error(rows.error());
    int booked = 0;
    for (const auto& b : *rows)
        if (b.status == "booked") ++booked;
    return {added.value() ? 201 : 200,
            {{"date", iso_date(day)}, {"added", added.value()}, {"booked_that_day", booked}}};
}

admin_response remove_closed(admin_context& ctx, const admin_request& req,
                             const std::vector<std::string>&) {
    auto d = date_of(req);
    if (auto* bad = std::get_if<admin_response>(&d)) return *bad;
    const std::string day = iso_date(std::get<civil_date>(d));
    storage::booking_store store(ctx.db);
    auto removed = store.remove_closed(day);
    if (!removed.ok()) return storage_error(removed.error());
    if (!removed.value()) return not_found("closed date " + day);
    return {200, {{"date", day}, {"removed", true}}};
}

}  // namespace

void add_booking_routes(admin_api& api) {
    api.add("GET", "/admin/bookings", list_bookings);
    api.add("POST", "/admin/bookings/{id}/no-show", no_show);
    api.add("GET", "/admin/closed-dates", list_closed);
    api.add("POST", "/admin/closed-dates", add_closed);
    api.add("DELETE", "/admin/closed-dates", remove_closed);
}

}  // namespace opas::bot
