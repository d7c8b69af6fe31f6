#include "auth/circuit_breaker.h"

#include <gtest/gtest.h>

#include "common/manual_clock.h"

namespace fraudgov::auth {
namespace {

using namespace std::chrono_literals;
using State = CircuitBreaker::State;

class CircuitBreakerTest : public ::testing::Test {
 protected:
  ManualClock clock_;
  CircuitBreaker breaker_{3, 30s, clock_};

  void fail(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(breaker_.allowRequest());
      breaker_.recordFailure();
    }
  }
};

TEST_F(CircuitBreakerTest, StaysClosedBelowTheThreshold) {
  fail(2);
  EXPECT_EQ(breaker_.state(), State::kClosed);
  EXPECT_TRUE(breaker_.allowRequest());
  breaker_.recordSuccess();
  fail(2);  // success reset the count: two more are still below three
  EXPECT_EQ(breaker_.state(), State::kClosed);
}

TEST_F(CircuitBreakerTest, OpensAfterConsecutiveFailuresAndRefusesCalls) {
  fail(3);
  EXPECT_EQ(breaker_.state(), State::kOpen);
  EXPECT_FALSE(breaker_.allowRequest());
  EXPECT_EQ(breaker_.remainingOpen(), 30s);
  clock_.advance(29s);
  EXPECT_FALSE(breaker_.allowRequest());
  EXPECT_EQ(breaker_.remainingOpen(), 1s);
}

TEST_F(CircuitBreakerTest, HalfOpenAdmitsOneProbeThatClosesOnSuccess) {
  fail(3);
  clock_.advance(30s);
  EXPECT_TRUE(breaker_.allowRequest());
  EXPECT_EQ(breaker_.state(), State::kHalfOpen);
  EXPECT_FALSE(breaker_.allowRequest());  // only one probe at a time
  breaker_.recordSuccess();
  EXPECT_EQ(breaker_.state(), State::kClosed);
  EXPECT_EQ(breaker_.consecutiveFailures(), 0u);
  EXPECT_TRUE(breaker_.allowRequest());
}

TEST_F(CircuitBreakerTest, FailedProbeReopensForAnotherFullPeriod) {
  fail(3);
  clock_.advance(31s);
  ASSERT_TRUE(breaker_.allowRequest());
  breaker_.recordFailure();
  EXPECT_EQ(breaker_.state(), State::kOpen);
  EXPECT_FALSE(breaker_.allowRequest());
  clock_.advance(29s);
  EXPECT_FALSE(breaker_.allowRequest());
  clock_.advance(1s);
  EXPECT_TRUE(breaker_.allowRequest());
}

TEST_F(CircuitBreakerTest, StateNames) {
  EXPECT_EQ(CircuitBreaker::stateName(State::kClosed), "closed");
  EXPECT_EQ(CircuitBreaker::stateName(State::kOpen), "open");
  EXPECT_EQ(CircuitBreaker::stateName(State::kHalfOpen), "half_open");
}

}  // namespace
}  // namespace fraudgov::auth
