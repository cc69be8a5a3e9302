#pragma once
// The report's raw inputs (counts read from storage/report.hpp) and the tables made of them,
// before the small-count rule. Internal to bot/report.cpp; separate so each file stays short.

#include <string>
#include <vector>

#include "bot/catalog.hpp"
#include "bot/report.hpp"
#include "bot/report_calendar.hpp"
#include "storage/report.hpp"

namespace opas::bot {

struct report_inputs {
    // Set by the caller:
    std::string lang;
    storage::report::interval whole;
    std::vector<report_bucket> weeks, months;
    // Read by read_inputs:
    storage::report::totals totals;
    storage::report::new_returning new_returning;
    std::vector<storage::report::totals> week_totals, month_totals;
    std::vector<storage::report::keyed_totals> by_language, by_channel, by_intent, by_outcome;
    std::vector<storage::report::keyed_totals> unanswered_by_intent, unanswered_by_language,
        unanswered_by_channel;
    std::vector<storage::report::feedback_counts> feedback;
    std::vector<storage::report::booking_fact> bookings;
    storage::report::volunteer_counts volunteers;
    storage::report::shift_counts shifts;
};

storage::status read_inputs(storage::database& db, report_inputs& in);

// The sections contacts, service, appointments, volunteers (raw counts, no rule applied).
std::vector<report_section> make_sections(const report_inputs& in, const catalog& cat);

// True when a table lists only keys that occur (so each listed count is at least 1).
bool table_lists_only_present_rows(const std::string& table_id, const std::string& column);

}  // namespace opas::bot
