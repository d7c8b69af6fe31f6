#include "common/deadline.h"

#include <gtest/gtest.h>

namespace fraudgov {

using namespace std::chrono_literals;

TEST(Deadline, CountsDownAndNeverGoesNegative) {
  const auto d = Deadline::after(10s);
  EXPECT_FALSE(d.expired());
  EXPECT_GT(d.remaining(), 9s);
  EXPECT_LE(d.remaining(), 10s);
  EXPECT_GT(d.remainingMs(), 9000);

  const auto past = Deadline::after(-5ms);
  EXPECT_TRUE(past.expired());
  EXPECT_EQ(past.remaining(), 0ms);
  EXPECT_EQ(past.remainingMs(), 0);
}

TEST(Deadline, RoundsUpSoAWaitNeverEndsEarly) {
  const auto d = Deadline::at(Deadline::Clock::now() + 1500us);
  EXPECT_GE(d.remaining(), 1ms);
  EXPECT_LE(d.remaining(), 2ms);
}

TEST(Deadline, MinIsTheEarlier) {
  const auto soon = Deadline::after(1s);
  const auto later = Deadline::after(1h);
  EXPECT_EQ(soon.min(later).when(), soon.when());
  EXPECT_EQ(later.min(soon).when(), soon.when());
}

TEST(Deadline, AHugeBudgetFitsAPollTimeout) { EXPECT_EQ(Deadline::after(std::chrono::hours(24 * 365)).remainingMs() > 0, true); }

}  // namespace fraudgov
