// The volunteer flow (see bot/flow.hpp): enrolment (name, languages, interests, availability,
// consent; "back" and "stop" at every step), the volunteer's shifts (list, accept, decline,
// cancel) and the shift reminders of the scheduler.
//
// Flow state: {"name": "volunteer", "step": <one of steps>, "who": name, "languages": [...],
// "interests": [...], "availability": text}. Choice ids: vol:back, vol:stop, vol:int:<key>,
// vol:int:done, vol:yes, vol:no, vol:enrol, vol:nothanks, and vol:<verb>:<shift id> for
// accept, decline, cancel, there ("I'll be there") and cant ("I can't come").
#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "bot/flow.hpp"
#include "bot/scheduler.hpp"
#include "bot/volunteer_data.hpp"
#include "intents/model.hpp"
#include "intents/normalize.hpp"

namespace opas::bot {
namespace {

using json = nlohmann::json;

constexpr const char* steps[] = {"name", "languages", "interests", "availability", "consent"};
constexpr double clear_intent = 0.85;  // an intent this sure is not an answer to a question
constexpr std::size_t max_availability_bytes = 300;
constexpr std::size_t max_listed_shifts = 9;  // WhatsApp lists take ten rows

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// The message as compared with button titles and command words: folded, without the
// punctuation people add ("Stop!", «رجوع»).
std::string said(std::string_view text) {
    std::string out;
    for (const auto& w : intents::words(intents::fold(text))) out += (out.empty() ? "" : " ") + w;
    return out;
}

// The words in quotes of a message ("back" and "stop" in volunteer.intro, in that order).
std::vector<std::string> quoted_words(std::string_view text) {
    static constexpr std::string_view opening[] = {"\"", "«", "„", "“", "「"};
    static constexpr std::string_view closing[] = {"\"", "»", "“", "”", "」"};
    std::vector<std::string> out;
    constexpr auto none = std::string_view::npos;
    for (std::size_t at = 0; at < text.size();) {
        std::size_t open_at = none, from = none, to = none, to_size = 0;
        for (const auto q : opening)
            if (const auto p = text.find(q, at); p < open_at) {
                open_at = p;
                from = p + q.size();
            }
        if (from == none) break;
        for (const auto q : closing)
            if (const auto p = text.find(q, from); p < to) {
                to = p;
                to_size = q.size();
            }
        if (to == none) break;
        out.emplace_back(text.substr(from, to - from));
        at = to + to_size;
    }
    return out;
}

// True when the message is the button `key` (in the conversation language or English), one of
// `words` ("a|b"), or the quoted word number `intro_word` of volunteer.intro.
bool says_button(const turn_context& ctx, std::string_view key, std::string_view words,
                 int intro_word = -1) {
    const std::string s = said(ctx.message);
    if (s.empty()) return false;
    if (s == said(ctx.text(key)) || s == said(ctx.cat.text("en", key))) return true;
    if (intro_word >= 0) {
        const auto hints = quoted_words(ctx.text("volunteer.intro"));
        if (static_cast<std::size_t>(intro_word) < hints.size() &&
            s == said(hints[static_cast<std::size_t>(intro_word)]))
            return true;
    }
    for (std::size_t at = 0; at < words.size();) {
        const auto end = std::min(words.find('|', at), words.size());
        if (s == words.substr(at, end - at)) return true;
        at = end + 1;
    }
    return false;
}

int step_index(const json& flow) {
    const std::string step = flow.value("step", "name");
    for (int i = 0; i < 5; ++i)
        if (step == steps[i]) return i;
    return 0;
}

std::vector<std::string> list_of(const json& flow, const char* key) {
    std::vector<std::string> out;
    if (flow.contains(key) && flow[key].is_array())
        for (const auto& v : flow[key])
            if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

// --- Questions -----------------------------------------------------------------------------

void ask(turn_context& ctx, int step, std::string prefix = {}) {
    auto body = [&](const char* key) { return prefix.empty() ? ctx.text(key) : prefix + "\n\n" + ctx.text(key); };
    const choice back{"vol:back", ctx.text("button.back")};
    const choice stop{"vol:stop", ctx.text("button.stop")};
    ctx.flow["step"] = steps[step];
    switch (step) {
        case 0: ctx.say(body("volunteer.ask_name"), {stop}); break;
        case 1: ctx.say(body("volunteer.ask_languages"), {back, stop}); break;
        case 2: {
            const auto chosen = list_of(ctx.flow, "interests");
            std::vector<choice> rows;
            std::string names;
            for (const auto& key : volunteer_interests()) {
                const std::string title = ctx.text("interest." + key);
                const bool on = std::find(chosen.begin(), chosen.end(), key) != chosen.end();
                rows.push_back({"vol:int:" + key, (on ? "✓ " : "") + title});
                if (on) names += (names.empty() ? "" : ", ") + title;
            }
            rows.push_back({"vol:int:done", ctx.text("button.done")});
            rows.push_back(back);
            std::string text = body("volunteer.ask_interests");
            if (!names.empty()) text += "\n" + ctx.text("volunteer.chosen", {{"list", names}});
            ctx.say(std::move(text), std::move(rows));
            break;
        }
        case 3: ctx.say(body("volunteer.ask_availability"), {back, stop}); break;
        default:
            ctx.say(body("volunteer.ask_consent"), {{"vol:yes", ctx.text("button.yes")},
                                                    {"vol:no", ctx.text("button.no")},
                                                    back});
    }
}

void reask(turn_context& ctx, int step, const char* hint) {
    ask(ctx, step, ctx.text("volunteer.invalid", {{"hint", ctx.text(hint)}}));
}

void stop_enrolment(turn_context& ctx, const char* outcome) {
    ctx.end_flow();
    ctx.say(ctx.text("volunteer.stopped"), ctx.menu_choices());
    ctx.record("volunteer.enrol", outcome);
}

void finish_enrolment(turn_context& ctx) {
    enrolment e{ctx.flow.value("who", ""), list_of(ctx.flow, "languages"),
                list_of(ctx.flow, "interests"), ctx.flow.value("availability", "")};
    ctx.end_flow();
    if (ctx.data.volunteers.profile()) {
        ctx.say(ctx.text("volunteer.already"), ctx.menu_choices());
        ctx.record("volunteer.enrol", "answered");
    } else if (!ctx.data.volunteers.enrol(e, ctx.now_ms)) {
        ctx.say(ctx.text("error.try_again"));
        ctx.record("volunteer.enrol", "failed");
    } else {
        ctx.say(ctx.text("volunteer.done", {{"name", e.name}}));
        ctx.record("volunteer.enrol", "enrolled");
    }
}

bool start_enrolment(turn_context& ctx) {
    if (const auto v = ctx.data.volunteers.profile()) {
        std::string body = ctx.text("volunteer.already");
        if (v->status == "pending") body += " " + ctx.text("volunteer.pending");
        ctx.say(std::move(body), ctx.menu_choices());
        ctx.record("volunteer.enrol", "answered");
        return true;
    }
    ctx.flow = json{{"name", "volunteer"}, {"step", "name"}};
    ctx.say(ctx.text("volunteer.intro"));
    ask(ctx, 0);
    ctx.record("volunteer.enrol", "started");
    return true;
}

// One message (or button) during the enrolment; false hands it back to the router.
bool continue_enrolment(turn_context& ctx, const inbound& in, std::string_view choice) {
    const int step = step_index(ctx.flow);
    const bool text = in.kind == inbound_kind::text && choice.empty();
    if (choice == "vol:stop" || (text && (says_button(ctx, "button.stop", "stop|/stop", 1) ||
                                          says_button(ctx, "button.cancel", "cancel") ||
                                          says_button(ctx, "button.menu", "menu|/menu|/start")))) {
        stop_enrolment(ctx, "stopped");
        return true;
    }
    if (choice == "vol:back" || (text && says_button(ctx, "button.back", "back|/back", 0))) {
        ask(ctx, std::max(step - 1, 0));
        return true;
    }
    const bool other_intent = text && ctx.intent != "none" && !ctx.intent.empty() &&
                              ctx.confidence >= clear_intent;
    if (text && ctx.intent == "volunteer.enrol" && other_intent) {
        ask(ctx, step);  // "I want to volunteer" again: we are at it
        return true;
    }
    auto leave_or_reask = [&](const char* hint) {
        if (text && ctx.wants_out("volunteer.")) {
            ctx.end_flow();
            return false;
        }
        if (in.kind == inbound_kind::media) {
            ask(ctx, step, ctx.text("text_only"));
            return true;
        }
        reask(ctx, step, hint);
        return true;
    };
    switch (step) {
        case 0: {
            if (text && ctx.wants_out("volunteer.")) return leave_or_reask("volunteer.hint_name");
            const auto name = text ? volunteer_name_of(in.text) : std::nullopt;
            if (!name) return leave_or_reask("volunteer.hint_name");
            ctx.flow["who"] = *name;
            ask(ctx, 1);
            return true;
        }
        case 1: {
            // Naming languages reads like "switch the language": not another wish here.
            const bool free_text = !other_intent || ctx.intent == "language.change";
            const auto langs = text ? languages_named(in.text, ctx.model, ctx.language(), free_text)
                                    : std::vector<std::string>{};
            if (langs.empty()) return leave_or_reask("volunteer.hint_languages");
            ctx.flow["languages"] = langs;
            if (!ctx.flow.contains("interests")) ctx.flow["interests"] = json::array();
            ask(ctx, 2);
            return true;
        }
        case 2: {
            auto chosen = list_of(ctx.flow, "interests");
            std::string key;
            if (starts_with(choice, "vol:int:")) key = choice.substr(8);
            if (text && says_button(ctx, "button.done", "done|ok")) key = "done";
            for (const auto& k : volunteer_interests())
                if (text && key.empty() && said(in.text) == said(ctx.text("interest." + k))) key = k;
            if (key == "done") {
                if (chosen.empty()) return leave_or_reask("volunteer.hint_interests");
                ask(ctx, 3);
                return true;
            }
            const auto& all = volunteer_interests();
            if (std::find(all.begin(), all.end(), key) == all.end())
                return leave_or_reask("volunteer.hint_interests");
            const auto at = std::find(chosen.begin(), chosen.end(), key);
            if (at == chosen.end()) chosen.push_back(key);
            else chosen.erase(at);
            ctx.flow["interests"] = chosen;
            ask(ctx, 2);
            return true;
        }
        case 3: {
            const std::string said_text = text ? tidy_answer(in.text) : std::string();
            if (said_text.empty() || said_text.size() > max_availability_bytes ||
                !names_a_time(said_text, ctx.model.words_for(ctx.language())))
                return leave_or_reask("volunteer.hint_availability");
            ctx.flow["availability"] = said_text;
            ask(ctx, 4);
            return true;
        }
        default: {
            const bool yes = choice == "vol:yes" || (text && says_button(ctx, "button.yes", "yes|ok|okay"));
            const bool no = choice == "vol:no" || (text && says_button(ctx, "button.no", "no"));
            if (yes) finish_enrolment(ctx);
            else if (no) stop_enrolment(ctx, "declined");
            else return leave_or_reask("volunteer.hint_consent");
            return true;
        }
    }
}

// --- Shifts --------------------------------------------------------------------------------

std::string shift_lines(const turn_context& ctx, const std::vector<storage::shift_row>& rows) {
    std::string out;
    for (std::size_t i = 0; i < rows.size() && i < max_listed_shifts; ++i)
        out += "\n" + std::to_string(i + 1) + ". " +
               ctx.text("shift.item", {{"title", rows[i].title},
                                      {"place", rows[i].place},
                                      {"datetime", ctx.cat.format_datetime(ctx.language(), rows[i].starts_at * 1000)}});
    return out;
}

void ask_to_enrol(turn_context& ctx) {
    ctx.say(ctx.text("shift.not_volunteer"),
            {{"vol:enrol", ctx.text("button.yes")}, {"vol:nothanks", ctx.text("button.no")}});
}

void list_shifts(turn_context& ctx) {
    ctx.record("volunteer.shifts", "answered");
    const auto v = ctx.data.volunteers.profile();
    if (!v) return ask_to_enrol(ctx);
    if (v->status != "approved") return ctx.say(ctx.text("volunteer.pending"), ctx.menu_choices());
    const auto mine = ctx.data.volunteers.my_shifts(ctx.now_ms);
    const auto open = ctx.data.volunteers.open_shifts(ctx.now_ms);
    if (mine.empty() && open.empty()) return ctx.say(ctx.text("shift.none"), ctx.menu_choices());
    auto buttons = [&](const std::vector<storage::shift_row>& rows, const char* verb) {
        std::vector<choice> out;
        for (std::size_t i = 0; i < rows.size() && i < max_listed_shifts; ++i)
            out.push_back({std::string("vol:") + verb + ":" + std::to_string(rows[i].id),
                           ctx.cat.format_datetime(ctx.language(), rows[i].starts_at * 1000)});
        return out;
    };
    if (!mine.empty())
        ctx.say(ctx.text("shift.list") + shift_lines(ctx, mine) + "\n\n" + ctx.text("shift.cancel_which"),
                buttons(mine, "cancel"));
    if (!open.empty()) ctx.say(ctx.text("shift.open") + shift_lines(ctx, open), buttons(open, "accept"));
}

void answer_shift_choice(turn_context& ctx, std::string_view verb, std::int64_t id) {
    auto& data = ctx.data.volunteers;
    const auto s = data.find_shift(id);
    const message_args args = {
        {"title", s ? s->title : std::string()},
        {"place", s ? s->place : std::string()},
        {"datetime", s ? ctx.cat.format_datetime(ctx.language(), s->starts_at * 1000) : std::string()}};
    shift_result r = shift_result::unavailable;
    std::string ok_key, outcome;
    if (verb == "accept") {
        r = data.accept(id, ctx.now_ms);
        ok_key = "shift.accepted", outcome = "accepted";
    } else if (verb == "decline") {
        r = data.decline(id, ctx.now_ms, ctx.cat, ctx.cfg.default_language);
        ok_key = "shift.declined", outcome = "declined";
    } else if (verb == "cancel" || verb == "cant") {
        r = data.cancel(id, ctx.now_ms, ctx.cat, ctx.cfg.default_language);
        ok_key = "shift.cancelled", outcome = "cancelled";
    } else if (verb == "there") {
        const auto mine = data.my_shifts(ctx.now_ms);
        const bool on = std::any_of(mine.begin(), mine.end(), [id](const auto& m) { return m.id == id; });
        r = on ? shift_result::ok : shift_result::unavailable;
        ok_key = "shift.reminder_ok", outcome = "confirmed";
    }
    switch (r) {
        case shift_result::ok: ctx.say(ctx.text(ok_key, args)); break;
        case shift_result::full: ctx.say(ctx.text("shift.full")); outcome = "full"; break;
        case shift_result::unavailable: ctx.say(ctx.text("shift.gone")); outcome = "answered"; break;
        case shift_result::not_volunteer: ask_to_enrol(ctx); outcome = "answered"; break;
        case shift_result::failed: ctx.say(ctx.text("error.try_again")); outcome = "failed"; break;
    }
    ctx.record("volunteer.shifts", outcome);
}

}  // namespace

bool volunteer_start(turn_context& ctx, std::string_view intent, const inbound&) {
    if (intent == "volunteer.enrol") return start_enrolment(ctx);
    if (intent == "volunteer.shifts") {
        list_shifts(ctx);
        return true;
    }
    return false;
}

bool volunteer_continue(turn_context& ctx, const inbound& in, std::string_view choice) {
    if (choice == "vol:enrol") return start_enrolment(ctx);
    if (choice == "vol:shifts") {
        list_shifts(ctx);
        return true;
    }
    if (choice == "vol:nothanks") {
        ctx.say(ctx.text("menu.prompt"), ctx.menu_choices());
        ctx.record("volunteer.shifts", "answered");
        return true;
    }
    for (const char* verb : {"accept", "decline", "cancel", "there", "cant"}) {
        const std::string prefix = std::string("vol:") + verb + ":";
        if (!starts_with(choice, prefix)) continue;
        const std::string digits(choice.substr(prefix.size()));
        if (digits.empty() || digits.size() > 18 ||
            digits.find_first_not_of("0123456789") != std::string::npos)
            return false;  // not ours: the router shows the menu
        answer_shift_choice(ctx, verb, std::stoll(digits));
        return true;
    }
    const bool enrolling = ctx.flow.is_object() && ctx.flow.value("name", "") == "volunteer";
    if (!enrolling) return false;  // a stale enrolment button
    if (!choice.empty() && !starts_with(choice, "vol:")) {
        ctx.end_flow();  // another button (menu, language): the person moves on
        return false;
    }
    return continue_enrolment(ctx, in, choice);
}

// --- Reminders -----------------------------------------------------------------------------

namespace {

constexpr std::int64_t whatsapp_window_s = 24 * 3600 - 600;  // margin for the delivery

bool send_shift_reminder(scheduler_context& ctx, const storage::accepted_place& place) {
    auto person = ctx.db.find_person_by_id(place.person_id);
    if (!person.ok()) return person.error().kind() == storage::status::code::not_found;
    std::string lang = person->language;
    if (lang.empty() || !ctx.messages.has_language(lang)) lang = ctx.cfg.default_language;
    const auto& s = place.shift;
    const std::string when = ctx.messages.format_datetime(lang, s.starts_at * 1000);
    const std::string id = std::to_string(s.id);
    const reply r{ctx.messages.text(lang, "shift.reminder",
                                    {{"title", s.title}, {"datetime", when}, {"place", s.place}}),
                  {{"vol:there:" + id, ctx.messages.text(lang, "button.there")},
                   {"vol:cant:" + id, ctx.messages.text(lang, "button.cant_come")}}};
    const bool outside_window = person->channel == "whatsapp" &&
                                ctx.now_ms / 1000 - person->last_inbound_at >= whatsapp_window_s;
    std::string kind = "message";
    std::string payload = to_json(r);
    const auto tmpl = outside_window
                          ? find_whatsapp_template(ctx.cfg.whatsapp, "shift_reminder", lang)
                          : std::nullopt;
    if (tmpl) {  // WhatsApp: only an approved template may open the conversation
        kind = "template";
        const std::string tmpl_when = ctx.messages.format_datetime(tmpl->lang, s.starts_at * 1000);
        payload = json{{"name", tmpl->name},
                       {"language", tmpl->code},
                       {"params", {s.title, tmpl_when, s.place}},
                       {"fallback", json::parse(payload)}}
                      .dump(-1, ' ', false, json::error_handler_t::replace);
    }
    if (!ctx.db.enqueue(place.person_id, kind, payload, ctx.now_ms).ok()) return false;
    ctx.added_outbox = true;
    return true;
}

}  // namespace

bool shift_reminders_due(scheduler_context& ctx) {
    const auto& leads = ctx.cfg.shift_reminder_leads_minutes;
    if (leads.empty()) return true;
    const double longest = *std::max_element(leads.begin(), leads.end());
    storage::volunteer_store store(ctx.db);
    auto places = store.accepted_places(ctx.now_ms / 1000);
    if (!places.ok()) return false;
    for (const auto& place : places.value()) {
        const std::int64_t start_ms = place.shift.starts_at * 1000;
        if (place.person_id == 0 || ctx.now_ms < start_ms - static_cast<std::int64_t>(longest * 60000))
            continue;
        const std::string target =
            "shift:" + std::to_string(place.shift.id) + ":" + std::to_string(place.volunteer_id);
        bool send = false;
        for (const double lead : leads) {
            const auto due_ms = start_ms - static_cast<std::int64_t>(lead * 60000);
            if (ctx.now_ms < due_ms) continue;
            auto claimed = store.claim_reminder(target, lead, ctx.now_ms / 1000);
            if (!claimed.ok()) return false;
            // A lead that passed before the volunteer accepted is recorded, not sent: they
            // just heard about the shift.
            if (claimed.value() && due_ms >= place.accepted_at * 1000) send = true;
        }
        if (send && !send_shift_reminder(ctx, place)) return false;
    }
    return true;
}

}  // namespace opas::bot
