#include "intents/classifier.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <numeric>
#include <random>

#include "intents/features.hpp"

// The training loop is also built for AVX2, chosen at load time (an ifunc). Not under TSan:
// ifunc resolvers run before TSan is initialised and crash the process.
#if defined(__SANITIZE_THREAD__)
#define OPAS_AVX2_CLONES
#else
#define OPAS_AVX2_CLONES __attribute__((target_clones("avx2", "default")))
#endif

namespace opas::intents {
namespace {

// Class rows are padded to this many floats, a compile-time size so that loops vectorize.
constexpr std::size_t stride = 32;
constexpr std::uint32_t shuffle_seed = 20260101;
constexpr std::array<float, 12> temperature_grid = {0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1.0f,
                                                    1.2f, 1.4f, 1.7f, 2.0f, 2.5f, 3.0f};

void softmax(std::span<float> z, float temperature) {
    float top = z[0];
    for (const float v : z) top = std::max(top, v);
    float sum = 0;
    for (float& v : z) {
        v = std::exp((v - top) / temperature);
        sum += v;
    }
    for (float& v : z) v /= sum;
}

float feature_value(std::size_t count) {
    return 1.0f / std::sqrt(static_cast<float>(std::max<std::size_t>(count, 1)));
}

}  // namespace

void feature_table::build(std::span<const std::uint64_t> unique_hashes) {
    keys_.clear();
    count_ = 0;
    reserve(unique_hashes.size());
    for (const auto h : unique_hashes) insert(h);
}

void feature_table::reserve(std::size_t count) {
    std::size_t capacity = 16;
    while (capacity < count * 2) capacity *= 2;
    if (capacity <= keys_.size()) return;
    std::vector<std::uint64_t> old_keys(capacity, 0);
    std::vector<std::int32_t> old_rows(capacity, -1);
    old_keys.swap(keys_);
    old_rows.swap(rows_);
    mask_ = capacity - 1;
    for (std::size_t slot = 0; slot < old_keys.size(); ++slot) {
        if (old_keys[slot] == 0) continue;
        std::size_t at = old_keys[slot] & mask_;
        while (keys_[at] != 0) at = (at + 1) & mask_;
        keys_[at] = old_keys[slot];
        rows_[at] = old_rows[slot];
    }
}

std::int32_t feature_table::insert(std::uint64_t hash) {
    if ((count_ + 1) * 2 > keys_.size()) reserve(count_ + 1);
    std::size_t slot = hash & mask_;
    while (keys_[slot] != 0) {
        if (keys_[slot] == hash) return rows_[slot];
        slot = (slot + 1) & mask_;
    }
    keys_[slot] = hash;
    rows_[slot] = static_cast<std::int32_t>(count_++);
    return rows_[slot];
}

namespace {

// Compact training rows: for example i, rows[offset[i] .. offset[i+1]).
struct sparse_rows {
    std::vector<std::int32_t> rows;
    std::vector<std::size_t> offset{0};
    std::vector<int> label;
    std::vector<float> value;  // 1 / sqrt(number of features, kept or not)
};

// One SGD pass of softmax regression over `order`. The hot loop of start-up: built for AVX2
// too, chosen at run time.
OPAS_AVX2_CLONES void sgd_epoch(const sparse_rows& data, std::span<const std::size_t> order,
                                float rate, int classes, float* weights, float* bias) {
    alignas(32) float z[stride];
    for (const std::size_t i : order) {
        const std::int32_t* first = data.rows.data() + data.offset[i];
        const std::int32_t* last = data.rows.data() + data.offset[i + 1];
        const float v = data.value[i];
        std::copy(bias, bias + stride, z);
        for (const std::int32_t* r = first; r != last; ++r) {
            const float* w = weights + static_cast<std::size_t>(*r) * stride;
            for (std::size_t c = 0; c < stride; ++c) z[c] += v * w[c];
        }
        softmax(std::span<float>(z, static_cast<std::size_t>(classes)), 1.0f);
        const auto label = static_cast<std::size_t>(data.label[i]);
        if (z[label] > 0.995f) continue;  // nothing left to learn from this example
        z[label] -= 1.0f;                 // gradient p - y
        for (std::size_t c = static_cast<std::size_t>(classes); c < stride; ++c) z[c] = 0;
        const float step = rate * v;
        for (const std::int32_t* r = first; r != last; ++r) {
            float* w = weights + static_cast<std::size_t>(*r) * stride;
            for (std::size_t c = 0; c < stride; ++c) w[c] -= step * z[c];
        }
        for (std::size_t c = 0; c < stride; ++c) bias[c] -= rate * 0.1f * z[c];
    }
}

}  // namespace

linear_classifier linear_classifier::train(std::span<const training_example> examples, int classes,
                                           const training_options& options) {
    linear_classifier model;
    model.classes_ = classes;
    assert(classes >= 1 && static_cast<std::size_t>(classes) <= stride);
    std::size_t total = 0;
    for (const auto& example : examples) total += example.features.size();
    // Character n-grams seen in fewer than min_feature_count examples get no weight: they cost
    // memory (one row of 32 floats each) and teach little. Word features are all kept.
    feature_table counted;
    counted.reserve(total / 3);
    std::vector<std::uint64_t> row_hash;
    std::vector<std::uint16_t> seen;
    for (const auto& example : examples) {
        for (const auto h : example.features) {
            const auto row = static_cast<std::size_t>(counted.insert(h));
            if (row == seen.size()) {
                seen.push_back(0);
                row_hash.push_back(h);
            }
            if (seen[row] < 0xFFFF) ++seen[row];
        }
    }
    std::vector<std::uint64_t> kept;
    for (std::size_t row = 0; row < seen.size(); ++row) {
        const bool word = !is_ngram_feature(row_hash[row]);
        if (word || seen[row] >= options.min_feature_count) kept.push_back(row_hash[row]);
    }
    model.table_.build(kept);
    sparse_rows data;
    data.rows.reserve(total);
    for (const auto& example : examples) {
        for (const auto h : example.features) {
            const auto row = model.table_.find(h);
            if (row >= 0) data.rows.push_back(row);
        }
        data.offset.push_back(data.rows.size());
        data.label.push_back(example.label);
        data.value.push_back(feature_value(example.features.size()));
    }
    model.weights_.assign(model.table_.size() * stride, 0.0f);
    model.bias_.assign(stride, 0.0f);

    // Train on most examples, calibrate the temperature on the others, then go on training
    // with every example for the last epochs.
    std::vector<std::size_t> fit_rows;
    std::vector<std::size_t> held_rows;
    for (std::size_t i = 0; i < examples.size(); ++i) {
        const bool held = options.held_out_share > 0 &&
                          static_cast<float>((i * 7919) % 1000) < options.held_out_share * 1000;
        (held ? held_rows : fit_rows).push_back(i);
    }
    const bool calibrate = held_rows.size() >= 20 && fit_rows.size() >= 20;
    std::vector<std::size_t> every(examples.size());
    std::iota(every.begin(), every.end(), std::size_t{0});
    std::mt19937 rng(shuffle_seed);
    const int total_epochs = options.epochs + (calibrate ? options.final_epochs : 0);
    for (int epoch = 0; epoch < total_epochs; ++epoch) {
        auto& order = calibrate && epoch < options.epochs ? fit_rows : every;
        if (calibrate && epoch == options.epochs) model.calibrate(examples, held_rows);
        std::shuffle(order.begin(), order.end(), rng);
        const float rate = options.learning_rate / (1.0f + options.decay * epoch);
        sgd_epoch(data, order, rate, classes, model.weights_.data(), model.bias_.data());
    }
    return model;
}

void linear_classifier::calibrate(std::span<const training_example> examples,
                                  std::span<const std::size_t> held_rows) {
    double best_loss = 1e300;
    std::vector<float> z(static_cast<std::size_t>(classes_));
    std::vector<std::vector<float>> held_logits;
    for (const std::size_t i : held_rows) {
        logits(examples[i].features, z, nullptr);
        held_logits.push_back(z);
    }
    for (const float t : temperature_grid) {
        double loss = 0;
        for (std::size_t k = 0; k < held_rows.size(); ++k) {
            z = held_logits[k];
            softmax(z, t);
            const auto label = static_cast<std::size_t>(examples[held_rows[k]].label);
            loss -= std::log(std::max(z[label], 1e-6f));
        }
        if (loss < best_loss) {
            best_loss = loss;
            temperature_ = t;
        }
    }
}

void linear_classifier::logits(std::span<const std::uint64_t> features, std::span<float> out,
                               float* known_share) const {
    alignas(32) float z[stride];
    std::fill(z, z + stride, 0.0f);
    std::size_t known = 0;
    for (const auto h : features) {
        const auto row = table_.find(h);
        if (row < 0) continue;
        ++known;
        const float* w = &weights_[static_cast<std::size_t>(row) * stride];
        for (std::size_t c = 0; c < stride; ++c) z[c] += w[c];
    }
    const float v = feature_value(features.size());
    for (std::size_t c = 0; c < out.size(); ++c) out[c] = bias_[c] + v * z[c];
    if (known_share) {
        *known_share = features.empty()
                           ? 0.0f
                           : static_cast<float>(known) / static_cast<float>(features.size());
    }
}

void linear_classifier::predict(std::span<const std::uint64_t> features,
                                std::span<float> probabilities, float* known_share) const {
    logits(features, probabilities, known_share);
    softmax(probabilities, temperature_);
}

}  // namespace opas::intents
