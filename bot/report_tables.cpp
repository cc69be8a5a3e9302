#include "bot/report_tables.hpp"

#include <algorithm>
#include <map>

namespace opas::bot {
namespace {

namespace sr = storage::report;
using cell = report_cell;

struct column {
    const char* id;
    const char* label_key;
};

report_table table(const catalog& cat, const std::string& lang, std::string id,
                   std::string title, std::string key_name, const char* key_label_key,
                   std::vector<column> columns) {
    report_table t;
    t.id = std::move(id);
    t.title = std::move(title);
    t.key_name = std::move(key_name);
    t.key_label = cat.text(lang, key_label_key);
    for (const auto& c : columns) {
        t.columns.push_back(c.id);
        t.column_labels.push_back(cat.text(lang, c.label_key));
    }
    return t;
}

// A one-column table rendered as a json object {key: value}.
report_table summary(const catalog& cat, const std::string& lang, std::string title) {
    auto t = table(cat, lang, "summary", std::move(title), "figure", "report.figure",
                   {{"count", "report.count"}});
    t.as_object = true;
    return t;
}

void add(report_table& t, const catalog& cat, const std::string& lang, std::string key,
         const char* label_key, cell c) {
    t.rows.push_back({std::move(key), cat.text(lang, label_key), {c}});
}

report_row row_of(std::string key, std::string label, const sr::totals& n) {
    return {std::move(key), std::move(label), {cell::count_of(n.messages), cell::count_of(n.people)}};
}

report_row total_row(const catalog& cat, const std::string& lang, std::vector<cell> cells) {
    return {"total", cat.text(lang, "report.total"), std::move(cells)};
}

template <class Label>
report_table keyed(const catalog& cat, const std::string& lang, std::string id, std::string title,
                   std::string key_name, const char* key_label_key,
                   const std::vector<sr::keyed_totals>& rows, Label label, bool with_people,
                   const std::string& total_of, sr::totals total) {
    std::vector<column> cols = {{"messages", "report.messages"}};
    if (with_people) cols.push_back({"people", "report.people"});
    auto t = table(cat, lang, std::move(id), std::move(title), std::move(key_name), key_label_key,
                   cols);
    for (const auto& r : rows) {
        auto row = row_of(r.key, label(r.key), r.counts);
        if (!with_people) row.cells.pop_back();
        t.rows.push_back(std::move(row));
    }
    t.total = row_of("total", cat.text(lang, "report.total"), total);
    t.total_of = {total_of + (with_people ? ".messages" : ""), total_of + ".people"};
    if (!with_people) {
        t.total->cells.pop_back();
        t.total_of = {total_of};
    }
    return t;
}

std::int64_t outcome_count(const report_inputs& in, const std::string& outcome) {
    for (const auto& r : in.by_outcome)
        if (r.key == outcome) return r.counts.messages;
    return 0;
}

report_section contacts(const report_inputs& in, const catalog& cat) {
    const auto& lang = in.lang;
    report_section s{"contacts", cat.text(lang, "report.contacts"), {}};
    auto sum = summary(cat, lang, s.title);
    add(sum, cat, lang, "messages", "report.messages", cell::count_of(in.totals.messages));
    add(sum, cat, lang, "people", "report.people", cell::count_of(in.totals.people));
    add(sum, cat, lang, "new_people", "report.new_people",
        cell::count_of(in.new_returning.new_people));
    add(sum, cat, lang, "returning_people", "report.returning_people",
        cell::count_of(in.new_returning.returning_people));
    s.tables.push_back(std::move(sum));

    auto over_time = [&](const char* id, const char* title, const char* key_name,
                         const char* key_label, const std::vector<report_bucket>& buckets,
                         const std::vector<sr::totals>& counts) {
        auto t = table(cat, lang, id, cat.text(lang, title), key_name, key_label,
                       {{"messages", "report.messages"}, {"people", "report.people"}});
        for (std::size_t i = 0; i < buckets.size(); ++i)
            t.rows.push_back(row_of(buckets[i].key, buckets[i].label, counts[i]));
        t.total = row_of("total", cat.text(lang, "report.total"), in.totals);
        t.total_of = {"contacts.messages", "contacts.people"};
        return t;
    };
    s.tables.push_back(
        over_time("by_month", "report.per_month", "month", "report.month", in.months, in.month_totals));
    s.tables.push_back(
        over_time("by_week", "report.per_week", "week", "report.week", in.weeks, in.week_totals));
    s.tables.back().chart = "columns";

    const auto language = [&lang](const std::string& k) { return language_label(k, lang); };
    const auto channel = [&cat, &lang](const std::string& k) { return channel_label(k, cat, lang); };
    const auto intent = [&cat, &lang](const std::string& k) { return intent_label(k, cat, lang); };
    s.tables.push_back(keyed(cat, lang, "by_language", cat.text(lang, "report.by_language"),
                             "language", "report.language", in.by_language, language, true,
                             "contacts", in.totals));
    s.tables.back().chart = "bars";
    s.tables.push_back(keyed(cat, lang, "by_channel", cat.text(lang, "report.by_channel"),
                             "channel", "report.channel", in.by_channel, channel, true,
                             "contacts", in.totals));
    s.tables.push_back(keyed(cat, lang, "by_intent", cat.text(lang, "report.by_topic"), "intent",
                             "report.topic", in.by_intent, intent, true, "contacts", in.totals));
    s.tables.back().chart = "bars";
    return s;
}

report_section service(const report_inputs& in, const catalog& cat) {
    const auto& lang = in.lang;
    report_section s{"service", cat.text(lang, "report.service"), {}};
    const std::int64_t unanswered = outcome_count(in, "unanswered");
    auto sum = summary(cat, lang, s.title);
    add(sum, cat, lang, "unanswered", "report.unanswered", cell::count_of(unanswered));
    add(sum, cat, lang, "unanswered_share", "report.unanswered_share",
        in.totals.messages > 0 ? cell::number_of(100.0 * unanswered / in.totals.messages, 1)
                               : cell::not_available());
    add(sum, cat, lang, "handovers", "report.handovers",
        cell::count_of(outcome_count(in, "handed_over")));
    s.tables.push_back(std::move(sum));

    const sr::totals total{unanswered, 0};
    const std::string prefix = cat.text(lang, "report.unanswered") + ": ";
    const auto language = [&lang](const std::string& k) { return language_label(k, lang); };
    const auto channel = [&cat, &lang](const std::string& k) { return channel_label(k, cat, lang); };
    const auto intent = [&cat, &lang](const std::string& k) { return intent_label(k, cat, lang); };
    s.tables.push_back(keyed(cat, lang, "unanswered_by_intent",
                             prefix + cat.text(lang, "report.by_topic"), "intent", "report.topic",
                             in.unanswered_by_intent, intent, false, "service.unanswered", total));
    s.tables.push_back(keyed(cat, lang, "unanswered_by_language",
                             prefix + cat.text(lang, "report.by_language"), "language",
                             "report.language", in.unanswered_by_language, language, false,
                             "service.unanswered", total));
    s.tables.push_back(keyed(cat, lang, "unanswered_by_channel",
                             prefix + cat.text(lang, "report.by_channel"), "channel",
                             "report.channel", in.unanswered_by_channel, channel, false,
                             "service.unanswered", total));

    auto help = table(cat, lang, "helpfulness", cat.text(lang, "report.helpfulness"), "topic",
                      "report.topic", {{"yes", "report.helpful"}, {"no", "report.not_helpful"}});
    std::int64_t yes = 0, no = 0;
    for (const auto& f : in.feedback) {
        help.rows.push_back(
            {f.topic, intent_label(f.topic, cat, lang), {cell::count_of(f.yes), cell::count_of(f.no)}});
        yes += f.yes;
        no += f.no;
    }
    help.total = total_row(cat, lang, {cell::count_of(yes), cell::count_of(no)});
    help.total_of = {"", ""};
    s.tables.push_back(std::move(help));
    return s;
}

struct booking_counts {
    std::int64_t booked = 0, cancelled = 0, moved = 0, no_shows = 0;
    std::vector<cell> cells() const {
        return {cell::count_of(booked), cell::count_of(cancelled), cell::count_of(moved),
                cell::count_of(no_shows)};
    }
    void count(const sr::booking_fact& f) {
        ++booked;
        if (f.final_status == "cancelled") ++cancelled;
        if (f.final_status == "no_show") ++no_shows;
        if (f.moved) ++moved;
    }
};

report_section appointments(const report_inputs& in, const catalog& cat) {
    const auto& lang = in.lang;
    report_section s{"appointments", cat.text(lang, "report.appointments"), {}};
    booking_counts all;
    std::map<std::string, booking_counts> by_topic, by_language;
    std::map<std::string, std::int64_t> interpreters;
    std::vector<double> days;
    for (const auto& f : in.bookings) {
        all.count(f);
        by_topic[f.topic].count(f);
        by_language[f.language].count(f);
        if (!f.interpreter.empty()) ++interpreters[f.interpreter];
        if (f.final_status != "cancelled") days.push_back((f.slot_start - f.created_at) / 86400.0);
    }
    auto sum = summary(cat, lang, s.title);
    const auto cells = all.cells();
    const char* keys[] = {"booked", "cancelled", "moved", "no_shows"};
    const char* labels[] = {"report.booked", "report.cancelled", "report.moved", "report.no_shows"};
    for (std::size_t i = 0; i < 4; ++i) add(sum, cat, lang, keys[i], labels[i], cells[i]);
    cell median = cell::not_available();
    if (static_cast<std::int64_t>(days.size()) >= report_threshold) {
        std::sort(days.begin(), days.end());
        const std::size_t n = days.size();
        median = cell::number_of(n % 2 ? days[n / 2] : (days[n / 2 - 1] + days[n / 2]) / 2, 1);
    }
    add(sum, cat, lang, "median_days", "report.median_days", median);
    s.tables.push_back(std::move(sum));

    const std::vector<column> cols = {{"booked", "report.booked"},
                                      {"cancelled", "report.cancelled"},
                                      {"moved", "report.moved"},
                                      {"no_shows", "report.no_shows"}};
    auto grouped = [&](const char* id, const char* title, const char* key_name,
                       const char* key_label, const std::map<std::string, booking_counts>& m,
                       auto label) {
        auto t = table(cat, lang, id, cat.text(lang, title), key_name, key_label, cols);
        std::vector<std::pair<std::string, booking_counts>> rows(m.begin(), m.end());
        std::stable_sort(rows.begin(), rows.end(),
                         [](const auto& a, const auto& b) { return a.second.booked > b.second.booked; });
        for (const auto& [k, c] : rows) t.rows.push_back({k, label(k), c.cells()});
        t.total = total_row(cat, lang, all.cells());
        t.total_of = {"appointments.booked", "appointments.cancelled", "appointments.moved",
                      "appointments.no_shows"};
        return t;
    };
    s.tables.push_back(grouped("by_topic", "report.by_topic", "topic", "report.topic", by_topic,
                               [&](const std::string& k) { return intent_label(k, cat, lang); }));
    s.tables.push_back(grouped("by_language", "report.by_language", "language", "report.language",
                               by_language,
                               [&](const std::string& k) { return language_label(k, lang); }));
    auto need = table(cat, lang, "interpreter_needs", cat.text(lang, "report.interpreter_needs"),
                      "language", "report.language", {{"bookings", "report.bookings"}});
    for (const auto& [code, n] : interpreters)
        need.rows.push_back({code, language_label(code, lang), {cell::count_of(n)}});
    s.tables.push_back(std::move(need));
    return s;
}

report_section volunteers(const report_inputs& in, const catalog& cat) {
    const auto& lang = in.lang;
    report_section s{"volunteers", cat.text(lang, "report.volunteers"), {}};
    auto sum = summary(cat, lang, s.title);
    add(sum, cat, lang, "enrolled", "report.enrolled", cell::count_of(in.volunteers.enrolled));
    add(sum, cat, lang, "approved", "report.approved", cell::count_of(in.volunteers.approved));
    add(sum, cat, lang, "active", "report.active", cell::count_of(in.volunteers.active));
    sum.rows.push_back({"active_aim",
                        cat.text(lang, "report.aim_active", {{"aim", report_volunteer_aim}}),
                        {cell::number_of(static_cast<double>(report_volunteer_aim), 0)}});
    add(sum, cat, lang, "shifts_offered", "report.shifts_offered", cell::count_of(in.shifts.offered));
    add(sum, cat, lang, "shifts_filled", "report.shifts_filled", cell::count_of(in.shifts.filled));
    add(sum, cat, lang, "shifts_cancelled", "report.shifts_cancelled",
        cell::count_of(in.shifts.cancelled));
    cell hours = cell::number_of(in.shifts.volunteer_minutes / 60.0, 1);
    if (hours.value < report_threshold) hours.shown = cell::kind::small;
    sum.rows.push_back({"volunteer_hours", cat.text(lang, "report.volunteer_hours"), {hours}});
    s.tables.push_back(std::move(sum));
    return s;
}

}  // namespace

storage::status read_inputs(storage::database& db, report_inputs& in) {
    auto take = [](auto r, auto& into) {
        if (!r.ok()) return r.error();
        into = std::move(r.value());
        return storage::status::ok_status();
    };
    storage::status s;
    if (!(s = take(sr::contacts(db, in.whole), in.totals)).ok()) return s;
    if (!(s = take(sr::new_and_returning(db, in.whole), in.new_returning)).ok()) return s;
    for (auto [buckets, out] : {std::pair{&in.weeks, &in.week_totals},
                                std::pair{&in.months, &in.month_totals}}) {
        for (const auto& b : *buckets) {
            auto r = sr::contacts(db, {b.from, b.to});
            if (!r.ok()) return r.error();
            out->push_back(r.value());
        }
    }
    using sr::dimension;
    const std::pair<dimension, std::vector<sr::keyed_totals>*> all[] = {
        {dimension::language, &in.by_language},
        {dimension::channel, &in.by_channel},
        {dimension::intent, &in.by_intent},
        {dimension::outcome, &in.by_outcome}};
    for (const auto& [dim, out] : all)
        if (!(s = take(sr::contacts_by(db, in.whole, dim), *out)).ok()) return s;
    const std::pair<dimension, std::vector<sr::keyed_totals>*> unanswered[] = {
        {dimension::intent, &in.unanswered_by_intent},
        {dimension::language, &in.unanswered_by_language},
        {dimension::channel, &in.unanswered_by_channel}};
    for (const auto& [dim, out] : unanswered)
        if (!(s = take(sr::contacts_by(db, in.whole, dim, "unanswered"), *out)).ok()) return s;
    if (!(s = take(sr::feedback_by_topic(db, in.whole), in.feedback)).ok()) return s;
    if (!(s = take(sr::bookings_made(db, in.whole), in.bookings)).ok()) return s;
    if (!(s = take(sr::volunteers(db, in.whole), in.volunteers)).ok()) return s;
    return take(sr::shifts(db, in.whole), in.shifts);
}

std::vector<report_section> make_sections(const report_inputs& in, const catalog& cat) {
    return {contacts(in, cat), service(in, cat), appointments(in, cat), volunteers(in, cat)};
}

bool table_lists_only_present_rows(const std::string& table_id, const std::string& column) {
    if (table_id == "by_topic" || table_id == "by_language")  // appointments: booked >= 1
        if (column == "booked") return true;
    static const char* listed[] = {"by_language", "by_channel", "by_intent", "unanswered_by_intent",
                                   "unanswered_by_language", "unanswered_by_channel"};
    for (const char* id : listed)
        if (table_id == id && (column == "messages" || column == "people")) return true;
    return false;
}

}  // namespace opas::bot
