#pragma once
// Loopback test harness: the real `opas serve` binary in a child process, fake Telegram and
// WhatsApp APIs that record what they receive, and a small synchronous HTTP client.
// Beast stays inside harness.cpp so the test files compile quickly.

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace opas::testing {

struct recorded_call {
    std::string method;
    std::string target;
    std::string body;
    std::string authorization;
};

struct canned_response {
    int status = 200;
    std::string body;
};

// A fake platform API on 127.0.0.1:<port>. By default answers like Telegram / WhatsApp do on
// success; `respond_with` replaces that.
class fake_api {
public:
    fake_api();
    ~fake_api();
    unsigned short port() const;
    std::string base_url() const;  // http://127.0.0.1:<port>
    std::vector<recorded_call> calls() const;
    std::size_t count(const std::string& target_suffix) const;
    void respond_with(std::function<canned_response(const recorded_call&)> responder);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// The success answer of each platform for a path (sendMessage, answerCallbackQuery, messages).
canned_response default_api_response(const recorded_call& call);

// A temp directory removed at the end of the test.
class temp_dir {
public:
    temp_dir();
    ~temp_dir();
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// `opas serve --config <file>` as a child process.
class opas_process {
public:
    // Writes `config_json` to <dir>/opas.json and starts the binary in the repository root.
    opas_process(const std::string& dir, const std::string& config_json);
    ~opas_process();  // SIGKILL if still running
    unsigned short port() const { return port_; }
    int terminate(int signal = 15);  // sends the signal, waits, returns the exit code
    void kill_now();                 // SIGKILL, waits
    bool running() const { return pid_ > 0; }

private:
    pid_t pid_ = -1;
    unsigned short port_ = 0;
};

// Runs the binary with arguments, feeding `input` on stdin; returns exit code and output.
struct run_result {
    int exit_code = -1;
    std::string out;
    std::string err;
};
run_result run_opas(const std::vector<std::string>& args, const std::string& input = "",
                    const std::map<std::string, std::string>& env = {});

struct http_response {
    int status = 0;  // 0: connection failed
    std::string body;
};
http_response http_request(unsigned short port, const std::string& method,
                           const std::string& target, const std::string& body = "",
                           const std::map<std::string, std::string>& headers = {});

// Polls `condition` until true or the timeout; returns the last value.
bool wait_until(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(15));

// A config for a test server: loopback, port 0, database in `dir`, both channels on the fake.
std::string test_config(const std::string& dir, const fake_api& api,
                        const std::string& extra_json_members = "");

constexpr const char* telegram_secret = "test-secret_123";
constexpr const char* whatsapp_secret = "app-secret";
constexpr const char* whatsapp_verify = "verify-me";

std::string telegram_text_update(long long update_id, long long user_id, const std::string& text,
                                 const std::string& language_code = "en");
std::string whatsapp_text_payload(const std::string& wamid, const std::string& from,
                                  const std::string& text);
std::string whatsapp_signature(const std::string& body, const std::string& secret);

// The header Telegram sends with every update (telegram_secret below).
std::map<std::string, std::string> secret_header();
// POST /webhooks/whatsapp with the body signed by whatsapp_secret, as Meta sends it.
http_response post_signed(const opas_process& p, const std::string& body);
// The texts (plain and interactive bodies) the fake WhatsApp API was asked to send to `phone`.
std::vector<std::string> whatsapp_texts_to(const fake_api& api, const std::string& phone);
// A whole file as bytes ("" when it cannot be read).
std::string read_file(const std::string& path);

// Rows of a query on the SQLite file (each row joined by '|').
std::vector<std::string> sql_rows(const std::string& db_path, const std::string& query);

}  // namespace opas::testing
