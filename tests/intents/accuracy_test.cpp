// Cross-validated accuracy of language identification and intent classification on the
// examples of locales/<code>/intents.json: 5 stratified folds, each model trained on the other
// four folds only, every example scored exactly once by a model that never saw it.

#include "intents/model.hpp"
#include "tests/intents/locale_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <map>
#include <sstream>

namespace {

using opas::intents::locale_text;
using opas::intents::model;

constexpr int folds = 5;

struct tally {
    int examples = 0;
    int language_right = 0;
    int language_sure = 0;
    int language_sure_wrong = 0;
    int intent_right = 0;
};

// Fold of each example: its position within its intent, modulo `folds`.
std::vector<locale_text> training_part(const std::vector<locale_text>& all, int fold) {
    std::vector<locale_text> out = all;
    for (auto& locale : out) {
        for (auto& [intent, texts] : locale.intents) {
            std::vector<std::string> kept;
            for (std::size_t i = 0; i < texts.size(); ++i) {
                if (static_cast<int>(i % folds) != fold) kept.push_back(texts[i]);
            }
            texts = std::move(kept);
        }
    }
    return out;
}

std::map<std::string, tally> cross_validate(const std::vector<locale_text>& all) {
    std::map<std::string, tally> result;
    for (int fold = 0; fold < folds; ++fold) {
        const auto m = model::train(training_part(all, fold));
        for (const auto& locale : all) {
            auto& t = result[locale.code];
            for (const auto& [intent, texts] : locale.intents) {
                for (std::size_t i = 0; i < texts.size(); ++i) {
                    if (static_cast<int>(i % folds) != fold) continue;
                    ++t.examples;
                    const auto lang = m->detect_language(texts[i]);
                    t.language_right += lang.code == locale.code;
                    t.language_sure += lang.sure;
                    t.language_sure_wrong += lang.sure && lang.code != locale.code;
                    t.intent_right += m->classify(texts[i], locale.code).intent == intent;
                }
            }
        }
    }
    return result;
}

double share(int part, int whole) { return whole == 0 ? 0 : 100.0 * part / whole; }

}  // namespace

TEST_CASE("cross-validated language and intent accuracy on the locale examples meet the floors") {
    const auto all = opas::intents::testing::available_locales();
    if (all.size() < 2) {
        WARN("fewer than two locales with intents.json: nothing to cross-validate");
        return;
    }
    const auto result = cross_validate(all);
    std::ostringstream report;
    char line[160];
    std::snprintf(line, sizeof line, "%-5s %8s %9s %8s %12s %9s\n", "lang", "examples",
                  "language", "sure", "sure&wrong", "intent");
    report << "5-fold cross-validation on locales/*/intents.json\n" << line;
    tally total;
    for (const auto& [code, t] : result) {
        std::snprintf(line, sizeof line, "%-5s %8d %8.1f%% %7.1f%% %11.2f%% %8.1f%%\n",
                      code.c_str(), t.examples, share(t.language_right, t.examples),
                      share(t.language_sure, t.examples), share(t.language_sure_wrong, t.examples),
                      share(t.intent_right, t.examples));
        report << line;
        total.examples += t.examples;
        total.language_right += t.language_right;
        total.language_sure += t.language_sure;
        total.language_sure_wrong += t.language_sure_wrong;
        total.intent_right += t.intent_right;
    }
    std::snprintf(line, sizeof line, "%-5s %8d %8.1f%% %7.1f%% %11.2f%% %8.1f%%\n", "all",
                  total.examples, share(total.language_right, total.examples),
                  share(total.language_sure, total.examples),
                  share(total.language_sure_wrong, total.examples),
                  share(total.intent_right, total.examples));
    report << line;
    WARN(report.str());

    for (const auto& [code, t] : result) {
        INFO("language " << code);
        CHECK(share(t.language_right, t.examples) >= 95.0);
        CHECK(share(t.language_sure_wrong, t.examples) <= 1.0);
        CHECK(share(t.intent_right, t.examples) >= 80.0);
    }
}
