#pragma once
// The volunteer part of the domain (see bot/domain.hpp): what the volunteer flow reads and
// changes, and the messages that go to other volunteers when a shift changes (offers, a freed
// place, a cancelled shift). Everything runs inside the caller's transaction on the
// dispatcher's single writer, so "check the capacity, then take the place" cannot race.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/catalog.hpp"
#include "bot/domain.hpp"
#include "bot/types.hpp"
#include "intents/entities.hpp"
#include "storage/volunteers.hpp"

namespace opas::intents {
class model;
}

namespace opas::bot {

// The keys of the interests a volunteer can choose (message keys "interest.<key>").
const std::vector<std::string>& volunteer_interests();

struct enrolment {
    std::string name;
    std::vector<std::string> languages;  // codes, or free text for other languages
    std::vector<std::string> interests;  // keys of volunteer_interests()
    std::string availability;
};

enum class shift_result { ok, full, unavailable, not_volunteer, failed };

class volunteer_data {
public:
    virtual ~volunteer_data() = default;
    // The person's volunteer record; nullopt when there is none (or it was removed).
    virtual std::optional<storage::volunteer_row> profile() = 0;
    // Saves the enrolment (pending staff approval); false on a storage failure.
    virtual bool enrol(const enrolment& e, std::int64_t now_ms) = 0;
    // Upcoming shifts the person accepted.
    virtual std::vector<storage::shift_row> my_shifts(std::int64_t now_ms) = 0;
    // Upcoming open shifts with free places that match the person and that they have not
    // answered yet.
    virtual std::vector<storage::shift_row> open_shifts(std::int64_t now_ms) = 0;
    virtual std::optional<storage::shift_row> find_shift(std::int64_t id) = 0;
    virtual shift_result accept(std::int64_t shift_id, std::int64_t now_ms) = 0;
    // Declining an accepted place cancels it (as below).
    virtual shift_result decline(std::int64_t shift_id, std::int64_t now_ms,
                                 const catalog& messages, const std::string& default_language) = 0;
    // Gives the accepted place back; the place is offered to the next matching volunteer.
    // unavailable when the person had no place on that shift.
    virtual shift_result cancel(std::int64_t shift_id, std::int64_t now_ms,
                                const catalog& messages, const std::string& default_language) = 0;
};

// SQLite-backed, for the dispatcher; works inside the caller's transaction.
std::unique_ptr<volunteer_data> make_volunteer_data(storage::database& db, const person_ref& person);

// Reading the enrolment answers (pure functions of the text).
// The answer as written, with runs of white space made one space and the ends trimmed.
std::string tidy_answer(std::string_view text);
// A name: 1-5 words with a letter, no question or address ("Amina Hassan").
std::optional<std::string> volunteer_name_of(std::string_view text);
// The languages a text names: supported ones as codes (extract_language per word, the
// conversation language `lang` first), a comma-separated item that names none of them as the
// words written ("tigrinya") when `allow_free_text`. Empty when nothing was recognized.
std::vector<std::string> languages_named(std::string_view text, const intents::model& m,
                                         std::string_view lang, bool allow_free_text);
// True when an availability answer names a weekday, a part of the day or a time of day.
bool names_a_time(std::string_view text, const intents::entity_words& w);

// JSON array text <-> list of strings (the volunteers and shifts tables keep lists as JSON).
std::vector<std::string> string_list_of(std::string_view json_text);
std::string json_text_of(const std::vector<std::string>& list);

// A volunteer matches a shift when the shift wants no particular language or when they share
// one. (Availability is free text and is not matched.)
bool languages_match(const std::vector<std::string>& spoken, const std::vector<std::string>& wanted);

// Messages about shifts to volunteers other than the one in the conversation, each in the
// language the person chose (else `default_language`). Every function returns false when a
// storage call failed (the caller rolls back).
class shift_messenger {
public:
    shift_messenger(storage::database& db, const catalog& messages, std::string default_language,
                    std::int64_t now_ms)
        : db_(db), store_(db), messages_(messages), default_language_(std::move(default_language)),
          now_ms_(now_ms) {}

    // Offers the shift (accept / decline buttons) and records the offer.
    bool offer(const storage::shift_row& s, const storage::volunteer_row& v, bool freed_place);
    // Offers an upcoming open shift with free places to every approved, matching volunteer
    // who has not answered it yet. `offered` counts the offers.
    bool offer_to_matching(const storage::shift_row& s, int& offered);
    // Offers every upcoming open shift with free places that matches one volunteer.
    bool offer_open_shifts_to(const storage::volunteer_row& v, int& offered);
    // A place became free: offers it to the next matching approved volunteer without an
    // answer (lowest id first), never to `except_volunteer`.
    bool offer_free_place(std::int64_t shift_id, std::int64_t except_volunteer);
    // Sends `key` (args title, datetime, place of the shift) to the volunteer's person.
    bool tell(const storage::volunteer_row& v, const storage::shift_row& s, std::string_view key);
    // The language a person reads (their chosen one, else the default).
    std::string language_of(std::int64_t person_id);

private:
    bool send(std::int64_t person_id, const reply& r);
    message_args shift_args(const storage::shift_row& s, const std::string& lang) const;

    storage::database& db_;
    storage::volunteer_store store_;
    const catalog& messages_;
    std::string default_language_;
    std::int64_t now_ms_;
};

}  // namespace opas::bot
