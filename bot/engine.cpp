#include "bot/engine.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "intents/entities.hpp"
#include "intents/model.hpp"

namespace opas::bot {
namespace {

using json = nlohmann::json;

constexpr double switch_confidence = 0.9;  // detection needed to leave a remembered language

// The conversation state kept between turns.
struct state {
    std::vector<std::string> choices;  // ids of the choices last offered, for typed numbers
    bool explicit_language = false;    // the person chose the language themselves
    int unsure_in_a_row = 0;

    static state parse(const std::string& text) {
        state s;
        const auto j = json::parse(text, nullptr, false);
        if (j.is_discarded() || !j.is_object()) return s;
        if (j.contains("choices") && j["choices"].is_array())
            for (const auto& c : j["choices"])
                if (c.is_string()) s.choices.push_back(c.get<std::string>());
        if (j.contains("explicit_language") && j["explicit_language"].is_boolean())
            s.explicit_language = j["explicit_language"].get<bool>();
        if (j.contains("unsure") && j["unsure"].is_number_integer())
            s.unsure_in_a_row = j["unsure"].get<int>();
        return s;
    }
    std::string dump() const {
        json j;
        j["choices"] = choices;
        j["explicit_language"] = explicit_language;
        j["unsure"] = unsure_in_a_row;
        return j.dump();
    }
};

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool has_topic(std::string_view intent) {
    const auto& names = topic_intents();
    return std::find(names.begin(), names.end(), intent) != names.end();
}

// Builds one turn; holds what every step needs.
class conversation {
public:
    conversation(const intents::model& m, const catalog& c, const config& cfg,
                 const person_view& p)
        : model_(m), cat_(c), cfg_(cfg), person_(p), st_(state::parse(p.state)) {
        t_.language = p.language;
    }

    turn run(const inbound& in) {
        if (in.kind == inbound_kind::media) {
            settle_language(in, "");
            say(text("text_only"));
            record("media", "unanswered");
            return finish();
        }
        const std::string choice = chosen(in);
        if (choice.empty()) settle_language(in, in.text);
        if (t_.language.empty() && choice.empty()) return language_menu();
        if (t_.language.empty()) t_.language = cfg_.default_language;  // until "lang:" sets it
        if (person_.is_new && choice.empty()) welcome();
        if (!choice.empty()) return on_choice(choice);
        const auto guess = model_.classify(in.text, t_.language);
        return on_intent(guess.intent, in.text);
    }

private:
    std::string text(std::string_view key, const message_args& args = {}) const {
        return cat_.text(t_.language, key, args);
    }
    void say(std::string body, std::vector<choice> choices = {}) {
        t_.replies.push_back({std::move(body), std::move(choices)});
    }
    void record(std::string intent, std::string outcome, int helpful = -1) {
        t_.intent = std::move(intent);
        t_.outcome = std::move(outcome);
        t_.helpful = helpful;
    }
    turn finish() {
        st_.choices.clear();
        if (!t_.replies.empty())
            for (const auto& c : t_.replies.back().choices) st_.choices.push_back(c.id);
        t_.state = st_.dump();
        return std::move(t_);
    }

    // A button press, or a typed number / ordinal naming one of the last offered choices.
    std::string chosen(const inbound& in) const {
        if (in.kind == inbound_kind::choice) return in.text;
        if (st_.choices.empty()) return {};
        const std::string lang = person_.language.empty() ? cfg_.default_language : person_.language;
        const auto& known = model_.languages();
        if (std::find(known.begin(), known.end(), lang) == known.end()) return {};
        const auto n = intents::extract_choice(in.text, model_.words_for(lang),
                                               static_cast<int>(st_.choices.size()));
        return n ? st_.choices[static_cast<std::size_t>(*n - 1)] : std::string();
    }

    // Remembered language, unless the person clearly writes in another one.
    void settle_language(const inbound& in, std::string_view message) {
        const auto hint_lang = in.language_hint.substr(0, in.language_hint.find('-'));
        if (in.language_forced && cat_.has_language(hint_lang)) {
            t_.language = hint_lang;
            st_.explicit_language = true;
            return;
        }
        if (message.empty()) {
            if (t_.language.empty())
                t_.language = cat_.has_language(hint_lang) ? hint_lang : cfg_.default_language;
            return;
        }
        const auto g = model_.detect_language(message, in.language_hint);
        if (t_.language.empty()) {
            if (g.sure) t_.language = g.code;
            return;
        }
        if (!st_.explicit_language && g.sure && g.confidence >= switch_confidence &&
            g.code != t_.language)
            t_.language = g.code;
    }

    turn language_menu() {
        t_.language = cfg_.default_language;
        std::vector<choice> langs;
        for (const auto& code : cat_.languages())
            langs.push_back({"lang:" + code, cat_.text(code, "language.name")});
        std::string prompt;
        for (const char* code : {"en", "fi", "ar"})
            if (cat_.has_language(code)) prompt += cat_.text(code, "language.menu") + "\n";
        say(prompt.empty() ? "?" : prompt.substr(0, prompt.size() - 1), std::move(langs));
        t_.language.clear();  // nothing remembered until the person chooses
        record("language.menu", "answered");
        return finish();
    }

    void welcome() {
        say(text("welcome", {{"centre", cfg_.centre.name}}) + "\n\n" + text("privacy.notice"));
    }

