#include "bot/engine.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "bot/conversation_state.hpp"
#include "bot/flow.hpp"
#include "intents/entities.hpp"
#include "intents/model.hpp"
#include "intents/normalize.hpp"

namespace opas::bot {
namespace {

using json = nlohmann::json;

constexpr double switch_confidence = 0.9;  // detection needed to leave a remembered language
constexpr double leave_flow_confidence = 0.85;

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool has_topic(std::string_view intent) {
    const auto& names = topic_intents();
    return std::find(names.begin(), names.end(), intent) != names.end();
}

// One message where the platform allows it: a reply without buttons joins the one after it
// ("answer" + "was this helpful? [yes] [no]" is one message). The person reads the whole turn
// at once instead of one part per send interval, and the channel's messages per second serve
// twice the people.
std::vector<reply> coalesce(std::vector<reply> replies) {
    std::vector<reply> out;
    for (auto& r : replies) {
        if (out.empty() || !out.back().choices.empty()) {
            out.push_back(std::move(r));
            continue;
        }
        auto& last = out.back();
        if (!last.text.empty() && !r.text.empty()) last.text += "\n\n";
        last.text += r.text;
        last.choices = std::move(r.choices);
    }
    return out;
}

// Routes one message: language, emergencies, the running flow, choices, intents.
class conversation {
public:
    conversation(const intents::model& m, const catalog& c, const config& cfg,
                 const person_view& p, domain data, std::int64_t now_ms)
        : st_(conversation_state::parse(p.state)),
          ctx_{m, c, cfg, p, data, now_ms, t_, st_.flow, {}, {}, 0} {
        t_.language = p.language;
    }

    turn run(const inbound& in) {
        const std::string choice = chosen(in);
        if (choice.empty() && in.kind == inbound_kind::text) settle_language(in, in.text);
        else settle_language(in, "");
        if (t_.language.empty() && choice.empty()) return language_menu();
        if (t_.language.empty()) t_.language = ctx_.cfg.default_language;  // until "lang:" sets it

        if (in.kind == inbound_kind::text && choice.empty()) {
            auto guess = classify(in, t_.language);
            // Text we do not understand is no reason to leave the remembered language.
            const std::string& remembered = ctx_.person.language;
            if (guess.intent == "none" && !remembered.empty() && t_.language != remembered) {
                t_.language = remembered;
                guess = classify(in, t_.language);
            }
            ctx_.message = in.text;
            ctx_.intent = guess.intent;
            ctx_.confidence = guess.confidence;
            if (ctx_.intent == "emergency") {  // always wins, in any state
                topic_answer("emergency");
                return finish();
            }
        }
        if (continue_flow(in, choice)) return finish();
        if (in.kind == inbound_kind::media) {
            ctx_.say(ctx_.text("text_only"));
            ctx_.record("media", "unanswered");
            return finish();
        }
        if (ctx_.person.is_new && choice.empty()) welcome();
        if (!choice.empty()) return on_choice(choice, in);
        return on_intent(ctx_.intent, in);
    }

private:
    turn finish() {
        t_.replies = coalesce(std::move(t_.replies));
        st_.choices.clear();
        if (!t_.replies.empty())
            for (const auto& c : t_.replies.back().choices) st_.choices.push_back(c.id);
        t_.state = st_.dump();
        return std::move(t_);
    }

    // A button press, or a typed number / ordinal naming one of the last offered choices.
    std::string chosen(const inbound& in) const {
        if (in.kind == inbound_kind::choice) return in.text;
        if (st_.choices.empty() || in.kind != inbound_kind::text) return {};
        const std::string& lang =
            ctx_.person.language.empty() ? ctx_.cfg.default_language : ctx_.person.language;
        const auto& known = ctx_.model.languages();
        if (std::find(known.begin(), known.end(), lang) == known.end()) return {};
        const auto n = intents::extract_choice(in.text, ctx_.model.words_for(lang),
                                               static_cast<int>(st_.choices.size()));
        return n ? st_.choices[static_cast<std::size_t>(*n - 1)] : std::string();
    }

    intents::intent_guess classify(const inbound& in, const std::string& lang) const {
        if (in.understood && in.understood->classified_as == lang) return in.understood->intent;
        return ctx_.model.classify(in.text, lang);
    }

    // Remembered language, unless the person clearly writes in another one.
    void settle_language(const inbound& in, std::string_view message) {
        const auto hint_lang = in.language_hint.substr(0, in.language_hint.find('-'));
        if (in.language_forced && ctx_.cat.has_language(hint_lang)) {
            t_.language = hint_lang;
            st_.explicit_language = true;
            return;
        }
        if (message.empty()) {
            if (t_.language.empty())
                t_.language = ctx_.cat.has_language(hint_lang) ? hint_lang : ctx_.cfg.default_language;
            return;
        }
        const auto g = in.understood ? in.understood->language
                                     : ctx_.model.detect_language(message, in.language_hint);
        if (t_.language.empty()) {
            // Unsure about a short first message: the platform's language setting decides;
            // without one the bot offers the language menu.
            if (g.sure) t_.language = g.code;
            else if (ctx_.cat.has_language(hint_lang)) t_.language = hint_lang;
            return;
        }
        if (!st_.explicit_language && g.sure && g.confidence >= switch_confidence &&
            g.code != t_.language)
            t_.language = g.code;
    }

