// The two signed documents: exact shape, predecessor compatibility of the runtime pointer,
// strict parsing and the signature envelope.
#include "common/crypto.h"
#include "publish/manifest.h"

#include <gtest/gtest.h>

#include "publish_fixtures.h"

namespace fraudgov::publish {
namespace {

using testing::parseObject;
using testing::reasonOf;

constexpr std::string_view kVersionManifestJcs =
    R"({"approved_at":"2026-01-15T10:30:00.123456Z","artifact_uri":"s3://fraudgov-artifacts/rulesets/prod/APAC/IN/CARD_AUTH/v7/ruleset.json",)"
    R"("checker":{"issuer":"https://idp.example.com/","subject":"auth0|checker-2"},"checksum":"CHECKSUM",)"
    R"("compiler_version":"fraudgov-compiler/1.0.0","country":"IN","environment":"prod","field_registry_version":3,)"
    R"("maker":{"issuer":"https://idp.example.com/","subject":"auth0|maker-1"},"region":"APAC","rule_type":"AUTH",)"
    R"("ruleset_id":"0193f0a2-7c1e-7b3a-9d4e-2f6a8b1c0d11","ruleset_key":"CARD_AUTH","ruleset_version":7,)"
    R"("ruleset_version_id":"0193f0a2-7c1e-7b3a-9d4e-2f6a8b1c0d22","schema_version":"fraudgov.manifest/1"})";

std::string withChecksum(std::string_view text) {
  std::string out(text);
  out.replace(out.find("CHECKSUM"), 8, crypto::sha256Checksum(testing::kArtifact));
  return out;
}

TEST(VersionManifest, SerializesToExactlyTheseCanonicalBytes) {
  EXPECT_EQ(json::canonicalize(toJson(testing::sampleManifest())), withChecksum(kVersionManifestJcs));
}

TEST(VersionManifest, UnknownRegistryVersionIsAnExplicitNull) {
  auto m = testing::sampleManifest();
  m.field_registry_version.reset();
  const auto payload = toJson(m);
  ASSERT_TRUE(payload.contains("field_registry_version"));
  EXPECT_TRUE(payload.at("field_registry_version").is_null());
  auto back = parseVersionManifest(payload);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, m);
}

TEST(VersionManifest, ParsesBackToTheSameValue) {
  auto back = parseVersionManifest(toJson(testing::sampleManifest()));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, testing::sampleManifest());
}

TEST(ActivationRecord, KeepsEveryMemberOfThePredecessorPointer) {
  // predecessor-spec §10.3 step 6: the runtime pointer's members, under the same names and types.
  const auto record = testing::sampleRecord();
  const auto payload = toJson(record);
  EXPECT_EQ(payload.at("artifact_uri"), boost::json::value(record.version.artifact_uri));
  EXPECT_EQ(payload.at("checksum"), boost::json::value(record.version.checksum));
  EXPECT_EQ(payload.at("country"), "IN");
  EXPECT_EQ(payload.at("environment"), "prod");
  EXPECT_EQ(payload.at("field_registry_version"), 3);
  EXPECT_EQ(payload.at("published_at"), "2026-01-15T10:30:00.123456Z");
  EXPECT_EQ(payload.at("region"), "APAC");
  EXPECT_EQ(payload.at("ruleset_key"), "CARD_AUTH");
  EXPECT_EQ(payload.at("ruleset_version"), 7);
  EXPECT_EQ(payload.at("schema_version"), "1.1");
  EXPECT_TRUE(payload.at("checksum").as_string().starts_with("sha256:"));
  EXPECT_EQ(payload.at("checksum").as_string().size(), 71u);
}

TEST(ActivationRecord, AddsTheVersionManifestFieldsAndTheSequence) {
  const auto payload = toJson(testing::sampleRecord());
  for (const auto* name :
       {"ruleset_id", "ruleset_version_id", "rule_type", "compiler_version", "maker", "checker", "approved_at",
        "activation_sequence", "activated_at", "activated_by", "previous_sequence", "rollback"}) {
    EXPECT_TRUE(payload.contains(name)) << name;
  }
  EXPECT_EQ(payload.at("activation_sequence"), 12);
  EXPECT_EQ(payload.at("previous_sequence"), 11);
  EXPECT_EQ(payload.at("activated_by").at("subject"), "auth0|admin-3");
  EXPECT_EQ(payload.size(), 22u);
}

