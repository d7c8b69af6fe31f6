#include "ratelimit/redis_url.h"

#include <charconv>

namespace fraudgov::ratelimit {

namespace {

bool parseNumber(std::string_view text, int min, int max, int& out) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value < min || value > max) {
    return false;
  }
  out = value;
  return true;
}

Error badUrl(std::string why) { return Error::validation("REDIS_URL " + std::move(why)); }

}  // namespace

std::string RedisEndpoint::describe() const {
  return host + ":" + std::to_string(port) + "/" + std::to_string(database);
}

Result<RedisEndpoint> parseRedisUrl(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    if (url.substr(0, 9) == "rediss://") return fail(badUrl("uses TLS (rediss://), which this build does not support"));
    return fail(badUrl("must look like redis://host[:port][/db]"));
  }
  std::string_view rest = url.substr(kScheme.size());
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  if (authority.find('@') != std::string_view::npos) {
    return fail(badUrl("must not contain credentials; give the password as the secret REDIS_PASSWORD"));
  }
  if (authority.find_first_of("?#") != std::string_view::npos || path.find_first_of("?#") != std::string_view::npos) {
    return fail(badUrl("must not carry query parameters"));
  }
  RedisEndpoint endpoint;
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return fail(badUrl("has an unterminated IPv6 address"));
    endpoint.host = std::string(authority.substr(1, close - 1));
    authority = authority.substr(close + 1);
    if (!authority.empty() && authority.front() != ':') return fail(badUrl("has junk after the IPv6 address"));
  } else {
    const auto colon = authority.find(':');
    endpoint.host = std::string(authority.substr(0, colon));
    authority = colon == std::string_view::npos ? std::string_view{} : authority.substr(colon);
  }
  if (endpoint.host.empty()) return fail(badUrl("has no host"));
  if (!authority.empty() && !parseNumber(authority.substr(1), 1, 65535, endpoint.port)) {
    return fail(badUrl("has an invalid port"));
  }
  if (!path.empty() && !parseNumber(path, 0, 15, endpoint.database)) {
    return fail(badUrl("has an invalid database number (0-15)"));
  }
  return endpoint;
}

}  // namespace fraudgov::ratelimit
