#include "bot/volunteer_data.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "intents/model.hpp"
#include "intents/normalize.hpp"
#include "storage/database.hpp"

namespace opas::bot {
namespace {

constexpr std::size_t max_name_bytes = 80;
constexpr std::size_t max_words_in_name = 5;
constexpr std::size_t max_languages = 15;

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool has_letter(const std::vector<std::string>& tokens) {
    return std::any_of(tokens.begin(), tokens.end(), [](const std::string& t) {
        return std::any_of(t.begin(), t.end(),
                           [](char c) { return !std::isdigit(static_cast<unsigned char>(c)); });
    });
}

bool is_upcoming_and_free(const storage::shift_row& s, std::int64_t now_s) {
    return s.status == "open" && s.starts_at > now_s && s.accepted < s.capacity;
}

// Answers that end the offer: no new offer goes to a volunteer who gave one of these.
bool has_answered(const std::string& assignment) {
    return assignment == "accepted" || assignment == "declined" || assignment == "cancelled";
}

// True when a phrase of `phrases` occurs in the words (a long last word may be inflected).
bool mentions(const std::vector<std::string>& tokens, const std::string& compact,
              const std::vector<intents::entity_words::phrase>& phrases) {
    for (const auto& p : phrases) {
        if (p.empty()) continue;
        if (p.size() == 1 && p[0].size() >= 6 && !std::isalpha(static_cast<unsigned char>(p[0][0])) &&
            compact.find(p[0]) != std::string::npos)
            return true;  // scripts without spaces
        for (std::size_t i = 0; i + p.size() <= tokens.size(); ++i) {
            bool match = true;
            for (std::size_t k = 0; k < p.size() && match; ++k) {
                const auto& t = tokens[i + k];
                const bool last = k + 1 == p.size();
                match = t == p[k] || (last && p[k].size() >= 5 && starts_with(t, p[k]));
            }
            if (match) return true;
        }
    }
    return false;
}

class sqlite_volunteer_data final : public volunteer_data {
public:
    sqlite_volunteer_data(storage::database& db, person_ref person)
        : db_(db), store_(db), person_(std::move(person)) {}

    std::optional<storage::volunteer_row> profile() override {
        auto v = store_.by_person(person_.id);
        if (!v.ok()) {
            if (v.error().kind() != storage::status::code::not_found)
                spdlog::warn("volunteer profile: {}", v.error().message());
            return std::nullopt;
        }
        if (v->status == "removed") return std::nullopt;
        return *v;
    }

    bool enrol(const enrolment& e, std::int64_t now_ms) override {
        storage::volunteer_row v;
        v.person_id = person_.id;
        v.pseudonym = person_.pseudonym;
        v.name = e.name;
        v.languages_json = json_text_of(e.languages);
        v.interests_json = json_text_of(e.interests);
        v.availability = e.availability;
        auto id = store_.enrol(v, now_ms / 1000);
        if (!id.ok()) spdlog::warn("volunteer enrol: {}", id.error().message());
        return id.ok();
    }

    std::vector<storage::shift_row> my_shifts(std::int64_t now_ms) override {
        const auto v = profile();
        if (!v) return {};
        auto rows = store_.accepted_shifts(v->id, now_ms / 1000);
        if (!rows.ok()) {
            spdlog::warn("volunteer shifts: {}", rows.error().message());
            return {};
        }
        return rows.value();
    }

    std::vector<storage::shift_row> open_shifts(std::int64_t now_ms) override {
        const auto v = profile();
        if (!v || v->status != "approved") return {};
        auto rows = store_.shifts_from(now_ms / 1000 + 1);
        if (!rows.ok()) {
            spdlog::warn("open shifts: {}", rows.error().message());
            return {};
        }
        const auto spoken = string_list_of(v->languages_json);
        std::vector<storage::shift_row> out;
        for (const auto& s : rows.value()) {
            if (!is_upcoming_and_free(s, now_ms / 1000)) continue;
            if (!languages_match(spoken, string_list_of(s.languages_json))) continue;
            auto a = store_.assignment(s.id, v->id);
            if (!a.ok() || has_answered(a.value())) continue;
            out.push_back(s);
        }
        return out;
    }

    std::optional<storage::shift_row> find_shift(std::int64_t id) override {
        auto s = store_.shift(id);
        if (!s.ok()) return std::nullopt;
        return s.value();
    }

    shift_result accept(std::int64_t shift_id, std::int64_t now_ms) override {
        const auto v = profile();
        if (!v || v->status != "approved") return shift_result::not_volunteer;
        auto s = store_.shift(shift_id);
        if (!s.ok()) return missing_or_failed(s.error());
        if (s->status != "open" || s->starts_at <= now_ms / 1000) return shift_result::unavailable;
        auto a = store_.assignment(shift_id, v->id);
        if (!a.ok()) return shift_result::failed;
        if (a.value() == "accepted") return shift_result::ok;
        // The capacity check and the write run in the same job on the single writer.
        if (s->accepted >= s->capacity) return shift_result::full;
        if (!store_.set_assignment(shift_id, v->id, "accepted", now_ms / 1000).ok())
            return shift_result::failed;
        return shift_result::ok;
    }

