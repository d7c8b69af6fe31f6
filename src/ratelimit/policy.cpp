#include "ratelimit/policy.h"

#include <algorithm>
#include <cmath>

namespace fraudgov::ratelimit {

namespace {
// Seconds to accumulate `missing` units, rounded up (a client that waits this long succeeds).
std::int64_t secondsFor(double missing, double per_second) {
  if (missing <= 0 || per_second <= 0) return 0;
  // The epsilon absorbs floating-point noise so an exact 12 s does not round up to 13 s.
  return static_cast<std::int64_t>(std::ceil(missing / per_second - 1e-9));
}
}  // namespace

Decision decisionFor(const Policy& policy, bool allowed, double units) {
  const double rate = policy.unitsPerSecond();
  const double capacity = static_cast<double>(policy.quota);
  units = std::clamp(units, 0.0, capacity);
  Decision d;
  d.allowed = allowed;
  d.policy = policy.name;
  d.limit = policy.quota;
  d.window_seconds = policy.window.count();
  d.remaining = static_cast<std::int64_t>(std::floor(units + 1e-9));
  d.reset_seconds = secondsFor(capacity - units, rate);
  if (!allowed) d.retry_after_seconds = std::max<std::int64_t>(1, secondsFor(1.0 - units, rate));
  return d;
}

}  // namespace fraudgov::ratelimit