    // The running flow (or the flow a choice belongs to) gets the message first.
    bool continue_flow(const inbound& in, const std::string& choice) {
        std::string name = st_.flow.is_object() && st_.flow.contains("name") && st_.flow["name"].is_string()
                               ? st_.flow["name"].get<std::string>()
                               : std::string();
        if (starts_with(choice, "bk:")) name = "booking";
        else if (starts_with(choice, "vol:")) name = "volunteer";
        else if (starts_with(choice, "ho:")) name = "handover";
        if (name == "booking") return booking_continue(ctx_, in, choice);
        if (name == "volunteer") return volunteer_continue(ctx_, in, choice);
        if (name == "handover") return handover_continue(ctx_, in, choice);
        return false;
    }

    turn language_menu() {
        std::vector<choice> langs;
        for (const auto& code : ctx_.cat.languages())
            langs.push_back({"lang:" + code, ctx_.cat.text(code, "language.name")});
        std::string prompt;
        for (const char* code : {"en", "fi", "ar"})
            if (ctx_.cat.has_language(code)) prompt += ctx_.cat.text(code, "language.menu") + "\n";
        ctx_.say(prompt.empty() ? "?" : prompt.substr(0, prompt.size() - 1), std::move(langs));
        ctx_.record("language.menu", "answered");
        t_.language.clear();  // nothing remembered until the person chooses
        return finish();
    }

    void welcome() {
        ctx_.say(ctx_.text("welcome", {{"centre", ctx_.cfg.centre.name}}) + "\n\n" +
                 ctx_.text("privacy.notice"));
    }

    void menu(std::string body) { ctx_.say(std::move(body), ctx_.menu_choices()); }

    void topic_answer(const std::string& intent) {
        const topic* tp = ctx_.cat.find_topic(t_.language, intent);
        if (!tp) {
            menu(ctx_.text("not_sure"));
            ctx_.record(intent, "unanswered");
            return;
        }
        std::string body = tp->text;
        if (intent == "center.info") {
            const auto& c = ctx_.cfg.centre;
            const std::pair<const char*, const std::string*> fields[] = {
                {"{address}", &c.address}, {"{hours}", &c.hours},
                {"{phone}", &c.phone},     {"{email}", &c.email}};
            for (const auto& [name, value] : fields)
                for (auto pos = body.find(name); pos != std::string::npos; pos = body.find(name))
                    body.replace(pos, std::string_view(name).size(), *value);
        }
        if (!tp->sources.empty()) {
            body += "\n";
            for (const auto& s : tp->sources) body += "\n" + s;
        }
        ctx_.say(std::move(body));
        ctx_.record(intent, "answered");
        if (intent == "emergency") return;
        ctx_.say(ctx_.text("feedback.ask"), {{"fb:yes:" + intent, ctx_.text("button.yes")},
                                             {"fb:no:" + intent, ctx_.text("button.no")},
                                             {"menu:book", ctx_.text("button.book")}});
    }

    // A flow that is not there for this intent: the centre's contacts instead.
    void contact_centre(const std::string& intent) {
        topic_answer("center.info");
        ctx_.record(intent, "referred");
    }

    bool start_flow(std::string_view intent, const inbound& in) {
        return booking_start(ctx_, intent, in) || volunteer_start(ctx_, intent, in) ||
               handover_start(ctx_, intent, in);
    }

    turn on_choice(const std::string& id, const inbound& in) {
        if (starts_with(id, "lang:") && ctx_.cat.has_language(id.substr(5))) {
            t_.language = id.substr(5);
            st_.explicit_language = true;
            if (ctx_.person.is_new) welcome();
            menu(ctx_.text("language.changed"));
            ctx_.record("language.change", "answered");
        } else if (id == "menu:topics") {
            std::vector<choice> rows;
            for (const auto& name : topic_intents())
                if (starts_with(name, "guidance."))
                    if (const topic* tp = ctx_.cat.find_topic(t_.language, name))
                        rows.push_back({"topic:" + name, tp->title});
            ctx_.say(ctx_.text("topics.prompt"), std::move(rows));
            ctx_.record("help", "answered");
        } else if (starts_with(id, "topic:") && has_topic(id.substr(6))) {
            topic_answer(id.substr(6));
        } else if (starts_with(id, "fb:yes:") || starts_with(id, "fb:no:")) {
            const bool yes = starts_with(id, "fb:yes:");
            ctx_.say(ctx_.text("feedback.thanks"), ctx_.menu_choices());
            ctx_.record(id.substr(yes ? 7 : 6), "feedback", yes ? 1 : 0);
        } else if (id == "menu:book" || id == "menu:person" || id == "menu:volunteer") {
            const std::string intent = id == "menu:book"     ? "appointment.book"
                                       : id == "menu:person" ? "handover"
                                                             : "volunteer.enrol";
            if (!start_flow(intent, in)) contact_centre(intent);
        } else if (id == "forget:yes") {
            ctx_.say(ctx_.text("privacy.forgotten"));
            ctx_.record("privacy.forget", "erased");
            t_.erase_person = true;
        } else if (id == "forget:no") {
            menu(ctx_.text("privacy.forget_cancelled"));
            ctx_.record("privacy.forget", "answered");
        } else {
            menu(ctx_.text("menu.prompt"));  // a stale or unknown button
            ctx_.record("help", "answered");
        }
        return finish();
    }

