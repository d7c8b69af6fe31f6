#include "service/ruleset_service.h"

#include <set>

#include "common/crypto.h"
#include "common/uuid.h"
#include "service/field_catalog_loader.h"
#include "service/require_found.h"
#include "store/approval_store.h"
#include "store/audit_store.h"

namespace fraudgov::service {

namespace {

using domain::Ruleset;
using domain::RulesetVersion;
using domain::Transition;
using domain::VersionStatus;
using store::RulesetStore;
using store::SqlSession;

Result<Ruleset> requireRuleset(SqlSession& s, std::string_view id) {
  return requireFound(RulesetStore::find(s, id), [&] { return rulesetNotFound(id); });
}

Result<RulesetVersion> requireVersion(SqlSession& s, std::string_view id) {
  return requireFound(RulesetStore::findVersion(s, id), [&] { return rulesetVersionNotFound(id); });
}

Status audit(SqlSession& s, const domain::Actor& actor, std::string_view entity_type, const std::string& id,
             std::string_view action, boost::json::value before, boost::json::value after) {
  FRAUDGOV_RETURN_IF_ERROR(store::AuditStore::append(
      s, actor, {std::string(entity_type), id, std::string(action), std::move(before), std::move(after)}));
  return {};
}

// Every requested rule version must exist and satisfy the membership rules (invariant 4).
Result<std::vector<domain::RulesetMember>> checkedMembers(SqlSession& s, domain::RuleType type,
                                                          const std::vector<std::string>& ids) {
  std::vector<domain::FieldIssue> issues;
  if (ids.empty()) issues.push_back({"rule_version_ids", "At least one rule version must be included"});
  if (ids.size() > domain::kMaxRulesetMembers) {
    issues.push_back({"rule_version_ids", "Cannot include more than 100 rules (got " + std::to_string(ids.size()) + ")"});
  }
  if (!issues.empty()) return fail(domain::validationError(issues));
  FRAUDGOV_ASSIGN_OR_RETURN(auto members, RulesetStore::describeRuleVersions(s, ids));
  std::set<std::string> found;
  for (const auto& m : members) found.insert(m.rule_version_id);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string path = "rule_version_ids[" + std::to_string(i) + "]";
    if (!found.contains(ids[i])) issues.push_back({path, "Rule version " + ids[i] + " does not exist"});
    if (!seen.insert(ids[i]).second) issues.push_back({path, "Rule version " + ids[i] + " is listed twice"});
  }
  if (issues.empty()) issues = domain::checkMembership(type, members);
  if (!issues.empty()) return fail(domain::validationError(issues));
  return members;
}

Result<compiler::CompiledRuleset> compileVersion(SqlSession& s, const Ruleset& ruleset, const RulesetVersion& v,
                                                 const Publisher& publisher) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto sources, RulesetStore::memberSources(s, v.ruleset_version_id));
  FRAUDGOV_ASSIGN_OR_RETURN(auto catalog, loadCatalog(s));
  compiler::RulesetSource source{ruleset.ruleset_id, v.version, ruleset.rule_type, {}};
  for (auto& m : sources) {
    source.rules.push_back(
        {std::move(m.rule_id), std::move(m.rule_version_id), m.priority, std::move(m.scope), std::move(m.normalized_tree),
         m.action});
  }
  const observability::Stopwatch watch;
  auto compiled = compiler::compileRuleset(source, catalog.fields);
  publisher.recordCompile(watch.elapsed(), compiled, source.rules.size());
  return compiled;
}

// Members were APPROVED when the version was made; a newer approved version of a rule supersedes
// one later, but the superseded content was four-eyes approved and stays publishable. Anything
// else (a corrupted or hand-edited store) refuses publication.
std::vector<std::string> unpublishableMembers(const std::vector<domain::RulesetMember>& members) {
  std::vector<std::string> out;
  for (const auto& m : members) {
    if (m.status != VersionStatus::kApproved && m.status != VersionStatus::kSuperseded) out.push_back(m.rule_version_id);
  }
  return out;
}

