// The model cache (model::load_cached): what training computes, kept in a file named by a
// fingerprint of everything training reads, so a process that starts again with the same
// examples and the same build reads it in milliseconds instead of training.

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>

#include "intents/bytes.hpp"
#include "intents/classifier.hpp"
#include "intents/model.hpp"

namespace opas::intents {
namespace {

constexpr std::string_view magic = "opas-intents-model 1\n";
constexpr auto keep_unused = std::chrono::hours(24);  // older cache files of other builds go

// FNV-1a, 64 bits, over length-prefixed fields (so "ab"+"c" and "a"+"bc" differ).
class fingerprinter {
public:
    void add(std::string_view s) {
        number(s.size());
        for (const unsigned char c : s) mix(c);
    }
    void number(double v) {
        const auto text = std::to_string(v);
        for (const unsigned char c : text) mix(c);
        mix(';');
    }
    std::string hex() const {
        char out[17];
        std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h_));
        return out;
    }

private:
    void mix(unsigned char c) { h_ = (h_ ^ c) * 0x100000001b3ULL; }
    std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

// Everything model::train reads from the locales and the options (not `threads`: training is
// deterministic on any number of threads).
std::string fingerprint(const std::vector<locale_text>& locales, const model_options& o,
                        std::string_view build_key) {
    fingerprinter f;
    f.add(magic);
    f.add(build_key);
    for (const double v : {o.min_confidence, o.min_request_confidence, o.courtesy_request_confidence,
                           o.none_odds, o.emergency_min_confidence,
                           static_cast<double>(o.short_words), static_cast<double>(o.specific_intents),
                           static_cast<double>(o.long_specific_intents), static_cast<double>(o.epochs),
                           static_cast<double>(o.final_epochs), static_cast<double>(o.learning_rate),
                           static_cast<double>(o.decay), static_cast<double>(o.min_feature_count)})
        f.number(v);
    for (const auto& l : locales) {
        f.add(l.code);
        f.number(static_cast<double>(l.intents.size()));
        for (const auto& [intent, texts] : l.intents) {
            f.add(intent);
            f.number(static_cast<double>(texts.size()));
            for (const auto& t : texts) f.add(t);
        }
        f.number(static_cast<double>(l.other_texts.size()));
        for (const auto& t : l.other_texts) f.add(t);
        f.number(static_cast<double>(l.topics.size()));
        for (const auto& [intent, text] : l.topics) {
            f.add(intent);
            f.add(text);
        }
    }
    return f.hex();
}

// Catches bytes changed on disk that the size checks of the readers cannot see (a flipped
// weight would only shift answers a little).
std::uint64_t checksum(std::string_view bytes) {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ bytes.size();
    std::size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, bytes.data() + i, 8);
        h = (h ^ word) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    for (; i < bytes.size(); ++i) h = (h ^ static_cast<unsigned char>(bytes[i])) * 0x100000001b3ULL;
    return h;
}

// The file mapped read-only (no copy into the heap: copying 30 MB costs page faults), or none.
class mapped_file {
public:
    explicit mapped_file(const std::filesystem::path& path) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return;
        struct stat st {};
        if (::fstat(fd, &st) == 0 && st.st_size > 0) {
            size_ = static_cast<std::size_t>(st.st_size);
            void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
            data_ = p == MAP_FAILED ? nullptr : p;
        }
        ::close(fd);
    }
    ~mapped_file() {
        if (data_) ::munmap(data_, size_);
    }
    mapped_file(const mapped_file&) = delete;
    mapped_file& operator=(const mapped_file&) = delete;
    std::optional<std::string_view> bytes() const {
        if (!data_) return std::nullopt;
        return std::string_view(static_cast<const char*>(data_), size_);
    }

private:
    void* data_ = nullptr;
    std::size_t size_ = 0;
};

