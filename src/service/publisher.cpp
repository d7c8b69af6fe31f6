#include "service/publisher.h"

#include <algorithm>
#include <set>
#include <tuple>
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

Result<std::unique_ptr<store::NamedLock>> Publisher::lockScope(store::Database& db, std::string_view environment,
                                                               std::string_view region, std::string_view country,
                                                               std::string_view ruleset_key) const {
  std::string name = "publication/";
  for (std::string_view part : {environment, region, country, ruleset_key}) name.append(part).append("/");
  return db.lockNamed(name, Deadline::after(settings_.scope_lock_wait));
}

Result<PublicationPlan> Publisher::planPublication(store::SqlSession& s, const domain::Ruleset& ruleset,
                                                   const domain::RulesetVersion& version,
                                                   const compiler::CompiledRuleset& compiled,
                                                   const ApprovalParties& parties, Timestamp now) const {
  FRAUDGOV_ASSIGN_OR_RETURN(auto key, signingKey());
  PublicationPlan plan;
  FRAUDGOV_ASSIGN_OR_RETURN(plan.key, planKeyRegistration(s, *key, now));
  domain::PublishedArtifact& p = plan.row;
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
  FRAUDGOV_ASSIGN_OR_RETURN(plan.artifact_key, publish::rulesetArtifactKey(p.environment, p.region, p.country,
                                                                            p.ruleset_key, p.publication));
  FRAUDGOV_ASSIGN_OR_RETURN(plan.manifest_key, publish::rulesetManifestKey(p.environment, p.region, p.country,
                                                                            p.ruleset_key, p.publication));
  p.artifact_uri = settings_.store->uriFor(plan.artifact_key);
  p.manifest_uri = settings_.store->uriFor(plan.manifest_key);
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
  plan.manifest = publish::signDocument(publish::toJson(m), *key);
  return plan;
}

Status Publisher::upload(const PublicationPlan& plan, std::string_view artifact_bytes) const {
  const observability::Stopwatch watch;
  Status uploaded = [&]() -> Status {
    // The key set first: a runtime must be able to find the key of any manifest it can read.
    if (plan.key) FRAUDGOV_RETURN_IF_ERROR(put(publish::artifactKeysKey(), plan.key->key_set));
    FRAUDGOV_RETURN_IF_ERROR(put(plan.artifact_key, artifact_bytes));
    return put(plan.manifest_key, plan.manifest);
  }();
  if (settings_.metrics) {
    const bool s3 = settings_.store && settings_.store->backendName() == "s3";
    settings_.metrics->publish(observability::PublishArtifact::kRuleset,
                               s3 ? observability::PublishBackend::kS3 : observability::PublishBackend::kFilesystem,
                               watch.elapsed(), uploaded.has_value());
  }
  return uploaded;
}

Status Publisher::recordPublication(store::SqlSession& s, const PublicationPlan& plan) const {
  // The scope lock makes these hold; checked anyway, because a manifest that names the wrong
  // v{N} or registry version must never be recorded (e.g. a publisher not taking the lock).
  FRAUDGOV_ASSIGN_OR_RETURN(int latest, store::PublicationStore::maxPublication(s, plan.row));
  FRAUDGOV_ASSIGN_OR_RETURN(auto registry, store::FieldRegistryStore::latest(s));
  const std::optional<int> registry_version =
      registry ? std::optional<int>(registry->registry_version) : std::nullopt;
  if (latest + 1 != plan.row.publication || registry_version != plan.row.field_registry_version) {
    return fail(Error::unavailable("The publication scope changed while this version was uploaded; retry", 1)
                    .withInternalDetail("publication " + std::to_string(plan.row.publication) + " planned, max is " +
                                        std::to_string(latest)));
  }
  if (plan.key) FRAUDGOV_RETURN_IF_ERROR(recordKeyRegistration(s, *plan.key));
  return store::PublicationStore::insertManifest(s, plan.row, plan.manifest);
}

Result<ActivationPlan> Publisher::planActivation(store::SqlSession& s, const domain::RulesetVersion& version,
                                                 bool rollback, const domain::Actor& activator,
                                                 Timestamp now) const {
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

  ActivationPlan plan;
  domain::ActivationRecordRow& row = plan.row;
  row.activation_id = uuid::v7();
  row.ruleset_version_id = version.ruleset_version_id;
  row.manifest_id = artifact.manifest_id;
  row.environment = artifact.environment;
  row.region = artifact.region;
  row.country = artifact.country;
  row.ruleset_key = artifact.ruleset_key;
  FRAUDGOV_ASSIGN_OR_RETURN(std::int64_t previous, store::PublicationStore::maxSequence(s, row));
  FRAUDGOV_ASSIGN_OR_RETURN(plan.previous, store::PublicationStore::latestActivationRecord(s, row));
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
  plan.pointer = {std::move(pointer_key), publish::signDocument(publish::toJson(record), *key)};
  return plan;
}

