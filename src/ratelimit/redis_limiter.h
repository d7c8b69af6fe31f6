#pragma once
// Token buckets shared by every instance through Redis (one atomic Lua script per decision,
// EVALSHA with an EVAL fallback when the server has lost the script). Rate limiting must never
// become an outage: when Redis is unreachable, slow or erroring, decisions fall back to
// in-process buckets, the transition is logged once, and Redis is retried after a backoff by
// a single probing request while everyone else stays local.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "observability/logger.h"
#include "ratelimit/local_limiter.h"
#include "ratelimit/redis_connection.h"

namespace fraudgov::ratelimit {

class RedisLimiter final : public Limiter {
 public:
  struct Options {
    RedisEndpoint endpoint;
    // Read at every (re)connect, so a rotated secret applies without a restart.
    std::function<std::optional<std::string>()> password;
    std::chrono::milliseconds timeout{250};  // connect and command
    std::size_t pool_size = 8;               // at most this many connections
    std::chrono::milliseconds min_backoff{500};
    std::chrono::milliseconds max_backoff{10000};
    std::string key_prefix = "fraudgov:rl:";
    LocalLimiter::Options local;                 // the fallback buckets; its clock also times the backoff
    const observability::Logger* log = nullptr;  // fallback and recovery transitions; none when null
  };

  explicit RedisLimiter(Options options);
  ~RedisLimiter() override;

  Decision consume(const Policy& policy, std::string_view key) override;
  Decision peek(const Policy& policy, std::string_view key) override;
  LimiterStats stats() const override;
  std::string_view backend() const override { return "redis"; }

  // Decisions made by the local buckets because Redis was unusable (for metrics).
  std::uint64_t fallbackCount() const { return fallback_decisions_.load(std::memory_order_relaxed); }
  bool degraded() const { return degraded_.load(std::memory_order_acquire); }

 private:
  Decision decide(const Policy& policy, std::string_view key, int cost);
  Result<Decision> runScript(const Policy& policy, std::string_view key, int cost);
  Result<RedisReply> evalScript(RedisConnection& conn, const std::vector<std::string_view>& args);
  // A pooled connection; `reused` when it sat idle (its server may have gone away meanwhile).
  struct Pooled {
    std::unique_ptr<RedisConnection> conn;
    bool reused = false;
  };
  Result<Pooled> acquire(bool allow_idle);
  Result<std::unique_ptr<RedisConnection>> connect();
  void release(std::unique_ptr<RedisConnection> conn);
  void dropIdleConnections();
  enum class Attempt { kSkip, kNormal, kProbe };
  Attempt mayTryRedis();
  void recordSuccess();
  void recordFailure(const Error& error, bool probe);
  const Clock& clock() const { return options_.local.clock ? *options_.local.clock : systemClock(); }

  Options options_;
  std::string script_sha_;
  LocalLimiter local_;

  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;
  std::size_t open_connections_ = 0;

  std::mutex health_mu_;
  std::atomic<bool> degraded_{false};
  std::atomic<bool> probing_{false};
  std::chrono::steady_clock::time_point retry_at_{};
  std::chrono::milliseconds backoff_{0};

  std::atomic<std::uint64_t> redis_errors_{0};
  std::atomic<std::uint64_t> fallback_transitions_{0};
  std::atomic<std::uint64_t> fallback_decisions_{0};
};

}  // namespace fraudgov::ratelimit
