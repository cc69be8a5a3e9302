// Admin routes of the volunteer feature (see bot/admin.hpp):
//   GET    /admin/volunteers[?status=pending|approved]  name, languages, interests, availability
//   POST   /admin/volunteers/{id}/approve               approves; offers the open shifts that match
//   DELETE /admin/volunteers/{id}                       removes; their places go to others
//   POST   /admin/shifts                                creates; offers it to matching volunteers
//   GET    /admin/shifts[?from=YYYY-MM-DD]              shifts with their roster
//   DELETE /admin/shifts/{id}                           cancels; tells the accepted volunteers
// Times are ISO 8601: "2026-03-10T10:00" is local time in the configured time zone,
// "2026-03-10T10:00+02:00" / "...Z" carry their offset. Answers give local time with offset.
#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>

#include "bot/admin.hpp"
#include "bot/volunteer_data.hpp"
#include "storage/volunteers.hpp"

namespace opas::bot {
namespace {

using json = nlohmann::json;

constexpr std::size_t max_title_bytes = 200;
constexpr std::size_t max_place_bytes = 300;
constexpr int max_capacity = 1000;
constexpr std::int64_t max_shift_seconds = 24 * 3600;

admin_response storage_error() { return {500, {{"error", "storage"}}}; }

std::unique_ptr<icu::TimeZone> zone_of(const std::string& tz) {
    return std::unique_ptr<icu::TimeZone>(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(tz)));
}

// Reads `n` digits at `at` (advancing it); -1 when they are not there.
int digits(std::string_view s, std::size_t& at, std::size_t n) {
    if (at + n > s.size()) return -1;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = s[at + i];
        if (c < '0' || c > '9') return -1;
        v = v * 10 + (c - '0');
    }
    at += n;
    return v;
}

bool take(std::string_view s, std::size_t& at, char c) {
    if (at < s.size() && s[at] == c) {
        ++at;
        return true;
    }
    return false;
}

// ISO 8601 date and time to unix seconds: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" with an
// optional "Z" or "+HH:MM" / "-HH:MM"; without an offset it is local time in `tz`.
std::optional<std::int64_t> parse_iso(std::string_view s, const std::string& tz) {
    using namespace std::chrono;
    std::size_t at = 0;
    const int y = digits(s, at, 4);
    const int mo = take(s, at, '-') ? digits(s, at, 2) : -1;
    const int d = take(s, at, '-') ? digits(s, at, 2) : -1;
    if (y < 1970 || mo < 1 || d < 1) return std::nullopt;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    int h = 0, mi = 0, sec = 0;
    if (at < s.size()) {
        if (!take(s, at, 'T') && !take(s, at, ' ')) return std::nullopt;
        h = digits(s, at, 2);
        mi = take(s, at, ':') ? digits(s, at, 2) : -1;
        if (take(s, at, ':')) sec = digits(s, at, 2);
        if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return std::nullopt;
    }
    const std::int64_t civil = sys_days(ymd).time_since_epoch().count() * 86400 + h * 3600 + mi * 60 + sec;
    if (at == s.size()) {  // local time in the configured zone (ICU settles DST gaps)
        UErrorCode status = U_ZERO_ERROR;
        icu::GregorianCalendar cal(zone_of(tz).release(), status);
        cal.clear();
        cal.set(y, mo - 1, d, h, mi, sec);
        const UDate ms = cal.getTime(status);
        if (U_FAILURE(status)) return std::nullopt;
        return static_cast<std::int64_t>(ms / 1000);
    }
    if (take(s, at, 'Z')) return at == s.size() ? std::optional<std::int64_t>(civil) : std::nullopt;
    const char sign = s[at++];
    if (sign != '+' && sign != '-') return std::nullopt;
    const int oh = digits(s, at, 2);
    take(s, at, ':');
    const int om = digits(s, at, 2);
    if (oh < 0 || oh > 14 || om < 0 || om > 59 || at != s.size()) return std::nullopt;
    const std::int64_t offset = (oh * 3600 + om * 60) * (sign == '+' ? 1 : -1);
    return civil - offset;
}

