// `opas report` and GET /admin/report over a known history (tests/loopback/report_history.cpp).
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/loopback/report_history.hpp"

using namespace opas::testing;
using nlohmann::json;

namespace {

const std::vector<std::string> period = {"--from", "2025-01-06", "--to", "2025-02-09"};

// The report without its labels and titles (checked separately), so figures compare exactly.
json figures(json j) {
    if (j.is_object()) {
        json out = json::object();
        for (auto& [k, v] : j.items())
            if (k != "label" && k != "title") out[k] = figures(v);
        return out;
    }
    if (j.is_array()) {
        json out = json::array();
        for (auto& v : j) out.push_back(figures(v));
        return out;
    }
    return j;
}

json json_report(const report_history& h, const std::vector<std::string>& extra = {}) {
    auto args = period;
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_report(h, args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = json::parse(r.out, nullptr, false);
    REQUIRE_FALSE(j.is_discarded());
    return j;
}

const std::string small = "<5", hidden = "\u22655";

}  // namespace

TEST_CASE("the report's contact figures match the history exactly") {
    report_history h;
    make_report_history(h);
    const auto j = figures(json_report(h));
    CHECK(j["period"] == json({{"from", "2025-01-06"}, {"to", "2025-02-09"},
                                {"timezone", "Europe/Helsinki"}}));
    CHECK(j["language"] == "fi");
    CHECK(j["threshold"] == 5);
    // 12 records inside the period; P1 and P3 wrote before it (returning), five are new.
    // new + returning = people: returning is under 5, so new is hidden too.
    const json contacts = j["contacts"];
    CHECK(contacts["messages"] == 12);
    CHECK(contacts["people"] == 7);
    CHECK(contacts["new_people"] == hidden);
    CHECK(contacts["returning_people"] == small);
    CHECK(contacts["by_month"] == json::parse(R"({"rows":[
        {"month":"2025-01","messages":"\u22655","people":"\u22655"},
        {"month":"2025-02","messages":"<5","people":"<5"}],
        "total":{"messages":12,"people":7}})"));
    CHECK(contacts["by_week"] == json::parse(R"({"rows":[
        {"week":"2025-W02","messages":7,"people":"<5"},
        {"week":"2025-W03","messages":"<5","people":"<5"},
        {"week":"2025-W04","messages":"<5","people":"<5"},
        {"week":"2025-W05","messages":"<5","people":"<5"},
        {"week":"2025-W06","messages":"<5","people":"<5"}],
        "total":{"messages":12,"people":7}})"));
    CHECK(contacts["by_language"] == json::parse(R"({"rows":[
        {"language":"en","messages":8,"people":"<5"},
        {"language":"fi","messages":"<5","people":"<5"},
        {"language":"ar","messages":"<5","people":"<5"}],
        "total":{"messages":12,"people":7}})"));
    CHECK(contacts["by_channel"] == json::parse(R"({"rows":[
        {"channel":"telegram","messages":"\u22655","people":"\u22655"},
        {"channel":"whatsapp","messages":"<5","people":"<5"}],
        "total":{"messages":12,"people":7}})"));
    CHECK(contacts["by_intent"] == json::parse(R"({"rows":[
        {"intent":"center.info","messages":5,"people":5},
        {"intent":"feedback","messages":"<5","people":"<5"},
        {"intent":"guidance.residence_permit","messages":"<5","people":"<5"},
        {"intent":"none","messages":"<5","people":"<5"},
        {"intent":"thanks","messages":"<5","people":"<5"}],
        "total":{"messages":12,"people":7}})"));
}

