// Rulesets end to end through the HTTP API (issue 8 acceptance), on the selected backend with the
// filesystem artifact store: rules approved -> ruleset version -> submit -> self-approval refused
// -> approved by a checker (artifact + signed manifest in storage) -> activated (pointer moved) ->
// a newer version approved and activated -> rollback to the first -> pointer back; every step
// audited, the chain verifies, and `fraudgov verify-artifact` / `fraudgov evaluate` accept what
// was published.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/crypto.h"
#include "publish/artifact_verifier.h"
#include "publish/signing_key.h"
#include "support/api_harness.h"
#include "support/child_process.h"
#include "support/test_env.h"

namespace fraudgov {
namespace {

using testing::ApiHarness;
using testing::HttpResult;

std::string str(const boost::json::value& v, std::string_view key) { return std::string(v.at(key).as_string()); }

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string pathOf(const std::string& file_uri) {
  EXPECT_EQ(file_uri.rfind("file://", 0), 0u) << file_uri;
  return file_uri.substr(7);
}

class RulesetsApi : public ::testing::Test {
 protected:
  RulesetsApi() : maker(api.makerToken()), checker(api.checkerToken()) {}

  // An APPROVED rule version of a new rule of `type`.
  std::pair<std::string, std::string> approvedRule(const std::string& type, int threshold, int priority = 100) {
    boost::json::object tree{{"field", "amount"}, {"op", "GT"}, {"value", threshold}};
    auto rule = api.post("/api/v1/rules",
                         {{"rule_name", "r" + std::to_string(threshold)},
                          {"rule_type", type},
                          {"priority", priority},
                          {"condition_tree", tree}},
                         maker);
    EXPECT_EQ(rule.status, 201) << rule.body;
    const std::string rule_id = str(rule.json(), "rule_id");
    const auto versions = api.get("/api/v1/rules/" + rule_id + "/versions", maker).json();
    const std::string rv = str(versions.as_array()[0], "rule_version_id");
    EXPECT_EQ(api.post("/api/v1/rule-versions/" + rv + "/submit", boost::json::object{}, maker).status, 200);
    EXPECT_EQ(api.post("/api/v1/rule-versions/" + rv + "/approve", boost::json::object{}, checker).status, 200);
    return {rule_id, rv};
  }

  std::string newRuleset(const std::string& type = "AUTH") {
    auto r = api.post("/api/v1/rulesets",
                      {{"environment", "test"}, {"region", "APAC"}, {"country", "IN"}, {"rule_type", type}}, maker);
    EXPECT_EQ(r.status, 201) << r.body;
    return str(r.json(), "ruleset_id");
  }

  HttpResult newVersion(const std::string& ruleset_id, const std::vector<std::string>& ids) {
    boost::json::array arr;
    for (const auto& id : ids) arr.emplace_back(id);
    return api.post("/api/v1/rulesets/" + ruleset_id + "/versions", {{"rule_version_ids", arr}}, maker);
  }

  HttpResult action(const std::string& id, const std::string& verb, const std::string& token) {
    return api.post("/api/v1/ruleset-versions/" + id + "/" + verb, boost::json::object{}, token);
  }

  // Submitted by the maker, approved by the checker; returns the APPROVE audit row's new_value.
  boost::json::object approveVersion(const std::string& id) {
    EXPECT_EQ(action(id, "submit", maker).status, 200);
    auto approved = action(id, "approve", checker);
    EXPECT_EQ(approved.status, 200) << approved.body;
    EXPECT_EQ(str(approved.json(), "status"), "APPROVED");
    return auditRow(id, "APPROVE");
  }

  boost::json::object auditRow(const std::string& entity_id, const std::string& act) {
    auto log = api.get("/api/v1/audit-log?entity_id=" + entity_id + "&action=" + act, checker);
    EXPECT_EQ(log.status, 200) << log.body;
    const auto items = log.json().at("items").as_array();
    EXPECT_FALSE(items.empty()) << act << " " << entity_id;
    if (items.empty()) return {};
    return items[0].at("new_value").as_object();
  }

