#include "service/rule_service.h"

#include "common/json.h"
#include "common/text.h"
#include "common/uuid.h"
#include "service/audit_service.h"
#include "service/field_catalog_loader.h"
#include "store/approval_store.h"
#include "store/audit_store.h"

namespace fraudgov::service {

namespace {

using domain::Approval;
using domain::ApprovalStatus;
using domain::Rule;
using domain::RuleVersion;
using domain::VersionStatus;
using store::AuditStore;
using store::RuleStore;
using store::SqlSession;

constexpr std::string_view kRuleVersionEntity = domain::approval_entity::kRuleVersion;

Result<Rule> requireRule(SqlSession& s, std::string_view rule_id) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto rule, RuleStore::findRule(s, rule_id));
  if (!rule) return fail(ruleNotFound(rule_id));
  return std::move(*rule);
}

Result<RuleVersion> requireVersion(SqlSession& s, std::string_view rule_version_id) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto version, RuleStore::findVersion(s, rule_version_id));
  if (!version) return fail(ruleVersionNotFound(rule_version_id));
  return std::move(*version);
}

std::vector<domain::FieldIssue> checkPriority(int priority) {
  if (priority >= domain::kMinPriority && priority <= domain::kMaxPriority) return {};
  return {{"priority", "priority must be between 1 and 1000"}};
}

std::vector<domain::FieldIssue> checkText(const std::string& value, std::string_view path, std::size_t min,
                                          std::size_t max) {
  const std::size_t length = text::codePointCount(value);
  if (length < min || length > max || text::containsNul(value)) {
    return {{std::string(path), std::string(path) + " must be " + std::to_string(min) + " to " + std::to_string(max) +
                                    " characters without NUL"}};
  }
  return {};
}

Status checkRemarks(const std::optional<std::string>& remarks) {
  if (!remarks) return {};
  auto issues = checkText(*remarks, "remarks", 0, 2000);
  if (!issues.empty()) return fail(domain::validationError(issues));
  return {};
}

void append(std::vector<domain::FieldIssue>& to, std::vector<domain::FieldIssue> more) {
  for (auto& i : more) to.push_back(std::move(i));
}

// The rule's status follows its versions: APPROVED while it has an approved version,
// otherwise the status of its newest version.
Result<VersionStatus> derivedRuleStatus(SqlSession& s, const Rule& rule) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto approved, RuleStore::versionsWithStatus(s, rule.rule_id, VersionStatus::kApproved));
  if (!approved.empty()) return VersionStatus::kApproved;
  FRAUDGOV_ASSIGN_OR_RETURN(auto versions, RuleStore::listVersions(s, rule.rule_id));
  return versions.empty() ? VersionStatus::kDraft : versions.front().status;
}

// Re-derives the rule's status, bumps its optimistic counter and writes it back.
Result<Rule> touchRule(SqlSession& s, Rule rule, bool bump_counter) {
  const int expected = rule.version;
  FRAUDGOV_ASSIGN_OR_RETURN(rule.status, derivedRuleStatus(s, rule));
  if (bump_counter) ++rule.version;
  rule.updated_at = nowUtc();
  FRAUDGOV_ASSIGN_OR_RETURN(bool updated, RuleStore::updateRule(s, rule, expected));
  if (!updated) {
    return fail(Error::concurrentModification(
                 "Rule was modified by another transaction. Please refresh and try again.",
                 {{"entity_type", "Rule"}, {"entity_id", rule.rule_id}}));
  }
  return rule;
}

boost::json::object versionCreatedSnapshot(const RuleVersion& v) {
  auto o = domain::auditSnapshot(v);
  o["condition_tree"] = v.normalized_tree;
  o["scope"] = v.scope;
  o["created_by"] = v.created_by;
  return o;
}

