#pragma once
// A config file for tests that load one.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace opas::bot::test {

// Writes `text` to a new file in the temp directory and returns its path.
inline std::string write_config(const std::string& text) {
    static int n = 0;
    const auto path = std::filesystem::temp_directory_path() /
                      ("opas-config-test-" + std::to_string(::getpid()) + "-" +
                       std::to_string(++n) + ".json");
    std::ofstream(path) << text;
    return path.string();
}

}  // namespace opas::bot::test
