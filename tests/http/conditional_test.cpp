// If-None-Match (RFC 9110 §13.1.2): weak comparison, lists, "*", several header lines, and
// garbage that must never produce a 304.
#include "http/conditional.h"

#include <gtest/gtest.h>

namespace fraudgov::http {
namespace {

constexpr std::string_view kTag = "\"abc123\"";

TEST(IfNoneMatch, MatchesTheSameTagStrongOrWeak) {
  EXPECT_TRUE(ifNoneMatchMatches("\"abc123\"", kTag));
  EXPECT_TRUE(ifNoneMatchMatches("W/\"abc123\"", kTag));
  EXPECT_TRUE(ifNoneMatchMatches("  \"abc123\"  ", kTag));
}

TEST(IfNoneMatch, MatchesAnyTagOfAList) {
  EXPECT_TRUE(ifNoneMatchMatches("\"x\", \"abc123\"", kTag));
  EXPECT_TRUE(ifNoneMatchMatches("\"x\",W/\"abc123\",\"y\"", kTag));
  EXPECT_TRUE(ifNoneMatchMatches(",, \"abc123\" ,", kTag));
  EXPECT_FALSE(ifNoneMatchMatches("\"x\", \"y\"", kTag));
}

TEST(IfNoneMatch, StarMatchesAnyCurrentRepresentation) {
  EXPECT_TRUE(ifNoneMatchMatches("*", kTag));
  EXPECT_TRUE(ifNoneMatchMatches(" * ", kTag));
}

TEST(IfNoneMatch, OtherTagsAndGarbageNeverMatch) {
  for (std::string_view value :
       {"", " ", "abc123", "\"abc1234\"", "\"ABC123\"", "w/\"abc123\"", "\"abc123", "W/abc123", "**", "*x",
        "\"abc\"123\"", "\"x\" junk, \"abc123\""}) {
    EXPECT_FALSE(ifNoneMatchMatches(value, kTag)) << value;
  }
}

TEST(IfNoneMatch, ReadsEveryHeaderLineOfTheRequest) {
  Request request;
  EXPECT_FALSE(ifNoneMatchMatches(request, kTag));
  request.headers.add("If-None-Match", "\"other\"");
  EXPECT_FALSE(ifNoneMatchMatches(request, kTag));
  request.headers.add("if-none-match", "\"abc123\"");
  EXPECT_TRUE(ifNoneMatchMatches(request, kTag));
}

TEST(NotModified, CarriesTheTagAndNoContent) {
  const Response r = notModified(kTag);
  EXPECT_EQ(r.status, 304u);
  EXPECT_EQ(r.headers.get("ETag"), kTag);
  EXPECT_TRUE(r.body.empty());
}

}  // namespace
}  // namespace fraudgov::http
