#pragma once
// Signs audit checkpoints in the background (issue 11 item 5): every
// AUDIT_CHECKPOINT_INTERVAL_SECONDS, and as soon as AUDIT_CHECKPOINT_EVERY_ENTRIES rows were
// appended since the latest checkpoint (looked at every few seconds). The first interval
// checkpoint comes one interval after start. Failures are logged and retried at the next turn.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/config.h"
#include "observability/log.h"
#include "service/audit_service.h"

namespace fraudgov::app {

class AuditCheckpointScheduler {
 public:
  AuditCheckpointScheduler(service::AuditService& audit, AuditCheckpointSettings settings,
                           const observability::Logger& log)
      : audit_(audit), settings_(settings), log_(log) {}
  ~AuditCheckpointScheduler() { stop(); }

  // Does nothing when both triggers are off.
  void start();
  void stop();

 private:
  void run();
  bool entriesDue();

  service::AuditService& audit_;
  AuditCheckpointSettings settings_;
  const observability::Logger& log_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fraudgov::app
