// The ruleset story against a real S3 API (issue 8 item 8): the image's moto_server with SigV4
// checking, the published objects read back by an independent client (boto3), and each way S3
// can fail (wrong secret, missing bucket, endpoint down) giving a clear problem and no rows.
#include <gtest/gtest.h>

#include "common/crypto.h"
#include "common/uuid.h"
#include "publish/artifact_verifier.h"
#include "publish/audit_checkpoint.h"
#include "publish/key_ring.h"
#include "support/api_harness.h"
#include "support/boto3_reader.h"
#include "support/child_process.h"
#include "support/moto_suite.h"
#include "support/test_database.h"
#include "support/test_env.h"

namespace fraudgov {
namespace {

using testing::ApiHarness;
using testing::HttpResult;
using testing::MotoServer;

std::string str(const boost::json::value& v, std::string_view key) { return std::string(v.at(key).as_string()); }

class RulesetsS3Api : public testing::MotoSuite {
 protected:

  void SetUp() override {
    MotoSuite::SetUp();
    if (HasFatalFailure()) return;
    bucket_ = "fraudgov-" + uuid::v4().substr(0, 8);
    auto created = moto_->createBucket(bucket_);
    ASSERT_TRUE(created) << created.error().message;
  }

  std::unique_ptr<ApiHarness> harness(const std::string& endpoint, const std::string& bucket,
                                      const std::string& secret) {
    ApiHarness::Options options;
    options.env = {{"ARTIFACT_BACKEND", "s3"},
                   {"S3_ENDPOINT_URL", endpoint},
                   {"S3_BUCKET_NAME", bucket},
                   {"S3_TIMEOUT_MS", "3000"},
                   {"S3_ACCESS_KEY_ID", moto_->key().access_key_id},
                   {"S3_SECRET_ACCESS_KEY", secret},
                   {"PUBLISH_ENVIRONMENT", "staging"}};
    return std::make_unique<ApiHarness>(options);
  }

  // A submitted ruleset version holding one approved AUTH rule version.
  static std::string submittedVersion(ApiHarness& api) {
    const std::string maker = api.makerToken();
    const std::string checker = api.checkerToken();
    auto rule = api.post("/api/v1/rules",
                         {{"rule_name", "big"},
                          {"rule_type", "AUTH"},
                          {"condition_tree", {{"field", "amount"}, {"op", "GT"}, {"value", 5000}}}},
                         maker);
    const auto versions = api.get("/api/v1/rules/" + str(rule.json(), "rule_id") + "/versions", maker).json();
    const std::string rv = str(versions.as_array()[0], "rule_version_id");
    EXPECT_EQ(api.post("/api/v1/rule-versions/" + rv + "/submit", boost::json::object{}, maker).status, 200);
    EXPECT_EQ(api.post("/api/v1/rule-versions/" + rv + "/approve", boost::json::object{}, checker).status, 200);
    auto ruleset = api.post("/api/v1/rulesets",
                            {{"environment", "staging"}, {"region", "EMEA"}, {"country", "UK"}, {"rule_type", "AUTH"}},
                            maker);
    auto version = api.post("/api/v1/rulesets/" + str(ruleset.json(), "ruleset_id") + "/versions",
                            {{"rule_version_ids", boost::json::array{rv}}}, maker);
    const std::string id = str(version.json(), "ruleset_version_id");
    EXPECT_EQ(api.post("/api/v1/ruleset-versions/" + id + "/submit", boost::json::object{}, maker).status, 200);
    return id;
  }

  // A refused publication leaves the version pending, with no manifest and no APPROVE row.
  static void expectNothingRecorded(ApiHarness& api, const std::string& id, const HttpResult& refused) {
    EXPECT_EQ(refused.status, 503) << refused.body;
    EXPECT_EQ(refused.body.find(moto_->key().secret_access_key), std::string::npos);
    EXPECT_EQ(str(api.get("/api/v1/ruleset-versions/" + id, api.checkerToken()).json(), "status"),
              "PENDING_APPROVAL");
    auto log = api.get("/api/v1/audit-log?entity_id=" + id + "&action=APPROVE", api.checkerToken());
    EXPECT_TRUE(log.json().at("items").as_array().empty());
  }

