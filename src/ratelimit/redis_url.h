#pragma once
// REDIS_URL: redis://host[:port][/db]. The password is a secret (REDIS_PASSWORD, read through
// the secret store), so a URL carrying credentials is refused rather than silently used.

#include <string>
#include <string_view>

#include "common/error.h"

namespace fraudgov::ratelimit {

struct RedisEndpoint {
  std::string host;
  int port = 6379;
  int database = 0;

  std::string describe() const;  // host:port/db, for logs
};

Result<RedisEndpoint> parseRedisUrl(std::string_view url);

}  // namespace fraudgov::ratelimit
