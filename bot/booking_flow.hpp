#pragma once
// The booking flow's working object for one turn (private to the booking files):
//   bot/flow_booking.cpp     entry points, choices, typed answers
//   bot/booking_steps.cpp    topic, interpreter, day, time, confirm, book
//   bot/booking_changes.cpp  list, cancel, move, reminder answers
//   bot/booking_reminders.cpp  reminders before appointments (scheduler hook)

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/booking_schedule.hpp"
#include "bot/flow.hpp"

namespace opas::bot {

class booking_flow {
public:
    explicit booking_flow(turn_context& ctx);

    bool start(std::string_view intent);                     // booking_start
    bool resume(const inbound& in, std::string_view choice);  // booking_continue

private:
    struct wish {
        std::optional<civil_date> day;
        std::optional<int> minute;
    };

    // flow_booking.cpp
    bool on_choice(std::string_view id, bool running);
    bool on_text();
    bool typed_answer(const std::string& step);
    void reask(const std::string& step);
    bool said(std::string_view key) const;
    wish wanted() const;
    void remember_wanted();

    // booking_steps.cpp
    void ask_topic();
    void ask_interpreter();
    bool set_interpreter(const std::string& answer);  // "no", "other" or a language code
    void after_interpreter();
    std::optional<std::vector<slot>> free_slots(const civil_date& d);
    std::optional<std::vector<civil_date>> free_days();
    void show_days(std::size_t first, std::string lead = {});
    void show_times(const civil_date& d, std::size_t first, std::string lead = {});
    bool go_to(const civil_date& d, std::optional<int> minute);
    void show_confirm(const slot& s);
    bool book();
    bool stop();
    bool fail();

    // booking_changes.cpp
    bool list();
    bool choose_to_change();
    bool offer_actions(std::int64_t id);
    bool ask_cancel(std::int64_t id);
    bool cancel(std::int64_t id);
    bool keep(std::int64_t id);
    bool start_move(std::int64_t id);
    bool reminder_ok(std::int64_t id);
    bool gone();  // a button of an appointment that is no longer booked

    // Formatting in the person's language.
    std::string when(std::int64_t unix_s) const;
    std::string day_title(const civil_date& d) const;
    std::string topic_title(const std::string& intent) const;
    std::string language_name(const std::string& code) const;

    turn_context& ctx_;
    booking_schedule sched_;
    std::int64_t now_s_;
};

}  // namespace opas::bot
