#include "ratelimit/token_bucket.h"

#include <algorithm>

namespace fraudgov::ratelimit {

double TokenBucket::unitsAt(const Policy& policy, SteadyTime now) const {
  const double capacity = static_cast<double>(policy.quota);
  // A clock that does not advance (or a stale reading from another thread) refills nothing.
  if (now <= updated_) return std::min(units_, capacity);
  const double elapsed = std::chrono::duration<double>(now - updated_).count();
  return std::min(capacity, units_ + elapsed * policy.unitsPerSecond());
}

Decision TokenBucket::take(const Policy& policy, SteadyTime now) {
  units_ = unitsAt(policy, now);
  updated_ = std::max(updated_, now);
  const bool allowed = units_ + kUnitTolerance >= 1.0;
  if (allowed) units_ = std::max(0.0, units_ - 1.0);
  return decisionFor(policy, allowed, units_);
}

Decision TokenBucket::peek(const Policy& policy, SteadyTime now) const {
  const double units = unitsAt(policy, now);
  return decisionFor(policy, units + kUnitTolerance >= 1.0, units);
}

bool TokenBucket::isFull(const Policy& policy, SteadyTime now) const {
  return unitsAt(policy, now) + kUnitTolerance >= static_cast<double>(policy.quota);
}

}  // namespace fraudgov::ratelimit
