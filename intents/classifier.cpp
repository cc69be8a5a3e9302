#include "intents/classifier.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cmath>
#include <new>
#include <numeric>
#include <random>

#include <sys/mman.h>

#include "intents/bytes.hpp"
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

void training_set::add(std::span<const std::uint32_t> example, int label) {
    features.insert(features.end(), example.begin(), example.end());
    offset.push_back(static_cast<std::uint32_t>(features.size()));
    labels.push_back(static_cast<std::uint8_t>(label));
}

void* allocate_big(std::size_t bytes) {
    constexpr std::size_t huge = std::size_t{2} << 20;
    void* p = nullptr;
    if (bytes >= huge) {
        bytes = (bytes + huge - 1) / huge * huge;
        p = std::aligned_alloc(huge, bytes);
        if (p) madvise(p, bytes, MADV_HUGEPAGE);  // a hint: without THP, ordinary pages
    } else {
        p = std::malloc(bytes);
    }
    if (!p) throw std::bad_alloc();
    return p;
}

void feature_table::build(std::span<const std::uint32_t> unique_hashes) {
    slots_.clear();
    count_ = 0;
    reserve(unique_hashes.size());
    for (const auto h : unique_hashes) insert(h);
}

void feature_table::reserve(std::size_t count) {
    std::size_t capacity = 16;
    while (capacity < count * 2) capacity *= 2;
    if (capacity <= slots_.size()) return;
    std::vector<slot> old(capacity);
    old.swap(slots_);
    mask_ = capacity - 1;
    for (const auto& s : old) {
        if (s.key == 0) continue;
        std::size_t at = s.key & mask_;
        while (slots_[at].key != 0) at = (at + 1) & mask_;
        slots_[at] = s;
    }
}

std::int32_t feature_table::insert(std::uint32_t hash) {
    if ((count_ + 1) * 2 > slots_.size()) reserve(count_ + 1);
    std::size_t at = hash & mask_;
    while (slots_[at].key != 0) {
        if (slots_[at].key == hash) return slots_[at].row;
        at = (at + 1) & mask_;
    }
    slots_[at] = {hash, static_cast<std::int32_t>(count_++)};
    return slots_[at].row;
}

void feature_table::save(byte_writer& out) const {
    out.vec(slots_);
    out.pod<std::uint64_t>(count_);
}

void feature_table::load(byte_reader& in) {
    in.vec(slots_);
    count_ = static_cast<std::size_t>(in.pod<std::uint64_t>());
    // find() needs a power-of-two size with empty slots, and rows 0..count_-1 once each.
    const std::size_t size = slots_.size();
    if (size != 0 && (!std::has_single_bit(size) || count_ * 2 > size)) byte_reader::fail();
    if (size == 0 && count_ != 0) byte_reader::fail();
    std::size_t used = 0;
    for (const auto& s : slots_) {
        if (s.key == 0) continue;
        ++used;
        if (s.row < 0 || static_cast<std::size_t>(s.row) >= count_) byte_reader::fail();
    }
    if (used != count_) byte_reader::fail();
    mask_ = size == 0 ? 0 : size - 1;
}

namespace {

// Compact training rows: for example i, rows[offset[i] .. offset[i+1]).
struct sparse_rows {
    std::vector<std::int32_t> rows;
    std::vector<std::uint32_t> offset{0};
    std::vector<std::uint8_t> label;
    std::vector<float> value;  // 1 / sqrt(number of features, kept or not)

