#include "service/rule_service.h"

#include "common/json.h"
#include "common/text.h"
#include "common/uuid.h"
#include "domain/audit_verification.h"
#include "service/audit_service.h"
#include "service/field_catalog_loader.h"
#include "service/require_found.h"
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


Result<Rule> requireRule(SqlSession& s, std::string_view rule_id) {
  return requireFound(RuleStore::findRule(s, rule_id), [&] { return ruleNotFound(rule_id); });
}

Result<RuleVersion> requireVersion(SqlSession& s, std::string_view rule_version_id) {
  return requireFound(RuleStore::findVersion(s, rule_version_id), [&] { return ruleVersionNotFound(rule_version_id); });
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
  // What verification compares the stored row with later (domain/audit_verification.h).
  o["content_digest"] = domain::ruleVersionContentDigest(v.condition_tree, v.normalized_tree, v.scope, v.priority,
                                                         domain::ruleActionName(v.action));
  return o;
}

Status audit(SqlSession& s, const domain::Actor& actor, std::string_view entity_type, const std::string& id,
             std::string_view action, boost::json::value old_value, boost::json::value new_value) {
  FRAUDGOV_RETURN_IF_ERROR(AuditStore::append(
      s, actor, {std::string(entity_type), id, std::string(action), std::move(old_value), std::move(new_value)}));
  return {};
}

// tree: nullopt for the tree-less first version of a rule created without one (predecessor
// numbering): it stays a DRAFT that cannot be submitted, since an empty tree never validates.
Result<RuleVersion> buildVersion(SqlSession& s, const domain::Actor& actor, const Rule& rule, int number,
                                 const std::optional<boost::json::value>& tree, boost::json::object scope,
                                 int priority, domain::RuleAction action) {
  boost::json::value normalized_tree = boost::json::object{};
  if (tree) {
    FRAUDGOV_ASSIGN_OR_RETURN(auto catalog, loadCatalog(s));
    FRAUDGOV_ASSIGN_OR_RETURN(auto normalized, normalizeTree(*tree, catalog, "condition_tree"));
    normalized_tree = std::move(normalized.tree);
  }
  RuleVersion v;
  v.rule_version_id = uuid::v7();
  v.rule_id = rule.rule_id;
  v.version = number;
  v.condition_tree = tree ? *tree : boost::json::value(boost::json::object{});
  v.normalized_tree = std::move(normalized_tree);
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

// Rule versions as a governed kind (service/approval_flow.h).
class RuleVersionKind {
 public:
  using Version = RuleVersion;
  static constexpr std::string_view kApprovalEntity = domain::approval_entity::kRuleVersion;
  static constexpr std::string_view kAuditEntity = domain::audit_entity::kRuleVersion;
  static constexpr std::string_view kIdMember = "rule_version_id";
  static const std::string& idOf(const RuleVersion& v) { return v.rule_version_id; }

  Result<RuleVersion> require(SqlSession& s, std::string_view id) { return requireVersion(s, id); }
  Result<std::string> digest(SqlSession& s, const RuleVersion& v) { return currentDigest(s, v); }
  Status save(SqlSession& s, const RuleVersion& v) { return RuleStore::updateVersionState(s, v); }
  boost::json::object snapshot(const RuleVersion& v) { return domain::auditSnapshot(v); }

  // Approving a version supersedes the rule's previously approved one.
  Status prepare(SqlSession& s, const domain::Actor& actor, RuleVersion& v, domain::Transition t,
                 boost::json::object&) {
    if (t != domain::Transition::kApprove) return {};
    FRAUDGOV_ASSIGN_OR_RETURN(auto previous, RuleStore::versionsWithStatus(s, v.rule_id, VersionStatus::kApproved));
    for (auto& old : previous) {
      const auto before = domain::auditSnapshot(old);
      FRAUDGOV_RETURN_IF_ERROR(domain::applyTransition(old, domain::Transition::kSupersede, actor, nowUtc()));
      FRAUDGOV_RETURN_IF_ERROR(RuleStore::updateVersionState(s, old));
      FRAUDGOV_RETURN_IF_ERROR(AuditStore::append(
          s, actor,
          domain::transitionEvent(kAuditEntity, old.rule_version_id, domain::Transition::kSupersede, before,
                                  domain::auditSnapshot(old))));
    }
    return {};
  }

  // The rule's status follows its versions; decisions also bump its optimistic counter.
  Status settle(SqlSession& s, const domain::Actor&, const RuleVersion& v, domain::Transition t) {
    FRAUDGOV_ASSIGN_OR_RETURN(Rule rule, requireRule(s, v.rule_id));
    FRAUDGOV_RETURN_IF_ERROR(touchRule(s, rule, t != domain::Transition::kSubmit));
    return {};
  }
};

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
              1,
              1,
              actor.subject,
              actor.issuer,
              now,
              now};
    FRAUDGOV_RETURN_IF_ERROR(RuleStore::insertRule(s, rule));
    FRAUDGOV_RETURN_IF_ERROR(
        audit(s, actor, domain::audit_entity::kRule, rule.rule_id, "CREATE", nullptr, domain::auditSnapshot(rule)));
    CreatedRule out{rule, std::nullopt};
    FRAUDGOV_ASSIGN_OR_RETURN(out.first_version,
                              buildVersion(s, actor, rule, 1, input.condition_tree, {}, input.priority, action));
    return out;
  });
}

Result<Rule> RuleService::getRule(std::string_view rule_id) {
  return store::inStatement(db_, [&](SqlSession& s) { return requireRule(s, rule_id); });
}

Result<Page<Rule>> RuleService::listRules(const store::RuleFilter& filter, const PageQuery& query) {
  const auto filters = givenFilters({{"rule_type", filter.rule_type}, {"status", filter.status}, {"rule_name", filter.rule_name}});
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
    FRAUDGOV_ASSIGN_OR_RETURN(RuleVersion v, buildVersion(s, actor, rule, max_version + 1,
                                                          std::optional(input.condition_tree), input.scope,
                                                          input.priority, action));
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
  return store::inWrite(db_, [&](SqlSession& s) {
    RuleVersionKind kind;
    return ApprovalFlow<RuleVersionKind>(kind).submit(s, actor, rule_version_id, input, nowUtc());
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
  return store::inWrite(db_, [&](SqlSession& s) {
    RuleVersionKind kind;
    return ApprovalFlow<RuleVersionKind>(kind).decide(s, actor, rule_version_id, input, approve, nowUtc());
  });
}

}  // namespace fraudgov::service
