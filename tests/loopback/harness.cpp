#include "tests/loopback/harness.hpp"

#include <fcntl.h>
#include <openssl/hmac.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace opas::testing {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

}  // namespace

// ---- fake_api --------------------------------------------------------------------------

struct fake_api::impl {
    net::io_context ioc;
    tcp::acceptor acceptor{ioc};
    std::thread thread;
    mutable std::mutex mutex;  // guards calls and responder
    std::vector<recorded_call> calls;
    std::function<canned_response(const recorded_call&)> responder = default_api_response;

    net::awaitable<void> session(tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        for (;;) {
            http::request<http::string_body> req;
            auto [ec, n] = co_await http::async_read(stream, buffer, req,
                                                     net::as_tuple(net::use_awaitable));
            if (ec) break;
            recorded_call call{std::string(req.method_string()), std::string(req.target()),
                               req.body(), std::string(req[http::field::authorization])};
            canned_response answer;
            {
                std::lock_guard lock(mutex);
                calls.push_back(call);
                answer = responder(call);
            }
            http::response<http::string_body> res{static_cast<http::status>(answer.status), 11};
            res.set(http::field::content_type, "application/json");
            res.body() = answer.body;
            res.keep_alive(req.keep_alive());
            res.prepare_payload();
            auto [wec, w] = co_await http::async_write(stream, res, net::as_tuple(net::use_awaitable));
            if (wec || !req.keep_alive()) break;
        }
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    }

    net::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(net::as_tuple(net::use_awaitable));
            if (ec) co_return;
            net::co_spawn(ioc, session(std::move(socket)), net::detached);
        }
    }
};

fake_api::fake_api() : impl_(std::make_unique<impl>()) {
    const tcp::endpoint ep{net::ip::make_address("127.0.0.1"), 0};
    impl_->acceptor.open(ep.protocol());
    impl_->acceptor.bind(ep);
    impl_->acceptor.listen();
    net::co_spawn(impl_->ioc, impl_->accept_loop(), net::detached);
    impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

fake_api::~fake_api() {
    impl_->ioc.stop();
    impl_->thread.join();
}

unsigned short fake_api::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string fake_api::base_url() const { return "http://127.0.0.1:" + std::to_string(port()); }

std::vector<recorded_call> fake_api::calls() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->calls;
}

std::size_t fake_api::count(const std::string& suffix) const {
    std::lock_guard lock(impl_->mutex);
    std::size_t n = 0;
    for (const auto& c : impl_->calls)
        if (c.target.size() >= suffix.size() &&
            c.target.compare(c.target.size() - suffix.size(), suffix.size(), suffix) == 0)
            ++n;
    return n;
}

void fake_api::respond_with(std::function<canned_response(const recorded_call&)> responder) {
    std::lock_guard lock(impl_->mutex);
    impl_->responder = std::move(responder);
}

canned_response default_api_response(const recorded_call& call) {
    static std::atomic<long long> next_id{1000};
    const long long id = ++next_id;
    if (call.target.find("/messages") != std::string::npos)
        return {200, R"({"messaging_product":"whatsapp","contacts":[{"input":"x","wa_id":"x"}],"messages":[{"id":"wamid.out)" +
                         std::to_string(id) + "\"}]}"};
    if (call.target.find("answerCallbackQuery") != std::string::npos)
        return {200, R"({"ok":true,"result":true})"};
    return {200, R"({"ok":true,"result":{"message_id":)" + std::to_string(id) +
                     R"(,"date":1700000000,"chat":{"id":1,"type":"private"},"text":"x"}})"};
}

// ---- temp_dir --------------------------------------------------------------------------

temp_dir::temp_dir() {
    std::string templ = (std::filesystem::temp_directory_path() / "opas-test-XXXXXX").string();
    if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
    path_ = templ;
}

temp_dir::~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

// ---- processes -------------------------------------------------------------------------

