#pragma once
// Consecutive-failure circuit breaker guarding calls to the identity provider: after N failures
// in a row it opens (no calls), after the open period it lets exactly one probe through
// (half-open), and the probe's outcome closes or re-opens it.

#include <chrono>
#include <mutex>
#include <string_view>

#include "common/clock.h"

namespace fraudgov::auth {

class CircuitBreaker {
 public:
  enum class State { kClosed, kOpen, kHalfOpen };

  CircuitBreaker(unsigned failure_threshold, std::chrono::steady_clock::duration open_for,
                 const Clock& clock = systemClock());

  // Whether a call may go out now. In half-open only the first caller gets true (the probe)
  // until recordSuccess/recordFailure reports its outcome.
  bool allowRequest();
  void recordSuccess();
  void recordFailure();

  State state() const;
  // How long until an open breaker admits a probe (zero unless open).
  std::chrono::steady_clock::duration remainingOpen() const;
  unsigned consecutiveFailures() const;

  static std::string_view stateName(State s);  // "closed", "open", "half_open"

 private:
  std::chrono::steady_clock::time_point now() const { return clock_.monotonic(); }

  const unsigned threshold_;
  const std::chrono::steady_clock::duration open_for_;
  const Clock& clock_;
  mutable std::mutex mu_;
  State state_ = State::kClosed;
  unsigned failures_ = 0;
  bool probe_in_flight_ = false;
  std::chrono::steady_clock::time_point opened_at_{};
};

}  // namespace fraudgov::auth
