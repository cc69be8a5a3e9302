#include "intents/model.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <exception>
#include <functional>
#include <iterator>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "intents/classifier.hpp"
#include "intents/features.hpp"
#include "intents/normalize.hpp"

namespace opas::intents {
namespace {

// A word used in the examples of at least this many languages, nearly always for one intent,
// teaches that intent to every language ("kela" -> guidance.social_security).
constexpr std::size_t bridge_min_languages = 3;
constexpr double bridge_min_purity = 0.8;

int intent_index(std::string_view name) {
    const auto names = intent_taxonomy();
    const auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

bool is_latin_word(std::string_view word) {
    return word.size() >= 3 && std::all_of(word.begin(), word.end(), [](char ch) {
               return (ch >= 'a' && ch <= 'z') || ch == '-';
           });
}

// Sentences of a topic text, split at . ! ? ; : and line breaks (also their CJK and Arabic
// forms).
std::vector<std::string> sentences(const std::string& text) {
    std::vector<std::string> out;
    std::string current;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        const std::string_view rest = std::string_view(text).substr(i);
        std::size_t mark = 0;  // bytes of a multi-byte full stop at i
        for (const std::string_view stop : {"。", "！", "？", "；", "؟", "؛"}) {
            if (rest.starts_with(stop)) mark = stop.size();
        }
        const bool cjk_stop = mark > 0;
        if (cjk_stop) i += mark - 1;
        const bool stop =
            ch == '!' || ch == '?' || ch == ';' || ch == '\n' ||
            ((ch == '.' || ch == ':') && (i + 1 == text.size() || text[i + 1] == ' '));
        if (stop || cjk_stop) {
            if (!current.empty()) out.push_back(std::move(current));
            current.clear();
            continue;
        }
        current.push_back(ch);
    }
    if (!current.empty()) out.push_back(std::move(current));
    return out;
}

// Runs f(0..tasks-1) on up to `threads` threads (the caller's included); rethrows the first
// exception of a task.
void run_parallel(std::size_t tasks, unsigned threads, const std::function<void(std::size_t)>& f) {
    std::atomic<std::size_t> next{0};
    std::mutex error_mutex;
    std::exception_ptr error;  // guarded by error_mutex
    auto work = [&] {
        for (std::size_t task = next++; task < tasks; task = next++) {
            try {
                f(task);
            } catch (...) {
                const std::lock_guard lock(error_mutex);
                if (!error) error = std::current_exception();
            }
        }
    };
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < std::min<std::size_t>(threads, tasks); ++t) pool.emplace_back(work);
    work();
    pool.clear();  // joins
    if (error) std::rethrow_exception(error);
}

// The ICU script of most letters of `texts`.
int dominant_script(const std::vector<std::string>& texts) {
    std::unordered_map<int, std::size_t> letters;
    for (const auto& text : texts) {
        const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
        const auto length = static_cast<int32_t>(text.size());
        for (int32_t i = 0; i < length;) {
            UChar32 c = 0;
            U8_NEXT(bytes, i, length, c);
            if (!u_isalpha(c)) continue;
            UErrorCode ec = U_ZERO_ERROR;
            ++letters[static_cast<int>(uscript_getScript(c, &ec))];
        }
    }
    int best = 0;
    std::size_t most = 0;
    for (const auto& [script, n] : letters) {
        if (n > most || (n == most && script < best)) {
            most = n;
            best = script;
        }
    }
    return best;
}

// Latin words used in the examples of at least bridge_min_languages languages, nearly always
// for one intent (not none), with that intent; sorted. `latin_words[l]` holds (word, intent) of
// each example of language l.
std::vector<std::pair<std::string, int>> bridge_words(
    std::vector<std::vector<std::pair<std::string, int>>> latin_words) {
    struct word_use {
        std::uint64_t languages = 0;  // bit per language
        std::array<std::uint16_t, 32> by_intent{};
    };
    std::unordered_map<std::string, word_use> shared;
    for (std::size_t l = 0; l < latin_words.size(); ++l) {
        for (const auto& [word, label] : latin_words[l]) {
            auto& use = shared[word];
            use.languages |= std::uint64_t{1} << (l % 64);
            auto& n = use.by_intent[static_cast<std::size_t>(label)];
            if (n < 0xFFFF) ++n;
        }
        latin_words[l] = {};
    }
    const int none_label = intent_index("none");
    std::vector<std::pair<std::string, int>> bridges;
    for (const auto& [word, use] : shared) {
        if (static_cast<std::size_t>(std::popcount(use.languages)) < bridge_min_languages) continue;
        const auto top = std::max_element(use.by_intent.begin(), use.by_intent.end());
        const int total = std::accumulate(use.by_intent.begin(), use.by_intent.end(), 0);
        const auto label = static_cast<int>(top - use.by_intent.begin());
        if (label != none_label && *top >= bridge_min_purity * total)
            bridges.emplace_back(word, label);
    }
    std::sort(bridges.begin(), bridges.end());  // deterministic order
    return bridges;
}

unsigned thread_count(const model_options& options) {
    if (options.threads > 0) return static_cast<unsigned>(options.threads);
    return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

struct model::workspace {
    explicit workspace(const std::vector<std::string>& codes) {
        for (const auto& code : codes) stemmers.push_back(std::make_unique<stemmer>(code));
    }
    word_breaker breaker;
    std::vector<std::unique_ptr<stemmer>> stemmers;  // per language, in codes_ order
    std::vector<std::string> tokens;
    std::vector<std::uint32_t> features;
    std::vector<float> probabilities;
};

// Borrows a workspace from the pool for one call and gives it back afterwards.
class model::workspace_lease {
public:
    explicit workspace_lease(const model& m) : model_(m) {
        {
            const std::lock_guard lock(m.pool_mutex_);
            if (!m.pool_.empty()) {
                ws_ = std::move(m.pool_.back());
                m.pool_.pop_back();
            }
        }
        if (!ws_) ws_ = std::make_unique<workspace>(m.codes_);
    }
    ~workspace_lease() {
        const std::lock_guard lock(model_.pool_mutex_);
        model_.pool_.push_back(std::move(ws_));
    }
    workspace_lease(const workspace_lease&) = delete;
    workspace_lease& operator=(const workspace_lease&) = delete;
    workspace& operator*() { return *ws_; }

private:
    const model& model_;
    std::unique_ptr<workspace> ws_;
};

model::model() = default;
model::~model() = default;

std::vector<locale_text> model::read_locales(const std::string& locales_dir,
                                             const std::vector<std::string>& languages,
                                             const model_options& options) {
    std::vector<locale_text> locales(languages.size());
    run_parallel(languages.size(), thread_count(options),
                 [&](std::size_t l) { locales[l] = read_locale(locales_dir, languages[l]); });
    return locales;
}

std::unique_ptr<model::language_model> model::language_of(locale_text& locale, std::size_t index,
                                                        std::size_t group) {
    auto lm = std::make_unique<language_model>();
    lm->code = locale.code;
    lm->index = index;
    lm->group = group;
    lm->entities = std::move(locale.entities);
    lm->endonym = locale.endonym;
    return lm;
}

std::unique_ptr<model> model::load(const std::string& locales_dir,
                                   const std::vector<std::string>& languages,
                                   const model_options& options) {
    return train(read_locales(locales_dir, languages, options), options);
}

std::unique_ptr<model> model::train(std::vector<locale_text> locales,
                                    const model_options& options) {
    std::unique_ptr<model> m(new model());
    m->options_ = options;
    for (const auto& locale : locales) m->codes_.push_back(locale.code);
    const std::size_t count = locales.size();
    const unsigned threads = thread_count(options);

    // 1. Normalized text and features of every example, per language.
    std::vector<training_set> examples(count);
    std::vector<std::vector<std::string>> normalized(count);  // all text, for language id
    std::vector<std::vector<std::pair<std::string, int>>> latin_words(count);  // (word, label)
    run_parallel(count, threads, [&](std::size_t l) {
        word_breaker breaker;
        stemmer stems(locales[l].code);
        std::vector<std::string> tokens;
        std::vector<std::uint32_t> features;
        // Room for everything up front: growing big vectors copies them to fresh pages, and
        // page faults are a large part of start-up. Untouched reserve costs nothing.
        std::size_t text_count = locales[l].other_texts.size();
        std::size_t bytes = 0;
        for (const auto& [intent, list] : locales[l].intents) {
            text_count += list.size();
            for (const auto& text : list) bytes += text.size();
        }
        for (const auto& [intent, text] : locales[l].topics) bytes += text.size();
        normalized[l].reserve(text_count);
        examples[l].features.reserve(bytes * 4);
        examples[l].offset.reserve(text_count);
        examples[l].labels.reserve(text_count);
        for (const auto& [intent, texts] : locales[l].intents) {
            const int label = intent_index(intent);
            if (label < 0) continue;  // read_locale() rejects these already
            for (const auto& text : texts) {
                normalized[l].push_back(normalize(text));
                tokens.clear();
                breaker.split(fold_normalized(normalized[l].back()), tokens);
                append_pictographs(normalized[l].back(), tokens);
                intent_features(tokens, &stems, features);
                examples[l].add(features, label);
                std::sort(tokens.begin(), tokens.end());
                tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
                for (auto& token : tokens) {
                    if (is_latin_word(token)) latin_words[l].emplace_back(std::move(token), label);
                }
            }
        }
        for (const auto& text : locales[l].other_texts) normalized[l].push_back(normalize(text));
        for (const auto& [intent, text] : locales[l].topics) {  // weak examples: sentences
            const int label = intent_index(intent);
            for (const auto& sentence : sentences(fold(text))) {
                tokens.clear();
                breaker.split(sentence, tokens);
                if (tokens.size() < 2) continue;
                intent_features(tokens, &stems, features);
                examples[l].add(features, label);
            }
        }
        locales[l].intents = {};  // all kept in normalized[l] and examples[l]
        locales[l].other_texts = {};
        locales[l].topics = {};
    });

    // 2. Bridge words: a Latin word used for one intent in several languages teaches that
    //    intent to every language ("kela" -> guidance.social_security).
    const auto bridges = bridge_words(std::move(latin_words));

    // 3. One classifier per script group, and the language identifier, in parallel.
    training_options training;
    training.epochs = options.epochs;
    training.final_epochs = options.final_epochs;
    training.learning_rate = options.learning_rate;
    training.decay = options.decay;
    training.min_feature_count = options.min_feature_count;
    const int classes = static_cast<int>(intent_taxonomy().size());
    m->languages_.resize(count);
    // Languages written in the same script share one classifier, so that a word used by
    // several of them ("kela", "migri", cognates) teaches the intent to all of them.
    std::vector<int> group_of(count, 0);
    std::vector<int> group_scripts;
    for (std::size_t l = 0; l < count; ++l) {
        const int script = dominant_script(normalized[l]);
        auto it = std::find(group_scripts.begin(), group_scripts.end(), script);
        if (it == group_scripts.end()) it = group_scripts.insert(group_scripts.end(), script);
        group_of[l] = static_cast<int>(it - group_scripts.begin());
    }
    const std::size_t group_count = group_scripts.size();
    m->groups_.resize(group_count);
    std::vector<std::vector<training_set>> grouped(group_count);  // parts: languages, bridges
    std::vector<std::size_t> group_size(group_count, 0);          // feature uses
    for (std::size_t l = 0; l < count; ++l) {
        const auto group = static_cast<std::size_t>(group_of[l]);
        auto& parts = grouped[group];
        group_size[group] += examples[l].features.size();
        parts.push_back(std::move(examples[l]));
        if (parts.size() > 1) continue;
        training_set bridge_examples;  // bridge words once per group
        stemmer stems(locales[l].code);
        std::vector<std::uint32_t> features;
        for (const auto& [word, label] : bridges) {
            const std::string token[] = {word};
            intent_features(token, &stems, features);
            bridge_examples.add(features, label);
        }
        parts.push_back(std::move(bridge_examples));
    }
    for (std::size_t l = 0; l < count; ++l) {
        m->languages_[l] = language_of(locales[l], l, static_cast<std::size_t>(group_of[l]));
    }
    // Tasks: the groups, biggest first, and the language identifier second: on few threads the
    // longest task must start first. `group_count` stands for the language identifier.
    std::vector<std::size_t> tasks(group_count);
    std::iota(tasks.begin(), tasks.end(), std::size_t{0});
    std::stable_sort(tasks.begin(), tasks.end(),
                     [&](std::size_t a, std::size_t b) { return group_size[a] > group_size[b]; });
    tasks.insert(tasks.begin() + std::min<std::ptrdiff_t>(1, std::ssize(tasks)), group_count);
    run_parallel(tasks.size(), threads, [&](std::size_t t) {
        const std::size_t task = tasks[t];
        if (task < group_count) {
            m->groups_[task] = std::make_unique<linear_classifier>(
                linear_classifier::train(grouped[task], classes, training));
            grouped[task] = {};
            return;
        }
        std::vector<language_identifier::source> sources(count);
        for (std::size_t l = 0; l < count; ++l) {
            sources[l].code = locales[l].code;
            sources[l].texts.assign(normalized[l].begin(), normalized[l].end());
        }
        m->identifier_ = std::make_unique<language_identifier>(language_identifier::train(sources));
        normalized = {};
    });
    return m;
}

const std::vector<std::string>& model::languages() const { return codes_; }

const model::language_model* model::find(std::string_view lang) const {
    for (const auto& lm : languages_) {
        if (lm->code == lang) return lm.get();
    }
    return nullptr;
}

language_guess model::detect_language(std::string_view text, std::string_view hint) const {
    return identifier_->detect(normalize(text), hint);
}

float* model::scores_of(std::string_view text, const language_model& lm, workspace& ws) const {
    ws.tokens.clear();
    const auto folded = fold(text);
    ws.breaker.split(folded, ws.tokens);
    append_pictographs(folded, ws.tokens);
    return score_tokens(lm, ws);
}

float* model::score_tokens(const language_model& lm, workspace& ws) const {
    intent_features(ws.tokens, ws.stemmers[lm.index].get(), ws.features);
    ws.probabilities.resize(static_cast<std::size_t>(groups_[lm.group]->classes()));
    groups_[lm.group]->predict(ws.features, ws.probabilities);
    if (options_.none_odds != 1.0) {
        auto& none = ws.probabilities[static_cast<std::size_t>(intent_index("none"))];
        const float scaled = none * static_cast<float>(options_.none_odds);
        const float rest = 1.0f - none;
        none = scaled / (scaled + rest);
        for (auto& p : ws.probabilities) {
            if (&p != &none) p = p / (scaled + rest);
        }
    }
    return ws.probabilities.data();
}

bool model::strip_courtesy(const language_model& lm, workspace& ws) const {
    const auto greeting = static_cast<std::size_t>(intent_index("greeting"));
    const auto thanks = static_cast<std::size_t>(intent_index("thanks"));
    std::vector<float> p(static_cast<std::size_t>(groups_[lm.group]->classes()));
    std::size_t courtesy = 0;  // leading tokens that alone are a greeting or thanks
    for (; courtesy + 1 < ws.tokens.size(); ++courtesy) {
        const std::string alone[] = {ws.tokens[courtesy]};
        intent_features(alone, ws.stemmers[lm.index].get(), ws.features);
        groups_[lm.group]->predict(ws.features, p);
        const auto top = static_cast<std::size_t>(std::max_element(p.begin(), p.end()) - p.begin());
        if (top != greeting && top != thanks) break;
    }
    ws.tokens.erase(ws.tokens.begin(), ws.tokens.begin() + static_cast<std::ptrdiff_t>(courtesy));
    return courtesy > 0;
}

std::vector<double> model::intent_probabilities(std::string_view text,
                                                std::string_view lang) const {
    const auto* lm = find(lang);
    std::vector<double> out(intent_taxonomy().size(), 0.0);
    if (!lm) return out;
    workspace_lease lease(*this);
    const float* p = scores_of(text, *lm, *lease);
    std::copy(p, p + out.size(), out.begin());
    return out;
}

bool model::clear_emergency(const language_model& lm, const workspace& ws, double p) const {
    if (p < options_.emergency_min_confidence) return false;
    const int most_intents = ws.tokens.size() > options_.short_words
                                 ? options_.long_specific_intents
                                 : options_.specific_intents;
    const auto emergency = std::uint32_t{1} << intent_index("emergency");
    const auto specific = [&](std::uint32_t feature, int most) {
        const auto intents = groups_[lm.group]->classes_of(feature);
        return (intents & emergency) != 0 && std::popcount(intents) <= most;
    };
    // In a short message, also two adjacent words: "apua" and "nyt" are each in many
    // intents, "apua nyt" is not. (In longer ones, pairs such as "help me" let requests like
    // "please help me" or "help me with the form" through.)
    const bool short_message = ws.tokens.size() <= options_.short_words;
    for (std::size_t i = 0; i < ws.tokens.size(); ++i) {
        if (specific(word_feature_of(ws.tokens[i]), most_intents)) return true;
        if (short_message && i + 1 < ws.tokens.size() &&
            specific(word_bigram_feature_of(ws.tokens[i], ws.tokens[i + 1]), most_intents))
            return true;
    }
    return false;
}

intent_guess model::classify(std::string_view text, std::string_view lang) const {
    const auto* lm = find(lang);
    const auto none = intent_taxonomy()[static_cast<std::size_t>(intent_index("none"))];
    if (!lm) return {std::string(none), 0.0};
    workspace_lease lease(*this);
    auto& ws = *lease;
    scores_of(text, *lm, ws);
    if (ws.features.empty()) return {std::string(none), 1.0};
    auto guess = decide(*lm, ws);
    // A greeting or thanks in front of a request ("merhaba, iş arıyorum") can outweigh it:
    // then the leading words that are courtesy on their own are left out and the rest is
    // classified.
    if ((guess.intent == "greeting" || guess.intent == "thanks") && strip_courtesy(*lm, ws)) {
        score_tokens(*lm, ws);
        auto request = decide(*lm, ws);
        if (request.intent != none && request.intent != "greeting" && request.intent != "thanks" &&
            request.confidence >= options_.courtesy_request_confidence)
            return request;
    }
    return guess;
}

intent_guess model::decide(const language_model& lm, const workspace& ws) const {
    const auto names = intent_taxonomy();
    const auto none = static_cast<std::size_t>(intent_index("none"));
    const float* p = ws.probabilities.data();
    const auto greeting = static_cast<std::size_t>(intent_index("greeting"));
    const auto thanks = static_cast<std::size_t>(intent_index("thanks"));
    std::size_t best = 0;
    std::size_t best_in_scope = none == 0 ? 1 : 0;
    std::size_t best_request = none;  // best intent other than none, greeting and thanks
    for (std::size_t c = 0; c < names.size(); ++c) {
        if (p[c] > p[best]) best = c;
        if (c != none && p[c] > p[best_in_scope]) best_in_scope = c;
        if (c != none && c != greeting && c != thanks &&
            (best_request == none || p[c] > p[best_request])) {
            best_request = c;
        }
    }
    // A greeting or thanks around a request ("hei, tarvitsen apua kela-asiassa") must not hide
    // the request: then the request's probability is taken given that the message is more than
    // courtesy.
    double confidence = p[best];
    if ((best == greeting || best == thanks) && best_request != none &&
        p[best_request] >= options_.min_request_confidence) {
        best = best_request;
        confidence = p[best] / std::max(1e-6, 1.0 - p[greeting] - p[thanks]);
    }
    const bool unclear_emergency = best == static_cast<std::size_t>(intent_index("emergency")) &&
                                   !clear_emergency(lm, ws, confidence);
    if (best == none || confidence < options_.min_confidence || unclear_emergency) {
        return {std::string(names[none]), 1.0 - p[best_in_scope]};
    }
    return {std::string(names[best]), confidence};
}

const entity_words& model::words_for(std::string_view lang) const {
    const auto* lm = find(lang);
    return lm ? lm->entities : no_words_;
}

std::string_view model::endonym(std::string_view lang) const {
    const auto* lm = find(lang);
    return lm ? std::string_view(lm->endonym) : std::string_view();
}

}  // namespace opas::intents
