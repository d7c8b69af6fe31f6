#pragma once
// The field registry (predecessor-spec §11.1–11.2; issue 8): publishing the approved field
// catalog as an immutable, canonical artifact the runtime engine loads, and reading past
// publications exactly as they were published.

#include "service/publisher.h"
#include "store/database.h"
#include "store/field_registry_store.h"

namespace fraudgov::service {

class FieldRegistryService {
 public:
  FieldRegistryService(store::Database& db, std::shared_ptr<publish::ArtifactStore> artifacts)
      : db_(db), artifacts_(std::move(artifacts)) {}

  Result<std::optional<store::RegistryManifest>> latest();
  Result<std::vector<store::RegistryManifest>> list();  // newest first, at most 100
  Result<store::RegistryManifest> find(int registry_version);
  Result<int> nextFieldId();
  // Writes the artifact first; the manifest row and its audit row commit only if that succeeded.
  Result<store::RegistryManifest> publish(const domain::Actor& actor);

 private:
  store::Database& db_;
  std::shared_ptr<publish::ArtifactStore> artifacts_;
};

}  // namespace fraudgov::service
