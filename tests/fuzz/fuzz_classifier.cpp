// libFuzzer target: normalization, language identification and intent classification of one
// message with the model trained once from locales/ (every complete locale). The first byte
// picks the platform language hint.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "intents/entities.hpp"
#include "intents/locale_data.hpp"
#include "intents/model.hpp"
#include "intents/normalize.hpp"

namespace {

const opas::intents::model& the_model() {
    static const auto m = [] {
        opas::intents::model_options o;
        o.threads = 1;
        const std::string dir = OPAS_SOURCE_DIR "/locales";
        return opas::intents::model::load(dir, opas::intents::complete_locales(dir), o);
    }();
    return *m;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)the_model();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    using namespace opas::intents;
    const auto& m = the_model();
    const auto& langs = m.languages();
    const std::string hint = data[0] % 2 ? langs[data[0] % langs.size()] : std::string();
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

    const std::string n = normalize(text);
    (void)fold(text);
    (void)fold_normalized(n);
    (void)words(n);
    const auto guess = m.detect_language(text, hint);
    const auto intent = m.classify(text, guess.code);
    if (intent.confidence < 0 || intent.confidence > 1.0000001) __builtin_trap();
    const auto probabilities = m.intent_probabilities(text, langs[data[0] % langs.size()]);
    (void)probabilities;
    (void)extract_language(text, m, guess.code);
    return 0;
}
