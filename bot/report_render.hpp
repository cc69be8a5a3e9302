#pragma once
// The report's formats: json (fields documented in README, "The activity report"), csv (one table per
// block, blank line between, header row each) and html (one self-contained printable page
// with inline CSS and inline SVG charts; no external assets).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "bot/report.hpp"

namespace opas::bot {

enum class report_format { json, csv, html };

std::optional<report_format> parse_report_format(std::string_view name);
std::string content_type_of(report_format f);  // "text/csv; charset=utf-8", ...

nlohmann::ordered_json report_to_json(const report& r);
std::string render_csv(const report& r);
std::string render_html(const report& r);  // bot/report_html.cpp
std::string render_report(const report& r, report_format f);

}  // namespace opas::bot