  std::vector<publish::ArtifactPublicKey> publishedKeys() {
    auto keys = api.get("/api/v1/artifact-keys", maker);
    EXPECT_EQ(keys.status, 200) << keys.body;
    std::vector<publish::ArtifactPublicKey> out;
    const auto listed = keys.json();
    for (const auto& k : listed.at("keys").as_array()) {
      auto key = publish::ArtifactPublicKey::fromPem(k.at("public_key_pem").as_string());
      EXPECT_TRUE(key);
      EXPECT_EQ(key->kid(), str(k, "kid"));
      out.push_back(*key);
    }
    return out;
  }

  ApiHarness api;
  std::string maker;
  std::string checker;
};

TEST_F(RulesetsApi, PublishActivateRollBackAndVerify) {
  const auto [rule_a, rv_a] = approvedRule("AUTH", 5000, 200);
  const auto [rule_b, rv_b] = approvedRule("AUTH", 9000, 100);
  const std::string ruleset = newRuleset();

  auto v1 = newVersion(ruleset, {rv_a});
  ASSERT_EQ(v1.status, 201) << v1.body;
  const std::string v1_id = str(v1.json(), "ruleset_version_id");
  EXPECT_EQ(v1.json().at("version").as_int64(), 1);
  EXPECT_EQ(str(v1.json(), "status"), "DRAFT");
  ASSERT_EQ(v1.json().at("rule_versions").as_array().size(), 1u);
  EXPECT_EQ(str(v1.json().at("rule_versions").as_array()[0], "rule_version_id"), rv_a);

  // Compiling a DRAFT compiles that version; twice gives the same bytes.
  auto preview = action(v1_id, "compile", maker);
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_EQ(preview.json().at("compiled_ast").at("version").as_int64(), 1);
  EXPECT_EQ(str(preview.json().at("compiled_ast"), "rulesetId"), ruleset);
  EXPECT_EQ(str(preview.json().at("compiled_ast").at("evaluation"), "mode"), "FIRST_MATCH");
  EXPECT_TRUE(preview.json().at("can_publish").as_bool());
  EXPECT_EQ(str(action(v1_id, "compile", maker).json(), "checksum"), str(preview.json(), "checksum"));

  // Four eyes: the submitter cannot approve, even holding the permission.
  ASSERT_EQ(action(v1_id, "submit", maker).status, 200);
  const std::string self = api.token("maker-1", {"ruleset:approve", "ruleset:read"});
  auto refused = action(v1_id, "approve", self);
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(str(refused.json(), "error"), "MakerCheckerViolation");
  EXPECT_EQ(action(v1_id, "approve", maker).status, 403) << "the maker token lacks ruleset:approve";

  auto approved = action(v1_id, "approve", checker);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(str(approved.json(), "status"), "APPROVED");
  EXPECT_EQ(str(approved.json(), "approved_by"), "checker-1");
  // Approving a ruleset changes no rule version.
  EXPECT_EQ(str(api.get("/api/v1/rule-versions/" + rv_a, maker).json(), "status"), "APPROVED");

  const auto published = auditRow(v1_id, "APPROVE");
  const std::string artifact_path = pathOf(str(published, "artifact_uri"));
  const std::string manifest_path = pathOf(str(published, "manifest_uri"));
  EXPECT_NE(artifact_path.find("/rulesets/test/APAC/IN/CARD_AUTH/v1/ruleset.json"), std::string::npos);
  const std::string artifact = readFile(artifact_path);
  EXPECT_EQ(crypto::sha256Checksum(artifact), str(preview.json(), "checksum")) << "approved bytes = previewed bytes";
  EXPECT_EQ(str(published, "checksum"), str(preview.json(), "checksum"));
  const auto keys = publishedKeys();
  ASSERT_FALSE(keys.empty());
  auto verified = publish::verifyArtifact(readFile(manifest_path), artifact, keys, {std::string("test"), {}});
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_FALSE(verified->is_activation_record);

  // Activation moves the pointer (sequence 1).
  auto active = action(v1_id, "activate", checker);
  ASSERT_EQ(active.status, 200) << active.body;
  EXPECT_EQ(str(active.json(), "status"), "ACTIVE");
  const std::string pointer_path = pathOf(str(auditRow(v1_id, "ACTIVATE"), "pointer_uri"));
  const std::string first_pointer = readFile(pointer_path);
  auto pointed = publish::verifyArtifact(first_pointer, artifact, keys, {std::string("test"), 1});
  ASSERT_TRUE(pointed) << pointed.error().message;
  EXPECT_EQ(pointed->sequence, 1);
  for (const char* member : {"artifact_uri", "checksum", "environment", "region", "country", "ruleset_key",
                             "ruleset_version", "published_at", "schema_version"}) {
    EXPECT_TRUE(pointed->payload.contains(member)) << member;
  }

  // A newer version, approved and activated, supersedes the first.
  auto v2 = newVersion(ruleset, {rv_a, rv_b});
  ASSERT_EQ(v2.status, 201) << v2.body;
  const std::string v2_id = str(v2.json(), "ruleset_version_id");
  const auto published_v2 = approveVersion(v2_id);
  ASSERT_EQ(action(v2_id, "activate", checker).status, 200);
  EXPECT_EQ(str(api.get("/api/v1/ruleset-versions/" + v1_id, maker).json(), "status"), "SUPERSEDED");
  const std::string second_pointer = readFile(pointer_path);
  const std::string artifact_v2 = readFile(pathOf(str(published_v2, "artifact_uri")));
  ASSERT_TRUE(publish::verifyArtifact(second_pointer, artifact_v2, keys, {std::string("test"), 2}));

  // Rollback: the first version again, as a new record with a higher sequence.
  auto rollback = action(v1_id, "activate", checker);
  ASSERT_EQ(rollback.status, 200) << rollback.body;
  EXPECT_EQ(str(rollback.json(), "status"), "ACTIVE");
  EXPECT_EQ(str(api.get("/api/v1/ruleset-versions/" + v2_id, maker).json(), "status"), "SUPERSEDED");
  const std::string third_pointer = readFile(pointer_path);
  auto back = publish::verifyArtifact(third_pointer, artifact, keys, {std::string("test"), 3});
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(back->payload.at("rollback").as_bool());
  // A replayed older pointer is detectable.
  auto replayed = publish::verifyArtifact(second_pointer, artifact_v2, keys, {std::string("test"), 3});
  ASSERT_FALSE(replayed);
  EXPECT_EQ(str(replayed.error().details, "reason"), "stale_sequence");

  // The runtime's view: the offline verifier and evaluator accept what was published.
  const std::string dir = std::filesystem::path(artifact_path).parent_path();
  const std::string key_pem = dir + "/key.pem";
  std::ofstream(key_pem) << keys.front().publicPem();
  std::ofstream(dir + "/pointer.json") << third_pointer;
  std::ofstream(dir + "/txns.jsonl") << R"({"transaction_id":"big","amount":6000})" << "\n"
                                     << R"({"transaction_id":"small","amount":10})" << "\n";
  testing::ChildProcess verify(testing::binaryPath("fraudgov"),
                               {"verify-artifact", "--manifest", dir + "/pointer.json", "--artifact", artifact_path,
                                "--public-key", key_pem, "--environment", "test", "--min-sequence", "3"},
                               {});
  ASSERT_EQ(verify.wait(std::chrono::seconds(20)), 0) << verify.stdoutText() << verify.stderrText();
  testing::ChildProcess evaluate(testing::binaryPath("fraudgov"),
                                 {"evaluate", "--manifest", dir + "/pointer.json", "--artifact", artifact_path,
                                  "--public-key", key_pem, "--transactions", dir + "/txns.jsonl"},
                                 {});
  ASSERT_EQ(evaluate.wait(std::chrono::seconds(20)), 0) << evaluate.stderrText();
  const std::string decisions = evaluate.stdoutText();
  EXPECT_NE(decisions.find(R"("transaction_id":"big")"), std::string::npos) << decisions;
  EXPECT_NE(decisions.find(rv_a), std::string::npos) << decisions;

  // Compiles and publications are counted (SPEC §7).
  auto metrics = api.send("GET", "/metrics");
  ASSERT_EQ(metrics.status, 200) << metrics.body;
  EXPECT_NE(metrics.body.find("fraudgov_compile_duration_seconds_count{outcome=\"success\"}"), std::string::npos);
  EXPECT_NE(metrics.body.find("fraudgov_publish_duration_seconds_count{artifact=\"ruleset\",backend=\"filesystem\","
                              "outcome=\"success\"} 2"),
            std::string::npos);

  // Every step audited; the chain verifies.
  for (const char* act : {"SUBMIT", "APPROVE", "ACTIVATE", "SUPERSEDE"}) EXPECT_FALSE(auditRow(v1_id, act).empty());
  EXPECT_TRUE(api.get("/api/v1/audit-log/verify", checker).json().at("ok").as_bool());
}

TEST_F(RulesetsApi, RejectWorksAndNeverApprovedVersionsCannotBeActivated) {
  const auto [rule, rv] = approvedRule("MONITORING", 100);
  const std::string ruleset = newRuleset("MONITORING");
  const std::string id = str(newVersion(ruleset, {rv}).json(), "ruleset_version_id");
  EXPECT_EQ(action(id, "activate", checker).status, 409) << "a draft was never approved";
  ASSERT_EQ(action(id, "submit", maker).status, 200);
  auto rejected = action(id, "reject", checker);
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(str(rejected.json(), "status"), "REJECTED");
  EXPECT_EQ(action(id, "activate", checker).status, 409);
  // A rejected version can be followed by a new one.
  auto next = newVersion(ruleset, {rv});
  ASSERT_EQ(next.status, 201);
  EXPECT_EQ(next.json().at("version").as_int64(), 2);
  EXPECT_EQ(str(action(str(next.json(), "ruleset_version_id"), "compile", maker).json().at("compiled_ast")
                    .at("evaluation"),
                "mode"),
            "ALL_MATCHING");
}

TEST_F(RulesetsApi, MembershipViolationsNameTheOffendingIds) {
  const auto [rule, approved] = approvedRule("AUTH", 100);
  const auto [other_rule, monitoring] = approvedRule("MONITORING", 200);
  const std::string ruleset = newRuleset();
  // A draft version of the approved rule.
  auto draft = api.post("/api/v1/rules/" + rule + "/versions",
                        {{"condition_tree", {{"field", "amount"}, {"op", "GT"}, {"value", 1}}}}, maker);
  ASSERT_EQ(draft.status, 201);
  const std::string draft_id = str(draft.json(), "rule_version_id");
  const std::string unknown = "0193f0a2-7c1e-7b3a-9d4e-2f6a8b1c0d99";
  for (const auto& [ids, offender] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{draft_id}, draft_id}, {{monitoring}, monitoring}, {{approved, draft_id}, draft_id}, {{unknown}, unknown}}) {
    auto r = newVersion(ruleset, ids);
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_NE(r.body.find(offender), std::string::npos) << r.body;
  }
  EXPECT_EQ(newVersion(ruleset, {}).status, 422);
  EXPECT_EQ(newVersion(ruleset, {"not-a-uuid"}).status, 422);
  EXPECT_EQ(newVersion(unknown, {approved}).status, 404);
  // Nothing was created by the refused requests.
  EXPECT_TRUE(api.get("/api/v1/rulesets/" + ruleset + "/versions", maker).json().at("items").as_array().empty());
}