    std::size_t size() const { return label.size(); }
};

// z = bias + value * (sum of the rows of example i). Inlined so that sgd_epoch's AVX2 clone
// vectorizes it too.
[[gnu::always_inline]] inline void example_logits(const sparse_rows& data, std::size_t i,
                                                  const float* weights, const float* bias,
                                                  float* z) {
    alignas(32) float sum[stride] = {};  // a local array: no aliasing, so the loops vectorize
    for (std::size_t k = data.offset[i]; k < data.offset[i + 1]; ++k) {
        const float* w = weights + static_cast<std::size_t>(data.rows[k]) * stride;
        for (std::size_t c = 0; c < stride; ++c) sum[c] += w[c];
    }
    for (std::size_t c = 0; c < stride; ++c) z[c] = bias[c] + data.value[i] * sum[c];
}

// One SGD pass of softmax regression over `order`. The hot loop of start-up: built for AVX2
// too, chosen at run time.
OPAS_AVX2_CLONES void sgd_epoch(const sparse_rows& data, std::span<const std::uint32_t> order,
                                float rate, int classes, float* weights, float* bias) {
    alignas(32) float z[stride];
    for (const std::uint32_t i : order) {
        example_logits(data, i, weights, bias, z);
        softmax(std::span<float>(z, static_cast<std::size_t>(classes)), 1.0f);
        const auto label = static_cast<std::size_t>(data.label[i]);
        if (z[label] > 0.995f) continue;  // nothing left to learn from this example
        z[label] -= 1.0f;                 // gradient p - y
        for (std::size_t c = static_cast<std::size_t>(classes); c < stride; ++c) z[c] = 0;
        const float step = rate * data.value[i];
        for (std::size_t k = data.offset[i]; k < data.offset[i + 1]; ++k) {
            float* w = weights + static_cast<std::size_t>(data.rows[k]) * stride;
            for (std::size_t c = 0; c < stride; ++c) w[c] -= step * z[c];
        }
        for (std::size_t c = 0; c < stride; ++c) bias[c] -= rate * 0.1f * z[c];
    }
}

// Rows of the features of the examples: one row per distinct feature, in order of first use,
// except character n-grams seen in fewer than `min_count` examples (they cost a row of 32
// floats each and teach little). Fills `table`, `data` and the classes of each word row.
void number_rows(std::span<const training_set> parts, unsigned min_count, feature_table& table,
                 sparse_rows& data, std::vector<std::uint32_t>& word_classes) {
    std::size_t total = 0;
    std::size_t examples = 0;
    for (const auto& part : parts) {
        total += part.features.size();
        examples += part.size();
    }
    feature_table counted;
    counted.reserve(total / 16);
    std::vector<std::uint32_t> row_hash;
    std::vector<std::uint16_t> seen;
    row_hash.reserve(total / 4);
    seen.reserve(total / 4);
    data.rows.resize(total);
    std::size_t k = 0;
    for (const auto& part : parts) {
        for (const auto h : part.features) {
            const auto row = static_cast<std::size_t>(counted.insert(h));
            if (row == seen.size()) {
                seen.push_back(0);
                row_hash.push_back(h);
            }
            if (seen[row] < 0xFFFF) ++seen[row];
            data.rows[k++] = static_cast<std::int32_t>(row);
        }
    }
    std::vector<std::int32_t> renumber(seen.size(), -1);
    std::size_t kept = 0;
    for (std::size_t row = 0; row < seen.size(); ++row) {
        if (!is_ngram_feature(row_hash[row]) || seen[row] >= min_count) {
            renumber[row] = static_cast<std::int32_t>(kept);
            row_hash[kept++] = row_hash[row];
        }
    }
    word_classes.assign(kept, 0);
    if (kept == seen.size()) {
        table = std::move(counted);
    } else {
        counted = {};
        table.build(std::span(row_hash.data(), kept));
    }
    data.offset.reserve(examples + 1);
    data.label.reserve(examples);
    data.value.reserve(examples);
    std::size_t in = 0;
    std::size_t out = 0;
    for (const auto& part : parts) {
        for (std::size_t i = 0; i < part.size(); ++i) {
            const std::size_t end = in + (part.offset[i + 1] - part.offset[i]);
            data.value.push_back(feature_value(end - in));
            for (; in < end; ++in) {
                const auto row = renumber[static_cast<std::size_t>(data.rows[in])];
                if (row < 0) continue;
                data.rows[out++] = row;
                if (!is_ngram_feature(row_hash[static_cast<std::size_t>(row)])) {
                    word_classes[static_cast<std::size_t>(row)] |= std::uint32_t{1}
                                                                   << part.labels[i];
                }
            }
            data.offset.push_back(static_cast<std::uint32_t>(out));
            data.label.push_back(part.labels[i]);
        }
    }
    data.rows.resize(out);
}

// The softmax temperature of the grid that fits the held-out examples best (log loss).
float calibrated_temperature(const sparse_rows& data, std::span<const std::uint32_t> held,
                             const float* weights, const float* bias, int classes) {
    double best_loss = 1e300;
    float best = 1.0f;
    const auto n = static_cast<std::size_t>(classes);
    std::vector<float> held_logits(held.size() * n);
    alignas(32) float z[stride];
    for (std::size_t k = 0; k < held.size(); ++k) {
        example_logits(data, held[k], weights, bias, z);
        std::copy_n(z, n, &held_logits[k * n]);
    }
    for (const float t : temperature_grid) {
        double loss = 0;
        for (std::size_t k = 0; k < held.size(); ++k) {
            std::copy_n(&held_logits[k * n], n, z);
            softmax(std::span(z, n), t);
            loss -= std::log(std::max(z[data.label[held[k]]], 1e-6f));
        }
        if (loss < best_loss) {
            best_loss = loss;
            best = t;
        }
    }
    return best;
}

}  // namespace

