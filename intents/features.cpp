#include "intents/features.hpp"

#include <libstemmer.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <utility>

namespace opas::intents {
namespace {

// Feature-kind tags (hash seeds).
constexpr std::uint64_t tag_word = 0x9E3779B97F4A7C15ull;
constexpr std::uint64_t tag_stem = 0xC2B2AE3D27D4EB4Full;
constexpr std::uint64_t tag_bigram = 0x165667B19E3779F9ull;
constexpr std::uint64_t tag_ngram = 0x27D4EB2F165667C5ull;
constexpr std::uint64_t tag_han = 0x85EBCA77C2B2AE63ull;

constexpr std::uint64_t fnv_basis = 0xCBF29CE484222325ull;
constexpr std::uint64_t fnv_prime = 0x100000001B3ull;

// Character n-gram features have the lowest bit set, whole-word features clear.
constexpr std::uint32_t ngram_bit = 1;

std::uint32_t word_feature(std::uint32_t h) { return (h & ~ngram_bit) | 2; }

std::uint32_t finish(std::uint64_t h) {
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    const auto folded = static_cast<std::uint32_t>(h ^ (h >> 32));
    return folded == 0 ? 1 : folded;
}

// Character n-gram orders inside "^word$".
constexpr int min_gram = 3;
constexpr int max_gram = 5;
// Longest token that still gets n-grams (longer ones are URLs, noise).
constexpr size_t max_gram_token_bytes = 64;

constexpr std::array<std::pair<std::string_view, std::string_view>, 8> snowball = {{
    {"ar", "arabic"},
    {"en", "english"},
    {"es", "spanish"},
    {"fi", "finnish"},
    {"fr", "french"},
    {"ru", "russian"},
    {"sv", "swedish"},
    {"tr", "turkish"},
}};

bool is_han(std::string_view token) {
    if (token.empty()) return false;
    int32_t i = 0;
    UChar32 c = 0;
    U8_NEXT(reinterpret_cast<const uint8_t*>(token.data()), i, static_cast<int32_t>(token.size()),
            c);
    return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || c >= 0x20000;
}

// Byte offsets of the code points of `s`, plus s.size() at the end.
void code_point_offsets(std::string_view s, std::vector<int32_t>& offsets) {
    offsets.clear();
    const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
    const auto length = static_cast<int32_t>(s.size());
    for (int32_t i = 0; i < length;) {
        offsets.push_back(i);
        U8_FWD_1(bytes, i, length);
    }
    offsets.push_back(length);
}

// Hashes of the lo..hi code point n-grams of `s`: one FNV pass from each start position, so
// the n-grams starting there share the work.
void add_ngrams(std::string_view s, const std::vector<int32_t>& offsets, int lo, int hi,
                std::uint64_t tag, std::vector<std::uint32_t>& out) {
    const int points = static_cast<int>(offsets.size()) - 1;
    for (int start = 0; start + lo <= points; ++start) {
        std::uint64_t h = fnv_basis ^ tag;
        auto byte = static_cast<size_t>(offsets[start]);
        for (int n = 1; n <= hi && start + n <= points; ++n) {
            for (const auto end = static_cast<size_t>(offsets[start + n]); byte < end; ++byte) {
                h = (h ^ static_cast<unsigned char>(s[byte])) * fnv_prime;
            }
            if (n >= lo) out.push_back(finish(h) | ngram_bit);
        }
    }
}

}  // namespace

std::uint32_t hash_bytes(std::string_view bytes, std::uint64_t seed) {
    std::uint64_t h = fnv_basis ^ seed;
    for (const char ch : bytes) h = (h ^ static_cast<unsigned char>(ch)) * fnv_prime;
    return finish(h);
}

std::string_view snowball_name(std::string_view lang) {
    for (const auto& [code, name] : snowball) {
        if (code == lang) return name;
    }
    return {};
}

stemmer::stemmer(std::string_view lang) {
    const auto name = snowball_name(lang);
    if (!name.empty()) handle_ = sb_stemmer_new(std::string(name).c_str(), "UTF_8");
}

stemmer::~stemmer() {
    if (handle_) sb_stemmer_delete(handle_);
}

std::string_view stemmer::stem(std::string_view word) {
    if (!handle_) return word;
    if (const auto it = stems_.find(word); it != stems_.end()) return it->second;
    const sb_symbol* result = sb_stemmer_stem(
        handle_, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
    if (!result) return word;
    if (stems_.size() >= remembered) stems_.clear();
    const std::string_view made{reinterpret_cast<const char*>(result),
                                static_cast<size_t>(sb_stemmer_length(handle_))};
    return stems_.emplace(std::string(word), std::string(made)).first->second;
}

std::uint32_t word_feature_of(std::string_view token) {
    return word_feature(hash_bytes(token, tag_word));
}

std::uint32_t word_bigram_feature_of(std::string_view first, std::string_view second) {
    thread_local std::string padded;
    padded.assign(first).append(1, ' ').append(second);
    return word_feature(hash_bytes(padded, tag_bigram));
}

void intent_features(std::span<const std::string> tokens, stemmer* stems,
                     std::vector<std::uint32_t>& out) {
    out.clear();
    thread_local std::vector<int32_t> offsets;
    thread_local std::string padded;
    std::string han_run;  // consecutive Han tokens joined, so segmentation errors do not matter
    for (size_t i = 0; i < tokens.size(); ++i) {
        const std::string& token = tokens[i];
        out.push_back(word_feature_of(token));
        if (i + 1 < tokens.size()) out.push_back(word_bigram_feature_of(token, tokens[i + 1]));
        if (is_han(token)) {
            han_run += token;
            continue;
        }
        if (!han_run.empty()) {
            code_point_offsets(han_run, offsets);
            add_ngrams(han_run, offsets, 1, 3, tag_han, out);
            han_run.clear();
        }
        if (stems && stems->available()) {
            const auto stem = stems->stem(token);
            if (stem != token) out.push_back(word_feature(hash_bytes(stem, tag_stem)));
        }
        if (token.size() > max_gram_token_bytes) continue;
        padded.assign(1, '^').append(token).append(1, '$');
        code_point_offsets(padded, offsets);
        add_ngrams(padded, offsets, min_gram, max_gram, tag_ngram, out);
    }
    if (!han_run.empty()) {
        code_point_offsets(han_run, offsets);
        add_ngrams(han_run, offsets, 1, 3, tag_han, out);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

}  // namespace opas::intents
