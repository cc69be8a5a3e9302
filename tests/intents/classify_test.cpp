#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "intents/model.hpp"
#include "tests/intents/locale_fixture.hpp"

using opas::intents::model;
using opas::intents::testing::shared_model;

TEST_CASE("typical questions get their intent") {
    OPAS_REQUIRE_LANGUAGES("fi", "en", "ar", "ru", "zh");
    const auto& m = shared_model();
    CHECK(m.classify("hei", "fi").intent == "greeting");
    CHECK(m.classify("miten haen oleskelulupaa?", "fi").intent == "guidance.residence_permit");
    CHECK(m.classify("I want to book an appointment", "en").intent == "appointment.book");
    CHECK(m.classify("please delete my data", "en").intent == "privacy.forget");
    CHECK(m.classify("أريد حجز موعد", "ar").intent == "appointment.book");
    CHECK(m.classify("хочу стать волонтёром", "ru").intent == "volunteer.enrol");
    CHECK(m.classify("谢谢", "zh").intent == "thanks");
}

TEST_CASE("an emoji alone greets or thanks") {
    OPAS_REQUIRE_LANGUAGES("fi", "en", "ru");
    const auto& m = shared_model();
    for (const char* lang : {"fi", "en", "ru"}) {
        INFO(lang);
        CHECK(m.classify("👋", lang).intent == "greeting");
        CHECK(m.classify("🙏", lang).intent == "thanks");
        CHECK(m.classify("👍", lang).intent == "thanks");
    }
}

TEST_CASE("emergency needs a word people use in emergencies") {
    OPAS_REQUIRE_LANGUAGES("fi", "en", "es");
    const auto& m = shared_model();
    CHECK(m.classify("help, my friend is not breathing", "en").intent == "emergency");
    CHECK(m.classify("is the light in the hallway on?", "en").intent != "emergency");
    CHECK(m.classify("¿la luz del pasillo está encendida?", "es").intent != "emergency");
    CHECK(m.classify("kiitti, moikka nyt", "fi").intent != "emergency");
}

TEST_CASE("typos and inflection still find the intent") {
    OPAS_REQUIRE_LANGUAGES("fi", "en");
    const auto& m = shared_model();
    CHECK(m.classify("oleskeluluvan jatkaminen", "fi").intent == "guidance.residence_permit");
    CHECK(m.classify("i wnat to bok an apointment", "en").intent == "appointment.book");
}

TEST_CASE("Kela means social security in any language") {
    OPAS_REQUIRE_LANGUAGES("fi", "en", "ru", "ar", "so", "zh");
    const auto& m = shared_model();
    for (const char* lang : {"fi", "en", "ru", "ar", "so", "zh"}) {
        INFO(lang);
        CHECK(m.classify("Kela", lang).intent == "guidance.social_security");
    }
}

TEST_CASE("out-of-scope messages are none") {
    OPAS_REQUIRE_LANGUAGES("en", "fi");
    const auto& m = shared_model();
    CHECK(m.classify("who won the football match yesterday", "en").intent == "none");
    CHECK(m.classify("tell me a joke", "en").intent == "none");
    CHECK(m.classify("", "en").intent == "none");
    CHECK(m.classify("hei", "xx").intent == "none");  // not a loaded language
}

TEST_CASE("confidence is a probability") {
    OPAS_REQUIRE_LANGUAGES("en");
    const auto guess = shared_model().classify("I want to book an appointment", "en");
    CHECK(guess.confidence > 0.5);
    CHECK(guess.confidence <= 1.0);
    const auto p = shared_model().intent_probabilities("hello", "en");
    double sum = 0;
    for (const double x : p) sum += x;
    CHECK(sum == Approx(1.0).epsilon(1e-3));
}

