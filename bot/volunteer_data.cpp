#include "bot/volunteer_data.hpp"

#include "storage/database.hpp"

namespace opas::bot {
namespace {

class sqlite_volunteer_data final : public volunteer_data {
public:
    sqlite_volunteer_data(storage::database& db, person_ref person) : db_(db), person_(std::move(person)) {}

private:
    [[maybe_unused]] storage::database& db_;
    person_ref person_;
};

}  // namespace

std::unique_ptr<volunteer_data> make_volunteer_data(storage::database& db, const person_ref& person) {
    return std::make_unique<sqlite_volunteer_data>(db, person);
}

}  // namespace opas::bot
