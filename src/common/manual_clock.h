#pragma once
// A Clock that moves only when told to (tests). Both readings start at the real time of
// construction — so tokens minted with real iat/exp stay valid — and advance() moves them
// together. Thread-safe: servers under test read it from their own threads.

#include <atomic>
#include <chrono>
#include <cstdint>

#include "common/clock.h"

namespace fraudgov {

class ManualClock final : public Clock {
 public:
  ManualClock()
      : wall_micros_(nowUtc().micros),
        steady_micros_(
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
                .count()) {}

  Timestamp now() const override { return {wall_micros_.load()}; }
  SteadyTime monotonic() const override { return SteadyTime(std::chrono::microseconds(steady_micros_.load())); }

  void advance(std::chrono::microseconds by) {
    wall_micros_ += by.count();
    steady_micros_ += by.count();
  }
  // Sets the wall clock only (as an administrator would); monotonic time is unaffected.
  void setWall(Timestamp t) { wall_micros_ = t.micros; }

 private:
  std::atomic<std::int64_t> wall_micros_;
  std::atomic<std::int64_t> steady_micros_;
};

}  // namespace fraudgov
