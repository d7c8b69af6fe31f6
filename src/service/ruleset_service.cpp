#include "service/ruleset_service.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <set>

#include "common/crypto.h"
#include "common/uuid.h"
#include "service/field_catalog_loader.h"
#include "service/require_found.h"
#include "store/approval_store.h"
#include "store/audit_store.h"
#include "store/publication_store.h"

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

// What a ruleset version compiles from, loaded with SQL only. Two loads are compared for
// equality: that is how a write transaction knows a compile done before it, outside the write
// lock, still describes what it is about to record.
struct CompileInputs {
  compiler::RulesetSource source;
  compiler::FieldCatalog catalog;
  bool operator==(const CompileInputs&) const = default;
};

Result<CompileInputs> loadInputs(SqlSession& s, const Ruleset& ruleset, const RulesetVersion& v) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto sources, RulesetStore::memberSources(s, v.ruleset_version_id));
  FRAUDGOV_ASSIGN_OR_RETURN(auto catalog, loadCatalog(s));
  CompileInputs in{{ruleset.ruleset_id, v.version, ruleset.rule_type, {}}, std::move(catalog.fields)};
  for (auto& m : sources) {
    in.source.rules.push_back({std::move(m.rule_id), std::move(m.rule_version_id), m.priority, std::move(m.scope),
                               std::move(m.normalized_tree), m.action});
  }
  return in;
}

// loadInputs() for publication: every member must be publishable.
Result<CompileInputs> loadPublishableInputs(SqlSession& s, const RulesetVersion& v) {
  FRAUDGOV_ASSIGN_OR_RETURN(Ruleset ruleset, requireRuleset(s, v.ruleset_id));
  FRAUDGOV_ASSIGN_OR_RETURN(auto members, RulesetStore::describeRuleVersions(s, v.rule_version_ids));
  if (auto bad = unpublishableMembers(members); !bad.empty()) {
    boost::json::array ids;
    for (auto& id : bad) ids.emplace_back(id);
    return fail(Error::compilation("Cannot compile a ruleset with rule versions that were never approved",
                                   {{"ruleset_version_id", v.ruleset_version_id}, {"rule_version_ids", ids}}));
  }
  return loadInputs(s, ruleset, v);
}

// CPU-heavy (~235 ms for 10k rules): never called inside a transaction.
Result<compiler::CompiledRuleset> compileInputs(const CompileInputs& in, const Publisher& publisher) {
  const observability::Stopwatch watch;
  auto compiled = compiler::compileRuleset(in.source, in.catalog);
  publisher.recordCompile(watch.elapsed(), compiled, in.source.rules.size());
  return compiled;
}

// A ruleset version compiled before the write transaction that submits or approves it.
struct CompiledVersion {
  RulesetVersion version;  // as read before the compile
  Ruleset ruleset;
  CompileInputs inputs;
  compiler::CompiledRuleset artifact;
  std::string digest;  // SHA-256 hex of the artifact: the content digest a checker approves
};

// Reads the inputs in a read transaction, then compiles with no transaction open.
Result<CompiledVersion> compileOutsideLock(store::Database& db, const RulesetVersion& v, const Publisher& publisher) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto loaded, store::inRead(db, [&](SqlSession& s) -> Result<std::pair<Ruleset, CompileInputs>> {
                              FRAUDGOV_ASSIGN_OR_RETURN(Ruleset ruleset, requireRuleset(s, v.ruleset_id));
                              FRAUDGOV_ASSIGN_OR_RETURN(auto inputs, loadPublishableInputs(s, v));
                              return std::make_pair(std::move(ruleset), std::move(inputs));
                            }));
  FRAUDGOV_ASSIGN_OR_RETURN(auto artifact, compileInputs(loaded.second, publisher));
  std::string digest = crypto::sha256Hex(artifact.bytes);
  return CompiledVersion{v, std::move(loaded.first), std::move(loaded.second), std::move(artifact), std::move(digest)};
}