TEST(ActivationRecord, OmitsAnUnknownRegistryVersionAsThePredecessorDid) {
  auto record = testing::sampleRecord();
  record.version.field_registry_version.reset();
  record.previous_sequence.reset();
  const auto payload = toJson(record);
  EXPECT_FALSE(payload.contains("field_registry_version"));
  EXPECT_TRUE(payload.at("previous_sequence").is_null());
  auto back = parseActivationRecord(payload);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, record);
}

TEST(ActivationRecord, ParsesBackToTheSameValue) {
  auto record = testing::sampleRecord();
  record.rollback = true;
  auto back = parseActivationRecord(toJson(record));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, record);
}

// Applies `edit` to a valid payload of either kind and returns the parse's reason code.
template <class Edit>
std::string manifestReason(Edit edit) {
  auto payload = toJson(testing::sampleManifest());
  edit(payload);
  return reasonOf(parseVersionManifest(payload));
}

template <class Edit>
std::string recordReason(Edit edit) {
  auto payload = toJson(testing::sampleRecord());
  edit(payload);
  return reasonOf(parseActivationRecord(payload));
}

TEST(ManifestParsing, RefusesMissingUnknownAndMistypedMembers) {
  using O = boost::json::object;
  EXPECT_EQ(manifestReason([](O&) {}), "(success)");
  EXPECT_EQ(manifestReason([](O& p) { p.erase("region"); }), reason::kMalformedManifest);
  EXPECT_EQ(manifestReason([](O& p) { p.erase("field_registry_version"); }), reason::kMalformedManifest);
  EXPECT_EQ(manifestReason([](O& p) { p["extra"] = 1; }), reason::kMalformedManifest);
  EXPECT_EQ(manifestReason([](O& p) { p["ruleset_version"] = "7"; }), reason::kMalformedManifest);
  EXPECT_EQ(manifestReason([](O& p) { p["ruleset_version"] = 7.0; }), reason::kMalformedManifest);
  EXPECT_EQ(manifestReason([](O& p) { p["ruleset_version"] = 0; }), reason::kMalformedManifest);
  EXPECT_EQ(manifestReason([](O& p) { p["field_registry_version"] = "3"; }), reason::kMalformedManifest);
  EXPECT_EQ(manifestReason([](O& p) { p["region"] = ""; }), reason::kMalformedManifest);
  EXPECT_EQ(manifestReason([](O& p) { p["region"] = nullptr; }), reason::kMalformedManifest);
  EXPECT_EQ(manifestReason([](O& p) { p["checksum"] = "sha256:ABC"; }), reason::kMalformedManifest);
  EXPECT_EQ(manifestReason([](O& p) { p["checksum"] = "md5:" + std::string(64, 'a'); }), reason::kMalformedManifest);
  EXPECT_EQ(manifestReason([](O& p) { p["approved_at"] = "2026-01-15"; }), reason::kMalformedManifest);
  EXPECT_EQ(manifestReason([](O& p) { p["approved_at"] = "2026-01-15T10:30:00.123456+00:00Z"; }),
            reason::kMalformedManifest);
  EXPECT_EQ(manifestReason([](O& p) { p["maker"].as_object().erase("issuer"); }), reason::kMalformedManifest);
  EXPECT_EQ(manifestReason([](O& p) { p["maker"].as_object()["role"] = "MAKER"; }), reason::kMalformedManifest);
  EXPECT_EQ(manifestReason([](O& p) { p["checker"] = "auth0|checker-2"; }), reason::kMalformedManifest);
  EXPECT_EQ(manifestReason([](O& p) { p.erase("schema_version"); }), reason::kMalformedManifest);
  EXPECT_EQ(manifestReason([](O& p) { p["schema_version"] = "fraudgov.manifest/2"; }), reason::kUnsupportedSchema);
  EXPECT_EQ(manifestReason([](O& p) { p["schema_version"] = "1.1"; }), reason::kUnsupportedSchema);
}

