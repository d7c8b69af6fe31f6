// Request targets (http/target.h): the router and handlers only ever see decoded segments and
// query parameters, so decoding mistakes here become routing or authorization mistakes.
#include "http/target.h"

#include <gtest/gtest.h>

namespace fraudgov::http {

namespace {

Request parsed(std::string_view target) {
  Request r;
  EXPECT_TRUE(parseTarget(target, r)) << target;
  return r;
}

}  // namespace

TEST(Target, SplitsThePathIntoDecodedSegments) {
  const Request r = parsed("/api/v1/rule-fields/amount%20usd/metadata");
  EXPECT_EQ(r.path, "/api/v1/rule-fields/amount usd/metadata");
  EXPECT_EQ(r.segments, (std::vector<std::string>{"api", "v1", "rule-fields", "amount usd", "metadata"}));
}

TEST(Target, AnEncodedSlashStaysInsideItsSegment) {
  const Request r = parsed("/api/v1/rule-fields/a%2Fb");
  EXPECT_EQ(r.segments, (std::vector<std::string>{"api", "v1", "rule-fields", "a/b"}))
      << "%2F must not create a new path segment (route confusion)";
}

TEST(Target, RootAndTrailingSlash) {
  EXPECT_EQ(parsed("/").segments, (std::vector<std::string>{""}));
  EXPECT_EQ(parsed("/a/b/").segments, (std::vector<std::string>{"a", "b", ""}));
  EXPECT_EQ(parsed("/a//b").segments, (std::vector<std::string>{"a", "", "b"}));
}

TEST(Target, ParsesQueryParametersInOrder) {
  const Request r = parsed("/x?limit=10&cursor=a%2Bb%3D&flag&empty=&limit=20");
  EXPECT_EQ(r.path, "/x");
  EXPECT_EQ(r.query, (Params{{"limit", "10"}, {"cursor", "a+b="}, {"flag", ""}, {"empty", ""}, {"limit", "20"}}));
  EXPECT_EQ(r.queryCount("limit"), 2u);
  EXPECT_EQ(r.queryParam("cursor"), "a+b=");
  EXPECT_FALSE(r.queryParam("missing"));
}

TEST(Target, DecodesUtf8AndKeepsPlusLiteralInPaths) {
  const Request r = parsed("/a/caf%C3%A9/x+y");
  EXPECT_EQ(r.segments, (std::vector<std::string>{"a", "caf\xC3\xA9", "x+y"}));
}

TEST(Target, ADoubleSlashIsAPathNotAnAuthority) {
  const Request r = parsed("//example.com/a");
  EXPECT_EQ(r.segments, (std::vector<std::string>{"", "example.com", "a"}))
      << "origin-form has no authority; an empty first segment never matches a route";
}

TEST(Target, ReparsingReplacesEarlierResults) {
  Request r;
  ASSERT_TRUE(parseTarget("/a/b?x=1", r));
  ASSERT_TRUE(parseTarget("/c", r));
  EXPECT_EQ(r.segments, (std::vector<std::string>{"c"}));
  EXPECT_TRUE(r.query.empty());
}

TEST(Target, RefusesInvalidTargets) {
  for (const char* bad : {"", "a/b", "http://example.com/a", "/a%", "/a%2", "/a%zz", "/a b", "/a?x=%G1", "/a#frag", "*",
                          "/a\r\nX: y", "/a\x01"}) {
    Request r;
    EXPECT_FALSE(parseTarget(bad, r)) << "'" << bad << "'";
  }
}

}  // namespace fraudgov::http
