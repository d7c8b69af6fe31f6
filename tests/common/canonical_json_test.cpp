#include "common/canonical_json.h"

#include <gtest/gtest.h>

#include "common/json.h"

namespace fraudgov {

std::string canon(std::string_view text) { return json::canonicalize(*json::parseStrict(text)); }

TEST(CanonicalJson, Rfc8785NumberVectors) {
  EXPECT_EQ(canon(R"({"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001]})"),
            R"({"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27]})");
}

TEST(CanonicalJson, EcmaScriptNumberForms) {
  EXPECT_EQ(json::formatNumberEs(1.0), "1");
  EXPECT_EQ(json::formatNumberEs(-0.0), "0");
  EXPECT_EQ(json::formatNumberEs(100.0), "100");
  EXPECT_EQ(json::formatNumberEs(1e21), "1e+21");
  EXPECT_EQ(json::formatNumberEs(1e20), "100000000000000000000");
  EXPECT_EQ(json::formatNumberEs(0.000001), "0.000001");
  EXPECT_EQ(json::formatNumberEs(0.0000001), "1e-7");
  EXPECT_EQ(json::formatNumberEs(-1.5), "-1.5");
  EXPECT_EQ(json::formatNumberEs(123456789012345680000.0), "123456789012345680000");
}

TEST(CanonicalJson, SortsKeysAndKeepsArrays) {
  EXPECT_EQ(canon(R"({"b":1,"a":{"d":[3,1,2],"c":null},"é":true})"), R"({"a":{"c":null,"d":[3,1,2]},"b":1,"é":true})");
}

TEST(CanonicalJson, SortsByUtf16CodeUnits) {
  // U+1F600 (surrogates D83D..) sorts before U+FB01 in UTF-16 order, after it in byte order.
  EXPECT_EQ(canon("{\"\xef\xac\x81\":1,\"\xf0\x9f\x98\x80\":2}"), "{\"\xf0\x9f\x98\x80\":2,\"\xef\xac\x81\":1}");
}

TEST(CanonicalJson, EscapesOnlyWhatJcsRequires) {
  EXPECT_EQ(canon(R"(["a\"b\\c\n\u0001\u001f/\u007f"])"), "[\"a\\\"b\\\\c\\n\\u0001\\u001f/\x7f\"]");
}

TEST(CanonicalJson, LargeIntegersFollowDoubleForm) {
  EXPECT_EQ(canon("[9007199254740991, 18446744073709551615]"), "[9007199254740991,18446744073709552000]");
}

}  // namespace fraudgov