  std::string bucket_;
};


TEST_F(RulesetsS3Api, ApprovalAndActivationPublishToS3) {
  auto api = harness(moto_->endpoint(), bucket_, moto_->key().secret_access_key);
  const std::string id = submittedVersion(*api);
  auto approved = api->post("/api/v1/ruleset-versions/" + id + "/approve", boost::json::object{}, api->checkerToken());
  ASSERT_EQ(approved.status, 200) << approved.body;
  auto activated = api->post("/api/v1/ruleset-versions/" + id + "/activate", boost::json::object{}, api->checkerToken());
  ASSERT_EQ(activated.status, 200) << activated.body;

  const std::string prefix = "rulesets/staging/EMEA/UK/CARD_AUTH/";
  auto artifact = testing::boto3GetObject(moto_->endpoint(), moto_->key(), bucket_, prefix + "v1/ruleset.json");
  ASSERT_EQ(artifact.exit_code, 0) << artifact.diagnostics;
  EXPECT_FALSE(artifact.checksum_mismatch);
  auto preview = api->post("/api/v1/ruleset-versions/" + id + "/compile", boost::json::object{}, api->makerToken());
  EXPECT_EQ(crypto::sha256Checksum(artifact.body), str(preview.json(), "checksum"));
  auto pointer = testing::boto3GetObject(moto_->endpoint(), moto_->key(), bucket_, prefix + "manifest.json");
  ASSERT_EQ(pointer.exit_code, 0) << pointer.diagnostics;
  auto keys = testing::boto3GetObject(moto_->endpoint(), moto_->key(), bucket_, "keys/artifact-keys.json");
  ASSERT_EQ(keys.exit_code, 0) << keys.diagnostics;
  auto ring = publish::parseKeySetText(keys.body);
  ASSERT_TRUE(ring) << ring.error().message;
  auto verified = publish::verifyArtifact(pointer.body, artifact.body, ring->publicKeys(), {std::string("staging"), 1});
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(str(verified->payload, "artifact_uri"), "s3://" + bucket_ + "/" + prefix + "v1/ruleset.json");

  // A newer version activated, then a rollback to the first: the pointer comes back (sequence 3).
  const std::string ruleset = str(api->get("/api/v1/ruleset-versions/" + id, api->checkerToken()).json(), "ruleset_id");
  const auto first = api->get("/api/v1/ruleset-versions/" + id, api->checkerToken()).json();
  auto v2 = api->post("/api/v1/rulesets/" + ruleset + "/versions",
                      {{"rule_version_ids", boost::json::array{first.at("rule_versions").as_array()[0].at("rule_version_id")}}},
                      api->makerToken());
  ASSERT_EQ(v2.status, 201) << v2.body;
  const std::string v2_id = str(v2.json(), "ruleset_version_id");
  ASSERT_EQ(api->post("/api/v1/ruleset-versions/" + v2_id + "/submit", boost::json::object{}, api->makerToken()).status,
            200);
  ASSERT_EQ(
      api->post("/api/v1/ruleset-versions/" + v2_id + "/approve", boost::json::object{}, api->checkerToken()).status,
      200);
  ASSERT_EQ(
      api->post("/api/v1/ruleset-versions/" + v2_id + "/activate", boost::json::object{}, api->checkerToken()).status,
      200);
  ASSERT_EQ(api->post("/api/v1/ruleset-versions/" + id + "/activate", boost::json::object{}, api->checkerToken()).status,
            200);
  auto back = testing::boto3GetObject(moto_->endpoint(), moto_->key(), bucket_, prefix + "manifest.json");
  ASSERT_EQ(back.exit_code, 0) << back.diagnostics;
  auto rolled = publish::verifyArtifact(back.body, artifact.body, ring->publicKeys(), {std::string("staging"), 3});
  ASSERT_TRUE(rolled) << rolled.error().message;
  EXPECT_TRUE(rolled->payload.at("rollback").as_bool());
  auto v2_artifact = testing::boto3GetObject(moto_->endpoint(), moto_->key(), bucket_, prefix + "v2/ruleset.json");
  ASSERT_EQ(v2_artifact.exit_code, 0) << v2_artifact.diagnostics;
  EXPECT_TRUE(api->get("/api/v1/audit-log/verify", api->checkerToken()).json().at("ok").as_bool());
}

// Audit checkpoints (issue 11 item 5) go to the same bucket; verification reads them back from it.
TEST_F(RulesetsS3Api, AuditCheckpointsAreStoredInS3AndAnchorVerification) {
  auto api = harness(moto_->endpoint(), bucket_, moto_->key().secret_access_key);
  auto created = api->post("/api/v1/audit-log/checkpoints", boost::json::object{}, api->token("auditor", {"audit:admin"}));
  ASSERT_EQ(created.status, 201) << created.body;
  const auto sequence = created.json().at("sequence").as_int64();
  auto latest = testing::boto3GetObject(moto_->endpoint(), moto_->key(), bucket_, "audit-checkpoints/latest.json");
  ASSERT_EQ(latest.exit_code, 0) << latest.diagnostics;
  auto numbered = testing::boto3GetObject(moto_->endpoint(), moto_->key(), bucket_,
                                          "audit-checkpoints/" + std::to_string(sequence) + ".json");
  EXPECT_EQ(numbered.body, latest.body);
  auto keys = testing::boto3GetObject(moto_->endpoint(), moto_->key(), bucket_, "keys/audit-keys.json");
  ASSERT_EQ(keys.exit_code, 0) << keys.diagnostics;
  auto ring = publish::parseKeySetText(keys.body);
  ASSERT_TRUE(ring) << ring.error().message;
  auto verified = publish::verifyAuditCheckpoint(latest.body, ring->publicKeys(), "staging");
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->sequence, sequence);