    shift_result decline(std::int64_t shift_id, std::int64_t now_ms, const catalog& messages,
                         const std::string& default_language) override {
        const auto v = profile();
        if (!v) return shift_result::not_volunteer;
        auto a = store_.assignment(shift_id, v->id);
        if (!a.ok()) return shift_result::failed;
        if (a.value() == "accepted") return cancel(shift_id, now_ms, messages, default_language);
        auto s = store_.shift(shift_id);
        if (!s.ok()) return missing_or_failed(s.error());
        if (!store_.set_assignment(shift_id, v->id, "declined", now_ms / 1000).ok())
            return shift_result::failed;
        return shift_result::ok;
    }

    shift_result cancel(std::int64_t shift_id, std::int64_t now_ms, const catalog& messages,
                        const std::string& default_language) override {
        const auto v = profile();
        if (!v) return shift_result::not_volunteer;
        auto a = store_.assignment(shift_id, v->id);
        if (!a.ok()) return shift_result::failed;
        if (a.value() != "accepted") return shift_result::unavailable;
        auto s = store_.shift(shift_id);
        if (!s.ok()) return missing_or_failed(s.error());
        if (s->status != "open" || s->starts_at <= now_ms / 1000) return shift_result::unavailable;
        if (!store_.set_assignment(shift_id, v->id, "cancelled", now_ms / 1000).ok())
            return shift_result::failed;
        shift_messenger out(db_, messages, default_language, now_ms);
        return out.offer_free_place(shift_id, v->id) ? shift_result::ok : shift_result::failed;
    }

private:
    static shift_result missing_or_failed(const storage::status& s) {
        return s.kind() == storage::status::code::not_found ? shift_result::unavailable
                                                            : shift_result::failed;
    }

