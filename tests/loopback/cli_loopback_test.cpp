// The command line as operators use it: help, config errors, classify, chat, migrate.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/loopback/harness.hpp"

using namespace opas::testing;

TEST_CASE("every command answers --help with exit 0") {
    for (const char* cmd : {"serve", "chat", "classify", "report", "migrate"}) {
        const auto r = run_opas({cmd, "--help"});
        CHECK(r.exit_code == 0);
        CHECK(r.out.find(std::string("opas ") + cmd) != std::string::npos);
    }
    CHECK(run_opas({"locales", "check", "--help"}).exit_code == 0);
    CHECK(run_opas({"--help"}).exit_code == 0);
}

TEST_CASE("a bad argument prints one line and exits 2") {
    const auto r = run_opas({"serve", "--bogus", "1"});
    CHECK(r.exit_code == 2);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(run_opas({"frobnicate"}).exit_code == 2);
    CHECK(run_opas({"chat", "--lang"}).exit_code == 2);
}

TEST_CASE("a missing config file exits 2") {
    const auto r = run_opas({"serve", "--config", "/nonexistent.json"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("/nonexistent.json") != std::string::npos);
}

TEST_CASE("an unknown config key is named and exits 2") {
    temp_dir dir;
    std::ofstream(dir.path() + "/c.json") << R"({"telegram":{"bot_tokn":"x"}})";
    const auto r = run_opas({"migrate", "--config", dir.path() + "/c.json"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("telegram.bot_tokn") != std::string::npos);
}

TEST_CASE("a Telegram token without its secret refuses to start") {
    temp_dir dir;
    std::ofstream(dir.path() + "/c.json") << R"({"telegram":{"bot_token":"1:x"}, "database":")" + dir.path() + R"(/x.db"})";
    const auto r = run_opas({"serve", "--config", dir.path() + "/c.json"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("telegram.secret_token") != std::string::npos);
    const auto env = run_opas({"serve", "--config", dir.path() + "/c.json"}, "",
                              {{"OPAS_WHATSAPP_PHONE_NUMBER_ID", "1"}});
    CHECK(env.exit_code == 2);
}

TEST_CASE("classify prints one JSON object per input line") {
    const auto r = run_opas({"classify"}, "hei\nI want to book an appointment\nأريد حجز موعد\n");
    REQUIRE(r.exit_code == 0);
    std::istringstream lines(r.out);
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
        const auto j = nlohmann::json::parse(line);
        CHECK(j.contains("text"));
        CHECK(j.contains("lang"));
        CHECK(j.contains("intent"));
        CHECK(j.contains("confidence"));
        ++n;
    }
    CHECK(n == 3);
}

TEST_CASE("chat answers piped lines and a number picks a choice") {
    temp_dir dir;
    std::ofstream(dir.path() + "/c.json") << R"({"database":")" + dir.path() + R"(/chat.db"})";
    const auto r = run_opas({"chat", "--config", dir.path() + "/c.json", "--lang", "en"},
                            "hello\n1\n");
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("1. ") != std::string::npos);
    CHECK(r.out.find("Choose a topic") != std::string::npos);
}

TEST_CASE("migrate creates the schema and says its version") {
    temp_dir dir;
    std::ofstream(dir.path() + "/c.json") << R"({"database":")" + dir.path() + R"(/m.db"})";
    const auto r = run_opas({"migrate", "--config", dir.path() + "/c.json"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("schema version") != std::string::npos);
    CHECK(sql_rows(dir.path() + "/m.db", "PRAGMA journal_mode").at(0) == "wal");
}