Status Publisher::writePointer(const PendingPointer& pointer) const { return put(pointer.key, pointer.bytes); }

Status Publisher::recordActivation(store::SqlSession& s, const ActivationPlan& plan) const {
  FRAUDGOV_ASSIGN_OR_RETURN(std::int64_t previous, store::PublicationStore::maxSequence(s, plan.row));
  if (previous + 1 != plan.row.sequence) {
    return fail(Error::unavailable("The runtime pointer moved while this activation was written; retry", 1)
                    .withInternalDetail("sequence " + std::to_string(plan.row.sequence) + " planned, max is " +
                                        std::to_string(previous)));
  }
  return store::PublicationStore::insertActivation(s, plan.row, plan.pointer.bytes);
}

Status Publisher::restorePointer(const ActivationPlan& plan) const {
  if (!plan.previous) {
    return fail(Error::unavailable("No earlier activation record to restore the runtime pointer to"));
  }
  return put(plan.pointer.key, *plan.previous);
}

Result<std::optional<KeyRegistration>> Publisher::planKeyRegistration(store::SqlSession& s,
                                                                      const publish::ArtifactSigningKey& key,
                                                                      Timestamp now) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto keys, store::PublicationStore::listKeys(s));
  const auto same = [&](const store::ArtifactKeyRow& k) { return k.kid == key.kid(); };
  const auto it = std::find_if(keys.begin(), keys.end(), same);
  if (it != keys.end() && it->status == "active") return std::optional<KeyRegistration>();
  // The rows as PublicationStore::registerActiveKey leaves them, in listKeys order.
  KeyRegistration planned{{key.kid(), key.publicPem(), "active", now}, {}, {}};
  if (it != keys.end()) it->status = "active";  // re-activated: the upsert keeps created_at
  else keys.push_back(planned.row);
  for (auto& k : keys) {
    if (!same(k)) k.status = "retired";
  }
  std::sort(keys.begin(), keys.end(), [](const store::ArtifactKeyRow& a, const store::ArtifactKeyRow& b) {
    return std::tie(a.status, b.created_at, a.kid) < std::tie(b.status, a.created_at, b.kid);
  });
  FRAUDGOV_ASSIGN_OR_RETURN(auto set, keySetJson(keys));
  planned.key_set = boost::json::serialize(set);
  for (const auto& k : keys) planned.kids.insert(k.kid);
  return std::optional<KeyRegistration>(std::move(planned));
}

Status Publisher::recordKeyRegistration(store::SqlSession& s, const KeyRegistration& planned) {
  // Another publication (or instance) may have registered keys since the plan: the key set we
  // uploaded must still be the one that describes the rows, else it is retried from the start.
  FRAUDGOV_ASSIGN_OR_RETURN(auto keys, store::PublicationStore::listKeys(s));
  const bool current = std::any_of(keys.begin(), keys.end(), [&](const store::ArtifactKeyRow& k) {
    return k.kid == planned.row.kid && k.status == "active";
  });
  if (current) return {};
  FRAUDGOV_RETURN_IF_ERROR(store::PublicationStore::registerActiveKey(s, planned.row));
  FRAUDGOV_ASSIGN_OR_RETURN(auto after, store::PublicationStore::listKeys(s));
  std::set<std::string> kids;
  for (const auto& k : after) kids.insert(k.kid);
  if (kids != planned.kids) {
    return fail(Error::unavailable("The artifact signing keys changed while this publication was uploaded; retry", 1));
  }
  return {};
}

Status Publisher::registerSigningKey(store::Database& db, Timestamp now) const {
  FRAUDGOV_ASSIGN_OR_RETURN(auto key, signingKey());
  FRAUDGOV_ASSIGN_OR_RETURN(auto planned, store::inRead(db, [&](store::SqlSession& s) {
                              return planKeyRegistration(s, *key, now);
                            }));
  if (!planned) return {};  // registered (and its key set published) before; only a rotation writes again
  FRAUDGOV_RETURN_IF_ERROR(put(publish::artifactKeysKey(), planned->key_set));
  return store::inWrite(db, [&](store::SqlSession& s) { return recordKeyRegistration(s, *planned); });
}

Status Publisher::put(std::string_view key, std::string_view bytes) const {
  FRAUDGOV_RETURN_IF_ERROR(settings_.store->put(key, bytes, "application/json"));
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
