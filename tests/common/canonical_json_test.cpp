#include "common/canonical_json.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

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

// The first differing byte decides, after a shared prefix too: supplementary characters (F0-F4)
// sort before U+E000-U+FFFF (EE, EF) but after U+D7FF (ED). Order checked against ECMAScript sort().
TEST(CanonicalJson, SortsByUtf16CodeUnitsAfterACommonPrefix) {
  const std::string input =
      "{\"a\xf0\x9f\x98\x80\":0,\"a\xee\x80\x80\":1,\"a\xed\x9f\xbf\":2,\"a\xf0\x90\x80\x80\":3,"
      "\"a\xef\xbf\xbf\":4,\"a\":5,\"ab\":6,\"a\xc3\xa9\":7,\"a\xf4\x8f\xbf\xbf\":8,\"a\xee\xbf\xbf\":9}";
  EXPECT_EQ(canon(input),
            "{\"a\":5,\"ab\":6,\"a\xc3\xa9\":7,\"a\xed\x9f\xbf\":2,\"a\xf0\x90\x80\x80\":3,\"a\xf0\x9f\x98\x80\":0,"
            "\"a\xf4\x8f\xbf\xbf\":8,\"a\xee\x80\x80\":1,\"a\xee\xbf\xbf\":9,\"a\xef\xbf\xbf\":4}");
}

// Objects with more members than fit the stack buffer used for sorting.
TEST(CanonicalJson, SortsLargeObjects) {
  std::string input = "{";
  std::string expected = "{";
  for (int i = 39; i >= 0; --i)
    input += (i < 39 ? ",\"k" : "\"k") + std::to_string(100 + i) + "\":" + std::to_string(i);
  for (int i = 0; i < 40; ++i)
    expected += (i > 0 ? ",\"k" : "\"k") + std::to_string(100 + i) + "\":" + std::to_string(i);
  EXPECT_EQ(canon(input + "}"), expected + "}");
}

TEST(CanonicalJson, EscapesOnlyWhatJcsRequires) {
  EXPECT_EQ(canon(R"(["a\"b\\c\n\u0001\u001f/\u007f"])"), "[\"a\\\"b\\\\c\\n\\u0001\\u001f/\x7f\"]");
}

TEST(CanonicalJson, LargeIntegersFollowDoubleForm) {
  EXPECT_EQ(canon("[9007199254740991, 18446744073709551615]"), "[9007199254740991,18446744073709552000]");
}

// RFC 8785 §3.2.2.2: only '"', '\\' and controls are escaped, controls without a short form as
// lower-case \u00xx; "\/" loses its escape and non-ASCII stays raw UTF-8.
TEST(CanonicalJson, Rfc8785StringExample) {
  EXPECT_EQ(canon(R"(["\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/"])"),
            "[\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"]");
}

// RFC 8785 §3.2.3: keys ordered by UTF-16 code units, so U+1F600 (D83D DE00) precedes U+FB33.
// U+0080 is a C1 control but JCS leaves it raw.
TEST(CanonicalJson, Rfc8785SortingExample) {
  const std::string input = R"({
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"
  })";
  const std::string expected =
      "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
      "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\","
      "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\",\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}";
  EXPECT_EQ(canon(input), expected);
}

// RFC 8785 §3.2.4: the complete example, literals, numbers and string together.
TEST(CanonicalJson, Rfc8785CompleteExample) {
  const std::string input = R"({
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  })";
  EXPECT_EQ(canon(input),
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
            "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

// RFC 8785 Appendix B: IEEE 754 bit patterns and their ECMAScript serializations.
TEST(CanonicalJson, Rfc8785AppendixBNumbers) {
  const std::vector<std::pair<std::uint64_t, const char*>> vectors = {
      {0x0000000000000000, "0"},
      {0x8000000000000000, "0"},
      {0x0000000000000001, "5e-324"},
      {0x8000000000000001, "-5e-324"},
      {0x7fefffffffffffff, "1.7976931348623157e+308"},
      {0xffefffffffffffff, "-1.7976931348623157e+308"},
      {0x4340000000000000, "9007199254740992"},
      {0xc340000000000000, "-9007199254740992"},
      {0x4430000000000000, "295147905179352830000"},
      {0x44b52d02c7e14af5, "9.999999999999997e+22"},
      {0x44b52d02c7e14af6, "1e+23"},
      {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
      {0x444b1ae4d6e2ef4e, "999999999999999700000"},
      {0x444b1ae4d6e2ef4f, "999999999999999900000"},
      {0x444b1ae4d6e2ef50, "1e+21"},
      {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
      {0x3eb0c6f7a0b5ed8d, "0.000001"},
      {0x41b3de4355555553, "333333333.3333332"},
      {0x41b3de4355555554, "333333333.33333325"},
      {0x41b3de4355555555, "333333333.3333333"},
      {0x41b3de4355555556, "333333333.3333334"},
      {0x41b3de4355555557, "333333333.33333343"},
      {0xbecbf647612f3696, "-0.0000033333333333333333"},
      {0x43143ff3c1cb0959, "1424953923781206.2"},
  };
  for (const auto& [bits, expected] : vectors) {
    EXPECT_EQ(json::formatNumberEs(std::bit_cast<double>(bits)), expected) << std::hex << bits;
  }
}

}  // namespace fraudgov
