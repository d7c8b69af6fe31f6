#include "domain/approval_workflow.h"

#include "common/text.h"

namespace fraudgov::domain {

namespace {

Error refused(std::string message, VersionStatus from) {
  return Error::conflict(std::move(message), {{"status", versionStatusName(from)}});
}

}  // namespace

Result<VersionStatus> nextStatus(const GovernedVersion& v, Transition t) {
  const VersionStatus from = v.status;
  switch (t) {
    case Transition::kSubmit:
      if (from == VersionStatus::kDraft || from == VersionStatus::kRejected) return VersionStatus::kPendingApproval;
      return fail(refused("Only DRAFT or REJECTED versions can be submitted", from));
    case Transition::kApprove:
    case Transition::kReject:
      if (from == VersionStatus::kPendingApproval) {
        return t == Transition::kApprove ? VersionStatus::kApproved : VersionStatus::kRejected;
      }
      return fail(refused("Version is not pending approval", from));
    case Transition::kActivate:
      // Rollback: a superseded version may become active again only if a checker approved it once.
      if (from == VersionStatus::kApproved || (from == VersionStatus::kSuperseded && v.approved_at)) {
        return VersionStatus::kActive;
      }
      return fail(refused("Only APPROVED versions can be activated (current: " +
                              std::string(versionStatusName(from)) + ")",
                          from));
    case Transition::kSupersede:
      if (from == VersionStatus::kApproved || from == VersionStatus::kActive) return VersionStatus::kSuperseded;
      return fail(refused("Only APPROVED or ACTIVE versions can be superseded", from));
  }
  return fail(Error::internal("unknown transition"));
}

Status applyTransition(GovernedVersion& v, Transition t, const Actor& actor, Timestamp now) {
  FRAUDGOV_ASSIGN_OR_RETURN(v.status, nextStatus(v, t));
  if (t == Transition::kApprove) {
    v.approved_by = actor.subject;
    v.approved_by_issuer = actor.issuer;
    v.approved_at = now;
  }
  return {};
}

Approval openApproval(const SubmissionInput& input, const GovernedVersion& v, const Actor& maker, Timestamp now) {
  Approval a;
  a.approval_id = input.approval_id;
  a.entity_type = input.entity_type;
  a.entity_id = input.entity_id;
  a.maker = maker.subject;
  a.maker_issuer = maker.issuer;
  a.author = v.created_by;
  a.author_issuer = v.created_by_issuer;
  a.content_digest = input.content_digest;
  a.remarks = input.remarks;
  a.idempotency_key = input.idempotency_key;
  a.created_at = now;
  return a;
}

void decideApproval(Approval& a, bool approved, const Actor& checker, const std::optional<std::string>& remarks,
                    Timestamp now) {
  a.status = approved ? ApprovalStatus::kApproved : ApprovalStatus::kRejected;
  a.checker = checker.subject;
  a.checker_issuer = checker.issuer;
  a.decided_at = now;
  if (remarks && !remarks->empty()) a.remarks = remarks;
}

Status checkSeparationOfDuties(const Approval& a, const Actor& checker, std::string_view verb) {
  const bool is_maker = checker.subject == a.maker && checker.issuer == a.maker_issuer;
  const bool is_author = checker.subject == a.author && checker.issuer == a.author_issuer;
  if (is_maker) {
    return fail(Error::separationOfDuties("Maker cannot " + std::string(verb) + " their own submission",
                                          {{"reason", "checker_is_submitter"}}));
  }
  if (is_author) {
    return fail(Error::separationOfDuties("Author cannot " + std::string(verb) + " their own version",
                                          {{"reason", "checker_is_author"}}));
  }
  return {};
}

Status checkContentUnchanged(const Approval& a, std::string_view current_digest, std::string_view id_member,
                             std::string_view id) {
  if (current_digest == a.content_digest) return {};
  return fail(Error::conflict("Content under review changed since submission; submit it again",
                              {{id_member, id}, {"content_changed", true}}));
}

Status checkRemarks(const std::optional<std::string>& remarks) {
  if (!remarks || (text::codePointCount(*remarks) <= 2000 && !text::containsNul(*remarks))) return {};
  return fail(validationError("remarks", "remarks must be 0 to 2000 characters without NUL"));
}

AuditEvent transitionEvent(std::string_view entity_type, std::string_view entity_id, Transition t,
                           boost::json::object before, boost::json::object after) {
  return {std::string(entity_type), std::string(entity_id), std::string(transitionName(t)), std::move(before),
          std::move(after)};
}

}  // namespace fraudgov::domain