TEST_F(RulesetsApi, IdentityIsUniqueAndListsPage) {
  const std::string first = newRuleset();
  auto duplicate =
      api.post("/api/v1/rulesets", {{"environment", "test"}, {"region", "APAC"}, {"country", "IN"}, {"rule_type", "auth"}},
               maker);
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_EQ(str(duplicate.json().at("details"), "existing_ruleset_id"), first);
  EXPECT_EQ(api.post("/api/v1/rulesets", {{"environment", "test"}, {"region", "../x"}, {"country", "IN"},
                                          {"rule_type", "AUTH"}},
                     maker)
                .status,
            422);
  EXPECT_EQ(api.post("/api/v1/rulesets", {{"environment", "test"}, {"region", "APAC"}, {"country", "IN"}}, maker).status,
            422);
  EXPECT_EQ(api.post("/api/v1/rulesets", {{"environment", "t"}, {"region", "r"}, {"country", "c"}, {"rule_type", "AUTH"}},
                     checker)
                .status,
            403);
  for (const char* country : {"SG", "HK", "UK"}) {
    ASSERT_EQ(api.post("/api/v1/rulesets",
                       {{"environment", "test"}, {"region", "APAC"}, {"country", country}, {"rule_type", "AUTH"}}, maker)
                  .status,
              201);
  }
  auto page = api.get("/api/v1/rulesets?limit=3", maker);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.json().at("items").as_array().size(), 3u);
  EXPECT_TRUE(page.json().at("has_next").as_bool());
  auto rest = api.get("/api/v1/rulesets?limit=3&cursor=" + str(page.json(), "next_cursor"), maker);
  EXPECT_EQ(rest.json().at("items").as_array().size(), 1u);
  EXPECT_EQ(api.get("/api/v1/rulesets?country=SG", maker).json().at("items").as_array().size(), 1u);
  EXPECT_EQ(api.get("/api/v1/rulesets?cursor=forged", maker).status, 400);
  EXPECT_EQ(api.get("/api/v1/rulesets/not-a-uuid", maker).status, 404);
}

