// bench_intents: start-up time, single-thread detect+classify throughput and peak RSS of the
// intents library on the locale files. Usage: bench_intents [locales_dir] [lang ...]
// Without languages it loads every complete locale (all four files present).

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "intents/entities.hpp"
#include "intents/locale_data.hpp"
#include "intents/model.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

double cpu_seconds(clockid_t which) {
    timespec ts{};
    clock_gettime(which, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double current_rss_mib() {
    long pages = 0;
    long resident = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        std::fclose(f);
    }
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / 1048576.0;
}

double peak_rss_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// Short messages in many languages, as people write them; some out of scope.
const std::vector<std::string>& messages() {
    static const std::vector<std::string> list = {
        "hei, tarvitsen apua kela-asiassa",
        "miten haen oleskelulupaa?",
        "voinko varata ajan huomenna klo 10",
        "hej, var kan jag lära mig svenska",
        "I need help with my residence permit",
        "where is the centre and when is it open",
        "can I cancel my appointment",
        "как получить пособие в Kela?",
        "хочу записаться на консультацию",
        "tere, kus saab soome keelt õppida",
        "bonjour, je cherche un logement",
        "je veux parler à quelqu'un",
        "waxaan rabaa inaan la hadlo qof",
        "hola, necesito un médico",
        "quiero ser voluntario",
        "merhaba, iş arıyorum",
        "randevumu iptal etmek istiyorum",
        "你好，我想预约咨询",
        "怎么申请居留许可",
        "سلام، میخواهم وقت مشاوره بگیرم",
        "اقامت من تمام میشود",
        "مرحبا، أريد حجز موعد",
        "أين مكتب كيلا Kela",
        "привіт, шукаю роботу",
        "хочу стати волонтером",
        "what's the weather tomorrow",
        "turn on the kitchen lights",
        "kiitos paljon!",
        "thanks, bye",
        "ok",
    };
    return list;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string dir = argc > 1 ? argv[1] : std::string(OPAS_SOURCE_DIR) + "/locales";
    std::vector<std::string> languages(argv + std::min(argc, 2), argv + argc);
    if (languages.empty()) languages = opas::intents::complete_locales(dir);
    if (languages.empty()) {
        std::fprintf(stderr, "no complete locale under %s\n", dir.c_str());
        return 1;
    }

    std::vector<double> load_ms;
    std::vector<double> load_cpu_ms;
    std::unique_ptr<opas::intents::model> m;
    double rss_after_load = 0;
    double peak_first_load = 0;  // what a server start costs; later loads reuse a used heap
    for (int run = 0; run < 5; ++run) {
        m.reset();
        const auto start = clock_type::now();
        const double cpu_start = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
        m = opas::intents::model::load(dir, languages);
        load_cpu_ms.push_back(1000 * (cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start));
        load_ms.push_back(
            std::chrono::duration<double, std::milli>(clock_type::now() - start).count());
        if (run == 0) {
            rss_after_load = current_rss_mib();
            peak_first_load = peak_rss_mib();
        }
    }
    const double peak_after_load = peak_rss_mib();

    const auto& list = messages();
    constexpr int rounds = 400;
    std::vector<double> per_second;
    std::vector<double> per_cpu_second;
    std::size_t checksum = 0;
    for (int run = 0; run < 5; ++run) {
        const auto start = clock_type::now();
        const double cpu_start = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
        for (int r = 0; r < rounds; ++r) {
            for (const auto& text : list) {
                const auto lang = m->detect_language(text);
                const auto intent = m->classify(text, lang.code);
                checksum += intent.intent.size() + lang.code.size();
            }
        }
        const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
        per_second.push_back(static_cast<double>(rounds * list.size()) / seconds);
        per_cpu_second.push_back(static_cast<double>(rounds * list.size()) /
                                 (cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - cpu_start));
    }

    std::vector<double> entity_per_second;
    const opas::intents::civil_date today{2026, 11, 24};
    for (int run = 0; run < 3; ++run) {
        const auto start = clock_type::now();
        for (int r = 0; r < 50; ++r) {
            for (const auto& text : list) {
                const auto& w = m->words_for("en");
                checksum += opas::intents::extract_date(text, w, today).has_value();
                checksum += opas::intents::extract_time(text, w).has_value();
            }
        }
        const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
        entity_per_second.push_back(static_cast<double>(50 * list.size()) / seconds);
    }

    std::string loaded;
    for (const auto& code : languages) loaded += code + " ";
    std::printf("bench_intents: %zu languages (%s)\n", languages.size(), loaded.c_str());
    std::printf("| measure                                  | median      |\n");
    std::printf("|------------------------------------------|-------------|\n");
    std::printf("| load + train, wall ms (5 loads)          | %11.1f |\n", median(load_ms));
    std::printf("| load + train, CPU ms, all threads        | %11.1f |\n", median(load_cpu_ms));
    std::printf("| detect + classify, messages/s (1 thread) | %11.0f |\n", median(per_second));
    std::printf("| same, messages per CPU second            | %11.0f |\n", median(per_cpu_second));
    std::printf("| date + time extraction, messages/s       | %11.0f |\n",
                median(entity_per_second));
    std::printf("| RSS after the first load, MiB            | %11.1f |\n", rss_after_load);
    std::printf("| peak RSS during the first load, MiB      | %11.1f |\n", peak_first_load);
    std::printf("| peak RSS during the 5 loads, MiB         | %11.1f |\n", peak_after_load);
    std::printf("| peak RSS at exit, MiB                    | %11.1f |\n", peak_rss_mib());
    std::printf("(checksum %zu)\n", checksum);
    for (const auto& text : list) {
        const auto lang = m->detect_language(text);
        const auto intent = m->classify(text, lang.code);
        std::printf("  %-5s %-4s %.2f  %-26s %.2f  %s\n", lang.code.c_str(),
                    lang.sure ? "sure" : "?", lang.confidence, intent.intent.c_str(),
                    intent.confidence, text.c_str());
    }
    return 0;
}
