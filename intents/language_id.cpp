#include "intents/language_id.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <unordered_map>

#include "intents/bytes.hpp"
#include "intents/classifier.hpp"
#include "intents/features.hpp"
#include "intents/normalize.hpp"

namespace opas::intents {
namespace {

constexpr int max_order = 4;  // character n-grams 1..4 of " word "
constexpr std::array<float, max_order + 1> order_weight = {2.0f, 0.3f, 0.6f, 1.0f, 1.0f};
constexpr float smoothing = 0.5f;       // additive smoothing of counts
constexpr double evidence_scale = 8.0;  // n-gram log-likelihoods are correlated
constexpr double hint_prior = 4.0;      // odds given to the hinted language
constexpr double sure_posterior = 0.9;
constexpr int han_letter_weight = 4;  // in the script majority vote
// A language joins the model of a second script when at least this many letters and one
// twentieth of its letters (institution names aside) are written in it.
constexpr long min_script_letters = 2000;
constexpr long script_share_divisor = 20;
// Odds of a language in its second script against the languages whose own script it is: Latin
// text is far more often French or Somali than Persian typed in Latin letters.
constexpr float secondary_prior = 0.25f;
constexpr std::uint64_t tag_word = 0x51ED270B27D4EB2Dull;

// Finnish institution and service words that show up inside messages in any language.
constexpr std::array<std::string_view, 44> institution_words = {"kela",
                                                                "migri",
                                                                "dvv",
                                                                "vero",
                                                                "omavero",
                                                                "omakela",
                                                                "te",
                                                                "toimisto",
                                                                "te-toimisto",
                                                                "tetoimisto",
                                                                "neuvola",
                                                                "terveysasema",
                                                                "terveyskeskus",
                                                                "oleskelulupa",
                                                                "henkilötunnus",
                                                                "henkilotunnus",
                                                                "kansalaisopisto",
                                                                "työmarkkinatori",
                                                                "tyomarkkinatori",
                                                                "maistraatti",
                                                                "posti",
                                                                "poliisi",
                                                                "hus",
                                                                "hsl",
                                                                "enterfinland",
                                                                "enter",
                                                                "finland",
                                                                "kela-kortti",
                                                                "kelakortti",
                                                                "kotoutumiskoulutus",
                                                                "työkkäri",
                                                                "tyokkari",
                                                                "sote",
                                                                "hyvinvointialue",
                                                                "mieli",
                                                                "riku",
                                                                "nollalinja",
                                                                "opintopolku",
                                                                "oph",
                                                                "apteekki",
                                                                "infofinland",
                                                                "suomi.fi",
                                                                "omakanta",
                                                                "vastaanottokeskus"};

struct letter_token {
    std::string_view text;
    UScriptCode script = USCRIPT_COMMON;
    int letters = 0;
};

struct detect_scratch {
    std::vector<letter_token> tokens;
    std::vector<char> international;  // per token: an institution's name, not a word
    std::string padded;
    std::vector<int32_t> offsets;
};

UScriptCode script_group(UChar32 c) {
    UErrorCode ec = U_ZERO_ERROR;
    const UScriptCode s = uscript_getScript(c, &ec);
    if (s == USCRIPT_HIRAGANA || s == USCRIPT_KATAKANA) return USCRIPT_HAN;
    return s;
}

// What letter_tokens asks of a code point. ASCII (most texts, and every Latin word's
// letters in part) is answered without ICU's property lookups: the same answers, a tenth of
// the instructions.
struct letter_class {
    bool mark = false;   // a combining mark, part of the letter before it
    bool alpha = false;  // a letter
    UScriptCode script = USCRIPT_COMMON;  // of a letter
};

letter_class classify_letter(UChar32 c) {
    if (c >= 0 && c < 0x80) {
        const bool alpha = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
        return {false, alpha, alpha ? USCRIPT_LATIN : USCRIPT_COMMON};
    }
    const auto category = u_charType(c);
    const bool alpha = u_isalpha(c);
    return {category == U_NON_SPACING_MARK || category == U_COMBINING_SPACING_MARK, alpha,
            alpha ? script_group(c) : USCRIPT_COMMON};
}

bool next_is_latin_letter(const uint8_t* bytes, int32_t i, int32_t length) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    const letter_class k = classify_letter(c);
    return k.alpha && k.script == USCRIPT_LATIN;
}

// Runs of letters (and the marks inside them) of one script.
void letter_tokens(std::string_view text, std::vector<letter_token>& out) {
    out.clear();
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(text.size());
    letter_token current;
    int32_t begin = -1;
    auto close = [&](int32_t end) {
        if (begin >= 0 && current.letters > 0) {
            current.text =
                text.substr(static_cast<size_t>(begin), static_cast<size_t>(end - begin));
            out.push_back(current);
        }
        begin = -1;
        current = {};
    };
    for (int32_t i = 0; i < length;) {
        const int32_t at = i;
        UChar32 c = 0;
        U8_NEXT(bytes, i, length, c);
        const letter_class k = classify_letter(c);
        if (k.mark && begin >= 0) continue;
        // Arabic typed in Latin letters writes sounds with digits ("a7jez", "3nwan"): a digit
        // touching a Latin letter is a letter of that word.
        const bool digit = c >= '0' && c <= '9';
        if (digit && ((begin >= 0 && current.script == USCRIPT_LATIN) ||
                      (i < length && next_is_latin_letter(bytes, i, length)))) {
            if (begin < 0) {
                begin = at;
                current.script = USCRIPT_LATIN;
            }
            ++current.letters;
            continue;
        }
        if (!k.alpha) {
            close(at);
            continue;
        }
        const UScriptCode script = k.script;
        if (begin >= 0 && script != current.script) close(at);
        if (begin < 0) {
            begin = at;
            current.script = script;
        }
        ++current.letters;
    }
    close(length);
}

// Calls f(hash, order) for every feature of one word: n-grams of " word " and the word.
template <class F>
void for_each_gram(std::string_view word, std::string& padded, std::vector<int32_t>& offsets,
                   F&& f) {
    padded.assign(1, ' ').append(word).append(1, ' ');
    offsets.clear();
    const auto* bytes = reinterpret_cast<const uint8_t*>(padded.data());
    const auto length = static_cast<int32_t>(padded.size());
    for (int32_t i = 0; i < length;) {
        offsets.push_back(i);
        U8_FWD_1(bytes, i, length);
    }
    offsets.push_back(length);
    const int points = static_cast<int>(offsets.size()) - 1;
    for (int n = 1; n <= max_order; ++n) {
        for (int s = 0; s + n <= points; ++s) {
            if (n == 1 && (s == 0 || s == points - 1)) continue;  // a lone space says nothing
            const auto from = static_cast<size_t>(offsets[s]);
            const auto to = static_cast<size_t>(offsets[s + n]);
            f(hash_bytes(std::string_view(padded).substr(from, to - from),
                         static_cast<std::uint64_t>(n)),
              n);
        }
    }
    f(hash_bytes(word, tag_word), 0);
}

// "ar-SA" -> "ar", "ZH_hans" -> "zh".
std::string primary_subtag(std::string_view tag) {
    const auto cut = tag.find_first_of("-_");
    std::string out(cut == std::string_view::npos ? tag : tag.substr(0, cut));
    for (char& ch : out) {
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    return out;
}

}  // namespace

// The n-gram statistics of the languages that share one script.
struct language_identifier::script_model {
    UScriptCode script = USCRIPT_COMMON;
    std::vector<std::size_t> langs;  // indices into codes_
    std::vector<float> prior;        // per k: 1, or secondary_prior for a second script
    feature_table table;
    std::vector<float> log_prob;                           // row * langs.size() + k
    std::array<std::vector<float>, max_order + 1> unseen;  // per order, per k
};

language_identifier::language_identifier() = default;
language_identifier::language_identifier(language_identifier&&) noexcept = default;
language_identifier& language_identifier::operator=(language_identifier&&) noexcept = default;
language_identifier::~language_identifier() = default;

void language_identifier::save(byte_writer& out) const {
    out.pod<std::uint64_t>(codes_.size());
    for (const auto& code : codes_) out.str(code);
    out.pod<std::uint64_t>(scripts_.size());
    for (const auto& m : scripts_) {
        out.pod<std::int32_t>(m->script);
        out.vec(std::vector<std::uint64_t>(m->langs.begin(), m->langs.end()));
        out.vec(m->prior);
        m->table.save(out);
        out.vec(m->log_prob);
        for (const auto& u : m->unseen) out.vec(u);
    }
    out.vec(international_);
}

language_identifier language_identifier::load(byte_reader& in) {
    language_identifier id;
    id.codes_.resize(in.count(8));
    for (auto& code : id.codes_) code = in.str();
    id.scripts_.resize(in.count(8));
    for (auto& m : id.scripts_) {
        m = std::make_unique<script_model>();
        m->script = static_cast<UScriptCode>(in.pod<std::int32_t>());
        std::vector<std::uint64_t> langs;
        in.vec(langs);
        for (const auto l : langs) {
            if (l >= id.codes_.size()) byte_reader::fail();
            m->langs.push_back(static_cast<std::size_t>(l));
        }
        in.vec(m->prior);
        if (m->prior.size() != langs.size()) byte_reader::fail();
        m->table.load(in);
        in.vec(m->log_prob);
        for (auto& u : m->unseen) {
            in.vec(u);
            if (u.size() != langs.size()) byte_reader::fail();
        }
        if (m->log_prob.size() != m->table.size() * langs.size()) byte_reader::fail();
    }
    in.vec(id.international_);
    if (!std::is_sorted(id.international_.begin(), id.international_.end())) byte_reader::fail();
    return id;
}

bool language_identifier::is_international(std::string_view word) const {
    return std::binary_search(international_.begin(), international_.end(),
                              hash_bytes(word, tag_word));
}

namespace {

// One word of a language's training text: how often it occurs, its script and its letters.
struct word_count {
    int count = 0;
    UScriptCode script = USCRIPT_COMMON;
    int letters = 0;
};

// The scripts a language is written in: the one most of its letters are in, and another one
// when a good share of its text uses it (Persian and Arabic typed in Latin letters: "salam,
// kela pul nadad"). Institution names ("kela" inside Arabic text) do not count.
std::vector<UScriptCode> scripts_of(const language_identifier& id,
                                    const std::unordered_map<std::string, word_count>& words) {
    std::unordered_map<int, long> letters;
    long total = 0;
    for (const auto& [word, c] : words) {
        if (id.is_international(word)) continue;
        letters[c.script] += static_cast<long>(c.count) * c.letters;
        total += static_cast<long>(c.count) * c.letters;
    }
    std::vector<std::pair<long, int>> ranked;  // (letters, script), most letters first
    for (const auto& [script, count] : letters) ranked.emplace_back(count, script);
    std::sort(ranked.begin(), ranked.end(), std::greater<>());
    std::vector<UScriptCode> out;
    for (const auto& [count, script] : ranked) {
        if (out.empty() || (count >= min_script_letters && count * script_share_divisor >= total))
            out.push_back(static_cast<UScriptCode>(script));
    }
    if (out.empty()) out.push_back(USCRIPT_LATIN);
    return out;
}

}  // namespace

language_identifier language_identifier::train(std::span<const source> sources) {
    language_identifier id;
    const std::size_t n = sources.size();
    // 1. Word counts per language (normalized, plus the folded spelling as typed without
    //    diacritics), with the script and length of each word.
    std::vector<std::unordered_map<std::string, word_count>> counts(n);
    std::unordered_map<std::uint32_t, std::size_t> languages_using;  // word hash -> #languages
    std::vector<letter_token> tokens;
    for (std::size_t l = 0; l < n; ++l) {
        id.codes_.push_back(sources[l].code);
        for (const auto text : sources[l].texts) {
            letter_tokens(text, tokens);
            for (const auto& t : tokens) {
                auto& c = counts[l][std::string(t.text)];
                ++c.count;
                c.script = t.script;
                c.letters = t.letters;
            }
        }
        std::vector<std::pair<std::string, word_count>> folded;
        for (const auto& [word, c] : counts[l]) {
            ++languages_using[hash_bytes(word, tag_word)];
            const bool ascii = std::all_of(word.begin(), word.end(), [](char ch) {
                return static_cast<unsigned char>(ch) < 0x80;
            });
            if (ascii) continue;
            auto f = fold_normalized(word);
            if (f != word) folded.emplace_back(std::move(f), c);
        }
        for (auto& [word, c] : folded) {
            auto& to = counts[l][word];
            c.count += to.count;  // same script and length as the spelling it folds
            to = c;
        }
    }
    // 2. Words used by many languages are international.
    const std::size_t many = std::max<std::size_t>(3, (n + 2) / 3);
    for (const auto& [hash, languages] : languages_using) {
        if (languages >= many) id.international_.push_back(hash);
    }
    for (const auto word : institution_words)
        id.international_.push_back(hash_bytes(word, tag_word));
    std::sort(id.international_.begin(), id.international_.end());

    // 3. One n-gram model per script, over the languages written in it (scripts_of).
    std::string padded;
    std::vector<int32_t> offsets;
    for (std::size_t l = 0; l < n; ++l) {
        const auto scripts = scripts_of(id, counts[l]);
        for (const auto script : scripts) {
            auto it = std::find_if(id.scripts_.begin(), id.scripts_.end(),
                                   [&](const auto& m) { return m->script == script; });
            if (it == id.scripts_.end()) {
                id.scripts_.push_back(std::make_unique<script_model>());
                id.scripts_.back()->script = script;
                it = std::prev(id.scripts_.end());
            }
            (*it)->langs.push_back(l);
            (*it)->prior.push_back(script == scripts.front() ? 1.0f : secondary_prior);
        }
    }
    for (auto& model : id.scripts_) {
        const std::size_t k_count = model->langs.size();
        std::vector<float> row_counts;  // row * k_count + k
        std::vector<std::uint8_t> row_order;
        std::vector<std::array<double, max_order + 1>> totals(k_count);
        for (std::size_t k = 0; k < k_count; ++k) {
            totals[k].fill(0);
            for (const auto& entry : counts[model->langs[k]]) {  // no structured binding:
                const auto& word = entry.first;                   // clang-14 cannot capture one
                if (entry.second.script != model->script) continue;
                const auto count = entry.second.count;
                for_each_gram(word, padded, offsets, [&](std::uint32_t h, int order) {
                    const auto row = static_cast<std::size_t>(model->table.insert(h));
                    if (row == row_order.size()) {
                        row_counts.resize(row_counts.size() + k_count, 0.0f);
                        row_order.push_back(static_cast<std::uint8_t>(order));
                    }
                    row_counts[row * k_count + k] += static_cast<float>(count);
                    totals[k][static_cast<std::size_t>(order)] += count;
                });
            }
        }
        std::array<double, max_order + 1> vocabulary{};
        for (const auto order : row_order) vocabulary[order] += 1;
        const std::size_t row_count = row_order.size();
        model->log_prob = std::move(row_counts);  // turned into log-probabilities in place
        for (std::size_t row = 0; row < row_count; ++row) {
            const auto order = row_order[row];
            for (std::size_t k = 0; k < k_count; ++k) {
                const double p = (model->log_prob[row * k_count + k] + smoothing) /
                                 (totals[k][order] + smoothing * vocabulary[order]);
                model->log_prob[row * k_count + k] =
                    static_cast<float>(order_weight[order] * std::log(p));
            }
        }
        for (std::size_t order = 0; order <= max_order; ++order) {
            for (std::size_t k = 0; k < k_count; ++k) {
                const double p = smoothing / (totals[k][order] + smoothing * vocabulary[order] + 1);
                model->unseen[order].push_back(
                    static_cast<float>(order_weight[order] * std::log(p)));
            }
        }
    }
    return id;
}

language_guess language_identifier::detect(std::string_view normalized,
                                           std::string_view hint) const {
    language_guess guess;
    if (codes_.empty()) return guess;
    const auto hint_code = primary_subtag(hint);
    const auto hinted = std::find(codes_.begin(), codes_.end(), hint_code);
    const bool hint_loaded = !hint_code.empty() && hinted != codes_.end();
    guess.code = hint_loaded ? *hinted : codes_.front();

    // Buffers kept per thread: a detection allocates nothing once they have grown.
    thread_local detect_scratch scratch;
    std::vector<letter_token>& tokens = scratch.tokens;
    letter_tokens(normalized, tokens);
    // Script majority, not counting international words when other words exist.
    std::vector<char>& international = scratch.international;
    international.assign(tokens.size(), 0);
    bool any_local = false;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        international[i] = is_international(tokens[i].text);
        any_local = any_local || !international[i];
    }
    std::array<std::pair<int, int>, 8> letters{};  // (script, letters) for the scripts seen
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (any_local && international[i]) continue;
        // A Han character carries about as much as a word of an alphabet.
        const int weight = tokens[i].script == USCRIPT_HAN ? han_letter_weight : 1;
        for (auto& [script, count] : letters) {
            if (count == 0 || script == tokens[i].script) {
                script = tokens[i].script;
                count += tokens[i].letters * weight;
                break;
            }
        }
    }
    const script_model* model = nullptr;
    int best_letters = 0;
    for (const auto& [script, count] : letters) {
        const auto it = std::find_if(scripts_.begin(), scripts_.end(),
                                     [s = script](const auto& m) { return m->script == s; });
        if (count > best_letters && it != scripts_.end()) {
            best_letters = count;
            model = it->get();
        }
    }
    if (!model) {  // no letters, or a script no loaded language uses: only the hint is left
        guess.confidence = hint_loaded ? 0.5 : 0.0;
        return guess;
    }

    const std::size_t k_count = model->langs.size();
    std::array<double, 64> score{};
    std::string& padded = scratch.padded;
    std::vector<int32_t>& offsets = scratch.offsets;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (tokens[i].script != model->script || (any_local && international[i])) continue;
        for_each_gram(tokens[i].text, padded, offsets, [&](std::uint32_t h, int order) {
            const auto row = model->table.find(h);
            const float* lp = row >= 0 ? &model->log_prob[static_cast<std::size_t>(row) * k_count]
                                       : model->unseen[static_cast<std::size_t>(order)].data();
            for (std::size_t k = 0; k < k_count; ++k) score[k] += lp[k];
        });
    }
    double top = -1e300;
    for (std::size_t k = 0; k < k_count; ++k) top = std::max(top, score[k]);
    double sum = 0;
    for (std::size_t k = 0; k < k_count; ++k) {
        score[k] = std::exp((score[k] - top) / evidence_scale) * model->prior[k];
        if (hint_loaded && codes_[model->langs[k]] == hint_code) score[k] *= hint_prior;
        sum += score[k];
    }
    std::size_t best = 0;
    for (std::size_t k = 1; k < k_count; ++k) {
        if (score[k] > score[best]) best = k;
    }
    guess.code = codes_[model->langs[best]];
    guess.confidence = score[best] / sum;
    guess.sure = any_local && guess.confidence >= sure_posterior && best_letters >= 2;
    if (!any_local && hint_loaded) {  // only institution names: they tell nothing, trust the hint
        guess.code = hint_code;
        guess.confidence = 0.5;
        guess.sure = false;
    }
    return guess;
}

}  // namespace opas::intents
