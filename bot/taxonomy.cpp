#include "bot/taxonomy.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "intents/locale_data.hpp"

namespace opas::bot {
namespace {
constexpr std::size_t min_examples = 40;
}

std::vector<std::string> check_intent_examples(const std::string& dir, const std::string& code) {
    const auto file = std::filesystem::path(dir) / code / "intents.json";
    std::ifstream in(file, std::ios::binary);
    if (!in) return {"intents.json missing"};
    std::stringstream buf;
    buf << in.rdbuf();
    const auto doc = nlohmann::json::parse(buf.str(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return {"intents.json is not a JSON object"};
    std::vector<std::string> out;
    const auto names = intents::intent_taxonomy();
    for (const auto name_view : names) {
        const std::string name(name_view);
        if (!doc.contains(name) || !doc[name].is_array() || doc[name].empty()) {
            out.push_back("intent " + name + " has no examples");
            continue;
        }
        const auto n = std::count_if(doc[name].begin(), doc[name].end(),
                                     [](const auto& e) { return e.is_string(); });
        if (static_cast<std::size_t>(n) < min_examples)
            out.push_back("intent " + name + " has only " + std::to_string(n) + " examples (at least " +
                          std::to_string(min_examples) + ")");
    }
    for (const auto& [name, _] : doc.items())
        if (std::find(names.begin(), names.end(), name) == names.end())
            out.push_back("intent " + name + " is not in the taxonomy");
    return out;
}

}  // namespace opas::bot
