#pragma once
// Rate-limit configuration (SPEC §6.4), filled from RATE_LIMIT_* and REDIS_URL by app/config.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "observability/telemetry.h"
#include "ratelimit/limiter.h"
#include "ratelimit/redis_url.h"

namespace fraudgov::ratelimit {

struct Settings {
  bool enabled = true;
  // Requests per minute per bucket; each is also the burst size.
  std::int64_t read_per_minute = 600;          // per principal, GET/HEAD
  std::int64_t write_per_minute = 120;         // per principal, every other method
  std::int64_t anonymous_per_minute = 120;     // per client address, no Authorization header
  std::int64_t auth_failures_per_minute = 10;  // per client address, failed authentications
  std::int64_t operational_per_minute = 600;   // per client address (or admin credential): health, readiness, metrics
  std::size_t max_buckets = 65536;             // in-process buckets (also the Redis fallback)
  std::optional<RedisEndpoint> redis;          // REDIS_URL: shared buckets across instances
  std::chrono::milliseconds redis_timeout{250};
};

// The limiter the settings describe, or nullptr when rate limiting is disabled. `redis_password`
// is asked at every Redis (re)connect; `concurrency` sizes the Redis connection pool. The
// buckets and the Redis backoff run on `telemetry`'s clock and Redis transitions go to its
// logger; it must outlive the limiter.
std::shared_ptr<Limiter> makeLimiter(const Settings& settings,
                                     std::function<std::optional<std::string>()> redis_password,
                                     std::size_t concurrency, const observability::Telemetry& telemetry);

}  // namespace fraudgov::ratelimit
