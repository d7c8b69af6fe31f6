#pragma once
// Builds what publication needs from the configuration (SPEC §2.1, §6.5): the artifact store
// (filesystem or S3, credentials read per call from the secret store so SIGHUP rotation
// applies) and the Ed25519 signing key (the ARTIFACT_SIGNING_KEY secret; outside prod a key is
// generated under the var dir when the secret is absent; prod refuses to start without it).

#include <memory>

#include "app/config.h"
#include "secrets/secret_names.h"
#include "observability/log.h"
#include "publish/artifact_store.h"
#include "publish/signing_key.h"
#include "service/audit_service.h"
#include "service/publisher.h"

namespace fraudgov::app {

Result<std::shared_ptr<publish::ArtifactStore>> makeArtifactStore(const Config& config);

// Which secret holds a signing key, and the development key file used outside prod when it is absent.
struct SigningKeySecret {
  const char* name;              // e.g. secrets::names::kArtifactSigningKey
  const char* development_file;  // under the var dir, e.g. "artifact-signing-key.pem"
};
inline constexpr SigningKeySecret kArtifactSigningKeySecret{secrets::names::kArtifactSigningKey,
                                                            "artifact-signing-key.pem"};
inline constexpr SigningKeySecret kAuditSigningKeySecret{secrets::names::kAuditSigningKey, "audit-signing-key.pem"};

// The current signing key of one secret: re-parsed when the secret's value changes (rotation),
// cached otherwise. Outside prod a key is generated under the var dir when the secret is absent;
// prod refuses to start without it.
class SigningKeySource {
 public:
  static Result<std::shared_ptr<SigningKeySource>> create(const Config& config, const observability::Logger& log,
                                                          SigningKeySecret secret);
  std::shared_ptr<const publish::ArtifactSigningKey> current();

 private:
  SigningKeySource(std::shared_ptr<const secrets::SecretStore> secrets, SigningKeySecret secret,
                   std::string fallback_pem, const observability::Logger& log)
      : secrets_(std::move(secrets)), secret_(secret), fallback_pem_(std::move(fallback_pem)), log_(log) {}

  std::shared_ptr<const secrets::SecretStore> secrets_;
  SigningKeySecret secret_;
  std::string fallback_pem_;  // the generated development key, when the secret is absent
  const observability::Logger& log_;
  std::mutex mu_;
  std::string cached_pem_;
  std::shared_ptr<const publish::ArtifactSigningKey> cached_;
};

// One artifact store serves both: publication and the audit checkpoints.
Result<service::PublisherSettings> publisherSettings(const Config& config, const observability::Logger& log,
                                                     std::shared_ptr<publish::ArtifactStore> store);
// Audit checkpoints (issue 11 item 5): the AUDIT_SIGNING_KEY key, the artifact store, the environment.
Result<service::AuditAnchoring> auditAnchoring(const Config& config, const observability::Logger& log,
                                               std::shared_ptr<publish::ArtifactStore> store);

}  // namespace fraudgov::app
