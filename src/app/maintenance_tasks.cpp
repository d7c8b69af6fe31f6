#include "app/maintenance_tasks.h"

#include "store/idempotency_store.h"

namespace fraudgov::app {

namespace {
constexpr std::chrono::seconds kEntriesPoll{5};
const domain::Actor kScheduler{"fraudgov", "audit-checkpoint-scheduler", ""};

void signCheckpoint(service::AuditService& audit, const observability::Logger& log) {
  auto outcome = audit.checkpoint(kScheduler);
  if (!outcome) {
    log.event(spdlog::level::err, "audit checkpoint failed",
              {{"reason", outcome.error().message}, {"detail", outcome.error().internal_detail}});
  } else if (outcome->created) {
    log.event(spdlog::level::info, "audit checkpoint signed",
              {{"sequence", outcome->checkpoint.sequence}, {"kid", outcome->checkpoint.kid}});
  }
}

bool entriesDue(service::AuditService& audit, std::int64_t every_entries) {
  auto head = audit.head();
  auto latest = audit.latestCheckpointSequence();
  if (!head || !latest || !*head) return false;
  return (*head)->seq - latest->value_or(0) >= every_entries;
}
}  // namespace

Maintenance::Task idempotencyPurgeTask(store::Database& db, observability::Telemetry& telemetry,
                                       std::chrono::seconds interval) {
  return {"idempotency-purge", interval, [&db, &telemetry] {
            const Timestamp now = telemetry.clock().now();
            const Timestamp cutoff{
                now.micros -
                std::chrono::duration_cast<std::chrono::microseconds>(store::kIdempotencyRetention).count()};
            auto purged = store::inWrite(
                db, [&](store::SqlSession& s) { return store::IdempotencyStore::purgeOlderThan(s, cutoff); });
            if (!purged) {
              telemetry.log().event(spdlog::level::warn, "idempotency key purge failed",
                                    {{"error", purged.error().message}, {"detail", purged.error().internal_detail}});
            } else if (*purged > 0) {
              telemetry.log().event(spdlog::level::info, "idempotency keys purged", {{"count", *purged}});
            }
          }};
}

std::vector<Maintenance::Task> auditCheckpointTasks(service::AuditService& audit, const AuditCheckpointSettings& settings,
                                                    const observability::Logger& log) {
  std::vector<Maintenance::Task> tasks;
  if (settings.interval.count() > 0) {
    tasks.push_back({"audit-checkpoint", settings.interval, [&audit, &log] { signCheckpoint(audit, log); }});
  }
  if (settings.every_entries > 0) {
    tasks.push_back({"audit-checkpoint-entries", kEntriesPoll, [&audit, &log, every = settings.every_entries] {
                       if (entriesDue(audit, every)) signCheckpoint(audit, log);
                     }});
  }
  return tasks;
}

}  // namespace fraudgov::app