TEST_CASE("the report's service, appointment and volunteer figures match the history exactly") {
    report_history h;
    make_report_history(h);
    const auto j = figures(json_report(h));
    CHECK(j["service"] == json::parse(R"({
        "unanswered":"<5","unanswered_share":null,"handovers":"<5",
        "unanswered_by_intent":{"rows":[{"intent":"none","messages":"<5"}],"total":{"messages":"<5"}},
        "unanswered_by_language":{"rows":[{"language":"en","messages":"<5"}],"total":{"messages":"<5"}},
        "unanswered_by_channel":{"rows":[{"channel":"whatsapp","messages":"<5"}],"total":{"messages":"<5"}},
        "helpfulness":{"rows":[{"topic":"center.info","yes":"<5","no":"<5"},
                               {"topic":"guidance.residence_permit","yes":"<5","no":"<5"}],
                       "total":{"yes":"<5","no":"<5"}}})"));
    // Eight bookings made in the period (booking 5 is booking 4 moved; booking 8 is older).
    CHECK(j["appointments"] == json::parse(R"({
        "booked":8,"cancelled":"<5","moved":"<5","no_shows":"<5","median_days":2.5,
        "by_topic":{"rows":[
            {"topic":"guidance.housing","booked":5,"cancelled":"<5","moved":"<5","no_shows":"<5"},
            {"topic":"guidance.residence_permit","booked":"<5","cancelled":"<5","moved":"<5","no_shows":"<5"},
            {"topic":"guidance.health","booked":"<5","cancelled":"<5","moved":"<5","no_shows":"<5"}],
            "total":{"booked":8,"cancelled":"<5","moved":"<5","no_shows":"<5"}},
        "by_language":{"rows":[
            {"language":"en","booked":"<5","cancelled":"<5","moved":"<5","no_shows":"<5"},
            {"language":"fi","booked":"<5","cancelled":"<5","moved":"<5","no_shows":"<5"},
            {"language":"ar","booked":"<5","cancelled":"<5","moved":"<5","no_shows":"<5"},
            {"language":"so","booked":"<5","cancelled":"<5","moved":"<5","no_shows":"<5"}],
            "total":{"booked":8,"cancelled":"<5","moved":"<5","no_shows":"<5"}},
        "interpreter_needs":{"rows":[{"language":"ar","bookings":"<5"},
                                     {"language":"so","bookings":"<5"}]}})"));
    CHECK(j["volunteers"] == json::parse(R"({
        "enrolled":6,"approved":5,"active":5,"active_aim":10,"shifts_offered":5,
        "shifts_filled":"<5","shifts_cancelled":"<5","volunteer_hours":9.5})"));
}

TEST_CASE("every count under 5 in the report is shown as <5") {
    report_history h;
    make_report_history(h);
    const auto j = json_report(h);
    std::function<void(const json&, const std::string&)> walk = [&](const json& v,
                                                                     const std::string& path) {
        if (v.is_object())
            for (const auto& [k, x] : v.items()) walk(x, path + "." + k);
        else if (v.is_array())
            for (const auto& x : v) walk(x, path + "[]");
        else if (v.is_number_integer() && path.find("threshold") == std::string::npos &&
                 path.find("active_aim") == std::string::npos) {
            INFO(path);
            CHECK(v.get<long long>() >= 5);
        }
    };
    walk(j, "");
    const auto csv = run_report(h, {"--from", "2025-01-06", "--to", "2025-02-09", "--format", "csv"});
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.find(",<5") != std::string::npos);
    for (const char* digit : {",0\r", ",1\r", ",2\r", ",3\r", ",4\r", ",0,", ",1,", ",2,", ",3,", ",4,"})
        CHECK(csv.out.find(digit) == std::string::npos);
}

TEST_CASE("the report labels its figures in the requested language") {
    report_history h;
    make_report_history(h);
    const auto fi = json_report(h);
    CHECK(fi["title"] == "Toimintaraportti");
    CHECK(fi["contacts"]["by_language"]["rows"][0]["label"] == "Englanti");
    CHECK(fi["contacts"]["by_week"]["rows"][0]["label"] == "vko 2/2025");
    const auto en = json_report(h, {"--lang", "en"});
    CHECK(en["title"] == "Activity report");
    CHECK(en["contacts"]["by_language"]["rows"][1]["label"] == "Finnish");
    CHECK(en["contacts"]["by_month"]["rows"][0]["label"] == "January 2025");
    CHECK(en["contacts"]["by_intent"]["rows"][3]["label"] == "Out of scope");
}

TEST_CASE("no report, log line or table but people holds an identifier from the history") {
    report_history h;
    make_report_history(h);
    std::vector<std::pair<std::string, std::string>> outputs;
    for (const char* format : {"json", "csv", "html"}) {
        const auto r = run_report(h, {"--from", "2025-01-06", "--to", "2025-02-09", "--format", format});
        REQUIRE(r.exit_code == 0);
        outputs.push_back({std::string("report ") + format, r.out + r.err});
    }
    {
        opas_process opas(h.dir.path(), test_config(h.dir.path(), h.api, R"("admin":{"token":"adm-1"})"));
        for (const char* format : {"json", "csv", "html"}) {
            const auto res = http_request(opas.port(), "GET",
                                          std::string("/admin/report?from=2025-01-06&to=2025-02-09&format=") + format,
                                          "", {{"Authorization", "Bearer adm-1"}});
            REQUIRE(res.status == 200);
            outputs.push_back({std::string("admin ") + format, res.body});
        }
        REQUIRE(opas.terminate() == 0);
    }
    outputs.push_back({"stderr.log", read_file(h.dir.path() + "/stderr.log")});
    outputs.push_back({"tables", all_tables_but_people(h.db_path())});
    REQUIRE(outputs.back().second.find("contact_log") != std::string::npos);
    for (const auto& [what, text] : outputs)
        for (const auto& id : history_identifiers()) {
            INFO(what << " contains " << id);
            CHECK(text.find(id) == std::string::npos);
        }
}

