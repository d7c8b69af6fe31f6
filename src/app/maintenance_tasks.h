#pragma once
// The runtime's periodic tasks (app/maintenance.h runs them).

#include <vector>

#include "app/config.h"
#include "app/maintenance.h"
#include "observability/telemetry.h"
#include "service/audit_service.h"
#include "store/database.h"

namespace fraudgov::app {

// Deletes Idempotency-Keys older than their 24-hour retention, every `interval`.
Maintenance::Task idempotencyPurgeTask(store::Database& db, observability::Telemetry& telemetry,
                                       std::chrono::seconds interval);

// Signs audit checkpoints (issue 11 item 5): every AUDIT_CHECKPOINT_INTERVAL_SECONDS, and as soon
// as AUDIT_CHECKPOINT_EVERY_ENTRIES rows were appended since the latest checkpoint (looked at
// every few seconds). None when both are off.
std::vector<Maintenance::Task> auditCheckpointTasks(service::AuditService& audit, const AuditCheckpointSettings& settings,
                                                    const observability::Logger& log);

}  // namespace fraudgov::app
