// libFuzzer target: bot::load_config on a config file with the fuzzed bytes. A bad file must
// end in config_error (one clear line), never in another exception or a crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "bot/config.hpp"

namespace {

const std::string& config_path() {
    static const std::string path = [] {
        std::string templ = "/tmp/opas-fuzz-config-XXXXXX";
        const int fd = mkstemp(templ.data());
        if (fd >= 0) close(fd);
        return templ;
    }();
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    {
        std::ofstream out(config_path(), std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        const auto cfg = opas::bot::load_config(config_path(), {});
        if (cfg.listen_port < 0 || cfg.listen_port > 65535) __builtin_trap();
    } catch (const opas::bot::config_error&) {
    }
    return 0;
}