// Ruleset versions as a governed kind (service/approval_flow.h).
class RulesetVersionKind {
 public:
  using Version = RulesetVersion;
  static constexpr std::string_view kApprovalEntity = domain::approval_entity::kRulesetVersion;
  static constexpr std::string_view kAuditEntity = domain::audit_entity::kRulesetVersion;
  static constexpr std::string_view kIdMember = "ruleset_version_id";
  static const std::string& idOf(const RulesetVersion& v) { return v.ruleset_version_id; }

  explicit RulesetVersionKind(Publisher& publisher) : publisher_(publisher) {}

  Result<RulesetVersion> require(SqlSession& s, std::string_view id) { return requireVersion(s, id); }

  // What a checker approves is the compiled artifact: its SHA-256 is the content digest.
  Result<std::string> digest(SqlSession& s, const RulesetVersion& v) {
    FRAUDGOV_ASSIGN_OR_RETURN(const compiler::CompiledRuleset& compiled, compiled_for(s, v));
    return crypto::sha256Hex(compiled.bytes);
  }
  Status save(SqlSession& s, const RulesetVersion& v) { return RulesetStore::updateVersionState(s, v); }
  boost::json::object snapshot(const RulesetVersion& v) { return domain::auditSnapshot(v); }
  void noteDecision(const domain::Approval& a) { approval_ = a; }

  Status prepare(SqlSession& s, const domain::Actor& actor, RulesetVersion& v, Transition t,
                 boost::json::object& after) {
    if (t == Transition::kApprove) return publish(s, v, after);
    if (t == Transition::kActivate) return recordActivation(s, actor, v, after);
    return {};
  }
  Status settle(SqlSession&, const domain::Actor&, const RulesetVersion&, Transition) { return {}; }

  const std::optional<PendingPointer>& pendingPointer() const { return pointer_; }

 private:
  Result<std::reference_wrapper<const compiler::CompiledRuleset>> compiled_for(SqlSession& s,
                                                                               const RulesetVersion& v) {
    if (!compiled_ || compiled_->first != v.ruleset_version_id) {
      FRAUDGOV_ASSIGN_OR_RETURN(Ruleset ruleset, requireRuleset(s, v.ruleset_id));
      FRAUDGOV_ASSIGN_OR_RETURN(auto members, RulesetStore::describeRuleVersions(s, v.rule_version_ids));
      if (auto bad = unpublishableMembers(members); !bad.empty()) {
        boost::json::array ids;
        for (auto& id : bad) ids.emplace_back(id);
        return fail(Error::compilation("Cannot compile a ruleset with rule versions that were never approved",
                                       {{"ruleset_version_id", v.ruleset_version_id}, {"rule_version_ids", ids}}));
      }
      FRAUDGOV_ASSIGN_OR_RETURN(auto compiled, compileVersion(s, ruleset, v, publisher_));
      compiled_.emplace(v.ruleset_version_id, std::move(compiled));
    }
    return std::cref(compiled_->second);
  }

  Status publish(SqlSession& s, RulesetVersion& v, boost::json::object& after) {
    FRAUDGOV_ASSIGN_OR_RETURN(Ruleset ruleset, requireRuleset(s, v.ruleset_id));
    FRAUDGOV_ASSIGN_OR_RETURN(const compiler::CompiledRuleset& compiled, compiled_for(s, v));
    const ApprovalParties parties{{approval_->maker_issuer, approval_->maker, ""},
                                  {*v.approved_by_issuer, *v.approved_by, ""},
                                  *v.approved_at};
    FRAUDGOV_ASSIGN_OR_RETURN(auto published,
                              publisher_.publishVersion(s, ruleset, v, compiled, parties, *v.approved_at));
    after["manifest_id"] = published.manifest_id;
    after["artifact_uri"] = published.artifact_uri;
    after["manifest_uri"] = published.manifest_uri;
    after["checksum"] = published.checksum;
    after["publication"] = published.publication;
    return {};
  }

