#pragma once
// The one maker-checker lifecycle every governed kind follows (SPEC §3 invariants 1–3, 5):
//
//   DRAFT | REJECTED --submit--> PENDING_APPROVAL --approve--> APPROVED --activate--> ACTIVE
//                                        \--reject--> REJECTED
//   APPROVED | ACTIVE --supersede--> SUPERSEDED
//   SUPERSEDED --activate--> ACTIVE   only for a version that was approved once (rollback)
//
// Pure: states, allowed transitions, the separation-of-duties and content-digest checks, the
// approval record a submission opens and the audit events each transition emits. The service
// (service/approval_flow.h) loads and stores; nothing here touches storage or HTTP.

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/time.h"
#include "domain/audit.h"
#include "domain/governed_version.h"
#include "domain/rule.h"

namespace fraudgov::domain {

enum class Transition { kSubmit, kApprove, kReject, kActivate, kSupersede };

// The audit action of a transition: SUBMIT, APPROVE, REJECT, ACTIVATE, SUPERSEDE.
std::string_view transitionName(Transition t);

// The status `v` moves to, or a kFailedPrecondition error in the predecessor's wording.
Result<VersionStatus> nextStatus(const GovernedVersion& v, Transition t);
// Applies nextStatus() to v; on approval also records the checker and the time.
Status applyTransition(GovernedVersion& v, Transition t, const Actor& actor, Timestamp now);

// A submission's approval record (PENDING): the submitter is the maker, the version's creator
// the author; both are excluded as checkers.
struct SubmissionInput {
  std::string approval_id;
  std::string entity_type;  // approval_entity::k*
  std::string entity_id;
  std::string content_digest;
  std::optional<std::string> remarks;
  std::optional<std::string> idempotency_key;
};
Approval openApproval(const SubmissionInput& input, const GovernedVersion& v, const Actor& maker, Timestamp now);
// Records the checker's decision on a pending approval.
void decideApproval(Approval& a, bool approved, const Actor& checker, const std::optional<std::string>& remarks,
                    Timestamp now);

// Separation of duties (SPEC §3 invariant 1): the checker differs from the submitter and from
// the author, compared on (issuer, subject). No role is exempt. verb: "approve" or "reject".
Status checkSeparationOfDuties(const Approval& a, const Actor& checker, std::string_view verb);
// Approval binds content (invariant 3): what is approved is exactly what was submitted.
Status checkContentUnchanged(const Approval& a, std::string_view current_digest, std::string_view id_member,
                             std::string_view id);

// Remarks on a submission or decision: at most 2000 characters, no NUL.
Status checkRemarks(const std::optional<std::string>& remarks);

// The audit row of a transition; `after` gets the approval id when there is one.
AuditEvent transitionEvent(std::string_view entity_type, std::string_view entity_id, Transition t,
                           boost::json::object before, boost::json::object after);

}  // namespace fraudgov::domain