    std::vector<choice> menu_choices() const {
        return {{"menu:topics", text("button.topics")},
                {"menu:book", text("button.book")},
                {"menu:person", text("button.person")},
                {"menu:volunteer", text("button.volunteer")}};
    }
    void menu(std::string body) { say(std::move(body), menu_choices()); }

    void topic_answer(const std::string& intent) {
        const topic* tp = cat_.find_topic(t_.language, intent);
        if (!tp) {
            menu(text("not_sure"));
            record(intent, "unanswered");
            return;
        }
        std::string body = tp->text;
        if (intent == "center.info") {
            const std::pair<const char*, const std::string*> fields[] = {
                {"{address}", &cfg_.centre.address}, {"{hours}", &cfg_.centre.hours},
                {"{phone}", &cfg_.centre.phone},     {"{email}", &cfg_.centre.email}};
            for (const auto& [name, value] : fields)
                for (auto pos = body.find(name); pos != std::string::npos; pos = body.find(name))
                    body.replace(pos, std::string_view(name).size(), *value);
        }
        if (!tp->sources.empty()) {
            body += "\n";
            for (const auto& s : tp->sources) body += "\n" + s;
        }
        say(std::move(body));
        if (intent == "emergency") {
            record(intent, "answered");
            return;
        }
        say(text("feedback.ask"), {{"fb:yes:" + intent, text("button.yes")},
                                   {"fb:no:" + intent, text("button.no")},
                                   {"menu:book", text("button.book")}});
        record(intent, "answered");
    }

    // Flows that need a person for now (booking, volunteering, handover): the centre's contacts.
    void contact_centre(const std::string& intent) {
        topic_answer("center.info");
        record(intent, "referred");
    }

    turn on_choice(const std::string& id) {
        if (starts_with(id, "lang:")) {
            const auto code = id.substr(5);
            if (cat_.has_language(code)) {
                t_.language = code;
                st_.explicit_language = true;
                if (person_.is_new) welcome();
                menu(text("language.changed"));
                record("language.change", "answered");
                return finish();
            }
        } else if (id == "menu:topics") {
            std::vector<choice> rows;
            for (const auto& name : topic_intents())
                if (starts_with(name, "guidance."))
                    if (const topic* tp = cat_.find_topic(t_.language, name))
                        rows.push_back({"topic:" + name, tp->title});
            say(text("topics.prompt"), std::move(rows));
            record("help", "answered");
            return finish();
        } else if (starts_with(id, "topic:") && has_topic(id.substr(6))) {
            topic_answer(id.substr(6));
            return finish();
        } else if (starts_with(id, "fb:yes:") || starts_with(id, "fb:no:")) {
            const bool yes = starts_with(id, "fb:yes:");
            say(text("feedback.thanks"), menu_choices());
            record(id.substr(yes ? 7 : 6), "feedback", yes ? 1 : 0);
            return finish();
        } else if (id == "menu:book") {
            contact_centre("appointment.book");
            return finish();
        } else if (id == "menu:person") {
            contact_centre("handover");
            return finish();
        } else if (id == "menu:volunteer") {
            contact_centre("volunteer.enrol");
            return finish();
        } else if (id == "forget:yes") {
            say(text("privacy.forgotten"));
            record("privacy.forget", "erased");
            t_.erase_person = true;
            return finish();
        } else if (id == "forget:no") {
            menu(text("privacy.forget_cancelled"));
            record("privacy.forget", "answered");
            return finish();
        }
        menu(text("menu.prompt"));  // a stale or unknown button
        record("help", "answered");
        return finish();
    }

    turn on_intent(const std::string& intent, const std::string& message) {
        if (intent != "none") st_.unsure_in_a_row = 0;
        if (has_topic(intent)) {
            topic_answer(intent);
        } else if (intent == "greeting") {
            if (!person_.is_new) say(text("greeting.reply"));
            menu(text("menu.prompt"));
            record(intent, "answered");
        } else if (intent == "help") {
            menu(text("help.reply"));
            record(intent, "answered");
        } else if (intent == "thanks") {
            say(text("thanks.reply"));
            record(intent, "answered");
        } else if (intent == "language.change") {
            const auto code = intents::extract_language(message, model_, t_.language);
            if (code && cat_.has_language(*code)) {
                t_.language = *code;
                st_.explicit_language = true;
                menu(text("language.changed"));
                record(intent, "answered");
            } else {
                return language_menu();
            }
        } else if (intent == "privacy.info") {
            say(text("privacy.info", {{"days", std::int64_t{cfg_.retention_days}}}));
            record(intent, "answered");
        } else if (intent == "privacy.forget") {
            say(text("privacy.forget_confirm"),
                {{"forget:yes", text("button.yes")}, {"forget:no", text("button.no")}});
            record(intent, "answered");
        } else if (intent == "appointment.book" || intent == "appointment.cancel" ||
                   intent == "appointment.list" || intent == "volunteer.enrol" ||
                   intent == "volunteer.shifts" || intent == "handover") {
            contact_centre(intent);
        } else {
            ++st_.unsure_in_a_row;
            menu(text("not_sure"));
            record("none", "unanswered");
        }
        return finish();
    }

    const intents::model& model_;
    const catalog& cat_;
    const config& cfg_;
    const person_view& person_;
    state st_;
    turn t_;
};

}  // namespace

engine::engine(const intents::model& model, const catalog& messages, config cfg)
    : model_(model), messages_(messages), cfg_(std::move(cfg)) {}

turn engine::handle(const inbound& in, const person_view& person) const {
    return conversation(model_, messages_, cfg_, person).run(in);
}

}  // namespace opas::bot