Status audit(SqlSession& s, const domain::Actor& actor, std::string_view entity_type, const std::string& id,
             std::string_view action, boost::json::value old_value, boost::json::value new_value) {
  FRAUDGOV_RETURN_IF_ERROR(AuditStore::append(
      s, actor, {std::string(entity_type), id, std::string(action), std::move(old_value), std::move(new_value)}));
  return {};
}

Result<RuleVersion> buildVersion(SqlSession& s, const domain::Actor& actor, const Rule& rule, int number,
                                 const boost::json::value& tree, boost::json::object scope, int priority,
                                 domain::RuleAction action) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto catalog, loadCatalog(s));
  FRAUDGOV_ASSIGN_OR_RETURN(auto normalized, normalizeTree(tree, catalog, "condition_tree"));
  RuleVersion v;
  v.rule_version_id = uuid::v7();
  v.rule_id = rule.rule_id;
  v.version = number;
  v.condition_tree = tree;
  v.normalized_tree = std::move(normalized.tree);
  v.scope = std::move(scope);
  v.priority = priority;
  v.action = action;
  v.status = VersionStatus::kDraft;
  v.created_by = actor.subject;
  v.created_by_issuer = actor.issuer;
  v.created_at = nowUtc();
  FRAUDGOV_RETURN_IF_ERROR(RuleStore::insertVersion(s, v));
  FRAUDGOV_RETURN_IF_ERROR(audit(s, actor, domain::audit_entity::kRuleVersion, v.rule_version_id, "CREATE", nullptr,
                                 versionCreatedSnapshot(v)));
  return v;
}

Result<domain::RuleAction> resolveAction(domain::RuleType type, std::optional<domain::RuleAction> requested) {
  const auto action = requested.value_or(domain::defaultAction(type));
  if (!domain::actionAllowed(type, action)) {
    return fail(domain::validationError("action", domain::actionMismatchMessage(type, action)));
  }
  return action;
}

// The digest of what a checker approves, computed against the current catalog. A version whose
// tree no longer validates (a field changed incompatibly) cannot be submitted or approved.
Result<std::string> currentDigest(SqlSession& s, const RuleVersion& v) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto catalog, loadCatalog(s));
  FRAUDGOV_ASSIGN_OR_RETURN(auto normalized, normalizeTree(v.normalized_tree, catalog, "condition_tree"));
  return domain::ruleVersionDigest(v, dependenciesOf(normalized, catalog));
}

// What a decision found when there was nothing pending to decide.
Result<Approval> pendingApprovalFor(SqlSession& s, std::string_view rule_version_id) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto pending, store::ApprovalStore::findPending(s, rule_version_id));
  if (pending) return std::move(*pending);
  FRAUDGOV_ASSIGN_OR_RETURN(RuleVersion v, requireVersion(s, rule_version_id));
  if (v.status == VersionStatus::kApproved || v.status == VersionStatus::kRejected ||
      v.status == VersionStatus::kSuperseded) {
    // Typically a second checker racing the first: the submission was decided a moment ago.
    return fail(Error::conflict("Submission was already decided", {{"status", domain::versionStatusName(v.status)},
                                                                   {"rule_version_id", rule_version_id}}));
  }
  return fail(Error::notFound("Pending approval not found", {{"rule_version_id", rule_version_id}}));
}

}  // namespace

Error ruleNotFound(std::string_view rule_id) { return Error::notFound("Rule not found", {{"rule_id", rule_id}}); }

Error ruleVersionNotFound(std::string_view rule_version_id) {
  return Error::notFound("RuleVersion not found", {{"rule_version_id", rule_version_id}});
}

