#include "common/crypto.h"
#include "publish/artifact_verifier.h"

#include "publish/manifest.h"
#include "publish/signed_document.h"
#include "publish/verify_failure.h"

namespace fraudgov::publish {

namespace {

// What the verifier needs from either document, after its strict parse.
struct Bound {
  std::string environment;
  std::string checksum;
  std::optional<std::int64_t> sequence;
};

Result<Bound> readBound(const boost::json::object& payload, bool activation_record) {
  if (activation_record) {
    FRAUDGOV_ASSIGN_OR_RETURN(const auto record, parseActivationRecord(payload));
    return Bound{record.version.environment, record.version.checksum, record.activation_sequence};
  }
  FRAUDGOV_ASSIGN_OR_RETURN(const auto manifest, parseVersionManifest(payload));
  return Bound{manifest.environment, manifest.checksum, std::nullopt};
}

Status checkBinding(const Bound& bound, std::string_view artifact_bytes, const VerifyOptions& options) {
  if (options.environment && *options.environment != bound.environment) {
    return fail(verifyFailure(reason::kEnvironmentMismatch, "The manifest is for another environment",
                              {{"expected", *options.environment}, {"actual", bound.environment}}));
  }
  const std::string actual = crypto::sha256Checksum(artifact_bytes);
  if (actual != bound.checksum) {
    return fail(verifyFailure(reason::kChecksumMismatch, "The artifact does not match the manifest checksum",
                              {{"expected", bound.checksum}, {"actual", actual}}));
  }
  if (options.min_sequence && !bound.sequence) {
    return fail(verifyFailure(reason::kStaleSequence, "A version manifest carries no activation sequence",
                              {{"min_sequence", *options.min_sequence}}));
  }
  if (options.min_sequence && *bound.sequence < *options.min_sequence) {
    return fail(verifyFailure(reason::kStaleSequence, "The activation record is older than the minimum sequence",
                              {{"min_sequence", *options.min_sequence}, {"sequence", *bound.sequence}}));
  }
  return {};
}

}  // namespace

Result<VerifiedManifest> verifyArtifact(std::string_view manifest_bytes, std::string_view artifact_bytes,
                                        const std::vector<ArtifactPublicKey>& keys, const VerifyOptions& options) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto document, parseSignedDocument(manifest_bytes));
  // The schema is read before the signature is checked: a document of a newer format gets the
  // accurate "unsupported" answer rather than a signature failure it cannot avoid.
  FRAUDGOV_ASSIGN_OR_RETURN(const DocumentKind kind, documentKind(document));
  const bool activation_record = kind == DocumentKind::kActivationRecord;
  FRAUDGOV_ASSIGN_OR_RETURN(auto payload, verifySignedObject(std::move(document), keys));
  FRAUDGOV_ASSIGN_OR_RETURN(const Bound bound, readBound(payload, activation_record));
  FRAUDGOV_RETURN_IF_ERROR(checkBinding(bound, artifact_bytes, options));
  return VerifiedManifest{std::move(payload), activation_record, bound.sequence};
}

}  // namespace fraudgov::publish
