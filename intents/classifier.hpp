#pragma once
// A multinomial logistic regression over sparse binary hashed features, trained by SGD, with
// a softmax temperature calibrated on a held-out part of the training data.

#include <cstdint>
#include <span>
#include <vector>

namespace opas::intents {

struct training_example {
    std::vector<std::uint64_t> features;  // sorted, unique feature hashes
    int label = 0;                        // class index
};

struct training_options {
    int epochs = 4;              // on the examples not held out
    int final_epochs = 2;        // then on all examples, after calibration
    float learning_rate = 5.0f;  // decays as 1 / (1 + decay * epoch)
    float decay = 0.25f;
    float held_out_share = 0.2f;  // for temperature calibration; 0 = no calibration
    // Character n-grams seen in fewer examples than this get no weight (1 keeps all: measured
    // +0.7 points of cross-validated intent accuracy for ~8 MiB more).
    unsigned min_feature_count = 1;
};

// Maps a feature hash to a dense row; hashes unseen in training have no row (zero weight).
class feature_table {
public:
    void build(std::span<const std::uint64_t> unique_hashes);
    // Room for `count` hashes without rehashing.
    void reserve(std::size_t count);
    // Row of `hash`, adding it as the next row when it is new.
    std::int32_t insert(std::uint64_t hash);
    // Row of `hash`, or -1.
    std::int32_t find(std::uint64_t hash) const {
        if (keys_.empty()) return -1;
        for (std::size_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
            if (keys_[slot] == hash) return rows_[slot];
            if (keys_[slot] == 0) return -1;
        }
    }
    std::size_t size() const { return count_; }

private:
    std::vector<std::uint64_t> keys_;  // 0 = empty slot
    std::vector<std::int32_t> rows_;
    std::size_t mask_ = 0;
    std::size_t count_ = 0;
};

class linear_classifier {
public:
    // Trains on `examples` with classes 0..classes-1. Deterministic.
    static linear_classifier train(std::span<const training_example> examples, int classes,
                                   const training_options& options = {});

    int classes() const { return classes_; }
    float temperature() const { return temperature_; }
    std::size_t feature_count() const { return table_.size(); }

    // Calibrated class probabilities of one example into `probabilities` (size classes()).
    // `known_share`, if given, receives the share of features seen in training.
    void predict(std::span<const std::uint64_t> features, std::span<float> probabilities,
                 float* known_share = nullptr) const;

private:
    void calibrate(std::span<const training_example> examples,
                   std::span<const std::size_t> held_rows);
    void logits(std::span<const std::uint64_t> features, std::span<float> out,
                float* known_share) const;

    feature_table table_;
    std::vector<float> weights_;  // row-major, each row padded to 32 classes
    std::vector<float> bias_;
    int classes_ = 0;
    float temperature_ = 1.0f;
};

}  // namespace opas::intents
