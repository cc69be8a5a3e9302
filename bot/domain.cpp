#include "bot/domain.hpp"

#include "bot/booking_data.hpp"
#include "bot/handover_data.hpp"
#include "bot/volunteer_data.hpp"

namespace opas::bot {

sqlite_domain::sqlite_domain(storage::database& db, person_ref person)
    : bookings_(make_booking_data(db, person)),
      volunteers_(make_volunteer_data(db, person)),
      handovers_(make_handover_data(db, person)) {}

sqlite_domain::~sqlite_domain() = default;

domain sqlite_domain::view() { return {*bookings_, *volunteers_, *handovers_}; }

}  // namespace opas::bot
