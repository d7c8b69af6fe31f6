// Signed audit checkpoints (publish/audit_checkpoint.h): the manifests' envelope and keys.
#include "publish/audit_checkpoint.h"

#include <gtest/gtest.h>

#include "common/canonical_json.h"
#include "common/json.h"
#include "publish/signed_document.h"
#include "publish/verify_failure.h"

namespace fraudgov::publish {

namespace {
AuditCheckpoint sample() { return {42, std::string(64, 'a'), Timestamp{1767225600000000}, "prod", ""}; }
}  // namespace

TEST(AuditCheckpoint, SignsAndVerifiesWithTheKidInsideThePayload) {
  auto key = ArtifactSigningKey::generate();
  ASSERT_TRUE(key);
  const std::string bytes = signAuditCheckpoint(sample(), *key);
  auto verified = verifyAuditCheckpoint(bytes, {key->publicKey()}, "prod");
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->sequence, 42);
  EXPECT_EQ(verified->kid, key->kid());
  EXPECT_EQ(auditCheckpointKey(42), "audit-checkpoints/42.json");
}

TEST(AuditCheckpoint, RefusalsCarryStableReasons) {
  auto key = ArtifactSigningKey::generate();
  auto other = ArtifactSigningKey::generate();
  const std::string bytes = signAuditCheckpoint(sample(), *key);
  auto reasonOf = [](const Result<AuditCheckpoint>& r) { return r ? std::string() : std::string(failureReason(r.error())); };
  EXPECT_EQ(reasonOf(verifyAuditCheckpoint(bytes, {other->publicKey()})), "unknown_key");
  EXPECT_EQ(reasonOf(verifyAuditCheckpoint(bytes, {key->publicKey()}, "test")), "environment_mismatch");
  auto doc = json::parseStrict(bytes)->as_object();
  doc["sequence"] = 43;
  EXPECT_EQ(reasonOf(verifyAuditCheckpoint(json::canonicalize(doc), {key->publicKey()})), "bad_signature");
  // Another key's signature over a payload naming the first key's kid.
  auto forged = sample();
  forged.kid = key->kid();
  auto payload = toJson(forged);
  const std::string mixed = signDocument(payload, *other);
  EXPECT_EQ(reasonOf(verifyAuditCheckpoint(mixed, {key->publicKey(), other->publicKey()})), "malformed_manifest");
  EXPECT_EQ(reasonOf(verifyAuditCheckpoint("{}", {key->publicKey()})), "malformed_manifest");
}

}  // namespace fraudgov::publish
