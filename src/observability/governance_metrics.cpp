#include "observability/governance_metrics.h"

#include <algorithm>

#include "common/enum_names.h"
namespace fraudgov::observability {

namespace {

const std::vector<double>& compileBuckets() {
  // SPEC §8: a 10,000-rule ruleset compiles and signs in under 100 ms.
  static const std::vector<double> b = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return b;
}

const std::vector<double>& ruleCountBuckets() {
  static const std::vector<double> b = {1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};
  return b;
}

std::string_view outcome(bool ok) { return ok ? "success" : "error"; }

std::string_view artifactName(PublishArtifact a) {
  return a == PublishArtifact::kRuleset ? "ruleset" : "field_registry";
}
std::string_view backendName(PublishBackend b) { return b == PublishBackend::kS3 ? "s3" : "filesystem"; }

bool safeLabel(std::string_view v) {
  auto allowed = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; };
  return !v.empty() && v.size() <= 32 && std::all_of(v.begin(), v.end(), allowed);
}

constexpr ApprovalSubject kSubjects[] = {ApprovalSubject::kRuleVersion, ApprovalSubject::kRulesetVersion};

}  // namespace

std::string_view approvalSubjectName(ApprovalSubject s) {
  return s == ApprovalSubject::kRuleVersion ? "rule_version" : "ruleset_version";
}

constexpr auto kOutcomeNames = enumNames<ApprovalOutcome>({
    {ApprovalOutcome::kSubmitted, "submitted"},
    {ApprovalOutcome::kApproved, "approved"},
    {ApprovalOutcome::kRejected, "rejected"},
    {ApprovalOutcome::kMakerCheckerDenied, "maker_checker_denied"},
    {ApprovalOutcome::kContentChanged, "content_changed"},
    {ApprovalOutcome::kConflict, "conflict"},
});

std::string_view approvalOutcomeName(ApprovalOutcome o) { return nameOf(kOutcomeNames, o); }

GovernanceMetrics::GovernanceMetrics(Registry& r)
    : approvals_(r.counter("fraudgov_approvals_total", "Four-eyes submissions and decisions, by outcome.",
                           {"subject", "outcome"})),
      compile_duration_(r.histogram("fraudgov_compile_duration_seconds", "Ruleset compilations and their duration.",
                                    compileBuckets(), {"outcome"})),
      compile_rules_(
          r.histogram("fraudgov_compile_rules", "Rules per successfully compiled ruleset.", ruleCountBuckets())),
      publish_duration_(r.histogram("fraudgov_publish_duration_seconds", "Artifact publications and their duration.",
                                    compileBuckets(), {"artifact", "backend", "outcome"})),
      rate_limited_(
          r.counter("fraudgov_rate_limited_total", "Requests refused by rate limiting (429), by policy.", {"policy"})),
      redis_fallbacks_(r.counter("fraudgov_rate_limit_redis_fallbacks_total",
                                 "Rate-limit decisions taken locally because Redis was unavailable.")
                           .get()),
      admin_denied_(r.counter("fraudgov_admin_access_denied_total",
                              "Requests refused by the health/metrics access gate.", {"endpoint"})),
      corrupt_rows_(r.counter("fraudgov_store_corrupt_rows_total",
                              "Stored rows that could not be decoded (corruption or tampering), by table.",
                              {"table"})),
      idempotency_completion_failures_(
          r.counter("fraudgov_idempotency_completion_failures_total",
                    "Requests with an Idempotency-Key that ran but whose response could not be recorded.")
              .get()) {
  // Every closed-set series exists from the start, so rate() and absent() behave from the first scrape.
  for (auto s : kSubjects) {
    for (const auto& o : kOutcomeNames) approvals_.labels({approvalSubjectName(s), o.name});
  }
  for (bool ok : {true, false}) compile_duration_.labels({outcome(ok)});
  for (auto e : {"health", "metrics"}) admin_denied_.labels({e});
}

void GovernanceMetrics::approval(ApprovalSubject subject, ApprovalOutcome o) {
  approvals_.labels({approvalSubjectName(subject), approvalOutcomeName(o)}).inc();
}

void GovernanceMetrics::compile(std::chrono::duration<double> duration, bool ok, std::size_t rule_count) {
  compile_duration_.labels({outcome(ok)}).observe(duration.count());
  if (ok) compile_rules_.get().observe(static_cast<double>(rule_count));
}

void GovernanceMetrics::publish(PublishArtifact artifact, PublishBackend backend,
                                std::chrono::duration<double> duration, bool ok) {
  publish_duration_.labels({artifactName(artifact), backendName(backend), outcome(ok)}).observe(duration.count());
}

void GovernanceMetrics::rateLimited(std::string_view policy) {
  rate_limited_.labels({safeLabel(policy) ? policy : "other"}).inc();
}

void GovernanceMetrics::corruptRow(std::string_view table) {
  corrupt_rows_.labels({safeLabel(table) ? table : "other"}).inc();
}

void GovernanceMetrics::idempotencyCompletionFailed() { idempotency_completion_failures_.inc(); }

void GovernanceMetrics::redisFallback() { redis_fallbacks_.inc(); }

void GovernanceMetrics::adminAccessDenied(std::string_view endpoint) {
  admin_denied_.labels({endpoint == "health" ? "health" : "metrics"}).inc();
}

}  // namespace fraudgov::observability
