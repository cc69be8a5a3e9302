#pragma once
// Prometheus counters of the edge and the senders. Thread-safe (one mutex guards all maps).

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace opas::webhooks {

class metrics {
public:
    void request(const std::string& route, int status);
    void verification_failure(const std::string& channel);
    void send(const std::string& channel, double seconds);  // one API call, any outcome
    void send_failure(const std::string& channel, const std::string& reason);

    struct external {
        std::int64_t duplicates = 0;
        std::int64_t turns = 0;
        std::int64_t commit_failures = 0;
        std::int64_t commits = 0;  // transactions of the writer (turns / commits = batch size)
        std::int64_t outbox_depth = -1;   // -1: unknown
        std::int64_t outbox_failed = -1;
        std::int64_t open_connections = 0;
    };
    // Prometheus text exposition format.
    std::string render(const external& ext) const;

    static constexpr std::array<double, 10> buckets = {0.005, 0.01, 0.025, 0.05, 0.1,
                                                       0.25,  0.5,  1.0,   2.5,  10.0};

private:
    struct histogram {
        std::array<std::int64_t, buckets.size()> counts{};
        std::int64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mutex_;  // guards everything below
    std::map<std::pair<std::string, int>, std::int64_t> requests_;
    std::map<std::string, std::int64_t> verification_failures_;
    std::map<std::string, histogram> send_latency_;
    std::map<std::pair<std::string, std::string>, std::int64_t> send_failures_;
};

}  // namespace opas::webhooks
