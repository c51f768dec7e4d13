#include <awaitify/broken_promise.hpp>

#include <gtest/gtest.h>

#include <string>
#include <type_traits>

namespace {

static_assert(std::is_base_of_v<std::logic_error, awaitify::broken_promise>);

TEST(BrokenPromise, IsALogicErrorThatNamesItself) {
  awaitify::broken_promise e;
  EXPECT_NE(std::string(e.what()).find("awaitify::broken_promise"), std::string::npos);
}

}  // namespace