    storage::database& db_;
    storage::volunteer_store store_;
    person_ref person_;
};

}  // namespace

const std::vector<std::string>& volunteer_interests() {
    static const std::vector<std::string> keys = {"conversation", "events", "accompany",
                                                  "interpreting", "children"};
    return keys;
}

std::unique_ptr<volunteer_data> make_volunteer_data(storage::database& db, const person_ref& person) {
    return std::make_unique<sqlite_volunteer_data>(db, person);
}

std::string tidy_answer(std::string_view text) {
    std::string out;
    bool space = false;
    for (const char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

std::optional<std::string> volunteer_name_of(std::string_view text) {
    const auto tokens = intents::words(intents::fold(text));
    const std::string trimmed = tidy_answer(text);
    if (tokens.empty() || tokens.size() > max_words_in_name || trimmed.size() > max_name_bytes)
        return std::nullopt;
    if (trimmed.find_first_of("?@/:") != std::string::npos) return std::nullopt;
    if (!has_letter(tokens)) return std::nullopt;
    return trimmed;
}

std::vector<std::string> languages_named(std::string_view text, const intents::model& m,
                                         std::string_view lang, bool allow_free_text) {
    std::vector<std::string> out;
    auto add = [&out](std::string v) {
        if (out.size() < max_languages && std::find(out.begin(), out.end(), v) == out.end())
            out.push_back(std::move(v));
    };
    static constexpr std::string_view separators[] = {"،", "、", "，", "؛", ";", "/", "+", "&", "\n"};
    const std::string input = intents::normalize(text);
    std::string normalized;  // every separator turned into a comma
    for (std::size_t i = 0; i < input.size();) {
        const auto* sep = std::find_if(std::begin(separators), std::end(separators),
                                       [&](std::string_view s) { return input.compare(i, s.size(), s) == 0; });
        normalized += sep == std::end(separators) ? input[i] : ',';
        i += sep == std::end(separators) ? 1 : sep->size();
    }
    std::size_t start = 0;
    while (start <= normalized.size()) {
        const auto end = std::min(normalized.find(',', start), normalized.size());
        const std::string part = normalized.substr(start, end - start);
        start = end + 1;
        const auto tokens = intents::words(part);
        bool named = false;
        for (const auto& token : tokens)
            if (auto code = intents::extract_language(token, m, lang)) {
                add(*code);
                named = true;
            }
        if (!named && allow_free_text && has_letter(tokens) && tokens.size() <= 4 && part.size() <= 60) {
            const auto first = part.find_first_not_of(' ');
            add(part.substr(first, part.find_last_not_of(' ') - first + 1));
        }
    }
    return out;
}

bool names_a_time(std::string_view text, const intents::entity_words& w) {
    if (intents::extract_time(text, w)) return true;
    const auto tokens = intents::words(intents::fold(text));
    std::string compact;
    for (const auto& t : tokens) compact += t;
    for (const auto& day : w.weekdays)
        if (mentions(tokens, compact, day)) return true;
    return mentions(tokens, compact, w.morning) || mentions(tokens, compact, w.afternoon) ||
           mentions(tokens, compact, w.evening);
}

std::vector<std::string> string_list_of(std::string_view json_text) {
    std::vector<std::string> out;
    const auto j = nlohmann::json::parse(json_text, nullptr, false);
    if (j.is_discarded() || !j.is_array()) return out;
    for (const auto& item : j)
        if (item.is_string()) out.push_back(item.get<std::string>());
    return out;
}

std::string json_text_of(const std::vector<std::string>& list) {
    return nlohmann::json(list).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool languages_match(const std::vector<std::string>& spoken, const std::vector<std::string>& wanted) {
    if (wanted.empty()) return true;
    return std::any_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
        return std::find(spoken.begin(), spoken.end(), w) != spoken.end();
    });
}

std::string shift_messenger::language_of(std::int64_t person_id) {
    auto p = db_.find_person_by_id(person_id);
    if (p.ok() && !p->language.empty() && messages_.has_language(p->language)) return p->language;
    return default_language_;
}

message_args shift_messenger::shift_args(const storage::shift_row& s, const std::string& lang) const {
    return {{"title", s.title},
            {"place", s.place},
            {"datetime", messages_.format_datetime(lang, s.starts_at * 1000)}};
}

bool shift_messenger::send(std::int64_t person_id, const reply& r) {
    auto id = db_.enqueue(person_id, "message", to_json(r), now_ms_);
    if (!id.ok()) spdlog::warn("shift message: {}", id.error().message());
    return id.ok();
}

bool shift_messenger::offer(const storage::shift_row& s, const storage::volunteer_row& v,
                            bool freed_place) {
    if (v.person_id == 0) return true;  // the person was erased meanwhile
    const std::string lang = language_of(v.person_id);
    const std::string id = std::to_string(s.id);
    reply r{messages_.text(lang, freed_place ? "shift.place_free" : "shift.offer", shift_args(s, lang)),
            {{"vol:accept:" + id, messages_.text(lang, "button.accept")},
             {"vol:decline:" + id, messages_.text(lang, "button.decline")}}};
    return store_.set_assignment(s.id, v.id, "offered", now_ms_ / 1000).ok() && send(v.person_id, r);
}

bool shift_messenger::offer_to_matching(const storage::shift_row& s, int& offered) {
    if (!is_upcoming_and_free(s, now_ms_ / 1000)) return true;
    auto volunteers = store_.list("approved");
    if (!volunteers.ok()) return false;
    const auto wanted = string_list_of(s.languages_json);
    for (const auto& v : volunteers.value()) {
        if (!languages_match(string_list_of(v.languages_json), wanted)) continue;
        auto a = store_.assignment(s.id, v.id);
        if (!a.ok()) return false;
        if (has_answered(a.value())) continue;
        if (!offer(s, v, false)) return false;
        ++offered;
    }
    return true;
}

bool shift_messenger::offer_open_shifts_to(const storage::volunteer_row& v, int& offered) {
    auto shifts = store_.shifts_from(now_ms_ / 1000 + 1);
    if (!shifts.ok()) return false;
    const auto spoken = string_list_of(v.languages_json);
    for (const auto& s : shifts.value()) {
        if (!is_upcoming_and_free(s, now_ms_ / 1000)) continue;
        if (!languages_match(spoken, string_list_of(s.languages_json))) continue;
        auto a = store_.assignment(s.id, v.id);
        if (!a.ok()) return false;
        if (has_answered(a.value())) continue;
        if (!offer(s, v, false)) return false;
        ++offered;
    }
    return true;
}

bool shift_messenger::offer_free_place(std::int64_t shift_id, std::int64_t except_volunteer) {
    auto s = store_.shift(shift_id);
    if (!s.ok()) return false;
    if (!is_upcoming_and_free(s.value(), now_ms_ / 1000)) return true;
    auto volunteers = store_.list("approved");
    if (!volunteers.ok()) return false;
    const auto wanted = string_list_of(s->languages_json);
    for (const auto& v : volunteers.value()) {  // ordered by id: the longest-standing first
        if (v.id == except_volunteer || v.person_id == 0) continue;
        if (!languages_match(string_list_of(v.languages_json), wanted)) continue;
        auto a = store_.assignment(s->id, v.id);
        if (!a.ok()) return false;
        if (has_answered(a.value())) continue;
        return offer(s.value(), v, true);
    }
    return true;  // nobody left to ask: staff see the free place in the roster
}

bool shift_messenger::tell(const storage::volunteer_row& v, const storage::shift_row& s,
                           std::string_view key) {
    if (v.person_id == 0) return true;
    const std::string lang = language_of(v.person_id);
    return send(v.person_id, {messages_.text(lang, key, shift_args(s, lang)), {}});
}

}  // namespace opas::bot
