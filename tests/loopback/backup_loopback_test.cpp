// `opas backup FILE` while `opas serve` takes traffic, and `opas restore FILE`.
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <thread>

#include "tests/loopback/harness.hpp"

using namespace opas::testing;

namespace {

int post_update(const opas_process& p, long long update_id, long long user_id) {
    return http_request(p.port(), "POST", "/webhooks/telegram",
                        telegram_text_update(update_id, user_id, "hello"), secret_header())
        .status;
}

std::string count(const std::string& db, const std::string& table) {
    const auto rows = sql_rows(db, "SELECT count(*) FROM " + table);
    return rows.empty() ? "?" : rows[0];
}

}  // namespace

TEST_CASE("a backup taken while the server takes traffic is whole and consistent") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api));
    for (int i = 1; i <= 20; ++i) REQUIRE(post_update(opas, i, 1000 + i) == 200);

    // More people write in while the backup runs.
    std::atomic<bool> stop{false};
    std::atomic<int> accepted{0};
    std::thread traffic([&] {
        for (int i = 21; i <= 400 && !stop; ++i)
            if (post_update(opas, i, 1000 + i) == 200) ++accepted;
    });
    const std::string file = dir.path() + "/backup.db";
    const auto r = run_opas({"backup", file, "--config", dir.path() + "/opas.json"});
    stop = true;
    traffic.join();

    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("backed up") != std::string::npos);
    CHECK(accepted > 0);
    CHECK(sql_rows(file, "PRAGMA integrity_check").at(0) == "ok");
    CHECK(sql_rows(file, "PRAGMA journal_mode").at(0) == "delete");
    CHECK_FALSE(std::filesystem::exists(file + "-wal"));
    CHECK_FALSE(std::filesystem::exists(file + ".tmp"));
    // Every update accepted before the backup started is in it; each turn is whole.
    CHECK(std::stoi(count(file, "people")) >= 20);
    CHECK(sql_rows(file, "SELECT count(*) FROM people WHERE id NOT IN (SELECT person_id FROM outbox)")
              .at(0) == "0");
    struct stat st {};
    REQUIRE(stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(opas.terminate() == 0);
}

TEST_CASE("restore refuses while the server has the database open") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api));
    REQUIRE(post_update(opas, 1, 77) == 200);
    const std::string file = dir.path() + "/backup.db";
    REQUIRE(run_opas({"backup", file, "--config", dir.path() + "/opas.json"}).exit_code == 0);
    const auto r = run_opas({"restore", file, "--config", dir.path() + "/opas.json"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("stop opas first") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(http_request(opas.port(), "GET", "/readyz").status == 200);
}

TEST_CASE("a restored backup brings back the data of its time and keeps the replaced one") {
    temp_dir dir;
    fake_api api;
    const std::string db = dir.path() + "/opas.db";
    const std::string config = dir.path() + "/opas.json";
    const std::string file = dir.path() + "/backup.db";
    {
        opas_process opas(dir.path(), test_config(dir.path(), api));
        REQUIRE(post_update(opas, 1, 4242) == 200);
        REQUIRE(run_opas({"backup", file, "--config", config}).exit_code == 0);
        REQUIRE(post_update(opas, 2, 5353) == 200);
        REQUIRE(opas.terminate() == 0);
    }
    REQUIRE(count(db, "people") == "2");

    const auto r = run_opas({"restore", file, "--config", config});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("kept the previous database as " + db + ".before-restore") != std::string::npos);
    CHECK(r.out.find("restored " + file) != std::string::npos);
    CHECK(sql_rows(db, "SELECT user_id FROM people") == std::vector<std::string>{"4242"});
    CHECK(count(db + ".before-restore", "people") == "2");
    CHECK(sql_rows(db, "PRAGMA integrity_check").at(0) == "ok");

    // The restored database serves again.
    opas_process again(dir.path(), test_config(dir.path(), api));
    CHECK(http_request(again.port(), "GET", "/readyz").status == 200);
    REQUIRE(post_update(again, 3, 6464) == 200);
    CHECK(count(db, "people") == "2");
}

TEST_CASE("restore refuses a file that is not an opas database") {
    temp_dir dir;
    const std::string config = dir.path() + "/opas.json";
    std::ofstream(config) << R"({"database": ")" + dir.path() + R"(/opas.db"})";
    REQUIRE(run_opas({"migrate", "--config", config}).exit_code == 0);

    std::ofstream(dir.path() + "/junk.db") << std::string(8192, 'x');
    auto r = run_opas({"restore", dir.path() + "/junk.db", "--config", config});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("is not an SQLite database") != std::string::npos);

    sqlite3* plain = nullptr;
    REQUIRE(sqlite3_open((dir.path() + "/plain.db").c_str(), &plain) == SQLITE_OK);
    REQUIRE(sqlite3_exec(plain, "CREATE TABLE notes (t TEXT)", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(plain);
    r = run_opas({"restore", dir.path() + "/plain.db", "--config", config});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("is not an opas database") != std::string::npos);

    r = run_opas({"restore", dir.path() + "/missing.db", "--config", config});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("there is no file") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.path() + "/opas.db.before-restore"));
}

TEST_CASE("backup without a database fails with one line") {
    temp_dir dir;
    const std::string config = dir.path() + "/opas.json";
    std::ofstream(config) << R"({"database": ")" + dir.path() + R"(/none.db"})";
    const auto r = run_opas({"backup", dir.path() + "/b.db", "--config", config});
    CHECK(r.exit_code == 1);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find("no database") != std::string::npos);
    CHECK(run_opas({"backup", "--config", config}).exit_code == 2);
}
