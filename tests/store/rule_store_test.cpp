// The database's own guarantees, independent of the service: separation of duties as CHECK
// constraints, immutable versions, approvals decided once.
#include "store/approval_store.h"
#include "store/rule_store.h"

#include <gtest/gtest.h>

#include "common/uuid.h"
#include "support/test_database.h"

namespace fraudgov {

namespace {

using domain::Approval;
using domain::ApprovalStatus;

struct Fixture {
  std::unique_ptr<store::Database> db = testing::openFreshDatabase();
  domain::Rule rule;
  domain::RuleVersion version;

  Fixture() {
    const Timestamp now = nowUtc();
    rule = {uuid::v7(),     "r", std::nullopt, domain::RuleType::kAuth, domain::VersionStatus::kDraft, 1, 1, "maker",
            "https://idp/", now, now};
    version.rule_version_id = uuid::v7();
    version.rule_id = rule.rule_id;
    version.condition_tree = {{"field", "amount"}, {"op", "GT"}, {"value", 1}};
    version.normalized_tree = version.condition_tree;
    version.priority = 100;
    version.action = domain::RuleAction::kDecline;
    version.created_by = "author";
    version.created_by_issuer = "https://idp/";
    version.created_at = now;
    EXPECT_TRUE(db->write([&](store::SqlSession& s) -> Status {
      FRAUDGOV_RETURN_IF_ERROR(store::RuleStore::insertRule(s, rule));
      return store::RuleStore::insertVersion(s, version);
    }));
  }

  Approval pending() const {
    Approval a;
    a.approval_id = uuid::v7();
    a.entity_type = "RULE_VERSION";
    a.entity_id = version.rule_version_id;
    a.maker = "maker";
    a.maker_issuer = "https://idp/";
    a.author = "author";
    a.author_issuer = "https://idp/";
    a.content_digest = std::string(64, 'a');
    a.created_at = nowUtc();
    return a;
  }

  Status write(const std::function<Status(store::SqlSession&)>& fn) { return db->write(fn); }
};

Status decideAs(Fixture& f, Approval a, const std::string& checker, const std::string& issuer) {
  a.status = ApprovalStatus::kApproved;
  a.checker = checker;
  a.checker_issuer = issuer;
  a.decided_at = nowUtc();
  return f.write([&](store::SqlSession& s) -> Status {
    FRAUDGOV_ASSIGN_OR_RETURN(bool decided, store::ApprovalStore::decide(s, a));
    if (!decided) return fail(Error::conflict("not pending"));
    return {};
  });
}

}  // namespace

TEST(RuleStoreConstraints, CheckerEqualToMakerOrAuthorIsRefusedByTheDatabase) {
  Fixture f;
  const Approval a = f.pending();
  ASSERT_TRUE(f.write([&](store::SqlSession& s) { return store::ApprovalStore::insert(s, a); }));
  auto as_maker = decideAs(f, a, "maker", "https://idp/");
  ASSERT_FALSE(as_maker);
  EXPECT_EQ(as_maker.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_FALSE(decideAs(f, a, "author", "https://idp/"));
  // The same subject at another issuer is a different identity.
  EXPECT_TRUE(decideAs(f, a, "maker", "https://other-idp/"));
}

TEST(RuleStoreConstraints, AnApprovalIsDecidedOnce) {
  Fixture f;
  const Approval a = f.pending();
  ASSERT_TRUE(f.write([&](store::SqlSession& s) { return store::ApprovalStore::insert(s, a); }));
  ASSERT_TRUE(decideAs(f, a, "checker", "https://idp/"));
  EXPECT_FALSE(decideAs(f, a, "checker-2", "https://idp/"));
  static constexpr store::Sql kRewrite{"t_rewrite", "UPDATE approvals SET checker = 'someone' WHERE approval_id = $1"};
  static constexpr store::Sql kDelete{"t_delete", "DELETE FROM approvals WHERE approval_id = $1"};
  const store::SqlParam id[] = {a.approval_id};
  EXPECT_FALSE(f.write([&](store::SqlSession& s) -> Status {
    FRAUDGOV_RETURN_IF_ERROR(s.execute(kRewrite, id));
    return {};
  }));
  EXPECT_FALSE(f.write([&](store::SqlSession& s) -> Status {
    FRAUDGOV_RETURN_IF_ERROR(s.execute(kDelete, id));
    return {};
  }));
}

TEST(RuleStoreConstraints, OnlyOnePendingApprovalPerVersion) {
  Fixture f;
  ASSERT_TRUE(f.write([&](store::SqlSession& s) { return store::ApprovalStore::insert(s, f.pending()); }));
  auto second = f.write([&](store::SqlSession& s) { return store::ApprovalStore::insert(s, f.pending()); });
  ASSERT_FALSE(second);
  EXPECT_TRUE(store::isUniqueViolation(second.error()));
}

TEST(RuleStoreConstraints, VersionContentCannotChangeAndRowsCannotBeDeleted) {
  Fixture f;
  const store::SqlParam id[] = {f.version.rule_version_id};
  for (const store::Sql& sql :
       {store::Sql{"t_tree", "UPDATE rule_versions SET priority = 999 WHERE rule_version_id = $1"},
        store::Sql{"t_action", "UPDATE rule_versions SET action = 'APPROVE' WHERE rule_version_id = $1"},
        store::Sql{"t_jump", "UPDATE rule_versions SET status = 'SUPERSEDED' WHERE rule_version_id = $1"},
        store::Sql{"t_del", "DELETE FROM rule_versions WHERE rule_version_id = $1"}}) {
    EXPECT_FALSE(f.write([&](store::SqlSession& s) -> Status {
      FRAUDGOV_RETURN_IF_ERROR(s.execute(sql, id));
      return {};
    })) << sql.text;
  }
  // The legal transition still works.
  EXPECT_TRUE(f.write([&](store::SqlSession& s) -> Status {
    static constexpr store::Sql kSubmit{
        "t_submit", "UPDATE rule_versions SET status = 'PENDING_APPROVAL' WHERE rule_version_id = $1"};
    FRAUDGOV_RETURN_IF_ERROR(s.execute(kSubmit, id));
    return {};
  }));
}

}  // namespace fraudgov