TEST_CASE("GET /admin/report answers each format with its content type") {
    report_history h;
    make_report_history(h);
    opas_process opas(h.dir.path(), test_config(h.dir.path(), h.api, R"("admin":{"token":"adm-1"})"));
    const std::map<std::string, std::string> auth = {{"Authorization", "Bearer adm-1"}};
    const auto j = http_request(opas.port(), "GET", "/admin/report?from=2025-01-06&to=2025-02-09", "", auth);
    REQUIRE(j.status == 200);
    const auto cli = json_report(h);
    CHECK(figures(json::parse(j.body)) == figures(cli));
    const auto csv = http_request(opas.port(), "GET",
                                  "/admin/report?from=2025-01-06&to=2025-02-09&format=csv&lang=en", "", auth);
    CHECK(csv.status == 200);
    CHECK(csv.body.rfind("Activity report,", 0) == 0);
    const auto html = http_request(opas.port(), "GET",
                                   "/admin/report?from=2025-01-06&to=2025-02-09&format=html", "", auth);
    CHECK(html.status == 200);
    CHECK(html.body.rfind("<!DOCTYPE html>", 0) == 0);
    const auto bad = http_request(opas.port(), "GET", "/admin/report?from=2025-02-10&to=2025-02-09", "", auth);
    CHECK(bad.status == 400);
    CHECK(json::parse(bad.body)["field"] == "to");
    CHECK(http_request(opas.port(), "GET", "/admin/report?from=2025-01-06&to=2025-02-09&format=pdf", "", auth)
              .status == 400);
    CHECK(http_request(opas.port(), "GET", "/admin/report?from=2025-01-06&to=2025-02-09").status == 401);
}

TEST_CASE("opas report rejects bad dates, formats and languages with exit 2 and one line") {
    temp_dir dir;
    std::ofstream(dir.path() + "/opas.json") << R"({"database":")" + dir.path() + R"(/opas.db"})";
    const std::vector<std::vector<std::string>> bad = {
        {"--from", "2025-13-01", "--to", "2025-12-31"},
        {"--from", "2025-02-30", "--to", "2025-03-31"},
        {"--from", "2025-03-02", "--to", "2025-03-01"},
        {"--from", "2025-01-01", "--to", "2025-03-31", "--format", "pdf"},
        {"--from", "2025-01-01", "--to", "2025-03-31", "--lang", "xx"},
        {"--to", "2025-03-31"},
    };
    for (const auto& args : bad) {
        std::vector<std::string> all = {"report", "--config", dir.path() + "/opas.json"};
        all.insert(all.end(), args.begin(), args.end());
        const auto r = run_opas(all);
        INFO(args[1] << " " << r.err);
        CHECK(r.exit_code == 2);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
}

TEST_CASE("opas report --out writes the file and says where") {
    report_history h;
    make_report_history(h);
    const std::string path = h.dir.path() + "/report.csv";
    const auto r = run_report(h, {"--from", "2025-01-06", "--to", "2025-02-09", "--format", "csv",
                                  "--out", path});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find(path) != std::string::npos);
    const auto text = read_file(path);
    CHECK(text.rfind("Toimintaraportti,", 0) == 0);
    CHECK(text.find("\r\n\r\n") != std::string::npos);  // blank line between tables
}

TEST_CASE("the HTML report renders in headless Chromium with its charts") {
    std::string chromium;
    for (const char* c : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
        if (access(c, X_OK) == 0) chromium = c;
    if (chromium.empty()) {
        WARN("chromium is not installed: HTML rendering not checked");
        return;
    }
    report_history h;
    make_report_history(h);
    const std::string html = h.dir.path() + "/report.html";
    REQUIRE(run_report(h, {"--from", "2025-01-06", "--to", "2025-02-09", "--format", "html", "--out",
                           html}).exit_code == 0);
    const std::string profile = h.dir.path() + "/chromium-profile";
    const std::string flags = " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                              " --disable-background-networking --disable-component-update"
                              " --disable-sync --user-data-dir=" + profile;
    const std::string dom_file = h.dir.path() + "/dom.html";
    const std::string shot = h.dir.path() + "/report.png";
    REQUIRE(std::system((chromium + flags + " --dump-dom file://" + html + " > " + dom_file +
                         " 2>/dev/null").c_str()) == 0);
    const std::string dom = read_file(dom_file);
    CHECK(dom.find("Toimintaraportti") != std::string::npos);
    CHECK(dom.find("<svg") != std::string::npos);
    CHECK(dom.find("chart-columns") != std::string::npos);
    CHECK(dom.find("chart-bars") != std::string::npos);
    CHECK(dom.find("chart-aim") != std::string::npos);
    REQUIRE(std::system((chromium + flags + " --window-size=794,1123 --screenshot=" + shot +
                         " file://" + html + " >/dev/null 2>&1").c_str()) == 0);
    CHECK(std::filesystem::exists(shot));
    CHECK(std::filesystem::file_size(shot) > 1000);
}
