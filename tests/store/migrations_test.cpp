#include "store/migrations.h"

#include <gtest/gtest.h>

#include "support/test_database.h"

namespace fraudgov {

TEST(Migrations, ApplyOnceThenNothingToDo) {
  auto db = store::openDatabase(testing::freshDatabaseUrl(), {});
  ASSERT_TRUE(db);
  auto before = store::migrationState(**db);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->current, 0);
  EXPECT_FALSE(before->upToDate());

  auto first = store::applyMigrations(**db);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, before->latest);
  auto second = store::applyMigrations(**db);
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, 0);
  EXPECT_TRUE(store::migrationState(**db)->upToDate());
}

TEST(Migrations, RefusesUnknownDatabaseUrls) {
  auto db = store::openDatabase("mysql://localhost/x", {});
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace fraudgov
