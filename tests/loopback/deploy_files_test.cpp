// The example configs of deploy/ are valid for the real binary and stay complete.
// (The container, nginx and systemd files are checked by deploy/check-*.sh, run by CTest.)
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "tests/loopback/harness.hpp"

using namespace opas::testing;
using json = nlohmann::json;

namespace {

std::string source_file(const std::string& relative) {
    return read_file(std::string(OPAS_SOURCE_DIR) + "/" + relative);
}

// The config with its paths moved into `dir`, written there; returns the file name.
std::string localized(const std::string& example, const temp_dir& dir) {
    auto c = json::parse(source_file(example));
    c["database"] = dir.path() + "/var/opas.db";
    c["locales_dir"] = std::string(OPAS_SOURCE_DIR) + "/locales";
    const std::string path = dir.path() + "/opas.json";
    std::ofstream(path) << c.dump(2);
    return path;
}

// Every key that bot/config.cpp accepts ("listen.port", "telegram.max_attempts", ...).
std::set<std::string> known_config_keys() {
    const std::string code = source_file("bot/config.cpp");
    std::set<std::string> keys;
    const std::regex plain(R"re(k\["([a-z_.]+)"\])re");
    for (std::sregex_iterator it(code.begin(), code.end(), plain), end; it != end; ++it)
        keys.insert((*it)[1]);
    std::set<std::string> limit_names;
    const std::regex limit(R"re(keys\[prefix \+ "\.([a-z_]+)"\])re");
    for (std::sregex_iterator it(code.begin(), code.end(), limit), end; it != end; ++it)
        limit_names.insert((*it)[1]);
    const std::regex with_limits(R"re(add_limits\(k, "([a-z_]+)")re");
    for (std::sregex_iterator it(code.begin(), code.end(), with_limits), end; it != end; ++it)
        for (const auto& name : limit_names) keys.insert((*it)[1].str() + "." + name);
    return keys;
}

// The keys that are secrets: they come from /etc/opas/secrets.env, not from the JSON file.
std::map<std::string, std::string> secret_keys() {
    return {{"telegram.bot_token", "OPAS_TELEGRAM_BOT_TOKEN"},
            {"telegram.secret_token", "OPAS_TELEGRAM_SECRET_TOKEN"},
            {"whatsapp.phone_number_id", "OPAS_WHATSAPP_PHONE_NUMBER_ID"},
            {"whatsapp.access_token", "OPAS_WHATSAPP_ACCESS_TOKEN"},
            {"whatsapp.app_secret", "OPAS_WHATSAPP_APP_SECRET"},
            {"whatsapp.verify_token", "OPAS_WHATSAPP_VERIFY_TOKEN"},
            {"privacy.pseudonym_key", "OPAS_PSEUDONYM_KEY"},
            {"admin.token", "OPAS_ADMIN_TOKEN"}};
}

bool has_path(const json& doc, const std::string& dotted) {
    const json* node = &doc;
    std::stringstream parts(dotted);
    std::string part;
    while (std::getline(parts, part, '.')) {
        if (!node->is_object() || !node->contains(part)) return false;
        node = &(*node)[part];
    }
    return true;
}

}  // namespace

TEST_CASE("the example config passes opas migrate") {
    temp_dir dir;
    const auto r = run_opas({"migrate", "--config", localized("deploy/opas.example.json", dir)});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("is at schema version") != std::string::npos);
}

TEST_CASE("the container config passes opas migrate") {
    temp_dir dir;
    const auto r = run_opas({"migrate", "--config", localized("deploy/opas.container.json", dir)});
    INFO(r.err);
    CHECK(r.exit_code == 0);
}

TEST_CASE("the example config names every key that is not a secret") {
    const auto example = json::parse(source_file("deploy/opas.example.json"));
    const auto keys = known_config_keys();
    REQUIRE(keys.count("listen.port") == 1);
    REQUIRE(keys.count("telegram.max_attempts") == 1);
    const auto secrets = secret_keys();
    for (const auto& key : keys) {
        INFO("config key " << key << " is missing in deploy/opas.example.json");
        if (secrets.count(key)) {
            CHECK_FALSE(has_path(example, key));
        } else {
            CHECK(has_path(example, key));
        }
    }
}

TEST_CASE("the secrets file example names every secret's environment variable") {
    const std::string env_example = source_file("deploy/secrets.env.example");
    const std::string code = source_file("bot/config.cpp");
    for (const auto& [key, variable] : secret_keys()) {
        INFO(variable);
        CHECK(code.find("\"" + variable + "\"") != std::string::npos);
        CHECK(env_example.find("\n" + variable + "=\n") != std::string::npos);
    }
}