TEST(ManifestParsing, RefusesInconsistentActivationRecords) {
  using O = boost::json::object;
  EXPECT_EQ(recordReason([](O&) {}), "(success)");
  EXPECT_EQ(recordReason([](O& p) { p.erase("published_at"); }), reason::kMalformedManifest);
  EXPECT_EQ(recordReason([](O& p) { p["field_registry_version"] = nullptr; }), reason::kMalformedManifest);
  EXPECT_EQ(recordReason([](O& p) { p["activation_sequence"] = 0; }), reason::kMalformedManifest);
  EXPECT_EQ(recordReason([](O& p) { p["activation_sequence"] = -5; }), reason::kMalformedManifest);
  EXPECT_EQ(recordReason([](O& p) { p["previous_sequence"] = 12; }), reason::kMalformedManifest);
  EXPECT_EQ(recordReason([](O& p) { p.erase("previous_sequence"); }), reason::kMalformedManifest);
  EXPECT_EQ(recordReason([](O& p) { p["rollback"] = "false"; }), reason::kMalformedManifest);
  EXPECT_EQ(recordReason([](O& p) { p["activated_by"] = boost::json::object{}; }), reason::kMalformedManifest);
  EXPECT_EQ(recordReason([](O& p) { p["schema_version"] = "1.0"; }), reason::kUnsupportedSchema);
}

TEST(SignedDocument, IsCanonicalJsonWithASignatureMember) {
  const auto key = testing::rfc8032Key();
  const std::string bytes = signDocument(toJson(testing::sampleManifest()), key);
  EXPECT_EQ(json::canonicalize(*json::parseStrict(bytes)), bytes);

  auto document = parseObject(bytes);
  const auto signature = document.at("signature").as_object();
  EXPECT_EQ(signature.size(), 3u);
  EXPECT_EQ(signature.at("alg"), "EdDSA");
  EXPECT_EQ(signature.at("kid"), boost::json::value(key.kid()));
  const auto value = base64::decodeUrl(signature.at("value").as_string());
  ASSERT_TRUE(value);
  // Checked independently of verifyDocument: the signature covers the payload's JCS bytes.
  document.erase("signature");
  EXPECT_EQ(json::canonicalize(document), withChecksum(kVersionManifestJcs));
  EXPECT_TRUE(key.publicKey().verify(withChecksum(kVersionManifestJcs), *value));
}

TEST(SignedDocument, SigningIsDeterministicAndReplacesAnOldSignature) {
  const auto key = testing::rfc8032Key();
  const std::string once = signDocument(toJson(testing::sampleRecord()), key);
  EXPECT_EQ(signDocument(toJson(testing::sampleRecord()), key), once);
  EXPECT_EQ(signDocument(parseObject(once), key), once);
}

TEST(SignedDocument, VerifiesRegardlessOfLayout) {
  const auto key = testing::freshKey();
  const std::string bytes = signDocument({{"b", 1}, {"a", boost::json::array{1, 2}}}, key);
  auto document = parseObject(bytes);
  std::string pretty =
      "{\n  \"signature\": " + json::serialize(document.at("signature")) + ",\n  \"b\": 1, \"a\": [1, 2]\n}";
  auto verified = verifyDocument(pretty, std::vector{key.publicKey()});
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_FALSE(verified->contains("signature"));
  EXPECT_EQ(verified->at("b"), 1);
}

