// The small-count rule of the report (bot/report.hpp suppress()).
#include <catch2/catch.hpp>

#include "bot/report.hpp"

using opas::bot::report_cell;
using kind = report_cell::kind;

namespace {

struct group {
    std::vector<report_cell> cells;
    report_cell total;
    group(std::vector<std::int64_t> values, bool with_total = true) {
        std::int64_t sum = 0;
        for (auto v : values) {
            cells.push_back(report_cell::count_of(v));
            sum += v;
        }
        total = report_cell::count_of(sum);
        if (!with_total) total.shown = kind::none;
    }
    void run(bool at_least_one) {
        std::vector<report_cell*> ptrs;
        for (auto& c : cells) ptrs.push_back(&c);
        opas::bot::suppress(ptrs, total.shown == kind::none ? nullptr : &total, at_least_one);
    }
    std::vector<std::string> shown() const {
        std::vector<std::string> out;
        for (const auto& c : cells) out.push_back(opas::bot::to_display(c));
        out.push_back(opas::bot::to_display(total));
        return out;
    }
};

const std::string small = "<5", hidden = "\u22655";

}  // namespace

TEST_CASE("counts under 5 show as <5 and larger counts stay exact") {
    group g({0, 4, 5, 12}, false);
    g.run(false);
    CHECK(g.cells[0].shown == kind::small);
    CHECK(g.cells[1].shown == kind::small);
    CHECK(g.cells[2].shown == kind::count);
    CHECK(g.cells[3].shown == kind::count);
}

TEST_CASE("a single small cell under a shown total hides the smallest other cell too") {
    group g({3, 9, 20});
    g.run(true);
    CHECK(g.shown() == std::vector<std::string>{small, hidden, "20", "32"});
}

TEST_CASE("two small cells whose sum could only be one split hide a larger cell") {
    group g({1, 1, 7});  // 9 - 7 = 2 = 1 + 1: both would be known
    g.run(true);
    CHECK(g.shown() == std::vector<std::string>{small, small, hidden, "9"});
}

TEST_CASE("small cells with room for several splits leave the other cells exact") {
    group g({2, 3, 7});
    g.run(true);
    CHECK(g.shown() == std::vector<std::string>{small, small, "7", "12"});
}

TEST_CASE("four-and-four is a split the total would reveal") {
    group g({4, 4, 9});  // 17 - 9 = 8 = 4 + 4 only
    g.run(false);
    CHECK(g.shown() == std::vector<std::string>{small, small, hidden, "17"});
}

TEST_CASE("when hiding every cell is not enough the total is hidden too") {
    group g({1, 5});  // 6 = 1 + 5 with 1 <= small and 5 <= hidden: one split only
    g.run(true);
    CHECK(g.shown() == std::vector<std::string>{small, hidden, hidden});
}

TEST_CASE("a small total shows every cell as <5") {
    group g({1, 2});
    g.run(true);
    CHECK(g.shown() == std::vector<std::string>{small, small, small});
}
