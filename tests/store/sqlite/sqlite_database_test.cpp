// The SQLite driver's per-connection settings (SPEC §3 invariant 11: a 2xx survives power loss).
#include "store/sqlite/sqlite_database.h"

#include <gtest/gtest.h>

#include <barrier>
#include <thread>
#include <vector>

#include "support/test_env.h"

namespace fraudgov {
namespace {

constexpr std::size_t kPoolSize = 4;

// PRAGMA synchronous as seen by `connections` distinct pooled connections at once: every reader
// holds its lease until all have read, so the pool has to hand out that many connections.
std::vector<std::string> synchronousOnEveryConnection(store::Database& db, std::size_t connections) {
  static constexpr store::Sql kSynchronous{"t_synchronous", "PRAGMA synchronous"};
  std::vector<std::string> seen(connections);
  std::barrier all_leased(static_cast<std::ptrdiff_t>(connections));
  std::vector<std::thread> readers;
  for (std::size_t i = 0; i < connections; ++i) {
    readers.emplace_back([&, i] {
      auto status = db.read([&](store::SqlSession& s) -> Status {
        auto rows = s.query(kSynchronous);
        if (rows && !rows->empty() && !(*rows)[0].isNull(0)) seen[i] = (*rows)[0].text(0);
        all_leased.arrive_and_wait();
        return {};
      });
      EXPECT_TRUE(status) << status.error().message;
    });
  }
  for (auto& t : readers) t.join();
  return seen;
}

TEST(SqliteDatabase, EveryPooledConnectionSyncsFullyOnCommit) {
  const std::string dir = testing::makeTempDir("sqlite-sync");
  store::DatabaseOptions options;
  options.pool_size = kPoolSize;
  auto db = store::openSqlite(dir + "/fraudgov.db", options);
  ASSERT_TRUE(db) << db.error().message;
  // 2 is FULL (0 OFF, 1 NORMAL, 3 EXTRA).
  for (const auto& value : synchronousOnEveryConnection(**db, kPoolSize)) EXPECT_EQ(value, "2");
}

TEST(SqliteDatabase, NormalIsOnlyTheBenchmarkBaseline) {
  const std::string dir = testing::makeTempDir("sqlite-sync-normal");
  store::DatabaseOptions options;
  options.pool_size = 2;
  auto db = store::openSqlite(dir + "/fraudgov.db", options, store::SqliteSync::kNormal);
  ASSERT_TRUE(db) << db.error().message;
  for (const auto& value : synchronousOnEveryConnection(**db, 2)) EXPECT_EQ(value, "1");
}

}  // namespace
}  // namespace fraudgov