  auto ok = api->get("/api/v1/audit-log/verify", api->viewerToken()).json();
  EXPECT_EQ(str(ok, "status"), "ok") << ok;
  EXPECT_EQ(str(ok.at("checkpoint_sources"), "used"), "artifact_store");
  // The database copy deleted along with the tail: the S3 copy still shows the truncation.
  testing::runAdminSql(api->runtime().database(),
                       testing::currentBackend() == testing::Backend::kPostgres
                           ? "SET session_replication_role = replica; DELETE FROM audit_log WHERE seq > 10; "
                             "DELETE FROM audit_checkpoints; SET session_replication_role = origin;"
                           : "DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_checkpoints_no_delete; "
                             "DELETE FROM audit_log WHERE seq > 10; DELETE FROM audit_checkpoints;");
  auto truncated = api->get("/api/v1/audit-log/verify", api->viewerToken()).json();
  EXPECT_EQ(str(truncated, "status"), "truncated") << truncated;
  EXPECT_FALSE(truncated.at("checkpoint_sources").at("agree").as_bool());
}

TEST_F(RulesetsS3Api, WrongSecretMissingBucketAndEndpointDownRecordNothing) {
  {
    auto api = harness(moto_->endpoint(), bucket_, "not-the-secret");
    const std::string id = submittedVersion(*api);
    expectNothingRecorded(
        *api, id, api->post("/api/v1/ruleset-versions/" + id + "/approve", boost::json::object{}, api->checkerToken()));
  }
  {
    auto api = harness(moto_->endpoint(), "no-such-bucket-" + uuid::v4().substr(0, 6), moto_->key().secret_access_key);
    const std::string id = submittedVersion(*api);
    auto refused =
        api->post("/api/v1/ruleset-versions/" + id + "/approve", boost::json::object{}, api->checkerToken());
    expectNothingRecorded(*api, id, refused);
    EXPECT_NE(refused.body.find("does not exist"), std::string::npos) << refused.body;
  }
  {
    auto api = harness("http://127.0.0.1:" + std::to_string(testing::freePort()), bucket_,
                       moto_->key().secret_access_key);
    const std::string id = submittedVersion(*api);
    expectNothingRecorded(
        *api, id, api->post("/api/v1/ruleset-versions/" + id + "/approve", boost::json::object{}, api->checkerToken()));
  }
}

}  // namespace
}  // namespace fraudgov