namespace {

pid_t spawn(const std::vector<std::string>& args, int in_fd, int out_fd, int err_fd,
            const std::map<std::string, std::string>& env) {
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        if (chdir(OPAS_SOURCE_DIR) != 0) _exit(127);
        dup2(in_fd, 0);
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
        std::vector<char*> argv;
        std::string binary = OPAS_BINARY;
        argv.push_back(binary.data());
        std::vector<std::string> copy = args;
        for (auto& a : copy) argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(binary.c_str(), argv.data());
        _exit(127);
    }
    return pid;
}

int wait_exit(pid_t pid) {
    int status = 0;
    if (waitpid(pid, &status, 0) < 0) return -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace

opas_process::opas_process(const std::string& dir, const std::string& config_json) {
    const std::string config = dir + "/opas.json";
    std::ofstream(config) << config_json;
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    const int null_in = open("/dev/null", O_RDONLY);
    const int err = open((dir + "/stderr.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    pid_ = spawn({"serve", "--config", config}, null_in, out[1], err, {});
    close(out[1]);
    close(null_in);
    close(err);
    // Read stdout until the line that says where it listens.
    std::string text;
    char buf[512];
    const std::string marker = "opas listening on http://127.0.0.1:";
    for (;;) {
        const auto n = read(out[0], buf, sizeof buf);
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
        const auto at = text.find(marker);
        if (at != std::string::npos && text.find('\n', at) != std::string::npos) {
            port_ = static_cast<unsigned short>(std::stoi(text.substr(at + marker.size())));
            break;
        }
    }
    // Keep draining stdout in the background so the child never blocks on a full pipe.
    std::thread([fd = out[0]] {
        char sink[512];
        while (read(fd, sink, sizeof sink) > 0) {
        }
        close(fd);
    }).detach();
    if (port_ == 0) {
        const int code = wait_exit(pid_);
        pid_ = -1;
        throw std::runtime_error("opas serve did not start (exit " + std::to_string(code) +
                                 "): " + read_file(dir + "/stderr.log"));
    }
}

opas_process::~opas_process() {
    if (pid_ > 0) kill_now();
}

int opas_process::terminate(int signal) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    const int code = wait_exit(pid_);
    pid_ = -1;
    return code;
}

void opas_process::kill_now() { terminate(SIGKILL); }

run_result run_opas(const std::vector<std::string>& args, const std::string& input,
                    const std::map<std::string, std::string>& env) {
    temp_dir dir;
    const std::string in_path = dir.path() + "/in", out_path = dir.path() + "/out",
                      err_path = dir.path() + "/err";
    std::ofstream(in_path, std::ios::binary) << input;
    const int in = open(in_path.c_str(), O_RDONLY);
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const pid_t pid = spawn(args, in, out, err, env);
    close(in);
    close(out);
    close(err);
    run_result r;
    r.exit_code = wait_exit(pid);
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    return r;
}

// ---- client ----------------------------------------------------------------------------

http_response http_request(unsigned short port, const std::string& method,
                           const std::string& target, const std::string& body,
                           const std::map<std::string, std::string>& headers) {
    try {
        net::io_context ioc;
        beast::tcp_stream stream(ioc);
        stream.expires_after(std::chrono::seconds(30));
        stream.connect(tcp::endpoint{net::ip::make_address("127.0.0.1"), port});
        http::request<http::string_body> req{http::string_to_verb(method), target, 11};
        req.set(http::field::host, "127.0.0.1");
        for (const auto& [k, v] : headers) req.set(k, v);
        if (!body.empty()) req.set(http::field::content_type, "application/json");
        req.body() = body;
        req.prepare_payload();
        beast::error_code write_ec;
        http::write(stream, req, write_ec);  // a server may answer (413) before reading it all
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 << 20);
        http::read(stream, buffer, parser);
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        return {static_cast<int>(parser.get().result_int()), parser.get().body()};
    } catch (const std::exception&) {
        return {};
    }
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return condition();
}

std::string test_config(const std::string& dir, const fake_api& api,
                        const std::string& extra) {
    nlohmann::json c;
    c["listen"] = {{"address", "127.0.0.1"}, {"port", 0}, {"threads", 2}};
    c["database"] = dir + "/opas.db";
    c["database_sync_full"] = false;
    c["locales_dir"] = std::string(OPAS_SOURCE_DIR) + "/locales";
    c["log_level"] = "debug";
    c["telegram"] = {{"api_base", api.base_url()},
                     {"bot_token", "123:TEST"},
                     {"secret_token", telegram_secret},
                     {"per_chat_interval_ms", 0},
                     {"rate_per_second", 1000}};
    c["whatsapp"] = {{"api_base", api.base_url() + "/v21.0"},
                     {"phone_number_id", "555000"},
                     {"access_token", "wa-token"},
                     {"app_secret", whatsapp_secret},
                     {"verify_token", whatsapp_verify},
                     {"rate_per_second", 1000}};
    std::string text = c.dump();
    if (!extra.empty()) text = text.substr(0, text.size() - 1) + "," + extra + "}";
    return text;
}

std::string telegram_text_update(long long update_id, long long user_id, const std::string& text,
                                 const std::string& language_code) {
    nlohmann::json u;
    u["update_id"] = update_id;
    u["message"] = {{"message_id", update_id % 100000},
                    {"from", {{"id", user_id}, {"is_bot", false}, {"first_name", "Test"},
                              {"language_code", language_code}}},
                    {"chat", {{"id", user_id}, {"type", "private"}, {"first_name", "Test"}}},
                    {"date", 1764000000},
                    {"text", text}};
    return u.dump();
}

std::string whatsapp_text_payload(const std::string& wamid, const std::string& from,
                                  const std::string& text) {
    using nlohmann::json;
    json message = {{"from", from},
                    {"id", wamid},
                    {"timestamp", "1764000000"},
                    {"type", "text"},
                    {"text", {{"body", text}}}};
    json value = {{"messaging_product", "whatsapp"},
                  {"metadata", {{"display_phone_number", "15550783881"}, {"phone_number_id", "555000"}}},
                  {"contacts", json::array({{{"profile", {{"name", "Test Person"}}}, {"wa_id", from}}})},
                  {"messages", json::array({message})}};
    json change = {{"field", "messages"}, {"value", value}};
    json entry = {{"id", "102290129340398"}, {"changes", json::array({change})}};
    json payload = {{"object", "whatsapp_business_account"}, {"entry", json::array({entry})}};
    return payload.dump();
}

std::string whatsapp_signature(const std::string& body, const std::string& secret) {
    unsigned char mac[32];
    unsigned int len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
    static const char* hex = "0123456789abcdef";
    std::string out = "sha256=";
    for (unsigned i = 0; i < len; ++i) {
        out += hex[mac[i] >> 4];
        out += hex[mac[i] & 15];
    }
    return out;
}

std::vector<std::string> sql_rows(const std::string& db_path, const std::string& query) {
    sqlite3* db = nullptr;
    std::vector<std::string> rows;
    if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return rows;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, query.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            std::string row;
            for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
                if (i) row += "|";
                const auto* t = sqlite3_column_text(stmt, i);
                row += t ? reinterpret_cast<const char*>(t) : "";
            }
            rows.push_back(row);
        }
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return rows;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

std::map<std::string, std::string> secret_header() {
    return {{"X-Telegram-Bot-Api-Secret-Token", telegram_secret}};
}

http_response post_signed(const opas_process& p, const std::string& body) {
    return http_request(p.port(), "POST", "/webhooks/whatsapp", body,
                        {{"X-Hub-Signature-256", whatsapp_signature(body, whatsapp_secret)}});
}

std::vector<std::string> whatsapp_texts_to(const fake_api& api, const std::string& phone) {
    std::vector<std::string> out;
    for (const auto& c : api.calls()) {
        if (c.target.find("/messages") == std::string::npos) continue;
        const auto j = nlohmann::json::parse(c.body, nullptr, false);
        if (j.is_discarded() || j.value("to", "") != phone) continue;
        if (j.contains("text")) out.push_back(j["text"].value("body", ""));
        else if (j.contains("interactive")) out.push_back(j["interactive"]["body"].value("text", ""));
    }
    return out;
}

}  // namespace opas::testing
