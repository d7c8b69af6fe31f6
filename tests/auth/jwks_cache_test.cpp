#include "auth/jwks_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "auth/authenticator.h"
#include "auth_fixtures.h"
#include "common/manual_clock.h"
#include "fake_idp.h"
#include "support/poll.h"

namespace fraudgov::auth {
namespace {

using namespace std::chrono_literals;
using namespace test;
using fraudgov::testing::TestKey;
using SteadyClock = std::chrono::steady_clock;

std::string bearer(const std::string& token) { return "Bearer " + token; }

// Background threads make these transitions asynchronous: poll (real time) until they happen.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 5s) {
  return fraudgov::testing::pollUntil(pred, timeout);
}

class JwksCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    settings_ = testSettings(idp_.jwksUrl());
    options_.initial_backoff = 20ms;
    options_.max_backoff = 50ms;
    // Every decision reads clock_, which moves only when a test says so; the worker re-reads it
    // often so that an advance is noticed at once.
    options_.clock = &clock_;
    options_.max_idle_wait = 2ms;
  }
  void TearDown() override {
    idp_.stop();  // releases any hanging fetch so the cache's worker can stop promptly
    if (cache_) cache_->stop();
  }

  void startCache() {
    cache_ = std::make_shared<JwksCache>(settings_, std::make_shared<net::CurlHttpClient>(), options_);
    authenticator_ = std::make_unique<Authenticator>(settings_, cache_, clock_);
    cache_->start();
  }
  Result<Principal> authenticate(const std::string& token) { return authenticator_->authenticate(bearer(token)); }
  // Moves the clock in steps until `pred` holds: retries after a backoff happen only as time passes.
  template <class Pred>
  bool advanceUntil(Pred pred, std::chrono::milliseconds step = 50ms) {
    return eventually([&] {
      if (pred()) return true;
      clock_.advance(step);
      return false;
    });
  }

  ManualClock clock_;  // first: the cache and the authenticator read it until they are gone

  FakeIdp idp_;
  AuthSettings settings_;
  JwksCache::Options options_;
  std::shared_ptr<JwksCache> cache_;
  std::unique_ptr<Authenticator> authenticator_;
};

TEST_F(JwksCacheTest, ColdStartWithIdpDownIsUnavailableUntilItRecovers) {
  idp_.failWith(503);
  startCache();
  EXPECT_FALSE(cache_->waitForFirstAttempt(5s));
  auto result = authenticate(tokens().rs256(goodClaims()));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_GE(result.error().retry_after_seconds, 1);
  EXPECT_EQ(cache_->find("test-rsa").outcome, KeyLookupOutcome::kNoKeys);
  EXPECT_EQ(cache_->status().key_count, 0u);
  EXPECT_GE(cache_->status().fetch_failure_total, 1u);

  idp_.serve(tokens().jwks());
  ASSERT_TRUE(advanceUntil([&] { return cache_->status().key_count == 2; }));
  auto accepted = authenticate(tokens().rs256(goodClaims()));
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_EQ(accepted->subject, "user-1");
  EXPECT_TRUE(cache_->status().last_success.has_value());
}

TEST_F(JwksCacheTest, MalformedOrKeylessDocumentsCountAsFailures) {
  idp_.serve(R"({"keys":[{"kty":"oct","kid":"k","k":"AAAA"}]})");
  startCache();
  EXPECT_FALSE(cache_->waitForFirstAttempt(5s));
  idp_.serve(R"({"keys":[],"keys":[]})");
  ASSERT_TRUE(advanceUntil([&] { return cache_->status().fetch_failure_total >= 3; }));
  EXPECT_EQ(cache_->status().fetch_success_total, 0u);
  EXPECT_EQ(cache_->find("k").outcome, KeyLookupOutcome::kNoKeys);
}

