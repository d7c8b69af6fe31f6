#include "publish/manifest.h"

#include <algorithm>

#include "common/crypto.h"
#include "publish/member_reader.h"
#include "publish/verify_failure.h"

namespace fraudgov::publish {

namespace {

constexpr std::string_view kChecksumPrefix = "sha256:";
constexpr std::size_t kSha256HexChars = 64;

boost::json::object actorJson(const Actor& actor) { return {{"issuer", actor.issuer}, {"subject", actor.subject}}; }

boost::json::value nullable(const std::optional<std::int64_t>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

// The members both documents share, under the same names.
void putVersionFields(boost::json::object& out, const VersionManifest& m) {
  out["artifact_uri"] = m.artifact_uri;
  out["checksum"] = m.checksum;
  out["environment"] = m.environment;
  out["region"] = m.region;
  out["country"] = m.country;
  out["ruleset_key"] = m.ruleset_key;
  out["rule_type"] = m.rule_type;
  out["ruleset_id"] = m.ruleset_id;
  out["ruleset_version_id"] = m.ruleset_version_id;
  out["ruleset_version"] = m.ruleset_version;
  out["compiler_version"] = m.compiler_version;
  out["maker"] = actorJson(m.maker);
  out["checker"] = actorJson(m.checker);
  out["approved_at"] = formatIso(m.approved_at);
}

bool isChecksum(std::string_view text) {
  if (!text.starts_with(kChecksumPrefix) || text.size() != kChecksumPrefix.size() + kSha256HexChars) return false;
  return std::all_of(text.begin() + kChecksumPrefix.size(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Actor readActor(MemberReader& in, std::string_view name) {
  const auto* object = in.object(name);
  if (object == nullptr) return {};
  MemberReader nested(*object, std::string(name) + ".");
  Actor actor{nested.string("issuer"), nested.string("subject")};
  if (auto problem = nested.finish()) in.problem(*problem);
  return actor;
}

// Everything but field_registry_version, whose presence rule differs between the documents.
VersionManifest readVersionFields(MemberReader& in) {
  VersionManifest m;
  m.artifact_uri = in.string("artifact_uri");
  m.checksum = in.string("checksum");
  if (!m.checksum.empty() && !isChecksum(m.checksum)) in.problem("checksum must be sha256:<64 lowercase hex>");
  m.environment = in.string("environment");
  m.region = in.string("region");
  m.country = in.string("country");
  m.ruleset_key = in.string("ruleset_key");
  m.rule_type = in.string("rule_type");
  m.ruleset_id = in.string("ruleset_id");
  m.ruleset_version_id = in.string("ruleset_version_id");
  m.ruleset_version = in.integer("ruleset_version", 1);
  m.compiler_version = in.string("compiler_version");
  m.maker = readActor(in, "maker");
  m.checker = readActor(in, "checker");
  m.approved_at = in.timestamp("approved_at");
  return m;
}

Status expectKind(const boost::json::object& payload, DocumentKind expected) {
  FRAUDGOV_ASSIGN_OR_RETURN(const DocumentKind kind, documentKind(payload));
  if (kind != expected) {
    return fail(verifyFailure(reason::kUnsupportedSchema, "schema_version names the other signed document",
                              {{"schema_version", payload.at("schema_version")}}));
  }
  return {};
}

Status finish(const MemberReader& in) {
  if (auto problem = in.finish()) return fail(verifyFailure(reason::kMalformedManifest, *problem));
  return {};
}

}  // namespace

Result<DocumentKind> documentKind(const boost::json::object& document) {
  const auto* schema = document.if_contains("schema_version");
  if (schema == nullptr || !schema->is_string()) {
    return fail(verifyFailure(reason::kMalformedManifest, "schema_version is missing or not a string"));
  }
  if (schema->get_string() == kVersionManifestSchema) return DocumentKind::kVersionManifest;
  if (schema->get_string() == kActivationRecordSchema) return DocumentKind::kActivationRecord;
  return fail(verifyFailure(reason::kUnsupportedSchema, "Unsupported schema_version",
                            {{"schema_version", clip(schema->get_string())}}));
}

boost::json::object toJson(const VersionManifest& manifest) {
  boost::json::object out;
  out["schema_version"] = kVersionManifestSchema;
  putVersionFields(out, manifest);
  out["field_registry_version"] = nullable(manifest.field_registry_version);
  return out;
}

boost::json::object toJson(const ActivationRecord& record) {
  boost::json::object out;
  out["schema_version"] = kActivationRecordSchema;
  putVersionFields(out, record.version);
  if (record.version.field_registry_version) out["field_registry_version"] = *record.version.field_registry_version;
  out["published_at"] = formatIso(record.published_at);
  out["activation_sequence"] = record.activation_sequence;
  out["activated_at"] = formatIso(record.activated_at);
  out["activated_by"] = actorJson(record.activated_by);
  out["previous_sequence"] = nullable(record.previous_sequence);
  out["rollback"] = record.rollback;
  return out;
}

Result<VersionManifest> parseVersionManifest(const boost::json::object& payload) {
  FRAUDGOV_RETURN_IF_ERROR(expectKind(payload, DocumentKind::kVersionManifest));
  MemberReader in(payload);
  in.literal("schema_version", kVersionManifestSchema);
  VersionManifest m = readVersionFields(in);
  m.field_registry_version = in.nullableInteger("field_registry_version", 0);
  FRAUDGOV_RETURN_IF_ERROR(finish(in));
  return m;
}

Result<ActivationRecord> parseActivationRecord(const boost::json::object& payload) {
  FRAUDGOV_RETURN_IF_ERROR(expectKind(payload, DocumentKind::kActivationRecord));
  MemberReader in(payload);
  in.literal("schema_version", kActivationRecordSchema);
  ActivationRecord r;
  r.version = readVersionFields(in);
  r.version.field_registry_version = in.optionalInteger("field_registry_version", 0);
  r.published_at = in.timestamp("published_at");
  r.activation_sequence = in.integer("activation_sequence", 1);
  r.activated_at = in.timestamp("activated_at");
  r.activated_by = readActor(in, "activated_by");
  r.previous_sequence = in.nullableInteger("previous_sequence", 1);
  r.rollback = in.boolean("rollback");
  FRAUDGOV_RETURN_IF_ERROR(finish(in));
  if (r.previous_sequence && *r.previous_sequence >= r.activation_sequence) {
    return fail(verifyFailure(reason::kMalformedManifest, "previous_sequence must be below activation_sequence"));
  }
  return r;
}

}  // namespace fraudgov::publish
