#pragma once
// A small status value in the leveldb manner, and result<T> = value or status.
// Used by storage/ and by everything above it for expected runtime failures.

#include <string>
#include <utility>
#include <variant>

namespace opas::storage {

class status {
public:
    enum class code { ok, not_found, duplicate, busy, io_error, read_only, full, invalid, internal };

    status() = default;
    static status ok_status() { return {}; }
    static status not_found(std::string msg) { return {code::not_found, std::move(msg)}; }
    static status duplicate(std::string msg) { return {code::duplicate, std::move(msg)}; }
    static status busy(std::string msg) { return {code::busy, std::move(msg)}; }
    static status io_error(std::string msg) { return {code::io_error, std::move(msg)}; }
    static status read_only(std::string msg) { return {code::read_only, std::move(msg)}; }
    static status full(std::string msg) { return {code::full, std::move(msg)}; }
    static status invalid(std::string msg) { return {code::invalid, std::move(msg)}; }
    static status internal(std::string msg) { return {code::internal, std::move(msg)}; }

    bool ok() const { return code_ == code::ok; }
    code kind() const { return code_; }
    const std::string& message() const { return message_; }

private:
    status(code c, std::string msg) : code_(c), message_(std::move(msg)) {}
    code code_ = code::ok;
    std::string message_;
};

template <class T>
class result {
public:
    result(T value) : v_(std::move(value)) {}
    result(status s) : v_(std::move(s)) {}

    bool ok() const { return std::holds_alternative<T>(v_); }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<T>(v_); }
    const T& value() const { return std::get<T>(v_); }
    T& operator*() { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    status error() const { return ok() ? status{} : std::get<status>(v_); }

private:
    std::variant<T, status> v_;
};

}  // namespace opas::storage