linear_classifier linear_classifier::train(std::span<const training_set> parts, int classes,
                                           const training_options& options) {
    linear_classifier model;
    model.classes_ = classes;
    assert(classes >= 1 && static_cast<std::size_t>(classes) <= stride);
    model.bias_.assign(stride, 0.0f);
    std::vector<float, huge_page_allocator<float>> weights;
    {  // the training rows are freed before the 16-bit copy of the weights is made
        sparse_rows data;
        number_rows(parts, options.min_feature_count, model.table_, data, model.word_classes_);
        weights.assign(model.table_.size() * stride, 0.0f);

        // Train on most examples, calibrate the temperature on the others, then go on
        // training with every example for the last epochs.
        std::vector<std::uint32_t> fit_rows;
        std::vector<std::uint32_t> held_rows;
        for (std::size_t i = 0; i < data.size(); ++i) {
            const bool held = options.held_out_share > 0 &&
                              static_cast<float>((i * 7919) % 1000) < options.held_out_share * 1000;
            (held ? held_rows : fit_rows).push_back(static_cast<std::uint32_t>(i));
        }
        const bool calibrate = held_rows.size() >= 20 && fit_rows.size() >= 20;
        std::vector<std::uint32_t> every(data.size());
        std::iota(every.begin(), every.end(), std::uint32_t{0});
        std::mt19937 rng(shuffle_seed);
        const int total_epochs = options.epochs + (calibrate ? options.final_epochs : 0);
        for (int epoch = 0; epoch < total_epochs; ++epoch) {
            auto& order = calibrate && epoch < options.epochs ? fit_rows : every;
            if (calibrate && epoch == options.epochs) {
                model.temperature_ = calibrated_temperature(data, held_rows, weights.data(),
                                                            model.bias_.data(), classes);
            }
            std::shuffle(order.begin(), order.end(), rng);
            const float rate = options.learning_rate / (1.0f + options.decay * epoch);
            sgd_epoch(data, order, rate, classes, weights.data(), model.bias_.data());
        }
    }
    float largest = 0;
    for (const float w : weights) largest = std::max(largest, std::abs(w));
    model.scale_ = largest > 0 ? largest / 32767.0f : 1.0f;
    const float inverse = 1.0f / model.scale_;
    model.weights_.resize(weights.size());
    for (std::size_t i = 0; i < weights.size(); ++i) {  // rounded half away from zero
        const float units = weights[i] * inverse;
        model.weights_[i] = static_cast<std::int16_t>(units + (units < 0 ? -0.5f : 0.5f));
    }
    return model;
}

void linear_classifier::save(byte_writer& out) const {
    table_.save(out);
    out.vec(weights_);
    out.pod(scale_);
    out.vec(bias_);
    out.vec(word_classes_);
    out.pod<std::int32_t>(classes_);
    out.pod(temperature_);
}

linear_classifier linear_classifier::load(byte_reader& in) {
    linear_classifier c;
    c.table_.load(in);
    in.vec(c.weights_);
    c.scale_ = in.pod<float>();
    in.vec(c.bias_);
    in.vec(c.word_classes_);
    c.classes_ = in.pod<std::int32_t>();
    c.temperature_ = in.pod<float>();
    const std::size_t rows = c.table_.size();
    if (c.classes_ < 1 || static_cast<std::size_t>(c.classes_) > stride ||
        c.weights_.size() != rows * stride || c.bias_.size() < static_cast<std::size_t>(c.classes_) ||
        c.word_classes_.size() != rows || !(c.temperature_ > 0) || !std::isfinite(c.scale_))
        byte_reader::fail();
    return c;
}

void linear_classifier::logits(std::span<const std::uint32_t> features, std::span<float> out,
                               float* known_share) const {
    alignas(64) std::int32_t z[stride] = {};
    std::size_t known = 0;
    for (const auto h : features) {
        const auto row = table_.find(h);
        if (row < 0) continue;
        ++known;
        const std::int16_t* w = &weights_[static_cast<std::size_t>(row) * stride];
        for (std::size_t c = 0; c < stride; ++c) z[c] += w[c];
    }
    const float v = feature_value(features.size()) * scale_;
    for (std::size_t c = 0; c < out.size(); ++c) {
        out[c] = bias_[c] + v * static_cast<float>(z[c]);
    }
    if (known_share) {
        *known_share = features.empty()
                           ? 0.0f
                           : static_cast<float>(known) / static_cast<float>(features.size());
    }
}

void linear_classifier::predict(std::span<const std::uint32_t> features,
                                std::span<float> probabilities, float* known_share) const {
    logits(features, probabilities, known_share);
    softmax(probabilities, temperature_);
}

}  // namespace opas::intents
