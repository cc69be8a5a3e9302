// bench_turns: the single writer alone (issue 2), without HTTP. Builds what `opas serve`
// builds on a fresh SQLite file, reads every message first (engine::understand, which the
// io threads do in the server), then times the dispatcher: every turn submitted at once, as
// 64 busy connections would, committed in groups. Each round starts on a fresh database.
//
//   bench_turns [turns=40000] [people=1000] [rounds=5] [sync_full=0] [text] [group=0]
//
// group > 0 submits that many turns at a time and waits for them, so each commit holds about
// `group` turns, as under `opas serve` (its /metrics show turns and commits; at 64
// connections a commit holds about 15). 0 submits all at once: commits of up to 256.
//
// Prints the median turns per second (wall) and CPU microseconds per turn (the process's
// user + system time in the timed part: the writer thread; the submitting thread only waits),
// and the database's WAL bytes written per turn. CPU per turn hardly depends on what else
// the machine runs, so it is the figure to compare changes with.

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include "bot/app.hpp"
#include "bot/dispatcher.hpp"
#include "storage/wal_vfs.hpp"

namespace {

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    const auto s = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
    return s(u.ru_utime) + s(u.ru_stime);
}

struct round_result {
    double turns_per_s = 0;
    double cpu_us_per_turn = 0;
    double db_bytes_per_turn = 0;
    double wal_pages_per_turn = 0;
};

std::uintmax_t size_or_zero(const std::string& path) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(path, ec);
    return ec ? 0 : n;
}

round_result run_round(int turns, int people, bool sync_full, const std::string& text, int round,
                       int group) {
    char pattern[] = "/tmp/opas-turns-XXXXXX";
    const std::string dir = ::mkdtemp(pattern);
    opas::bot::config cfg;
    cfg.database = dir + "/opas.db";
    cfg.database_sync_full = sync_full;
    cfg.locales_dir = std::string(OPAS_SOURCE_DIR) + "/locales";
    round_result out;
    {
        auto app = opas::bot::make_app(cfg);
        std::int64_t now = 1'764'000'000'000;
        opas::bot::dispatcher writer(*app->db, *app->eng, [&now] { return now; });

        std::vector<opas::bot::inbound> events(static_cast<std::size_t>(turns));
        for (int i = 0; i < turns; ++i) {
            auto& ev = events[static_cast<std::size_t>(i)];
            ev.source = opas::bot::channel::telegram;
            ev.kind = opas::bot::inbound_kind::text;
            ev.message_id = "tg:" + std::to_string(round * 10'000'000 + i + 1);
            ev.user_id = std::to_string(1'000'000 + i % people);
            ev.chat_id = ev.user_id;
            ev.text = text;
            ev.language_hint = "fi";
            ev.time = now / 1000;
            ev.understood = app->eng->understand(ev);
        }

        std::vector<std::promise<bool>> done(events.size());
        const std::size_t step = group > 0 ? static_cast<std::size_t>(group) : events.size();
        int failed = 0;
        const auto asked0 = opas::storage::wal_vfs::write_counts().asked;
        const double cpu0 = cpu_seconds();
        const auto t0 = std::chrono::steady_clock::now();
        for (std::size_t first = 0; first < events.size(); first += step) {
            const std::size_t last = std::min(events.size(), first + step);
            for (std::size_t i = first; i < last; ++i)
                writer.submit({std::move(events[i])}, [&done, i](bool ok) { done[i].set_value(ok); });
            for (std::size_t i = first; i < last; ++i) failed += !done[i].get_future().get();
        }
        const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - t0;
        const double cpu = cpu_seconds() - cpu0;
        if (failed) std::fprintf(stderr, "bench_turns: %d turns failed\n", failed);
        // SQLite writes a WAL frame as two calls: its header, then the page.
        const auto asked = opas::storage::wal_vfs::write_counts().asked - asked0;
        out.wal_pages_per_turn = static_cast<double>(asked) / 2 / turns;
        out.turns_per_s = turns / wall.count();
        out.cpu_us_per_turn = 1e6 * cpu / turns;
        out.db_bytes_per_turn =
            static_cast<double>(size_or_zero(cfg.database) + size_or_zero(cfg.database + "-wal")) /
            turns;
    }
    std::filesystem::remove_all(dir);
    return out;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    const int turns = argc > 1 ? std::max(1, std::atoi(argv[1])) : 40000;
    const int people = argc > 2 ? std::max(1, std::atoi(argv[2])) : 1000;
    const int rounds = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
    const bool sync_full = argc > 4 && std::atoi(argv[4]) != 0;
    const std::string text = argc > 5 ? argv[5] : "Hei, milloin keskus on auki?";
    const int group = argc > 6 ? std::max(0, std::atoi(argv[6])) : 0;
    std::vector<double> rate, cpu, bytes, pages;
    for (int r = 0; r < rounds; ++r) {
        const auto res = run_round(turns, people, sync_full, text, r, group);
        std::printf("round %d: %.0f turns/s, %.1f CPU us/turn, %.0f database bytes/turn, "
                    "%.2f WAL pages/turn\n",
                    r + 1, res.turns_per_s, res.cpu_us_per_turn, res.db_bytes_per_turn,
                    res.wal_pages_per_turn);
        rate.push_back(res.turns_per_s);
        cpu.push_back(res.cpu_us_per_turn);
        bytes.push_back(res.db_bytes_per_turn);
        pages.push_back(res.wal_pages_per_turn);
    }
    std::printf("median of %d rounds of %d turns, %d people, database_sync_full=%s, group=%d:\n",
                rounds, turns, people, sync_full ? "true" : "false", group);
    std::printf("| turns/s | CPU us/turn | database bytes/turn | WAL pages/turn |\n"
                "|---:|---:|---:|---:|\n");
    std::printf("| %.0f | %.1f | %.0f | %.2f |\n", median(rate), median(cpu), median(bytes),
                median(pages));
    return 0;
}
