#pragma once
// Hashed text features for the intent classifier: word unigrams and bigrams, Snowball stems,
// and character n-grams inside word boundaries, so that typos and inflection still share most
// features with the training examples.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sb_stemmer;

namespace opas::intents {

// FNV-1a of `bytes`, started from `seed` (a feature-kind tag), folded to 32 bits (a few
// hundred thousand features per model: collisions are rare and harmless). Never returns 0.
std::uint32_t hash_bytes(std::string_view bytes, std::uint64_t seed);

// A Snowball stemmer for one language (libstemmer), or none when libstemmer lacks it.
// Not thread-safe; the model keeps one per workspace.
class stemmer {
public:
    explicit stemmer(std::string_view lang);  // "fi", "sv", "en", "ru", "fr", "es", "tr", "ar", ...
    ~stemmer();
    stemmer(const stemmer&) = delete;
    stemmer& operator=(const stemmer&) = delete;

    bool available() const { return handle_ != nullptr; }
    // The stem of one lower-case word; the word itself when no stemmer is available. Valid
    // until the next call.
    std::string_view stem(std::string_view word);

private:
    // Stems already made: a Snowball stem costs about 2,000 instructions, and most words of
    // the messages a centre gets are the same few hundred. Emptied when full.
    struct text_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>{}(s);
        }
    };
    static constexpr std::size_t remembered = 4096;
    std::unordered_map<std::string, std::string, text_hash, std::equal_to<>> stems_;
    sb_stemmer* handle_ = nullptr;
};

// Snowball algorithm name for a language code, empty when libstemmer has none for it.
std::string_view snowball_name(std::string_view lang);

// Whether a feature hash is a character n-gram (else a word, stem or word bigram).
inline bool is_ngram_feature(std::uint32_t h) { return (h & 1) != 0; }

// The whole-word feature of one folded word token (one of those intent_features() gives).
std::uint32_t word_feature_of(std::string_view token);
// The feature of two adjacent folded word tokens ("apua nyt").
std::uint32_t word_bigram_feature_of(std::string_view first, std::string_view second);

// Appends the sorted, de-duplicated feature hashes of folded word tokens to `out` (cleared
// first). `stems` may be null.
void intent_features(std::span<const std::string> tokens, stemmer* stems,
                     std::vector<std::uint32_t>& out);

}  // namespace opas::intents
