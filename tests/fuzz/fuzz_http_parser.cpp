// libFuzzer target: the HTTP/1.1 request reading of webhooks/server.cpp without sockets.
// The bytes go, in chunks of a size taken from the first byte, into a request_parser
// configured like the server's (header limit 16 KiB, body limit 1 MiB); several pipelined
// requests are read one after another as on a keep-alive connection. For each complete
// request the server's routing inputs (target, method, headers, body) are read back.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstring>
#include <cstdint>
#include <string_view>

namespace beast = boost::beast;
namespace http = beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t chunk = 1 + data[0] % 64;
    std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    beast::flat_buffer buffer;  // what arrived and was not consumed yet
    for (int requests = 0; requests < 16; ++requests) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(16 * 1024);
        parser.body_limit(1 << 20);
        parser.eager(true);
        beast::error_code ec;
        bool failed = false;
        while (!parser.is_done()) {
            if (buffer.size() == 0 || ec == http::error::need_more) {
                if (rest.empty()) {
                    failed = true;  // EOF in the middle of a request
                    break;
                }
                const auto n = std::min(chunk, rest.size());
                auto dst = buffer.prepare(n);
                std::memcpy(dst.data(), rest.data(), n);
                buffer.commit(n);
                rest.remove_prefix(n);
            }
            ec = {};
            const auto used = parser.put(buffer.data(), ec);
            buffer.consume(used);
            if (ec && ec != http::error::need_more) {
                failed = true;
                break;
            }
            if (parser.is_header_done() && parser.content_length() &&
                *parser.content_length() > (1u << 20)) {
                failed = true;  // the server answers 413
                break;
            }
        }
        if (failed) break;
        const auto req = parser.release();
        const std::string_view target = req.target();
        volatile std::size_t sink = target.find('?') + req.body().size() +
                                    req["X-Telegram-Bot-Api-Secret-Token"].size() +
                                    req["X-Hub-Signature-256"].size() +
                                    static_cast<std::size_t>(req.method()) + req.keep_alive();
        (void)sink;
        if (!req.keep_alive()) break;
    }
    return 0;
}
