#pragma once
// One runtime's scope for cross-cutting concerns: the clock it reads, its metrics registry (the
// governance series included) and its logger with this runtime's secret values. The runtime
// creates one and passes it — or the piece a component needs — down; nothing here is
// process-wide, so two runtimes in one process (tests) neither share counters nor unmask each
// other's secrets. Process-level series (CPU, memory, build info) stay in processRegistry().

#include "common/clock.h"
#include "observability/governance_metrics.h"
#include "observability/logger.h"
#include "observability/metrics.h"

namespace fraudgov::observability {

class Telemetry {
 public:
  // `clock` must outlive this object.
  explicit Telemetry(const Clock& clock = systemClock()) : clock_(clock), governance_(registry_) {}
  Telemetry(const Telemetry&) = delete;
  Telemetry& operator=(const Telemetry&) = delete;

  const Clock& clock() const { return clock_; }
  Registry& metrics() { return registry_; }
  const Registry& metrics() const { return registry_; }
  GovernanceMetrics& governance() { return governance_; }
  Logger& log() { return logger_; }
  const Logger& log() const { return logger_; }

 private:
  const Clock& clock_;
  Registry registry_;
  GovernanceMetrics governance_;  // its series live in registry_, at 0 from the first scrape
  Logger logger_;
};

}  // namespace fraudgov::observability
