#pragma once
// A known history for the report tests: seven people write through the Telegram and WhatsApp
// webhooks (the real `opas serve`), then the server stops and the test moves each contact
// record to a chosen hour (the contact log takes the server's clock) and adds bookings,
// volunteers and shifts with SQL (the booking and volunteer flows were not on main yet when
// these tests were written).
//
// The period is 2025-01-06 .. 2025-02-09 (ISO weeks 2..6) in Europe/Helsinki.

#include <string>
#include <vector>

#include "tests/loopback/harness.hpp"

namespace opas::testing {

struct report_history {
    temp_dir dir;
    fake_api api;
    std::string db_path() const { return dir.path() + "/opas.db"; }
    std::string config_path() const { return dir.path() + "/opas.json"; }
};

// Everything that identifies someone in the history: platform ids, phone numbers, names,
// WhatsApp message ids (they encode the phone number).
const std::vector<std::string>& history_identifiers();

// Drives the history and leaves the server stopped; the config stays in dir/opas.json.
// REQUIREs inside: call it from a TEST_CASE.
void make_report_history(report_history& h);

// Runs `opas report --config <dir>/opas.json` with extra arguments.
run_result run_report(const report_history& h, const std::vector<std::string>& args);

// Every row of every table except `people`, as text.
std::string all_tables_but_people(const std::string& db_path);

}  // namespace opas::testing
