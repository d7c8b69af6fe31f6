#include "domain/approval_workflow.h"

#include <gtest/gtest.h>

#include "domain/ruleset.h"

namespace fraudgov::domain {

namespace {

const Actor kAlice{"https://idp-a/", "alice", ""};
const Actor kBob{"https://idp-a/", "bob", ""};
const Actor kCarol{"https://idp-a/", "carol", ""};

Approval pending() {
  Approval a;
  a.maker = "alice";
  a.maker_issuer = "https://idp-a/";
  a.author = "bob";
  a.author_issuer = "https://idp-a/";
  a.content_digest = "d1";
  return a;
}

GovernedVersion at(VersionStatus s, bool once_approved = false) {
  GovernedVersion v;
  v.status = s;
  if (once_approved) v.approved_at = Timestamp{1};
  return v;
}

}  // namespace

TEST(SeparationOfDuties, ComparesIssuerAndSubject) {
  const Approval a = pending();
  EXPECT_EQ(checkSeparationOfDuties(a, kAlice, "approve").error().code, ErrorCode::kSeparationOfDuties);
  EXPECT_EQ(checkSeparationOfDuties(a, kBob, "approve").error().code, ErrorCode::kSeparationOfDuties);
  EXPECT_TRUE(checkSeparationOfDuties(a, {"https://idp-b/", "alice", ""}, "approve"));
  EXPECT_TRUE(checkSeparationOfDuties(a, kCarol, "approve"));
  EXPECT_TRUE(checkSeparationOfDuties(a, {"https://idp-a/", "Alice", ""}, "approve")) << "subjects are exact";
  EXPECT_EQ(checkSeparationOfDuties(a, kAlice, "reject").error().message, "Maker cannot reject their own submission");
}

TEST(Lifecycle, EveryAllowedTransition) {
  struct Case {
    GovernedVersion from;
    Transition t;
    VersionStatus to;
  };
  const Case allowed[] = {
      {at(VersionStatus::kDraft), Transition::kSubmit, VersionStatus::kPendingApproval},
      {at(VersionStatus::kRejected), Transition::kSubmit, VersionStatus::kPendingApproval},
      {at(VersionStatus::kPendingApproval), Transition::kApprove, VersionStatus::kApproved},
      {at(VersionStatus::kPendingApproval), Transition::kReject, VersionStatus::kRejected},
      {at(VersionStatus::kApproved, true), Transition::kActivate, VersionStatus::kActive},
      {at(VersionStatus::kSuperseded, true), Transition::kActivate, VersionStatus::kActive},  // rollback
      {at(VersionStatus::kApproved, true), Transition::kSupersede, VersionStatus::kSuperseded},
      {at(VersionStatus::kActive, true), Transition::kSupersede, VersionStatus::kSuperseded},
  };
  for (const auto& c : allowed) {
    auto next = nextStatus(c.from, c.t);
    ASSERT_TRUE(next) << transitionName(c.t) << " from " << versionStatusName(c.from.status);
    EXPECT_EQ(*next, c.to);
  }
}

TEST(Lifecycle, EveryOtherTransitionIsAConflict) {
  const VersionStatus all[] = {VersionStatus::kDraft,    VersionStatus::kPendingApproval, VersionStatus::kApproved,
                               VersionStatus::kRejected, VersionStatus::kSuperseded,      VersionStatus::kActive};
  const Transition transitions[] = {Transition::kSubmit, Transition::kApprove, Transition::kReject,
                                    Transition::kActivate, Transition::kSupersede};
  int refused = 0;
  for (auto s : all) {
    for (auto t : transitions) {
      auto next = nextStatus(at(s), t);  // never approved: a superseded draft cannot be rolled back to
      if (!next) {
        EXPECT_EQ(next.error().code, ErrorCode::kFailedPrecondition);
        EXPECT_EQ(next.error().details.at("status").as_string(), versionStatusName(s));
        ++refused;
      }
    }
  }
  EXPECT_EQ(refused, 30 - 7);  // 7 allowed transitions from states that were never approved
  EXPECT_FALSE(nextStatus(at(VersionStatus::kSuperseded), Transition::kActivate)) << "never approved: no rollback";
}

TEST(Lifecycle, ApprovalRecordsTheChecker) {
  GovernedVersion v = at(VersionStatus::kPendingApproval);
  ASSERT_TRUE(applyTransition(v, Transition::kApprove, kCarol, Timestamp{42}));
  EXPECT_EQ(v.status, VersionStatus::kApproved);
  EXPECT_EQ(v.approved_by, "carol");
  EXPECT_EQ(v.approved_by_issuer, "https://idp-a/");
  EXPECT_EQ(v.approved_at, Timestamp{42});
}

TEST(Approvals, OpenAndDecide) {
  GovernedVersion v = at(VersionStatus::kDraft);
  v.created_by = "bob";
  v.created_by_issuer = "https://idp-a/";
  Approval a = openApproval({"a1", "RULESET_VERSION", "v1", "digest", std::string("please"), std::nullopt}, v,
                            kAlice, Timestamp{7});
  EXPECT_EQ(a.status, ApprovalStatus::kPending);
  EXPECT_EQ(a.maker, "alice");
  EXPECT_EQ(a.author, "bob");
  EXPECT_EQ(a.content_digest, "digest");
  decideApproval(a, false, kCarol, std::string("no"), Timestamp{8});
  EXPECT_EQ(a.status, ApprovalStatus::kRejected);
  EXPECT_EQ(a.checker, "carol");
  EXPECT_EQ(a.remarks, "no");
  EXPECT_EQ(a.decided_at, Timestamp{8});
}

TEST(Approvals, ContentDigestMustMatch) {
  const Approval a = pending();
  EXPECT_TRUE(checkContentUnchanged(a, "d1", "rule_version_id", "x"));
  auto changed = checkContentUnchanged(a, "d2", "rule_version_id", "x");
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(changed.error().details.at("content_changed").as_bool());
}

TEST(Audit, TransitionEventsCarryTheirAction) {
  auto e = transitionEvent("RULESET_VERSION", "id", Transition::kActivate, {{"status", "APPROVED"}},
                           {{"status", "ACTIVE"}});
  EXPECT_EQ(e.action, "ACTIVATE");
  EXPECT_EQ(e.entity_type, "RULESET_VERSION");
  EXPECT_EQ(e.old_value.at("status").as_string(), "APPROVED");
}

TEST(Rulesets, MembershipNamesEveryOffender) {
  RulesetMember ok{"rv1", "r1", 1, "a", RuleType::kAuth, 100, {}, VersionStatus::kApproved};
  RulesetMember draft{"rv2", "r2", 1, "b", RuleType::kAuth, 100, {}, VersionStatus::kDraft};
  RulesetMember other_type{"rv3", "r3", 1, "c", RuleType::kMonitoring, 100, {}, VersionStatus::kApproved};
  RulesetMember same_rule{"rv4", "r1", 2, "a", RuleType::kAuth, 100, {}, VersionStatus::kApproved};
  EXPECT_TRUE(checkMembership(RuleType::kAuth, {ok}).empty());
  const auto issues = checkMembership(RuleType::kAuth, {ok, draft, other_type, same_rule});
  ASSERT_EQ(issues.size(), 3u);
  EXPECT_NE(issues[0].message.find("rv2"), std::string::npos);
  EXPECT_NE(issues[1].message.find("rv3"), std::string::npos);
  EXPECT_NE(issues[2].message.find("rv4"), std::string::npos);
  EXPECT_EQ(issues[2].path, "rule_version_ids[3]");
}

TEST(Rulesets, IdentitySegmentsAreSafePathSegments) {
  Ruleset r;
  r.environment = "prod";
  r.region = "APAC";
  r.country = "IN";
  EXPECT_TRUE(checkRulesetIdentity(r).empty());
  for (const char* bad : {"", "..", "a/b", "x y", "ü"}) {
    r.region = bad;
    EXPECT_EQ(checkRulesetIdentity(r).size(), 1u) << bad;
  }
  EXPECT_EQ(rulesetKey(RuleType::kAuth), "CARD_AUTH");
  EXPECT_EQ(rulesetKey(RuleType::kMonitoring), "CARD_MONITORING");
}

}  // namespace fraudgov::domain
