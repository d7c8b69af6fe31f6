#include "service/publisher.h"

#include <algorithm>
#include <boost/json/serialize.hpp>

#include "common/uuid.h"
#include "publish/artifact_location.h"
#include "publish/manifest.h"
#include "store/field_registry_store.h"
#include "store/row_helpers.h"

namespace fraudgov::service {

namespace {

publish::Actor partyOf(const std::string& issuer, const std::string& subject) { return {issuer, subject}; }

}  // namespace

Result<std::shared_ptr<const publish::ArtifactSigningKey>> Publisher::signingKey() const {
  auto key = settings_.signing_key ? settings_.signing_key() : nullptr;
  if (!key || !settings_.store) {
    return fail(Error::unavailable("Artifact publication is not configured (signing key or artifact store missing)"));
  }
  return key;
}

void Publisher::recordCompile(std::chrono::duration<double> duration, const Result<compiler::CompiledRuleset>& result,
                              std::size_t rule_count) const {
  if (settings_.metrics) settings_.metrics->compile(duration, result.has_value(), rule_count);
}

Result<domain::PublishedArtifact> Publisher::publishVersion(store::SqlSession& s, const domain::Ruleset& ruleset,
                                                            const domain::RulesetVersion& version,
                                                            const compiler::CompiledRuleset& compiled,
                                                            const ApprovalParties& parties, Timestamp now) {
  const observability::Stopwatch watch;
  auto published = publish(s, ruleset, version, compiled, parties, now);
  if (settings_.metrics) {
    const bool s3 = settings_.store && settings_.store->backendName() == "s3";
    settings_.metrics->publish(observability::PublishArtifact::kRuleset,
                               s3 ? observability::PublishBackend::kS3 : observability::PublishBackend::kFilesystem,
                               watch.elapsed(), published.has_value());
  }
  return published;
}

Result<domain::PublishedArtifact> Publisher::publish(store::SqlSession& s, const domain::Ruleset& ruleset,
                                                     const domain::RulesetVersion& version,
                                                     const compiler::CompiledRuleset& compiled,
                                                     const ApprovalParties& parties, Timestamp now) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto key, signingKey());
  FRAUDGOV_RETURN_IF_ERROR(registerSigningKey(s, now));
  domain::PublishedArtifact p;
  p.manifest_id = uuid::v7();
  p.ruleset_version_id = version.ruleset_version_id;
  p.environment = settings_.environment;
  p.region = ruleset.region;
  p.country = ruleset.country;
  p.rule_type = ruleset.rule_type;
  p.ruleset_key = std::string(domain::rulesetKey(ruleset.rule_type));
  FRAUDGOV_ASSIGN_OR_RETURN(int latest, store::PublicationStore::maxPublication(s, p));
  p.publication = latest + 1;
  FRAUDGOV_ASSIGN_OR_RETURN(auto registry, store::FieldRegistryStore::latest(s));
  if (registry) p.field_registry_version = registry->registry_version;
  FRAUDGOV_ASSIGN_OR_RETURN(std::string artifact_key, publish::rulesetArtifactKey(p.environment, p.region, p.country,
                                                                                   p.ruleset_key, p.publication));
  FRAUDGOV_ASSIGN_OR_RETURN(std::string manifest_key, publish::rulesetManifestKey(p.environment, p.region, p.country,
                                                                                   p.ruleset_key, p.publication));
  p.artifact_uri = settings_.store->uriFor(artifact_key);
  p.manifest_uri = settings_.store->uriFor(manifest_key);
  p.checksum = compiled.checksum;
  p.signing_kid = key->kid();
  p.created_by = parties.checker.subject;
  p.created_by_issuer = parties.checker.issuer;
  p.created_at = now;

  publish::VersionManifest m;
  m.artifact_uri = p.artifact_uri;
  m.checksum = p.checksum;
  m.environment = p.environment;
  m.region = p.region;
  m.country = p.country;
  m.ruleset_key = p.ruleset_key;
  m.rule_type = std::string(domain::ruleTypeName(ruleset.rule_type));
  m.ruleset_id = ruleset.ruleset_id;
  m.ruleset_version_id = version.ruleset_version_id;
  m.ruleset_version = p.publication;
  m.compiler_version = std::string(compiler::kCompilerVersion);
  if (p.field_registry_version) m.field_registry_version = *p.field_registry_version;
  m.maker = partyOf(parties.maker.issuer, parties.maker.subject);
  m.checker = partyOf(parties.checker.issuer, parties.checker.subject);
  m.approved_at = parties.approved_at;
  const std::string manifest = publish::signDocument(publish::toJson(m), *key);

  // Upload first: without the bytes in the store there is no approval (nothing is committed).
  FRAUDGOV_RETURN_IF_ERROR(settings_.store->put(artifact_key, compiled.bytes, "application/json"));
  FRAUDGOV_RETURN_IF_ERROR(settings_.store->put(manifest_key, manifest, "application/json"));
  FRAUDGOV_RETURN_IF_ERROR(store::PublicationStore::insertManifest(s, p, manifest));
  return p;
}

