#include <gtest/gtest.h>

#include <stdexcept>

#include "http/message.h"
#include "http/response_head.h"

namespace fraudgov::http {
namespace {

std::shared_ptr<const SharedFields> block() {
  return SharedFields::make({{"X-Frame-Options", "DENY"}, {"Cache-Control", "no-store"}});
}

TEST(Headers, LookupsSeeOwnAndSharedFields) {
  Headers h;
  h.set("ETag", "\"e\"");
  h.share(block());
  EXPECT_EQ(h.get("etag"), "\"e\"");
  EXPECT_EQ(h.get("x-frame-options"), "DENY");
  EXPECT_EQ(h.all().size(), 3u);
  EXPECT_EQ(h.items().size(), 1u);
}

TEST(Headers, SharingReplacesOwnFieldsOfTheSameNameAsSetWould) {
  Headers h;
  h.set("cache-control", "max-age=60");
  h.share(block());
  EXPECT_EQ(h.get("Cache-Control"), "no-store");
  EXPECT_EQ(h.all().size(), 2u);
}

// Changing a shared field never changes the block other responses share.
TEST(Headers, ChangingASharedFieldCopiesTheBlockFirst) {
  const auto shared = block();
  Headers a;
  a.share(shared);
  a.set("Cache-Control", "private");
  EXPECT_EQ(a.shared(), nullptr);
  EXPECT_EQ(a.get("Cache-Control"), "private");
  EXPECT_EQ(a.get("X-Frame-Options"), "DENY");
  EXPECT_EQ(a.all().size(), 2u);
  Headers b;
  b.share(shared);
  EXPECT_EQ(b.get("Cache-Control"), "no-store");
  b.remove("x-frame-options");
  EXPECT_FALSE(b.has("X-Frame-Options"));
  EXPECT_EQ(b.get("Cache-Control"), "no-store");
}

TEST(Headers, UnrelatedChangesKeepTheBlockShared) {
  Headers h;
  h.share(block());
  h.set("X-Request-ID", "r");
  h.remove("Server");
  EXPECT_NE(h.shared(), nullptr);
}

TEST(Headers, TheSharedBlockIsWrittenAfterTheOwnFields) {
  Response r = Response::json(200, "{}");
  r.headers.share(block());
  r.headers.set("X-Request-ID", "r");
  EXPECT_EQ(*renderResponseHead(r, {}),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-ID: r\r\nX-Frame-Options: DENY\r\n"
            "Cache-Control: no-store\r\nContent-Length: 2\r\n\r\n");
}

TEST(Headers, ABlockThatCouldSplitAHeadIsRefusedWhenMade) {
  EXPECT_THROW(SharedFields::make({{"X-Bad", "a\r\nSet-Cookie: x=1"}}), std::invalid_argument);
  EXPECT_THROW(SharedFields::make({{"Bad Name", "v"}}), std::invalid_argument);
}

}  // namespace
}  // namespace fraudgov::http