// Unix seconds as local ISO 8601 time with its offset: "2026-03-10T10:00:00+02:00".
std::string iso_local(std::int64_t unix_s, const std::string& tz) {
    using namespace std::chrono;
    std::int32_t raw = 0, dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    zone_of(tz)->getOffset(static_cast<UDate>(unix_s) * 1000, false, raw, dst, status);
    const std::int64_t offset = U_FAILURE(status) ? 0 : (raw + dst) / 1000;
    const std::int64_t local = unix_s + offset;
    const auto days = sys_days{} + std::chrono::days{local >= 0 ? local / 86400 : (local - 86399) / 86400};
    const year_month_day ymd{days};
    const std::int64_t rest = local - days.time_since_epoch().count() * 86400;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%c%02d:%02d", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(rest / 3600), int(rest / 60 % 60),
                  int(rest % 60), offset < 0 ? '-' : '+', int(std::abs(offset) / 3600),
                  int(std::abs(offset) / 60 % 60));
    return buf;
}

std::optional<std::int64_t> id_of(const std::string& text) {
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    return std::stoll(text);
}

json volunteer_json(const storage::volunteer_row& v, const std::string& tz) {
    return {{"id", v.id},
            {"name", v.name},
            {"languages", string_list_of(v.languages_json)},
            {"interests", string_list_of(v.interests_json)},
            {"availability", v.availability},
            {"status", v.status},
            {"created_at", iso_local(v.created_at, tz)},
            {"approved_at", v.approved_at ? json(iso_local(v.approved_at, tz)) : json(nullptr)}};
}

json shift_json(const storage::shift_row& s, const std::string& tz) {
    return {{"id", s.id},
            {"title", s.title},
            {"place", s.place},
            {"starts_at", iso_local(s.starts_at, tz)},
            {"ends_at", iso_local(s.ends_at, tz)},
            {"capacity", s.capacity},
            {"languages", string_list_of(s.languages_json)},
            {"status", s.status},
            {"accepted", s.accepted}};
}

admin_response list_volunteers(admin_context& ctx, const admin_request& req,
                               const std::vector<std::string>&) {
    std::string status;
    if (auto it = req.query.find("status"); it != req.query.end()) {
        status = it->second;
        if (status != "pending" && status != "approved")
            return bad_request("status", "must be pending or approved");
    }
    auto rows = storage::volunteer_store(ctx.db).list(status);
    if (!rows.ok()) return storage_error();
    json list = json::array();
    for (const auto& v : rows.value()) list.push_back(volunteer_json(v, ctx.cfg.timezone));
    return {200, {{"volunteers", list}}};
}

admin_response approve_volunteer(admin_context& ctx, const admin_request&,
                                 const std::vector<std::string>& params) {
    const auto id = id_of(params.at(0));
    if (!id) return bad_request("id", "must be a volunteer id (a positive integer)");
    storage::volunteer_store store(ctx.db);
    auto v = store.by_id(*id);
    if (!v.ok() && v.error().kind() == storage::status::code::not_found) return not_found("volunteer");
    if (!v.ok()) return storage_error();
    if (v->status == "removed") return {409, {{"error", "the volunteer was removed"}}};
    int offered = 0;
    if (v->status != "approved") {
        if (!store.approve(*id, ctx.now_ms / 1000).ok()) return storage_error();
        v = store.by_id(*id);
        if (!v.ok()) return storage_error();
        shift_messenger out(ctx.db, ctx.messages, ctx.cfg.default_language, ctx.now_ms);
        if (v->person_id != 0) {
            const std::string lang = out.language_of(v->person_id);
            const reply r{ctx.messages.text(lang, "volunteer.approved", {{"name", v->name}}),
                          {{"vol:shifts", ctx.messages.text(lang, "button.my_shifts")}}};
            if (!ctx.db.enqueue(v->person_id, "message", to_json(r), ctx.now_ms).ok())
                return storage_error();
        }
        if (!out.offer_open_shifts_to(v.value(), offered)) return storage_error();
    }
    return {200, {{"volunteer", volunteer_json(v.value(), ctx.cfg.timezone)}, {"offered", offered}}};
}