TEST_F(JwksCacheTest, UnknownKidRefreshesOnceThenCoolsDown) {
  settings_.unknown_kid_cooldown = 1s;
  idp_.serve(tokens().jwks());
  startCache();
  ASSERT_TRUE(cache_->waitForFirstAttempt(5s));
  ASSERT_EQ(idp_.fetches(), 1u);

  // Right after a fetch we are inside the cooldown: answered at once, no fetch.
  EXPECT_EQ(authenticate(tokens().unknownKid(goodClaims())).error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(idp_.fetches(), 1u);

  clock_.advance(1100ms);  // past the cooldown of the first fetch
  auto first = authenticate(tokens().unknownKid(goodClaims()));
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, ErrorCode::kUnauthenticated);  // 401, not 503: we do have keys
  EXPECT_EQ(idp_.fetches(), 2u);
  EXPECT_EQ(cache_->status().unknown_kid_refresh_total, 1u);

  for (int i = 0; i < 20; ++i) EXPECT_FALSE(authenticate(tokens().unknownKid(goodClaims())));
  EXPECT_EQ(idp_.fetches(), 2u);
  EXPECT_EQ(cache_->status().unknown_kid_refresh_total, 1u);
}

TEST_F(JwksCacheTest, ConcurrentUnknownKidsShareOneRefresh) {
  settings_.unknown_kid_cooldown = 1s;
  idp_.serve(tokens().jwks(), 200ms);
  startCache();
  ASSERT_TRUE(cache_->waitForFirstAttempt(5s));
  clock_.advance(1100ms);  // past the cooldown of the first fetch

  std::atomic<bool> go{false};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      if (cache_->find("forged-kid").outcome == KeyLookupOutcome::kUnknownKid) ++refused;
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(refused.load(), 8);
  EXPECT_EQ(idp_.fetches(), 2u);
  EXPECT_EQ(cache_->status().unknown_kid_refresh_total, 1u);
}

TEST_F(JwksCacheTest, RotatedKeyIsFoundByTheUnknownKidRefresh) {
  settings_.unknown_kid_cooldown = 1s;
  idp_.serve(tokens().jwks({TestKey::kRsa}));
  startCache();
  ASSERT_TRUE(cache_->waitForFirstAttempt(5s));
  clock_.advance(1100ms);  // past the cooldown of the first fetch
  idp_.serve(tokens().jwks({TestKey::kRsa, TestKey::kRsaNext}));

  auto rotated = authenticate(tokens().rs256(goodClaims(), TestKey::kRsaNext));
  ASSERT_TRUE(rotated) << rotated.error().message;
  EXPECT_EQ(idp_.fetches(), 2u);
  EXPECT_TRUE(authenticate(tokens().rs256(goodClaims())));
}

TEST_F(JwksCacheTest, HangingIdpDoesNotSlowRequestsWithCachedKeys) {
  settings_.fetch_timeout = 15s;
  idp_.serve(tokens().jwks());
  startCache();
  ASSERT_TRUE(cache_->waitForFirstAttempt(5s));
  idp_.hang(10s);
  cache_->requestRefresh();
  ASSERT_TRUE(idp_.waitForFetches(2));  // the refresh is now stuck inside the IdP

  const std::string token = tokens().rs256(goodClaims());
  const std::string forged = tokens().unknownKid(goodClaims());
  SteadyClock::duration worst{};
  for (int i = 0; i < 200; ++i) {
    const auto start = SteadyClock::now();
    auto result = authenticate(i % 50 == 49 ? forged : token);
    worst = std::max(worst, SteadyClock::now() - start);
    EXPECT_EQ(result.has_value(), i % 50 != 49);
  }
  EXPECT_LT(worst, 50ms) << "worst latency " << std::chrono::duration<double, std::milli>(worst).count() << " ms";
  EXPECT_EQ(idp_.fetches(), 2u);
}

