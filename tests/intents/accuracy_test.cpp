// Cross-validated accuracy of language identification and intent classification on the
// examples of locales/<code>/intents.json: 5 stratified folds, each model trained on the other
// four folds only, every example scored exactly once by a model that never saw it.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "intents/model.hpp"
#include "intents/normalize.hpp"
#include "tests/intents/locale_fixture.hpp"

namespace {

using opas::intents::locale_text;
using opas::intents::model;
using opas::intents::testing::share;

constexpr int folds = 5;

struct tally {
    int examples = 0;
    int own = 0;  // examples not made only of Finnish words (see finnish_only)
    int own_right = 0;
    int hinted_right = 0;  // with the right platform hint
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

// Words of the Finnish examples: many locales list Finnish terms ("ajanvaraus", "Kela-kortti")
// as examples of what people type; no detector can call those anything but Finnish.
std::set<std::string> finnish_words(const std::vector<locale_text>& all) {
    std::set<std::string> out;
    for (const auto& locale : all) {
        if (locale.code != "fi") continue;
        for (const auto& [intent, texts] : locale.intents) {
            for (const auto& text : texts) {
                for (auto& w : opas::intents::words(opas::intents::fold(text))) out.insert(w);
            }
        }
    }
    return out;
}

bool finnish_only(const std::string& text, const std::set<std::string>& finnish) {
    const auto tokens = opas::intents::words(opas::intents::fold(text));
    for (const auto& w : tokens) {
        const bool digits = w.find_first_not_of("0123456789") == std::string::npos;
        if (!digits && !finnish.contains(w)) return false;
    }
    return true;
}

// Per intent over all languages: how many examples, how many right, and what the wrong ones
// became (the confusion pairs).
struct intent_tally {
    int examples = 0;
    int right = 0;
    std::map<std::string, int> became;

