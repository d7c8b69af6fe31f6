#pragma once
// ARTIFACT_BACKEND=filesystem: objects are files under ARTIFACT_DIR. A put is atomic and durable
// (temporary file in the target directory, fsync, rename, fsync of the directory), so a reader or
// a crash sees the previous object or the new one, never a torn one.

#include <filesystem>

#include "publish/artifact_store.h"

namespace fraudgov::publish {

class FilesystemArtifactStore final : public ArtifactStore {
 public:
  // root is made absolute against the current directory now, so a later chdir cannot move it.
  explicit FilesystemArtifactStore(const std::filesystem::path& root = "./var/artifacts");

  Result<StoredObject> put(std::string_view key, std::string_view bytes, std::string_view content_type) override;
  Result<std::optional<std::string>> get(std::string_view key) override;
  std::string uriFor(std::string_view key) const override;
  std::string_view backendName() const override { return "filesystem"; }

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

}  // namespace fraudgov::publish
