// The person's appointments: list, cancel, move, reminder answers (see bot/booking_flow.hpp).
#include "bot/booking_data.hpp"
#include "bot/booking_flow.hpp"

namespace opas::bot {

using json = nlohmann::json;

bool booking_flow::list() {
    auto upcoming = ctx_.data.bookings.upcoming(now_s_);
    if (!upcoming.ok()) return fail();
    ctx_.end_flow();
    ctx_.record("appointment.list", "answered");
    if (upcoming->empty()) {
        ctx_.say(ctx_.text("booking.none"), {{"menu:book", ctx_.text("button.book")}});
        return true;
    }
    std::string body =
        ctx_.text("booking.list", {{"count", static_cast<std::int64_t>(upcoming->size())}});
    std::vector<choice> choices;
    for (const auto& a : *upcoming) {
        body += "\n• " + when(a.slot_start) + " – " + topic_title(a.topic);
        if (!a.interpreter.empty())
            body += " (" + ctx_.text("booking.confirm_interpreter",
                                     {{"language", language_name(a.interpreter)}}) + ")";
        choices.push_back({"bk:act:" + std::to_string(a.id), when(a.slot_start)});
    }
    if (upcoming->size() == 1) {
        const std::string id = std::to_string(upcoming->front().id);
        choices = {{"bk:cancel:" + id, ctx_.text("button.cancel")},
                   {"bk:move:" + id, ctx_.text("button.move")}};
    }
    ctx_.say(std::move(body), std::move(choices));
    return true;
}

// "I want to cancel / move my appointment": which one (when there are several), then what.
bool booking_flow::choose_to_change() {
    auto upcoming = ctx_.data.bookings.upcoming(now_s_);
    if (!upcoming.ok()) return fail();
    if (upcoming->empty()) {
        ctx_.end_flow();
        ctx_.say(ctx_.text("booking.none"), {{"menu:book", ctx_.text("button.book")}});
        ctx_.record("appointment.cancel", "answered");
        return true;
    }
    if (upcoming->size() == 1) return offer_actions(upcoming->front().id);
    std::vector<choice> choices;
    for (const auto& a : *upcoming)
        choices.push_back({"bk:act:" + std::to_string(a.id), when(a.slot_start)});
    ctx_.flow = json{{"name", "booking"}, {"step", "which"}};
    ctx_.say(ctx_.text("booking.cancel_which"), std::move(choices));
    ctx_.record("appointment.cancel", "answered");
    return true;
}

// The appointment behind a button, when it is still the person's upcoming booked one.
namespace {

std::optional<appointment> still_booked(booking_data& data, std::int64_t id, std::int64_t now_s,
                                        bool& failed) {
    failed = false;
    auto a = data.find(id);
    if (!a.ok()) {
        failed = a.error().kind() != storage::status::code::not_found;
        return std::nullopt;
    }
    if (a->status != "booked" || a->slot_start <= now_s) return std::nullopt;
    return a.value();
}

}  // namespace

bool booking_flow::offer_actions(std::int64_t id) {
    bool failed = false;
    const auto a = still_booked(ctx_.data.bookings, id, now_s_, failed);
    if (failed) return fail();
    if (!a) return gone();
    const std::string n = std::to_string(id);
    ctx_.flow = json{{"name", "booking"}, {"step", "action"}, {"id", id}};
    ctx_.say(ctx_.text("booking.action", {{"datetime", when(a->slot_start)}}),
             {{"bk:cancel:" + n, ctx_.text("button.cancel")},
              {"bk:move:" + n, ctx_.text("button.move")},
              {"bk:keep:" + n, ctx_.text("button.keep")}});
    ctx_.record("appointment.cancel", "answered");
    return true;
}

bool booking_flow::ask_cancel(std::int64_t id) {
    bool failed = false;
    const auto a = still_booked(ctx_.data.bookings, id, now_s_, failed);
    if (failed) return fail();
    if (!a) return gone();
    const std::string n = std::to_string(id);
    ctx_.flow = json{{"name", "booking"}, {"step", "cancel_confirm"}, {"id", id}};
    ctx_.say(ctx_.text("booking.cancel_confirm", {{"datetime", when(a->slot_start)}}),
             {{"bk:cxyes:" + n, ctx_.text("button.yes")}, {"bk:keep:" + n, ctx_.text("button.no")}});
    ctx_.record("appointment.cancel", "answered");
    return true;
}

bool booking_flow::cancel(std::int64_t id) {
    bool failed = false;
    const auto a = still_booked(ctx_.data.bookings, id, now_s_, failed);
    if (failed) return fail();
    if (!a) return gone();
    const auto st = ctx_.data.bookings.cancel(id, now_s_);
    if (!st.ok()) return st.kind() == storage::status::code::not_found ? gone() : fail();
    ctx_.end_flow();
    ctx_.say(ctx_.text("booking.cancelled", {{"datetime", when(a->slot_start)}}),
             {{"menu:book", ctx_.text("button.book")}});
    ctx_.record("appointment.cancel", "cancelled");
    return true;
}

bool booking_flow::keep(std::int64_t id) {
    bool failed = false;
    const auto a = still_booked(ctx_.data.bookings, id, now_s_, failed);
    if (failed) return fail();
    if (!a) return gone();
    ctx_.end_flow();
    ctx_.say(ctx_.text("booking.kept", {{"datetime", when(a->slot_start)}}));
    ctx_.record("appointment.cancel", "answered");
    return true;
}

bool booking_flow::start_move(std::int64_t id) {
    bool failed = false;
    const auto a = still_booked(ctx_.data.bookings, id, now_s_, failed);
    if (failed) return fail();
    if (!a) return gone();
    ctx_.flow = json{{"name", "booking"}, {"step", "day"},   {"move", id},
                     {"move_from", a->slot_start}, {"topic", a->topic}, {"interp", a->interpreter}};
    ctx_.record("appointment.cancel", "answered");
    show_days(0);
    return true;
}

bool booking_flow::reminder_ok(std::int64_t id) {
    bool failed = false;
    const auto a = still_booked(ctx_.data.bookings, id, now_s_, failed);
    if (failed) return fail();
    if (!a) return gone();
    ctx_.say(ctx_.text("booking.reminder_ok"));
    ctx_.record("appointment.book", "confirmed");
    return true;
}

bool booking_flow::gone() {
    ctx_.end_flow();
    ctx_.say(ctx_.text("booking.gone"), {{"bk:list", ctx_.text("button.my_bookings")}});
    ctx_.record("appointment.cancel", "answered");
    return true;
}

}  // namespace opas::bot