    void count(const std::string& intent, const std::string& got) {
        ++examples;
        right += got == intent;
        if (got != intent) ++became[got];
    }
};

struct cv_result {
    std::map<std::string, tally> by_language;
    std::map<std::string, intent_tally> by_intent;
    std::map<std::string, intent_tally> emergency_by_language;
};

cv_result cross_validate(const std::vector<locale_text>& all) {
    cv_result out;
    auto& result = out.by_language;
    // OPAS_CV_ERRORS=<file>: every wrongly classified example as "lang<TAB>intent<TAB>got<TAB>text".
    std::ofstream errors;
    if (const char* path = std::getenv("OPAS_CV_ERRORS")) errors.open(path);
    // OPAS_CV_LANGUAGE_ERRORS=<file>: every wrongly detected language as
    // "lang<TAB>detected<TAB>sure<TAB>text".
    std::ofstream language_errors;
    if (const char* path = std::getenv("OPAS_CV_LANGUAGE_ERRORS")) language_errors.open(path);
    const auto finnish = finnish_words(all);
    for (int fold = 0; fold < folds; ++fold) {
        const auto m = model::train(training_part(all, fold));
        for (const auto& locale : all) {
            auto& t = result[locale.code];
            for (const auto& [intent, texts] : locale.intents) {
                for (std::size_t i = 0; i < texts.size(); ++i) {
                    if (static_cast<int>(i % folds) != fold) continue;
                    ++t.examples;
                    const auto lang = m->detect_language(texts[i]);
                    if (lang.code != locale.code && language_errors) {
                        language_errors << locale.code << '\t' << lang.code << '\t'
                                        << lang.sure << '\t' << texts[i] << '\n';
                    }
                    t.language_right += lang.code == locale.code;
                    t.hinted_right += m->detect_language(texts[i], locale.code).code == locale.code;
                    if (locale.code == "fi" || !finnish_only(texts[i], finnish)) {
                        ++t.own;
                        t.own_right += lang.code == locale.code;
                    }
                    t.language_sure += lang.sure;
                    t.language_sure_wrong += lang.sure && lang.code != locale.code;
                    const auto got = m->classify(texts[i], locale.code).intent;
                    t.intent_right += got == intent;
                    out.by_intent[intent].count(intent, got);
                    if (intent == "emergency")
                        out.emergency_by_language[locale.code].count(intent, got);
                    if (got != intent && errors) {
                        errors << locale.code << '\t' << intent << '\t' << got << '\t' << texts[i]
                               << '\n';
                    }
                }
            }
        }
    }
    return out;
}

}  // namespace

TEST_CASE("cross-validated language and intent accuracy on the locale examples meet the floors") {
    const auto all = opas::intents::testing::available_locales();
    if (all.size() < 2) {
        WARN("fewer than two locales with intents.json: nothing to cross-validate");
        return;
    }
    const auto cv = cross_validate(all);
    const auto& result = cv.by_language;
    std::ostringstream report;
    char line[160];
    std::snprintf(line, sizeof line, "%-5s %8s %9s %9s %9s %8s %11s %9s\n", "lang", "examples",
                  "language", "own-lang", "hinted", "sure", "sure&wrong", "intent");
    report << "5-fold cross-validation on locales/*/intents.json\n" << line;
    tally total;
    for (const auto& [code, t] : result) {
        std::snprintf(line, sizeof line,
                      "%-5s %8d %8.1f%% %8.1f%% %8.1f%% %7.1f%% %10.2f%% %8.1f%%\n", code.c_str(),
                      t.examples, share(t.language_right, t.examples), share(t.own_right, t.own),
                      share(t.hinted_right, t.examples), share(t.language_sure, t.examples),
                      share(t.language_sure_wrong, t.examples), share(t.intent_right, t.examples));
        report << line;
        total.examples += t.examples;
        total.own += t.own;
        total.own_right += t.own_right;
        total.hinted_right += t.hinted_right;
        total.language_right += t.language_right;
        total.language_sure += t.language_sure;
        total.language_sure_wrong += t.language_sure_wrong;
        total.intent_right += t.intent_right;
    }
    std::snprintf(line, sizeof line, "%-5s %8d %8.1f%% %8.1f%% %8.1f%% %7.1f%% %10.2f%% %8.1f%%\n",
                  "all", total.examples, share(total.language_right, total.examples),
                  share(total.own_right, total.own), share(total.hinted_right, total.examples),
                  share(total.language_sure, total.examples),
                  share(total.language_sure_wrong, total.examples),
                  share(total.intent_right, total.examples));
    report << line;

    // Per-intent recall (all languages) and the most frequent confusions.
    report << "\nintent recall under cross-validation (all languages), top confusions\n";
    std::vector<std::pair<int, std::string>> pairs;
    for (const auto& [intent, it] : cv.by_intent) {
        std::snprintf(line, sizeof line, "%-28s %6d %6.1f%%  ", intent.c_str(), it.examples,
                      share(it.right, it.examples));
        report << line;
        std::vector<std::pair<int, std::string>> became;
        for (const auto& [got, n] : it.became) {
            became.emplace_back(n, got);
            pairs.emplace_back(n, intent + " -> " + got);
        }
        std::sort(became.rbegin(), became.rend());
        for (std::size_t k = 0; k < became.size() && k < 3; ++k) {
            report << became[k].second << ' ' << became[k].first << "  ";
        }
        report << '\n';
    }
    std::sort(pairs.rbegin(), pairs.rend());
    report << "\nmost frequent confusions (intent -> answer)\n";
    for (std::size_t k = 0; k < pairs.size() && k < 20; ++k) {
        std::snprintf(line, sizeof line, "%5d  %s\n", pairs[k].first, pairs[k].second.c_str());
        report << line;
    }
    report << "\nemergency recall per language (and how many became none)\n";
    for (const auto& [code, e] : cv.emergency_by_language) {
        const auto none = e.became.find("none");
        std::snprintf(line, sizeof line, "%-5s %4d %6.1f%%  none %d\n", code.c_str(), e.examples,
                      share(e.right, e.examples), none == e.became.end() ? 0 : none->second);
        report << line;
    }
    WARN(report.str());

    // Floors a little under the figures measured on 2026-11-24 (see the report above and
    // README, "Understanding messages": own-language 94.5-98.5 %, hinted 95.4-98.9 %, intent
    // 80-83 % per language). The targets on independent messages (language >= 97 %,
    // intent >= 90 %) are not reached on this data yet.
    for (const auto& [code, t] : result) {
        INFO("language " << code);
        CHECK(share(t.own_right, t.own) >= 93.0);
        CHECK(share(t.hinted_right, t.examples) >= 94.0);
        CHECK(share(t.language_sure_wrong, t.examples) <= 3.0);
        CHECK(share(t.intent_right, t.examples) >= 77.0);
    }
}
