#include "store/audit_store.h"

#include <gtest/gtest.h>

#include <set>

#include "service/audit_service.h"
#include "support/test_database.h"
#include "support/test_env.h"

namespace fraudgov {

namespace {

const domain::Actor kActor{"https://idp.test/", "auditor", "req-1"};

void appendMany(store::Database& db, int count) {
  for (int done = 0; done < count;) {
    const int batch = std::min(100, count - done);
    auto status = db.write([&](store::SqlSession& s) -> Status {
      for (int i = 0; i < batch; ++i) {
        boost::json::object value{{"n", done + i}, {"text", "é \"quoted\" \\ ünïcode"}, {"ratio", 0.1 * (done + i)}};
        FRAUDGOV_RETURN_IF_ERROR(store::AuditStore::append(
            s, kActor,
            {"RULE", "01900000-0000-7000-8000-000000000001", (done + i) % 2 ? "UPDATE" : "CREATE", nullptr, value}));
      }
      return {};
    });
    ASSERT_TRUE(status) << status.error().message;
    done += batch;
  }
}

store::AuditVerification verify(store::Database& db) {
  auto v = store::inRead(db, [](store::SqlSession& s) { return store::AuditStore::verify(s); });
  EXPECT_TRUE(v);
  return *v;
}

}  // namespace

TEST(AuditStore, AppendsAChainThatVerifies) {
  auto db = testing::openFreshDatabase();
  appendMany(*db, 25);
  const auto v = verify(*db);
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.checked, 25);
}

TEST(AuditStore, RowsCannotBeUpdatedOrDeletedThroughSql) {
  auto db = testing::openFreshDatabase();
  appendMany(*db, 3);
  static constexpr store::Sql kUpdate{"t_update", "UPDATE audit_log SET action = 'X' WHERE seq = 2"};
  static constexpr store::Sql kDelete{"t_delete", "DELETE FROM audit_log WHERE seq = 2"};
  EXPECT_FALSE(db->write([](store::SqlSession& s) -> Status {
    FRAUDGOV_RETURN_IF_ERROR(s.execute(kUpdate));
    return {};
  }));
  EXPECT_FALSE(db->write([](store::SqlSession& s) -> Status {
    FRAUDGOV_RETURN_IF_ERROR(s.execute(kDelete));
    return {};
  }));
  EXPECT_TRUE(verify(*db).ok);
}

// Someone with owner rights on the database bypasses the triggers and edits a row: the chain
// shows exactly where.
TEST(AuditStore, VerifyFindsARowTamperedInTheDatabase) {
  auto db = testing::openFreshDatabase();
  appendMany(*db, 10);
  if (testing::currentBackend() == testing::Backend::kPostgres) {
    testing::runAdminSql(*db,
                         "SET session_replication_role = replica; "
                         "UPDATE audit_log SET new_value = '{\"n\": 999}' WHERE seq = 6; "
                         "SET session_replication_role = origin;");
  } else {
    testing::runAdminSql(*db,
                         "DROP TRIGGER audit_log_no_update; "
                         "UPDATE audit_log SET new_value = '{\"n\": 999}' WHERE seq = 6;");
  }
  const auto v = verify(*db);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.broken_seq, 6);
  EXPECT_EQ(v.reason, "hash_mismatch");
  EXPECT_EQ(v.checked, 5);
}

TEST(AuditStore, VerifyFindsADeletedRow) {
  auto db = testing::openFreshDatabase();
  appendMany(*db, 10);
  if (testing::currentBackend() == testing::Backend::kPostgres) {
    testing::runAdminSql(*db,
                         "SET session_replication_role = replica; DELETE FROM audit_log WHERE seq = 4; "
                         "SET session_replication_role = origin;");
  } else {
    testing::runAdminSql(*db, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 4;");
  }
  const auto v = verify(*db);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.broken_seq, 5);
  EXPECT_EQ(v.reason, "sequence_gap");
}

// Acceptance: 1,000 rows paged forwards then backwards with limit 7: every row exactly once,
// in order, both ways.
TEST(AuditPagination, ThousandRowsBothDirectionsWithLimitSeven) {
  auto db = testing::openFreshDatabase();
  appendMany(*db, 1000);
  service::CursorCodec codec("0123456789abcdef0123456789abcdef");
  service::AuditService audit(*db, codec);

  std::vector<std::int64_t> forward;
  std::vector<std::vector<std::int64_t>> pages;
  std::string cursor;
  std::string last_prev_cursor;
  for (int guard = 0; guard < 200; ++guard) {
    auto page = audit.list({}, {cursor, service::Direction::kNext, 7});
    ASSERT_TRUE(page) << page.error().message;
    std::vector<std::int64_t> seqs;
    for (const auto& r : page->items) seqs.push_back(r.seq);
    pages.push_back(seqs);
    forward.insert(forward.end(), seqs.begin(), seqs.end());
    EXPECT_EQ(page->has_prev, !cursor.empty());
    if (page->prev_cursor) last_prev_cursor = *page->prev_cursor;
    if (!page->has_next) break;
    cursor = *page->next_cursor;
  }
  ASSERT_EQ(forward.size(), 1000u);
  for (std::size_t i = 0; i < forward.size(); ++i) EXPECT_EQ(forward[i], 1000 - static_cast<std::int64_t>(i));

  // Walk back from the last page to the first, page by page.
  std::vector<std::int64_t> backward = pages.back();
  cursor = last_prev_cursor;
  std::size_t expected_page = pages.size() - 1;
  while (!cursor.empty()) {
    auto page = audit.list({}, {cursor, service::Direction::kPrev, 7});
    ASSERT_TRUE(page) << page.error().message;
    --expected_page;
    std::vector<std::int64_t> seqs;
    for (const auto& r : page->items) seqs.push_back(r.seq);
    EXPECT_EQ(seqs, pages[expected_page]);
    EXPECT_TRUE(page->has_next);
    backward.insert(backward.begin(), seqs.begin(), seqs.end());
    cursor = page->has_prev ? *page->prev_cursor : "";
  }
  EXPECT_EQ(expected_page, 0u);
  EXPECT_EQ(backward, forward);
  EXPECT_EQ(std::set<std::int64_t>(backward.begin(), backward.end()).size(), 1000u);
}

TEST(AuditPagination, FiltersAndCursorsStayTogether) {
  auto db = testing::openFreshDatabase();
  appendMany(*db, 30);
  service::CursorCodec codec("0123456789abcdef0123456789abcdef");
  service::AuditService audit(*db, codec);
  store::AuditFilter creates;
  creates.action = "CREATE";
  auto page = audit.list(creates, {"", service::Direction::kNext, 5});
  ASSERT_TRUE(page);
  ASSERT_TRUE(page->next_cursor);
  for (const auto& r : page->items) EXPECT_EQ(r.event.action, "CREATE");
  // The same cursor with different filters is refused rather than silently misapplied.
  store::AuditFilter updates;
  updates.action = "UPDATE";
  auto mismatched = audit.list(updates, {*page->next_cursor, service::Direction::kNext, 5});
  ASSERT_FALSE(mismatched);
  EXPECT_EQ(mismatched.error().code, ErrorCode::kMalformed);

  store::AuditFilter window;
  window.since = nowUtc();
  auto none = audit.list(window, {"", service::Direction::kNext, 5});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->items.empty());
  EXPECT_FALSE(none->has_next);
}

}  // namespace fraudgov