admin_response remove_volunteer(admin_context& ctx, const admin_request&,
                                const std::vector<std::string>& params) {
    const auto id = id_of(params.at(0));
    if (!id) return bad_request("id", "must be a volunteer id (a positive integer)");
    storage::volunteer_store store(ctx.db);
    auto v = store.by_id(*id);
    if ((!v.ok() && v.error().kind() == storage::status::code::not_found) ||
        (v.ok() && v->status == "removed"))
        return not_found("volunteer");
    if (!v.ok()) return storage_error();
    auto places = store.accepted_shifts(*id, ctx.now_ms / 1000);
    if (!places.ok() || !store.remove(*id, ctx.now_ms / 1000).ok()) return storage_error();
    shift_messenger out(ctx.db, ctx.messages, ctx.cfg.default_language, ctx.now_ms);
    json freed = json::array();
    for (const auto& s : places.value()) {
        if (!out.offer_free_place(s.id, *id)) return storage_error();
        freed.push_back(s.id);
    }
    return {200, {{"removed", *id}, {"freed_shifts", freed}}};
}

// Reads the body of POST /admin/shifts; an admin_response when a field is wrong.
std::optional<admin_response> read_shift(const admin_context& ctx, const json& body,
                                         storage::shift_row& s) {
    if (!body.is_object()) return bad_request("body", "must be a JSON object");
    static const char* const known[] = {"title", "starts_at", "ends_at", "place", "capacity", "languages"};
    for (const auto& [key, value] : body.items())
        if (std::find(std::begin(known), std::end(known), key) == std::end(known))
            return bad_request(key, "is not a field of a shift");
    auto text = [&](const char* field, std::size_t max, std::string& out) -> std::optional<admin_response> {
        if (!body.contains(field) || !body[field].is_string()) return bad_request(field, "is required (a string)");
        out = body[field].get<std::string>();
        const auto first = out.find_first_not_of(" \t\r\n");
        if (first == std::string::npos) return bad_request(field, "must not be empty");
        out = out.substr(first, out.find_last_not_of(" \t\r\n") - first + 1);
        if (out.size() > max) return bad_request(field, "is too long (at most " + std::to_string(max) + " bytes)");
        return std::nullopt;
    };
    if (auto bad = text("title", max_title_bytes, s.title)) return bad;
    if (auto bad = text("place", max_place_bytes, s.place)) return bad;
    std::string starts, ends;
    if (auto bad = text("starts_at", 40, starts)) return bad;
    if (auto bad = text("ends_at", 40, ends)) return bad;
    const auto start = parse_iso(starts, ctx.cfg.timezone);
    if (!start) return bad_request("starts_at", "must be ISO 8601, e.g. 2026-03-10T10:00 or 2026-03-10T10:00+02:00");
    if (*start * 1000 <= ctx.now_ms) return bad_request("starts_at", "must be in the future");
    const auto end = parse_iso(ends, ctx.cfg.timezone);
    if (!end) return bad_request("ends_at", "must be ISO 8601, e.g. 2026-03-10T14:00");
    if (*end <= *start) return bad_request("ends_at", "must be after starts_at");
    if (*end - *start > max_shift_seconds) return bad_request("ends_at", "must be at most 24 hours after starts_at");
    s.starts_at = *start;
    s.ends_at = *end;
    if (!body.contains("capacity") || !body["capacity"].is_number_integer() ||
        body["capacity"].get<long long>() < 1 || body["capacity"].get<long long>() > max_capacity)
        return bad_request("capacity", "must be an integer from 1 to " + std::to_string(max_capacity));
    s.capacity = body["capacity"].get<int>();
    std::vector<std::string> langs;
    if (body.contains("languages")) {
        const auto& l = body["languages"];
        if (!l.is_array()) return bad_request("languages", "must be an array of language codes");
        for (const auto& code : l) {
            const auto& known_langs = ctx.cfg.languages;
            if (!code.is_string() || std::find(known_langs.begin(), known_langs.end(),
                                               code.get<std::string>()) == known_langs.end())
                return bad_request("languages", "must hold codes of the configured languages (fi, ar, ...)");
            if (std::find(langs.begin(), langs.end(), code.get<std::string>()) == langs.end())
                langs.push_back(code.get<std::string>());
        }
    }
    s.languages_json = json_text_of(langs);
    return std::nullopt;
}

