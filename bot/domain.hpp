#pragma once
// What flows may read and change beyond the person's own conversation state: appointments,
// volunteers and shifts, handovers. The engine sees only these interfaces, so it stays a
// function of (message, state, domain view) that tests can drive with fakes; the dispatcher
// gives it SQLite-backed implementations that work inside the turn's transaction (so a booking
// checks capacity atomically: there is one writer).
//
// Each feature owns its interface and its implementation:
//   booking_data   -> bot/booking_data.hpp/.cpp   (flow_booking.cpp)
//   volunteer_data -> bot/volunteer_data.hpp/.cpp (flow_volunteer.cpp)
//   handover_data  -> bot/handover_data.hpp/.cpp  (flow_handover.cpp)

#include <cstdint>
#include <memory>
#include <string>

namespace opas::storage {
class database;
}

namespace opas::bot {

// The person a turn is about (never a platform id).
struct person_ref {
    std::int64_t id = 0;
    std::string pseudonym;
    std::string channel;               // telegram | whatsapp | console
    std::int64_t last_inbound_at = 0;  // unix seconds
};

class booking_data;
class volunteer_data;
class handover_data;

struct domain {
    booking_data& bookings;
    volunteer_data& volunteers;
    handover_data& handovers;
};

// The SQLite-backed domain of one person for one turn (owned by the dispatcher).
class sqlite_domain {
public:
    sqlite_domain(storage::database& db, person_ref person);
    ~sqlite_domain();
    domain view();

private:
    std::unique_ptr<booking_data> bookings_;
    std::unique_ptr<volunteer_data> volunteers_;
    std::unique_ptr<handover_data> handovers_;
};

}  // namespace opas::bot
