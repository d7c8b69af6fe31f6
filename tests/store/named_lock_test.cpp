// Database::lockNamed(): the per-scope publication lock (issue 9 item 5). It excludes holders of
// the same name, also across two Database instances on one store (two fraudgov instances on
// PostgreSQL; on SQLite the same process), and never the store-wide write lock or other names.

#include <gtest/gtest.h>

#include <chrono>

#include "store/database.h"
#include "support/test_database.h"

namespace fraudgov {
namespace {

using namespace std::chrono_literals;

Status emptyWrite(store::Database& db) {
  return db.write([](store::SqlSession&) -> Status { return {}; });
}

TEST(NamedLock, ExcludesTheSameNameAcrossInstancesAndNothingElse) {
  const std::string url = testing::migratedDatabaseUrl();
  auto first = testing::openMigrated(url);
  auto second = testing::openMigrated(url);
  ASSERT_TRUE(first && second);

  auto held = first->lockNamed("publication/test/EMEA/DE/CARD_AUTH/", Deadline::after(5s));
  ASSERT_TRUE(held) << held.error().message;
  for (auto* db : {first.get(), second.get()}) {
    auto refused = db->lockNamed("publication/test/EMEA/DE/CARD_AUTH/", Deadline::after(30ms));
    ASSERT_FALSE(refused) << "the name is held";
    EXPECT_EQ(refused.error().code, ErrorCode::kDeadlineExceeded);
  }
  auto other = second->lockNamed("publication/test/EMEA/FR/CARD_AUTH/", Deadline::after(5s));
  EXPECT_TRUE(other) << "another scope is independent";
  EXPECT_TRUE(emptyWrite(*first)) << "the store-wide write lock is not the named lock";
  EXPECT_TRUE(emptyWrite(*second));

  held->reset();  // released on destruction
  auto next = second->lockNamed("publication/test/EMEA/DE/CARD_AUTH/", Deadline::after(5s));
  EXPECT_TRUE(next) << next.error().message;
}

TEST(NamedLock, ReleasedConnectionsGoBackToThePool) {
  auto db = testing::openFreshDatabase(2);
  ASSERT_TRUE(db);
  for (int i = 0; i < 5; ++i) {
    auto held = db->lockNamed("publication/x", Deadline::after(5s));
    ASSERT_TRUE(held) << held.error().message;
    EXPECT_TRUE(emptyWrite(*db));
  }
  EXPECT_LE(db->poolStats().in_use, 0u);
}

// A named lock keeps a pooled connection while it is held, and its holder then needs another for
// its transaction: with every connection holding a named lock, every holder would wait on the
// others. Named locks leave one connection of the pool to transactions.
TEST(NamedLock, LeavesAConnectionForTheHoldersTransactions) {
  auto db = testing::openFreshDatabase(2);
  ASSERT_TRUE(db);
  auto first = db->lockNamed("publication/a", Deadline::after(5s));
  ASSERT_TRUE(first) << first.error().message;
  auto second = db->lockNamed("publication/b", Deadline::after(100ms));
  if (db->dialect() == store::Dialect::kPostgres) {
    ASSERT_FALSE(second) << "a second holder would take the last connection";
    EXPECT_EQ(second.error().code, ErrorCode::kDeadlineExceeded);
  }
  EXPECT_TRUE(emptyWrite(*db)) << "the holder's transaction finds a connection";
  if (second) second->reset();  // SQLite: named locks hold no connection, so nothing is limited
  first->reset();
  auto after = db->lockNamed("publication/b", Deadline::after(5s));
  EXPECT_TRUE(after) << "the slot is free again once the first lock is released";
}

}  // namespace
}  // namespace fraudgov
