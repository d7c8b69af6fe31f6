#include "auth/verified_token_cache.h"

#include <gtest/gtest.h>

namespace fraudgov::auth {

namespace {
constexpr std::int64_t kSecond = 1'000'000;
Principal alice() {
  Principal p;
  p.issuer = "https://idp/";
  p.subject = "alice";
  p.permissions = {"rule:read"};
  return p;
}
}  // namespace

TEST(VerifiedTokenCache, RemembersUntilExpiryOrMaxAge) {
  VerifiedTokenCache cache(64, std::chrono::seconds(60));
  const Timestamp now{1'000 * kSecond};
  cache.remember("token-a", alice(), Timestamp{now.micros + 3600 * kSecond}, now);
  ASSERT_TRUE(cache.find("token-a", now));
  EXPECT_EQ(cache.find("token-a", now)->subject, "alice");
  EXPECT_TRUE(cache.find("token-a", Timestamp{now.micros + 59 * kSecond})) << "within max_age";
  EXPECT_FALSE(cache.find("token-a", Timestamp{now.micros + 61 * kSecond})) << "max_age bounds a withdrawn key";
  cache.remember("token-b", alice(), Timestamp{now.micros + 10 * kSecond}, now);
  EXPECT_FALSE(cache.find("token-b", Timestamp{now.micros + 11 * kSecond})) << "never past the token's expiry";
  EXPECT_FALSE(cache.find("token-c", now)) << "only what was verified";
  EXPECT_FALSE(cache.find("token-a ", now)) << "exact bytes";
}

TEST(VerifiedTokenCache, StaysBounded) {
  VerifiedTokenCache cache(32, std::chrono::seconds(60));
  const Timestamp now{1'000 * kSecond};
  for (int i = 0; i < 10'000; ++i) {
    cache.remember("token-" + std::to_string(i), alice(), Timestamp{now.micros + 3600 * kSecond}, now);
  }
  EXPECT_LE(cache.size(), 32u);
}

}  // namespace fraudgov::auth
