// Idempotency-Key claims as leases (issue 11 item 6), against the real backend: a claim is taken
// over only after its lease, only by the same request, by exactly one of concurrent retries; the
// request whose claim was taken over can no longer record or release it.
#include "store/idempotency_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/test_database.h"

namespace fraudgov::store {
namespace {

constexpr std::int64_t kSecond = 1'000'000;
const IdempotencyKeyRef kKey{"https://idp.test/", "alice", "key-1"};

IdempotencyClaim claimAt(std::int64_t now_micros, const std::string& token, std::int64_t lease_seconds = 30) {
  return {Timestamp{now_micros}, Timestamp{now_micros + lease_seconds * kSecond}, token};
}

Result<std::optional<IdempotencyRecord>> claim(Database& db, const IdempotencyClaim& c, const std::string& hash = "h1") {
  return inWrite(db, [&](SqlSession& s) { return IdempotencyStore::claim(s, kKey, hash, c); });
}

Status complete(Database& db, const std::string& token) {
  return db.write(
      [&](SqlSession& s) { return IdempotencyStore::complete(s, kKey, token, 201, "application/json", "{}"); });
}

TEST(IdempotencyStore, ALiveClaimIsHeldAndAnExpiredOneIsTakenOverBySameRequestOnly) {
  auto db = testing::openFreshDatabase();
  ASSERT_TRUE(db);
  const std::int64_t t0 = nowUtc().micros;
  auto first = claim(*db, claimAt(t0, "first"));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_FALSE(*first) << "the key was free";

  auto during = claim(*db, claimAt(t0 + 10 * kSecond, "second"));
  ASSERT_TRUE(during && *during);
  EXPECT_FALSE((*during)->completed);
  ASSERT_TRUE((*during)->lease_expires_at);
  EXPECT_EQ((*during)->lease_expires_at->micros, t0 + 30 * kSecond);

  auto other_request = claim(*db, claimAt(t0 + 31 * kSecond, "third"), "h2");
  ASSERT_TRUE(other_request && *other_request) << "a different request never takes a key over";
  EXPECT_EQ((*other_request)->request_hash, "h1");

  auto after = claim(*db, claimAt(t0 + 31 * kSecond, "second"));
  ASSERT_TRUE(after);
  EXPECT_FALSE(*after) << "taken over once the lease ended";

  EXPECT_FALSE(complete(*db, "first")) << "the crashed holder's claim is gone";
  EXPECT_TRUE(complete(*db, "second"));
  auto replay = claim(*db, claimAt(t0 + 100 * kSecond, "fourth"));
  ASSERT_TRUE(replay && *replay);
  EXPECT_TRUE((*replay)->completed);
  EXPECT_EQ((*replay)->response_status, 201);
}

TEST(IdempotencyStore, OfConcurrentTakeoversExactlyOneWins) {
  auto db = testing::openFreshDatabase();
  ASSERT_TRUE(db);
  const std::int64_t t0 = nowUtc().micros;
  ASSERT_TRUE(claim(*db, claimAt(t0, "crashed")));
  std::atomic<int> winners{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto r = claim(*db, claimAt(t0 + 60 * kSecond, "retry-" + std::to_string(i)));
      if (!r) {
        ++errors;
      } else if (!*r) {
        ++winners;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(winners.load(), 1);
}

TEST(IdempotencyStore, PurgeDeletesOnlyKeysOlderThanTheCutoffAndCountsThem) {
  auto db = testing::openFreshDatabase();
  ASSERT_TRUE(db);
  const std::int64_t t0 = nowUtc().micros;
  ASSERT_TRUE(claim(*db, claimAt(t0 - 48 * 3600 * kSecond, "old")));
  ASSERT_TRUE(inWrite(*db, [&](SqlSession& s) {
    return IdempotencyStore::claim(s, {"https://idp.test/", "bob", "key-2"}, "h", claimAt(t0, "new"));
  }));
  auto purged = inWrite(*db, [&](SqlSession& s) {
    return IdempotencyStore::purgeOlderThan(s, Timestamp{t0 - 24 * 3600 * kSecond});
  });
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 1);
}

}  // namespace
}  // namespace fraudgov::store
