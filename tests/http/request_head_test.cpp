#include "http/request_head.h"

#include <gtest/gtest.h>

#include <initializer_list>

namespace fraudgov::http {
namespace {

using Fields = std::initializer_list<std::pair<const char*, const char*>>;

std::optional<Refusal> check(Fields fields, unsigned version = 11) {
  Headers headers;
  for (const auto& [name, value] : fields) headers.add(name, value);
  return checkRequestHead({version, headers});
}

std::optional<RefusalKind> kind(Fields fields, unsigned version = 11) {
  const auto refusal = check(fields, version);
  return refusal ? std::optional(refusal->kind) : std::nullopt;
}

TEST(RequestHead, PlainRequestsPass) {
  EXPECT_FALSE(check({{"Host", "x"}}));
  EXPECT_FALSE(check({{"Host", "api.example.com:443"}, {"Content-Length", "12"}}));
  EXPECT_FALSE(check({{"Host", "[::1]:8080"}, {"Transfer-Encoding", "chunked"}}));
  EXPECT_FALSE(check({{"Host", "x"}, {"Transfer-Encoding", "  CHUNKED "}}));
  EXPECT_FALSE(check({{"Host", ""}}));  // allowed when the target has no authority
  EXPECT_FALSE(check({}, 10));
}

TEST(RequestHead, UnknownTransferCodingsAreNotImplemented) {
  for (const char* te : {"xchunked", "gzip", "identity", "gzip, chunked", "deflate,chunked", "chunked2"}) {
    EXPECT_EQ(kind({{"Host", "x"}, {"Transfer-Encoding", te}}), RefusalKind::kNotImplemented) << te;
  }
}

TEST(RequestHead, AmbiguousFramingIsMalformed) {
  for (const char* te :
       {"chunked, identity", "chunked, gzip", "chunked, chunked", "chunked;q=1", ",", "", "chu nked", "\"chunked\""}) {
    EXPECT_EQ(kind({{"Host", "x"}, {"Transfer-Encoding", te}}), RefusalKind::kMalformed) << te;
  }
  EXPECT_EQ(kind({{"Host", "x"}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "identity"}}),
            RefusalKind::kMalformed);
  EXPECT_EQ(kind({{"Host", "x"}, {"Transfer-Encoding", "chunked"}, {"Content-Length", "3"}}), RefusalKind::kMalformed);
  EXPECT_EQ(kind({{"Transfer-Encoding", "chunked"}}, 10), RefusalKind::kMalformed);
  EXPECT_EQ(kind({{"Host", "x"}, {"Content-Length", "3"}, {"Content-Length", "3"}}), RefusalKind::kMalformed);
  EXPECT_EQ(kind({{"Host", "x"}, {"Content-Length", "3, 3"}}), RefusalKind::kMalformed);
  EXPECT_EQ(kind({{"Host", "x"}, {"Content-Length", "-1"}}), RefusalKind::kMalformed);
  EXPECT_EQ(kind({{"Host", "x"}, {"Content-Length", "+3"}}), RefusalKind::kMalformed);
}

TEST(RequestHead, HostIsRequiredOnceAndWellFormed) {
  EXPECT_EQ(kind({}), RefusalKind::kMalformed);
  EXPECT_EQ(kind({{"Host", "x"}, {"HOST", "x"}}), RefusalKind::kMalformed);
  EXPECT_EQ(kind({{"Host", "x"}, {"Host", "y"}}, 10), RefusalKind::kMalformed);
  for (const char* bad : {"a b", "a/b", "user@host", "a\tb", "h\x7f"}) {
    EXPECT_EQ(kind({{"Host", bad}}), RefusalKind::kMalformed) << bad;
  }
}

TEST(RequestHead, OneAuthorizationOnly) {
  EXPECT_FALSE(check({{"Host", "x"}, {"Authorization", "Bearer a"}}));
  EXPECT_EQ(kind({{"Host", "x"}, {"Authorization", "Bearer a"}, {"authorization", "Bearer b"}}),
            RefusalKind::kMalformed);
}

TEST(RequestHead, HeaderLimitIsInclusive) {
  EXPECT_TRUE(headerWithinLimit(16384, 16384));
  EXPECT_FALSE(headerWithinLimit(16385, 16384));
}

}  // namespace
}  // namespace fraudgov::http
