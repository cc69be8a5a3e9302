// The booking flow (see bot/flow.hpp): book an appointment with a counsellor (topic,
// interpreter, day, time, confirm), list the person's appointments, cancel or move one.
// Steps live in ctx.flow: {"name": "booking", "step": ..., "topic", "interp", "day", "slot",
// "move", "want_day", "want_min"}. Choice ids start with "bk:" and carry what they need, so
// the buttons of a reminder or of a list work without a running flow.
#include "bot/booking_flow.hpp"

#include "bot/booking_data.hpp"
#include "intents/locale_data.hpp"
#include "intents/model.hpp"
#include "intents/normalize.hpp"

namespace opas::bot {

namespace {

using json = nlohmann::json;

constexpr double topic_min_probability = 0.15;  // a guidance topic named inside a booking request
constexpr double switch_confidence = 0.85;      // list / cancel asked in the middle of booking

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool is_guidance(std::string_view intent) { return starts_with(intent, "guidance."); }

// A guidance topic the message names ("book a time about my residence permit").
std::string topic_in_message(const turn_context& ctx) {
    if (ctx.message.empty()) return {};
    if (is_guidance(ctx.intent)) return ctx.intent;
    const auto probabilities = ctx.model.intent_probabilities(ctx.message, ctx.language());
    const auto names = intents::intent_taxonomy();
    std::string best;
    double best_p = topic_min_probability;
    for (std::size_t i = 0; i < names.size() && i < probabilities.size(); ++i)
        if (is_guidance(names[i]) && probabilities[i] >= best_p) {
            best_p = probabilities[i];
            best = std::string(names[i]);
        }
    return best;
}

// The guidance topic the person has just read (its feedback buttons were the last offered).
std::string topic_just_read(const turn_context& ctx) {
    const auto st = json::parse(ctx.person.state, nullptr, false);
    if (!st.is_object() || !st.contains("choices") || !st["choices"].is_array()) return {};
    for (const auto& c : st["choices"])
        if (c.is_string() && starts_with(c.get<std::string>(), "fb:yes:guidance."))
            return c.get<std::string>().substr(7);
    return {};
}

}  // namespace

booking_flow::booking_flow(turn_context& ctx)
    : ctx_(ctx), sched_(ctx.cfg.schedule, ctx.cfg.timezone), now_s_(ctx.now_ms / 1000) {}

// --- entry points ------------------------------------------------------------------------

bool booking_flow::start(std::string_view intent) {
    if (intent == "appointment.list") return list();
    if (intent == "appointment.cancel") return choose_to_change();
    if (intent != "appointment.book") return false;
    auto upcoming = ctx_.data.bookings.upcoming(now_s_);
    if (!upcoming.ok()) return fail();
    if (static_cast<int>(upcoming->size()) >= ctx_.cfg.schedule.max_active_bookings) {
        ctx_.end_flow();
        ctx_.say(ctx_.text("booking.limit", {{"count", std::int64_t(upcoming->size())}}),
                 {{"bk:list", ctx_.text("button.my_bookings")}});
        ctx_.record("appointment.book", "limit");
        return true;
    }
    ctx_.flow = json{{"name", "booking"}, {"step", "topic"}};
    remember_wanted();
    std::string topic = topic_in_message(ctx_);
    if (topic.empty()) topic = topic_just_read(ctx_);
    ctx_.record("appointment.book", "answered");
    if (topic.empty() || !ctx_.cat.find_topic(ctx_.language(), topic)) {
        ask_topic();
    } else {
        ctx_.flow["topic"] = topic;
        ask_interpreter();
    }
    return true;
}

bool booking_flow::resume(const inbound& in, std::string_view choice) {
    const bool running = ctx_.flow.is_object() && ctx_.flow.value("name", "") == "booking";
    if (!choice.empty()) {
        if (!starts_with(choice, "bk:")) {
            if (running) ctx_.end_flow();  // another button: the person moves on
            return false;
        }
        return on_choice(choice.substr(3), running);
    }
    if (!running) return false;
    if (in.kind != inbound_kind::text) return false;  // media: the router answers, the flow stays
    return on_text();
}

// --- choices -----------------------------------------------------------------------------

bool booking_flow::on_choice(std::string_view id, bool running) {
    const auto arg_of = [&](std::string_view prefix) -> std::optional<std::string> {
        if (!starts_with(id, prefix)) return std::nullopt;
        return std::string(id.substr(prefix.size()));
    };
    const auto number_of = [&](std::string_view prefix) -> std::optional<std::int64_t> {
        auto arg = arg_of(prefix);
        if (!arg || arg->empty() || arg->size() > 18 ||
            arg->find_first_not_of("0123456789") != std::string::npos)
            return std::nullopt;
        return std::stoll(*arg);
    };
    // Buttons that work without a running flow (lists, reminders).
    if (id == "list") return list();
    if (id == "change") return choose_to_change();
    if (auto n = number_of("act:")) return offer_actions(*n);
    if (auto n = number_of("cancel:")) return ask_cancel(*n);
    if (auto n = number_of("cxyes:")) return cancel(*n);
    if (auto n = number_of("keep:")) return keep(*n);
    if (auto n = number_of("move:")) return start_move(*n);
    if (auto n = number_of("ok:")) return reminder_ok(*n);
    if (id == "stop") return stop();
    if (!running) {  // a button of a finished booking: start again (keeping a chosen topic)
        if (starts_with(id, "topic:")) {
            ctx_.flow = json{{"name", "booking"}, {"step", "topic"}};
            ctx_.record("appointment.book", "answered");
        } else if (starts_with(id, "int:") || starts_with(id, "day") || starts_with(id, "time") ||
                   starts_with(id, "slot:") || id == "book" || id == "back") {
            return start("appointment.book");
        } else {
            return false;
        }
    }
    if (auto topic = arg_of("topic:")) {
        if (!is_guidance(*topic) || !ctx_.cat.find_topic(ctx_.language(), *topic)) {
            ask_topic();
            return true;
        }
        ctx_.flow["topic"] = *topic;
        ask_interpreter();
        return true;
    }
    if (auto lang = arg_of("int:")) return set_interpreter(*lang);
    if (auto page = number_of("days:")) {
        show_days(static_cast<std::size_t>(*page));
        return true;
    }
    if (auto day = arg_of("day:")) {
        const auto d = parse_iso_date(*day);
        if (!d) show_days(0);
        else show_times(*d, 0);
        return true;
    }
    if (auto page = number_of("times:")) {
        const auto d = parse_iso_date(ctx_.flow.value("day", ""));
        if (!d) show_days(0);
        else show_times(*d, static_cast<std::size_t>(*page));
        return true;
    }
    if (auto start = number_of("slot:")) {
        const auto s = sched_.slot_at(*start);
        if (!s) show_days(0);
        else go_to(s->day, s->minute);  // shows the confirmation when the slot is still free
        return true;
    }
    if (id == "book") return book();
    if (id == "back") {
        show_days(0);
        return true;
    }
    ctx_.end_flow();
    return false;
}

// --- typed answers -----------------------------------------------------------------------

bool booking_flow::said(std::string_view key) const {
    return !ctx_.message.empty() && intents::fold(ctx_.message) == intents::fold(ctx_.text(key));
}

bool booking_flow::on_text() {
    const std::string step = ctx_.flow.value("step", "");
    if (said("button.stop") || intents::fold(ctx_.message) == "stop" ||
        (step != "action" && said("button.cancel")))
        return stop();
    if (said("button.menu") || intents::fold(ctx_.message) == "menu") {
        ctx_.end_flow();
        ctx_.say(ctx_.text("menu.prompt"), ctx_.menu_choices());
        ctx_.record("help", "answered");
        return true;
    }
    if (typed_answer(step)) return true;
    if (ctx_.confidence >= switch_confidence &&
        (ctx_.intent == "appointment.list" || ctx_.intent == "appointment.cancel")) {
        ctx_.end_flow();
        return start(ctx_.intent);
    }
    if (ctx_.wants_out("appointment.")) {
        ctx_.end_flow();
        return false;
    }
    reask(step);
    return true;
}

bool booking_flow::typed_answer(const std::string& step) {
    if (step == "topic") {
        const std::string topic = topic_in_message(ctx_);
        if (topic.empty() || !ctx_.cat.find_topic(ctx_.language(), topic)) return false;
        ctx_.flow["topic"] = topic;
        ask_interpreter();
        return true;
    }
    if (step == "interpreter" || step == "interpreter_language") {
        if (step == "interpreter" && (said("button.no") || said("button.skip")))
            return set_interpreter("no");
        if (step == "interpreter" && said("button.yes")) return set_interpreter(ctx_.language());
        const auto code = intents::extract_language(ctx_.message, ctx_.model, ctx_.language());
        if (!code || !ctx_.cat.has_language(*code)) return false;
        return set_interpreter(*code);
    }
    if (step == "day" || step == "time" || step == "confirm") {
        if (step == "confirm" && (said("button.confirm") || said("button.yes"))) return book();
        if (step == "confirm" && said("button.no")) return stop();
        const auto want = wanted();
        if (want.day) return go_to(*want.day, want.minute);
        if (want.minute && step != "day") {
            const auto d = parse_iso_date(ctx_.flow.value("day", ""));
            if (d) return go_to(*d, want.minute);
        }
        return false;
    }
    if (step == "action") {
        const std::int64_t id = ctx_.flow.value("id", std::int64_t{0});
        if (said("button.cancel")) return ask_cancel(id);
        if (said("button.move")) return start_move(id);
        if (said("button.keep") || said("button.no")) return keep(id);
        return false;
    }
    if (step == "cancel_confirm") {
        const std::int64_t id = ctx_.flow.value("id", std::int64_t{0});
        if (said("button.yes") || said("button.confirm")) return cancel(id);
        if (said("button.no")) return keep(id);
        return false;
    }
    return false;
}

void booking_flow::reask(const std::string& step) {
    if (step == "topic") return ask_topic();
    if (step == "interpreter") return ask_interpreter();
    if (step == "interpreter_language") {
        ctx_.say(ctx_.text("booking.interpreter_language"));
        return;
    }
    if (step == "time") {
        if (const auto d = parse_iso_date(ctx_.flow.value("day", ""))) {
            show_times(*d, 0, ctx_.text("booking.hint_time"));
            return;
        }
    }
    if (step == "confirm") {
        if (const auto s = sched_.slot_at(ctx_.flow.value("slot", std::int64_t{0}))) {
            show_confirm(*s);
            return;
        }
    }
    if (step == "which") {
        choose_to_change();
        return;
    }
    if (step == "action" || step == "cancel_confirm") {
        offer_actions(ctx_.flow.value("id", std::int64_t{0}));
        return;
    }
    show_days(0, ctx_.text("booking.hint_day"));
}

// The date and time of day written in the message ("tomorrow at 10", "ma 15.12. klo 10").
booking_flow::wish booking_flow::wanted() const {
    wish w;
    if (ctx_.message.empty()) return w;
    const auto& words = ctx_.model.words_for(ctx_.language());
    w.day = intents::extract_date(ctx_.message, words, sched_.local_date(now_s_));
    w.minute = intents::extract_time(ctx_.message, words);
    // "15.12." names a date, not the time 15:12.
    if (w.day && w.minute && *w.minute == w.day->day * 60 + w.day->month) {
        const std::string numeric = std::to_string(w.day->day) + "." + std::to_string(w.day->month);
        if (ctx_.message.find(numeric) != std::string::npos) w.minute.reset();
    }
    return w;
}

void booking_flow::remember_wanted() {
    const auto w = wanted();
    if (w.day) ctx_.flow["want_day"] = iso_date(*w.day);
    if (w.minute) ctx_.flow["want_min"] = *w.minute;
}

}  // namespace opas::bot

namespace opas::bot {

bool booking_start(turn_context& ctx, std::string_view intent, const inbound&) {
    if (intent != "appointment.book" && intent != "appointment.list" &&
        intent != "appointment.cancel")
        return false;
    booking_flow flow(ctx);
    return flow.start(intent);
}

bool booking_continue(turn_context& ctx, const inbound& in, std::string_view choice) {
    booking_flow flow(ctx);
    return flow.resume(in, choice);
}

}  // namespace opas::bot
