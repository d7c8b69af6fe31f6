#pragma once
// The two signed documents of a published ruleset (SPEC §4 "Artifacts"):
//  * VersionManifest, written once per approved ruleset version next to its immutable
//    ruleset.json: binds the artifact checksum to where it may run and who approved it.
//  * ActivationRecord, the runtime pointer manifest.json of a ruleset key, rewritten at every
//    activation and rollback. It keeps every member of the predecessor's pointer
//    (predecessor-spec §10.3), so runtimes that read that pointer keep working, and adds the
//    version manifest's fields plus a strictly increasing activation_sequence (anti-rollback).
// Both are signed with signDocument.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/time.h"
#include "publish/signed_document.h"

namespace fraudgov::publish {

inline constexpr std::string_view kVersionManifestSchema = "fraudgov.manifest/1";
// The predecessor's pointer schema, kept so its runtimes still accept the record.
inline constexpr std::string_view kActivationRecordSchema = "1.1";

// An identity as the identity provider states it; sub alone is not unique across issuers.
struct Actor {
  std::string issuer;
  std::string subject;
  bool operator==(const Actor&) const = default;
};

struct VersionManifest {
  std::string artifact_uri;
  std::string checksum;  // "sha256:<64 lowercase hex>" of the artifact bytes
  std::string environment;
  std::string region;
  std::string country;
  std::string ruleset_key;  // e.g. CARD_AUTH
  std::string rule_type;
  std::string ruleset_id;
  std::string ruleset_version_id;
  std::int64_t ruleset_version = 0;  // N of .../v{N}/ruleset.json
  std::string compiler_version;
  std::optional<std::int64_t> field_registry_version;
  Actor maker;
  Actor checker;
  Timestamp approved_at;
  bool operator==(const VersionManifest&) const = default;
};

struct ActivationRecord {
  VersionManifest version;  // the version now active
  // When the artifact was published (written at approval); the predecessor's pointer member.
  Timestamp published_at;
  std::int64_t activation_sequence = 0;  // per ruleset key, starts at 1, strictly increasing
  Timestamp activated_at;
  Actor activated_by;
  // The sequence this record replaces (nullopt for the first activation of the ruleset key).
  std::optional<std::int64_t> previous_sequence;
  // True when this activation returns to an older version than the one it replaces.
  bool rollback = false;
  bool operator==(const ActivationRecord&) const = default;
};

// The unsigned payloads. field_registry_version is null in a version manifest when unknown, and
// omitted from an activation record then, as the predecessor's pointer did.
boost::json::object toJson(const VersionManifest& manifest);
boost::json::object toJson(const ActivationRecord& record);

// Strict inverses of toJson, for payloads already stripped of their signature: every member
// present with its exact type, no unknown member. Failures carry reason malformed_manifest
// (unsupported_schema when schema_version names another document).
Result<VersionManifest> parseVersionManifest(const boost::json::object& payload);
Result<ActivationRecord> parseActivationRecord(const boost::json::object& payload);

enum class DocumentKind { kVersionManifest, kActivationRecord };
// Which document `document` claims to be, from its schema_version alone (signature unchecked).
// Reasons: malformed_manifest when schema_version is missing or not a string,
// unsupported_schema when it names neither document.
Result<DocumentKind> documentKind(const boost::json::object& document);


}  // namespace fraudgov::publish
