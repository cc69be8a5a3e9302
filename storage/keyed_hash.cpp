#include "storage/keyed_hash.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <array>

namespace opas::storage {
namespace {

constexpr std::size_t key_bytes = 32;
constexpr char hex_digits[] = "0123456789abcdef";

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

struct keyed_hash::state {
    EVP_MAC* mac = nullptr;
    EVP_MAC_CTX* ctx = nullptr;  // initialized with the key; copied for each hash
    ~state() {
        EVP_MAC_CTX_free(ctx);  // OpenSSL cleanses the key material
        EVP_MAC_free(mac);
    }
};

keyed_hash::keyed_hash(std::unique_ptr<state> s) : state_(std::move(s)) {}
keyed_hash::keyed_hash(keyed_hash&&) noexcept = default;
keyed_hash& keyed_hash::operator=(keyed_hash&&) noexcept = default;
keyed_hash::~keyed_hash() = default;

std::optional<keyed_hash> keyed_hash::make(std::span<const unsigned char> key) {
    if (key.empty()) return std::nullopt;
    auto s = std::make_unique<state>();
    s->mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (s->mac == nullptr) return std::nullopt;
    s->ctx = EVP_MAC_CTX_new(s->mac);
    if (s->ctx == nullptr) return std::nullopt;
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };
    if (EVP_MAC_init(s->ctx, key.data(), key.size(), params) != 1) return std::nullopt;
    return keyed_hash(std::move(s));
}

std::string keyed_hash::hex(std::string_view a, std::string_view b, std::string_view c) const {
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(state_->ctx);
    if (ctx == nullptr) return {};
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    std::size_t out_len = 0;
    const auto* pa = reinterpret_cast<const unsigned char*>(a.data());
    const auto* pb = reinterpret_cast<const unsigned char*>(b.data());
    const auto* pc = reinterpret_cast<const unsigned char*>(c.data());
    const bool ok = EVP_MAC_update(ctx, pa, a.size()) == 1 &&
                    EVP_MAC_update(ctx, pb, b.size()) == 1 &&
                    EVP_MAC_update(ctx, pc, c.size()) == 1 &&
                    EVP_MAC_final(ctx, out.data(), &out_len, out.size()) == 1;
    EVP_MAC_CTX_free(ctx);
    if (!ok) return {};
    return to_hex(std::span(out.data(), out_len));
}

std::vector<unsigned char> key_from_config(std::string_view configured) {
    if (configured.size() >= 32) {
        if (auto bytes = from_hex(configured)) return std::move(*bytes);
    }
    return {configured.begin(), configured.end()};
}

std::vector<unsigned char> random_key() {
    std::vector<unsigned char> key(key_bytes);
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) return {};
    return key;
}

std::string to_hex(std::span<const unsigned char> bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const unsigned char b : bytes) {
        out += hex_digits[b >> 4];
        out += hex_digits[b & 0x0f];
    }
    return out;
}

std::optional<std::vector<unsigned char>> from_hex(std::string_view text) {
    if (text.size() % 2 != 0) return std::nullopt;
    std::vector<unsigned char> out;
    out.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int hi = hex_value(text[i]);
        const int lo = hex_value(text[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<unsigned char>(hi << 4 | lo));
    }
    return out;
}

void wipe(std::vector<unsigned char>& secret) {
    if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
    secret.clear();
}

void wipe(std::string& secret) {
    if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
    secret.clear();
}

}  // namespace opas::storage
