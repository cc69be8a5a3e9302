#pragma once
// HMAC-SHA256 with the pseudonym key, private to storage/.
//
// The key is loaded into an OpenSSL MAC context once; each hash works on a copy of that
// context. The key itself is never returned, printed or kept elsewhere in this object.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace opas::storage {

class keyed_hash {
public:
    // nullopt when OpenSSL cannot set up HMAC-SHA256 with this key.
    static std::optional<keyed_hash> make(std::span<const unsigned char> key);
    keyed_hash(keyed_hash&&) noexcept;
    keyed_hash& operator=(keyed_hash&&) noexcept;
    ~keyed_hash();

    // Lower-case hex of HMAC-SHA256(key, a + b + c), 64 characters; "" if OpenSSL fails.
    std::string hex(std::string_view a, std::string_view b = {}, std::string_view c = {}) const;

private:
    struct state;
    explicit keyed_hash(std::unique_ptr<state> s);
    std::unique_ptr<state> state_;
};

// The bytes of a configured key: hex text (even length, at least 32 hex digits) is decoded,
// anything else is used as raw bytes.
std::vector<unsigned char> key_from_config(std::string_view configured);

// 32 bytes from OpenSSL's CSPRNG; empty on failure.
std::vector<unsigned char> random_key();

std::string to_hex(std::span<const unsigned char> bytes);
// nullopt unless `text` is an even number of hex digits.
std::optional<std::vector<unsigned char>> from_hex(std::string_view text);

// Overwrites a buffer that held a secret.
void wipe(std::vector<unsigned char>& secret);
void wipe(std::string& secret);

}  // namespace opas::storage
