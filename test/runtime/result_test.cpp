// result<T>: nothing yet, a value, or an exception.
#include <awaitify/result.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace {

using awaitify::result;

TEST(Result, StartsWithNeitherValueNorException) {
  result<int> r;
  EXPECT_FALSE(r.has_value());
  EXPECT_FALSE(r.has_exception());
  EXPECT_FALSE(r.exception());
}

TEST(Result, HoldsAValue) {
  result<std::string> r;
  r.emplace_value("v");
  EXPECT_TRUE(r);
  EXPECT_EQ(r.value(), "v");
  EXPECT_EQ(std::move(r).value(), "v");
}

TEST(Result, ValueRethrowsTheHeldException) {
  result<int> r;
  r.set_exception(std::make_exception_ptr(std::invalid_argument("bad")));
  EXPECT_TRUE(r.has_exception());
  EXPECT_FALSE(r);
  EXPECT_THROW(r.value(), std::invalid_argument);
}

TEST(Result, OfVoidHasAValueOnceEmplaced) {
  result<void> r;
  r.emplace_value();
  EXPECT_TRUE(r.has_value());
  EXPECT_NO_THROW(r.value());
}

TEST(Result, OfReferenceRefersToTheOriginal) {
  int x = 1;
  result<int&> r;
  r.emplace_value(x);
  EXPECT_EQ(&r.value(), &x);
  EXPECT_EQ(&std::move(r).value(), &x);
}

TEST(Result, MovesAMoveOnlyValueOut) {
  result<std::unique_ptr<int>> r;
  r.emplace_value(std::make_unique<int>(2));
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 2);
}

}  // namespace
