#pragma once
// The maker-checker workflow (domain/approval_workflow.h) applied to storage, once for every
// governed kind. Each function runs inside the caller's write transaction, so the transition,
// its approval record, its side effects and its audit row commit together or not at all.
//
// A Kind adapts one governed entity:
//   using Version = ...;                                   // derives from domain::GovernedVersion
//   static constexpr std::string_view kApprovalEntity;     // approval_entity::k*
//   static constexpr std::string_view kAuditEntity;        // audit_entity::k*
//   static constexpr std::string_view kIdMember;           // e.g. "rule_version_id"
//   static const std::string& idOf(const Version&);
//   Result<Version> require(SqlSession&, std::string_view id);          // not found -> 404
//   Result<std::string> digest(SqlSession&, const Version&);            // the content under review
//   Status save(SqlSession&, const Version&);                           // status and approval columns
//   boost::json::object snapshot(const Version&);                       // audit before/after
//   // Side effects of a transition, after the status moved and before it is saved (supersede the
//   // previous version, record a publication); may add members to the audit row's `after`.
//   // Like digest(), it runs under the store-wide write lock: SQL only. Compiles and uploads are
//   // done by the caller before the transaction and only re-checked here (ruleset_service.cpp).
//   Status prepare(SqlSession&, const domain::Actor&, Version&, domain::Transition, boost::json::object& after);
//   // After the version is saved (e.g. re-derive the parent's status).
//   Status settle(SqlSession&, const domain::Actor&, const Version&, domain::Transition);
//   // Optional: the decided approval, before the decision's side effects run.
//   void noteDecision(const domain::Approval&);

#include <optional>
#include <string>

#include "common/uuid.h"
#include "domain/approval_workflow.h"
#include "store/approval_store.h"
#include "store/audit_store.h"
#include "store/sql.h"

namespace fraudgov::service {

struct SubmitInput {
  std::optional<std::string> idempotency_key;
  std::optional<std::string> remarks;
};

struct DecisionInput {
  std::optional<std::string> remarks;
};

template <class Kind>
class ApprovalFlow {
 public:
  using Version = typename Kind::Version;
  explicit ApprovalFlow(Kind& kind) : kind_(kind) {}

  Result<Version> submit(store::SqlSession& s, const domain::Actor& actor, std::string_view id,
                         const SubmitInput& input, Timestamp now) {
    FRAUDGOV_RETURN_IF_ERROR(domain::checkRemarks(input.remarks));
    FRAUDGOV_ASSIGN_OR_RETURN(Version v, kind_.require(s, id));
    const bool keyed = input.idempotency_key && !input.idempotency_key->empty();
    if (keyed) {
      FRAUDGOV_ASSIGN_OR_RETURN(auto replay, store::ApprovalStore::findByIdempotencyKey(
                                                 s, Kind::kApprovalEntity, Kind::idOf(v), *input.idempotency_key));
      if (replay) return v;  // the same submission again: report the current state, change nothing
    }
    FRAUDGOV_RETURN_IF_ERROR(domain::nextStatus(v, domain::Transition::kSubmit));
    FRAUDGOV_ASSIGN_OR_RETURN(std::string digest, kind_.digest(s, v));
    const auto before = kind_.snapshot(v);
    const domain::Approval a = domain::openApproval(
        {uuid::v7(), std::string(Kind::kApprovalEntity), Kind::idOf(v), digest, input.remarks,
         keyed ? input.idempotency_key : std::nullopt},
        v, actor, now);
    FRAUDGOV_RETURN_IF_ERROR(store::ApprovalStore::insert(s, a));
    boost::json::object after;
    FRAUDGOV_RETURN_IF_ERROR(move(s, actor, v, domain::Transition::kSubmit, now, after));
    after["approval_id"] = a.approval_id;
    after["content_digest"] = digest;
    FRAUDGOV_RETURN_IF_ERROR(audit(s, actor, v, domain::Transition::kSubmit, before, std::move(after)));
    return v;
  }