  Status recordActivation(SqlSession& s, const domain::Actor& actor, RulesetVersion& v, boost::json::object& after) {
    const Timestamp now = nowUtc();
    FRAUDGOV_ASSIGN_OR_RETURN(auto recorded, publisher_.recordActivation(s, v, rollback_, actor, now));
    v.activated_at = now;
    after["activation_sequence"] = recorded.first.sequence;
    after["pointer_uri"] = recorded.first.pointer_uri;
    after["rollback"] = rollback_;
    pointer_ = std::move(recorded.second);
    return {};
  }

 public:
  // Activating a superseded version returns to it: a rollback, marked in the signed record.
  void activatingFrom(VersionStatus s) { rollback_ = s == VersionStatus::kSuperseded; }

 private:
  Publisher& publisher_;
  std::optional<std::pair<std::string, compiler::CompiledRuleset>> compiled_;
  std::optional<domain::Approval> approval_;
  std::optional<PendingPointer> pointer_;
  bool rollback_ = false;
};

}  // namespace

Error rulesetNotFound(std::string_view ruleset_id) {
  return Error::notFound("Ruleset not found", {{"ruleset_id", ruleset_id}});
}

Error rulesetVersionNotFound(std::string_view ruleset_version_id) {
  return Error::notFound("Ruleset version not found", {{"ruleset_version_id", ruleset_version_id}});
}

Result<Ruleset> RulesetService::createRuleset(const domain::Actor& actor, const NewRuleset& input) {
  Ruleset r;
  r.environment = input.environment;
  r.region = input.region;
  r.country = input.country;
  r.rule_type = input.rule_type;
  r.name = input.name;
  r.description = input.description;
  if (auto issues = domain::checkRulesetIdentity(r); !issues.empty()) return fail(domain::validationError(issues));
  auto duplicate = [&](const Ruleset& existing) {
    return Error::alreadyExists("Ruleset already exists for this scope",
                                {{"environment", r.environment},
                                 {"region", r.region},
                                 {"country", r.country},
                                 {"rule_type", domain::ruleTypeName(r.rule_type)},
                                 {"existing_ruleset_id", existing.ruleset_id}});
  };
  return store::inWrite(db_, [&](SqlSession& s) -> Result<Ruleset> {
    FRAUDGOV_ASSIGN_OR_RETURN(auto existing, RulesetStore::findByIdentity(s, r));
    if (existing) return fail(duplicate(*existing));
    const Timestamp now = nowUtc();
    r.ruleset_id = uuid::v7();
    r.created_by = actor.subject;
    r.created_by_issuer = actor.issuer;
    r.created_at = now;
    r.updated_at = now;
    FRAUDGOV_RETURN_IF_ERROR(RulesetStore::insert(s, r));
    FRAUDGOV_RETURN_IF_ERROR(
        audit(s, actor, domain::audit_entity::kRuleset, r.ruleset_id, "CREATE", nullptr, domain::auditSnapshot(r)));
    return r;
  });
}

Result<Ruleset> RulesetService::getRuleset(std::string_view ruleset_id) {
  return store::inStatement(db_, [&](SqlSession& s) { return requireRuleset(s, ruleset_id); });
}

Result<Page<Ruleset>> RulesetService::listRulesets(const store::RulesetFilter& filter, const PageQuery& query) {
  const auto filters = givenFilters({{"rule_type", filter.rule_type}, {"environment", filter.environment}, {"region", filter.region}, {"country", filter.country}});
  return paging_.page<store::TimeIdKey>(
      "rulesets", filters, query,
      [&](const store::TimeIdBounds& bounds) {
        return store::inStatement(db_, [&](SqlSession& s) { return RulesetStore::list(s, filter, bounds); });
      },
      [](const Ruleset& r) { return store::TimeIdKey{r.created_at, r.ruleset_id}; });
}

