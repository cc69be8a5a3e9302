// The model cache (model::load_cached): a model read from the cache must answer exactly like
// the one trained, and a damaged file must never be used.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "intents/model.hpp"
#include "tests/intents/locale_fixture.hpp"

namespace {

using opas::intents::model;
namespace fs = std::filesystem;

struct cache_dir {
    fs::path path = fs::temp_directory_path() /
                    ("opas-model-cache-test-" + std::to_string(std::random_device{}()));
    ~cache_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::vector<fs::path> files() const {
        std::vector<fs::path> out;
        for (const auto& e : fs::directory_iterator(path)) out.push_back(e.path());
        return out;
    }
};

// Four languages in three scripts (two sharing a classifier): the cache's shapes, at a quarter
// of the training time (the test trains six times).
std::vector<std::string> languages() { return {"ar", "en", "fi", "zh"}; }

std::unique_ptr<model> load(const cache_dir& dir, std::string_view build) {
    return model::load_cached(opas::intents::testing::locales_dir(), languages(), dir.path.string(),
                              build);
}

// Every 7th example of every language and intent, plus a few that are no one's examples.
std::vector<std::string> probes() {
    std::vector<std::string> out = {"", "?", "👋", "Kela", "hei mitä kuuluu", "مرحبا", "你好",
                                    "turn on the kitchen lights", "2", "toinen"};
    for (const auto& locale : opas::intents::testing::available_locales())
        for (const auto& [intent, texts] : locale.intents)
            for (std::size_t i = 0; i < texts.size(); i += 7) out.push_back(texts[i]);
    return out;
}

void require_same_answers(const model& a, const model& b) {
    REQUIRE(a.languages() == b.languages());
    for (const auto& code : a.languages()) {
        CHECK(a.endonym(code) == b.endonym(code));
        CHECK(a.words_for(code).ordinals == b.words_for(code).ordinals);
    }
    int compared = 0;
    for (const auto& text : probes()) {
        const auto la = a.detect_language(text, "fi");
        const auto lb = b.detect_language(text, "fi");
        CHECK(la.code == lb.code);
        CHECK(la.confidence == lb.confidence);
        CHECK(la.sure == lb.sure);
        const auto lang = la.code.empty() ? std::string("fi") : la.code;
        CHECK(a.intent_probabilities(text, lang) == b.intent_probabilities(text, lang));
        const auto ia = a.classify(text, lang);
        const auto ib = b.classify(text, lang);
        CHECK(ia.intent == ib.intent);
        CHECK(ia.confidence == ib.confidence);
        ++compared;
    }
    CHECK(compared > 1000);  // every 7th example of all 13 languages
}

}  // namespace

TEST_CASE("a model read from the cache answers exactly like the one trained") {
    cache_dir dir;
    const auto trained = load(dir, "build-1");
    const auto files = dir.files();
    REQUIRE(files.size() == 1);
    const auto written = fs::last_write_time(files[0]);

    const auto cached = load(dir, "build-1");
    REQUIRE(dir.files() == files);
    CHECK(fs::last_write_time(files[0]) == written);  // read, not trained and written again
    require_same_answers(*trained, *cached);

    // Another build never reads this build's file.
    load(dir, "build-2");
    CHECK(dir.files().size() == 2);
}

TEST_CASE("a damaged model cache file is trained anew and replaced") {
    cache_dir dir;
    const auto trained = load(dir, "build-1");
    const auto file = dir.files().at(0);
    const auto size = fs::file_size(file);
    for (const std::uintmax_t keep : {size / 2, std::uintmax_t{0}}) {
        fs::resize_file(file, keep);
        const auto again = load(dir, "build-1");
        CHECK(fs::file_size(file) == size);
        require_same_answers(*trained, *again);
    }
    // One byte changed in the middle (inside the weights, where no size check looks).
    const auto read = [&] {
        std::ifstream in(file, std::ios::binary);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    };
    const auto original = read();
    {
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(size / 2));
        f.put(static_cast<char>(original[size / 2] ^ 0x40));
    }
    REQUIRE(read() != original);
    const auto flipped = load(dir, "build-1");
    CHECK(read() == original);  // trained anew and written again
    require_same_answers(*trained, *flipped);
}
