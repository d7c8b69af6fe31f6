#pragma once
// Signed checkpoints of the audit chain's head (issue 11 item 5): the document that says, from
// outside the audit table, "the chain had this many rows and this head hash at this time". It is
// signed with the same envelope as manifests (signed_document.h) by the AUDIT_SIGNING_KEY key
// (an ArtifactSigningKey: one Ed25519 mechanism), and stored in the artifact store under
// audit-checkpoints/<sequence>.json and audit-checkpoints/latest.json, plus the database.
// The public keys that verify checkpoints are published as a key set (key_ring.h) at
// keys/audit-keys.json, so rotation keeps old checkpoints verifiable.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/time.h"
#include "publish/signing_key.h"

namespace fraudgov::publish {

inline constexpr std::string_view kAuditCheckpointSchema = "fraudgov.audit-checkpoint/1";

struct AuditCheckpoint {
  std::int64_t sequence = 0;  // seq of the head row (>= 1)
  std::string head_hash;      // its row_hash (64 lowercase hex)
  Timestamp checkpointed_at;
  std::string environment;  // PUBLISH_ENVIRONMENT of the instance that signed it
  std::string kid;          // the signing key, signed inside the payload too
  bool operator==(const AuditCheckpoint&) const = default;
};

// {"schema_version","sequence","head_hash","checkpointed_at","environment","kid"}
boost::json::object toJson(const AuditCheckpoint& checkpoint);
// Strict inverse of toJson. Failures carry reason malformed_manifest (unsupported_schema for
// another schema_version).
Result<AuditCheckpoint> parseAuditCheckpoint(const boost::json::object& payload);

// The canonical signed bytes; checkpoint.kid is set to the key's kid.
std::string signAuditCheckpoint(AuditCheckpoint checkpoint, const ArtifactSigningKey& key);
// Signature (unknown_key, bad_signature), shape (malformed_manifest), the payload kid equal to the
// envelope's, and, when `environment` is not empty, the environment (environment_mismatch).
Result<AuditCheckpoint> verifyAuditCheckpoint(std::string_view bytes, const std::vector<ArtifactPublicKey>& keys,
                                              std::string_view environment = {});

// audit-checkpoints/<sequence>.json, audit-checkpoints/latest.json, keys/audit-keys.json
std::string auditCheckpointKey(std::int64_t sequence);
std::string auditCheckpointLatestKey();
std::string auditKeysKey();

}  // namespace fraudgov::publish
