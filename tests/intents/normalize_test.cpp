#include "intents/normalize.hpp"

#include <catch2/catch.hpp>

using opas::intents::fold;
using opas::intents::normalize;
using opas::intents::words;

TEST_CASE("normalize unifies Arabic letter variants") {
    CHECK(normalize("أحمد") == normalize("احمد"));
    CHECK(normalize("إسلام") == normalize("اسلام"));
    CHECK(normalize("مدرسة") == normalize("مدرسه"));
    CHECK(normalize("كتاب") == normalize("کتاب"));
    CHECK(normalize("علي") == normalize("علی"));
    CHECK(normalize("على") == normalize("علي"));
}
