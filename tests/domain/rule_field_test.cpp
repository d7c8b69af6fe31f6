#include "domain/rule_field.h"

#include <gtest/gtest.h>

namespace fraudgov::domain {

TEST(FieldKey, PredecessorRules) {
  for (const char* ok : {"a", "amount", "card_hash", "x1_y2", "velocity_1h"}) EXPECT_FALSE(checkFieldKey(ok)) << ok;
  for (const char* bad : {"", "1a", "_a", "a_", "a__b", "A", "a-b", "a b", "a.b", "é"}) {
    EXPECT_TRUE(checkFieldKey(bad)) << bad;
  }
  EXPECT_FALSE(checkFieldKey(std::string(100, 'a')));
  EXPECT_TRUE(checkFieldKey(std::string(101, 'a')));
}

TEST(StandardFields, AreTheTwentySixOfThePredecessor) {
  const auto& fields = standardFields();
  ASSERT_EQ(fields.size(), 26u);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    EXPECT_EQ(fields[i].field_id, static_cast<int>(i) + 1);
    FieldDefinition d{fields[i].display_name,        std::nullopt,
                      fields[i].data_type,           fields[i].allowed_operators,
                      fields[i].multi_value_allowed, fields[i].is_sensitive};
    EXPECT_TRUE(checkDefinition(d).empty()) << fields[i].field_key << " must satisfy our own operator rules";
  }
  EXPECT_STREQ(fields[2].field_key, "amount");
  EXPECT_EQ(fieldAuditId("amount"), "a00dde41-0309-59b9-b014-f1e9494a4507");
}

TEST(FieldDefinition, OperatorsMustSuitTheType) {
  FieldDefinition d{"Flag", std::nullopt, DataType::kBoolean, {Operator::kEq, Operator::kGt}, false, false};
  auto issues = checkDefinition(d);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].path, "allowed_operators[1]");
}

}  // namespace fraudgov::domain