// Ruleset versions as a governed kind (service/approval_flow.h). The flow runs inside the write
// transaction, so this kind does no compile and no upload there: the service prepares both
// beforehand (use*) and the kind only re-checks, with SQL, that what was prepared still holds.
// When it does not, inputsChanged() tells the service to prepare again.
class RulesetVersionKind {
 public:
  using Version = RulesetVersion;
  static constexpr std::string_view kApprovalEntity = domain::approval_entity::kRulesetVersion;
  static constexpr std::string_view kAuditEntity = domain::audit_entity::kRulesetVersion;
  static constexpr std::string_view kIdMember = "ruleset_version_id";
  static const std::string& idOf(const RulesetVersion& v) { return v.ruleset_version_id; }

  explicit RulesetVersionKind(const Publisher& publisher) : publisher_(publisher) {}

  void useCompiled(const CompiledVersion* compiled) { compiled_ = compiled; }
  // plan: signed for the pending approval `approval_id`.
  void usePublication(const PublicationPlan* plan, std::string approval_id) {
    publication_ = plan;
    planned_approval_ = std::move(approval_id);
  }
  void useActivation(const ActivationPlan* plan, bool rollback) {
    activation_ = plan;
    rollback_ = rollback;
  }
  bool inputsChanged() const { return stale_; }

  Result<RulesetVersion> require(SqlSession& s, std::string_view id) { return requireVersion(s, id); }

  // What a checker approves is the compiled artifact: its SHA-256 is the content digest.
  Result<std::string> digest(SqlSession& s, const RulesetVersion& v) {
    if (!compiled_ || compiled_->version.ruleset_version_id != v.ruleset_version_id) {
      return fail(changed("no compile prepared for this version"));
    }
    FRAUDGOV_ASSIGN_OR_RETURN(auto inputs, loadPublishableInputs(s, v));
    if (inputs != compiled_->inputs) return fail(changed("compile inputs changed after the compile"));
    return compiled_->digest;
  }
  Status save(SqlSession& s, const RulesetVersion& v) { return RulesetStore::updateVersionState(s, v); }
  boost::json::object snapshot(const RulesetVersion& v) { return domain::auditSnapshot(v); }
  void noteDecision(const domain::Approval& a) { approval_id_ = a.approval_id; }

  Status prepare(SqlSession& s, const domain::Actor&, RulesetVersion& v, Transition t, boost::json::object& after) {
    if (t == Transition::kApprove) return recordPublication(s, after);
    if (t == Transition::kActivate) return recordActivation(s, v, after);
    return {};
  }
  Status settle(SqlSession&, const domain::Actor&, const RulesetVersion&, Transition) { return {}; }

 private:
  Error changed(std::string why) {
    stale_ = true;
    return Error::unavailable("The ruleset version changed while it was being published; retry", 1)
        .withInternalDetail(std::move(why));
  }

  Status recordPublication(SqlSession& s, boost::json::object& after) {
    // The manifest names the maker of the approval it was signed for.
    if (!publication_) return fail(changed("no publication prepared"));
    if (approval_id_ != planned_approval_) return fail(changed("the pending approval changed"));
    FRAUDGOV_RETURN_IF_ERROR(publisher_.recordPublication(s, *publication_));
    const domain::PublishedArtifact& published = publication_->row;
    after["manifest_id"] = published.manifest_id;
    after["artifact_uri"] = published.artifact_uri;
    after["manifest_uri"] = published.manifest_uri;
    after["checksum"] = published.checksum;
    after["publication"] = published.publication;
    return {};
  }

  Status recordActivation(SqlSession& s, RulesetVersion& v, boost::json::object& after) {
    if (!activation_) return fail(changed("no activation prepared"));
    FRAUDGOV_RETURN_IF_ERROR(publisher_.recordActivation(s, *activation_));
    v.activated_at = activation_->row.activated_at;
    after["activation_sequence"] = activation_->row.sequence;
    after["pointer_uri"] = activation_->row.pointer_uri;
    after["rollback"] = rollback_;
    return {};
  }

  const Publisher& publisher_;
  const CompiledVersion* compiled_ = nullptr;
  const PublicationPlan* publication_ = nullptr;
  const ActivationPlan* activation_ = nullptr;
  std::string planned_approval_;
  std::string approval_id_;
  bool rollback_ = false;
  bool stale_ = false;
};

