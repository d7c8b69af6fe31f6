#include "common/uuid.h"

#include <gtest/gtest.h>

#include <set>

namespace fraudgov {

TEST(Uuid, V7IsValidVersionedAndOrdered) {
  std::string previous;
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    const std::string id = uuid::v7();
    ASSERT_TRUE(uuid::isValid(id));
    EXPECT_EQ(id[14], '7');
    EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
    EXPECT_LT(previous, id);
    previous = id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(Uuid, V5MatchesPredecessorAuditIds) {
  EXPECT_EQ(uuid::v5(uuid::kNamespaceDns, "rule_field:amount"), "a00dde41-0309-59b9-b014-f1e9494a4507");
}

TEST(Uuid, NormalizesAndRejects) {
  EXPECT_EQ(uuid::normalize("A00DDE41-0309-59B9-B014-F1E9494A4507"), "a00dde41-0309-59b9-b014-f1e9494a4507");
  EXPECT_FALSE(uuid::normalize("a00dde41030959b9b014f1e9494a4507"));
  EXPECT_FALSE(uuid::normalize("a00dde41-0309-59b9-b014-f1e9494a450g"));
  EXPECT_FALSE(uuid::normalize("' OR 1=1 --"));
  EXPECT_FALSE(uuid::normalize(""));
}

}  // namespace fraudgov
