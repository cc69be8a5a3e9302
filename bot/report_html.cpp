// The report as one self-contained printable HTML page: inline CSS (A4 print rules, narrow
// screens), inline SVG charts, no scripts and no external assets.
#include <algorithm>
#include <string>

#include "bot/report_render.hpp"

namespace opas::bot {
namespace {

std::string esc(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string num(double v) { return std::to_string(static_cast<long long>(v + 0.5)); }

constexpr const char* style = R"css(
:root{--ink:#1d2433;--muted:#5b6475;--bar:#2f6db5;--line:#d5dae3;--tile:#f3f5f9}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:var(--ink);background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin:1.6rem 0 .6rem;border-bottom:2px solid var(--bar);padding-bottom:.2rem}
h3{font-size:1rem;margin:1rem 0 .4rem}
.period{color:var(--muted);margin:0 0 1rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(10rem,1fr));gap:.5rem;margin:0}
.tile{background:var(--tile);border-radius:.4rem;padding:.5rem .7rem}
.tile dt{font-size:.8rem;color:var(--muted)}.tile dd{margin:0;font-size:1.4rem;font-weight:600}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.2rem 0 .8rem;font-size:.9rem}
th,td{border-bottom:1px solid var(--line);padding:.25rem .4rem;text-align:start}
td.n,th.n{text-align:end;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.total td{font-weight:600;border-top:2px solid var(--ink)}
figure{margin:.4rem 0 1rem}figcaption{font-size:.85rem;color:var(--muted)}
svg{width:100%;height:auto;display:block;direction:ltr}svg.chart-columns{max-height:18rem}
svg text{font:11px system-ui,Arial,sans-serif;fill:var(--ink)}
svg .bar{fill:var(--bar)}svg .axis{stroke:var(--line)}svg .aim{stroke:#c0392b;stroke-width:2}
.notes{font-size:.85rem;color:var(--muted);margin-top:2rem}
@media (max-width:30rem){body{font-size:14px}main{padding:.6rem}.tile dd{font-size:1.2rem}}
@page{size:A4;margin:14mm}
@media print{body{font-size:10pt}main{max-width:none;padding:0}h2{break-after:avoid}
figure,table,.tiles{break-inside:avoid}.scroll{overflow:visible}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
)css";

// Vertical bars over time (weeks): value above, week number below.
std::string column_chart(const report_table& t) {
    const std::size_t n = t.rows.size();
    const int slot = 44, left = 8, height = 170, base = 140, top = 18;
    const int width = static_cast<int>(std::max<std::size_t>(n, 12)) * slot + 2 * left;
    double max = 1;
    for (const auto& r : t.rows)
        if (r.cells[0].shown == report_cell::kind::count) max = std::max(max, r.cells[0].value);
    std::string svg = "<svg role=\"img\" class=\"chart-columns\" viewBox=\"0 0 " +
                      std::to_string(width) + " " + std::to_string(height) +
                      "\" xmlns=\"http://www.w3.org/2000/svg\"><title>" + esc(t.title) + "</title>";
    svg += "<line class=\"axis\" x1=\"0\" x2=\"" + std::to_string(width) + "\" y1=\"" +
           std::to_string(base) + "\" y2=\"" + std::to_string(base) + "\"/>";
    for (std::size_t i = 0; i < n; ++i) {
        const auto& c = t.rows[i].cells[0];
        const int x = left + static_cast<int>(i) * slot;
        const double h = c.shown == report_cell::kind::count ? (base - top) * c.value / max : 0;
        if (h > 0)
            svg += "<rect class=\"bar\" x=\"" + std::to_string(x + 3) + "\" y=\"" + num(base - h) +
                   "\" width=\"" + std::to_string(slot - 6) + "\" height=\"" + num(h) + "\"/>";
        const std::string cx = std::to_string(x + slot / 2);
        svg += "<text x=\"" + cx + "\" y=\"" + num(base - h - 4) + "\" text-anchor=\"middle\">" +
               esc(to_display(c)) + "</text>";
        const auto& key = t.rows[i].key;
        const std::string week = key.size() > 6 ? std::to_string(std::stoi(key.substr(6))) : key;
        svg += "<text x=\"" + cx + "\" y=\"" + std::to_string(base + 16) +
               "\" text-anchor=\"middle\">" + esc(week) + "</text>";
    }
    return svg + "</svg>";
}

// Horizontal bars (languages, topics): label, bar, value.
std::string bar_chart(const report_table& t) {
    const int row_h = 22, width = 460, label_w = 170, value_w = 44;
    const int height = static_cast<int>(t.rows.size()) * row_h + 6;
    double max = 1;
    for (const auto& r : t.rows)
        if (r.cells[0].shown == report_cell::kind::count) max = std::max(max, r.cells[0].value);
    std::string svg = "<svg role=\"img\" class=\"chart-bars\" viewBox=\"0 0 " +
                      std::to_string(width) + " " + std::to_string(height) +
                      "\" xmlns=\"http://www.w3.org/2000/svg\"><title>" + esc(t.title) + "</title>";
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        const auto& c = t.rows[i].cells[0];
        const int y = 3 + static_cast<int>(i) * row_h;
        const double w =
            c.shown == report_cell::kind::count ? (width - label_w - value_w) * c.value / max : 0;
        std::string label = t.rows[i].label;
        if (label.size() > 28) {  // cut at a UTF-8 character boundary
            std::size_t cut = 25;
            while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;
            label = label.substr(0, cut) + "…";
        }
        svg += "<text x=\"" + std::to_string(label_w - 6) + "\" y=\"" + std::to_string(y + 15) +
               "\" text-anchor=\"end\">" + esc(label) + "</text>";
        if (w > 0)
            svg += "<rect class=\"bar\" x=\"" + std::to_string(label_w) + "\" y=\"" +
                   std::to_string(y + 3) + "\" width=\"" + num(w) + "\" height=\"" +
                   std::to_string(row_h - 6) + "\"/>";
        svg += "<text x=\"" + num(label_w + w + 4) + "\" y=\"" + std::to_string(y + 15) + "\">" +
               esc(to_display(c)) + "</text>";
    }
    return svg + "</svg>";
}

// Active volunteers against the strategy's aim.
std::string aim_chart(const report_cell& active, const report_cell& aim, const std::string& label) {
    const double target = aim.value > 0 ? aim.value : 10;
    const double shown = active.shown == report_cell::kind::count ? active.value : 0;
    const double scale = std::max(target, shown) * 1.1;
    const double w = 560 * shown / scale, ax = 560 * target / scale;
    std::string svg = "<svg role=\"img\" class=\"chart-aim\" viewBox=\"0 0 640 40\" "
                      "xmlns=\"http://www.w3.org/2000/svg\"><title>" + esc(label) + "</title>";
    svg += "<rect x=\"0\" y=\"8\" width=\"560\" height=\"18\" fill=\"#e6e9ef\"/>";
    if (w > 0) svg += "<rect class=\"bar\" x=\"0\" y=\"8\" width=\"" + num(w) + "\" height=\"18\"/>";
    svg += "<line class=\"aim\" x1=\"" + num(ax) + "\" x2=\"" + num(ax) + "\" y1=\"2\" y2=\"32\"/>";
    svg += "<text x=\"568\" y=\"22\">" + esc(to_display(active)) + " / " + esc(to_display(aim)) +
           "</text>";
    return svg + "</svg>";
}

std::string tiles(const report_section& s, const report_table& t) {
    std::string out = "<dl class=\"tiles\">";
    for (const auto& row : t.rows) {
        const std::string value = to_display(row.cells[0]);
        out += "<div class=\"tile\" id=\"" + esc(s.id + "-" + row.key) + "\"><dt>" + esc(row.label) +
               "</dt><dd><bdi dir=\"ltr\">" + esc(value.empty() ? "\u2013" : value) +
               "</bdi></dd></div>";
    }
    out += "</dl>";
    const report_row *active = nullptr, *aim = nullptr;
    for (const auto& row : t.rows) {
        if (row.key == "active") active = &row;
        if (row.key == "active_aim") aim = &row;
    }
    if (active && aim)
        out += "<figure>" + aim_chart(active->cells[0], aim->cells[0], aim->label) +
               "<figcaption>" + esc(aim->label) + "</figcaption></figure>";
    return out;
}

std::string html_table(const report_table& t) {
    std::string out = "<h3>" + esc(t.title) + "</h3>";
    if (t.chart == "columns") out += "<figure>" + column_chart(t) + "</figure>";
    if (t.chart == "bars" && !t.rows.empty()) out += "<figure>" + bar_chart(t) + "</figure>";
    out += "<div class=\"scroll\"><table id=\"" + esc(t.id) + "\"><thead><tr><th>" +
           esc(t.key_label) + "</th>";
    for (const auto& l : t.column_labels) out += "<th class=\"n\">" + esc(l) + "</th>";
    out += "</tr></thead><tbody>";
    auto line = [&out](const report_row& row, bool total) {
        out += total ? "<tr class=\"total\">" : "<tr>";
        out += "<td>" + esc(row.label) + "</td>";
        for (const auto& c : row.cells) {
            const std::string v = to_display(c);
            out += "<td class=\"n\"><bdi dir=\"ltr\">" + esc(v.empty() ? "\u2013" : v) +
                   "</bdi></td>";
        }
        out += "</tr>";
    };
    for (const auto& row : t.rows) line(row, false);
    if (t.total) line(*t.total, true);
    return out + "</tbody></table></div>";
}

}  // namespace

std::string render_html(const report& r) {
    const bool rtl = r.lang == "ar" || r.lang == "fa" || r.lang == "he" || r.lang == "ur";
    std::string out = "<!DOCTYPE html>\n<html lang=\"" + esc(r.lang) + "\" dir=\"" +
                      (rtl ? "rtl" : "ltr") +
                      "\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                      "<title>" + esc(r.title + " " + r.from + " \u2013 " + r.to) +
                      "</title><style>" + style + "</style></head><body><main>";
    out += "<header><h1>" + esc(r.title) + "</h1><p class=\"period\">" + esc(r.period_label) +
           "</p></header>";
    for (const auto& s : r.sections) {
        out += "<section id=\"" + esc(s.id) + "\"><h2>" + esc(s.title) + "</h2>";
        for (const auto& t : s.tables) out += t.as_object ? tiles(s, t) : html_table(t);
        out += "</section>";
    }
    out += "<footer class=\"notes\">";
    for (const auto& n : r.notes) out += "<p>" + esc(n) + "</p>";
    out += "</footer></main></body></html>\n";
    return out;
}

}  // namespace opas::bot