Result<CreatedRule> RuleService::createRule(const domain::Actor& actor, const NewRule& input) {
  std::vector<domain::FieldIssue> issues = checkText(input.rule_name, "rule_name", 1, 255);
  if (input.description) append(issues, checkText(*input.description, "description", 0, 2000));
  append(issues, checkPriority(input.priority));
  if (!issues.empty()) return fail(domain::validationError(issues));
  FRAUDGOV_ASSIGN_OR_RETURN(auto action, resolveAction(input.rule_type, input.action));

  return store::inWrite(db_, [&](SqlSession& s) -> Result<CreatedRule> {
    const Timestamp now = nowUtc();
    Rule rule{uuid::v7(),
              input.rule_name,
              input.description,
              input.rule_type,
              VersionStatus::kDraft,
              input.condition_tree ? 1 : 0,
              1,
              actor.subject,
              actor.issuer,
              now,
              now};
    FRAUDGOV_RETURN_IF_ERROR(RuleStore::insertRule(s, rule));
    FRAUDGOV_RETURN_IF_ERROR(
        audit(s, actor, domain::audit_entity::kRule, rule.rule_id, "CREATE", nullptr, domain::auditSnapshot(rule)));
    CreatedRule out{rule, std::nullopt};
    if (input.condition_tree) {
      FRAUDGOV_ASSIGN_OR_RETURN(out.first_version,
                                buildVersion(s, actor, rule, 1, *input.condition_tree, {}, input.priority, action));
    }
    return out;
  });
}

Result<Rule> RuleService::getRule(std::string_view rule_id) {
  return store::inStatement(db_, [&](SqlSession& s) { return requireRule(s, rule_id); });
}

Result<Page<Rule>> RuleService::listRules(const store::RuleFilter& filter, const PageQuery& query) {
  boost::json::object filters;
  if (filter.rule_type) filters["rule_type"] = *filter.rule_type;
  if (filter.status) filters["status"] = *filter.status;
  if (filter.rule_name) filters["rule_name"] = *filter.rule_name;
  return paging_.page<store::TimeIdKey>(
      "rules", filters, query,
      [&](const store::TimeIdBounds& bounds) {
        return store::inStatement(db_, [&](SqlSession& s) { return RuleStore::listRules(s, filter, bounds); });
      },
      [](const Rule& r) { return store::TimeIdKey{r.created_at, r.rule_id}; });
}

Result<RuleSummary> RuleService::summary(std::string_view rule_id) {
  return store::inRead(db_, [&](SqlSession& s) -> Result<RuleSummary> {
    FRAUDGOV_ASSIGN_OR_RETURN(Rule rule, requireRule(s, rule_id));
    FRAUDGOV_ASSIGN_OR_RETURN(auto versions, RuleStore::listVersions(s, rule_id));
    RuleSummary out{std::move(rule), std::nullopt};
    if (!versions.empty()) out.latest = std::move(versions.front());
    return out;
  });
}

Result<RuleVersion> RuleService::createVersion(const domain::Actor& actor, std::string_view rule_id,
                                               const NewRuleVersion& input) {
  std::vector<domain::FieldIssue> issues = checkPriority(input.priority);
  append(issues, domain::checkScope(input.scope, "scope"));
  if (!input.condition_tree.is_object()) issues.push_back({"condition_tree", "condition_tree must be an object"});
  if (!issues.empty()) return fail(domain::validationError(issues));

  return store::inWrite(db_, [&](SqlSession& s) -> Result<RuleVersion> {
    FRAUDGOV_ASSIGN_OR_RETURN(Rule rule, requireRule(s, rule_id));
    if (input.expected_rule_version && *input.expected_rule_version != rule.version) {
      return fail(Error::concurrentModification(
                   "Rule was modified by another transaction. Please refresh and try again.",
                   {{"entity_type", "Rule"},
                    {"entity_id", rule.rule_id},
                    {"expected_version", *input.expected_rule_version},
                    {"actual_version", rule.version}}));
    }
    FRAUDGOV_ASSIGN_OR_RETURN(auto action, resolveAction(rule.rule_type, input.action));
    // Under the store-wide write lock max+1 cannot collide; UNIQUE(rule_id, version) backs it up.
    FRAUDGOV_ASSIGN_OR_RETURN(int max_version, RuleStore::maxVersion(s, rule_id));
    FRAUDGOV_ASSIGN_OR_RETURN(RuleVersion v, buildVersion(s, actor, rule, max_version + 1, input.condition_tree,
                                                          input.scope, input.priority, action));
    rule.current_version = v.version;
    FRAUDGOV_RETURN_IF_ERROR(touchRule(s, rule, true));
    return v;
  });
}