TEST(SignedDocument, RefusesBrokenEnvelopes) {
  const auto key = testing::freshKey();
  const std::vector keys{key.publicKey()};
  const std::string bytes = signDocument({{"n", 1}}, key);
  auto edited = [&](auto edit) { return reasonOf(verifyDocument(testing::tamper(bytes, edit), keys)); };
  using O = boost::json::object;
  EXPECT_EQ(edited([](O&) {}), "(success)");
  EXPECT_EQ(edited([](O& d) { d.erase("signature"); }), reason::kMalformedManifest);
  EXPECT_EQ(edited([](O& d) { d["signature"] = "abc"; }), reason::kMalformedManifest);
  EXPECT_EQ(edited([](O& d) { d["signature"].as_object()["alg"] = "none"; }), reason::kMalformedManifest);
  EXPECT_EQ(edited([](O& d) { d["signature"].as_object()["alg"] = "ES256"; }), reason::kMalformedManifest);
  EXPECT_EQ(edited([](O& d) { d["signature"].as_object()["extra"] = 1; }), reason::kMalformedManifest);
  EXPECT_EQ(edited([](O& d) { d["signature"].as_object().erase("kid"); }), reason::kMalformedManifest);
  EXPECT_EQ(edited([](O& d) { d["signature"].as_object()["value"] = 5; }), reason::kMalformedManifest);
  EXPECT_EQ(edited([](O& d) { d["signature"].as_object()["kid"] = "someone-else"; }), reason::kUnknownKey);
  EXPECT_EQ(edited([](O& d) { d["signature"].as_object()["value"] = "!!"; }), reason::kBadSignature);
  EXPECT_EQ(edited([](O& d) { d["n"] = 2; }), reason::kBadSignature);
  EXPECT_EQ(edited([](O& d) { d["m"] = 1; }), reason::kBadSignature);
}

// Ed25519 is deterministic and the payload canonical, so these bytes may only change on purpose.
// Cross-checked outside this code base: `openssl pkeyutl -verify -rawin` accepts the signature over
// the document without its signature member.
constexpr std::string_view kSignatureSuffix =
    R"(,"signature":{"alg":"EdDSA","kid":"kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k","value":")";
constexpr std::string_view kGoldenManifestSignature =
    "42Xv5zm8RbpJrI9JJSFN1FaCWx53p8kXVNG6knJvYrmCAsYH0TFCa6aqIrval9JC9MTZ2lwvxtxGcc2gfIhkBw";
constexpr std::string_view kGoldenRecord =
    R"({"activated_at":"2026-01-16T08:00:00Z","activated_by":{"issuer":"https://idp.example.com/","subject":"auth0|admin-3"},)"
    R"("activation_sequence":12,"approved_at":"2026-01-15T10:30:00.123456Z",)"
    R"("artifact_uri":"s3://fraudgov-artifacts/rulesets/prod/APAC/IN/CARD_AUTH/v7/ruleset.json",)"
    R"("checker":{"issuer":"https://idp.example.com/","subject":"auth0|checker-2"},)"
    R"("checksum":"sha256:2565c0056ab512ca9bf7b176b00a7b2d37a5e41d5b227bf1dd35efb6eaf9caec",)"
    R"("compiler_version":"fraudgov-compiler/1.0.0","country":"IN","environment":"prod","field_registry_version":3,)"
    R"("maker":{"issuer":"https://idp.example.com/","subject":"auth0|maker-1"},"previous_sequence":11,)"
    R"("published_at":"2026-01-15T10:30:00.123456Z","region":"APAC","rollback":false,"rule_type":"AUTH",)"
    R"("ruleset_id":"0193f0a2-7c1e-7b3a-9d4e-2f6a8b1c0d11","ruleset_key":"CARD_AUTH","ruleset_version":7,)"
    R"("ruleset_version_id":"0193f0a2-7c1e-7b3a-9d4e-2f6a8b1c0d22","schema_version":"1.1",)"
    R"("signature":{"alg":"EdDSA","kid":"kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k",)"
    R"("value":"LyZnJFAdhy8E_QlXRiU_kmkcSdYljVwj4xVQSD72vdBDXwClSLsh9PBLLwD4u_zLNUSBzh9bjiJkrU6lTSJmAA"}})";

TEST(SignedDocument, GoldenBytesWithTheRfc8032Key) {
  std::string manifest = withChecksum(kVersionManifestJcs);
  manifest.pop_back();  // the closing brace: the signature member sorts last
  manifest += std::string(kSignatureSuffix) + std::string(kGoldenManifestSignature) + "\"}}";
  EXPECT_EQ(signDocument(toJson(testing::sampleManifest()), testing::rfc8032Key()), manifest);
  EXPECT_EQ(signDocument(toJson(testing::sampleRecord()), testing::rfc8032Key()), kGoldenRecord);
  EXPECT_TRUE(verifyDocument(kGoldenRecord, std::vector{testing::rfc8032Key().publicKey()}));
}

}  // namespace
}  // namespace fraudgov::publish
