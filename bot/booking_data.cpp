#include "bot/booking_data.hpp"

#include "storage/database.hpp"

namespace opas::bot {
namespace {

class sqlite_booking_data final : public booking_data {
public:
    sqlite_booking_data(storage::database& db, person_ref person) : db_(db), person_(std::move(person)) {}

private:
    [[maybe_unused]] storage::database& db_;
    person_ref person_;
};

}  // namespace

std::unique_ptr<booking_data> make_booking_data(storage::database& db, const person_ref& person) {
    return std::make_unique<sqlite_booking_data>(db, person);
}

}  // namespace opas::bot