  Result<Version> decide(store::SqlSession& s, const domain::Actor& actor, std::string_view id,
                         const DecisionInput& input, bool approve, Timestamp now) {
    FRAUDGOV_RETURN_IF_ERROR(domain::checkRemarks(input.remarks));
    const std::string_view verb = approve ? "approve" : "reject";
    FRAUDGOV_ASSIGN_OR_RETURN(domain::Approval a, pendingApprovalFor(s, id));
    FRAUDGOV_RETURN_IF_ERROR(domain::checkSeparationOfDuties(a, actor, verb));
    FRAUDGOV_ASSIGN_OR_RETURN(Version v, kind_.require(s, id));
    const auto t = approve ? domain::Transition::kApprove : domain::Transition::kReject;
    FRAUDGOV_RETURN_IF_ERROR(domain::nextStatus(v, t));
    if (approve) {
      auto digest = kind_.digest(s, v);
      FRAUDGOV_RETURN_IF_ERROR(
          domain::checkContentUnchanged(a, digest ? *digest : std::string(), Kind::kIdMember, Kind::idOf(v)));
    }
    const auto before = kind_.snapshot(v);
    domain::decideApproval(a, approve, actor, input.remarks, now);
    auto decided = store::ApprovalStore::decide(s, a);
    if (!decided) {
      // The database refuses a checker equal to maker or author even if a bug slipped past us.
      if (store::isConstraintViolation(decided.error())) {
        return fail(Error::separationOfDuties("Maker cannot " + std::string(verb) + " their own submission"));
      }
      return fail(decided.error());
    }
    if (!*decided) return fail(Error::conflict("Submission was already decided", {{Kind::kIdMember, id}}));
    // Kinds whose side effects name the parties (a signed manifest) see the decided approval.
    if constexpr (requires { kind_.noteDecision(a); }) kind_.noteDecision(a);
    boost::json::object after;
    FRAUDGOV_RETURN_IF_ERROR(move(s, actor, v, t, now, after));
    after["approval_id"] = a.approval_id;
    FRAUDGOV_RETURN_IF_ERROR(audit(s, actor, v, t, before, std::move(after)));
    return v;
  }

  // A transition without a four-eyes decision of its own (activation, supersession): the
  // approval it relies on happened before.
  Result<Version> apply(store::SqlSession& s, const domain::Actor& actor, Version v, domain::Transition t,
                        Timestamp now) {
    const auto before = kind_.snapshot(v);
    boost::json::object after;
    FRAUDGOV_RETURN_IF_ERROR(move(s, actor, v, t, now, after));
    FRAUDGOV_RETURN_IF_ERROR(audit(s, actor, v, t, before, std::move(after)));
    return v;
  }

 private:
  Status move(store::SqlSession& s, const domain::Actor& actor, Version& v, domain::Transition t, Timestamp now,
              boost::json::object& after) {
    FRAUDGOV_RETURN_IF_ERROR(domain::applyTransition(v, t, actor, now));
    FRAUDGOV_RETURN_IF_ERROR(kind_.prepare(s, actor, v, t, after));
    FRAUDGOV_RETURN_IF_ERROR(kind_.save(s, v));
    return kind_.settle(s, actor, v, t);
  }

  Status audit(store::SqlSession& s, const domain::Actor& actor, const Version& v, domain::Transition t,
               boost::json::object before, boost::json::object extra) {
    auto after = kind_.snapshot(v);
    for (auto& kv : extra) after[kv.key()] = std::move(kv.value());
    FRAUDGOV_RETURN_IF_ERROR(store::AuditStore::append(
        s, actor, domain::transitionEvent(Kind::kAuditEntity, Kind::idOf(v), t, std::move(before), std::move(after))));
    return {};
  }

  // What a decision found when there was nothing pending to decide.
  Result<domain::Approval> pendingApprovalFor(store::SqlSession& s, std::string_view id) {
    FRAUDGOV_ASSIGN_OR_RETURN(auto pending, store::ApprovalStore::findPending(s, id));
    if (pending) return std::move(*pending);
    FRAUDGOV_ASSIGN_OR_RETURN(Version v, kind_.require(s, id));
    if (v.status != domain::VersionStatus::kDraft && v.status != domain::VersionStatus::kPendingApproval) {
      // Typically a second checker racing the first: the submission was decided a moment ago.
      return fail(Error::conflict("Submission was already decided",
                                  {{"status", domain::versionStatusName(v.status)}, {Kind::kIdMember, id}}));
    }
    return fail(Error::notFound("Pending approval not found", {{Kind::kIdMember, id}}));
  }

  Kind& kind_;
};

}  // namespace fraudgov::service