admin_response create_shift(admin_context& ctx, const admin_request& req,
                            const std::vector<std::string>&) {
    storage::shift_row s;
    if (auto bad = read_shift(ctx, req.body, s)) return *bad;
    storage::volunteer_store store(ctx.db);
    auto id = store.add_shift(s, ctx.now_ms / 1000);
    if (!id.ok()) return storage_error();
    auto created = store.shift(*id);
    if (!created.ok()) return storage_error();
    int offered = 0;
    shift_messenger out(ctx.db, ctx.messages, ctx.cfg.default_language, ctx.now_ms);
    if (!out.offer_to_matching(created.value(), offered)) return storage_error();
    return {201, {{"shift", shift_json(created.value(), ctx.cfg.timezone)}, {"offered", offered}}};
}

admin_response list_shifts(admin_context& ctx, const admin_request& req,
                           const std::vector<std::string>&) {
    std::int64_t from = ctx.now_ms / 1000;
    if (auto it = req.query.find("from"); it != req.query.end()) {
        const auto t = parse_iso(it->second, ctx.cfg.timezone);
        if (!t) return bad_request("from", "must be a date (YYYY-MM-DD) or ISO 8601 time");
        from = *t;
    }
    storage::volunteer_store store(ctx.db);
    auto rows = store.shifts_from(from);
    if (!rows.ok()) return storage_error();
    json list = json::array();
    for (const auto& s : rows.value()) {
        auto roster = store.roster(s.id);
        if (!roster.ok()) return storage_error();
        json people = json::array();
        for (const auto& r : roster.value())
            people.push_back({{"volunteer_id", r.volunteer_id}, {"name", r.name}, {"status", r.status}});
        json row = shift_json(s, ctx.cfg.timezone);
        row["roster"] = people;
        list.push_back(row);
    }
    return {200, {{"shifts", list}}};
}

admin_response cancel_shift(admin_context& ctx, const admin_request&,
                            const std::vector<std::string>& params) {
    const auto id = id_of(params.at(0));
    if (!id) return bad_request("id", "must be a shift id (a positive integer)");
    storage::volunteer_store store(ctx.db);
    auto s = store.shift(*id);
    if (!s.ok() && s.error().kind() == storage::status::code::not_found) return not_found("shift");
    if (!s.ok()) return storage_error();
    if (s->status == "cancelled") return {409, {{"error", "the shift is already cancelled"}}};
    auto roster = store.roster(*id);
    if (!roster.ok() || !store.cancel_shift(*id).ok()) return storage_error();
    shift_messenger out(ctx.db, ctx.messages, ctx.cfg.default_language, ctx.now_ms);
    int told = 0;
    for (const auto& r : roster.value()) {
        if (r.status != "accepted") continue;
        auto v = store.by_id(r.volunteer_id);
        if (!v.ok()) return storage_error();
        if (!out.tell(v.value(), s.value(), "shift.cancelled_by_centre")) return storage_error();
        ++told;
    }
    return {200, {{"cancelled", *id}, {"told", told}}};
}

}  // namespace

void add_volunteer_routes(admin_api& api) {
    api.add("GET", "/admin/volunteers", list_volunteers);
    api.add("POST", "/admin/volunteers/{id}/approve", approve_volunteer);
    api.add("DELETE", "/admin/volunteers/{id}", remove_volunteer);
    api.add("POST", "/admin/shifts", create_shift);
    api.add("GET", "/admin/shifts", list_shifts);
    api.add("DELETE", "/admin/shifts/{id}", cancel_shift);
}

}  // namespace opas::bot
