#include "ratelimit/settings.h"

#include "ratelimit/local_limiter.h"
#include "ratelimit/redis_limiter.h"

namespace fraudgov::ratelimit {

std::shared_ptr<Limiter> makeLimiter(const Settings& settings,
                                     std::function<std::optional<std::string>()> redis_password,
                                     std::size_t concurrency, const observability::Telemetry& telemetry) {
  if (!settings.enabled) return nullptr;
  LocalLimiter::Options local;
  local.max_buckets = settings.max_buckets;
  local.clock = &telemetry.clock();
  if (!settings.redis) return std::make_shared<LocalLimiter>(local);
  RedisLimiter::Options options;
  options.endpoint = *settings.redis;
  options.password = std::move(redis_password);
  options.timeout = settings.redis_timeout;
  options.pool_size = std::max<std::size_t>(1, concurrency);
  options.local = local;
  options.log = &telemetry.log();
  return std::make_shared<RedisLimiter>(std::move(options));
}

}  // namespace fraudgov::ratelimit
