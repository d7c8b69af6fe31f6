#pragma once
// A bounded set of keys seen recently, each remembered for a fixed time. The rate limiter uses
// it for digests of credentials that verified successfully, so a client whose token already
// worked is not locked out when others at its address exhaust the failed-authentication bucket.

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/clock.h"
#include "ratelimit/token_bucket.h"

namespace fraudgov::ratelimit {

class RecentKeys {
 public:
  RecentKeys(std::size_t capacity, std::chrono::seconds ttl, const Clock& clock = systemClock());

  // Remembers the key for `ttl` from its first sighting (a repeat within the ttl changes nothing).
  void remember(const std::string& key);
  bool contains(const std::string& key) const;
  std::size_t size() const;

 private:
  SteadyTime now() const { return clock_.monotonic(); }

  const std::size_t capacity_;
  const std::chrono::seconds ttl_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, SteadyTime> expiry_;
  std::deque<std::pair<std::string, SteadyTime>> order_;  // insertion order, for eviction
};

}  // namespace fraudgov::ratelimit
