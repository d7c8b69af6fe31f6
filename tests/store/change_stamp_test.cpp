// Database::changeStamp(): what read caches rely on to never serve data older than a commit
// they could have heard of.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "service/catalog_service.h"
#include "store/database.h"
#include "store/migrations.h"
#include "support/poll.h"
#include "support/test_database.h"
#include "support/test_env.h"

namespace fraudgov {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<store::Database> open(const std::string& url) {
  auto db = store::openDatabase(url, {});
  EXPECT_TRUE(db) << (db ? "" : db.error().message);
  if (!db) return nullptr;
  auto applied = store::applyMigrations(**db);
  EXPECT_TRUE(applied) << (applied ? "" : applied.error().message);
  return std::move(*db);
}

// The stamp once the watcher is up (the first ask starts it).
std::optional<std::uint64_t> settledStamp(store::Database& db) {
  std::optional<std::uint64_t> stamp;
  testing::pollUntil([&] { return (stamp = db.changeStamp()).has_value(); }, 10s, 10ms);
  return stamp;
}

// The stamp once news of earlier writes has stopped arriving: unchanged for `quiet` in a row.
// PostgreSQL delivers notifications asynchronously; no clock of ours can hurry it.
std::optional<std::uint64_t> quietStamp(store::Database& db, std::chrono::milliseconds quiet = 200ms) {
  auto last = settledStamp(db);
  auto since = std::chrono::steady_clock::now();
  const bool settled = testing::pollUntil(
      [&] {
        if (auto now = db.changeStamp(); now != last) {
          last = now;
          since = std::chrono::steady_clock::now();
        }
        return last && std::chrono::steady_clock::now() - since >= quiet;
      },
      10s, 10ms);
  return settled ? last : std::nullopt;
}

// Whether the stamp moves away from `before` within `within`.
bool stampMovesFrom(store::Database& db, std::uint64_t before, std::chrono::milliseconds within = 10s) {
  return testing::pollUntil(
      [&] {
        auto now = db.changeStamp();
        return now && *now != before;
      },
      within, 10ms);
}

// A real governance write: a new catalog field (with its version and audit row).
void addField(store::Database& db, const std::string& key) {
  service::CatalogService catalog(db);
  const domain::Actor maker{"https://idp.test/", "maker-1", "req-" + key};
  auto created = catalog.createField(
      maker, {key, {"Display", std::nullopt, domain::DataType::kNumber, {domain::Operator::kGt}, false, false}});
  ASSERT_TRUE(created) << created.error().message;
}

class ChangeStamp : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = testing::migratedDatabaseUrl();
    db_ = open(url_);
    ASSERT_TRUE(db_);
  }
  std::string url_;
  std::unique_ptr<store::Database> db_;
};

TEST_F(ChangeStamp, StaysPutWhileNothingIsWritten) {
  auto first = settledStamp(*db_);
  ASSERT_TRUE(first);
  auto read = store::inRead(*db_, [](store::SqlSession& s) {
    return s.query({"count", "SELECT COUNT(*) FROM rules"});
  });
  ASSERT_TRUE(read);
  // A notification the read caused would arrive asynchronously: watch for one for a while.
  EXPECT_FALSE(stampMovesFrom(*db_, *first, 200ms));
  EXPECT_EQ(db_->changeStamp(), first);
}

TEST_F(ChangeStamp, MovesAtOnceAfterOwnWrite) {
  auto before = settledStamp(*db_);
  ASSERT_TRUE(before);
  addField(*db_, "own_write");
  // No waiting: a client that wrote through this instance must read its own write.
  auto after = db_->changeStamp();
  ASSERT_TRUE(after);
  EXPECT_NE(*after, *before);
}

TEST_F(ChangeStamp, MovesWhenAnotherInstanceWrites) {
  auto other = open(url_);
  ASSERT_TRUE(other);
  auto before = settledStamp(*db_);
  ASSERT_TRUE(before);
  addField(*other, "other_instance");
  EXPECT_TRUE(stampMovesFrom(*db_, *before));
}

TEST_F(ChangeStamp, MovesWhenSomeoneChangesDataBehindFraudgovsBack) {
  auto other = open(url_);
  ASSERT_TRUE(other);
  addField(*other, "renamed_later");
  auto before = quietStamp(*db_);  // the field's own notification has come and gone
  ASSERT_TRUE(before);
  // No fraudgov transaction, no write lock: an operator's psql session.
  testing::runAdminSql(*other, "UPDATE rule_fields SET display_name = 'Renamed';");
  EXPECT_TRUE(stampMovesFrom(*db_, *before));
}

TEST_F(ChangeStamp, LosingTheListenerConnectionMovesTheStampAndRecovers) {
  if (testing::currentBackend() != testing::Backend::kPostgres) GTEST_SKIP() << "PostgreSQL LISTEN connection";
  auto before = settledStamp(*db_);
  ASSERT_TRUE(before);
  testing::runAdminSql(*db_,
                       "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE application_name = 'fraudgov-listener' AND datname = current_database();");
  // Whatever was committed while it was deaf is unknown: the stamp must not come back unchanged.
  EXPECT_TRUE(stampMovesFrom(*db_, *before));
  auto resumed = settledStamp(*db_);
  ASSERT_TRUE(resumed);
  // And it hears changes again.
  auto other = open(url_);
  ASSERT_TRUE(other);
  auto settled = quietStamp(*db_);
  ASSERT_TRUE(settled);
  addField(*other, "after_recovery");
  EXPECT_TRUE(stampMovesFrom(*db_, *settled));
}

}  // namespace
}  // namespace fraudgov
