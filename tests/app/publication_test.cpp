// The signing keys (src/app/publication.h): ARTIFACT_SIGNING_KEY and AUDIT_SIGNING_KEY come
// through one SigningKeySource. Outside prod each is generated under the var dir when absent (its
// own file, the same key on the next start); prod refuses to start without it.
#include "app/publication.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/api_harness.h"
#include "support/test_env.h"

namespace fraudgov {

namespace {
const observability::Logger kLog;
}  // namespace

TEST(SigningKeys, OutsideProdEachKeyIsGeneratedOnceUnderTheVarDir) {
  const std::string var = testing::makeTempDir("signing-keys");
  auto loaded = app::loadConfig(testing::mapLookup({{"APP_ENV", "test"}, {"FRAUDGOV_VAR_DIR", var}}));
  auto audit = app::SigningKeySource::create(loaded.config, kLog, app::kAuditSigningKeySecret);
  ASSERT_TRUE(audit) << audit.error().message;
  auto artifact = app::SigningKeySource::create(loaded.config, kLog, app::kArtifactSigningKeySecret);
  ASSERT_TRUE(artifact) << artifact.error().message;
  EXPECT_NE((*audit)->current()->kid(), (*artifact)->current()->kid()) << "two keys, not one";
  struct stat st {};
  ASSERT_EQ(::stat((var + "/audit-signing-key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = app::SigningKeySource::create(loaded.config, kLog, app::kAuditSigningKeySecret);
  EXPECT_EQ((*again)->current()->kid(), (*audit)->current()->kid());
}

TEST(SigningKeys, TheSecretWinsAndProdRequiresIt) {
  auto key = publish::ArtifactSigningKey::generate();
  auto loaded = app::loadConfig(testing::mapLookup({{"APP_ENV", "test"},
                                                    {"FRAUDGOV_VAR_DIR", testing::makeTempDir("signing-keys")},
                                                    {"AUDIT_SIGNING_KEY", key->privatePem()}}));
  auto audit = app::SigningKeySource::create(loaded.config, kLog, app::kAuditSigningKeySecret);
  ASSERT_TRUE(audit) << audit.error().message;
  EXPECT_EQ((*audit)->current()->kid(), key->kid());

  auto prod = app::loadConfig(testing::mapLookup({{"APP_ENV", "prod"}, {"FRAUDGOV_VAR_DIR", testing::makeTempDir("p")}}));
  auto refused = app::SigningKeySource::create(prod.config, kLog, app::kAuditSigningKeySecret);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "AUDIT_SIGNING_KEY is required in prod (an Ed25519 private key, PEM)");
}

TEST(SigningKeys, CheckpointSettingsAreRead) {
  auto loaded = app::loadConfig(testing::mapLookup(
      {{"APP_ENV", "test"}, {"AUDIT_CHECKPOINT_INTERVAL_SECONDS", "0"}, {"AUDIT_CHECKPOINT_EVERY_ENTRIES", "500"}}));
  EXPECT_EQ(loaded.config.audit_checkpoints.interval.count(), 0);
  EXPECT_EQ(loaded.config.audit_checkpoints.every_entries, 500);
  auto bad = app::loadConfig(testing::mapLookup({{"APP_ENV", "test"}, {"AUDIT_CHECKPOINT_EVERY_ENTRIES", "-1"}}));
  EXPECT_FALSE(bad.ok());
}

}  // namespace fraudgov
