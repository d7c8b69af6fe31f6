#pragma once
// The token-bucket arithmetic shared by the in-process limiter (and mirrored by the Redis
// script): continuous refill at quota/window, capped at the quota, one unit per request.

#include <chrono>

#include "ratelimit/policy.h"

namespace fraudgov::ratelimit {

using SteadyTime = std::chrono::steady_clock::time_point;

// Units may be a hair below a whole number after refill arithmetic; this tolerance keeps an
// exactly refilled unit usable.
inline constexpr double kUnitTolerance = 1e-9;

class TokenBucket {
 public:
  TokenBucket(const Policy& policy, SteadyTime now) : units_(static_cast<double>(policy.quota)), updated_(now) {}

  // Refills up to `now`, then takes one unit if there is one (consume) or only looks (peek).
  Decision take(const Policy& policy, SteadyTime now);
  Decision peek(const Policy& policy, SteadyTime now) const;
  // Full again at `now`: the bucket is indistinguishable from a fresh one and can be dropped.
  bool isFull(const Policy& policy, SteadyTime now) const;

 private:
  double unitsAt(const Policy& policy, SteadyTime now) const;

  double units_;
  SteadyTime updated_;
};

}  // namespace fraudgov::ratelimit
