#pragma once
// Waiting for something another thread or process does: check a condition until it holds or a
// real-time deadline passes. The one place tests pause; a test that needs time itself to pass
// moves a ManualClock (common/manual_clock.h) instead.

#include <chrono>
#include <thread>

namespace fraudgov::testing {

// Polls `pred` every `interval` (real time) until it is true (returns true) or `timeout` passed.
template <class Pred>
bool pollUntil(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(5),
               std::chrono::milliseconds interval = std::chrono::milliseconds(2)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return pred();
    std::this_thread::sleep_for(interval);
  }
  return true;
}

}  // namespace fraudgov::testing
