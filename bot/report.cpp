// The report's figures: read counts, label them, apply the small-count rule.
#include "bot/report.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "bot/report_calendar.hpp"
#include "bot/report_tables.hpp"
#include "storage/report.hpp"

namespace opas::bot {
namespace {

using storage::result;
namespace sr = storage::report;

// Walks every table of the report; `f(section, table)`.
template <class F>
void each_table(report& r, F&& f) {
    for (auto& s : r.sections)
        for (auto& t : s.tables) f(s, t);
}

// Step 1 of the rule for every count in the report.
void suppress_small_counts(report& r) {
    each_table(r, [](report_section&, report_table& t) {
        auto small = [](report_cell& c) {
            if (c.is_count() && c.value < report_threshold) c.shown = report_cell::kind::small;
        };
        for (auto& row : t.rows)
            for (auto& c : row.cells) small(c);
        if (t.total)
            for (auto& c : t.total->cells) small(c);
    });
}

// Steps 2 and 3 for every column of every table with a total row whose cells add up to it,
// plus the groups that link tables (new + returning = people, yes + no = feedback).
void protect_breakdowns(report& r, std::set<std::string>& hidden_totals) {
    each_table(r, [&hidden_totals](report_section&, report_table& t) {
        if (!t.total) return;
        for (std::size_t col = 0; col < t.columns.size(); ++col) {
            report_cell& total = t.total->cells[col];
            if (!total.is_count()) continue;
            std::vector<report_cell*> cells;
            double sum = 0;
            for (auto& row : t.rows) {
                cells.push_back(&row.cells[col]);
                sum += row.cells[col].value;
            }
            if (sum != total.value) continue;  // distinct people need not add up
            const bool listed = table_lists_only_present_rows(t.id, t.columns[col]);
            suppress(cells, &total, listed);
            if (total.shown == report_cell::kind::hidden && col < t.total_of.size() &&
                !t.total_of[col].empty())
                hidden_totals.insert(t.total_of[col]);
        }
    });
}

// A total hidden in one breakdown is hidden wherever the same figure appears.
void hide_everywhere(report& r, const std::set<std::string>& hidden_totals) {
    each_table(r, [&hidden_totals](report_section& s, report_table& t) {
        auto hide = [](report_cell& c) {
            if (c.shown == report_cell::kind::count) c.shown = report_cell::kind::hidden;
        };
        if (t.total)
            for (std::size_t col = 0; col < t.total_of.size(); ++col)
                if (hidden_totals.count(t.total_of[col])) hide(t.total->cells[col]);
        if (t.as_object)
            for (auto& row : t.rows)
                if (hidden_totals.count(s.id + "." + row.key)) hide(row.cells[0]);
    });
}

report_cell* summary_cell(report& r, const std::string& section, const std::string& key) {
    for (auto& s : r.sections)
        if (s.id == section)
            for (auto& t : s.tables)
                if (t.as_object)
                    for (auto& row : t.rows)
                        if (row.key == key) return &row.cells[0];
    return nullptr;
}

report_row* total_row(report& r, const std::string& section, const std::string& table) {
    for (auto& s : r.sections)
        if (s.id == section)
            for (auto& t : s.tables)
                if (t.id == table && t.total) return &*t.total;
    return nullptr;
}

report_cell* intent_cell(report& r, const std::string& intent) {
    for (auto& s : r.sections)
        for (auto& t : s.tables)
            if (s.id == "contacts" && t.id == "by_intent")
                for (auto& row : t.rows)
                    if (row.key == intent) return &row.cells[0];
    return nullptr;
}

void apply_rule(report& r) {
    suppress_small_counts(r);
    std::set<std::string> hidden_totals;
    // new + returning = people.
    if (auto* people = summary_cell(r, "contacts", "people")) {
        std::vector<report_cell*> parts = {summary_cell(r, "contacts", "new_people"),
                                           summary_cell(r, "contacts", "returning_people")};
        suppress(parts, people, false);
        if (people->shown == report_cell::kind::hidden) hidden_totals.insert("contacts.people");
    }
    protect_breakdowns(r, hidden_totals);
    // Total helpfulness answers yes + no = the "feedback" row of the messages by intent.
    if (auto* fb_total = total_row(r, "service", "helpfulness"))
        if (auto* feedback = intent_cell(r, "feedback"))
            suppress({&fb_total->cells[0], &fb_total->cells[1]}, feedback, false);
    hide_everywhere(r, hidden_totals);
    // Shares computed from a hidden count would reveal it.
    if (auto* share = summary_cell(r, "service", "unanswered_share")) {
        const auto* unanswered = summary_cell(r, "service", "unanswered");
        const auto* messages = summary_cell(r, "contacts", "messages");
        if (!unanswered || !messages || unanswered->shown != report_cell::kind::count ||
            messages->shown != report_cell::kind::count)
            *share = report_cell::not_available();
    }
}

}  // namespace

std::string to_display(const report_cell& c) {
    switch (c.shown) {
        case report_cell::kind::small: return "<" + std::to_string(report_threshold);
        case report_cell::kind::hidden: return "\u2265" + std::to_string(report_threshold);
        case report_cell::kind::none: return "";
        case report_cell::kind::count: return std::to_string(c.as_count());
        case report_cell::kind::number: break;
    }
    const double scale = std::pow(10.0, c.decimals);
    const double v = std::round(c.value * scale) / scale;
    std::string s = std::to_string(v);
    const auto dot = s.find('.');
    return c.decimals == 0 ? s.substr(0, dot) : s.substr(0, dot + 1 + c.decimals);
}

const report_table* report::find(const std::string& section, const std::string& table) const {
    for (const auto& s : sections)
        if (s.id == section)
            for (const auto& t : s.tables)
                if (t.id == table) return &t;
    return nullptr;
}

void suppress(std::vector<report_cell*> cells, report_cell* total, bool at_least_one) {
    using kind = report_cell::kind;
    for (auto* c : cells)
        if (c->shown == kind::count && c->value < report_threshold) c->shown = kind::small;
    if (!total) return;
    if (total->shown == kind::count && total->value < report_threshold) total->shown = kind::small;
    if (total->shown != kind::count) return;  // a small total: every cell is small too
    const double lo = at_least_one ? 1 : 0;
    for (;;) {
        int small = 0, hidden = 0;
        double visible = 0;
        report_cell* smallest = nullptr;
        for (auto* c : cells) {
            if (c->shown == kind::small) ++small;
            else if (c->shown == kind::hidden) ++hidden;
            else if (c->shown == kind::count) {
                visible += c->value;
                if (!smallest || c->value < smallest->value) smallest = c;
            }
        }
        if (small == 0) return;
        // What the hidden cells add up to, and the least and most they could add up to.
        const double rest = total->value - visible;
        const double least = small * lo + hidden * report_threshold;
        const double most = hidden > 0 ? std::numeric_limits<double>::infinity()
                                       : small * (report_threshold - 1.0);
        if (small + hidden >= 2 && rest > least && rest < most) return;
        if (!smallest) {
            total->shown = kind::hidden;
            return;
        }
        smallest->shown = kind::hidden;
    }
}

std::optional<report_problem> check_report_request(const report_request& req, const catalog& cat) {
    const auto from = parse_civil_day(req.from);
    if (!from) return report_problem{"from", "--from must be a date YYYY-MM-DD"};
    const auto to = parse_civil_day(req.to);
    if (!to) return report_problem{"to", "--to must be a date YYYY-MM-DD"};
    if (days_between(*from, *to) < 0)
        return report_problem{"to", "--to must not be before --from"};
    if (days_between(*from, *to) > 3660)
        return report_problem{"to", "the period must be at most ten years"};
    if (!cat.has_language(req.lang))
        return report_problem{"lang", "--lang '" + req.lang + "' is not one of the loaded languages"};
    if (!report_calendar::known_zone(req.timezone))
        return report_problem{"timezone", "timezone '" + req.timezone + "' is not known to ICU"};
    return std::nullopt;
}

result<report> build_report(storage::database& db, const catalog& cat, const report_request& req) {
    if (auto problem = check_report_request(req, cat))
        return storage::status::invalid(problem->message);
    const report_calendar calendar(req.timezone);
    const civil_day from = *parse_civil_day(req.from), to = *parse_civil_day(req.to);
    report_inputs in;
    in.lang = req.lang;
    in.whole = {calendar.start_of(from), calendar.end_of(to)};
    in.weeks = calendar.weeks(from, to, cat, req.lang);
    in.months = calendar.months(from, to, req.lang);
    if (auto s = read_inputs(db, in); !s.ok()) return s;

    report r;
    r.from = req.from;
    r.to = req.to;
    r.timezone = req.timezone;
    r.lang = req.lang;
    r.title = cat.text(req.lang, "report.title");
    r.period_label = cat.text(req.lang, "report.period",
                              {{"from", calendar.format_day(from, req.lang)},
                               {"to", calendar.format_day(to, req.lang)}});
    r.notes = {cat.text(req.lang, "report.small_count_note"), cat.text(req.lang, "report.hidden_note")};
    r.sections = make_sections(in, cat);
    apply_rule(r);
    return r;
}

}  // namespace opas::bot
