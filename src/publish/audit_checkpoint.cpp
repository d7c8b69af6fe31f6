#include "publish/audit_checkpoint.h"

#include "publish/member_reader.h"
#include "publish/signed_document.h"
#include "publish/verify_failure.h"

namespace fraudgov::publish {

namespace {

bool isHexHash(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

boost::json::object toJson(const AuditCheckpoint& c) {
  return {{"schema_version", kAuditCheckpointSchema},
          {"sequence", c.sequence},
          {"head_hash", c.head_hash},
          {"checkpointed_at", formatIso(c.checkpointed_at)},
          {"environment", c.environment},
          {"kid", c.kid}};
}

Result<AuditCheckpoint> parseAuditCheckpoint(const boost::json::object& payload) {
  const auto* schema = payload.if_contains("schema_version");
  if (schema != nullptr && schema->is_string() && schema->get_string() != kAuditCheckpointSchema) {
    return fail(verifyFailure(reason::kUnsupportedSchema, "The document is not an audit checkpoint",
                              {{"schema_version", clip(schema->get_string())}}));
  }
  MemberReader in(payload);
  in.literal("schema_version", kAuditCheckpointSchema);
  AuditCheckpoint c;
  c.sequence = in.integer("sequence", 1);
  c.head_hash = in.string("head_hash");
  c.checkpointed_at = in.timestamp("checkpointed_at");
  c.environment = in.string("environment");
  c.kid = in.string("kid");
  if (!c.head_hash.empty() && !isHexHash(c.head_hash)) in.problem("head_hash must be 64 lowercase hex digits");
  if (auto problem = in.finish()) return fail(verifyFailure(reason::kMalformedManifest, *problem));
  return c;
}

std::string signAuditCheckpoint(AuditCheckpoint checkpoint, const ArtifactSigningKey& key) {
  checkpoint.kid = key.kid();
  return signDocument(toJson(checkpoint), key);
}

Result<AuditCheckpoint> verifyAuditCheckpoint(std::string_view bytes, const std::vector<ArtifactPublicKey>& keys,
                                              std::string_view environment) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto document, parseSignedDocument(bytes));
  std::string envelope_kid;
  if (const auto* sig = document.if_contains(kSignatureMember); sig != nullptr && sig->is_object()) {
    if (const auto* kid = sig->get_object().if_contains("kid"); kid != nullptr && kid->is_string()) {
      envelope_kid = std::string(kid->get_string());
    }
  }
  FRAUDGOV_ASSIGN_OR_RETURN(auto payload, verifySignedObject(std::move(document), keys));
  FRAUDGOV_ASSIGN_OR_RETURN(auto checkpoint, parseAuditCheckpoint(payload));
  if (checkpoint.kid != envelope_kid) {
    return fail(verifyFailure(reason::kMalformedManifest, "The checkpoint names another key than its signature"));
  }
  if (!environment.empty() && checkpoint.environment != environment) {
    return fail(verifyFailure(reason::kEnvironmentMismatch, "The checkpoint belongs to another environment",
                              {{"environment", clip(checkpoint.environment)}}));
  }
  return checkpoint;
}

std::string auditCheckpointKey(std::int64_t sequence) {
  return "audit-checkpoints/" + std::to_string(sequence) + ".json";
}
std::string auditCheckpointLatestKey() { return "audit-checkpoints/latest.json"; }
std::string auditKeysKey() { return "keys/audit-keys.json"; }

}  // namespace fraudgov::publish
