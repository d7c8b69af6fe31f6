#pragma once
// What a runtime (and `fraudgov verify-artifact`) checks before it loads a ruleset artifact:
// the manifest is signed by a pinned key, names this artifact's bytes, this environment, and is
// not older than the last activation the runtime accepted. Either signed document is accepted.
// Each refusal carries one reason code in details["reason"] (publish/verify_failure.h).

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "publish/signing_key.h"

namespace fraudgov::publish {

struct VerifyOptions {
  std::optional<std::string> environment;    // refuse manifests of any other environment
  std::optional<std::int64_t> min_sequence;  // refuse activation records with a lower sequence
};

struct VerifiedManifest {
  boost::json::object payload;  // the signed members, without "signature"
  bool is_activation_record = false;
  std::optional<std::int64_t> sequence;  // activation_sequence of an activation record
};

// Checks, in order: document shape and schema (malformed_manifest, unsupported_schema), key and
// signature (unknown_key, bad_signature), payload members (malformed_manifest), environment
// (environment_mismatch), artifact checksum (checksum_mismatch), sequence (stale_sequence).
// A version manifest carries no sequence, so asking for min_sequence refuses it (stale_sequence):
// it cannot prove it is not a rollback.
Result<VerifiedManifest> verifyArtifact(std::string_view manifest_bytes, std::string_view artifact_bytes,
                                        const std::vector<ArtifactPublicKey>& keys, const VerifyOptions& options);

}  // namespace fraudgov::publish
