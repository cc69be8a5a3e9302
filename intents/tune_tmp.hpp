#pragma once
// TEMPORARY experiment knobs (accuracy helper); removed before hand-off.
#include <cstdlib>
namespace opas::intents {
inline double tune(const char* name, double fallback) {
    const char* v = std::getenv(name);
    return v ? std::atof(v) : fallback;
}
}  // namespace opas::intents
