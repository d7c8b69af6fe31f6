#include "common/json.h"

#include <gtest/gtest.h>

namespace fraudgov {

TEST(StrictJson, ParsesDocuments) {
  auto v = json::parseStrict(R"({"a":[1,2.5,"x",true,null],"b":{"c":-3}})");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->at("a").as_array().size(), 5u);
  EXPECT_EQ(v->at("b").at("c").as_int64(), -3);
}

TEST(StrictJson, RefusesDuplicateKeys) {
  auto v = json::parseStrict(R"({"op":"GT","op":"LT"})");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(v.error().details.at("key").as_string(), "op");
  EXPECT_FALSE(json::parseStrict(R"({"a":{"x":1,"x":1}})"));
}

TEST(StrictJson, RefusesExcessiveDepth) {
  std::string deep(1000, '[');
  deep += std::string(1000, ']');
  auto v = json::parseStrict(deep);
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("nesting"), std::string::npos);
  std::string ok(60, '[');
  ok += std::string(60, ']');
  EXPECT_TRUE(json::parseStrict(ok));
}

TEST(StrictJson, RefusesMalformedInput) {
  for (const char* bad :
       {"", "{", "{\"a\":1,}", "[1 2]", "{\"a\":1} x", "// c\n{}", "\"\xc0\xaf\"", "\"\\ud800\"", "{'a':1}", "NaN"}) {
    EXPECT_FALSE(json::parseStrict(bad)) << bad;
  }
}

TEST(StrictJson, KeepsUnicodeAndNul) {
  auto v = json::parseStrict(R"(["\u0000", "\ud83d\ude00", "é"])");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->as_array()[0].as_string().size(), 1u);
  EXPECT_EQ(std::string(v->as_array()[1].as_string()), "\xf0\x9f\x98\x80");
}

}  // namespace fraudgov
