#pragma once
// JSON read by hand where it is read on every request: a Telegram update (webhooks/telegram.cpp)
// and the conversation state (bot/conversation_state.cpp). nlohmann's parser spent 57,000
// instructions on those two per update, a fifth of opas's; this reader takes under a quarter
// of that (callgrind, README Performance).
// Everywhere else, nlohmann stays the way to read JSON.
//
// It accepts exactly what nlohmann::json::parse(text, nullptr, false) accepts (RFC 8259,
// strings checked as UTF-8, a leading byte order mark skipped, nothing after the value) and
// reads the same values: of a repeated member the last counts, and an integer outside 64 bits
// is a floating number. tests/bot/json_read_test.cpp compares the two.
//
// A document points into the text it was read from: keep the text while the document lives.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace opas::bot::json_read {

enum class type : std::uint8_t { null, boolean, integer, floating, string, array, object };

// A value lives in its document (it finds its members next to itself): use it by reference.
class value {
public:
    value() = default;
    value(const value&) = delete;
    value& operator=(const value&) = delete;
    value(value&&) = default;
    value& operator=(value&&) = default;

    type kind() const { return kind_; }
    bool is_object() const { return kind_ == type::object; }
    bool is_array() const { return kind_ == type::array; }
    bool is_string() const { return kind_ == type::string; }
    bool is_boolean() const { return kind_ == type::boolean; }
    bool is_integer() const { return kind_ == type::integer; }

    // The member `key` of an object (the last one, if repeated); null when absent or not an object.
    const value* find(std::string_view key) const;
    // An object member's name (empty for anything else).
    std::string_view key() const { return key_; }
    // The text of a string (escapes decoded), the decimal text of an integer as nlohmann's
    // dump() writes it, the literal of a floating number; empty for the rest.
    std::string_view text() const { return text_; }
    bool boolean() const { return boolean_; }
    // An integer as nlohmann's get<std::int64_t>() gives it (0 for anything else).
    std::int64_t integer() const;

    // Elements of an array or members of an object: first() then next() until null.
    const value* first() const { return count_ > 1 && kind_ >= type::array ? this + 1 : nullptr; }
    const value* next(const value& child) const {
        const value* after = &child + child.count_;
        return after < this + count_ ? after : nullptr;
    }

private:
    friend class reader;
    std::string_view key_;
    std::string_view text_;
    std::uint32_t count_ = 1;  // values in this one's subtree, itself included
    type kind_ = type::null;
    bool boolean_ = false;
};

class document {
public:
    // Nothing when `text` is not one JSON value.
    static std::optional<document> parse(std::string_view text);
    const value& root() const { return values_.front(); }

private:
    friend class reader;
    std::vector<value> values_;              // in document order: a value, then its subtree
    std::unique_ptr<char[]> decoded_;        // strings with escapes, decoded
};

}  // namespace opas::bot::json_read
