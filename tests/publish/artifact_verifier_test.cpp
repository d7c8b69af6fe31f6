// What a runtime checks before loading an artifact: one test per refusal reason, each changing
// exactly one thing in an otherwise valid (manifest, artifact, key) triple.
#include "common/crypto.h"
#include "publish/artifact_verifier.h"

#include <gtest/gtest.h>

#include "publish/key_ring.h"
#include "publish_fixtures.h"

namespace fraudgov::publish {
namespace {

using testing::reasonOf;
using testing::tamper;
using O = boost::json::object;

class VerifyArtifact : public ::testing::Test {
 protected:
  Result<VerifiedManifest> verify(std::string_view manifest, std::string_view artifact = testing::kArtifact,
                                  const VerifyOptions& options = {}) {
    return verifyArtifact(manifest, artifact, keys_, options);
  }

  ArtifactSigningKey key_ = testing::freshKey();
  std::vector<ArtifactPublicKey> keys_{key_.publicKey()};
  std::string manifest_ = signDocument(toJson(testing::sampleManifest()), key_);
  std::string record_ = signDocument(toJson(testing::sampleRecord()), key_);
  std::string artifact_{testing::kArtifact};
};

TEST_F(VerifyArtifact, AcceptsASignedVersionManifest) {
  auto verified = verify(manifest_, artifact_, {.environment = "prod"});
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_FALSE(verified->is_activation_record);
  EXPECT_EQ(verified->sequence, std::nullopt);
  EXPECT_FALSE(verified->payload.contains("signature"));
  EXPECT_EQ(verified->payload, toJson(testing::sampleManifest()));
}

TEST_F(VerifyArtifact, AcceptsASignedActivationRecordAtTheMinimumSequence) {
  auto verified = verify(record_, artifact_, {.environment = "prod", .min_sequence = 12});
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_TRUE(verified->is_activation_record);
  EXPECT_EQ(verified->sequence, 12);
  EXPECT_EQ(verified->payload.at("ruleset_key"), "CARD_AUTH");
}

TEST_F(VerifyArtifact, FlippedArtifactByteIsChecksumMismatch) {
  for (std::size_t i : {std::size_t{0}, artifact_.size() / 2, artifact_.size() - 1}) {
    std::string artifact = artifact_;
    artifact[i] = static_cast<char>(artifact[i] ^ 0x20);
    EXPECT_EQ(reasonOf(verify(manifest_, artifact)), reason::kChecksumMismatch) << i;
    EXPECT_EQ(reasonOf(verify(record_, artifact)), reason::kChecksumMismatch) << i;
  }
  EXPECT_EQ(reasonOf(verify(manifest_, artifact_ + "\n")), reason::kChecksumMismatch);
  EXPECT_EQ(reasonOf(verify(manifest_, "")), reason::kChecksumMismatch);
}

TEST_F(VerifyArtifact, FlippedSignatureByteIsBadSignature) {
  auto flip_decoded = [](O& d) {
    auto& value = d["signature"].as_object()["value"];
    std::string raw = *base64::decodeUrl(value.as_string());
    raw[20] = static_cast<char>(raw[20] ^ 0x01);
    value = base64::encodeUrl(raw);
  };
  EXPECT_EQ(reasonOf(verify(tamper(manifest_, flip_decoded))), reason::kBadSignature);
  EXPECT_EQ(reasonOf(verify(tamper(record_, flip_decoded))), reason::kBadSignature);
  // A flipped character of the text form: no longer base64url, or a different signature.
  std::string text = manifest_;
  const auto pos = text.find("\"value\":\"") + 12;
  text[pos] = text[pos] == 'A' ? 'B' : 'A';
  EXPECT_EQ(reasonOf(verify(text)), reason::kBadSignature);
  auto truncate = [](O& d) {
    auto& value = d["signature"].as_object()["value"];
    value = std::string(value.as_string()).substr(0, 84);
  };
  EXPECT_EQ(reasonOf(verify(tamper(manifest_, truncate))), reason::kBadSignature);
}

TEST_F(VerifyArtifact, PayloadEditedAfterSigningIsBadSignature) {
  EXPECT_EQ(reasonOf(verify(tamper(manifest_, [](O& d) { d["ruleset_version"] = 8; }))), reason::kBadSignature);
  EXPECT_EQ(reasonOf(verify(tamper(record_, [](O& d) { d["activation_sequence"] = 99; }))), reason::kBadSignature);
  EXPECT_EQ(reasonOf(verify(tamper(record_, [](O& d) { d["rollback"] = true; }))), reason::kBadSignature);
  EXPECT_EQ(
      reasonOf(verify(tamper(manifest_, [](O& d) { d["environment"] = "test"; }), artifact_, {.environment = "test"})),
      reason::kBadSignature);
  // Swapping in another artifact together with its checksum still needs the signature.
  const std::string other = R"({"rules":[{"action":"APPROVE"}]})";
  auto swapped = tamper(manifest_, [&](O& d) { d["checksum"] = crypto::sha256Checksum(other); });
  EXPECT_EQ(reasonOf(verify(swapped, other)), reason::kBadSignature);
}

TEST_F(VerifyArtifact, ManifestOfAnotherEnvironmentIsEnvironmentMismatch) {
  auto verified = verify(manifest_, artifact_, {.environment = "test"});
  EXPECT_EQ(reasonOf(verified), reason::kEnvironmentMismatch);
  EXPECT_EQ(verified.error().details.at("actual"), "prod");
  EXPECT_EQ(reasonOf(verify(record_, artifact_, {.environment = "PROD"})), reason::kEnvironmentMismatch);
}

TEST_F(VerifyArtifact, OlderSequenceIsStale) {
  auto verified = verify(record_, artifact_, {.min_sequence = 13});
  EXPECT_EQ(reasonOf(verified), reason::kStaleSequence);
  EXPECT_EQ(verified.error().details.at("sequence"), 12);
  EXPECT_TRUE(verify(record_, artifact_, {.min_sequence = 1}));
  // A version manifest cannot prove it is not a rollback.
  EXPECT_EQ(reasonOf(verify(manifest_, artifact_, {.min_sequence = 1})), reason::kStaleSequence);
}

TEST_F(VerifyArtifact, UnknownKeyIsUnknownKey) {
  const auto stranger = testing::freshKey();
  auto verified = verify(signDocument(toJson(testing::sampleManifest()), stranger));
  EXPECT_EQ(reasonOf(verified), reason::kUnknownKey);
  EXPECT_EQ(verified.error().details.at("kid"), boost::json::value(stranger.kid()));
  EXPECT_EQ(reasonOf(verifyArtifact(manifest_, artifact_, {}, {})), reason::kUnknownKey);
}

TEST_F(VerifyArtifact, RetiredKeyStillVerifiesThroughTheKeySet) {
  ArtifactKeyRing ring(key_, testing::at("2026-01-01T00:00:00Z"));
  ASSERT_TRUE(ring.rotate(testing::freshKey(), testing::at("2026-02-01T00:00:00Z")));
  auto pinned = parseKeySet(ring.keySetJson());
  ASSERT_TRUE(pinned);
  EXPECT_TRUE(verifyArtifact(record_, artifact_, pinned->publicKeys(), {}));
}

TEST_F(VerifyArtifact, GarbageIsMalformed) {
  for (std::string_view garbage :
       {"", "garbage", "{", "[]", "null", "42", "\"manifest\"", "{}", R"({"schema_version":1})", "\xff\xfe{}"}) {
    EXPECT_EQ(reasonOf(verify(garbage)), reason::kMalformedManifest) << garbage;
  }
  EXPECT_EQ(reasonOf(verify(std::string(kMaxSignedDocumentBytes + 1, ' '))), reason::kMalformedManifest);
}

TEST_F(VerifyArtifact, HostileInputIsBoundedAndNotEchoedInFull) {
  const std::string long_kid(10000, 'k');
  auto verified = verify(tamper(manifest_, [&](O& d) { d["signature"].as_object()["kid"] = long_kid; }));
  ASSERT_EQ(reasonOf(verified), reason::kUnknownKey);
  EXPECT_LT(verified.error().details.at("kid").as_string().size(), 100u);
  const std::string deep = R"({"schema_version":"1.1","x":)" + std::string(20, '[') + std::string(20, ']') + "}";
  EXPECT_EQ(reasonOf(verify(deep)), reason::kMalformedManifest);
}

TEST_F(VerifyArtifact, DuplicateKeysAreMalformed) {
  // The signed value says one thing; a lenient parser reading the last duplicate would see another.
  std::string doubled = manifest_;
  doubled.insert(1, R"("environment":"test",)");
  EXPECT_EQ(reasonOf(verify(doubled)), reason::kMalformedManifest);
}

TEST_F(VerifyArtifact, UnsignedDocumentIsMalformed) {
  EXPECT_EQ(reasonOf(verify(json::canonicalize(toJson(testing::sampleManifest())))), reason::kMalformedManifest);
  EXPECT_EQ(reasonOf(verify(tamper(record_, [](O& d) { d.erase("signature"); }))), reason::kMalformedManifest);
}

TEST_F(VerifyArtifact, ValidlySignedButMalformedPayloadIsMalformed) {
  auto broken = [&](auto edit) {
    auto payload = toJson(testing::sampleRecord());
    edit(payload);
    return reasonOf(verify(signDocument(std::move(payload), key_)));
  };
  EXPECT_EQ(broken([](O& p) { p.erase("checksum"); }), reason::kMalformedManifest);
  EXPECT_EQ(broken([](O& p) { p["activation_sequence"] = "12"; }), reason::kMalformedManifest);
  EXPECT_EQ(broken([](O& p) { p["unexpected"] = true; }), reason::kMalformedManifest);
}

TEST_F(VerifyArtifact, UnknownSchemaIsUnsupported) {
  auto payload = toJson(testing::sampleManifest());
  payload["schema_version"] = "fraudgov.manifest/2";
  EXPECT_EQ(reasonOf(verify(signDocument(payload, key_))), reason::kUnsupportedSchema);
  // Reported even without a valid signature: a newer format may sign differently.
  EXPECT_EQ(reasonOf(verify(R"({"schema_version":"2.0"})")), reason::kUnsupportedSchema);
}

TEST_F(VerifyArtifact, EveryRefusalCarriesOneStableReason) {
  auto verified = verify("garbage");
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(verified.error().details.at("reason"), "malformed_manifest");
  EXPECT_FALSE(verified.error().message.empty());
}

}  // namespace
}  // namespace fraudgov::publish
