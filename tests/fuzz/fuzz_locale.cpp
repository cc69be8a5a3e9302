// libFuzzer target: the locale loaders. A temp locales dir holds a copy of locales/en; the
// first byte picks which of its four files the remaining bytes replace. Then
// intents::read_locale, intents::parse_entity_words and bot::catalog::load (ICU MessageFormat
// patterns, topics) read it. Bad data must end in std::runtime_error naming the file.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "bot/catalog.hpp"
#include "intents/entities.hpp"
#include "intents/locale_data.hpp"

namespace {

namespace fs = std::filesystem;
constexpr const char* files[] = {"intents.json", "messages.json", "topics.json", "entities.json"};

const std::string& locales_dir() {
    static const std::string dir = [] {
        std::string templ = "/tmp/opas-fuzz-locales-XXXXXX";
        if (!mkdtemp(templ.data())) std::abort();
        fs::create_directories(templ + "/en");
        return templ;
    }();
    return dir;
}

void restore(const char* file) {
    fs::copy_file(std::string(OPAS_SOURCE_DIR "/locales/en/") + file,
                  locales_dir() + "/en/" + file, fs::copy_options::overwrite_existing);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    for (const char* f : files) restore(f);  // messages_<feature>.json stay out
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const char* file = files[data[0] % 4];
    const std::string path = locales_dir() + "/en/" + file;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
    }
    try {
        (void)opas::intents::read_locale(locales_dir(), "en");
    } catch (const std::runtime_error&) {
    }
    if (data[0] % 4 == 3) {
        try {
            (void)opas::intents::parse_entity_words(text, path);
        } catch (const std::runtime_error&) {
        }
    }
    try {
        auto cat = opas::bot::catalog::load(locales_dir(), {"en"});
        (void)cat->text("en", "greeting");
        (void)cat->problems("en");
        (void)cat->find_topic("en", "guidance.housing");
    } catch (const std::runtime_error&) {
    }
    restore(file);
    return 0;
}
