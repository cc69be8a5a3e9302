// Faults: a full disk under the database, the platform API down for a while, slow clients
// (slowloris) and thousands of idle connections. The server must refuse what it cannot store
// (5xx, so the platform redelivers), recover by itself, lose nothing, and keep serving.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/loopback/harness.hpp"

using namespace opas::testing;

namespace {

int post_update(unsigned short port, long long id, long long user, const std::string& text = "hello") {
    return http_request(port, "POST", "/webhooks/telegram", telegram_text_update(id, user, text),
                        secret_header())
        .status;
}

std::string scalar(const std::string& db, const std::string& query) {
    const auto rows = sql_rows(db, query);
    return rows.empty() ? std::string() : rows[0];
}

// A small tmpfs mounted on a fresh directory (root only); unmounted at the end.
class small_tmpfs {
public:
    explicit small_tmpfs(const std::string& dir, const std::string& size) : dir_(dir) {
        std::filesystem::create_directories(dir_);
        const std::string options = "size=" + size;
        mounted_ = ::mount("tmpfs", dir_.c_str(), "tmpfs", 0, options.c_str()) == 0;
    }
    ~small_tmpfs() {
        if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
    }
    bool mounted() const { return mounted_; }
    // Turns the whole file system read-only or writable again (refused while a file on it is
    // open for writing, so only between runs of the server).
    bool remount(bool read_only) {
        const unsigned long flags = MS_REMOUNT | (read_only ? MS_RDONLY : 0);
        return ::mount("tmpfs", dir_.c_str(), "tmpfs", flags, nullptr) == 0;
    }

private:
    std::string dir_;
    bool mounted_ = false;
};

// Writes zeros to `path` until the file system is full; returns the bytes written.
std::size_t fill_disk(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return 0;
    std::vector<char> block(4096, 0);
    std::size_t total = 0;
    for (;;) {
        const auto n = ::write(fd, block.data(), block.size());
        if (n <= 0) break;
        total += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return total;
}

int connect_loopback(unsigned short port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// True once the peer has closed the connection (read returns 0 or an error, not EAGAIN).
bool closed_by_peer(int fd) {
    char c;
    const auto n = ::recv(fd, &c, 1, MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

long long metric(unsigned short port, const std::string& name) {
    const auto page = http_request(port, "GET", "/metrics").body;
    const auto at = page.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::stoll(page.substr(at + name.size() + 2));
}

}  // namespace

TEST_CASE("a full disk gets 503 for webhooks and the server recovers when space is freed") {
    temp_dir dir;
    const std::string mnt = dir.path() + "/mnt";
    small_tmpfs fs(mnt, "4m");
    REQUIRE(fs.mounted());  // needs root (CI and the build VM run as root)
    fake_api api;
    opas_process opas(mnt, test_config(mnt, api, R"("log_level": "warn")"));
    const std::string db = mnt + "/opas.db";
    REQUIRE(post_update(opas.port(), 1, 100) == 200);

    REQUIRE(fill_disk(mnt + "/filler") > 0);
    long long id = 2;
    int status = 200;
    for (; id < 2000 && status == 200; ++id) status = post_update(opas.port(), id, 100 + id);
    const long long refused = id - 1;
    CHECK(status >= 500);
    CHECK(http_request(opas.port(), "GET", "/healthz").status == 200);

    std::filesystem::remove(mnt + "/filler");
    // The refused update is redelivered (as Telegram does) and now stored and answered.
    CHECK(wait_until([&] { return post_update(opas.port(), refused, 100 + refused) == 200; }));
    CHECK(http_request(opas.port(), "GET", "/readyz").status == 200);
    CHECK(post_update(opas.port(), 5000, 5000) == 200);
    CHECK(wait_until([&] { return scalar(db, "SELECT count(*) FROM outbox WHERE state = 'pending'") == "0"; }));
    CHECK(opas.terminate() == 0);
}

// CONTRACTS §4: /readyz is 503 when the database does not answer. With a full disk the
// database still answers reads but cannot accept a turn, so readiness writes a probe row.
TEST_CASE("readyz is 503 while the disk under the database is full") {
    temp_dir dir;
    const std::string mnt = dir.path() + "/mnt";
    small_tmpfs fs(mnt, "4m");
    REQUIRE(fs.mounted());
    fake_api api;
    opas_process opas(mnt, test_config(mnt, api, R"("log_level": "warn")"));
    REQUIRE(post_update(opas.port(), 1, 100) == 200);
    REQUIRE(fill_disk(mnt + "/filler") > 0);
    int status = 200;
    for (long long id = 2; id < 2000 && status == 200; ++id) status = post_update(opas.port(), id, 100 + id);
    REQUIRE(status >= 500);
    CHECK(http_request(opas.port(), "GET", "/readyz").status == 503);
    std::filesystem::remove(mnt + "/filler");
    CHECK(wait_until([&] { return http_request(opas.port(), "GET", "/readyz").status == 200; }));
}

// A running server keeps its open file writable, so "read-only" meets opas at a start: after a
// restore onto a read-only mount, say. It must refuse with a clear reason (not SQLite's "unable
// to open database file"), and start and answer once the fault is gone (systemd restarts it).
TEST_CASE("a read-only database stops the start with a clear reason and starts once writable") {
    temp_dir dir;
    const std::string mnt = dir.path() + "/mnt";
    small_tmpfs fs(mnt, "8m");
    REQUIRE(fs.mounted());  // needs root (CI and the build VM run as root)
    fake_api api;
    const std::string config_file = dir.path() + "/opas.json";
    const std::string db = mnt + "/opas.db";
    {
        opas_process opas(dir.path(), test_config(mnt, api, R"("log_level": "warn")"));
        REQUIRE(post_update(opas.port(), 1, 100) == 200);
        REQUIRE(opas.terminate() == 0);
    }
    REQUIRE(fs.remount(true));
    for (const char* command : {"serve", "migrate"}) {
        const auto refused = run_opas({command, "--config", config_file});
        CHECK(refused.exit_code == 1);
        CHECK_THAT(refused.err, Catch::Contains("cannot write the file (Read-only file system)"));
        CHECK_THAT(refused.err, Catch::Contains(db));
    }
    REQUIRE(fs.remount(false));
    opas_process opas(dir.path(), test_config(mnt, api, R"("log_level": "warn")"));
    CHECK(post_update(opas.port(), 2, 101) == 200);
    CHECK(wait_until([&] { return scalar(db, "SELECT count(*) FROM outbox WHERE state = 'pending'") == "0"; }));
    CHECK(scalar(db, "SELECT count(DISTINCT person_id) FROM outbox WHERE state = 'sent'") == "2");
    CHECK(opas.terminate() == 0);
}

TEST_CASE("replies are delivered in order after the platform API was down for a while") {
    temp_dir dir;
    fake_api api;
    std::atomic<bool> down{true};
    std::mutex delivered_mutex;
    std::map<long long, std::vector<std::string>> delivered;  // texts the API accepted, per chat
    api.respond_with([&](const recorded_call& c) -> canned_response {
        if (down) return {503, R"({"ok":false,"error_code":503,"description":"Service Unavailable"})"};
        if (c.target.find("/sendMessage") != std::string::npos) {
            const auto b = nlohmann::json::parse(c.body);
            std::lock_guard lock(delivered_mutex);
            delivered[b["chat_id"].get<long long>()].push_back(b["text"].get<std::string>());
        }
        return default_api_response(c);
    });
    opas_process opas(dir.path(), test_config(dir.path(), api));
    const std::string db = dir.path() + "/opas.db";
    for (long long id = 1; id <= 20; ++id) REQUIRE(post_update(opas.port(), id, 200 + id % 4) == 200);
    // Down until the head of every chat's queue has failed at least three times (1 s, 2 s, 4 s
    // of backoff); the rows behind a head wait for it, in order.
    REQUIRE(wait_until([&] {
        const auto least = scalar(db, "SELECT min(a) FROM (SELECT max(attempts) AS a FROM outbox "
                                      "WHERE state = 'pending' GROUP BY person_id)");
        return !least.empty() && std::stoi(least) >= 3;
    }, std::chrono::seconds(60)));
    const auto pending = scalar(db, "SELECT count(*) FROM outbox");
    down = false;
    REQUIRE(wait_until([&] { return scalar(db, "SELECT count(*) FROM outbox WHERE state = 'sent'") == pending; },
                       std::chrono::seconds(90)));
    CHECK(scalar(db, "SELECT count(*) FROM outbox WHERE state = 'failed'") == "0");
    // In order per chat: the accepted calls to each chat follow the outbox ids, once each.
    std::map<long long, std::vector<std::string>> stored;
    for (const auto& r : sql_rows(db, "SELECT p.chat_id, o.payload FROM outbox o JOIN people p "
                                      "ON p.id = o.person_id WHERE o.kind = 'message' ORDER BY o.id")) {
        const auto bar = r.find('|');
        stored[std::stoll(r.substr(0, bar))].push_back(
            nlohmann::json::parse(r.substr(bar + 1))["text"].get<std::string>());
    }
    std::lock_guard lock(delivered_mutex);
    CHECK(delivered.size() == stored.size());
    for (auto& [chat, texts] : stored) CHECK(delivered[chat] == texts);
    CHECK(opas.terminate() == 0);
}

TEST_CASE("slow clients dribbling headers are cut off and do not block other requests") {
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api, R"("listen": {"address": "127.0.0.1", "port": 0, "threads": 2, "header_timeout_ms": 1500})"));
    constexpr int slow_clients = 300;
    std::vector<int> fds;
    for (int i = 0; i < slow_clients; ++i) {
        const int fd = connect_loopback(opas.port());
        REQUIRE(fd >= 0);
        const std::string start = "POST /webhooks/telegram HTTP/1.1\r\nHost: x\r\n";
        REQUIRE(::send(fd, start.data(), start.size(), MSG_NOSIGNAL) > 0);
        fds.push_back(fd);
    }
    // While they dribble one header byte at a time, real requests are served.
    std::atomic<bool> dribbling{true};
    std::thread dribbler([&] {
        while (dribbling) {
            for (int fd : fds) ::send(fd, "X", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    CHECK(post_update(opas.port(), 1, 1) == 200);
    CHECK(http_request(opas.port(), "GET", "/healthz").status == 200);
    // The header deadline covers the whole header, however slowly it trickles in.
    const bool all_cut = wait_until([&] {
        for (int fd : fds)
            if (!closed_by_peer(fd)) return false;
        return true;
    }, std::chrono::seconds(10));
    dribbling = false;
    dribbler.join();
    for (int fd : fds) ::close(fd);
    CHECK(all_cut);
    CHECK(post_update(opas.port(), 2, 2) == 200);
    CHECK(opas.terminate() == 0);
}

TEST_CASE("ten thousand idle connections do not stop service") {
    rlimit lim{};
    REQUIRE(::getrlimit(RLIMIT_NOFILE, &lim) == 0);
    lim.rlim_cur = lim.rlim_max;  // the child inherits it
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &lim) == 0);
    REQUIRE(lim.rlim_cur >= 10500);
    temp_dir dir;
    fake_api api;
    opas_process opas(dir.path(), test_config(dir.path(), api, R"("log_level": "warn")"));
    constexpr int idle = 10000;
    std::vector<int> fds;
    fds.reserve(idle);
    for (int i = 0; i < idle; ++i) {
        const int fd = connect_loopback(opas.port());
        if (fd < 0) break;
        fds.push_back(fd);
    }
    CHECK(fds.size() == idle);
    const auto started = std::chrono::steady_clock::now();
    CHECK(post_update(opas.port(), 1, 1) == 200);
    CHECK(http_request(opas.port(), "GET", "/healthz").status == 200);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    long long open = 0;
    CHECK(wait_until([&] { return (open = metric(opas.port(), "opas_open_connections")) >= idle; }));
    WARN("with " << fds.size() << " idle connections: a webhook and a health check took "
                 << took.count() * 1000 << " ms; the server counts " << open << " open connections");
    for (int fd : fds) ::close(fd);
    CHECK(wait_until([&] { return metric(opas.port(), "opas_open_connections") < 10; }));
    CHECK(opas.terminate() == 0);
}
