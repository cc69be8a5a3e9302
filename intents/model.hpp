#pragma once
// The trained understanding of the supported languages: language identification, intent
// classification, and the entity words per language. Built once at start-up from locales/.

#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "intents/entities.hpp"
#include "intents/language_id.hpp"
#include "intents/locale_data.hpp"

namespace opas::intents {

class linear_classifier;

struct intent_guess {
    std::string intent;  // a name from the taxonomy; "none" when out of scope
    double confidence = 0;
};

// Tunables of the intent decision; the defaults were chosen by cross-validation on the
// locale examples (tests/intents/accuracy_test.cpp prints the figures).
struct model_options {
    double min_confidence = 0.3;          // below this the answer is "none"
    double min_request_confidence = 0.3;  // a request this likely beats a greeting or thanks
    // The rest of a message after leading courtesy words ("merhaba, ...") is taken as a request
    // when classified this surely.
    double courtesy_request_confidence = 0.9;
    double none_odds = 1.0;  // the "none" probability is multiplied by this, then renormalized
    // "emergency" wins over every flow in the bot, so it needs this much probability and a
    // word used in emergency examples and in at most `specific_intents` intents in all ("ei",
    // "no", "stop" are in every kind), or in at most `long_specific_intents` in a message of
    // more than `short_words` words. Without such a word, n-grams and common words alone
    // decided ("¿está la luz encendida?"); requiring one in longer messages (and allowing 6
    // intents in short ones, was 3) cut false emergencies from 264 to 221 in the
    // cross-validation and from 184 to 126 on ha-intents, for 0.4 points of emergency recall
    // (medians of 5 shuffle seeds).
    double emergency_min_confidence = 0.4;
    std::size_t short_words = 2;
    int specific_intents = 6;
    int long_specific_intents = 13;
    // SGD passes over the examples before calibration, then over all examples; the rate
    // decays as learning_rate / (1 + decay * pass). One pass before calibration and three
    // after, with a slower decay, generalize better than two and two (median of 10 shuffle
    // seeds: +0.4 points of cross-validated intent accuracy) for the same training time.
    int epochs = 1;
    int final_epochs = 3;
    float learning_rate = 5.0f;
    float decay = 0.1f;
    unsigned min_feature_count = 1;  // character n-grams seen in fewer examples get no weight
    int threads = 0;                 // training threads; 0 = one per core
};

class model {  // immutable after load; all const methods are thread-safe
public:
    // Loads locales/<code>/{intents,messages,topics,entities}.json for each code and trains.
    // Throws std::runtime_error("locales/xx/intents.json: <what is wrong>") on bad data.
    static std::unique_ptr<model> load(const std::string& locales_dir,
                                       const std::vector<std::string>& languages,
                                       const model_options& options = {});

    // Loads like load(), but keeps what training computes (the classifiers and the language
    // identifier) in a file in `cache_dir` (created when missing), named by a fingerprint of
    // the examples, the options and `build_key` (anything that changes whenever the training
    // code does, e.g. the executable's size and time). The next start with the same data and
    // build reads that file instead of training: tests start hundreds of processes. A missing
    // or damaged file is trained anew and replaced; a cache that cannot be written is skipped.
    static std::unique_ptr<model> load_cached(const std::string& locales_dir,
                                              const std::vector<std::string>& languages,
                                              const std::string& cache_dir,
                                              std::string_view build_key,
                                              const model_options& options = {});

    // Trains from locale data already in memory (tests: cross-validation folds).
    static std::unique_ptr<model> train(std::vector<locale_text> locales,
                                        const model_options& options = {});

    ~model();
    model(const model&) = delete;
    model& operator=(const model&) = delete;

    const std::vector<std::string>& languages() const;

    // Language of a short chat message among the loaded languages. `hint` is the platform's
    // language tag (e.g. "ar-SA", "fi"), may be empty: a tie-breaker, never overriding clear
    // evidence.
    language_guess detect_language(std::string_view text, std::string_view hint = {}) const;

    // Intent of the text, given its language (a loaded code; another code gives "none").
    intent_guess classify(std::string_view text, std::string_view lang) const;

    // Probabilities of every taxonomy intent (order of intent_taxonomy()) for the text.
    std::vector<double> intent_probabilities(std::string_view text, std::string_view lang) const;

    // Entity words of a loaded language (empty words for another code).
    const entity_words& words_for(std::string_view lang) const;

    // The language's own name (messages.json "language.name"), empty when unknown.
    std::string_view endonym(std::string_view lang) const;

private:
    struct language_model {
        std::string code;
        std::size_t index = 0;  // in codes_
        std::size_t group = 0;  // its classifier in groups_
        entity_words entities;
        std::string endonym;
    };
    struct workspace;
    class workspace_lease;

    model();
    static std::vector<locale_text> read_locales(const std::string& locales_dir,
                                                 const std::vector<std::string>& languages,
                                                 const model_options& options);
    // The model cache (intents/model_cache.cpp): what training computed, as bytes, and a model
    // from those bytes and the locales' other data; the latter throws std::runtime_error on
    // bytes that do not fit, before it takes anything from `locales`.
    std::string trained_bytes(std::string_view fingerprint) const;
    // A language's entry; takes the locale's entity words.
    static std::unique_ptr<language_model> language_of(locale_text& locale, std::size_t index,
                                                       std::size_t group);
    static std::unique_ptr<model> from_trained(std::vector<locale_text>& locales,
                                               const model_options& options,
                                               std::string_view bytes,
                                               std::string_view fingerprint);
    const language_model* find(std::string_view lang) const;
    float* scores_of(std::string_view text, const language_model& lm, workspace& ws) const;
    float* score_tokens(const language_model& lm, workspace& ws) const;        // of ws.tokens
    intent_guess decide(const language_model& lm, const workspace& ws) const;  // from ws's scores
    // Drops the leading tokens that alone are a greeting or thanks, never the last one; true
    // when some were.
    bool strip_courtesy(const language_model& lm, workspace& ws) const;
    bool clear_emergency(const language_model& lm, const workspace& ws, double p) const;

    model_options options_;
    std::vector<std::string> codes_;
    std::vector<std::unique_ptr<language_model>> languages_;
    std::unique_ptr<language_identifier> identifier_;
    // Classifiers shared by the languages of one writing system, trained on their examples
    // together.
    std::vector<std::unique_ptr<linear_classifier>> groups_;
    entity_words no_words_;

    // Scratch objects (ICU break iterators, stemmers, buffers) reused across calls so the hot
    // path allocates little; `pool_mutex_` guards `pool_`.
    mutable std::mutex pool_mutex_;
    mutable std::vector<std::unique_ptr<workspace>> pool_;
};

}  // namespace opas::intents