Result<RulesetVersionView> RulesetService::view(SqlSession& s, RulesetVersion v) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto members, RulesetStore::describeRuleVersions(s, v.rule_version_ids));
  return RulesetVersionView{std::move(v), std::move(members)};
}

Result<RulesetVersionView> RulesetService::createVersion(const domain::Actor& actor, std::string_view ruleset_id,
                                                         const std::vector<std::string>& rule_version_ids) {
  return store::inWrite(db_, [&](SqlSession& s) -> Result<RulesetVersionView> {
    FRAUDGOV_ASSIGN_OR_RETURN(Ruleset ruleset, requireRuleset(s, ruleset_id));
    FRAUDGOV_ASSIGN_OR_RETURN(auto members, checkedMembers(s, ruleset.rule_type, rule_version_ids));
    // Under the store-wide write lock max+1 cannot collide; UNIQUE(ruleset_id, version) backs it up.
    FRAUDGOV_ASSIGN_OR_RETURN(int max_version, RulesetStore::maxVersion(s, ruleset.ruleset_id));
    RulesetVersion v;
    v.ruleset_version_id = uuid::v7();
    v.ruleset_id = ruleset.ruleset_id;
    v.version = max_version + 1;
    v.status = VersionStatus::kDraft;
    v.created_by = actor.subject;
    v.created_by_issuer = actor.issuer;
    v.created_at = nowUtc();
    v.rule_version_ids = rule_version_ids;
    FRAUDGOV_RETURN_IF_ERROR(RulesetStore::insertVersion(s, v));
    for (std::size_t i = 0; i < rule_version_ids.size(); ++i) {
      FRAUDGOV_RETURN_IF_ERROR(
          RulesetStore::addMember(s, v.ruleset_version_id, rule_version_ids[i], static_cast<int>(i), v.created_at));
    }
    boost::json::array ids;
    for (const auto& id : rule_version_ids) ids.emplace_back(id);
    FRAUDGOV_RETURN_IF_ERROR(audit(s, actor, domain::audit_entity::kRulesetVersion, v.ruleset_version_id, "CREATE",
                                   nullptr, domain::auditSnapshot(v)));
    FRAUDGOV_RETURN_IF_ERROR(audit(s, actor, domain::audit_entity::kRulesetVersion, v.ruleset_version_id,
                                   "ATTACH_RULES", boost::json::object{{"rule_version_ids", boost::json::array{}}},
                                   boost::json::object{{"rule_version_ids", std::move(ids)}}));
    return RulesetVersionView{std::move(v), std::move(members)};
  });
}

Result<RulesetVersionView> RulesetService::getVersion(std::string_view id) {
  return store::inRead(db_, [&](SqlSession& s) -> Result<RulesetVersionView> {
    FRAUDGOV_ASSIGN_OR_RETURN(RulesetVersion v, requireVersion(s, id));
    return view(s, std::move(v));
  });
}

Result<Page<RulesetVersionView>> RulesetService::listVersions(std::string_view ruleset_id,
                                                              const std::optional<std::string>& status,
                                                              const PageQuery& query) {
  boost::json::object filters{{"ruleset_id", ruleset_id}};
  if (status) filters["status"] = *status;
  return paging_.page<store::TimeIdKey>(
      "ruleset-versions", filters, query,
      [&](const store::TimeIdBounds& bounds) {
        return store::inRead(db_, [&](SqlSession& s) -> Result<std::vector<RulesetVersionView>> {
          FRAUDGOV_ASSIGN_OR_RETURN(auto versions, RulesetStore::listVersions(s, ruleset_id, status, bounds));
          std::vector<RulesetVersionView> out;
          for (auto& v : versions) {
            FRAUDGOV_ASSIGN_OR_RETURN(auto shown, view(s, std::move(v)));
            out.push_back(std::move(shown));
          }
          return out;
        });
      },
      [](const RulesetVersionView& v) { return store::TimeIdKey{v.version.created_at, v.version.ruleset_version_id}; });
}