// How often a submission or approval is prepared again when its inputs changed meanwhile.
constexpr int kPrepareAttempts = 3;

Error keptChanging(std::string_view id) {
  return Error::unavailable("The ruleset version's inputs kept changing while it was compiled; retry", 1)
      .withInternalDetail("gave up after " + std::to_string(kPrepareAttempts) + " attempts: " + std::string(id));
}

// Runs attempt(kind) until it succeeds, fails for a reason other than changed inputs, or the
// attempts are used up.
template <class Attempt>
Result<RulesetVersionView> withFreshInputs(const Publisher& publisher, std::string_view id, Attempt attempt) {
  for (int i = 0; i < kPrepareAttempts; ++i) {
    RulesetVersionKind kind(publisher);
    auto out = attempt(kind);
    if (out || !kind.inputsChanged()) return out;
  }
  return fail(keptChanging(id));
}

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

// Submission and approval compile before the store-wide write lock (issue 9 item 5): the inputs
// are read and compiled with no lock held, and the write transaction only checks with SQL that
// the inputs are still the ones compiled (RulesetVersionKind::digest); if not, it all runs again.
Result<RulesetVersionView> RulesetService::submit(const domain::Actor& actor, std::string_view id,
                                                  const SubmitInput& input) {
  FRAUDGOV_RETURN_IF_ERROR(domain::checkRemarks(input.remarks));
  const bool keyed = input.idempotency_key && !input.idempotency_key->empty();
  return withFreshInputs(publisher_, id, [&](RulesetVersionKind& kind) -> Result<RulesetVersionView> {
    FRAUDGOV_ASSIGN_OR_RETURN(RulesetVersion v,
                              store::inStatement(db_, [&](SqlSession& s) { return requireVersion(s, id); }));
    std::optional<CompiledVersion> compiled;
    if (auto next = domain::nextStatus(v, Transition::kSubmit); next) {
      FRAUDGOV_ASSIGN_OR_RETURN(compiled, compileOutsideLock(db_, v, publisher_));
      kind.useCompiled(&*compiled);
    } else if (!keyed) {
      return fail(next.error());  // refused without taking the lock; a keyed retry may be a replay
    }
    return store::inWrite(db_, [&](SqlSession& s) -> Result<RulesetVersionView> {
      FRAUDGOV_ASSIGN_OR_RETURN(RulesetVersion submitted,
                                ApprovalFlow<RulesetVersionKind>(kind).submit(s, actor, id, input, nowUtc()));
      return view(s, std::move(submitted));
    });
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
  auto decideLocked = [&](RulesetVersionKind& kind, Timestamp now) {
    return store::inWrite(db_, [&](SqlSession& s) -> Result<RulesetVersionView> {
      FRAUDGOV_ASSIGN_OR_RETURN(RulesetVersion v,
                                ApprovalFlow<RulesetVersionKind>(kind).decide(s, actor, id, input, approve, now));
      return view(s, std::move(v));
    });
  };
  if (!approve) {  // a rejection compiles and publishes nothing
    RulesetVersionKind kind(publisher_);
    return decideLocked(kind, nowUtc());
  }
  FRAUDGOV_RETURN_IF_ERROR(domain::checkRemarks(input.remarks));
  return withFreshInputs(publisher_, id, [&](RulesetVersionKind& kind) -> Result<RulesetVersionView> {
    // Refusals that need no compile, outside every lock; the flow repeats them authoritatively.
    FRAUDGOV_ASSIGN_OR_RETURN(auto pending, pendingDecision(actor, id));
    if (!pending) return decideLocked(kind, nowUtc());  // the flow words the refusal (404, or 409 when just decided)
    const domain::Approval& a = pending->first;
    auto compiled = compileOutsideLock(db_, pending->second, publisher_);
    if (!compiled && compiled.error().code != ErrorCode::kCompilationFailed) return fail(compiled.error());
    // What no longer compiles to the submitted digest is refused, as the flow would.
    FRAUDGOV_RETURN_IF_ERROR(
        domain::checkContentUnchanged(a, compiled ? compiled->digest : std::string(), "ruleset_version_id", id));
    if (!compiled) return fail(compiled.error());
    kind.useCompiled(&*compiled);

    // Uploads under the scope's publication lock, not the store-wide write lock (publisher.h).
    const Ruleset& ruleset = compiled->ruleset;
    FRAUDGOV_ASSIGN_OR_RETURN(auto scope, publisher_.lockScope(db_, publisher_.environment(), ruleset.region,
                                                               ruleset.country, domain::rulesetKey(ruleset.rule_type)));
    const Timestamp now = nowUtc();
    const ApprovalParties parties{{a.maker_issuer, a.maker, ""}, {actor.issuer, actor.subject, ""}, now};
    FRAUDGOV_ASSIGN_OR_RETURN(auto plan, store::inRead(db_, [&](SqlSession& s) -> Result<std::optional<PublicationPlan>> {
      // A racing checker who won committed before we got the scope lock: upload nothing.
      FRAUDGOV_ASSIGN_OR_RETURN(auto still, store::ApprovalStore::findPending(s, id));
      if (!still || still->approval_id != a.approval_id) return std::optional<PublicationPlan>();
      FRAUDGOV_ASSIGN_OR_RETURN(auto planned, publisher_.planPublication(s, ruleset, compiled->version,
                                                                         compiled->artifact, parties, now));
      return std::optional<PublicationPlan>(std::move(planned));
    }));
    if (!plan) return decideLocked(kind, now);  // the flow answers (409: decided a moment ago)
    // Without the bytes in the object store there is no approval: nothing is committed (issue 8).
    FRAUDGOV_RETURN_IF_ERROR(publisher_.upload(*plan, compiled->artifact.bytes));
    kind.usePublication(&*plan, a.approval_id);
    return decideLocked(kind, now);
  });
}

Result<std::optional<std::pair<domain::Approval, RulesetVersion>>> RulesetService::pendingDecision(
    const domain::Actor& actor, std::string_view id) {
  using Pending = std::optional<std::pair<domain::Approval, RulesetVersion>>;
  return store::inRead(db_, [&](SqlSession& s) -> Result<Pending> {
    FRAUDGOV_ASSIGN_OR_RETURN(auto a, store::ApprovalStore::findPending(s, id));
    if (!a) return Pending();
    FRAUDGOV_RETURN_IF_ERROR(domain::checkSeparationOfDuties(*a, actor, "approve"));
    FRAUDGOV_ASSIGN_OR_RETURN(RulesetVersion v, requireVersion(s, id));
    FRAUDGOV_RETURN_IF_ERROR(domain::nextStatus(v, Transition::kApprove));
    return Pending(std::make_pair(std::move(*a), std::move(v)));
  });
}

// The runtime pointer moves under the scope's publication lock, before the short write
// transaction; if that transaction fails the pointer is put back (publisher.h).
Result<RulesetVersionView> RulesetService::activate(const domain::Actor& actor, std::string_view id) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto manifest, store::inRead(db_, [&](SqlSession& s) -> Result<domain::PublishedArtifact> {
                              FRAUDGOV_ASSIGN_OR_RETURN(RulesetVersion v, requireVersion(s, id));
                              FRAUDGOV_RETURN_IF_ERROR(domain::nextStatus(v, Transition::kActivate));
                              FRAUDGOV_ASSIGN_OR_RETURN(auto published, store::PublicationStore::findManifest(s, id));
                              if (!published) {
                                return fail(Error::conflict("Ruleset version has no published artifact",
                                                            {{"ruleset_version_id", id}}));
                              }
                              return std::move(published->first);
                            }));
  FRAUDGOV_ASSIGN_OR_RETURN(auto scope, publisher_.lockScope(db_, manifest.environment, manifest.region,
                                                             manifest.country, manifest.ruleset_key));
  const Timestamp now = nowUtc();
  FRAUDGOV_ASSIGN_OR_RETURN(auto plan, store::inRead(db_, [&](SqlSession& s) -> Result<ActivationPlan> {
                              FRAUDGOV_ASSIGN_OR_RETURN(RulesetVersion v, requireVersion(s, id));
                              FRAUDGOV_RETURN_IF_ERROR(domain::nextStatus(v, Transition::kActivate));
                              return publisher_.planActivation(s, v, rollingBack(v), actor, now);
                            }));
  FRAUDGOV_RETURN_IF_ERROR(publisher_.writePointer(plan.pointer));
  auto activated = store::inWrite(db_, [&](SqlSession& s) -> Result<RulesetVersionView> {
    RulesetVersionKind kind(publisher_);
    ApprovalFlow<RulesetVersionKind> flow(kind);
    FRAUDGOV_ASSIGN_OR_RETURN(RulesetVersion v, requireVersion(s, id));
    FRAUDGOV_RETURN_IF_ERROR(domain::nextStatus(v, Transition::kActivate));
    kind.useActivation(&plan, rollingBack(v));
    FRAUDGOV_ASSIGN_OR_RETURN(auto active, RulesetStore::versionsWithStatus(s, v.ruleset_id, VersionStatus::kActive));
    for (auto& current : active) {
      FRAUDGOV_RETURN_IF_ERROR(flow.apply(s, actor, std::move(current), Transition::kSupersede, now));
    }
    FRAUDGOV_ASSIGN_OR_RETURN(v, flow.apply(s, actor, std::move(v), Transition::kActivate, now));
    return view(s, std::move(v));
  });
  if (!activated) putPointerBack(plan, activated.error());
  return activated;
}

