#include "ratelimit/recent_keys.h"

#include <gtest/gtest.h>

#include "common/manual_clock.h"

namespace fraudgov::ratelimit {
namespace {

using namespace std::chrono_literals;

TEST(RecentKeys, RemembersForTheTtlFromFirstSighting) {
  ManualClock now;
  RecentKeys keys(10, 60s, now);
  EXPECT_FALSE(keys.contains("a"));
  keys.remember("a");
  EXPECT_TRUE(keys.contains("a"));
  now.advance(30s);
  keys.remember("a");  // no extension
  now.advance(30s);
  EXPECT_FALSE(keys.contains("a"));
  keys.remember("a");  // expired: remembered afresh
  EXPECT_TRUE(keys.contains("a"));
}

TEST(RecentKeys, StaysWithinItsCapacityOldestFirst) {
  ManualClock now;
  RecentKeys keys(3, 3600s, now);
  for (const char* k : {"a", "b", "c", "d"}) {
    keys.remember(k);
    now.advance(1s);
  }
  EXPECT_EQ(keys.size(), 3u);
  EXPECT_FALSE(keys.contains("a"));
  EXPECT_TRUE(keys.contains("d"));
  for (int i = 0; i < 10000; ++i) keys.remember("k" + std::to_string(i));
  EXPECT_EQ(keys.size(), 3u);
}

TEST(RecentKeys, ReRememberedKeysAreNotEvictedByTheirStaleQueueEntry) {
  ManualClock now;
  RecentKeys keys(2, 10s, now);
  keys.remember("a");
  now.advance(11s);    // a expires
  keys.remember("a");  // remembered again, a second queue entry
  keys.remember("b");
  EXPECT_TRUE(keys.contains("a"));
  EXPECT_TRUE(keys.contains("b"));
}

}  // namespace
}  // namespace fraudgov::ratelimit
