#pragma once
// The rate limiter the HTTP layer talks to. Keys are opaque strings chosen by the caller
// (a hashed principal, a client address); each policy has its own bucket per key.

#include <cstdint>
#include <string_view>

#include "ratelimit/policy.h"

namespace fraudgov::ratelimit {

// Counters for metrics and tests.
struct LimiterStats {
  std::size_t local_buckets = 0;      // buckets held in this process
  std::uint64_t local_evictions = 0;  // live buckets dropped to stay under the memory cap
  bool redis_configured = false;
  bool redis_degraded = false;             // Redis unusable right now: local buckets decide
  std::uint64_t redis_errors = 0;          // failed Redis calls (connect, timeout, error reply)
  std::uint64_t fallback_transitions = 0;  // healthy -> degraded changes
  std::uint64_t fallback_decisions = 0;    // decisions made locally because Redis was unusable
};

class Limiter {
 public:
  virtual ~Limiter() = default;
  // Charges one request to the key's bucket of this policy.
  virtual Decision consume(const Policy& policy, std::string_view key) = 0;
  // The bucket's state without charging it (allowed = at least one unit left). Creates no state.
  virtual Decision peek(const Policy& policy, std::string_view key) = 0;
  virtual LimiterStats stats() const = 0;
  virtual std::string_view backend() const = 0;  // "local" or "redis"
};

}  // namespace fraudgov::ratelimit