Result<std::pair<Rule, std::vector<RuleVersion>>> RuleService::listVersions(std::string_view rule_id) {
  return store::inRead(db_, [&](SqlSession& s) -> Result<std::pair<Rule, std::vector<RuleVersion>>> {
    FRAUDGOV_ASSIGN_OR_RETURN(Rule rule, requireRule(s, rule_id));
    FRAUDGOV_ASSIGN_OR_RETURN(auto versions, RuleStore::listVersions(s, rule_id));
    return std::make_pair(std::move(rule), std::move(versions));
  });
}

Result<RuleWithVersion> RuleService::getVersion(std::string_view rule_version_id) {
  return store::inRead(db_, [&](SqlSession& s) -> Result<RuleWithVersion> {
    FRAUDGOV_ASSIGN_OR_RETURN(RuleVersion v, requireVersion(s, rule_version_id));
    FRAUDGOV_ASSIGN_OR_RETURN(Rule rule, requireRule(s, v.rule_id));
    return RuleWithVersion{std::move(rule), std::move(v)};
  });
}

Result<RuleVersion> RuleService::submit(const domain::Actor& actor, std::string_view rule_version_id,
                                        const SubmitInput& input) {
  FRAUDGOV_RETURN_IF_ERROR(checkRemarks(input.remarks));
  return store::inWrite(db_, [&](SqlSession& s) -> Result<RuleVersion> {
    FRAUDGOV_ASSIGN_OR_RETURN(RuleVersion v, requireVersion(s, rule_version_id));
    const bool keyed = input.idempotency_key && !input.idempotency_key->empty();
    if (keyed) {
      FRAUDGOV_ASSIGN_OR_RETURN(auto replay, store::ApprovalStore::findByIdempotencyKey(
                                                 s, kRuleVersionEntity, v.rule_version_id, *input.idempotency_key));
      if (replay) return v;  // the same submission again: report the current state, change nothing
    }
    FRAUDGOV_RETURN_IF_ERROR(domain::checkCanSubmit(v));
    FRAUDGOV_ASSIGN_OR_RETURN(std::string digest, currentDigest(s, v));
    const auto before = domain::auditSnapshot(v);
    Approval a;
    a.approval_id = uuid::v7();
    a.entity_type = kRuleVersionEntity;
    a.entity_id = v.rule_version_id;
    a.maker = actor.subject;
    a.maker_issuer = actor.issuer;
    a.author = v.created_by;
    a.author_issuer = v.created_by_issuer;
    a.content_digest = digest;
    a.remarks = input.remarks;
    if (keyed) a.idempotency_key = input.idempotency_key;
    a.created_at = nowUtc();
    FRAUDGOV_RETURN_IF_ERROR(store::ApprovalStore::insert(s, a));
    v.status = VersionStatus::kPendingApproval;
    FRAUDGOV_RETURN_IF_ERROR(RuleStore::updateVersionState(s, v));
    FRAUDGOV_ASSIGN_OR_RETURN(Rule rule, requireRule(s, v.rule_id));
    FRAUDGOV_RETURN_IF_ERROR(touchRule(s, rule, false));
    auto after = domain::auditSnapshot(v);
    after["approval_id"] = a.approval_id;
    after["content_digest"] = digest;
    FRAUDGOV_RETURN_IF_ERROR(
        audit(s, actor, domain::audit_entity::kRuleVersion, v.rule_version_id, "SUBMIT", before, after));
    return v;
  });
}

Result<RuleVersion> RuleService::approve(const domain::Actor& actor, std::string_view rule_version_id,
                                         const DecisionInput& input) {
  return decide(actor, rule_version_id, input, true);
}

