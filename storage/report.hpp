#pragma once
// SQL aggregation for the anonymized activity report (bot/report.hpp computes the figures).
//
// Every function reads a half-open interval [from, to) of unix seconds and returns counts
// only: no pseudonym, platform id, phone number or name ever leaves these functions.
// The contact log's `hour` is the turn time floored to the hour (UTC), so an interval that
// starts and ends on whole hours selects whole hours.
//
// Threading: like `database`, call from the thread that owns the connection.

#include <cstdint>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace opas::storage::report {

struct interval {
    std::int64_t from = 0;  // unix seconds, inclusive
    std::int64_t to = 0;    // unix seconds, exclusive
};

struct totals {
    std::int64_t messages = 0;  // contact log records (one per turn)
    std::int64_t people = 0;    // distinct pseudonyms
};

// A count per value of one column of the contact log.
struct keyed_totals {
    std::string key;
    totals counts;
};

enum class dimension { language, channel, intent, outcome };

// Messages and distinct people in the interval.
result<totals> contacts(database& db, interval in);

// Per value of `dim` (most messages first, then by key). For `intent`, records with outcome
// "feedback" (a helpfulness button) are counted under the key "feedback", so the rows add up
// to the interval's messages. `only_outcome` non-empty: records with that outcome only.
result<std::vector<keyed_totals>> contacts_by(database& db, interval in, dimension dim,
                                              const std::string& only_outcome = "");

// People with a contact in the interval whose first contact ever is inside it (new) or
// before it (returning). new_people + returning_people = contacts(in).people.
struct new_returning {
    std::int64_t new_people = 0;
    std::int64_t returning_people = 0;
};
result<new_returning> new_and_returning(database& db, interval in);

// Helpfulness answers per topic (the intent of the "feedback" records).
struct feedback_counts {
    std::string topic;
    std::int64_t yes = 0;
    std::int64_t no = 0;
};
result<std::vector<feedback_counts>> feedback_by_topic(database& db, interval in);

// One booking made in the interval (created_at), followed along its moves (moved_to) to
// where it ended. Bookings created by moving another booking are part of that booking.
struct booking_fact {
    std::string topic;
    std::string language;
    std::string interpreter;       // "" when none needed
    std::int64_t created_at = 0;   // unix seconds
    std::int64_t slot_start = 0;   // of the last booking in the chain
    std::string final_status;      // booked | cancelled | no_show | moved (move target missing)
    bool moved = false;            // moved at least once
};
result<std::vector<booking_fact>> bookings_made(database& db, interval in);

struct volunteer_counts {
    std::int64_t enrolled = 0;  // volunteers who enrolled in the interval
    std::int64_t approved = 0;  // approved in the interval
    std::int64_t active = 0;    // on the list now: approved, not removed
};
result<volunteer_counts> volunteers(database& db, interval in);

struct shift_counts {
    std::int64_t offered = 0;           // shifts starting in the interval (any status)
    std::int64_t filled = 0;            // open shifts whose accepted volunteers reach capacity
    std::int64_t cancelled = 0;         // shifts cancelled
    std::int64_t accepted = 0;          // accepted assignments on open shifts
    std::int64_t volunteer_minutes = 0; // accepted assignments x shift duration
};
result<shift_counts> shifts(database& db, interval in);

}  // namespace opas::storage::report
