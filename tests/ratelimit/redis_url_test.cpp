#include "ratelimit/redis_url.h"

#include <gtest/gtest.h>

namespace fraudgov::ratelimit {
namespace {

TEST(RedisUrl, ParsesHostPortAndDatabase) {
  auto e = parseRedisUrl("redis://127.0.0.1:6380/2");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->host, "127.0.0.1");
  EXPECT_EQ(e->port, 6380);
  EXPECT_EQ(e->database, 2);
  e = parseRedisUrl("redis://cache.internal");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->port, 6379);
  EXPECT_EQ(e->database, 0);
  e = parseRedisUrl("redis://[::1]:7000/");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->host, "::1");
  EXPECT_EQ(e->port, 7000);
  EXPECT_EQ(e->describe(), "::1:7000/0");
}

TEST(RedisUrl, RefusesWhatItCannotHonour) {
  for (const char* bad :
       {"", "127.0.0.1:6379", "http://127.0.0.1", "redis://", "redis://:6379", "redis://h:0", "redis://h:65536",
        "redis://h:abc", "redis://h/16", "redis://h/x", "redis://h?db=1", "redis://[::1", "rediss://h:6379"}) {
    EXPECT_FALSE(parseRedisUrl(bad)) << bad;
  }
}

TEST(RedisUrl, CredentialsInTheUrlAreRefusedWithoutEchoingThem) {
  auto e = parseRedisUrl("redis://:hunter2@127.0.0.1:6379/0");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("REDIS_PASSWORD"), std::string::npos);
  EXPECT_EQ(e.error().message.find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace fraudgov::ratelimit
