// The bucket arithmetic both limiters share: burst, continuous refill, the rounding of the
// numbers that end up in RateLimit / Retry-After headers.
#include "ratelimit/token_bucket.h"

#include <gtest/gtest.h>

namespace fraudgov::ratelimit {
namespace {

using namespace std::chrono_literals;

const Policy kFivePerMinute{"write", 5, 60s};
const SteadyTime kStart{std::chrono::seconds(1000)};

TEST(Decision, RoundsTowardsWhatAClientCanRelyOn) {
  // 5/min refills one unit every 12 s.
  auto d = decisionFor(kFivePerMinute, true, 4.0);
  EXPECT_EQ(d.policy, "write");
  EXPECT_EQ(d.limit, 5);
  EXPECT_EQ(d.window_seconds, 60);
  EXPECT_EQ(d.remaining, 4);
  EXPECT_EQ(d.reset_seconds, 12);
  EXPECT_EQ(d.retry_after_seconds, 0);

  d = decisionFor(kFivePerMinute, false, 0.25);  // 0.75 units missing: 9 s
  EXPECT_EQ(d.remaining, 0);
  EXPECT_EQ(d.retry_after_seconds, 9);
  EXPECT_EQ(d.reset_seconds, 57);  // 4.75 units: 57 s

  d = decisionFor(kFivePerMinute, false, 0.99);  // 0.01 units missing: rounds up to 1 s, never 0
  EXPECT_EQ(d.retry_after_seconds, 1);
  d = decisionFor(kFivePerMinute, true, 5.0);
  EXPECT_EQ(d.remaining, 5);
  EXPECT_EQ(d.reset_seconds, 0);
  d = decisionFor(kFivePerMinute, true, 7.0);  // never more than the quota
  EXPECT_EQ(d.remaining, 5);
}

TEST(TokenBucket, AllowsABurstOfTheQuotaThenDenies) {
  TokenBucket bucket(kFivePerMinute, kStart);
  for (int expected_remaining = 4; expected_remaining >= 0; --expected_remaining) {
    auto d = bucket.take(kFivePerMinute, kStart);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.remaining, expected_remaining);
  }
  auto denied = bucket.take(kFivePerMinute, kStart);
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.remaining, 0);
  EXPECT_EQ(denied.retry_after_seconds, 12);
  EXPECT_EQ(denied.reset_seconds, 60);
}

TEST(TokenBucket, RefillsContinuouslyAndCapsAtTheQuota) {
  TokenBucket bucket(kFivePerMinute, kStart);
  for (int i = 0; i < 5; ++i) bucket.take(kFivePerMinute, kStart);
  EXPECT_FALSE(bucket.take(kFivePerMinute, kStart + 11s).allowed) << "11 s refill less than one unit";
  auto d = bucket.take(kFivePerMinute, kStart + 12s);
  EXPECT_TRUE(d.allowed) << "12 s refill exactly one unit";
  EXPECT_EQ(d.remaining, 0);
  auto half = bucket.take(kFivePerMinute, kStart + 18s);  // 0.5 units
  EXPECT_FALSE(half.allowed);
  EXPECT_EQ(half.retry_after_seconds, 6);
  // A denial costs nothing: the half unit is still there 6 s later.
  EXPECT_TRUE(bucket.take(kFivePerMinute, kStart + 24s).allowed);
  // An hour idle refills to the quota, not beyond.
  EXPECT_TRUE(bucket.isFull(kFivePerMinute, kStart + 1h));
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(bucket.take(kFivePerMinute, kStart + 1h).allowed);
  EXPECT_FALSE(bucket.take(kFivePerMinute, kStart + 1h).allowed);
}

TEST(TokenBucket, PeekNeverCharges) {
  TokenBucket bucket(Policy{"p", 1, 60s}, kStart);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(bucket.peek(Policy{"p", 1, 60s}, kStart).allowed);
  EXPECT_TRUE(bucket.take(Policy{"p", 1, 60s}, kStart).allowed);
  EXPECT_FALSE(bucket.peek(Policy{"p", 1, 60s}, kStart).allowed);
}

TEST(TokenBucket, AClockThatGoesBackRefillsNothing) {
  TokenBucket bucket(kFivePerMinute, kStart);
  for (int i = 0; i < 5; ++i) bucket.take(kFivePerMinute, kStart);
  EXPECT_FALSE(bucket.take(kFivePerMinute, kStart - 30s).allowed);
  EXPECT_FALSE(bucket.take(kFivePerMinute, kStart + 11s).allowed) << "refill still counts from the latest reading";
  EXPECT_TRUE(bucket.take(kFivePerMinute, kStart + 12s).allowed);
}

}  // namespace
}  // namespace fraudgov::ratelimit
