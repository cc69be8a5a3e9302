#include "webhooks/metrics.hpp"

#include <sstream>

namespace opas::webhooks {

void metrics::request(const std::string& route, int status) {
    std::lock_guard lock(mutex_);
    ++requests_[{route, status}];
}

void metrics::verification_failure(const std::string& channel) {
    std::lock_guard lock(mutex_);
    ++verification_failures_[channel];
}

void metrics::send(const std::string& channel, double seconds) {
    std::lock_guard lock(mutex_);
    auto& h = send_latency_[channel];
    for (std::size_t i = 0; i < buckets.size(); ++i)
        if (seconds <= buckets[i]) ++h.counts[i];
    ++h.count;
    h.sum += seconds;
}

void metrics::send_failure(const std::string& channel, const std::string& reason) {
    std::lock_guard lock(mutex_);
    ++send_failures_[{channel, reason}];
}

std::string metrics::render(const external& ext) const {
    std::ostringstream out;
    std::lock_guard lock(mutex_);
    out << "# HELP opas_http_requests_total HTTP requests by route and status.\n"
           "# TYPE opas_http_requests_total counter\n";
    for (const auto& [key, n] : requests_)
        out << "opas_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second
            << "\"} " << n << "\n";
    out << "# HELP opas_webhook_verification_failures_total Webhook requests failing authentication.\n"
           "# TYPE opas_webhook_verification_failures_total counter\n";
    for (const auto& [channel, n] : verification_failures_)
        out << "opas_webhook_verification_failures_total{channel=\"" << channel << "\"} " << n
            << "\n";
    out << "# HELP opas_duplicates_dropped_total Redelivered updates answered once.\n"
           "# TYPE opas_duplicates_dropped_total counter\n"
        << "opas_duplicates_dropped_total " << ext.duplicates << "\n"
        << "# HELP opas_turns_total Conversation turns committed.\n"
           "# TYPE opas_turns_total counter\n"
        << "opas_turns_total " << ext.turns << "\n"
        << "# HELP opas_commit_failures_total Failed storage commits.\n"
           "# TYPE opas_commit_failures_total counter\n"
        << "opas_commit_failures_total " << ext.commit_failures << "\n"
        << "# HELP opas_commits_total Transactions of the single writer (each holds many turns under load).\n"
           "# TYPE opas_commits_total counter\n"
        << "opas_commits_total " << ext.commits << "\n"
        << "# HELP opas_open_connections Open inbound HTTP connections.\n"
           "# TYPE opas_open_connections gauge\n"
        << "opas_open_connections " << ext.open_connections << "\n";
    if (ext.outbox_depth >= 0)
        out << "# HELP opas_outbox_depth Outbox rows waiting to be sent.\n"
               "# TYPE opas_outbox_depth gauge\n"
            << "opas_outbox_depth " << ext.outbox_depth << "\n";
    if (ext.outbox_failed >= 0)
        out << "# HELP opas_outbox_failed Outbox rows given up on (kept two days).\n"
               "# TYPE opas_outbox_failed gauge\n"
            << "opas_outbox_failed " << ext.outbox_failed << "\n";
    out << "# HELP opas_send_seconds Latency of platform API calls.\n"
           "# TYPE opas_send_seconds histogram\n";
    for (const auto& [channel, h] : send_latency_) {
        for (std::size_t i = 0; i < buckets.size(); ++i)
            out << "opas_send_seconds_bucket{channel=\"" << channel << "\",le=\"" << buckets[i]
                << "\"} " << h.counts[i] << "\n";
        out << "opas_send_seconds_bucket{channel=\"" << channel << "\",le=\"+Inf\"} " << h.count
            << "\n"
            << "opas_send_seconds_sum{channel=\"" << channel << "\"} " << h.sum << "\n"
            << "opas_send_seconds_count{channel=\"" << channel << "\"} " << h.count << "\n";
    }
    out << "# HELP opas_send_failures_total Platform API calls that failed, by reason.\n"
           "# TYPE opas_send_failures_total counter\n";
    for (const auto& [key, n] : send_failures_)
        out << "opas_send_failures_total{channel=\"" << key.first << "\",reason=\"" << key.second
            << "\"} " << n << "\n";
    return out.str();
}

}  // namespace opas::webhooks