TEST_F(RulesetsApi, FieldRegistryPublishesTheApprovedCatalog) {
  auto empty = api.get("/api/v1/field-registry", maker);
  ASSERT_EQ(empty.status, 200);
  EXPECT_EQ(empty.json().at("registry_version").as_int64(), 0);
  auto next = api.get("/api/v1/field-registry/next-field-id", maker);
  ASSERT_EQ(next.status, 200);
  EXPECT_EQ(next.json().at("next_field_id").as_int64(), 27);
  auto published = api.post("/api/v1/field-registry/publish", boost::json::object{}, maker);
  ASSERT_EQ(published.status, 201) << published.body;
  EXPECT_EQ(published.json().at("registry_version").as_int64(), 1);
  EXPECT_EQ(published.json().at("field_count").as_int64(), 26);
  const std::string bytes = readFile(pathOf(str(published.json(), "artifact_uri")));
  EXPECT_EQ(crypto::sha256Checksum(bytes), str(published.json(), "checksum"));
  auto fields = api.get("/api/v1/field-registry/versions/1/fields", maker);
  ASSERT_EQ(fields.status, 200);
  EXPECT_EQ(fields.json().as_array().size(), 26u);
  EXPECT_EQ(api.get("/api/v1/field-registry/versions/7", maker).status, 404);
  EXPECT_EQ(api.get("/api/v1/field-registry/versions/x", maker).status, 422);
  EXPECT_EQ(api.get("/api/v1/field-registry/versions", maker).json().as_array().size(), 1u);
  EXPECT_EQ(api.post("/api/v1/field-registry/publish", boost::json::object{}, checker).status, 403);
  EXPECT_FALSE(auditRow(str(published.json(), "manifest_id"), "PUBLISH").empty());
  // The next ruleset publication is stamped with this registry version.
  const auto [rule, rv] = approvedRule("AUTH", 1);
  const std::string ruleset = newRuleset();
  const std::string id = str(newVersion(ruleset, {rv}).json(), "ruleset_version_id");
  const auto row = approveVersion(id);
  const std::string manifest = readFile(pathOf(str(row, "manifest_uri")));
  EXPECT_NE(manifest.find(R"("field_registry_version":1)"), std::string::npos) << manifest;
}

}  // namespace
}  // namespace fraudgov
