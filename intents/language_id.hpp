#pragma once
// Language identification of short chat messages: the writing system first (ICU script of
// each letter), then character n-gram and word models of the languages that use that script,
// combined with the platform's language hint as a prior.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace opas::intents {

class byte_writer;
class byte_reader;

struct language_guess {
    std::string code;       // a loaded language code; empty only when no language is loaded
    double confidence = 0;  // posterior probability of `code`
    bool sure = false;      // false: weak evidence, better ask the person
};

class language_identifier {
public:
    struct source {
        std::string code;
        std::vector<std::string_view> texts;  // normalize()d text written in this language
    };

    // Trains from all text of each language. Deterministic.
    static language_identifier train(std::span<const source> sources);

    language_identifier(language_identifier&&) noexcept;
    language_identifier& operator=(language_identifier&&) noexcept;
    ~language_identifier();

    const std::vector<std::string>& codes() const { return codes_; }

    // The trained identifier as bytes and back (the model cache); load() throws
    // std::runtime_error on data no save() wrote.
    void save(byte_writer& out) const;
    static language_identifier load(byte_reader& in);

    // `normalized` is normalize()d text; `hint` a BCP 47 tag ("ar-SA") or empty.
    language_guess detect(std::string_view normalized, std::string_view hint) const;

    // Whether a normalize()d word is an institution or other word shared by many languages
    // ("kela", "migri", "toimisto"), which says little about the language of the message.
    bool is_international(std::string_view word) const;

private:
    struct script_model;
    language_identifier();

    std::vector<std::string> codes_;
    std::vector<std::unique_ptr<script_model>> scripts_;
    std::vector<std::uint32_t> international_;  // sorted hashes of folded words
};

}  // namespace opas::intents
