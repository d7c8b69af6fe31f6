#pragma once
// Where time comes from. Everything that decides by time (key refresh and cooldowns, token
// buckets, token expiry, retention) reads it from an injected Clock, so tests move a
// ManualClock (common/manual_clock.h) instead of sleeping and production reads the system clock.

#include <chrono>

#include "common/time.h"

namespace fraudgov {

class Clock {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;

  virtual ~Clock() = default;
  // Wall-clock time, UTC (token exp/nbf, retention, timestamps shown to people).
  virtual Timestamp now() const = 0;
  // Monotonic time for intervals (TTLs, backoff, cooldowns): never jumps when the wall clock is set.
  virtual SteadyTime monotonic() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override { return nowUtc(); }
  SteadyTime monotonic() const override { return std::chrono::steady_clock::now(); }
};

// The process's system clock. Stateless, lives for the whole program: the default wherever a
// component takes a `const Clock&`.
const Clock& systemClock();

}  // namespace fraudgov