TEST_F(JwksCacheTest, ServesStaleKeysWhileTheIdpFailsUpToMaxStale) {
  options_.initial_backoff = 1s;
  settings_.jwks_ttl = 10s;
  settings_.max_stale = 60s;
  settings_.breaker_failure_threshold = 100;
  idp_.serve(tokens().jwks());
  startCache();
  ASSERT_TRUE(cache_->waitForFirstAttempt(5s));
  EXPECT_FALSE(cache_->status().stale);

  idp_.failWith(500);
  clock_.advance(9s);  // past the 80 % refresh point
  ASSERT_TRUE(eventually([&] { return cache_->status().fetch_failure_total >= 1; }));
  EXPECT_EQ(cache_->find("test-rsa").outcome, KeyLookupOutcome::kFound);
  EXPECT_FALSE(cache_->status().stale);

  clock_.advance(2s);  // 11 s after the last success: stale, still served
  ASSERT_TRUE(eventually([&] { return cache_->status().fetch_failure_total >= 2; }));
  EXPECT_TRUE(cache_->status().stale);
  EXPECT_EQ(cache_->status().key_count, 2u);
  EXPECT_TRUE(authenticate(tokens().es256(goodClaims())));

  clock_.advance(50s);  // 61 s: beyond max_stale, nothing is served any more
  // Let the retry due now fail before the IdP recovers: a failure recorded after the next
  // advance would push the following retry past a clock that no longer moves.
  ASSERT_TRUE(eventually([&] { return cache_->status().fetch_failure_total >= 3; }));
  EXPECT_EQ(cache_->find("test-rsa").outcome, KeyLookupOutcome::kNoKeys);
  auto refused = authenticate(tokens().rs256(goodClaims()));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_GE(refused.error().retry_after_seconds, 1);

  idp_.serve(tokens().jwks());
  clock_.advance(2s);
  ASSERT_TRUE(eventually([&] { return cache_->status().key_count == 2; }));
  EXPECT_FALSE(cache_->status().stale);
}

TEST_F(JwksCacheTest, CircuitBreakerStopsFetchesWhileOpenAndHalfOpenProbeClosesIt) {
  settings_.breaker_failure_threshold = 3;
  settings_.breaker_open_for = 1s;
  settings_.unknown_kid_cooldown = 0s;  // even unknown kids may not reach the IdP while open
  idp_.serve(tokens().jwks());
  startCache();
  ASSERT_TRUE(cache_->waitForFirstAttempt(5s));

  idp_.failWith(500);
  cache_->requestRefresh();
  ASSERT_TRUE(advanceUntil([&] { return cache_->status().breaker_state == "open"; }, 20ms));
  EXPECT_EQ(idp_.fetches(), 4u);  // one success, three failures

  // 600 ms of the open second. Each unknown kid asks the worker for a refresh and waits for its
  // answer, so every lookup is a full round through the worker that must not reach the IdP.
  for (int i = 0; i < 30; ++i) {
    clock_.advance(20ms);
    EXPECT_EQ(cache_->find("forged").outcome, KeyLookupOutcome::kUnknownKid);
    EXPECT_EQ(cache_->find("test-rsa").outcome, KeyLookupOutcome::kFound);  // stale keys keep working
  }
  EXPECT_EQ(idp_.fetches(), 4u);
  EXPECT_EQ(cache_->status().breaker_state, "open");

  idp_.serve(tokens().jwks());
  clock_.advance(500ms);  // past the open period: the next attempt is the half-open probe
  ASSERT_TRUE(eventually([&] { return cache_->status().breaker_state == "closed"; }, 3s));
  EXPECT_EQ(idp_.fetches(), 5u);  // exactly one half-open probe
  EXPECT_EQ(cache_->status().fetch_success_total, 2u);
}

TEST_F(JwksCacheTest, RefreshesBeforeExpiry) {
  settings_.jwks_ttl = 10s;  // refresh due at 8 s
  idp_.serve(tokens().jwks());
  startCache();
  ASSERT_TRUE(cache_->waitForFirstAttempt(5s));
  EXPECT_EQ(idp_.fetches(), 1u);
  clock_.advance(8s);
  EXPECT_TRUE(eventually([&] { return cache_->status().fetch_success_total >= 2; }, 3s));
  EXPECT_EQ(cache_->status().fetch_failure_total, 0u);
}

TEST_F(JwksCacheTest, StopIsPromptAndLookupsAfterStopDoNotWait) {
  idp_.serve(tokens().jwks());
  startCache();
  ASSERT_TRUE(cache_->waitForFirstAttempt(5s));
  cache_->stop();
  const auto start = SteadyClock::now();
  EXPECT_EQ(cache_->find("forged").outcome, KeyLookupOutcome::kUnknownKid);
  EXPECT_EQ(cache_->find("test-ec").outcome, KeyLookupOutcome::kFound);
  EXPECT_LT(SteadyClock::now() - start, 100ms);
}

}  // namespace
}  // namespace fraudgov::auth
