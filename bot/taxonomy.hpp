#pragma once
// The check of a language's intents.json against the taxonomy (intents::intent_taxonomy()).

#include <string>
#include <vector>

namespace opas::bot {

// Problems of locales/<code>/intents.json: unreadable, intents missing or without examples,
// names outside the taxonomy, fewer examples than the locale guide asks for.
std::vector<std::string> check_intent_examples(const std::string& dir, const std::string& code);

}  // namespace opas::bot