TEST_CASE("a malformed intents.json fails the load with the file name") {
    const auto dir = std::filesystem::temp_directory_path() / "opas_intents_bad_locale";
    std::filesystem::create_directories(dir / "xx");
    std::ofstream(dir / "xx" / "intents.json") << R"({"greeting": ["hi", 3]})";
    CHECK_THROWS_WITH(model::load(dir.string(), {"xx"}),
                      Catch::Contains("xx/intents.json") && Catch::Contains("non-string"));
    std::ofstream(dir / "xx" / "intents.json") << R"({"weather": ["sunny?"]})";
    CHECK_THROWS_WITH(model::load(dir.string(), {"xx"}), Catch::Contains("unknown intent"));
    std::ofstream(dir / "xx" / "intents.json") << R"({"greeting": ["hi"])";
    CHECK_THROWS_WITH(model::load(dir.string(), {"xx"}), Catch::Contains("not valid JSON"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("a missing locale file fails the load with the file name") {
    CHECK_THROWS_WITH(model::load("/nonexistent/locales", {"fi"}),
                      Catch::Contains("/nonexistent/locales/fi/intents.json"));
}

TEST_CASE("classify can be called from several threads at once") {
    OPAS_REQUIRE_LANGUAGES("en");
    const auto& m = shared_model();
    const auto expected = m.classify("I want to book an appointment", "en").intent;
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                if (m.classify("I want to book an appointment", "en").intent != expected) ++wrong;
                (void)m.detect_language("I want to book an appointment");
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(wrong == 0);
}

TEST_CASE("a greeting in front of a request does not hide the request") {
    OPAS_REQUIRE_LANGUAGES("fr", "tr", "en");
    const auto& m = shared_model();
    CHECK(m.classify("bonjour, je cherche un logement", "fr").intent == "guidance.housing");
    CHECK(m.classify("merhaba, iş arıyorum", "tr").intent == "guidance.employment");
    CHECK(m.classify("hello, I need a doctor", "en").intent == "guidance.health");
    CHECK(m.classify("hello", "en").intent == "greeting");
}

TEST_CASE("short control words are never an emergency, in any loaded language") {
    // The bot lets "emergency" win in any state, so a "stop" or "no" typed inside a flow must
    // not be one (issue 3: "lopeta" and "ei" were).
    const auto& m = shared_model();
    const char* words[] = {"lopeta", "ei",     "stop",    "no",       "cancel", "menu", "peruuta",
                           "нет",    "لا",     "ні",      "nej",      "stopp",  "non",  "parar",
                           "hayır",  "dur",    "maya",    "jooji",    "不",     "停止", "نه",
                           "توقف",   "avbryt", "annuler", "cancelar", "iptal",  "ok",   "yes"};
    for (const auto& lang : m.languages()) {
        for (const char* word : words) {
            INFO(lang << ": " << word);
            CHECK(m.classify(word, lang).intent != "emergency");
        }
    }
}

TEST_CASE("clear emergencies are still emergencies") {
    OPAS_REQUIRE_LANGUAGES("fi", "en", "ar");
    const auto& m = shared_model();
    CHECK(m.classify("hätä", "fi").intent == "emergency");
    CHECK(m.classify("soita poliisi", "fi").intent == "emergency");
    CHECK(m.classify("lapsi ei hengitä", "fi").intent == "emergency");
    CHECK(m.classify("call the police", "en").intent == "emergency");
    CHECK(m.classify("my friend is unconscious", "en").intent == "emergency");
    CHECK(m.classify("اتصل بالشرطة", "ar").intent == "emergency");
}

TEST_CASE("two common words that together call for help are an emergency") {
    // "apua" and "nyt" are each in many intents; the pair is only in emergencies.
    OPAS_REQUIRE_LANGUAGES("fi", "en", "sv");
    const auto& m = shared_model();
    CHECK(m.classify("apua nyt", "fi").intent == "emergency");
    CHECK(m.classify("help now", "en").intent == "emergency");
    CHECK(m.classify("hjälp nu", "sv").intent == "emergency");
    CHECK(m.classify("kiitos nyt", "fi").intent != "emergency");
    CHECK(m.classify("help me with the form", "en").intent != "emergency");
    CHECK(m.classify("please help me", "en").intent != "emergency");
}
