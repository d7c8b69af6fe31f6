// Issue 11 item 5: the audit chain against signed checkpoints, over HTTP, on a real SQLite file
// and a real PostgreSQL (BOTH_BACKENDS). Every corruption is plain SQL with the guards bypassed
// as the database owner would (SQLite: DROP TRIGGER; PostgreSQL: session_replication_role).
// Before the fix each of these cases answered {"ok": true}.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "common/canonical_json.h"
#include "publish/key_ring.h"
#include "domain/audit_verification.h"
#include "publish/audit_checkpoint.h"
#include "publish/signing_key.h"
#include "store/audit_store.h"
#include "support/api_harness.h"
#include "support/poll.h"
#include "support/child_process.h"
#include "support/test_database.h"
#include "support/test_env.h"

namespace fraudgov {

using testing::ApiHarness;

namespace {

std::string str(const boost::json::value& v, std::string_view key) {
  const auto* o = v.if_object();
  if (o == nullptr || !o->contains(key) || !o->at(key).is_string()) return "";
  return std::string(o->at(key).as_string());
}

std::string auditorToken(ApiHarness& api) { return api.token("auditor-1", {"audit:admin"}); }

void createFields(ApiHarness& api, int n, const std::string& prefix = "cp_f") {
  for (int i = 0; i < n; ++i) {
    auto r = api.post("/api/v1/rule-fields",
                      {{"field_key", prefix + std::to_string(i)},
                       {"display_name", "F"},
                       {"data_type", "STRING"},
                       {"allowed_operators", {"EQ"}}},
                      api.makerToken());
    ASSERT_EQ(r.status, 201) << r.body;
  }
}

boost::json::value verify(ApiHarness& api) {
  auto r = api.get("/api/v1/audit-log/verify", api.viewerToken());
  EXPECT_EQ(r.status, 200) << r.body;
  return r.json();
}

boost::json::value checkpoint(ApiHarness& api) {
  auto r = api.post("/api/v1/audit-log/checkpoints", boost::json::object{}, auditorToken(api));
  EXPECT_TRUE(r.status == 201 || r.status == 200) << r.body;
  return r.json();
}

// Plain SQL as the database owner: the append-only and immutability guards are bypassed.
void ownerSql(ApiHarness& api, const std::string& sql) {
  if (testing::currentBackend() == testing::Backend::kPostgres) {
    testing::runAdminSql(api.runtime().database(),
                         "SET session_replication_role = replica; " + sql + " SET session_replication_role = origin;");
  } else {
    testing::runAdminSql(api.runtime().database(),
                         "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; "
                         "DROP TRIGGER IF EXISTS rule_versions_content_immutable; " +
                             sql);
  }
}

std::vector<domain::AuditRecord> allRows(store::Database& db) {
  auto rows = store::inRead(db, [](store::SqlSession& s) -> Result<std::vector<domain::AuditRecord>> {
    std::vector<domain::AuditRecord> out;
    FRAUDGOV_RETURN_IF_ERROR(store::AuditStore::walk(s, 0, [&](const domain::AuditRecord& r) {
      out.push_back(r);
      return true;
    }));
    return out;
  });
  EXPECT_TRUE(rows);
  return rows ? *rows : std::vector<domain::AuditRecord>{};
}

// Edits row `seq` and recomputes every later hash, as someone who knows the chain's recipe would.
void rewriteWithRecomputedHashes(ApiHarness& api, std::int64_t seq, const std::string& performed_by) {
  auto rows = allRows(api.runtime().database());
  ASSERT_GE(static_cast<std::int64_t>(rows.size()), seq);
  std::string prev = seq > 1 ? rows[seq - 2].row_hash : std::string(domain::kGenesisHash);
  ownerSql(api, "SELECT 1;");  // drops the SQLite guards; PostgreSQL is bypassed per session below
  static constexpr store::Sql kRewrite{"t_rewrite",
                                       "UPDATE audit_log SET performed_by = $1, prev_hash = $2, row_hash = $3 "
                                       "WHERE seq = $4"};
  auto status = api.runtime().database().withSession([&](store::SqlSession& s) -> Status {
    const bool pg = s.dialect() == store::Dialect::kPostgres;
    if (pg) FRAUDGOV_RETURN_IF_ERROR(s.executeScript("SET session_replication_role = replica"));
    for (std::size_t i = static_cast<std::size_t>(seq - 1); i < rows.size(); ++i) {
      auto& r = rows[i];
      if (r.seq == seq) r.performed_by = performed_by;
      r.prev_hash = prev;
      r.row_hash = domain::auditRowHash(prev, r);
      prev = r.row_hash;
      const store::SqlParam params[] = {r.performed_by, r.prev_hash, r.row_hash, r.seq};
      FRAUDGOV_RETURN_IF_ERROR(s.execute(kRewrite, params));
    }
    if (pg) FRAUDGOV_RETURN_IF_ERROR(s.executeScript("SET session_replication_role = origin"));
    return {};
  });
  ASSERT_TRUE(status) << status.error().message;
}

std::string artifactPath(ApiHarness& api, const std::string& key) {
  return api.runtime().config().publication.artifact_dir + "/" + key;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> reasons(const boost::json::value& v) {
  std::vector<std::string> out;
  for (const auto& r : v.at("reasons").as_array()) out.emplace_back(r.as_string());
  return out;
}

}  // namespace

TEST(AuditCheckpointApi, UntouchedChainIsOkAndCheckpointsAreStoredTwiceAndSigned) {
  ApiHarness api;
  createFields(api, 3);
  auto before = verify(api);
  EXPECT_TRUE(before.at("ok").as_bool()) << before;
  EXPECT_EQ(str(before, "status"), "ok");
  EXPECT_TRUE(before.at("checkpoint").is_null());

  auto cp = checkpoint(api);
  const std::int64_t head = cp.at("sequence").as_int64();
  EXPECT_EQ(head, 58);
  EXPECT_EQ(str(cp, "environment"), "test");
  // Both copies exist and are the same signed bytes.
  const std::string latest = readFile(artifactPath(api, "audit-checkpoints/latest.json"));
  EXPECT_EQ(latest, readFile(artifactPath(api, "audit-checkpoints/58.json")));
  EXPECT_EQ(boost::json::parse(latest), cp.at("document"));
  // Nothing new: the same checkpoint again (200, not 201).
  auto again = api.post("/api/v1/audit-log/checkpoints", boost::json::object{}, auditorToken(api));
  EXPECT_EQ(again.status, 200) << again.body;
  // Only audit:admin may sign or export.
  EXPECT_EQ(api.post("/api/v1/audit-log/checkpoints", boost::json::object{}, api.checkerToken()).status, 403);
  EXPECT_EQ(api.get("/api/v1/audit-log/export", api.viewerToken()).status, 403);

  createFields(api, 1, "after");  // rows after the checkpoint that chain onto it are fine
  auto ok = verify(api);
  EXPECT_TRUE(ok.at("ok").as_bool()) << ok;
  EXPECT_EQ(str(ok, "status"), "ok");
  EXPECT_EQ(ok.at("checked").as_int64(), 60);
  EXPECT_EQ(ok.at("head").at("sequence").as_int64(), 60);
  EXPECT_EQ(ok.at("checkpoint").at("sequence").as_int64(), 58);
  EXPECT_TRUE(ok.at("checkpoint").at("signature_valid").as_bool());
  EXPECT_EQ(str(ok.at("checkpoint_sources"), "used"), "artifact_store");
  EXPECT_TRUE(ok.at("checkpoint_sources").at("agree").as_bool());
  EXPECT_EQ(ok.at("content").at("mismatch_count").as_int64(), 0);

  // The key set published next to the checkpoints verifies it.
  auto ring = publish::parseKeySetText(readFile(artifactPath(api, "keys/audit-keys.json")));
  ASSERT_TRUE(ring) << ring.error().message;
  EXPECT_TRUE(publish::verifyAuditCheckpoint(latest, ring->publicKeys(), "test"));
}

TEST(AuditCheckpointApi, TailTruncationIsDetected) {
  ApiHarness api;
  createFields(api, 3);
  checkpoint(api);  // at 58
  ownerSql(api, "DELETE FROM audit_log WHERE seq > 55;");
  auto v = verify(api);
  EXPECT_FALSE(v.at("ok").as_bool());
  EXPECT_EQ(str(v, "status"), "truncated") << v;
  EXPECT_EQ(v.at("head").at("sequence").as_int64(), 55);
  EXPECT_FALSE(v.as_object().contains("first_broken")) << "no row fails to link";
  // A truncated chain is never signed.
  auto refused = api.post("/api/v1/audit-log/checkpoints", boost::json::object{}, auditorToken(api));
  EXPECT_EQ(refused.status, 409) << refused.body;
}

TEST(AuditCheckpointApi, DeletingEveryRowIsDetected) {
  ApiHarness api;
  createFields(api, 1);
  checkpoint(api);
  ownerSql(api, "DELETE FROM audit_log;");
  auto v = verify(api);
  EXPECT_FALSE(v.at("ok").as_bool());
  EXPECT_EQ(str(v, "status"), "truncated") << v;
  EXPECT_EQ(v.at("head").at("sequence").as_int64(), 0);
  EXPECT_EQ(v.at("checked").as_int64(), 0);
}

TEST(AuditCheckpointApi, RewriteWithRecomputedHashesIsDetected) {
  ApiHarness api;
  createFields(api, 3);
  checkpoint(api);
  rewriteWithRecomputedHashes(api, 40, "someone-else");
  auto v = verify(api);
  EXPECT_FALSE(v.at("ok").as_bool());
  EXPECT_EQ(str(v, "status"), "rewritten") << v;
  EXPECT_EQ(reasons(v), std::vector<std::string>{"rewritten"}) << "the chain itself recomputes";
}

TEST(AuditCheckpointApi, ForgedRowsAppendedAfterTheCheckpointAreDetected) {
  ApiHarness api;
  createFields(api, 2);
  checkpoint(api);
  ownerSql(api,
           "INSERT INTO audit_log (seq, audit_id, entity_type, entity_id, action, old_value, new_value, performed_by, "
           "performed_by_issuer, performed_at, request_id, prev_hash, row_hash) VALUES ((SELECT MAX(seq) + 1 FROM "
           "audit_log), '01900000-0000-7000-8000-0000000000aa', 'RULE', '01900000-0000-7000-8000-0000000000ab', "
           "'APPROVE', NULL, NULL, 'mallory', 'https://evil.example/', '2026-01-01T00:00:00.000000Z', NULL, '" +
               std::string(64, 'a') + "', '" + std::string(64, 'b') + "');");
  auto v = verify(api);
  EXPECT_FALSE(v.at("ok").as_bool());
  EXPECT_EQ(str(v, "status"), "forged") << v;
  EXPECT_EQ(v.at("first_broken").at("seq").as_int64(), 57);
  EXPECT_EQ(str(v.at("first_broken"), "reason"), "broken_link");
}

TEST(AuditCheckpointApi, ForgedCheckpointSignatureIsDetected) {
  ApiHarness api;
  createFields(api, 1);
  auto cp = checkpoint(api);
  // Someone with write access to the artifact store signs a checkpoint of their own.
  auto other = publish::ArtifactSigningKey::generate();
  ASSERT_TRUE(other);
  publish::AuditCheckpoint forged{54, std::string(64, 'c'), nowUtc(), "test", ""};
  std::ofstream(artifactPath(api, "audit-checkpoints/latest.json"), std::ios::trunc)
      << publish::signAuditCheckpoint(forged, *other);
  auto v = verify(api);
  EXPECT_FALSE(v.at("ok").as_bool());
  EXPECT_EQ(str(v, "status"), "forged") << v;
  EXPECT_FALSE(v.at("checkpoint").at("signature_valid").as_bool());
  EXPECT_FALSE(v.at("checkpoint_sources").at("agree").as_bool()) << "the database copy differs";

  // A genuine document with one member changed: the signature no longer matches.
  auto doc = cp.at("document").as_object();
  doc["head_hash"] = std::string(64, 'd');
  std::ofstream(artifactPath(api, "audit-checkpoints/latest.json"), std::ios::trunc) << json::canonicalize(doc);
  auto bad = verify(api);
  EXPECT_EQ(str(bad, "status"), "forged") << bad;
  const std::string details = boost::json::serialize(bad.at("details"));
  EXPECT_NE(details.find("bad_signature"), std::string::npos) << details;
}

TEST(AuditCheckpointApi, DeletedArtifactCopyFallsBackToTheDatabaseAndIsReported) {
  ApiHarness api;
  createFields(api, 1);
  checkpoint(api);
  std::filesystem::remove(artifactPath(api, "audit-checkpoints/latest.json"));
  std::filesystem::remove(artifactPath(api, "audit-checkpoints/54.json"));
  auto v = verify(api);
  EXPECT_EQ(str(v, "status"), "ok") << v;
  EXPECT_EQ(str(v.at("checkpoint_sources"), "used"), "database");
  EXPECT_FALSE(v.at("checkpoint_sources").at("agree").as_bool());
}

TEST(AuditCheckpointApi, RuleVersionEditedInPlaceIsReported) {
  ApiHarness api;
  auto rule = api.post("/api/v1/rules",
                       {{"rule_name", "Big amount"},
                        {"rule_type", "AUTH"},
                        {"condition_tree", {{"field", "amount"}, {"op", "GT"}, {"value", 5000}}}},
                       api.makerToken());
  ASSERT_EQ(rule.status, 201) << rule.body;
  const std::string rule_id = str(rule.json(), "rule_id");
  auto versions = api.get("/api/v1/rules/" + rule_id + "/versions", api.makerToken());
  const std::string version_id(versions.json().as_array()[0].at("rule_version_id").as_string());
  checkpoint(api);
  EXPECT_EQ(str(verify(api), "status"), "ok");

  ownerSql(api, "UPDATE rule_versions SET priority = 999 WHERE rule_version_id = '" + version_id + "';");
  auto v = verify(api);
  EXPECT_FALSE(v.at("ok").as_bool());
  EXPECT_EQ(str(v, "status"), "content_mismatch") << v;
  ASSERT_EQ(v.at("content").at("mismatches").as_array().size(), 1u) << v;
  const auto& m = v.at("content").at("mismatches").as_array()[0];
  EXPECT_EQ(str(m, "entity_id"), version_id);
  EXPECT_EQ(str(m, "entity_type"), "RULE_VERSION");
  EXPECT_EQ(str(m, "reason"), "content_digest_mismatch");
}

TEST(AuditCheckpointApi, EveryNEntriesTriggersACheckpoint) {
  ApiHarness::Options options;
  options.env["AUDIT_CHECKPOINT_EVERY_ENTRIES"] = "3";
  options.manual_clock = true;
  ApiHarness api(options);
  createFields(api, 2);  // 56 rows, no checkpoint yet
  EXPECT_FALSE(std::filesystem::exists(artifactPath(api, "audit-checkpoints/latest.json")));
  // The maintenance task looks at the head every few seconds of the runtime's clock.
  api.clock().advance(std::chrono::seconds(6));
  EXPECT_TRUE(testing::pollUntil(
      [&] { return std::filesystem::exists(artifactPath(api, "audit-checkpoints/latest.json")); },
      std::chrono::seconds(15)));
  auto v = verify(api);
  ASSERT_TRUE(v.at("checkpoint").is_object()) << v;
  EXPECT_EQ(v.at("checkpoint").at("sequence").as_int64(), 56);
}

// `fraudgov verify-audit` offline, from an export, the artifact store's checkpoint and key set.
TEST(AuditCheckpointApi, VerifyAuditCliAcceptsAGoodExportAndRefusesTamperedOnes) {
  ApiHarness api;
  createFields(api, 3);
  checkpoint(api);
  createFields(api, 1, "late");
  auto page1 = api.get("/api/v1/audit-log/export?limit=40", auditorToken(api));
  ASSERT_EQ(page1.status, 200) << page1.body;
  EXPECT_EQ(page1.header("Content-Type").value_or(""), "application/x-ndjson");
  ASSERT_EQ(page1.header("X-Audit-Export-Next-After").value_or(""), "40");
  auto page2 = api.get("/api/v1/audit-log/export?after_seq=40", auditorToken(api));
  ASSERT_EQ(page2.status, 200);
  EXPECT_FALSE(page2.header("X-Audit-Export-Next-After"));

  const std::string dir = testing::makeTempDir("verify-audit");
  std::ofstream(dir + "/p1.ndjson") << page1.body;
  std::ofstream(dir + "/p2.ndjson") << page2.body;
  const std::string checkpoint_file = artifactPath(api, "audit-checkpoints/latest.json");
  const std::string key_set = artifactPath(api, "keys/audit-keys.json");
  auto run = [&](const std::vector<std::string>& exports) {
    std::vector<std::string> args = {"verify-audit"};
    for (const auto& e : exports) args.insert(args.end(), {"--export", e});
    args.insert(args.end(), {"--checkpoint", checkpoint_file, "--key-set", key_set, "--environment", "test"});
    testing::ChildProcess p(testing::binaryPath("fraudgov"), args, {});
    const auto code = p.wait(std::chrono::seconds(20));
    return std::make_tuple(code.value_or(-1), p.stdoutText(), p.stderrText());
  };

  auto [ok_code, ok_out, ok_err] = run({dir + "/p1.ndjson", dir + "/p2.ndjson"});
  EXPECT_EQ(ok_code, 0) << ok_err;
  EXPECT_EQ(ok_out.rfind("OK audit chain: 60 rows, head 60, checkpoint 58", 0), 0u) << ok_out;

  // The export cut short below the checkpoint.
  auto [cut_code, cut_out, cut_err] = run({dir + "/p1.ndjson"});
  EXPECT_EQ(cut_code, 1);
  EXPECT_EQ(cut_err.rfind("FAIL truncated:", 0), 0u) << cut_err;

  // One row edited in the file.
  std::string edited = page2.body;
  const auto at = edited.find("\"performed_by\":\"maker-1\"");
  ASSERT_NE(at, std::string::npos);
  edited.replace(at, 24, "\"performed_by\":\"mallory\"");
  std::ofstream(dir + "/edited.ndjson") << edited;
  auto [bad_code, bad_out, bad_err] = run({dir + "/p1.ndjson", dir + "/edited.ndjson"});
  EXPECT_EQ(bad_code, 1);
  EXPECT_EQ(bad_err.rfind("FAIL broken:", 0), 0u) << bad_err;

  // A checkpoint signed by a key that is not pinned.
  auto other = publish::ArtifactSigningKey::generate();
  std::ofstream(dir + "/other.pem") << other->publicPem();
  testing::ChildProcess pinned(testing::binaryPath("fraudgov"),
                               {"verify-audit", "--export", dir + "/p1.ndjson", "--export", dir + "/p2.ndjson",
                                "--checkpoint", checkpoint_file, "--public-key", dir + "/other.pem"},
                               {});
  EXPECT_EQ(pinned.wait(std::chrono::seconds(20)), 1);
  EXPECT_EQ(pinned.stderrText().rfind("FAIL forged:", 0), 0u) << pinned.stderrText();
}

}  // namespace fraudgov
