#include "app/audit_checkpoint_scheduler.h"

#include <algorithm>

namespace fraudgov::app {

namespace {
constexpr std::chrono::seconds kEntriesPoll{5};
const domain::Actor kScheduler{"fraudgov", "audit-checkpoint-scheduler", ""};
}  // namespace

void AuditCheckpointScheduler::start() {
  if (settings_.interval.count() == 0 && settings_.every_entries == 0) return;
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void AuditCheckpointScheduler::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool AuditCheckpointScheduler::entriesDue() {
  if (settings_.every_entries == 0) return false;
  auto head = audit_.head();
  auto latest = audit_.latestCheckpointSequence();
  if (!head || !latest || !*head) return false;
  return (*head)->seq - latest->value_or(0) >= settings_.every_entries;
}

void AuditCheckpointScheduler::run() {
  using Clock = std::chrono::steady_clock;
  const bool by_interval = settings_.interval.count() > 0;
  auto next_interval = Clock::now() + settings_.interval;
  for (;;) {
    auto until = settings_.every_entries > 0 ? Clock::now() + kEntriesPoll : next_interval;
    if (by_interval) until = std::min(until, next_interval);
    {
      std::unique_lock lock(mu_);
      if (wake_.wait_until(lock, until, [this] { return stopping_; })) return;
    }
    const bool interval_due = by_interval && Clock::now() >= next_interval;
    if (!interval_due && !entriesDue()) continue;
    if (interval_due) next_interval = Clock::now() + settings_.interval;
    auto outcome = audit_.checkpoint(kScheduler);
    if (!outcome) {
      log_.event(spdlog::level::err, "audit checkpoint failed",
                 {{"reason", outcome.error().message}, {"detail", outcome.error().internal_detail}});
    } else if (outcome->created) {
      log_.event(spdlog::level::info, "audit checkpoint signed",
                 {{"sequence", outcome->checkpoint.sequence}, {"kid", outcome->checkpoint.kid}});
    }
  }
}

}  // namespace fraudgov::app
