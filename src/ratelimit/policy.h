#pragma once
// What a rate-limit decision is about: a named policy (quota per window) and the outcome of
// charging one request against a bucket of that policy.

#include <chrono>
#include <cstdint>
#include <string>

namespace fraudgov::ratelimit {

// A token bucket of `quota` units that refills continuously at quota/window, so a full bucket
// allows a burst of `quota` requests and then quota per window on average.
struct Policy {
  std::string name;  // appears in the RateLimit-Policy header, e.g. "write"
  std::int64_t quota = 0;
  std::chrono::seconds window{60};

  double unitsPerSecond() const { return static_cast<double>(quota) / static_cast<double>(window.count()); }
};

struct Decision {
  bool allowed = true;
  std::string policy;
  std::int64_t limit = 0;  // the policy's quota (q)
  std::int64_t window_seconds = 0;
  std::int64_t remaining = 0;  // whole units left after this request (r)
  // Seconds until the bucket is full again (t): 0 when it is full.
  std::int64_t reset_seconds = 0;
  // Seconds until the next unit is available (Retry-After): >= 1 when denied, 0 when allowed.
  std::int64_t retry_after_seconds = 0;
};

// The decision for a bucket that holds `units` (possibly fractional) after the request was or
// was not charged. Both limiters report through this so their numbers agree exactly.
Decision decisionFor(const Policy& policy, bool allowed, double units);

}  // namespace fraudgov::ratelimit
