// Booking a time: topic, interpreter, day, time, confirm (see bot/booking_flow.hpp).
#include <algorithm>

#include "bot/booking_data.hpp"
#include "bot/booking_flow.hpp"

namespace opas::bot {
namespace {

using json = nlohmann::json;

constexpr std::size_t page_size = 8;  // days or times per message (WhatsApp lists hold 10 rows)

std::string joined(std::string lead, const std::string& body) {
    return lead.empty() ? body : lead + "\n\n" + body;
}

}  // namespace

std::string booking_flow::when(std::int64_t unix_s) const {
    return ctx_.cat.format_datetime(ctx_.language(), unix_s * 1000);
}

std::string booking_flow::day_title(const civil_date& d) const {
    return ctx_.cat.format_date(ctx_.language(), sched_.to_unix(d, 12 * 60) * 1000);
}

std::string booking_flow::topic_title(const std::string& intent) const {
    const bot::topic* t = ctx_.cat.find_topic(ctx_.language(), intent);
    return t ? t->title : intent;
}

std::string booking_flow::language_name(const std::string& code) const {
    return ctx_.cat.text(code, "language.name");
}

void booking_flow::ask_topic() {
    std::vector<choice> rows;
    for (const auto& name : topic_intents())
        if (name.rfind("guidance.", 0) == 0)
            if (const bot::topic* t = ctx_.cat.find_topic(ctx_.language(), name))
                rows.push_back({"bk:topic:" + name, t->title});
    ctx_.flow["step"] = "topic";
    ctx_.say(ctx_.text("booking.topic"), std::move(rows));
}

void booking_flow::ask_interpreter() {
    std::vector<choice> choices = {{"bk:int:no", ctx_.text("button.no")}};
    if (ctx_.language() != ctx_.cfg.default_language)
        choices.push_back({"bk:int:" + ctx_.language(), language_name(ctx_.language())});
    choices.push_back({"bk:int:other", ctx_.text("button.other_language")});
    ctx_.flow["step"] = "interpreter";
    ctx_.say(ctx_.text("booking.interpreter"), std::move(choices));
}

bool booking_flow::set_interpreter(const std::string& answer) {
    if (answer == "other") {
        ctx_.flow["step"] = "interpreter_language";
        ctx_.say(ctx_.text("booking.interpreter_language"));
        return true;
    }
    if (answer == "no") {
        ctx_.flow["interp"] = "";
    } else if (ctx_.cat.has_language(answer)) {
        ctx_.flow["interp"] = answer;
    } else {
        ask_interpreter();
        return true;
    }
    after_interpreter();
    return true;
}

void booking_flow::after_interpreter() {
    if (ctx_.flow.value("topic", "").empty()) return ask_topic();
    const auto day = parse_iso_date(ctx_.flow.value("want_day", ""));
    std::optional<int> minute;
    if (ctx_.flow.contains("want_min") && ctx_.flow["want_min"].is_number_integer())
        minute = ctx_.flow["want_min"].get<int>();
    ctx_.flow.erase("want_day");
    ctx_.flow.erase("want_min");
    if (day) go_to(*day, minute);
    else show_days(0);
}

// Free slots of a day: in the weekly hours, not closed, far enough ahead, with a seat left.
std::optional<std::vector<slot>> booking_flow::free_slots(const civil_date& d) {
    std::vector<slot> out;
    if (sched_.config_closed(d)) return out;
    auto closed = ctx_.data.bookings.closed(iso_date(d));
    if (!closed.ok()) return std::nullopt;
    if (closed.value()) return out;
    for (const auto& s : sched_.slots_on(d))
        if (sched_.bookable(s, now_s_)) out.push_back(s);
    if (out.empty()) return out;
    auto taken = ctx_.data.bookings.taken(out.front().start, out.back().start + 1);
    if (!taken.ok()) return std::nullopt;
    const int seats = ctx_.cfg.schedule.counsellors;
    std::erase_if(out, [&](const slot& s) {
        const auto it = taken->find(s.start);
        return it != taken->end() && it->second >= seats;
    });
    return out;
}

std::optional<std::vector<civil_date>> booking_flow::free_days() {
    std::vector<civil_date> out;
    for (const auto& d : sched_.open_days(now_s_)) {
        auto slots = free_slots(d);
        if (!slots) return std::nullopt;
        if (!slots->empty()) out.push_back(d);
    }
    return out;
}

void booking_flow::show_days(std::size_t first, std::string lead) {
    auto days = free_days();
    if (!days) {
        fail();
        return;
    }
    if (days->empty()) {
        ctx_.end_flow();
        ctx_.say(joined(std::move(lead), ctx_.text("booking.no_slots")),
                 {{"menu:person", ctx_.text("button.person")}});
        ctx_.record("appointment.book", "no_slots");
        return;
    }
    if (first >= days->size()) first = 0;
    std::vector<choice> choices;
    for (std::size_t i = first; i < days->size() && i < first + page_size; ++i)
        choices.push_back({"bk:day:" + iso_date((*days)[i]), day_title((*days)[i])});
    if (first > 0)
        choices.push_back({"bk:days:" + std::to_string(first > page_size ? first - page_size : 0),
                           ctx_.text("button.earlier")});
    if (first + page_size < days->size())
        choices.push_back({"bk:days:" + std::to_string(first + page_size), ctx_.text("button.later")});
    ctx_.flow["step"] = "day";
    ctx_.flow.erase("day");
    ctx_.say(joined(std::move(lead), ctx_.text("booking.day")), std::move(choices));
}

void booking_flow::show_times(const civil_date& d, std::size_t first, std::string lead) {
    auto slots = free_slots(d);
    if (!slots) {
        fail();
        return;
    }
    if (slots->empty()) {
        show_days(0, ctx_.text("booking.day_full", {{"date", day_title(d)}}));
        return;
    }
    if (first >= slots->size()) first = 0;
    std::vector<choice> choices;
    for (std::size_t i = first; i < slots->size() && i < first + page_size; ++i)
        choices.push_back({"bk:slot:" + std::to_string((*slots)[i].start),
                           sched_.clock(ctx_.language(), (*slots)[i].start)});
    if (first > 0)
        choices.push_back({"bk:times:" + std::to_string(first > page_size ? first - page_size : 0),
                           ctx_.text("button.earlier")});
    if (first + page_size < slots->size())
        choices.push_back({"bk:times:" + std::to_string(first + page_size), ctx_.text("button.later")});
    ctx_.flow["step"] = "time";
    ctx_.flow["day"] = iso_date(d);
    ctx_.say(joined(std::move(lead), ctx_.text("booking.time", {{"date", day_title(d)}})),
             std::move(choices));
}

// A day (and maybe a time) the person wrote: straight to the confirmation when that slot is free.
bool booking_flow::go_to(const civil_date& d, std::optional<int> minute) {
    if (!minute) {
        show_times(d, 0);
        return true;
    }
    auto slots = free_slots(d);
    if (!slots) return fail();
    for (const auto& s : *slots)
        if (s.minute == *minute) {
            show_confirm(s);
            return true;
        }
    show_times(d, 0, ctx_.text("booking.slot_unavailable"));
    return true;
}

void booking_flow::show_confirm(const slot& s) {
    ctx_.flow["step"] = "confirm";
    ctx_.flow["slot"] = s.start;
    ctx_.flow["day"] = iso_date(s.day);
    std::string body;
    if (const std::int64_t from = ctx_.flow.value("move_from", std::int64_t{0}); from != 0)
        body = ctx_.text("booking.move_confirm", {{"from", when(from)}, {"to", when(s.start)}});
    else
        body = ctx_.text("booking.confirm", {{"datetime", when(s.start)},
                                             {"topic", topic_title(ctx_.flow.value("topic", ""))}});
    if (const std::string interp = ctx_.flow.value("interp", ""); !interp.empty())
        body += "\n" + ctx_.text("booking.confirm_interpreter", {{"language", language_name(interp)}});
    ctx_.say(std::move(body), {{"bk:book", ctx_.text("button.confirm")},
                               {"bk:back", ctx_.text("button.back")},
                               {"bk:stop", ctx_.text("button.cancel")}});
}

bool booking_flow::book() {
    if (ctx_.flow.value("topic", "").empty()) {
        ask_topic();
        return true;
    }
    const auto s = sched_.slot_at(ctx_.flow.value("slot", std::int64_t{0}));
    if (!s || !sched_.bookable(*s, now_s_)) {
        show_days(0, ctx_.text("booking.slot_unavailable"));
        return true;
    }
    appointment a;
    a.slot_start = s->start;
    a.slot_minutes = ctx_.cfg.schedule.slot_minutes;
    a.topic = ctx_.flow.value("topic", "");
    a.language = ctx_.language();
    a.interpreter = ctx_.flow.value("interp", "");
    const std::int64_t replacing = ctx_.flow.value("move", std::int64_t{0});
    const auto& sc = ctx_.cfg.schedule;
    auto r = ctx_.data.bookings.book(a, iso_date(s->day), sc.counsellors, sc.max_active_bookings,
                                     now_s_, replacing);
    if (!r.ok()) return fail();
    switch (r->outcome) {
        case storage::book_outcome::slot_full:
            show_times(s->day, 0, ctx_.text("booking.taken"));
            ctx_.record("appointment.book", "taken");
            return true;
        case storage::book_outcome::day_closed:
            show_days(0, ctx_.text("booking.day_full", {{"date", day_title(s->day)}}));
            return true;
        case storage::book_outcome::limit_reached:
            ctx_.end_flow();
            ctx_.say(ctx_.text("booking.limit", {{"count", std::int64_t{r->active}}}),
                     {{"bk:list", ctx_.text("button.my_bookings")}});
            ctx_.record("appointment.book", "limit");
            return true;
        case storage::book_outcome::booked:
            break;
    }
    ctx_.end_flow();
    if (replacing != 0) {
        const auto moved = ctx_.data.bookings.mark_moved(replacing, r->id, now_s_);
        if (!moved.ok() && moved.kind() != storage::status::code::not_found) return fail();
        ctx_.say(ctx_.text("booking.moved", {{"datetime", when(s->start)}}));
        ctx_.record("appointment.cancel", "moved");
        return true;
    }
    ctx_.say(ctx_.text("booking.done",
                       {{"datetime", when(s->start)}, {"address", ctx_.cfg.centre.address}}));
    ctx_.record("appointment.book", "booked");
    return true;
}

bool booking_flow::stop() {
    const std::string step =
        ctx_.flow.is_object() ? ctx_.flow.value("step", "") : std::string();
    if (step == "action" || step == "cancel_confirm")
        return keep(ctx_.flow.value("id", std::int64_t{0}));
    const bool moving = ctx_.flow.is_object() && ctx_.flow.value("move", std::int64_t{0}) != 0;
    if (moving) return keep(ctx_.flow.value("move", std::int64_t{0}));
    ctx_.end_flow();
    ctx_.say(ctx_.text("booking.stopped"), ctx_.menu_choices());
    ctx_.record("appointment.book", "stopped");
    return true;
}

bool booking_flow::fail() {
    ctx_.end_flow();
    ctx_.say(ctx_.text("error.try_again"));
    ctx_.record("appointment.book", "error");
    return true;
}

}  // namespace opas::bot
