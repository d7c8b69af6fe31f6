#include "common/clock.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "common/manual_clock.h"

namespace fraudgov {
namespace {

using namespace std::chrono_literals;

TEST(Clock, SystemClockReadsTheRealTime) {
  const Clock& clock = systemClock();
  const Timestamp before = nowUtc();
  const Timestamp read = clock.now();
  EXPECT_GE(read, before);
  EXPECT_LE(read.micros - before.micros, 60'000'000);
  const auto monotonic = clock.monotonic();
  EXPECT_LE(monotonic, std::chrono::steady_clock::now());
  EXPECT_EQ(&systemClock(), &clock) << "one instance for the whole process";
}

TEST(Clock, ManualClockStandsStillUntilAdvanced) {
  ManualClock clock;
  const Timestamp wall = clock.now();
  const auto steady = clock.monotonic();
  EXPECT_LE(std::abs(wall.micros - nowUtc().micros), 60'000'000) << "starts at the real time";
  EXPECT_EQ(clock.now(), wall);
  EXPECT_EQ(clock.monotonic(), steady);
  clock.advance(1500ms);
  EXPECT_EQ(clock.now().micros - wall.micros, 1'500'000);
  EXPECT_EQ(clock.monotonic() - steady, 1500ms);
}

TEST(Clock, SettingTheWallClockLeavesMonotonicTimeAlone) {
  ManualClock clock;
  const auto steady = clock.monotonic();
  clock.setWall(Timestamp{0});
  EXPECT_EQ(clock.now(), Timestamp{0});
  EXPECT_EQ(clock.monotonic(), steady);
}

TEST(Clock, ManualClockIsSafeToMoveFromManyThreads) {
  ManualClock clock;
  const auto start = clock.monotonic();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) clock.advance(1ms);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(clock.monotonic() - start, 4000ms);
}

}  // namespace
}  // namespace fraudgov
