#include "awaitify/Confidence.h"
#include <gtest/gtest.h>

using namespace awaitify;

namespace {

TEST(Confidence, OnlyEverGoesDown) {
  Confidence C;
  EXPECT_EQ(C.level(), Confidence::Safe);
  C.lowerTo(Confidence::Risky);
  C.lowerTo(Confidence::Reasonable);
  EXPECT_EQ(C.level(), Confidence::Risky);
}

TEST(Confidence, ParsesItsOwnNamesAndNothingElse) {
  for (auto L : {Confidence::Risky, Confidence::Reasonable, Confidence::Safe}) {
    Confidence C(L);
    EXPECT_EQ(Confidence::parse(C.name()), C);
  }
  EXPECT_FALSE(Confidence::parse("sure").has_value());
}

TEST(Confidence, AtLeastComparesLevels) {
  EXPECT_TRUE(Confidence(Confidence::Safe).atLeast(Confidence::Reasonable));
  EXPECT_FALSE(Confidence(Confidence::Risky).atLeast(Confidence::Reasonable));
}

} // namespace