    turn on_intent(const std::string& intent, const inbound& in) {
        if (intent != "none") st_.unsure_in_a_row = 0;
        if (start_flow(intent, in)) return finish();
        if (has_topic(intent)) {
            topic_answer(intent);
        } else if (intent == "greeting") {
            // A returning person is greeted back; a new one just had the welcome.
            menu(ctx_.text(ctx_.person.is_new ? "menu.prompt" : "greeting.reply"));
            ctx_.record(intent, "answered");
        } else if (intent == "help") {
            menu(ctx_.text("help.reply"));
            ctx_.record(intent, "answered");
        } else if (intent == "thanks") {
            ctx_.say(ctx_.text("thanks.reply"));
            ctx_.record(intent, "answered");
        } else if (intent == "language.change") {
            const auto code = intents::extract_language(in.text, ctx_.model, t_.language);
            if (!code || !ctx_.cat.has_language(*code)) return language_menu();
            t_.language = *code;
            st_.explicit_language = true;
            menu(ctx_.text("language.changed"));
            ctx_.record(intent, "answered");
        } else if (intent == "privacy.info") {
            ctx_.say(ctx_.text("privacy.info", {{"days", std::int64_t{ctx_.cfg.retention_days}}}));
            ctx_.record(intent, "answered");
        } else if (intent == "privacy.forget") {
            ctx_.say(ctx_.text("privacy.forget_confirm"), {{"forget:yes", ctx_.text("button.yes")},
                                                           {"forget:no", ctx_.text("button.no")}});
            ctx_.record(intent, "answered");
        } else if (intent == "none" || intent.empty()) {
            ++st_.unsure_in_a_row;
            // Repeated "not sure": a person takes over (when the staff group is configured).
            if (st_.unsure_in_a_row >= ctx_.cfg.staff.unsure_before_handover &&
                handover_start(ctx_, "handover", in)) {
                st_.unsure_in_a_row = 0;
                return finish();
            }
            menu(ctx_.text("not_sure"));
            ctx_.record("none", "unanswered");
        } else {
            contact_centre(intent);
        }
        return finish();
    }

    turn t_;
    conversation_state st_;
    turn_context ctx_;
};

}  // namespace

bool turn_context::wants_out(std::string_view own_intent_prefix) const {
    if (!message.empty()) {
        const std::string said = intents::fold(message);
        for (const char* key : {"button.menu", "button.stop", "button.cancel"})
            if (said == intents::fold(text(key))) return true;
        for (const char* word : {"menu", "stop", "/start", "/menu", "/stop"})
            if (said == word) return true;
    }
    if (intent.empty() || intent == "none" || confidence < leave_flow_confidence) return false;
    return !starts_with(intent, own_intent_prefix);
}

std::vector<choice> turn_context::menu_choices() const {
    return {{"menu:topics", text("button.topics")},
            {"menu:book", text("button.book")},
            {"menu:person", text("button.person")},
            {"menu:volunteer", text("button.volunteer")}};
}

engine::engine(const intents::model& model, const catalog& messages, config cfg)
    : model_(model), messages_(messages), cfg_(std::move(cfg)) {}

std::shared_ptr<const understanding> engine::understand(const inbound& in) const {
    if (in.kind != inbound_kind::text || in.text.empty()) return nullptr;
    auto u = std::make_shared<understanding>();
    u->language = model_.detect_language(in.text, in.language_hint);
    const auto hint = in.language_hint.substr(0, in.language_hint.find('-'));
    // The language the turn will most likely use: what the text says, else the platform's.
    u->classified_as = u->language.sure || !messages_.has_language(hint) ? u->language.code : hint;
    u->intent = model_.classify(in.text, u->classified_as);
    return u;
}

turn engine::handle(const inbound& in, const person_view& person, domain data,
                    std::int64_t now_ms) const {
    return conversation(model_, messages_, cfg_, person, data, now_ms).run(in);
}

}  // namespace opas::bot
