// The verdict of audit verification (domain/audit_verification.h): one reason per kind of
// tampering, in a stable order, from the evidence alone.
#include "domain/audit_verification.h"

#include <gtest/gtest.h>

namespace fraudgov::domain {

namespace {

std::vector<AuditRecord> chain(int n) {
  std::vector<AuditRecord> rows;
  std::string prev(kGenesisHash);
  for (int i = 1; i <= n; ++i) {
    AuditRecord r;
    r.seq = i;
    r.audit_id = "a" + std::to_string(i);
    r.event = {"RULE", "01900000-0000-7000-8000-000000000001", "CREATE", nullptr, boost::json::object{{"n", i}}};
    r.performed_by = "maker";
    r.performed_by_issuer = "https://idp/";
    r.prev_hash = prev;
    r.row_hash = auditRowHash(prev, r);
    prev = r.row_hash;
    rows.push_back(r);
  }
  return rows;
}

ChainEvidence walk(const std::vector<AuditRecord>& rows, std::int64_t anchor_seq = 0) {
  ChainEvidence e;
  AuditChainWalker walker;
  for (const auto& r : rows) {
    walker.add(r);
    e.head_seq = r.seq;
    e.head_hash = r.row_hash;
    if (r.seq == anchor_seq) e.hash_at_anchor = r.row_hash;
  }
  e.checked = walker.checked();
  e.first_break = walker.broken();
  return e;
}

}  // namespace

TEST(AuditVerdict, IntactChainCoveringItsCheckpointIsOk) {
  auto rows = chain(10);
  const CheckpointEvidence cp{AuditAnchor{8, rows[7].row_hash}, std::nullopt};
  const auto v = judgeAuditChain(walk(rows, 8), cp, 0);
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(v.status, "ok");
  EXPECT_EQ(judgeAuditChain(walk(rows), {}, 0).status, "ok") << "no checkpoint yet";
}

TEST(AuditVerdict, EachTamperingHasItsOwnReason) {
  auto rows = chain(10);
  const CheckpointEvidence cp{AuditAnchor{8, rows[7].row_hash}, std::nullopt};

  auto truncated = rows;
  truncated.resize(6);
  EXPECT_EQ(judgeAuditChain(walk(truncated, 8), cp, 0).status, "truncated");
  EXPECT_EQ(judgeAuditChain(walk({}, 8), cp, 0).status, "truncated") << "every row deleted";

  auto rewritten = rows;  // row 3 edited, everything after recomputed: the chain itself holds
  rewritten[2].performed_by = "mallory";
  for (std::size_t i = 2; i < rewritten.size(); ++i) {
    rewritten[i].prev_hash = i == 0 ? std::string(kGenesisHash) : rewritten[i - 1].row_hash;
    rewritten[i].row_hash = auditRowHash(rewritten[i].prev_hash, rewritten[i]);
  }
  const auto r = judgeAuditChain(walk(rewritten, 8), cp, 0);
  EXPECT_EQ(r.status, "rewritten");
  EXPECT_EQ(r.reasons, std::vector<std::string>{"rewritten"});

  auto appended = rows;  // a row after the checkpoint that does not chain
  appended[9].prev_hash = std::string(64, 'a');
  const auto f = judgeAuditChain(walk(appended, 8), cp, 0);
  EXPECT_EQ(f.status, "forged");

  auto edited = rows;  // a row before the checkpoint edited without recomputing
  edited[4].performed_by = "mallory";
  EXPECT_EQ(judgeAuditChain(walk(edited, 8), cp, 0).status, "broken");

  const CheckpointEvidence bad{std::nullopt, std::string("bad_signature")};
  EXPECT_EQ(judgeAuditChain(walk(rows), bad, 0).status, "forged");
  EXPECT_EQ(judgeAuditChain(walk(rows, 8), cp, 2).status, "content_mismatch");
}

TEST(AuditContent, StoredRuleVersionMustMatchItsCreateRow) {
  const boost::json::value tree = {{"field", "amount"}, {"op", "GT"}, {"value", 5}};
  const boost::json::value normalized = {{"and", boost::json::array{tree}}};
  const boost::json::value scope = boost::json::object{};
  AuditRecord create;
  create.event = {"RULE_VERSION", "v1", "CREATE", nullptr,
                  boost::json::object{{"condition_tree", normalized},
                                      {"scope", scope},
                                      {"priority", 100},
                                      {"action", "REVIEW"},
                                      {"content_digest", ruleVersionContentDigest(tree, normalized, scope, 100, "REVIEW")}}};
  RuleVersionContentCheck check;
  check.record(create);
  check.check({"v1", tree, normalized, scope, 100, "REVIEW"});
  EXPECT_TRUE(check.mismatches().empty());
  check.check({"v1", tree, normalized, scope, 999, "REVIEW"});
  check.check({"v2", tree, normalized, scope, 100, "REVIEW"});
  ASSERT_EQ(check.mismatches().size(), 2u);
  EXPECT_EQ(check.mismatches()[0].reason, "content_digest_mismatch");
  EXPECT_EQ(check.mismatches()[1].reason, "no_audit_record");

  // Rows written before content_digest existed are compared on what they recorded.
  auto legacy = create;
  legacy.event.new_value.as_object().erase("content_digest");
  RuleVersionContentCheck old;
  old.record(legacy);
  old.check({"v1", boost::json::object{}, normalized, scope, 100, "REVIEW"});
  old.check({"v1", tree, normalized, scope, 100, "DECLINE"});
  ASSERT_EQ(old.mismatches().size(), 1u);
}

TEST(AuditExport, LinesRoundTripAndTheChainRecomputes) {
  auto rows = chain(3);
  rows[1].request_id = "req-2";
  rows[1].row_hash = auditRowHash(rows[1].prev_hash, rows[1]);
  for (const auto& r : rows) {
    auto back = parseAuditExportLine(auditExportLine(r));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(auditRowHash(back->prev_hash, *back), r.row_hash);
  }
  auto extra = auditExportLine(rows[0]);
  extra["injected"] = 1;
  EXPECT_FALSE(parseAuditExportLine(extra));
  EXPECT_FALSE(parseAuditExportLine(boost::json::value("x")));
}

}  // namespace fraudgov::domain
