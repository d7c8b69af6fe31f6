// The in-process limiter: independent keys and policies, an injectable clock, thread safety,
// and memory that stays bounded whatever keys arrive.
#include "ratelimit/local_limiter.h"

#include <gtest/gtest.h>

#include <thread>

#include "common/manual_clock.h"

namespace fraudgov::ratelimit {
namespace {

using namespace std::chrono_literals;

class LocalLimiterTest : public ::testing::Test {
 protected:
  ManualClock clock_;

  LocalLimiter make(std::size_t max_buckets = 1024, std::size_t shards = 4) {
    return LocalLimiter({max_buckets, shards, &clock_});
  }
};

const Policy kRead{"read", 3, 60s};
const Policy kWrite{"write", 2, 60s};

TEST_F(LocalLimiterTest, KeysAndPoliciesHaveTheirOwnBuckets) {
  auto limiter = make();
  EXPECT_TRUE(limiter.consume(kWrite, "alice").allowed);
  EXPECT_TRUE(limiter.consume(kWrite, "alice").allowed);
  EXPECT_FALSE(limiter.consume(kWrite, "alice").allowed);
  EXPECT_TRUE(limiter.consume(kWrite, "bob").allowed) << "another key";
  EXPECT_TRUE(limiter.consume(kRead, "alice").allowed) << "another policy, same key";
  EXPECT_EQ(limiter.size(), 3u);
}

TEST_F(LocalLimiterTest, TheInjectedClockDrivesRefill) {
  auto limiter = make();
  limiter.consume(kWrite, "k");
  limiter.consume(kWrite, "k");
  auto denied = limiter.consume(kWrite, "k");
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.retry_after_seconds, 30);
  clock_.advance(29s);
  EXPECT_FALSE(limiter.consume(kWrite, "k").allowed);
  clock_.advance(1s);
  auto allowed = limiter.consume(kWrite, "k");
  EXPECT_TRUE(allowed.allowed);
  EXPECT_EQ(allowed.remaining, 0);
}

TEST_F(LocalLimiterTest, PeekLooksWithoutChargingOrAllocating) {
  auto limiter = make();
  for (int i = 0; i < 100; ++i) {
    auto d = limiter.peek(kWrite, "ip-" + std::to_string(i));
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.remaining, 2);
  }
  EXPECT_EQ(limiter.size(), 0u) << "peeking at unknown keys must not create buckets";
  limiter.consume(kWrite, "k");
  limiter.consume(kWrite, "k");
  EXPECT_FALSE(limiter.peek(kWrite, "k").allowed);
  EXPECT_EQ(limiter.peek(kWrite, "k").remaining, 0);
}

TEST_F(LocalLimiterTest, RandomKeysNeverGrowItBeyondTheCap) {
  auto limiter = make(256, 4);
  for (int i = 0; i < 20000; ++i) limiter.consume(kRead, "random-" + std::to_string(i));
  EXPECT_LE(limiter.size(), 256u);
  EXPECT_GT(limiter.evictions(), 0u);
}

TEST_F(LocalLimiterTest, IdleBucketsAreReclaimedBeforeActiveOnesAreEvicted) {
  auto limiter = make(16, 1);
  const Policy slow{"slow", 1, 3600s};  // one unit an hour: stays drained for the whole test
  const Policy fast{"fast", 1, 1s};
  EXPECT_TRUE(limiter.consume(slow, "victim").allowed);  // the oldest entry
  for (int i = 0; i < 15; ++i) limiter.consume(fast, "idle-" + std::to_string(i));
  clock_.advance(2s);  // every "fast" bucket is full again: they carry no state
  for (int i = 0; i < 15; ++i) limiter.consume(fast, "new-" + std::to_string(i));
  EXPECT_LE(limiter.size(), 16u);
  EXPECT_EQ(limiter.evictions(), 0u) << "idle buckets made room";
  EXPECT_FALSE(limiter.consume(slow, "victim").allowed) << "the drained bucket survived";
}

TEST_F(LocalLimiterTest, WhenEverythingIsActiveTheLeastRecentlyUsedGoes) {
  auto limiter = make(4, 1);
  const Policy slow{"slow", 1, 3600s};
  for (const char* k : {"a", "b", "c", "d"}) limiter.consume(slow, k);
  limiter.consume(slow, "a");  // a is now the most recently used
  limiter.consume(slow, "e");  // evicts b
  EXPECT_EQ(limiter.evictions(), 1u);
  EXPECT_FALSE(limiter.peek(slow, "a").allowed);
  EXPECT_TRUE(limiter.peek(slow, "b").allowed) << "evicted: a fresh bucket";
  EXPECT_FALSE(limiter.peek(slow, "c").allowed);
}

TEST_F(LocalLimiterTest, ConcurrentConsumersNeverOverspend) {
  auto limiter = make();
  const Policy quota{"q", 1000, 3600s};
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (limiter.consume(quota, "shared").allowed) ++allowed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 1000);
}

TEST_F(LocalLimiterTest, StatsReportBucketsAndEvictions) {
  auto limiter = make(2, 1);
  limiter.consume(kRead, "a");
  limiter.consume(kRead, "b");
  limiter.consume(kRead, "c");
  const auto stats = limiter.stats();
  EXPECT_EQ(stats.local_buckets, 2u);
  EXPECT_EQ(stats.local_evictions, 1u);
  EXPECT_FALSE(stats.redis_configured);
  EXPECT_EQ(limiter.backend(), "local");
}

}  // namespace
}  // namespace fraudgov::ratelimit
