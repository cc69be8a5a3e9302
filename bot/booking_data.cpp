#include "bot/booking_data.hpp"

#include "storage/database.hpp"

namespace opas::bot {
namespace {

class sqlite_booking_data final : public booking_data {
public:
    sqlite_booking_data(storage::database& db, person_ref person)
        : store_(db), person_(std::move(person)) {}

    storage::result<std::vector<appointment>> upcoming(std::int64_t now_s) override {
        return store_.upcoming_of(person_.id, now_s);
    }

    storage::result<appointment> find(std::int64_t id) override {
        auto row = store_.by_id(id);
        if (row.ok() && row->person_id != person_.id)
            return storage::status::not_found("booking not found");
        return row;
    }

    storage::result<std::map<std::int64_t, int>> taken(std::int64_t from,
                                                       std::int64_t to) override {
        return store_.taken_between(from, to);
    }

    storage::result<bool> closed(const std::string& day) override { return store_.is_closed(day); }

    storage::result<storage::book_result> book(appointment a, const std::string& day,
                                               int capacity, int max_active, std::int64_t now_s,
                                               std::int64_t replacing) override {
        a.person_id = person_.id;
        a.pseudonym = person_.pseudonym;
        return store_.book(a, day, capacity, max_active, now_s, replacing);
    }

    storage::status cancel(std::int64_t id, std::int64_t now_s) override {
        if (auto own = find(id); !own.ok()) return own.error();
        return store_.cancel(id, now_s);
    }

    storage::status mark_moved(std::int64_t id, std::int64_t moved_to,
                               std::int64_t now_s) override {
        if (auto own = find(id); !own.ok()) return own.error();
        return store_.mark_moved(id, moved_to, now_s);
    }

private:
    storage::booking_store store_;
    person_ref person_;
};

}  // namespace

std::unique_ptr<booking_data> make_booking_data(storage::database& db, const person_ref& person) {
    return std::make_unique<sqlite_booking_data>(db, person);
}

}  // namespace opas::bot
