#pragma once
// The moment by which a call outside the process must have answered (SPEC §3 invariant 10: every
// call to a dependency has a deadline; a stuck dependency yields a bounded 503, never a hang).
// A Deadline is fixed once, where the work starts, and passed down: every wait on the way
// (a free pooled connection, connecting, each statement, the commit) uses what is left of it,
// so the whole call is bounded, not each step. Monotonic time: a wall-clock jump changes nothing.

#include <algorithm>
#include <chrono>
#include <climits>

namespace fraudgov {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  static Deadline after(std::chrono::milliseconds budget) { return Deadline(Clock::now() + budget); }
  static Deadline at(Clock::time_point when) { return Deadline(when); }

  Clock::time_point when() const { return when_; }
  bool expired() const { return Clock::now() >= when_; }
  // What is left, never negative, rounded up to whole milliseconds (so a wait of remaining()
  // never ends before the deadline).
  std::chrono::milliseconds remaining() const {
    const auto left = when_ - Clock::now();
    if (left <= Clock::duration::zero()) return std::chrono::milliseconds(0);
    return std::chrono::ceil<std::chrono::milliseconds>(left);
  }
  // remaining() as poll(2)/sqlite3_busy_timeout want it.
  int remainingMs() const {
    return static_cast<int>(std::min<std::chrono::milliseconds::rep>(remaining().count(), INT_MAX));
  }
  // The earlier of the two.
  Deadline min(const Deadline& other) const { return when_ <= other.when_ ? *this : other; }

 private:
  explicit Deadline(Clock::time_point when) : when_(when) {}
  Clock::time_point when_;
};

}  // namespace fraudgov
