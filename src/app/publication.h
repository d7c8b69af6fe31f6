#pragma once
// Builds what publication needs from the configuration (SPEC §2.1, §6.5): the artifact store
// (filesystem or S3, credentials read per call from the secret store so SIGHUP rotation
// applies) and the Ed25519 signing key (the ARTIFACT_SIGNING_KEY secret; outside prod a key is
// generated under the var dir when the secret is absent; prod refuses to start without it).

#include <memory>

#include "app/config.h"
#include "observability/log.h"
#include "publish/artifact_store.h"
#include "publish/signing_key.h"
#include "service/publisher.h"

namespace fraudgov::app {

Result<std::shared_ptr<publish::ArtifactStore>> makeArtifactStore(const Config& config);

// The current signing key: re-parsed when the secret's value changes (rotation), cached otherwise.
class SigningKeySource {
 public:
  static Result<std::shared_ptr<SigningKeySource>> create(const Config& config, const observability::Logger& log);
  std::shared_ptr<const publish::ArtifactSigningKey> current();

 private:
  SigningKeySource(std::shared_ptr<const secrets::SecretStore> secrets, std::string fallback_pem,
                   const observability::Logger& log)
      : secrets_(std::move(secrets)), fallback_pem_(std::move(fallback_pem)), log_(log) {}

  std::shared_ptr<const secrets::SecretStore> secrets_;
  std::string fallback_pem_;  // the generated development key, when the secret is absent
  const observability::Logger& log_;
  std::mutex mu_;
  std::string cached_pem_;
  std::shared_ptr<const publish::ArtifactSigningKey> cached_;
};

Result<service::PublisherSettings> publisherSettings(const Config& config, const observability::Logger& log);

}  // namespace fraudgov::app
