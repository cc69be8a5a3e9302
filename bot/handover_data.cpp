#include "bot/handover_data.hpp"

#include "storage/database.hpp"

namespace opas::bot {
namespace {

class sqlite_handover_data final : public handover_data {
public:
    sqlite_handover_data(storage::database& db, person_ref person) : db_(db), person_(std::move(person)) {}

private:
    [[maybe_unused]] storage::database& db_;
    person_ref person_;
};

}  // namespace

std::unique_ptr<handover_data> make_handover_data(storage::database& db, const person_ref& person) {
    return std::make_unique<sqlite_handover_data>(db, person);
}

}  // namespace opas::bot