Result<RuleVersion> RuleService::reject(const domain::Actor& actor, std::string_view rule_version_id,
                                        const DecisionInput& input) {
  return decide(actor, rule_version_id, input, false);
}

Result<RuleVersion> RuleService::decide(const domain::Actor& actor, std::string_view rule_version_id,
                                        const DecisionInput& input, bool approve) {
  FRAUDGOV_RETURN_IF_ERROR(checkRemarks(input.remarks));
  const std::string_view verb = approve ? "approve" : "reject";
  return store::inWrite(db_, [&](SqlSession& s) -> Result<RuleVersion> {
    FRAUDGOV_ASSIGN_OR_RETURN(Approval a, pendingApprovalFor(s, rule_version_id));
    FRAUDGOV_RETURN_IF_ERROR(domain::checkSeparationOfDuties(a, actor, verb));
    FRAUDGOV_ASSIGN_OR_RETURN(RuleVersion v, requireVersion(s, rule_version_id));
    if (v.status != VersionStatus::kPendingApproval) {
      return fail(
          Error::conflict("Rule version is not pending approval", {{"status", domain::versionStatusName(v.status)}}));
    }
    if (approve) {
      // Approval binds content (SPEC §3 invariant 3): what is approved is exactly what was submitted.
      auto digest = currentDigest(s, v);
      if (!digest || *digest != a.content_digest) {
        return fail(Error::conflict("Content under review changed since submission; submit it again",
                                    {{"rule_version_id", v.rule_version_id}, {"content_changed", true}}));
      }
    }
    const auto before = domain::auditSnapshot(v);
    const Timestamp now = nowUtc();
    if (approve) {
      FRAUDGOV_ASSIGN_OR_RETURN(auto previous, RuleStore::versionsWithStatus(s, v.rule_id, VersionStatus::kApproved));
      for (auto& old : previous) {
        const auto old_before = domain::auditSnapshot(old);
        old.status = VersionStatus::kSuperseded;
        FRAUDGOV_RETURN_IF_ERROR(RuleStore::updateVersionState(s, old));
        FRAUDGOV_RETURN_IF_ERROR(audit(s, actor, domain::audit_entity::kRuleVersion, old.rule_version_id, "SUPERSEDE",
                                       old_before, domain::auditSnapshot(old)));
      }
      v.status = VersionStatus::kApproved;
      v.approved_by = actor.subject;
      v.approved_by_issuer = actor.issuer;
      v.approved_at = now;
    } else {
      v.status = VersionStatus::kRejected;
    }
    FRAUDGOV_RETURN_IF_ERROR(RuleStore::updateVersionState(s, v));
    a.status = approve ? ApprovalStatus::kApproved : ApprovalStatus::kRejected;
    a.checker = actor.subject;
    a.checker_issuer = actor.issuer;
    a.decided_at = now;
    if (input.remarks && !input.remarks->empty()) a.remarks = input.remarks;
    auto decided = store::ApprovalStore::decide(s, a);
    if (!decided) {
      // The database refuses a checker equal to maker or author even if a bug slipped past us.
      if (store::isConstraintViolation(decided.error())) {
        return fail(Error::separationOfDuties("Maker cannot " + std::string(verb) + " their own submission"));
      }
      return fail(decided.error());
    }
    if (!*decided)
      return fail(Error::conflict("Submission was already decided", {{"rule_version_id", rule_version_id}}));
    FRAUDGOV_ASSIGN_OR_RETURN(Rule rule, requireRule(s, v.rule_id));
    FRAUDGOV_RETURN_IF_ERROR(touchRule(s, rule, true));
    auto after = domain::auditSnapshot(v);
    after["approval_id"] = a.approval_id;
    FRAUDGOV_RETURN_IF_ERROR(audit(s, actor, domain::audit_entity::kRuleVersion, v.rule_version_id,
                                   approve ? "APPROVE" : "REJECT", before, after));
    return v;
  });
}

}  // namespace fraudgov::service
