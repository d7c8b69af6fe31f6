#pragma once
// Shared inputs of the publish tests: the RFC 8032 test-vector key, fixed documents, and helpers
// that tamper with signed bytes without re-signing them.

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "common/crypto.h"
#include "common/base64.h"
#include "common/canonical_json.h"
#include "common/json.h"
#include "common/time.h"
#include "publish/manifest.h"
#include "publish/signing_key.h"
#include "publish/verify_failure.h"

namespace fraudgov::publish::testing {

inline std::string fromHex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// RFC 8032 §7.1 TEST 1 (also the key of RFC 8037 Appendix A).
inline constexpr std::string_view kRfc8032Seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
inline constexpr std::string_view kRfc8032Public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
inline constexpr std::string_view kRfc8032EmptySignature =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe2465"
    "5141438e7a100b";

// An Ed25519 seed wrapped as PKCS#8 (RFC 8410 §7: fixed 16-byte prefix, then the 32-byte seed).
inline std::string pkcs8Pem(std::string_view seed_hex) {
  const std::string der = fromHex("302e020100300506032b657004220420") + fromHex(seed_hex);
  return "-----BEGIN PRIVATE KEY-----\n" + base64::encode(der) + "\n-----END PRIVATE KEY-----\n";
}

inline ArtifactSigningKey rfc8032Key() {
  auto key = ArtifactSigningKey::fromPrivatePem(pkcs8Pem(kRfc8032Seed));
  EXPECT_TRUE(key) << (key ? "" : key.error().message);
  return *key;
}

inline ArtifactSigningKey freshKey() { return *ArtifactSigningKey::generate(); }

inline Timestamp at(std::string_view iso) { return *parseIso(iso); }

inline constexpr std::string_view kArtifact = R"({"evaluation":{"mode":"FIRST_MATCH"},"rules":[],"ruleType":"AUTH"})";

inline VersionManifest sampleManifest() {
  VersionManifest m;
  m.artifact_uri = "s3://fraudgov-artifacts/rulesets/prod/APAC/IN/CARD_AUTH/v7/ruleset.json";
  m.checksum = crypto::sha256Checksum(kArtifact);
  m.environment = "prod";
  m.region = "APAC";
  m.country = "IN";
  m.ruleset_key = "CARD_AUTH";
  m.rule_type = "AUTH";
  m.ruleset_id = "0193f0a2-7c1e-7b3a-9d4e-2f6a8b1c0d11";
  m.ruleset_version_id = "0193f0a2-7c1e-7b3a-9d4e-2f6a8b1c0d22";
  m.ruleset_version = 7;
  m.compiler_version = "fraudgov-compiler/1.0.0";
  m.field_registry_version = 3;
  m.maker = {"https://idp.example.com/", "auth0|maker-1"};
  m.checker = {"https://idp.example.com/", "auth0|checker-2"};
  m.approved_at = at("2026-01-15T10:30:00.123456Z");
  return m;
}

inline ActivationRecord sampleRecord() {
  ActivationRecord r;
  r.version = sampleManifest();
  r.published_at = at("2026-01-15T10:30:00.123456Z");
  r.activation_sequence = 12;
  r.activated_at = at("2026-01-16T08:00:00Z");
  r.activated_by = {"https://idp.example.com/", "auth0|admin-3"};
  r.previous_sequence = 11;
  r.rollback = false;
  return r;
}

inline boost::json::object parseObject(std::string_view text) { return json::parseStrict(text)->as_object(); }

// Re-serializes a signed document after `edit`, keeping its signature member as it was.
template <class Edit>
std::string tamper(std::string_view signed_bytes, Edit edit) {
  auto document = parseObject(signed_bytes);
  edit(document);
  return json::canonicalize(document);
}

// A copy, so it outlives the temporary Result it came from.
template <class T>
std::string reasonOf(const Result<T>& r) {
  return r ? "(success)" : std::string(failureReason(r.error()));
}

}  // namespace fraudgov::publish::testing
