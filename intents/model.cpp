#include "intents/model.hpp"

#include "intents/classifier.hpp"
#include "intents/features.hpp"
#include "intents/normalize.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_map>

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

}  // namespace

struct model::language_model {
    std::string code;
    std::size_t index = 0;  // in codes_
    linear_classifier classifier;
    entity_words entities;
    std::string endonym;
};

struct model::workspace {
    explicit workspace(const std::vector<std::string>& codes) {
        for (const auto& code : codes) stemmers.push_back(std::make_unique<stemmer>(code));
    }
    word_breaker breaker;
    std::vector<std::unique_ptr<stemmer>> stemmers;  // per language, in codes_ order
    std::vector<std::string> tokens;
    std::vector<std::uint64_t> features;
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

std::unique_ptr<model> model::load(const std::string& locales_dir,
                                   const std::vector<std::string>& languages,
                                   const model_options& options) {
    std::vector<locale_text> locales;
    locales.reserve(languages.size());
    for (const auto& code : languages) locales.push_back(read_locale(locales_dir, code));
    return train(std::move(locales), options);
}

std::unique_ptr<model> model::train(std::vector<locale_text> locales,
                                    const model_options& options) {
    std::unique_ptr<model> m(new model());
    m->options_ = options;
    for (const auto& locale : locales) m->codes_.push_back(locale.code);
    workspace ws(m->codes_);

    // Features of every example, per language.
    std::vector<std::vector<training_example>> examples(locales.size());
    // word -> (languages using it, examples per intent) for the bridge words.
    std::map<std::string, std::pair<std::set<std::size_t>, std::map<int, int>>> shared;
    for (std::size_t l = 0; l < locales.size(); ++l) {
        for (const auto& [intent, texts] : locales[l].intents) {
            const int label = intent_index(intent);
            if (label < 0) continue;  // read_locale() rejects these already
            for (const auto& text : texts) {
                ws.tokens.clear();
                ws.breaker.split(fold(text), ws.tokens);
                training_example example;
                intent_features(ws.tokens, ws.stemmers[l].get(), example.features);
                example.label = label;
                examples[l].push_back(std::move(example));
                for (const auto& token : std::set<std::string>(ws.tokens.begin(), ws.tokens.end())) {
                    if (!is_latin_word(token)) continue;
                    auto& [langs, by_intent] = shared[token];
                    langs.insert(l);
                    ++by_intent[label];
                }
            }
        }
    }
    const int none_label = intent_index("none");
    std::vector<std::pair<std::string, int>> bridges;
    for (const auto& [word, use] : shared) {
        const auto& [langs, by_intent] = use;
        if (langs.size() < bridge_min_languages) continue;
        int total = 0;
        auto top = by_intent.begin();
        for (auto it = by_intent.begin(); it != by_intent.end(); ++it) {
            total += it->second;
            if (it->second > top->second) top = it;
        }
        if (top->first != none_label && top->second >= bridge_min_purity * total) {
            bridges.emplace_back(word, top->first);
        }
    }
    for (std::size_t l = 0; l < locales.size(); ++l) {
        for (const auto& [word, label] : bridges) {
            training_example example;
            const std::string token[] = {word};
            intent_features(token, ws.stemmers[l].get(), example.features);
            example.label = label;
            examples[l].push_back(std::move(example));
        }
    }

    training_options training;
    training.epochs = options.epochs;
    const int classes = static_cast<int>(intent_taxonomy().size());
    for (std::size_t l = 0; l < locales.size(); ++l) {
        auto lm = std::make_unique<language_model>();
        lm->code = locales[l].code;
        lm->index = l;
        lm->classifier = linear_classifier::train(examples[l], classes, training);
        lm->entities = std::move(locales[l].entities);
        lm->endonym = locales[l].endonym;
        m->languages_.push_back(std::move(lm));
    }

    std::vector<language_identifier::source> sources(locales.size());
    for (std::size_t l = 0; l < locales.size(); ++l) {
        sources[l].code = locales[l].code;
        for (const auto& [intent, texts] : locales[l].intents) {
            sources[l].texts.insert(sources[l].texts.end(), texts.begin(), texts.end());
        }
        sources[l].texts.insert(sources[l].texts.end(), locales[l].other_texts.begin(),
                                locales[l].other_texts.end());
    }
    m->identifier_ = std::make_unique<language_identifier>(language_identifier::train(sources));
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
    ws.breaker.split(fold(text), ws.tokens);
    intent_features(ws.tokens, ws.stemmers[lm.index].get(), ws.features);
    ws.probabilities.resize(static_cast<std::size_t>(lm.classifier.classes()));
    lm.classifier.predict(ws.features, ws.probabilities);
    return ws.probabilities.data();
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

intent_guess model::classify(std::string_view text, std::string_view lang) const {
    const auto* lm = find(lang);
    const auto names = intent_taxonomy();
    const auto none = static_cast<std::size_t>(intent_index("none"));
    if (!lm) return {std::string(names[none]), 0.0};
    workspace_lease lease(*this);
    const float* p = scores_of(text, *lm, *lease);
    if ((*lease).features.empty()) return {std::string(names[none]), 1.0};
    std::size_t best = 0;
    std::size_t best_in_scope = none == 0 ? 1 : 0;
    for (std::size_t c = 0; c < names.size(); ++c) {
        if (p[c] > p[best]) best = c;
        if (c != none && p[c] > p[best_in_scope]) best_in_scope = c;
    }
    if (best == none || p[best] < options_.min_confidence) {
        return {std::string(names[none]), 1.0 - p[best_in_scope]};
    }
    return {std::string(names[best]), p[best]};
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