Result<RulesetVersionView> RulesetService::submit(const domain::Actor& actor, std::string_view id,
                                                  const SubmitInput& input) {
  return store::inWrite(db_, [&](SqlSession& s) -> Result<RulesetVersionView> {
    RulesetVersionKind kind(publisher_);
    FRAUDGOV_ASSIGN_OR_RETURN(RulesetVersion v,
                              ApprovalFlow<RulesetVersionKind>(kind).submit(s, actor, id, input, nowUtc()));
    return view(s, std::move(v));
  });
}

Result<RulesetVersionView> RulesetService::approve(const domain::Actor& actor, std::string_view id,
                                                   const DecisionInput& input) {
  return decide(actor, id, input, true);
}

Result<RulesetVersionView> RulesetService::reject(const domain::Actor& actor, std::string_view id,
                                                  const DecisionInput& input) {
  return decide(actor, id, input, false);
}

Result<RulesetVersionView> RulesetService::decide(const domain::Actor& actor, std::string_view id,
                                                  const DecisionInput& input, bool approve) {
  return store::inWrite(db_, [&](SqlSession& s) -> Result<RulesetVersionView> {
    RulesetVersionKind kind(publisher_);
    FRAUDGOV_ASSIGN_OR_RETURN(RulesetVersion v,
                              ApprovalFlow<RulesetVersionKind>(kind).decide(s, actor, id, input, approve, nowUtc()));
    return view(s, std::move(v));
  });
}

Result<RulesetVersionView> RulesetService::activate(const domain::Actor& actor, std::string_view id) {
  return store::inWrite(db_, [&](SqlSession& s) -> Result<RulesetVersionView> {
    RulesetVersionKind kind(publisher_);
    ApprovalFlow<RulesetVersionKind> flow(kind);
    FRAUDGOV_ASSIGN_OR_RETURN(RulesetVersion v, requireVersion(s, id));
    FRAUDGOV_RETURN_IF_ERROR(domain::nextStatus(v, Transition::kActivate));
    const Timestamp now = nowUtc();
    FRAUDGOV_ASSIGN_OR_RETURN(auto active, RulesetStore::versionsWithStatus(s, v.ruleset_id, VersionStatus::kActive));
    for (auto& current : active) {
      FRAUDGOV_RETURN_IF_ERROR(flow.apply(s, actor, std::move(current), Transition::kSupersede, now));
    }
    kind.activatingFrom(v.status);
    FRAUDGOV_ASSIGN_OR_RETURN(v, flow.apply(s, actor, std::move(v), Transition::kActivate, now));
    // The pointer moves last, once every row of the activation is written (publisher.h).
    FRAUDGOV_RETURN_IF_ERROR(publisher_.writePointer(*kind.pendingPointer()));
    return view(s, std::move(v));
  });
}

Result<CompilePreview> RulesetService::compile(std::string_view id) {
  return store::inRead(db_, [&](SqlSession& s) -> Result<CompilePreview> {
    FRAUDGOV_ASSIGN_OR_RETURN(RulesetVersion v, requireVersion(s, id));
    FRAUDGOV_ASSIGN_OR_RETURN(Ruleset ruleset, requireRuleset(s, v.ruleset_id));
    FRAUDGOV_ASSIGN_OR_RETURN(auto members, RulesetStore::describeRuleVersions(s, v.rule_version_ids));
    if (members.empty()) {
      return fail(Error::compilation("Cannot compile ruleset version with no rules attached",
                                     {{"ruleset_version_id", v.ruleset_version_id}}));
    }
    FRAUDGOV_ASSIGN_OR_RETURN(auto compiled, compileVersion(s, ruleset, v, publisher_));
    CompilePreview out{v.ruleset_version_id, std::move(compiled), true, {}};
    for (const auto& bad : unpublishableMembers(members)) {
      out.can_publish = false;
      out.warnings.push_back("Rule version " + bad + " was never approved; the ruleset cannot be published");
    }
    return out;
  });
}

}  // namespace fraudgov::service
