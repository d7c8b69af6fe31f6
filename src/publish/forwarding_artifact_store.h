#pragma once
// A base for ArtifactStore decorators (the write benchmark's slow store, the tests' gated one):
// every call goes to the wrapped store, and a decorator overrides only what it changes, so a
// change of the interface is one edit here.

#include <memory>

#include "publish/artifact_store.h"

namespace fraudgov::publish {

class ForwardingArtifactStore : public ArtifactStore {
 public:
  explicit ForwardingArtifactStore(std::unique_ptr<ArtifactStore> inner) : inner_(std::move(inner)) {}

  Result<StoredObject> put(std::string_view key, std::string_view bytes, std::string_view content_type) override {
    return inner_->put(key, bytes, content_type);
  }
  Result<std::optional<std::string>> get(std::string_view key) override { return inner_->get(key); }
  std::string uriFor(std::string_view key) const override { return inner_->uriFor(key); }
  std::string_view backendName() const override { return inner_->backendName(); }

 private:
  std::unique_ptr<ArtifactStore> inner_;
};

}  // namespace fraudgov::publish