// Written under a temporary name, then renamed: readers never see half a file. Failures
// leave no file behind and are otherwise ignored (the cache is an optimization).
void write_file(const std::filesystem::path& path, const std::string& bytes) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    std::random_device rd;
    auto tmp = path;
    tmp += ".tmp" + std::to_string(::getpid()) + "-" + std::to_string(rd());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) {
            std::filesystem::remove(tmp, ec);
            return;
        }
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) std::filesystem::remove(tmp, ec);
}

// Cache files of other data or builds that nobody has written for a day.
void remove_stale(const std::filesystem::path& dir, const std::filesystem::path& keep) {
    std::error_code ec;
    const auto now = std::filesystem::file_time_type::clock::now();
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const auto name = entry.path().filename().string();
        if (entry.path() == keep || name.rfind("model-", 0) != 0) continue;
        std::error_code time_ec;
        const auto written = entry.last_write_time(time_ec);
        if (!time_ec && now - written > keep_unused) std::filesystem::remove(entry.path(), time_ec);
    }
}

}  // namespace

std::string model::trained_bytes(std::string_view fingerprint) const {
    byte_writer out;
    out.str(magic);
    out.str(fingerprint);
    out.pod<std::uint64_t>(languages_.size());
    for (const auto& lm : languages_) {
        out.str(lm->code);
        out.pod<std::uint64_t>(lm->group);
    }
    out.pod<std::uint64_t>(groups_.size());
    for (const auto& g : groups_) g->save(out);
    identifier_->save(out);
    auto bytes = out.take();
    const auto sum = checksum(bytes);
    bytes.append(reinterpret_cast<const char*>(&sum), sizeof sum);
    return bytes;
}

std::unique_ptr<model> model::from_trained(std::vector<locale_text>& locales,
                                           const model_options& options, std::string_view bytes,
                                           std::string_view fingerprint) {
    std::uint64_t sum = 0;
    if (bytes.size() < sizeof sum) byte_reader::fail();
    std::memcpy(&sum, bytes.data() + bytes.size() - sizeof sum, sizeof sum);
    bytes.remove_suffix(sizeof sum);
    if (checksum(bytes) != sum) byte_reader::fail();
    byte_reader in(bytes);
    if (in.str() != magic || in.str() != fingerprint) byte_reader::fail();
    std::unique_ptr<model> m(new model());
    m->options_ = options;
    if (in.count(16) != locales.size()) byte_reader::fail();
    std::vector<std::size_t> group_of;
    for (const auto& locale : locales) {
        if (in.str() != locale.code) byte_reader::fail();
        group_of.push_back(static_cast<std::size_t>(in.pod<std::uint64_t>()));
        m->codes_.push_back(locale.code);
    }
    const auto group_count = in.count(1);
    for (std::size_t g = 0; g < group_count; ++g)
        m->groups_.push_back(std::make_unique<linear_classifier>(linear_classifier::load(in)));
    m->identifier_ = std::make_unique<language_identifier>(language_identifier::load(in));
    if (!in.done() || m->identifier_->codes() != m->codes_) byte_reader::fail();
    for (const auto group : group_of)
        if (group >= group_count) byte_reader::fail();
    // Nothing fails from here on: only now are the locales' entity words taken.
    for (std::size_t l = 0; l < locales.size(); ++l)
        m->languages_.push_back(language_of(locales[l], l, group_of[l]));
    return m;
}

std::unique_ptr<model> model::load_cached(const std::string& locales_dir,
                                          const std::vector<std::string>& languages,
                                          const std::string& cache_dir, std::string_view build_key,
                                          const model_options& options) {
    auto locales = read_locales(locales_dir, languages, options);
    const auto key = fingerprint(locales, options, build_key);
    const std::filesystem::path path = std::filesystem::path(cache_dir) / ("model-" + key + ".bin");
    {
        const mapped_file file(path);
        if (const auto bytes = file.bytes()) {
            try {
                return from_trained(locales, options, *bytes, key);
            } catch (const std::exception&) {
                // damaged or from another format: trained anew below and replaced
            }
        }
    }
    auto m = train(std::move(locales), options);
    write_file(path, m->trained_bytes(key));
    remove_stale(path.parent_path(), path);
    return m;
}

}  // namespace opas::intents
