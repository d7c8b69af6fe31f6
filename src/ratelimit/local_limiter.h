#pragma once
// In-process token buckets: sharded by key hash so worker threads rarely contend, and bounded
// in memory. Buckets that have refilled completely carry no information and are reclaimed;
// when a shard is still full, its least recently used bucket is evicted, so random keys can
// never grow the process without bound.

#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "ratelimit/limiter.h"
#include "ratelimit/token_bucket.h"

namespace fraudgov::ratelimit {

class LocalLimiter final : public Limiter {
 public:
  struct Options {
    std::size_t max_buckets = 65536;  // across all shards (each holds max_buckets / shards)
    std::size_t shards = 16;
    const Clock* clock = &systemClock();  // must outlive the limiter
  };

  LocalLimiter() : LocalLimiter(Options{}) {}
  explicit LocalLimiter(Options options);
  ~LocalLimiter() override;

  Decision consume(const Policy& policy, std::string_view key) override;
  Decision peek(const Policy& policy, std::string_view key) override;
  LimiterStats stats() const override;
  std::string_view backend() const override { return "local"; }

  std::size_t size() const;
  std::uint64_t evictions() const { return evictions_.load(std::memory_order_relaxed); }

 private:
  struct Shard;
  Shard& shardFor(const std::string& composite_key);
  SteadyTime now() const { return clock_.monotonic(); }

  const std::size_t per_shard_cap_;
  const Clock& clock_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::atomic<std::uint64_t> evictions_{0};
};

}  // namespace fraudgov::ratelimit
