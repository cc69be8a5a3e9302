#pragma once
// Plain binary writing and checked reading of trained model parts (the model cache,
// model::load_cached). Native byte order: a cache file is read back by the build that wrote it.

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace opas::intents {

class byte_writer {
public:
    template <class T>
    void pod(const T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        out_.append(reinterpret_cast<const char*>(&value), sizeof(T));
    }
    template <class T, class A>
    void vec(const std::vector<T, A>& values) {
        static_assert(std::is_trivially_copyable_v<T>);
        pod<std::uint64_t>(values.size());
        out_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
    }
    void str(std::string_view s) {
        pod<std::uint64_t>(s.size());
        out_.append(s);
    }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

// Every read checks the bytes left; a short or inconsistent input throws std::runtime_error.
class byte_reader {
public:
    explicit byte_reader(std::string_view in) : in_(in) {}

    template <class T>
    T pod() {
        static_assert(std::is_trivially_copyable_v<T>);
        T value;
        std::memcpy(&value, take(sizeof(T)), sizeof(T));
        return value;
    }
    template <class T, class A>
    void vec(std::vector<T, A>& values) {
        static_assert(std::is_trivially_copyable_v<T>);
        const auto n = count(sizeof(T));
        values.resize(n);
        if (n > 0) std::memcpy(values.data(), take(n * sizeof(T)), n * sizeof(T));
    }
    std::string str() {
        const auto n = count(1);
        return std::string(take(n), n);
    }
    // A count of items of `size` bytes each, no more than the bytes left could hold.
    std::size_t count(std::size_t size) {
        const auto n = pod<std::uint64_t>();
        if (n > (in_.size() - pos_) / size) fail();
        return static_cast<std::size_t>(n);
    }
    bool done() const { return pos_ == in_.size(); }
    [[noreturn]] static void fail() { throw std::runtime_error("damaged model data"); }

private:
    const char* take(std::size_t n) {
        if (n > in_.size() - pos_) fail();
        const char* p = in_.data() + pos_;
        pos_ += n;
        return p;
    }
    std::string_view in_;
    std::size_t pos_ = 0;
};

}  // namespace opas::intents