Result<std::pair<domain::ActivationRecordRow, PendingPointer>> Publisher::recordActivation(
    store::SqlSession& s, const domain::RulesetVersion& version, bool rollback, const domain::Actor& activator,
    Timestamp now) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto key, signingKey());
  FRAUDGOV_ASSIGN_OR_RETURN(auto published, store::PublicationStore::findManifest(s, version.ruleset_version_id));
  if (!published) {
    return fail(Error::conflict("Ruleset version has no published artifact",
                                {{"ruleset_version_id", version.ruleset_version_id}}));
  }
  const auto& [artifact, manifest_bytes] = *published;
  // The record repeats the version manifest recorded at approval (which an older key may have signed).
  FRAUDGOV_ASSIGN_OR_RETURN(auto document, publish::parseSignedDocument(manifest_bytes));
  document.erase(publish::kSignatureMember);
  FRAUDGOV_ASSIGN_OR_RETURN(publish::VersionManifest m, publish::parseVersionManifest(document));

  domain::ActivationRecordRow row;
  row.activation_id = uuid::v7();
  row.ruleset_version_id = version.ruleset_version_id;
  row.manifest_id = artifact.manifest_id;
  row.environment = artifact.environment;
  row.region = artifact.region;
  row.country = artifact.country;
  row.ruleset_key = artifact.ruleset_key;
  FRAUDGOV_ASSIGN_OR_RETURN(std::int64_t previous, store::PublicationStore::maxSequence(s, row));
  row.sequence = previous + 1;
  FRAUDGOV_ASSIGN_OR_RETURN(std::string pointer_key, publish::rulesetPointerKey(row.environment, row.region,
                                                                                 row.country, row.ruleset_key));
  row.pointer_uri = settings_.store->uriFor(pointer_key);
  row.activated_by = activator.subject;
  row.activated_by_issuer = activator.issuer;
  row.activated_at = now;

  publish::ActivationRecord record;
  record.version = m;
  record.published_at = artifact.created_at;
  record.activation_sequence = row.sequence;
  record.activated_at = now;
  record.activated_by = partyOf(activator.issuer, activator.subject);
  if (previous > 0) record.previous_sequence = previous;
  record.rollback = rollback;
  const std::string bytes = publish::signDocument(publish::toJson(record), *key);
  FRAUDGOV_RETURN_IF_ERROR(store::PublicationStore::insertActivation(s, row, bytes));
  return std::make_pair(std::move(row), PendingPointer{pointer_key, bytes});
}

Status Publisher::writePointer(const PendingPointer& pointer) {
  FRAUDGOV_RETURN_IF_ERROR(settings_.store->put(pointer.key, pointer.bytes, "application/json"));
  return {};
}

Status Publisher::registerSigningKey(store::SqlSession& s, Timestamp now) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto key, signingKey());
  FRAUDGOV_ASSIGN_OR_RETURN(auto registered, store::PublicationStore::listKeys(s));
  const bool current = std::any_of(registered.begin(), registered.end(), [&](const store::ArtifactKeyRow& k) {
    return k.kid == key->kid() && k.status == "active";
  });
  if (current) return {};  // registered (and its key set published) before; only a rotation writes again
  FRAUDGOV_RETURN_IF_ERROR(store::PublicationStore::registerActiveKey(s, {key->kid(), key->publicPem(), "active", now}));
  FRAUDGOV_ASSIGN_OR_RETURN(auto keys, store::PublicationStore::listKeys(s));
  FRAUDGOV_ASSIGN_OR_RETURN(auto set, keySetJson(keys));
  FRAUDGOV_RETURN_IF_ERROR(
      settings_.store->put(publish::artifactKeysKey(), boost::json::serialize(set), "application/json"));
  return {};
}

Result<boost::json::object> Publisher::keySetJson(const std::vector<store::ArtifactKeyRow>& keys) {
  boost::json::array out;
  for (const auto& k : keys) {
    auto pub = publish::ArtifactPublicKey::fromPem(k.public_key_pem);
    if (!pub) return fail(store::RowDecoder::corruptRowError("artifact_keys", k.kid, "public_key_pem"));
    auto jwk = pub->jwk();
    out.push_back({{"kid", k.kid},
                   {"alg", "EdDSA"},
                   {"crv", "Ed25519"},
                   {"x", jwk.at("x")},
                   {"public_key_pem", k.public_key_pem},
                   {"status", k.status},
                   {"created_at", formatIso(k.created_at)}});
  }
  return boost::json::object{{"keys", std::move(out)}};
}

}  // namespace fraudgov::service
