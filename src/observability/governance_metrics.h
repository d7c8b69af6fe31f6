#pragma once
// The metrics API for domain code (SPEC §7): approvals by outcome, compile and publish counts and
// durations, rate limiting. Each runtime has one, in its Telemetry (observability/telemetry.h),
// handed to the code where the event happens; it never fails and never blocks (atomics after one
// shared-lock map lookup).
//
//   GovernanceMetrics& metrics = telemetry.governance();
//   metrics.approval(ApprovalSubject::kRuleVersion, ApprovalOutcome::kApproved);
//
//   Stopwatch watch;
//   auto artifact = compileRuleset(...);
//   metrics.compile(watch.elapsed(), artifact.has_value(), rule_count);
//
//   metrics.publish(PublishArtifact::kRuleset, PublishBackend::kS3, watch.elapsed(), ok);
//   metrics.rateLimited("write");   // a 429 was answered under policy "write"
//   metrics.redisFallback();        // Redis unreachable, local buckets used instead
//
// Series (in the registry given to the constructor, exposed at /metrics):
//   fraudgov_approvals_total{subject,outcome}            counter
//   fraudgov_compile_duration_seconds{outcome}           histogram (outcome: success|error)
//   fraudgov_compile_rules                               histogram, rules per successful compile
//   fraudgov_publish_duration_seconds{artifact,backend,outcome}  histogram
//   fraudgov_rate_limited_total{policy}                  counter
//   fraudgov_rate_limit_redis_fallbacks_total            counter
//   fraudgov_admin_access_denied_total{endpoint}         counter (health|metrics; AdminAccess)
//   fraudgov_store_corrupt_rows_total{table}              counter (undecodable stored rows; store/observed_database.h)
//   fraudgov_idempotency_completion_failures_total         counter (a response that could not be recorded)
// A histogram's _count is the number of events, so compile/publish counts need no extra counter.

#include <chrono>
#include <string_view>

#include "observability/metrics.h"

namespace fraudgov::observability {

enum class ApprovalSubject { kRuleVersion, kRulesetVersion };

enum class ApprovalOutcome {
  kSubmitted,           // sent for review
  kApproved,            // a checker approved
  kRejected,            // a checker rejected
  kMakerCheckerDenied,  // refused: the checker is the maker or the author (separation of duties)
  kContentChanged,      // refused: the content under review changed since submit (409)
  kConflict,            // refused: state conflict or a concurrent decision won (409)
};

enum class PublishArtifact { kRuleset, kFieldRegistry };
enum class PublishBackend { kFilesystem, kS3 };

std::string_view approvalSubjectName(ApprovalSubject s);  // rule_version, ruleset_version
std::string_view approvalOutcomeName(ApprovalOutcome o);  // submitted, approved, ... (snake_case)

class GovernanceMetrics {
 public:
  explicit GovernanceMetrics(Registry& registry);

  void approval(ApprovalSubject subject, ApprovalOutcome outcome);
  // rule_count: rules in the compiled ruleset; recorded for successful compiles only.
  void compile(std::chrono::duration<double> duration, bool ok, std::size_t rule_count = 0);
  void publish(PublishArtifact artifact, PublishBackend backend, std::chrono::duration<double> duration, bool ok);
  // policy: a constant from the limiter's small fixed set (e.g. "read", "write", "auth_failure").
  // Anything not matching [a-z0-9_]{1,32} is recorded as "other", so a bug cannot explode
  // cardinality or smuggle request data into the output.
  void rateLimited(std::string_view policy);
  void redisFallback();
  // endpoint: "health" or "metrics".
  void adminAccessDenied(std::string_view endpoint);
  // A stored row of `table` could not be decoded (a value the code does not know). Table names
  // outside [a-z0-9_]{1,32} are recorded as "other".
  void corruptRow(std::string_view table);
  // A request with an Idempotency-Key ran but its response could not be recorded.
  void idempotencyCompletionFailed();

 private:
  CounterFamily& approvals_;
  HistogramFamily& compile_duration_;
  HistogramFamily& compile_rules_;
  HistogramFamily& publish_duration_;
  CounterFamily& rate_limited_;
  Counter& redis_fallbacks_;
  CounterFamily& admin_denied_;
  CounterFamily& corrupt_rows_;
  Counter& idempotency_completion_failures_;
};

// Measures a duration on the steady clock: construct before, read elapsed() after.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  std::chrono::duration<double> elapsed() const { return std::chrono::steady_clock::now() - start_; }

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace fraudgov::observability