// Activating a superseded version returns to it: a rollback, marked in the signed record. Under
// the scope lock the status cannot move between the plan and the transaction.
bool RulesetService::rollingBack(const RulesetVersion& v) { return v.status == VersionStatus::kSuperseded; }

void RulesetService::putPointerBack(const ActivationPlan& plan, const Error& cause) {
  auto restored = publisher_.restorePointer(plan);
  if (restored) {
    spdlog::warn("activation {} failed ({}); runtime pointer {} restored to the last committed activation",
                 plan.row.ruleset_version_id, cause.message, plan.row.pointer_uri);
    return;
  }
  // The remaining window (publisher.h): the pointer names a version the database does not record
  // as active until the next activation of this scope.
  spdlog::error("activation {} failed ({}) and runtime pointer {} could not be restored: {}",
                plan.row.ruleset_version_id, cause.message, plan.row.pointer_uri, restored.error().message);
}

Result<CompilePreview> RulesetService::compile(std::string_view id) {
  struct Loaded {
    RulesetVersion version;
    std::vector<domain::RulesetMember> members;
    CompileInputs inputs;
  };
  FRAUDGOV_ASSIGN_OR_RETURN(auto loaded, store::inRead(db_, [&](SqlSession& s) -> Result<Loaded> {
    FRAUDGOV_ASSIGN_OR_RETURN(RulesetVersion v, requireVersion(s, id));
    FRAUDGOV_ASSIGN_OR_RETURN(Ruleset ruleset, requireRuleset(s, v.ruleset_id));
    FRAUDGOV_ASSIGN_OR_RETURN(auto members, RulesetStore::describeRuleVersions(s, v.rule_version_ids));
    if (members.empty()) {
      return fail(Error::compilation("Cannot compile ruleset version with no rules attached",
                                     {{"ruleset_version_id", v.ruleset_version_id}}));
    }
    FRAUDGOV_ASSIGN_OR_RETURN(auto inputs, loadInputs(s, ruleset, v));
    return Loaded{std::move(v), std::move(members), std::move(inputs)};
  }));
  FRAUDGOV_ASSIGN_OR_RETURN(auto compiled, compileInputs(loaded.inputs, publisher_));  // no transaction open
  CompilePreview out{loaded.version.ruleset_version_id, std::move(compiled), true, {}};
  for (const auto& bad : unpublishableMembers(loaded.members)) {
    out.can_publish = false;
    out.warnings.push_back("Rule version " + bad + " was never approved; the ruleset cannot be published");
  }
  return out;
}

}  // namespace fraudgov::service
