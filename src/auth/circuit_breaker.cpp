#include "auth/circuit_breaker.h"

#include <algorithm>

#include "common/enum_names.h"
namespace fraudgov::auth {

CircuitBreaker::CircuitBreaker(unsigned failure_threshold, std::chrono::steady_clock::duration open_for,
                               const Clock& clock)
    : threshold_(std::max(1u, failure_threshold)), open_for_(open_for), clock_(clock) {}

bool CircuitBreaker::allowRequest() {
  std::lock_guard lock(mu_);
  switch (state_) {
    case State::kClosed:
      return true;
    case State::kOpen:
      if (now() - opened_at_ < open_for_) return false;
      state_ = State::kHalfOpen;
      probe_in_flight_ = true;
      return true;
    case State::kHalfOpen:
      if (probe_in_flight_) return false;
      probe_in_flight_ = true;
      return true;
  }
  return false;
}

void CircuitBreaker::recordSuccess() {
  std::lock_guard lock(mu_);
  state_ = State::kClosed;
  failures_ = 0;
  probe_in_flight_ = false;
}

void CircuitBreaker::recordFailure() {
  std::lock_guard lock(mu_);
  ++failures_;
  probe_in_flight_ = false;
  // A failed probe re-opens at once; in closed state it takes `threshold_` failures in a row.
  if (state_ == State::kHalfOpen || failures_ >= threshold_) {
    state_ = State::kOpen;
    opened_at_ = now();
  }
}

CircuitBreaker::State CircuitBreaker::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

std::chrono::steady_clock::duration CircuitBreaker::remainingOpen() const {
  std::lock_guard lock(mu_);
  if (state_ != State::kOpen) return std::chrono::steady_clock::duration::zero();
  return std::max(std::chrono::steady_clock::duration::zero(), opened_at_ + open_for_ - now());
}

unsigned CircuitBreaker::consecutiveFailures() const {
  std::lock_guard lock(mu_);
  return failures_;
}

constexpr auto kStateNames = enumNames<CircuitBreaker::State>({
    {CircuitBreaker::State::kClosed, "closed"},
    {CircuitBreaker::State::kOpen, "open"},
    {CircuitBreaker::State::kHalfOpen, "half_open"},
});

std::string_view CircuitBreaker::stateName(State s) { return nameOf(kStateNames, s); }

}  // namespace fraudgov::auth
