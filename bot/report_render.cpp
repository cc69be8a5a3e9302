// json and csv of the report (html: bot/report_html.cpp).
#include "bot/report_render.hpp"

namespace opas::bot {
namespace {

using ojson = nlohmann::ordered_json;

ojson cell_json(const report_cell& c) {
    switch (c.shown) {
        case report_cell::kind::count: return c.as_count();
        case report_cell::kind::number: {
            const std::string text = to_display(c);
            return c.decimals == 0 ? ojson(std::stoll(text)) : ojson(std::stod(text));
        }
        case report_cell::kind::none: return nullptr;
        case report_cell::kind::small:
        case report_cell::kind::hidden: break;
    }
    return to_display(c);
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

void csv_line(std::string& out, const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        out += csv_field(fields[i]);
    }
    out += "\r\n";
}

}  // namespace

std::optional<report_format> parse_report_format(std::string_view name) {
    if (name == "json") return report_format::json;
    if (name == "csv") return report_format::csv;
    if (name == "html") return report_format::html;
    return std::nullopt;
}

std::string content_type_of(report_format f) {
    switch (f) {
        case report_format::json: return "application/json";
        case report_format::csv: return "text/csv; charset=utf-8";
        case report_format::html: return "text/html; charset=utf-8";
    }
    return "application/octet-stream";
}

ojson report_to_json(const report& r) {
    ojson j;
    j["title"] = r.title;
    j["period"] = {{"from", r.from}, {"to", r.to}, {"timezone", r.timezone}, {"label", r.period_label}};
    j["language"] = r.lang;
    j["threshold"] = report_threshold;
    j["notes"] = r.notes;
    for (const auto& s : r.sections) {
        ojson section = ojson::object();
        section["title"] = s.title;
        for (const auto& t : s.tables) {
            if (t.as_object) {
                for (const auto& row : t.rows) section[row.key] = cell_json(row.cells.at(0));
                continue;
            }
            ojson rows = ojson::array();
            for (const auto& row : t.rows) {
                ojson o;
                o[t.key_name] = row.key;
                o["label"] = row.label;
                for (std::size_t i = 0; i < t.columns.size(); ++i)
                    o[t.columns[i]] = cell_json(row.cells.at(i));
                rows.push_back(std::move(o));
            }
            ojson table;
            table["title"] = t.title;
            table["rows"] = std::move(rows);
            if (t.total) {
                ojson total;
                for (std::size_t i = 0; i < t.columns.size(); ++i)
                    total[t.columns[i]] = cell_json(t.total->cells.at(i));
                table["total"] = std::move(total);
            }
            section[t.id] = std::move(table);
        }
        j[s.id] = std::move(section);
    }
    return j;
}

std::string render_csv(const report& r) {
    std::string out;
    csv_line(out, {r.title, r.period_label});
    for (const auto& s : r.sections) {
        for (const auto& t : s.tables) {
            out += "\r\n";
            std::vector<std::string> header = {t.as_object ? s.title : t.title};
            header.insert(header.end(), t.column_labels.begin(), t.column_labels.end());
            csv_line(out, header);
            auto line = [&out](const report_row& row) {
                std::vector<std::string> fields = {row.label};
                for (const auto& c : row.cells) fields.push_back(to_display(c));
                csv_line(out, fields);
            };
            for (const auto& row : t.rows) line(row);
            if (t.total) line(*t.total);
        }
    }
    out += "\r\n";
    for (const auto& note : r.notes) csv_line(out, {note});
    return out;
}

std::string render_report(const report& r, report_format f) {
    switch (f) {
        case report_format::json: return report_to_json(r).dump(2) + "\n";
        case report_format::csv: return render_csv(r);
        case report_format::html: return render_html(r);
    }
    return {};
}

}  // namespace opas::bot
