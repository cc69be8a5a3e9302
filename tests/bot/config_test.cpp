// Configuration: defaults, unknown keys, validation, environment overrides.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "bot/config.hpp"
#include "tests/bot/config_file.hpp"

using namespace opas::bot;
using opas::bot::test::write_config;

TEST_CASE("an empty config object gives the contract's defaults") {
    const auto c = load_config(write_config("{}"), {});
    CHECK(c.listen_address == "127.0.0.1");
    CHECK(c.listen_port == 8080);
    CHECK(c.database == "var/opas.db");
    CHECK(c.default_language == "fi");
    CHECK(c.timezone == "Europe/Helsinki");
    CHECK(c.retention_days == 365);
    CHECK_FALSE(c.telegram.enabled());
    CHECK_FALSE(c.whatsapp.enabled());
    CHECK(c.languages.size() == 13);
}

TEST_CASE("an unknown key is an error that names it") {
    try {
        load_config(write_config(R"({"listen":{"prot":1}})"), {});
        FAIL("no error");
    } catch (const config_error& e) {
        CHECK(std::string(e.what()).find("listen.prot") != std::string::npos);
    }
}

TEST_CASE("a value of the wrong type or range names its key") {
    CHECK_THROWS_WITH(load_config(write_config(R"({"listen":{"port":"80"}})"), {}),
                      Catch::Contains("listen.port"));
    CHECK_THROWS_WITH(load_config(write_config(R"({"listen":{"port":70000}})"), {}),
                      Catch::Contains("listen.port"));
    CHECK_THROWS_WITH(load_config(write_config(R"({"default_language":"xx"})"), {}),
                      Catch::Contains("default_language"));
}

TEST_CASE("malformed JSON is a config error") {
    CHECK_THROWS_AS(load_config(write_config("{"), {}), config_error);
    CHECK_THROWS_AS(load_config(write_config("[]"), {}), config_error);
}

TEST_CASE("the environment wins over the file for secrets") {
    const auto path = write_config(R"({"telegram":{"bot_token":"1:file","secret_token":"file"}})");
    const auto c = load_config(path, {{"OPAS_TELEGRAM_BOT_TOKEN", "2:env"}});
    CHECK(c.telegram.bot_token == "2:env");
    CHECK(c.telegram.secret_token == "file");
}

TEST_CASE("a channel with a token but no webhook secret refuses to start") {
    CHECK_THROWS_WITH(load_config(write_config(R"({"telegram":{"bot_token":"1:x"}})"), {}),
                      Catch::Contains("telegram.secret_token"));
    CHECK_THROWS_WITH(load_config(write_config("{}"), {{"OPAS_WHATSAPP_PHONE_NUMBER_ID", "1"}}),
                      Catch::Contains("whatsapp."));
}

TEST_CASE("a Telegram secret outside A-Za-z0-9_- is refused") {
    CHECK_THROWS_WITH(
        load_config(write_config(R"({"telegram":{"bot_token":"1:x","secret_token":"a b"}})"), {}),
        Catch::Contains("telegram.secret_token"));
}
