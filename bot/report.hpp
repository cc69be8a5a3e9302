#pragma once
// The anonymized activity report (CONTRACTS §2 `opas report`, GET /admin/report).
//
// build_report() reads counts from storage/report.hpp for a period of local dates, labels them
// in the report's language and applies the small-count rule (see suppress()). The result is a
// list of sections of tables; bot/report_render.cpp turns it into json, csv or html.
// Nothing in a report identifies a person: only counts, shares and codes (language, channel,
// intent, ISO week, month).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/catalog.hpp"
#include "storage/database.hpp"

namespace opas::bot {

inline constexpr std::int64_t report_threshold = 5;      // counts under this show as "<5"
inline constexpr std::int64_t report_volunteer_aim = 10; // the strategy's aim for active volunteers

// One value of a table.
struct report_cell {
    enum class kind {
        count,   // an exact count (>= 5), or a number the rule does not touch
        small,   // a count under 5: shown as "<5"
        hidden,  // a count of 5 or more hidden so that a small count cannot be worked out: "≥5"
        number,  // a decimal (share, days, hours) with `decimals` places
        none,    // not available (too few to show, or no data): null / "–"
    };
    kind shown = kind::count;
    double value = 0;  // the true value; renderers print it only for count and number
    int decimals = 0;

    static report_cell count_of(std::int64_t n) { return {kind::count, static_cast<double>(n), 0}; }
    static report_cell number_of(double v, int decimals) { return {kind::number, v, decimals}; }
    static report_cell not_available() { return {kind::none, 0, 0}; }
    bool is_count() const { return shown == kind::count || shown == kind::small || shown == kind::hidden; }
    std::int64_t as_count() const { return static_cast<std::int64_t>(value); }
};

// "<5", "≥5", "12", "3.5", "" (none).
std::string to_display(const report_cell& c);

struct report_row {
    std::string key;    // code: "fi", "telegram", "guidance.housing", "2025-W03", "2025-01", "messages"
    std::string label;  // in the report's language
    std::vector<report_cell> cells;
};

struct report_table {
    std::string id;                      // json field name: "by_language"
    std::string title;                   // label in the report's language
    std::string key_name;                // json name of the row key: "language"
    std::string key_label;               // header of the key column
    std::vector<std::string> columns;    // json names of the cells: "messages", "people"
    std::vector<std::string> column_labels;
    std::vector<report_row> rows;
    std::optional<report_row> total;     // key "total"
    std::vector<std::string> total_of;   // per column: the figure its total is ("contacts.messages")
    bool as_object = false;              // json: {row.key: cell} (one column), not an array
    std::string chart;                   // html: "" none, "columns" (over time), "bars"
};

struct report_section {
    std::string id;     // "contacts", "service", "appointments", "volunteers"
    std::string title;
    std::vector<report_table> tables;
};

struct report {
    std::string from, to;   // YYYY-MM-DD, inclusive
    std::string timezone;
    std::string lang;
    std::string title;
    std::string period_label;  // "Period 1 Jan 2025 – 31 Mar 2025"
    std::vector<std::string> notes;  // the suppression rule, in the report's language
    std::vector<report_section> sections;

    const report_table* find(const std::string& section, const std::string& table) const;
};

struct report_request {
    std::string from, to;  // YYYY-MM-DD, inclusive, local dates in `timezone`
    std::string lang = "fi";
    std::string timezone = "Europe/Helsinki";
};

// Checks a request without touching the database: dates valid, from <= to, period at most
// ten years, language in the catalog, time zone known. Returns {field, message} of the first
// problem, or nothing.
struct report_problem {
    std::string field;
    std::string message;
};
std::optional<report_problem> check_report_request(const report_request& req, const catalog& cat);

// Reads the figures (inside whatever transaction the caller holds) and builds the report.
storage::result<report> build_report(storage::database& db, const catalog& cat,
                                     const report_request& req);

// The small-count rule for one breakdown (pure; exposed for tests).
// `cells` are counts; `total` is their sum when the breakdown adds up to a shown total
// (nullopt when it does not). `at_least_one` is true when every cell is known to be >= 1
// (listed categories), false for fixed categories that can be 0.
// 1. Every count under 5 becomes small ("<5"), also the total.
// 2. When the total is shown and the hidden cells could be worked out from it (one hidden
//    cell; or all hidden cells forced to their lowest or highest possible value), the
//    smallest shown cells are hidden too ("≥5"), one at a time, until they cannot.
// 3. If even hiding every cell is not enough, the total is hidden as well ("≥5").
void suppress(std::vector<report_cell*> cells, report_cell* total, bool at_least_one);

}  // namespace opas::bot
