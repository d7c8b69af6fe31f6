#include "app/maintenance.h"

#include "store/idempotency_store.h"

namespace fraudgov::app {

Maintenance::Maintenance(store::Database& db, observability::Telemetry& telemetry, Options options)
    : db_(db), telemetry_(telemetry), options_(options) {}

Maintenance::~Maintenance() { stop(); }

void Maintenance::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
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
  const Clock& clock = telemetry_.clock();
  std::unique_lock lock(mu_);
  auto due = clock.monotonic() + options_.interval;
  while (!stopping_) {
    const auto now = clock.monotonic();
    if (now >= due) {
      lock.unlock();
      runOnce();
      lock.lock();
      due = clock.monotonic() + options_.interval;
      continue;
    }
    const auto wait = std::min<std::chrono::steady_clock::duration>(due - now, options_.clock_recheck);
    wake_.wait_for(lock, wait, [this] { return stopping_; });
  }
}

void Maintenance::runOnce() {
  const Timestamp now = telemetry_.clock().now();
  const Timestamp cutoff{now.micros -
                         std::chrono::duration_cast<std::chrono::microseconds>(store::kIdempotencyRetention).count()};
  auto purged = store::inWrite(
      db_, [&](store::SqlSession& s) { return store::IdempotencyStore::purgeOlderThan(s, cutoff); });
  if (!purged) {
    telemetry_.log().event(spdlog::level::warn, "idempotency key purge failed",
                           {{"error", purged.error().message}, {"detail", purged.error().internal_detail}});
  } else if (*purged > 0) {
    telemetry_.log().event(spdlog::level::info, "idempotency keys purged", {{"count", *purged}});
  }
}

}  // namespace fraudgov::app
