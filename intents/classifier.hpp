#pragma once
// A multinomial logistic regression over sparse binary hashed features, trained by SGD, with
// a softmax temperature calibrated on a held-out part of the training data.

#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

namespace opas::intents {

class byte_writer;
class byte_reader;

// Training examples stored back to back (one allocation, not one per example).
struct training_set {
    std::vector<std::uint32_t> features;   // each example's sorted, unique feature hashes
    std::vector<std::uint32_t> offset{0};  // example i: features[offset[i] .. offset[i+1])
    std::vector<std::uint8_t> labels;      // class index of each example

    std::size_t size() const { return labels.size(); }
    void add(std::span<const std::uint32_t> example, int label);
};

struct training_options {
    int epochs = 4;              // on the examples not held out
    int final_epochs = 2;        // then on all examples, after calibration
    float learning_rate = 5.0f;  // decays as 1 / (1 + decay * epoch)
    float decay = 0.25f;
    float held_out_share = 0.2f;  // for temperature calibration; 0 = no calibration
    // Character n-grams seen in fewer examples than this get no weight (1 keeps all: measured
    // +0.6 points of cross-validated intent accuracy for ~15 MiB more while training).
    unsigned min_feature_count = 1;
};

// Memory for a big array (the weights), on transparent huge pages where the kernel offers
// them: one page fault per 2 MiB instead of per 4 KiB, and page faults are a large part of
// start-up. Released with std::free.
void* allocate_big(std::size_t bytes);

template <class T>
struct huge_page_allocator {
    using value_type = T;
    huge_page_allocator() = default;
    template <class U>
    huge_page_allocator(const huge_page_allocator<U>&) {}
    T* allocate(std::size_t n) { return static_cast<T*>(allocate_big(n * sizeof(T))); }
    void deallocate(T* p, std::size_t) { std::free(p); }
    bool operator==(const huge_page_allocator&) const = default;
};

// Maps a feature hash to a dense row; hashes unseen in training have no row (zero weight).
class feature_table {
public:
    void build(std::span<const std::uint32_t> unique_hashes);
    // Room for `count` hashes without rehashing.
    void reserve(std::size_t count);
    // Row of `hash`, adding it as the next row when it is new.
    std::int32_t insert(std::uint32_t hash);
    // Row of `hash`, or -1.
    std::int32_t find(std::uint32_t hash) const {
        if (slots_.empty()) return -1;
        for (std::size_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
            if (slots_[slot].key == hash) return slots_[slot].row;
            if (slots_[slot].key == 0) return -1;
        }
    }
    std::size_t size() const { return count_; }

    // The trained table as bytes and back (the model cache); load() throws std::runtime_error
    // on data no save() wrote.
    void save(byte_writer& out) const;
    void load(byte_reader& in);

private:
    struct slot {
        std::uint32_t key = 0;  // 0 = empty
        std::int32_t row = -1;
    };
    std::vector<slot> slots_;
    std::size_t mask_ = 0;
    std::size_t count_ = 0;
};

class linear_classifier {
public:
    // Trains on the examples of all `parts` with classes 0..classes-1. Deterministic.
    static linear_classifier train(std::span<const training_set> parts, int classes,
                                   const training_options& options = {});

    int classes() const { return classes_; }
    float temperature() const { return temperature_; }
    std::size_t feature_count() const { return table_.size(); }

    // Bit c is set when `feature`, a word feature (not a character n-gram), was in a training
    // example of class c; 0 for n-grams and features never seen.
    std::uint32_t classes_of(std::uint32_t feature) const {
        const auto row = table_.find(feature);
        return row < 0 ? 0 : word_classes_[static_cast<std::size_t>(row)];
    }

    // Calibrated class probabilities of one example into `probabilities` (size classes()).
    // `known_share`, if given, receives the share of features seen in training.
    void predict(std::span<const std::uint32_t> features, std::span<float> probabilities,
                 float* known_share = nullptr) const;

    // The trained classifier as bytes and back (the model cache); load() throws
    // std::runtime_error on data no save() wrote.
    void save(byte_writer& out) const;
    static linear_classifier load(byte_reader& in);

private:
    void logits(std::span<const std::uint32_t> features, std::span<float> out,
                float* known_share) const;

    feature_table table_;
    // Row-major, rows of 32 classes, in units of `scale_`: trained as floats, then stored in
    // 16 bits (half the memory; the rounding moves a logit by about 0.001).
    std::vector<std::int16_t, huge_page_allocator<std::int16_t>> weights_;
    float scale_ = 1.0f;
    std::vector<float> bias_;
    std::vector<std::uint32_t> word_classes_;  // per row, see classes_of()
    int classes_ = 0;
    float temperature_ = 1.0f;
};

}  // namespace opas::intents
