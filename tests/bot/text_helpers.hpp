#pragma once
// Small text helpers shared by the bot test fixtures.
#include <string>

namespace opas::bot::test {

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace opas::bot::test
