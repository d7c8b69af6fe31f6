#include "app/maintenance.h"

#include <algorithm>

namespace fraudgov::app {

Maintenance::Maintenance(const Clock& clock, std::chrono::milliseconds clock_recheck)
    : clock_(clock), clock_recheck_(clock_recheck) {}

Maintenance::~Maintenance() { stop(); }

void Maintenance::add(Task task) {
  std::lock_guard lock(mu_);
  if (!thread_.joinable()) tasks_.push_back(std::move(task));
}

void Maintenance::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_ || tasks_.empty()) return;
  thread_ = std::thread([this] { loop(); });
}

void Maintenance::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Maintenance::loop() {
  std::unique_lock lock(mu_);
  std::vector<Clock::SteadyTime> due;
  for (const Task& task : tasks_) due.push_back(clock_.monotonic() + task.interval);
  while (!stopping_) {
    for (std::size_t i = 0; i < tasks_.size() && !stopping_; ++i) {
      if (clock_.monotonic() < due[i]) continue;
      lock.unlock();
      tasks_[i].run();
      lock.lock();
      due[i] = clock_.monotonic() + tasks_[i].interval;
    }
    const auto next = *std::min_element(due.begin(), due.end());
    const auto now = clock_.monotonic();
    if (next <= now) continue;
    const auto wait = std::min<std::chrono::steady_clock::duration>(next - now, clock_recheck_);
    wake_.wait_for(lock, wait, [this] { return stopping_; });
  }
}

}  // namespace fraudgov::app
